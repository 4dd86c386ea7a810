import PropertyBased
import Testing
@testable import ScnUnits

/// A table like the StdLib prelude's, built by hand so these tests do not depend on parsing.
func siTable() -> UnitTable {
  var t = UnitTable()
  let length = Dimension(base: "Length")
  let time = Dimension(base: "Time")
  let mass = Dimension(base: "Mass")
  let angle = Dimension(base: "Angle")
  func r(_ n: Int64, _ d: Int64 = 1) -> Rational { Rational(n, d)! }
  t.declare(UnitDefinition(name: "m", dimension: length, factor: .one))
  t.declare(UnitDefinition(name: "cm", dimension: length, factor: r(1, 100)))
  t.declare(UnitDefinition(name: "km", dimension: length, factor: r(1000)))
  t.declare(UnitDefinition(name: "s", dimension: time, factor: .one))
  t.declare(UnitDefinition(name: "ms", dimension: time, factor: r(1, 1000)))
  t.declare(UnitDefinition(name: "h", dimension: time, factor: r(3600)))
  t.declare(UnitDefinition(name: "kg", dimension: mass, factor: .one))
  t.declare(UnitDefinition(name: "mph", dimension: length / time, factor: Rational(decimal: "0.44704")!))
  t.declare(UnitDefinition(name: "Hz", dimension: time.power(-1), factor: .one))
  t.declare(UnitDefinition(name: "rad", dimension: angle, factor: .one))
  t.declare(UnitDefinition(name: "deg", dimension: angle, inexactFactor: .pi / 180))
  return t
}

@Suite struct RationalTests {
  @Test func parsesDecimalsExactly() {
    #expect(Rational(decimal: "0.44704") == Rational(44704, 100_000))
    #expect(Rational(decimal: "1e3") == Rational(1000))
    #expect(Rational(decimal: "1e-3") == Rational(1, 1000))
    #expect(Rational(decimal: "2.5E+2") == Rational(250))
    #expect(Rational(decimal: "1_000") == Rational(1000))
    #expect(Rational(decimal: "1.2.3") == nil)
    #expect(Rational(decimal: "e5") == nil)
    #expect(Rational(decimal: "1e") == nil)
    #expect(Rational(decimal: "99999999999999999999") == nil)  // does not fit: caller falls back to Double
  }

  @Test func zeroDenominatorAndOverflowAreNilNotTraps() {
    #expect(Rational(1, 0) == nil)
    let big = Rational(integer: .max)
    #expect(big.multiplied(by: big) == nil)
    #expect(big.adding(.one) == nil)
    #expect(Rational(integer: 10).power(40) == nil)
    #expect(Rational.zero.reciprocal == nil)
  }

  @Test func fieldLawsHoldForSmallRationals() async {
    let gen = Gen.int(in: -1000...1000)
    await propertyCheck(input: gen, gen, gen) { a, b, c in
      guard let x = Rational(Int64(a), Int64(b == 0 ? 1 : b)), let y = Rational(Int64(c), 7) else { return }
      #expect(x.multiplied(by: y) == y.multiplied(by: x))
      #expect(x.adding(y) == y.adding(x))
      if y != .zero { #expect(x.multiplied(by: y)?.divided(by: y) == x) }
      #expect(x.adding(y).flatMap { $0.adding(y.negated!) } == x)
      #expect((x < y) == (x.doubleValue < y.doubleValue) || x.doubleValue == y.doubleValue)
    }
  }
}

@Suite struct DimensionTests {
  @Test func derivedDimensionsNormalise() {
    let l = Dimension(base: "Length")
    let t = Dimension(base: "Time")
    #expect((l / t) / t == l * t.power(-2))
    #expect(((l / t) * t) == l)
    #expect((l / l).isDimensionless)
    #expect((l / t.power(2)).description == "Length / Time^2")
    #expect(t.power(-1).description == "1 / Time")
    #expect((l * Dimension(base: "Mass") / t.power(2)).description == "Length * Mass / Time^2")
  }
}

@Suite struct UnitTableTests {
  let table = siTable()

  @Test func compoundSuffixesResolve() throws {
    let accel = try table.resolve("m/s^2").get()
    #expect(accel.dimension == Dimension(base: "Length") / Dimension(base: "Time").power(2))
    #expect(accel.factor == .one)
    let kmh = try table.resolve("km/h").get()
    #expect(kmh.factor == Rational(5, 18))
    #expect(try table.resolve("s^-1").get().dimension == table["Hz"]!.dimension)
    #expect(try table.resolve("kg/m/s").get().dimension.description == "Mass / (Length * Time)")
  }

  @Test func thirtyKilometresPerHourIsExactlyTwentyFiveThirdsMetresPerSecond() throws {
    let kmh = try table.resolve("km/h").get()
    #expect(kmh.baseValue(ofDecimal: "30") == 25.0 / 3.0)
    #expect(try table.resolve("mph").get().baseValue(ofDecimal: "1") == 0.44704)
    #expect(try table.resolve("cm").get().baseValue(ofDecimal: "1e3") == 10)
  }

  @Test func inexactUnitsFallBackToDouble() throws {
    let deg = try table.resolve("deg").get()
    #expect(deg.factor == nil)
    #expect(abs(deg.baseValue(ofDecimal: "90")! - .pi / 2) < 1e-15)
  }

  @Test func errorsNameTheOffendingPart() {
    #expect(table.resolve("m/sec") == .failure(.unknownUnit(name: "sec", offset: 2)))
    #expect(table.resolve("m/") == .failure(.malformed(offset: 2)))
    #expect(table.resolve("m^") == .failure(.malformed(offset: 2)))
    #expect(table.resolve("m^999") == .failure(.overflow))
    #expect(table.suggestion(for: "sec") == "s" || table.suggestion(for: "sec") == nil)
    #expect(table.suggestion(for: "kmh") == "km")
  }

  /// Converting a value to another unit of the same dimension and back is exact for
  /// rational factors: the property the checker's comparisons rely on.
  @Test func conversionsRoundTripExactly() async {
    let names = ["m", "cm", "km"]
    await propertyCheck(input: Gen.int(in: -100_000...100_000), Gen.int(in: 0...2), Gen.int(in: 0...2)) { v, i, j in
      let a = table[names[i]]!.factor!
      let b = table[names[j]]!.factor!
      let value = Rational(integer: Int64(v))
      let inB = value.multiplied(by: a)!.divided(by: b)!
      #expect(inB.multiplied(by: b)!.divided(by: a)! == value)
    }
  }
}
