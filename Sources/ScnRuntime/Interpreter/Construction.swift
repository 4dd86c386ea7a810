import ScnGeometry
import ScnIR
import ScnSource
import ScnUnits

/// `Type { fields } specifiers`: explicit fields, then the type's defaults for the rest,
/// then the specifiers, which set `position` and `heading`.
///
/// Placement rules (see the README of this folder): `at P` puts the bottom centre at P;
/// `on R`/`within R` draw it on a surface or in a volume; `ahead of`/`behind`/`left of`/
/// `right of X by D` offset it from X's position in X's frame, and consecutive offsets
/// from the same X add up (`ahead of car by 10m left of car by 2m`). Without `facing`, an
/// actor placed relative to X takes X's heading. `facing toward P` is applied after the
/// position is known.
enum Construction {
  private enum Spec {
    case at(Eval)
    case facing(Eval)
    case toward(Eval)
    case relative(Eval, forward: Eval?, left: Eval?, forwardSign: Double, leftSign: Double)
    case on(Eval, slot: Int, volume: Bool)
    case behavior(Eval)
  }

  /// A `Camera`/`Lidar` setting checked against `SensorLimits` when drawn (a constant one
  /// the checker has already checked), so a random resolution or fov out of range stops
  /// the run at that field instead of failing later in the renderer without a location.
  private static func sensorChecked(_ eval: @escaping Eval, type: String, field: String, range: SourceRange) -> Eval {
    guard SensorLimits.problem(type: type, field: field, numbers: [.nan, .nan]) != nil
      || SensorLimits.problem(type: type, field: field, numbers: [.nan]) != nil
    else { return eval }
    return { ctx throws(RuntimeError) in
      let v = try eval(ctx)
      let numbers: [Double]
      switch v {
      case .int, .real: numbers = [v.asDouble]
      case .tuple(let xs), .list(let xs): numbers = xs.map(\.asDouble)
      default: return v
      }
      if let problem = SensorLimits.problem(type: type, field: field, numbers: numbers) {
        throw RuntimeError(.badSensorSetting, problem, at: range)
      }
      return v
    }
  }

  static func compile(type name: String, fields: [IRExpr.FieldInit], specifiers: [IRSpecifier],
                      compiler: ExprCompiler, range: SourceRange) -> Eval
  {
    guard let typeIndex = compiler.typeIndex[name] else {
      return { _ throws(RuntimeError) in throw RuntimeError(.unsupported, "unknown type '\(name)'", at: range) }
    }
    let layout = compiler.types[typeIndex]
    let defaults = compiler.defaults[typeIndex]
    let explicit: [(index: Int, eval: Eval)] = fields.compactMap { f in
      layout.fieldIndex[f.name].map { ($0, sensorChecked(compiler.compile(f.value), type: name, field: f.name, range: f.value.range)) }
    }
    var givenFields = Array(repeating: false, count: layout.fieldNames.count)
    for e in explicit { givenFields[e.index] = true }
    let given = givenFields
    // `on R` modifies the position when another specifier gives it (Scenic's rule).
    let onModifies = specifiers.contains { s in
      switch s {
      case .at, .relative, .within: true
      default: false
      }
    }
    let specs: [Spec] = specifiers.map { s in
      switch s {
      case .at(let p): .at(compiler.compile(p))
      case .facing(let a): .facing(compiler.compile(a))
      case .facingToward(let p): .toward(compiler.compile(p))
      case .relative(let ref, let f, let l, let fs, let ls):
        .relative(compiler.compile(ref), forward: f.map(compiler.compile), left: l.map(compiler.compile),
                  forwardSign: Double(fs), leftSign: Double(ls))
      case .on(let r, let site): .on(compiler.compile(r), slot: compiler.slot(for: site), volume: false)
      case .within(let r, let site): .on(compiler.compile(r), slot: compiler.slot(for: site), volume: true)
      case .behavior(let b): .behavior(compiler.compile(b))
      }
    }
    // Each field's value comes from the constructor, from a constant default fixed here,
    // or from a default that draws or reads something and runs each time.
    enum Source { case constant(Value), evaluated(Eval), missing }
    let irFields = compiler.program.types[typeIndex].fields
    var sources: [Source] = Array(repeating: .missing, count: layout.fieldNames.count)
    for i in sources.indices where !given[i] {
      if i < irFields.count, let d = irFields[i].defaultValue, case .constant(let v) = d.kind {
        sources[i] = .constant(ExprCompiler.value(v))
      } else if let d = defaults[i] {
        sources[i] = .evaluated(d)
      }
    }
    for e in explicit { sources[e.index] = .evaluated(e.eval) }
    let fieldSources = sources
    return { ctx throws(RuntimeError) in
      var values: [Value] = []
      values.reserveCapacity(fieldSources.count)
      for source in fieldSources {
        switch source {
        case .constant(let v): values.append(v)
        case .evaluated(let e): values.append(try e(ctx))
        case .missing: values.append(.void)
        }
      }
      var position = layout.position >= 0 ? values[layout.position].asVector : .zero
      var heading = layout.heading >= 0 ? values[layout.heading].asDouble : 0
      var headingSet = false
      var inheritedHeading: Double?
      var relativeBase: (record: Int, offset: Vec3)?
      var toward: Vec3?
      var behavior: BehaviorCall?
      var projection: Region?
      let size = layout.size >= 0 ? values[layout.size].asVector : .zero
      for spec in specs {
        switch spec {
        case .at(let p):
          position = try p(ctx).asVector
          relativeBase = nil
        case .facing(let a):
          heading = try a(ctx).asDouble
          headingSet = true
          toward = nil
        case .toward(let p):
          toward = try p(ctx).asVector
          headingSet = true
        case .relative(let ref, let forward, let left, let fs, let ls):
          guard case .record(let r) = try ref(ctx), ctx.records.indices.contains(r) else {
            throw RuntimeError(.unsupported, "a relative position needs an actor to measure from", at: range)
          }
          let reference = ctx.records[r]
          var f = try forward.map { (e: Eval) throws(RuntimeError) -> Double in try e(ctx).asDouble } ?? 0
          var l = try left.map { (e: Eval) throws(RuntimeError) -> Double in try e(ctx).asDouble } ?? 0
          if forward == nil, left == nil {
            // No `by`: touching (half of each footprint along the offset's axis).
            if fs != 0 { f = (reference.size.x + size.x) / 2 }
            if ls != 0 { l = (reference.size.y + size.y) / 2 }
          }
          var offset = Vec3(f * fs, l * ls, 0)
          if let base = relativeBase, base.record == r { offset += base.offset }
          relativeBase = (r, offset)
          position = reference.position + Quaternion(yaw: reference.heading).rotate(offset)
          inheritedHeading = reference.heading
        case .on(let region, let slot, let volume):
          guard case .region(let shape) = try region(ctx) else {
            throw RuntimeError(.unsupported, "expected a region", at: range)
          }
          if onModifies, !volume {
            projection = shape
            continue
          }
          let point = try ctx.withStream(slot) { (stream: inout RandomStream) -> Vec3? in
            volume ? shape.sampleVolume(using: &stream) : shape.sampleSurface(using: &stream)
          }
          guard let point else {
            throw RuntimeError(.badRegion, "cannot place an actor \(volume ? "within" : "on") this region: it is empty or degenerate", at: range)
          }
          position = point
          relativeBase = nil
        case .behavior(let b):
          if case .behavior(let call) = try b(ctx) { behavior = call }
        }
      }
      if let surface = projection {
        if let p = surface.projectOntoSurface(position) {
          position = p
        } else if ctx.placementMiss == nil {
          ctx.placementMiss = range
        }
      }
      if let target = toward {
        let d = target - position
        heading = d.x == 0 && d.y == 0 ? heading : atan2Double(d.y, d.x)
      } else if !headingSet, let inherited = inheritedHeading {
        heading = inherited
      }
      if layout.position >= 0 { values[layout.position] = .vector(position) }
      if layout.heading >= 0 { values[layout.heading] = .real(heading) }
      let index = try ctx.addRecord(Record(typeIndex: typeIndex, fields: values, behavior: behavior,
                                           position: position, heading: heading, size: size,
                                           definition: ctx.currentDefinition, cachedParts: nil, cachedBounds: nil),
                                    at: range)
      return .record(index)
    }
  }
}
