import Foundation
import ScnEncoding
import ScnRuntime
import Testing

/// Translations of Scenic 3's `tests/syntax/test_distributions.py` (docs/scenic-coverage.md
/// maps each function). Scenic's tests draw 60–200 samples and check the support and that
/// every outcome occurs; these draw more and check the law itself: a Kolmogorov–Smirnov test
/// against the exact CDF for continuous values, a χ² test against the exact probabilities
/// for discrete ones (both at α = 0.001, `StatisticalChecks`), and exact equality where
/// Scenic asserts a single value. Scenic → scn: `Range(a, b)` is `uniform(a, b)`,
/// `DiscreteRange(a, b)` `uniform_int(a, b)`, `Uniform(x, y, …)` `one_of(x, y, …)`,
/// `Options({x: w, …})` `choice { w: x, … }`, `Normal` `normal`, `TruncatedNormal`
/// `truncnormal`; `a @ b` is `(a, b, 0m)`.
@Suite struct ScenicDistributionTests {
  static let n = 600
  static let thirds: [Double] = [1.0 / 3, 1.0 / 3, 1.0 / 3]

  func chi(_ observed: [Int], _ probabilities: [Double]) -> Bool {
    StatisticalChecks.chiSquareAccepts(observed, probabilities: probabilities)
  }

  func ks(_ xs: [Double], _ cdf: (Double) -> Double) -> Bool { StatisticalChecks.ksAccepts(xs, cdf: cdf) }

  func scenes(_ body: String, count: Int = n, seed: UInt64 = 3) throws -> [Scene] {
    try SamplerSupport.scenes("scenario S {\n\(body)\n}", count: count, SamplerOptions(seed: seed))
  }

  func params(_ body: String, _ name: String = "p", count: Int = n, seed: UInt64 = 3) throws -> [Double] {
    let xs = try scenes(body, count: count, seed: seed).compactMap { SamplerSupport.number($0, param: name) }
    #expect(xs.count == count)
    return xs
  }

  /// The numbers of a list or tuple param, in base units.
  func numbers(_ j: JSONValue?) -> [Double]? {
    func number(_ j: JSONValue) -> Double? {
      switch j {
      case .double(let x): x
      case .int(let i): Double(i)
      case .object(let pairs): pairs.first { $0.0 == "value" }.flatMap { number($0.1) }
      default: nil
      }
    }
    guard case .array(let xs)? = j else { return nil }
    let out = xs.compactMap(number)
    return out.count == xs.count ? out : nil
  }

  func counts(_ xs: [Double], _ values: [Double]) -> [Int] {
    values.map { v in xs.filter { abs($0 - v) < 1e-12 }.count }
  }

  func uniformCDF(_ a: Double, _ b: Double) -> (Double) -> Double {
    { x in min(1, max(0, (x - a) / (b - a))) }
  }

  func normalCDF(_ mean: Double, _ sd: Double) -> (Double) -> Double {
    { x in 0.5 * erfc(-(x - mean) / (sd * 2.0.squareRoot())) }
  }

  /// test_range, test_uniform_interval: `Range(3, 5)` and `Range(100, 200)`.
  @Test func rangeIsUniform() throws {
    let xs = try params("param p: Length = uniform(3m, 5m)")
    #expect(xs.allSatisfy { $0 >= 3 && $0 <= 5 })
    #expect(ks(xs, uniformCDF(3, 5)))
    let ys = try params("param p: Float = uniform(100.0, 200.0)", seed: 4)
    #expect(ks(ys, uniformCDF(100, 200)))
  }

  /// test_range_random_endpoint: `Range(0, Uniform(1, 10000))`: half the draws reach past 1.
  @Test func rangeWithARandomEndpoint() throws {
    let xs = try params("param p: Length = uniform(0m, one_of(1m, 10000m))", count: 2000)
    #expect(xs.allSatisfy { $0 >= 0 && $0 <= 10000 })
    // P(x > 1) = ½ · (1 − 1/10000); the mixture's CDF for the KS test.
    let cdf: (Double) -> Double = { x in 0.5 * min(1, max(0, x)) + 0.5 * min(1, max(0, x / 10000)) }
    #expect(ks(xs, cdf))
    let above = xs.filter { $0 > 1 }.count
    #expect(chi([above, xs.count - above], [0.49995, 0.50005]))
  }

  /// test_discrete_range: `DiscreteRange(-1, 1)`.
  @Test func discreteRangeIsUniformOnItsIntegers() throws {
    let xs = try params("param p: Int = uniform_int(-1, 1)")
    #expect(xs.allSatisfy { [-1, 0, 1].contains($0) })
    #expect(chi(counts(xs, [-1, 0, 1]), Self.thirds))
  }

  /// test_normal: `Normal(100, 2)`.
  @Test func normalFollowsItsCDF() throws {
    let xs = try params("param p: Length = normal(100m, 2m)")
    #expect(ks(xs, normalCDF(100, 2)))
  }

  /// test_truncated_normal: `TruncatedNormal(100, 2, 99, 110)`.
  @Test func truncatedNormalFollowsItsCDF() throws {
    let xs = try params("param p: Length = truncnormal(100m, 2m, 99m, 110m)")
    #expect(xs.allSatisfy { $0 >= 99 && $0 <= 110 })
    let f = normalCDF(100, 2)
    let lo = f(99), hi = f(110)
    let truncated: (Double) -> Double = { x in min(1, max(0, (f(x) - lo) / (hi - lo))) }
    #expect(ks(xs, truncated))
  }

  /// test_uniform_discrete: `Uniform(1, 2, 3.4)`.
  @Test func uniformOverValues() throws {
    let xs = try params("param p: Float = one_of(1.0, 2.0, 3.4)")
    #expect(xs.allSatisfy { [1, 2, 3.4].contains($0) })
    #expect(chi(counts(xs, [1, 2, 3.4]), Self.thirds))
  }

  /// test_options (Options and Discrete): `Options({0: 1, 1: 9})`.
  @Test func optionsFollowTheirWeights() throws {
    let xs = try params("param p: Int = choice { 1: 0, 9: 1 }")
    #expect(xs.allSatisfy { $0 == 0 || $0 == 1 })
    #expect(chi(counts(xs, [0, 1]), [0.1, 0.9]))
  }

  /// test_function: `sin(Uniform(45 deg, 90 deg))`: exactly one of the two sines.
  @Test func functionOfARandomValue() throws {
    let xs = try params("param p: Float = sin(one_of(45deg, 90deg))")
    let a = sin(Double.pi / 4), b = 1.0
    #expect(xs.allSatisfy { abs($0 - a) < 1e-12 || abs($0 - b) < 1e-12 })
    let k = xs.filter { abs($0 - a) < 1e-12 }.count
    #expect(chi([k, xs.count - k], [0.5, 0.5]))
  }

  /// test_attribute: `place = Uniform(1 @ 1, 2 @ 4, 3 @ 9)`, `at place.x @ place.y`: the two
  /// members come from the same draw.
  @Test func membersOfOneRandomValueAgree() throws {
    let s = try scenes("""
          let place = one_of((1m, 1m, 0m), (2m, 4m, 0m), (3m, 9m, 0m))
          ego e = Box at (place.x, place.y, 0m)
      """)
    let xs = s.map { $0.actors[0].position.x }, ys = s.map { $0.actors[0].position.y }
    #expect(zip(xs, ys).allSatisfy { x, y in abs(y - x * x) < 1e-12 })
    #expect(chi(counts(xs, [1, 2, 3]), Self.thirds))
  }

  /// test_operator: `-(100 + Range(0, 100))`.
  @Test func operatorOfARandomValue() throws {
    let xs = try params("param p: Length = -(100m + uniform(0m, 100m))")
    #expect(ks(xs, uniformCDF(-200, -100)))
  }

  /// test_vector_operator: `Range(-3, 3) @ 0 + Range(100, 110) @ 0`: the sum of two
  /// independent uniforms, whose CDF is the integral of a trapezoid.
  @Test func sumOfRandomVectors() throws {
    let s = try scenes("ego e = Box at (uniform(-3m, 3m), 0m, 0m) + (uniform(100m, 110m), 0m, 0m)")
    let xs = s.map { $0.actors[0].position.x }
    #expect(xs.allSatisfy { $0 >= 97 && $0 <= 113 })
    // X = U(-3, 3) + V(100, 110): CDF = ∫ P(U ≤ x − v) dv / 10.
    let cdf: (Double) -> Double = { x in
      func g(_ t: Double) -> Double {  // ∫_{-∞}^{t} P(U ≤ s) ds for U ~ uniform(-3, 3)
        if t <= -3 { return 0 }
        if t >= 3 { return 3 + (t - 3) }
        return (t + 3) * (t + 3) / 12
      }
      return (g(x - 100) - g(x - 110)) / 10
    }
    #expect(ks(xs, cdf))
  }

  /// test_list, test_list_param: `[3, Uniform(1, 2)]`.
  @Test func listWithARandomElement() throws {
    let s = try scenes("param p: [Int] = [3, one_of(1, 2)]")
    let lists = s.compactMap { numbers($0.param("p")) }
    #expect(lists.count == s.count)
    #expect(lists.allSatisfy { $0.count == 2 && $0[0] == 3 && ($0[1] == 1 || $0[1] == 2) })
    let ones = lists.filter { $0[1] == 1 }.count
    #expect(chi([ones, lists.count - ones], [0.5, 0.5]))
  }

  /// test_tuple, test_tuple_param: `tuple([3, Uniform(1, 2)])`.
  @Test func tupleWithARandomElement() throws {
    let s = try scenes("param p: (Int, Int) = (3, one_of(1, 2))")
    let tuples = s.compactMap { numbers($0.param("p")) }
    #expect(tuples.count == s.count)
    #expect(tuples.allSatisfy { $0.count == 2 && $0[0] == 3 && ($0[1] == 1 || $0[1] == 2) })
    let ones = tuples.filter { $0[1] == 1 }.count
    #expect(chi([ones, tuples.count - ones], [0.5, 0.5]))
  }

  /// test_list_sliced: `Uniform([1, 2, 3, 4], [5, 6, 7])[i:i+2]`, `i = DiscreteRange(0, 1)`.
  @Test func sliceOfARandomList() throws {
    let s = try scenes("""
          param x: [Int] = one_of([1, 2, 3, 4], [5, 6, 7])
          param i: Int = uniform_int(0, 1)
          param p: [Int] = x[i:i + 2]
      """)
    let slices = s.compactMap { numbers($0.param("p")) }
    let options: [[Double]] = [[1, 2], [2, 3], [5, 6], [6, 7]]
    #expect(slices.count == s.count && slices.allSatisfy { options.contains($0) })
    let seen = options.map { o in slices.filter { $0 == o }.count }
    #expect(chi(seen, [0.25, 0.25, 0.25, 0.25]))
  }

  /// test_list_nested: `Uniform(*Uniform(list(range(1000)), [1000]))`: 1000 half the time.
  @Test func elementOfARandomList() throws {
    let xs = try params("""
          param xs: [Int] = one_of([k for k in 0..<1000], [1000])
          param p: Int = xs[uniform_int(0, len(xs) - 1)]
      """)
    let k = xs.filter { $0 == 1000 }.count
    #expect(xs.allSatisfy { $0 >= 0 && $0 <= 1000 && $0 == $0.rounded() })
    #expect(chi([k, xs.count - k], [0.5, 0.5]))
  }

  /// test_list_filtered: `filter(lambda x: x > 0, [Range(-10, -5), Range(3, 7), Range(-1, 1)])`,
  /// then a uniform element: always positive, below 1 only from the third range.
  @Test func elementOfAFilteredList() throws {
    let xs = try params("""
          param kept: [Float] = [x for x in [uniform(-10.0, -5.0), uniform(3.0, 7.0), uniform(-1.0, 1.0)] if x > 0.0]
          param p: Float = kept[uniform_int(0, len(kept) - 1)]
      """, count: 2000)
    #expect(xs.allSatisfy { $0 > 0 })
    // Two elements kept half the time (then either is picked), one the other half:
    // P(p < 1) = ½ · ½ = ¼, and p < 1 is then uniform on (0, 1).
    let below = xs.filter { $0 < 1 }.count
    #expect(chi([below, xs.count - below], [0.25, 0.75]))
  }

  /// test_len: `len(Uniform([0], [1, 2]))`.
  @Test func lengthOfARandomList() throws {
    let xs = try params("param p: Int = len(one_of([0], [1, 2]))")
    #expect(chi(counts(xs, [1, 2]), [0.5, 0.5]))
  }

  /// test_independence: `Range(0, 1) @ Range(0, 1)`: two draws, not one; uncorrelated.
  @Test func twoDrawsAreIndependent() throws {
    let s = try scenes("ego e = Box at (uniform(0m, 1m), uniform(0m, 1m), 0m)")
    let xs = s.map { $0.actors[0].position.x }, ys = s.map { $0.actors[0].position.y }
    #expect(zip(xs, ys).allSatisfy { $0 != $1 })
    let mx = xs.reduce(0, +) / Double(xs.count), my = ys.reduce(0, +) / Double(ys.count)
    let cov = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / Double(xs.count)
    // Correlation of independent uniforms: sd 1/√n; 4 sd.
    #expect(abs(cov * 12) < 4 / Double(xs.count).squareRoot())
  }

  /// test_shared_dependency: `x = Range(-1, 1)`, `at (x * x) @ 0`: one draw used twice, so
  /// P(x² ≤ t) = √t (two draws would give a different law).
  @Test func oneDrawUsedTwice() throws {
    let s = try scenes("""
          let x = uniform(-1.0, 1.0)
          ego e = Box at (x * x * 1m, 0m, 0m)
      """)
    let xs = s.map { $0.actors[0].position.x }
    #expect(xs.allSatisfy { $0 >= 0 && $0 <= 1 })
    let square: (Double) -> Double = { t in min(1, max(0, t)).squareRoot() }
    #expect(ks(xs, square))
  }

  /// test_reproducibility, test_specifier_order, test_reproducibility_3d: the same seed gives
  /// the same scenes, with random yaw, pitch and roll, an offset placement and a requirement
  /// that rejects most attempts.
  @Test func sameSeedSameScenes() throws {
    let body = """
          ego e = Box at (0m, 0m, 0m)
          let a = Box offset by (0m, 3m, 0m) facing uniform(0deg, 360deg)
          let b = Box within ball((0m, 0m, 5m), 3m) facing (uniform(0deg, 360deg), uniform(0deg, 360deg), uniform(0deg, 360deg))
          param foo: Int = one_of(1, 4, 9, 16, 25, 36)
          let x = uniform(0.0, 1.0)
          require x > 0.8
      """
    let first = try scenes(body, count: 20, seed: 41), again = try scenes(body, count: 20, seed: 41)
    #expect(SamplerSupport.lines(first) == SamplerSupport.lines(again))
    #expect(first.map(\.attempts) == again.map(\.attempts))
    let other = try scenes(body, count: 20, seed: 42)
    #expect(SamplerSupport.lines(first) != SamplerSupport.lines(other))
  }
}
