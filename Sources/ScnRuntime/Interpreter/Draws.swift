import ScnIR
import ScnSource

/// Random draws: each site reads its own stream, so a draw inside a comprehension takes the
/// next words of that stream on every iteration. A site the coverage-guided mode conditions
/// draws from the law restricted to the target bucket and records that bucket's natural
/// probability for the importance weight.
enum Draws {
  static func fail(_ e: DistributionError, _ range: SourceRange) -> RuntimeError {
    RuntimeError(.badDistributionArgument, e.message, at: range)
  }

  /// `constants[i]` is argument i's value when it is a constant number, so the common
  /// `uniform(0m, 10m)` builds its law once, here, instead of on every draw.
  static func compile(_ d: IRDistribution, slot: Int, args: [Eval], argTypes: [IRType], constants: [Double?],
                      resultType: IRType, range: SourceRange) -> Eval
  {
    @Sendable func arg(_ ctx: Context, _ i: Int) throws(RuntimeError) -> Value {
      guard i < args.count else { throw RuntimeError(.unsupported, "\(d.rawValue): missing argument \(i + 1)", at: range) }
      return try args[i](ctx)
    }
    switch d {
    case .uniform, .normal, .truncnormal, .lognormal:
      let isInt = resultType == .int
      let a0 = args.count > 0 ? args[0] : nil, a1 = args.count > 1 ? args[1] : nil
      let a2 = args.count > 2 ? args[2] : nil, a3 = args.count > 3 ? args[3] : nil
      @Sendable func p(_ e: Eval?, _ ctx: Context) throws(RuntimeError) -> Double {
        guard let e else { throw RuntimeError(.unsupported, "\(d.rawValue): missing argument", at: range) }
        return try e(ctx).asDouble
      }
      /// The law with its parameters; built per draw because parameters may be random.
      @Sendable func law(_ ctx: Context) throws(RuntimeError) -> any ContinuousDistribution {
        let x0 = try p(a0, ctx), x1 = try p(a1, ctx)
        let x2 = d == .truncnormal ? try p(a2, ctx) : 0, x3 = d == .truncnormal ? try p(a3, ctx) : 0
        do throws(DistributionError) {
          switch d {
          case .uniform: return try UniformDistribution(lower: x0, upper: x1)
          case .normal: return try NormalDistribution(mean: x0, sd: x1)
          case .truncnormal: return try TruncatedNormalDistribution(mean: x0, sd: x1, lower: x2, upper: x3)
          default: return try LogNormalDistribution(mu: x0, sigma: x1)
          }
        } catch { throw fail(error, range) }
      }
      var fixedUniform: UniformDistribution?
      var fixedNormal: NormalDistribution?
      if constants.count == 2, let c0 = constants[0], let c1 = constants[1] {
        if d == .uniform { fixedUniform = try? UniformDistribution(lower: c0, upper: c1) }
        if d == .normal { fixedNormal = try? NormalDistribution(mean: c0, sd: c1) }
      }
      let constantUniform = fixedUniform, constantNormal = fixedNormal
      /// The common unguided uniform and normal draws, without boxing the law.
      @Sendable func fast(_ ctx: Context) throws(RuntimeError) -> Double? {
        if let u = constantUniform {
          return try ctx.withStream(slot) { (stream: inout RandomStream) -> Double in u.sample(using: &stream) }
        }
        if let n = constantNormal {
          return try ctx.withStream(slot) { (stream: inout RandomStream) -> Double in n.sample(using: &stream) }
        }
        switch d {
        case .uniform:
          let lo = try p(a0, ctx), hi = try p(a1, ctx)
          let u: UniformDistribution
          do throws(DistributionError) { u = try UniformDistribution(lower: lo, upper: hi) } catch { throw fail(error, range) }
          return try ctx.withStream(slot) { (stream: inout RandomStream) throws(RuntimeError) -> Double in u.sample(using: &stream) }
        case .normal:
          let m = try p(a0, ctx), sd = try p(a1, ctx)
          let n: NormalDistribution
          do throws(DistributionError) { n = try NormalDistribution(mean: m, sd: sd) } catch { throw fail(error, range) }
          return try ctx.withStream(slot) { (stream: inout RandomStream) throws(RuntimeError) -> Double in n.sample(using: &stream) }
        default: return nil
        }
      }
      return { ctx throws(RuntimeError) in
        if ctx.conditions[slot] == nil, let x = try fast(ctx) { return isInt ? .int(Value.clampedInt(x)) : .real(x) }
        let distribution = try law(ctx)
        let x: Double = try ctx.withStream(slot) { (stream: inout RandomStream) throws(RuntimeError) -> Double in
          if case .interval(let lo, let hi)? = ctx.conditions[slot] {
            ctx.conditionedProbability[slot] = distribution.probability(lower: lo, upper: hi)
            do throws(DistributionError) {
              return try distribution.conditionalSample(lower: lo, upper: hi, using: &stream)
            } catch { throw fail(error, range) }
          }
          return distribution.sample(using: &stream)
        }
        return isInt ? .int(Value.clampedInt(x)) : .real(x)
      }
    case .uniformInt:
      return { ctx throws(RuntimeError) in
        let a = try arg(ctx, 0).asInt, b = try arg(ctx, 1).asInt
        let law: UniformIntDistribution
        do throws(DistributionError) { law = try UniformIntDistribution(lower: Int(a), upper: Int(b)) } catch { throw fail(error, range) }
        return try ctx.withStream(slot) { (stream: inout RandomStream) throws(RuntimeError) -> Value in
          switch ctx.conditions[slot] {
          case .interval(let lo, let hi)?:
            // Integers k with lo ≤ k < hi.
            let first = Int(Value.clampedInt(lo.rounded(.up))), last = Int(Value.clampedInt(hi.rounded(.up) - 1))
            let lowest = max(first, law.lower), highest = min(last, law.upper)
            ctx.conditionedProbability[slot] = lowest <= highest ? (Double(highest) - Double(lowest) + 1) * law.probability(of: lowest) : 0
            guard first <= last else { throw fail(DistributionError(distribution: "uniform_int", parameter: "bucket", message: "uniform_int: bucket has no integers"), range) }
            do throws(DistributionError) { return .int(Int64(try law.conditionalSample(in: first...last, using: &stream))) } catch { throw fail(error, range) }
          case .values(let allowed)?:
            let ks = allowed.map { Int($0.asInt) }.sorted()
            ctx.conditionedProbability[slot] = ks.reduce(0.0) { $0 + law.probability(of: $1) }
            guard let k = ks.first, ks.count == 1 else {
              throw fail(DistributionError(distribution: "uniform_int", parameter: "bucket", message: "uniform_int: a bucket holds one value"), range)
            }
            do throws(DistributionError) { return .int(Int64(try law.conditionalSample(in: k...k, using: &stream))) } catch { throw fail(error, range) }
          case nil:
            return .int(Int64(law.sample(using: &stream)))
          }
        }
      }
    case .bernoulli:
      return { ctx throws(RuntimeError) in
        let p = try arg(ctx, 0).asDouble
        let law: BernoulliDistribution
        do throws(DistributionError) { law = try BernoulliDistribution(p: p) } catch { throw fail(error, range) }
        return try ctx.withStream(slot) { (stream: inout RandomStream) throws(RuntimeError) -> Value in
          if case .values(let allowed)? = ctx.conditions[slot], let outcome = allowed.first {
            ctx.conditionedProbability[slot] = law.probability(of: outcome.asBool)
            // The conditioned draw still consumes its word, so later words of this site's
            // stream line up with unguided sampling.
            _ = stream.nextDouble()
            do throws(DistributionError) { return .bool(try law.conditionalSample(outcome: outcome.asBool)) } catch { throw fail(error, range) }
          }
          return .bool(law.sample(using: &stream))
        }
      }
    case .oneOf:
      return { ctx throws(RuntimeError) in
        var items: [Value] = []
        for i in args.indices { items.append(try arg(ctx, i)) }
        return try ctx.withStream(slot) { (stream: inout RandomStream) throws(RuntimeError) -> Value in
          if case .values(let allowed)? = ctx.conditions[slot] {
            let indices = items.indices.filter { i in allowed.contains { Operators.equal($0, items[i]) } }
            ctx.conditionedProbability[slot] = Double(indices.count) / Double(max(items.count, 1))
            do throws(DistributionError) {
              let law = try CategoricalDistribution(weights: Array(repeating: 1, count: items.count))
              return items[try law.conditionalSample(allowed: indices, using: &stream)]
            } catch { throw fail(error, range) }
          }
          do throws(DistributionError) { return items[try Distributions.oneOf(count: items.count, using: &stream)] } catch { throw fail(error, range) }
        }
      }
    case .shuffle:
      return { ctx throws(RuntimeError) in
        let xs = try arg(ctx, 0).asList
        return try ctx.withStream(slot) { (stream: inout RandomStream) throws(RuntimeError) -> Value in
          do throws(DistributionError) { return .list(try Distributions.shuffle(count: xs.count, using: &stream).map { xs[$0] }) } catch { throw fail(error, range) }
        }
      }
    case .sample:
      return { ctx throws(RuntimeError) in
        let xs = try arg(ctx, 0).asList
        let k = try arg(ctx, 1).asInt
        guard k >= 0, k <= Int64(xs.count) else {
          throw RuntimeError(.badDistributionArgument, "sample: k must be in 0...\(xs.count) (the list's length), got \(k)", at: range)
        }
        return try ctx.withStream(slot) { (stream: inout RandomStream) throws(RuntimeError) -> Value in
          do throws(DistributionError) { return .list(try Distributions.sample(count: xs.count, k: Int(k), using: &stream).map { xs[$0] }) } catch { throw fail(error, range) }
        }
      }
    case .empirical:
      // `ExprCompiler.compileEmpirical` builds these draws from their constant arguments.
      return { _ throws(RuntimeError) in throw RuntimeError(.unsupported, "empirical: malformed arguments", at: range) }
    }
  }

  /// A `choice` alternative as the coverage-guided mode sees it.
  enum Alternative: Sendable {
    /// A constant.
    case value(Value)
    /// A continuous draw with constant arguments at `slot`.
    case law(any ContinuousDistribution, slot: Int)
    /// Anything else: the choice cannot be conditioned.
    case other
  }

  /// Whether every alternative is a constant or a continuous draw with constant arguments,
  /// so the choice can be drawn conditioned on a cover bucket.
  static func canCondition(_ shapes: [Alternative]) -> Bool {
    shapes.allSatisfy { if case .other = $0 { false } else { true } }
  }

  /// `choice { w: a, … }`. Conditioned on a bucket, alternative i is chosen with weight
  /// wᵢ·P(aᵢ in bucket) and, when it is itself a draw, drawn conditioned on the bucket too;
  /// P(bucket) = Σ wᵢ·P(aᵢ in bucket) / Σ wᵢ.
  static func choice(slot: Int, weights: [Eval], alternatives: [Eval], shapes: [Alternative], range: SourceRange) -> Eval {
    { ctx throws(RuntimeError) in
      var ws: [Double] = []
      for w in weights { ws.append(try w(ctx).asDouble) }
      if let condition = ctx.conditions[slot], shapes.count == alternatives.count, canCondition(shapes) {
        var masses: [Double] = []
        for shape in shapes {
          switch (shape, condition) {
          case (.value(let v), .interval(let lo, let hi)):
            let x = v.asDouble
            masses.append(x >= lo && x < hi ? 1 : 0)
          case (.value(let v), .values(let allowed)):
            masses.append(allowed.contains { Operators.equal($0, v) } ? 1 : 0)
          case (.law(let law, _), .interval(let lo, let hi)):
            masses.append(law.probability(lower: lo, upper: hi))
          default:
            masses.append(0)
          }
        }
        let adjusted = zip(ws, masses).map { $0 * $1 }
        let reach = adjusted.reduce(0, +), total = ws.reduce(0, +)
        guard reach > 0, total > 0 else {
          throw RuntimeError(.badCoverTarget, "choice: no alternative can land in the aimed-at cover bucket", at: range)
        }
        ctx.conditionedProbability[slot] = reach / total
        let law: CategoricalDistribution
        do throws(DistributionError) { law = try CategoricalDistribution(weights: adjusted) } catch { throw fail(error, range) }
        let index = try ctx.withStream(slot) { (stream: inout RandomStream) throws(RuntimeError) -> Int in law.sample(using: &stream) }
        guard alternatives.indices.contains(index) else { throw RuntimeError(.unsupported, "choice without alternatives", at: range) }
        if case .law(_, let inner) = shapes[index] {
          let saved = ctx.conditions[inner]
          ctx.conditions[inner] = condition
          defer { ctx.conditions[inner] = saved }
          return try alternatives[index](ctx)
        }
        return try alternatives[index](ctx)
      }
      let law: CategoricalDistribution
      do throws(DistributionError) { law = try CategoricalDistribution(weights: ws) } catch { throw fail(error, range) }
      let index = try ctx.withStream(slot) { (stream: inout RandomStream) throws(RuntimeError) -> Int in law.sample(using: &stream) }
      guard alternatives.indices.contains(index) else { throw RuntimeError(.unsupported, "choice without alternatives", at: range) }
      return try alternatives[index](ctx)
    }
  }
}
