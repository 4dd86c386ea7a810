import Foundation
import ScnEncoding
import ScnRuntime
import Testing

/// `if … then … else …`, `atan2`, `floor`, `ceil`, `round`, `div`, list `+` and slices,
/// evaluated by the sampler (random operands, so nothing is folded by the checker) and
/// compared with the same computation done here.
@Suite struct ExpressionFormTests {
  func number(_ s: Scene, _ name: String) throws -> Double {
    try #require(SamplerSupport.number(s, param: name), "param \(name)")
  }

  func ints(_ s: Scene, _ name: String) throws -> [Int64] {
    guard case .array(let items)? = s.param(name) else {
      Issue.record("param \(name) is not a list: \(String(describing: s.param(name)))")
      return []
    }
    return items.compactMap { if case .int(let i) = $0 { i } else { nil } }
  }

  @Test func conditionalPicksTheBranchOfItsCondition() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          param u = uniform(0.0, 1.0)
          param pick = if u < 0.5 then 1 else 2
          param mixed = if u < 0.5 then 3 else 0.5
          param len = if u >= 0.5 then 2m else 30cm
          param nested = if u < 0.25 then 0 else if u < 0.75 then 1 else 2
      }
      """, count: 300)
    var low = 0
    for s in scenes {
      let u = try number(s, "u")
      #expect(try number(s, "pick") == (u < 0.5 ? 1 : 2))
      #expect(try number(s, "mixed") == (u < 0.5 ? 3 : 0.5))
      #expect(try number(s, "len") == (u >= 0.5 ? 2 : 0.3))
      #expect(try number(s, "nested") == (u < 0.25 ? 0 : u < 0.75 ? 1 : 2))
      if u < 0.5 { low += 1 }
    }
    // Both branches are taken (300 draws: P(all one side) ≈ 2^-299).
    #expect(low > 0 && low < scenes.count)
  }

  /// Only the chosen branch is evaluated: the other branch's draw is not made, and the
  /// draws of every other site are the same as without the conditional (draws are keyed by
  /// site), so adding a conditional moves no other value.
  @Test func conditionalDrawsOnlyItsChosenBranchAndMovesNoOtherDraw() throws {
    let withConditional = try SamplerSupport.scenes("""
      scenario S {
          param u = uniform(0.0, 1.0)
          param c = if u < 0.5 then uniform(10.0, 20.0) else uniform(30.0, 40.0)
          param w = normal(0.0, 1.0)
      }
      """, count: 100)
    let without = try SamplerSupport.scenes("""
      scenario S {
          param u = uniform(0.0, 1.0)
          param c = 0.0
          param w = normal(0.0, 1.0)
      }
      """, count: 100)
    for (a, b) in zip(withConditional, without) {
      let u = try number(a, "u"), c = try number(a, "c")
      #expect(u == (try number(b, "u")))
      #expect(u < 0.5 ? (10...20).contains(c) : (30...40).contains(c))
      #expect(try number(a, "w") == (try number(b, "w")))
    }
  }

  @Test func roundingFunctionsAndDivAgreeWithPython() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          param x = uniform(-5.0, 5.0)
          param k = uniform_int(-20, 20)
          param d = uniform_int(1, 7)
          param f = floor(x)
          param c = ceil(x)
          param r = round(x * 2) 
          param q = div(k, d)
          param qn = div(k, -d)
          param m = k % d
          param a = atan2(x * 1m, 2m)
          param fits = div(x * 1m + 6m, 50cm)
      }
      """, count: 300)
    for s in scenes {
      let x = try number(s, "x"), k = Int64(try number(s, "k")), d = Int64(try number(s, "d"))
      #expect(try number(s, "f") == x.rounded(.down))
      #expect(try number(s, "c") == x.rounded(.up))
      #expect(try number(s, "r") == (x * 2).rounded(.toNearestOrEven))
      let q = Int64((Double(k) / Double(d)).rounded(.down))
      #expect(Int64(try number(s, "q")) == q)
      #expect(Int64(try number(s, "qn")) == Int64((Double(k) / Double(-d)).rounded(.down)))
      // div and % are consistent: k == div(k, d) * d + k % d.
      #expect(q * d + Int64(try number(s, "m")) == k)
      #expect(abs(try number(s, "a") - atan2(x, 2)) < 1e-12)
      #expect(Int64(try number(s, "fits")) == Int64(((x + 6) / 0.5).rounded(.down)))
    }
  }

  @Test func roundHalvesToEven() throws {
    let s = try SamplerSupport.scenes("""
      scenario S {
          param h = uniform(0.0, 0.0) + 2.5
          param r = round(h)
          param rn = round(-h)
          param r3 = round(h + 1)
      }
      """, count: 1)[0]
    #expect(try number(s, "r") == 2)
    #expect(try number(s, "rn") == -2)
    #expect(try number(s, "r3") == 4)
  }

  @Test func listConcatenationAndSlicesFollowPython() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          param n = uniform_int(0, 6)
          param xs = [i * 10 for i in 0..<n]
          param both = xs + [99] + xs
          param head = xs[:2]
          param tail = xs[2:]
          param last = xs[-1:]
          param mid = xs[1:-1]
          param none = xs[5:1]
          param all = xs[:]
      }
      """, count: 60)
    var sizes = Set<Int>()
    for s in scenes {
      let xs = try ints(s, "xs")
      sizes.insert(xs.count)
      #expect(try ints(s, "both") == xs + [99] + xs)
      #expect(try ints(s, "head") == Array(xs.prefix(2)))
      #expect(try ints(s, "tail") == Array(xs.dropFirst(2)))
      #expect(try ints(s, "last") == Array(xs.suffix(1)))
      #expect(try ints(s, "mid") == (xs.count >= 2 ? Array(xs[1..<(xs.count - 1)]) : []))
      #expect(try ints(s, "none") == [])
      #expect(try ints(s, "all") == xs)
    }
    #expect(sizes.count >= 5)
  }

  @Test func constantFormsFoldInTheChecker() throws {
    // Constant operands fold at check time to the same values the runtime computes.
    let s = try SamplerSupport.scenes("""
      scenario S {
          param a = if 2 > 1 then 7 else 8
          param f = floor(-2.5)
          param c = ceil(-2.5)
          param r = round(3.5)
          param q = div(-7, 2)
          param m = -7 % 3
          param s = [1, 2, 3, 4][1:3] + [5]
      }
      """, count: 1)[0]
    #expect(try number(s, "a") == 7)
    #expect(try number(s, "f") == -3)
    #expect(try number(s, "c") == -2)
    #expect(try number(s, "r") == 4)
    #expect(try number(s, "q") == -4)
    #expect(try number(s, "m") == 2)
    #expect(try ints(s, "s") == [2, 3, 5])
  }
}
