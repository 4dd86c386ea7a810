import PropertyBased
import ScnLowering
import ScnSema
import Testing

/// Unit conversion through the whole checker: a comparison of two spellings of one
/// quantity folds to a constant `true` (reported as an always-true requirement, W0401),
/// and to `false` after a nudge (E0401).
@Suite struct UnitPropertyTests {
  func verdict(_ requirement: String) -> String? {
    let source = """
      @dataset(name: "t", version: "1", license: "MIT")
      @intended_use("tests")
      @out_of_scope("none")
      scenario S {
          require \(requirement)
      }
      """
    let r = TestSupport.compile(source)
    let codes = r.diagnostics.map(\.code.rawValue)
    return codes.count == 1 ? codes[0] : codes.joined(separator: ",")
  }

  @Test func kilometresEqualThousandsOfMetres() async {
    await propertyCheck(input: Gen.int(in: 0...1_000_000)) { milli in
      // x km with three decimals, against the same length written in metres.
      let km = "\(milli / 1000).\(String(milli % 1000).leftPad(3))"
      #expect(verdict("\(km)km == \(milli)m") == "W0401")
      #expect(verdict("\(km)km == \(milli + 1)m") == "E0401")
    }
  }

  @Test func speedsConvertExactly() async {
    await propertyCheck(input: Gen.int(in: 1...100_000)) { k in
      // k km/h is exactly k/3.6 m/s: 5k/18, compared in exact rationals.
      #expect(verdict("\(k)km/h == \(5 * k)m/s / 18") == "W0401")
      #expect(verdict("\(k)km/h < \(5 * k + 1)m/s / 18") == "W0401")
    }
  }

  @Test func hoursAndMinutes() async {
    await propertyCheck(input: Gen.int(in: 0...10_000)) { n in
      #expect(verdict("\(n)h == \(60 * n)min") == "W0401")
      #expect(verdict("\(n)h == \(3600 * n)s") == "W0401")
    }
  }
}

extension String {
  fileprivate func leftPad(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
