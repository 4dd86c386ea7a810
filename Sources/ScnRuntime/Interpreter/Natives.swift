import ScnGeometry
import ScnScene
import ScnIR
import ScnMap
import ScnSource

/// The StdLib's `native fn`s and the checker's generic built-ins (`len`, `abs`, `min`,
/// `max`, `sqrt`, `atan2`, `floor`, `ceil`, `round`, `div`, and `slice` for `xs[lo:hi]`), resolved by name when the program is compiled.
enum Natives {
  /// The position, heading, pitch and roll of an oriented point value
  /// `(position, heading, pitch, roll)`.
  static func orientedPoint(_ v: Value) -> (Vec3, Double, Double, Double)? {
    guard case .tuple(let xs) = v, xs.count == 4, case .vector(let p) = xs[0] else { return nil }
    var angles: [Double] = []
    for x in xs[1...] {
      switch x {
      case .real(let a): angles.append(a)
      case .int(let a): angles.append(Double(a))
      default: return nil
      }
    }
    return (p, angles[0], angles[1], angles[2])
  }

  /// `x` (already a whole number) as an Int, or nil when it is not finite or out of range.
  static func wholeNumber(_ x: Double) -> Int64? {
    guard x.isFinite, x >= -9.223_372_036_854_775_808e18, x < 9.223_372_036_854_775_808e18 else { return nil }
    return Int64(x)
  }

  static func compile(_ name: String, _ args: [Eval], argTypes: [IRType], compiler: ExprCompiler,
                      range: SourceRange) -> Eval
  {
    @Sendable func arg(_ ctx: Context, _ i: Int) throws(RuntimeError) -> Value {
      guard i < args.count else { throw RuntimeError(.unsupported, "\(name): missing argument \(i + 1)", at: range) }
      return try args[i](ctx)
    }
    @Sendable func record(_ ctx: Context, _ i: Int) throws(RuntimeError) -> Record {
      try ExprCompiler.record(try arg(ctx, i), ctx, range)
    }
    /// Position and heading of an actor argument, read in place (no copy of the record).
    @Sendable func pose(_ ctx: Context, _ i: Int) throws(RuntimeError) -> (Vec3, Double) {
      let v = try arg(ctx, i)
      if let p = Natives.orientedPoint(v) { return (p.0, p.1) }
      guard case .record(let r) = v, r >= 0, r < ctx.records.count else {
        throw RuntimeError(.unsupported, "\(name): expected an actor", at: range)
      }
      return (ctx.records[r].position, ctx.records[r].heading)
    }
    /// The position of an actor argument, or a position argument itself.
    @Sendable func point(_ ctx: Context, _ i: Int) throws(RuntimeError) -> Vec3 {
      switch try arg(ctx, i) {
      case .record(let r) where r >= 0 && r < ctx.records.count: return ctx.records[r].position
      case .vector(let p): return p
      case let v:
        if let p = Natives.orientedPoint(v) { return p.0 }
        throw RuntimeError(.unsupported, "\(name): expected an actor or a position", at: range)
      }
    }
    @Sendable func regionArg(_ ctx: Context, _ i: Int) throws(RuntimeError) -> Region {
      guard case .region(let r) = try arg(ctx, i) else { throw RuntimeError(.unsupported, "\(name): expected a region", at: range) }
      return r
    }
    @Sendable func badRegion(_ message: String) -> RuntimeError { RuntimeError(.badRegion, message, at: range) }
    let types = compiler.types
    switch name {
    case "len":
      return { ctx throws(RuntimeError) in .int(Int64(try arg(ctx, 0).asList.count)) }
    case "abs":
      return { ctx throws(RuntimeError) in
        switch try arg(ctx, 0) {
        case .int(let i):
          guard i != .min else { throw RuntimeError(.arithmetic, "integer overflow", at: range) }
          return .int(abs(i))
        case let v: return .real(abs(v.asDouble))
        }
      }
    case "sqrt":
      return { ctx throws(RuntimeError) in
        let x = try arg(ctx, 0).asDouble
        guard x >= 0 else { throw RuntimeError(.arithmetic, "sqrt of a negative number (\(x))", at: range) }
        return .real(x.squareRoot())
      }
    case "min", "max":
      let isMin = name == "min"
      return { ctx throws(RuntimeError) in
        var best = try arg(ctx, 0)
        for i in 1..<max(args.count, 1) {
          let v = try arg(ctx, i)
          let better = Operators.compare(isMin ? .lt : .gt, v, best, records: ctx.records)
          if better { best = v }
        }
        return best
      }
    case "min_of_list", "max_of_list":
      // `max(xs)` / `min(xs)` of a list of numbers (Scenic's `max(*xs)`); empty is E0541.
      let isMin = name == "min_of_list"
      return { ctx throws(RuntimeError) in
        let xs = try arg(ctx, 0).asList
        guard var best = xs.first else {
          throw RuntimeError(.emptyList, "\(isMin ? "min" : "max") of an empty list", at: range)
        }
        for v in xs.dropFirst() where Operators.compare(isMin ? .lt : .gt, v, best, records: ctx.records) { best = v }
        return best
      }
    case "atan2":
      return { ctx throws(RuntimeError) in .real(atan2Double(try arg(ctx, 0).asDouble, try arg(ctx, 1).asDouble)) }
    case "floor", "ceil", "round":
      let rule: FloatingPointRoundingRule = name == "floor" ? .down : name == "ceil" ? .up : .toNearestOrEven
      return { ctx throws(RuntimeError) in
        let x = try arg(ctx, 0).asDouble
        guard let k = Natives.wholeNumber(x.rounded(rule)) else {
          throw RuntimeError(.arithmetic, "\(name)(\(x)) is outside the Int range", at: range)
        }
        return .int(k)
      }
    case "div":
      // Whole-number division rounding toward -infinity (Python's `//`).
      return { ctx throws(RuntimeError) in
        switch (try arg(ctx, 0), try arg(ctx, 1)) {
        case (.int(let a), .int(let b)):
          guard b != 0 else { throw RuntimeError(.divisionByZero, "div by zero", at: range) }
          guard !(a == .min && b == -1) else { throw RuntimeError(.arithmetic, "integer overflow", at: range) }
          let q = a / b
          return .int((a % b != 0) && ((a < 0) != (b < 0)) ? q - 1 : q)
        case (let a, let b):
          let y = b.asDouble
          guard y != 0 else { throw RuntimeError(.divisionByZero, "div by zero", at: range) }
          let x = a.asDouble
          guard let k = Natives.wholeNumber((x / y).rounded(.down)) else {
            throw RuntimeError(.arithmetic, "div(\(x), \(y)) is outside the Int range", at: range)
          }
          return .int(k)
        }
      }
    case "slice":
      // `xs[lo:hi]` as in Python: negative bounds count from the end, bounds are clamped.
      return { ctx throws(RuntimeError) in
        let xs = try arg(ctx, 0).asList
        let n = Int64(xs.count)
        func clamp(_ k: Int64) -> Int { Int(k < 0 ? max(0, n &+ k) : min(k, n)) }
        let lo = clamp(try arg(ctx, 1).asInt), hi = clamp(try arg(ctx, 2).asInt)
        guard hi > lo else { return .list([]) }
        try ctx.reserveElements(hi - lo, at: range)
        return .list(Array(xs[lo..<hi]))
      }
    case "relative_heading":
      // X's heading relative to Y's, in (-180deg, 180deg].
      @Sendable func heading(_ ctx: Context, _ i: Int) throws(RuntimeError) -> Double {
        switch try arg(ctx, i) {
        case .record(let r) where r >= 0 && r < ctx.records.count: return ctx.records[r].heading
        case let v: return Natives.orientedPoint(v)?.1 ?? v.asDouble
        }
      }
      return { ctx throws(RuntimeError) in .real(wrapAngle(try heading(ctx, 0) - (try heading(ctx, 1)))) }
    case "apparent_heading":
      // X's heading relative to the line of sight from P to X.
      return { ctx throws(RuntimeError) in
        let x = try pose(ctx, 0), p = try point(ctx, 1)
        let d = x.0 - p
        return .real(wrapAngle(x.1 - atan2Double(d.y, d.x)))
      }
    case "angle_from_to":
      return { ctx throws(RuntimeError) in
        let d = try point(ctx, 1) - (try point(ctx, 0))
        return .real(atan2Double(d.y, d.x))
      }
    case "distance_from_to":
      return { ctx throws(RuntimeError) in .real((try point(ctx, 1) - (try point(ctx, 0))).length) }
    case "distance_past":
      // How far X lies ahead of Y along Y's heading (negative behind it).
      return { ctx throws(RuntimeError) in
        let x = try point(ctx, 0), y = try pose(ctx, 1)
        let d = x - y.0
        return .real(d.x * y.1.cosine + d.y * y.1.sine)
      }
    case let n where n.hasPrefix("box_point_"):
      // A face centre or corner of an actor's box, at its bottom (`top`: at its top), in
      // its full frame.
      let which = String(n.dropFirst("box_point_".count))
      let forward: Double = which.hasPrefix("front") ? 1 : which.hasPrefix("back") ? -1 : 0
      let left: Double = which.hasSuffix("left") ? 1 : which.hasSuffix("right") ? -1 : 0
      let up: Double = which == "top" ? 1 : 0
      return { ctx throws(RuntimeError) in
        guard case .record(let r) = try arg(ctx, 0), ctx.records.indices.contains(r) else {
          throw RuntimeError(.unsupported, "\(name): expected an actor", at: range)
        }
        let rec = ctx.records[r]
        let local = Vec3(forward * rec.size.x / 2, left * rec.size.y / 2, up * rec.size.z)
        return .vector(rec.position + rec.rotation.rotate(local))
      }
    case "sin": return { ctx throws(RuntimeError) in .real(try arg(ctx, 0).asDouble.sine) }
    case "cos": return { ctx throws(RuntimeError) in .real(try arg(ctx, 0).asDouble.cosine) }
    case "sim_time": return { ctx throws(RuntimeError) in .real(ctx.simulationTime) }
    case "global_var":
      // A mutable global: its value in this simulation, the initial value until assigned.
      return { ctx throws(RuntimeError) in
        guard case .string(let key) = try arg(ctx, 0) else {
          throw RuntimeError(.unsupported, "global_var: malformed arguments", at: range)
        }
        if let v = ctx.globalVariables[key] { return v }
        return try arg(ctx, 1)
      }
    case "distance":
      return { ctx throws(RuntimeError) in .real((try pose(ctx, 0).0 - (try pose(ctx, 1).0)).length) }
    case "angle_to":
      return { ctx throws(RuntimeError) in
        let a = try pose(ctx, 0), b = try pose(ctx, 1)
        let d = b.0 - a.0
        return .real(wrapAngle(atan2Double(d.y, d.x) - a.1))
      }
    case "overlaps", "collided":
      // `collided` asks whether two actors have touched at any step so far; at time 0
      // that is whether they overlap now.
      let isCollided = name == "collided"
      return { ctx throws(RuntimeError) in
        if isCollided, let pairs = ctx.collidedPairs,
          case .record(let i) = try arg(ctx, 0), case .record(let j) = try arg(ctx, 1)
        {
          let key = SIMD2<Int32>(Int32(truncatingIfNeeded: min(i, j)), Int32(truncatingIfNeeded: max(i, j)))
          return .bool(pairs.contains(key))
        }
        let a = try record(ctx, 0), b = try record(ctx, 1)
        return .bool(Geometry.partsOverlap(Geometry.worldParts(of: a, type: types[a.typeIndex]),
                                           Geometry.worldParts(of: b, type: types[b.typeIndex])))
      }
    case "visible", "occlusion", "lidar_points":
      return { ctx throws(RuntimeError) in
        guard case .record(let target) = try arg(ctx, 0), case .record(let sensor) = try arg(ctx, 1),
          ctx.records.indices.contains(target), ctx.records.indices.contains(sensor)
        else { throw RuntimeError(.unsupported, "\(name): expected an actor and a sensor", at: range) }
        let result = SensorQueries.query(target: target, sensor: sensor, ctx: ctx, types: types)
        switch name {
        case "visible": return .bool(result.visible)
        case "occlusion": return .real(result.occlusion)
        default: return .int(Int64(result.lidarPoints))
        }
      }
    case "rect":
      return { ctx throws(RuntimeError) in
        let c = try arg(ctx, 0).asVector, w = try arg(ctx, 1).asDouble, l = try arg(ctx, 2).asDouble
        guard w >= 0, l >= 0 else { throw badRegion("rect: width and length must be ≥ 0, got \(w) and \(l)") }
        return .region(.rect(center: c, halfLength: l / 2, halfWidth: w / 2, yaw: 0))
      }
    case "polygon":
      return { ctx throws(RuntimeError) in
        let points = try arg(ctx, 0).asList.map(\.asVector)
        guard let shape = PolygonShape(points: points) else {
          throw badRegion("polygon: needs at least 3 corners enclosing an area without crossing itself")
        }
        return .region(.polygon(shape))
      }
    case "cuboid":
      return { ctx throws(RuntimeError) in
        let c = try arg(ctx, 0).asVector, s = try arg(ctx, 1).asVector
        guard s.minComponent >= 0 else { throw badRegion("cuboid: size must not be negative") }
        return .region(.cuboid(center: c, halfExtents: s / 2))
      }
    case "room":
      return { ctx throws(RuntimeError) in
        let c = try arg(ctx, 0).asVector, s = try arg(ctx, 1).asVector
        guard s.minComponent > 0, s.x.isFinite, s.y.isFinite, s.z.isFinite else {
          throw badRegion("room: every side of the size must be positive and finite")
        }
        return .region(.room(center: c, halfExtents: s / 2))
      }
    case "top_of":
      return { ctx throws(RuntimeError) in
        let r = try record(ctx, 0)
        return .region(.rect(center: r.position + Vec3(0, 0, r.size.z), halfLength: r.size.x / 2, halfWidth: r.size.y / 2,
                             yaw: r.heading))
      }
    case "inset":
      return { ctx throws(RuntimeError) in
        let r = try regionArg(ctx, 0), margin = try arg(ctx, 1).asDouble
        guard margin >= 0 else { throw badRegion("inset: margin must be ≥ 0, got \(margin)") }
        guard let shrunk = r.inset(by: margin) else { throw badRegion("inset: a margin of \(margin) m leaves nothing of the region") }
        return .region(shrunk)
      }
    case "circle", "sector", "oriented_rect", "oriented_cuboid", "ball", "polygon_with_holes", "polyline",
      "union", "intersect", "difference":
      return RegionNatives.compile(name, arg: arg, regionArg: regionArg, badRegion: badRegion)
    case "can_see", "in_workspace":
      return ViewNatives.compile(name, arg: arg, types: types, range: range)
    case "arc":
      return { ctx throws(RuntimeError) in
        let radius = try arg(ctx, 0).asDouble, turn = try arg(ctx, 1).asDouble
        guard radius > 0 else { throw badRegion("arc: radius must be > 0, got \(radius)") }
        return .tuple([.real(radius * abs(turn)), .real(turn)])
      }
    case "road":
      return { ctx throws(RuntimeError) in
        let start = try arg(ctx, 0).asVector, heading = try arg(ctx, 1).asDouble
        let pieces = try arg(ctx, 2).asList.map { s in (s.asList.first?.asDouble ?? 0, s.asList.dropFirst().first?.asDouble ?? 0) }
        let lanes = try arg(ctx, 3).asInt, width = try arg(ctx, 4).asDouble
        guard lanes >= 1, width > 0 else { throw badRegion("road: needs at least one lane of positive width") }
        let total = Double(lanes) * width
        guard let shape = RoadShape(start: start, heading: heading, pieces: pieces, width: total, lanes: Int(lanes)) else {
          throw badRegion("road: every segment needs a positive length")
        }
        return .region(.road(shape, lateral: (-total / 2)...(total / 2)))
      }
    case "sidewalk":
      return { ctx throws(RuntimeError) in
        guard case .road(let shape, _) = try regionArg(ctx, 0), shape.sidewalk == nil else {
          throw badRegion("sidewalk: expected a road built by road(...)")
        }
        let gap = try arg(ctx, 1).asDouble, width = try arg(ctx, 2).asDouble
        guard gap >= 0, gap.isFinite else { throw badRegion("sidewalk: gap must be ≥ 0, got \(gap)") }
        guard width > 0, width.isFinite else { throw badRegion("sidewalk: width must be > 0, got \(width)") }
        let (raised, band) = shape.sidewalk(gap: gap, width: width, kerbHeight: RoadShape.kerbHeight)
        return .region(.road(raised, lateral: band))
      }
    case "following":
      return { ctx throws(RuntimeError) in
        guard case .field(let field) = try arg(ctx, 0) else {
          throw RuntimeError(.unsupported, "following: expected a heading field", at: range)
        }
        let start = try point(ctx, 1), distance = try arg(ctx, 2).asDouble
        return .vector(try field.follow(from: start, distance: distance, ctx, range: range))
      }
    case "signal_timing":
      return { ctx throws(RuntimeError) in
        guard case .map(var m) = try regionArg(ctx, 0) else {
          throw badRegion("signal_timing: expected a map of map(...)")
        }
        let green = try arg(ctx, 1).asDouble, yellow = try arg(ctx, 2).asDouble
        let allRed = try arg(ctx, 3).asDouble, offset = try arg(ctx, 4).asDouble
        for (name, x, positive) in [("green", green, true), ("yellow", yellow, false), ("all_red", allRed, false)] {
          guard x.isFinite, positive ? x > 0 : x >= 0, x <= 3600 else {
            throw RuntimeError(.badSignalTiming,
                               "signal_timing: \(name) must be \(positive ? "> 0 s" : "≥ 0 s") and at most 3600 s, got \(x) s", at: range)
          }
        }
        guard offset.isFinite, abs(offset) <= 1e6 else {
          throw RuntimeError(.badSignalTiming, "signal_timing: offset must be a finite time within ±1e6 s, got \(offset) s", at: range)
        }
        m.timing = SignalTiming(green: green, yellow: yellow, allRed: allRed, offset: offset)
        return .region(.map(m))
      }
    case "stop_line":
      return { ctx throws(RuntimeError) in
        guard case .road(let shape, let lateral) = try regionArg(ctx, 0), shape.sidewalk == nil else {
          throw badRegion("stop_line: expected a road built by road(...)")
        }
        let at = try arg(ctx, 1).asDouble
        guard at >= 0, at <= shape.totalLength else {
          throw badRegion("stop_line: the station must lie on the road (0 m … \(shape.totalLength) m), got \(at) m")
        }
        return .region(.road(shape.withStopLine(at: at), lateral: lateral))
      }
    case "crossing":
      return { ctx throws(RuntimeError) in
        guard case .road(let shape, let lateral) = try regionArg(ctx, 0), shape.sidewalk == nil else {
          throw badRegion("crossing: expected a road built by road(...)")
        }
        let at = try arg(ctx, 1).asDouble, width = try arg(ctx, 2).asDouble
        guard width > 0, width.isFinite else { throw badRegion("crossing: width must be > 0, got \(width) m") }
        guard at - width / 2 >= 0, at + width / 2 <= shape.totalLength else {
          throw badRegion("crossing: the crossing (\(at) m ± \(width / 2) m) must lie on the road (0 m … \(shape.totalLength) m)")
        }
        return .region(.road(shape.withCrossing((at - width / 2)...(at + width / 2)), lateral: lateral))
      }
    case "lane":
      return { ctx throws(RuntimeError) in
        guard case .road(let shape, _) = try regionArg(ctx, 0), shape.sidewalk == nil else { throw badRegion("lane: expected a road") }
        let index = try arg(ctx, 1).asInt
        guard index >= 0, index < Int64(shape.lanes) else {
          throw RuntimeError(.indexOutOfRange, "lane \(index) does not exist: the road has \(shape.lanes) lane\(shape.lanes == 1 ? "" : "s") (0…\(shape.lanes - 1))", at: range)
        }
        let w = shape.width / Double(shape.lanes)
        let lo = -shape.width / 2 + Double(index) * w
        return .region(.road(shape, lateral: lo...(lo + w)))
      }
    default:
      return { _ throws(RuntimeError) in
        throw RuntimeError(.unsupported, "native function '\(name)' is not implemented by this runtime", at: range)
      }
    }
  }
}

/// Sensor queries at time 0 through the context's visibility model.
enum SensorQueries {
  static func query(target: Int, sensor: Int, ctx: Context, types: [CompiledType]) -> VisibilityResult {
    let s = ctx.records[sensor]
    let sType = types[s.typeIndex]
    let pose = SensorPose.of(s, type: sType, records: ctx.records)
    // A sensor never sees the actor it is mounted on.
    if target == pose.mount { return VisibilityResult(visible: false, occlusion: 1, lidarPoints: 0) }
    let t = ctx.records[target]
    let parts = cachedShapes(target, ctx, types)
    var occluders: [Part] = []
    for i in ctx.records.indices where i != target && i != pose.mount && i != sensor && !types[ctx.records[i].typeIndex].isSensor {
      occluders += cachedShapes(i, ctx, types)
    }
    occluders += TrafficLights.occluders(ctx, near: pose.position, within: pose.maxRange)
    let rotation = t.rotation
    let bounds = OrientedBox(center: t.position + rotation.rotate(Vec3(0, 0, t.size.z / 2)), halfExtents: t.size / 2,
                             rotation: rotation)
    let resolution = sType.horizontalResolution >= 0 ? s.field(sType.horizontalResolution).asDouble : nil
    let channels = sType.channels >= 0 ? Int(s.field(sType.channels).asInt) : nil
    return ctx.visibility.query(target: parts, bounds: bounds, sensor: pose, occluders: occluders,
                                horizontalResolution: resolution, channels: channels)
  }

  /// The record's parts placed in the world (`Geometry.worldParts`), built once per record.
  static func cachedShapes(_ i: Int, _ ctx: Context, _ types: [CompiledType]) -> [Part] {
    if let p = ctx.records[i].cachedShapes { return p }
    let p = Geometry.worldParts(of: ctx.records[i], type: types[ctx.records[i].typeIndex])
    ctx.records[i].cachedShapes = p
    return p
  }

  static func cachedParts(_ i: Int, _ ctx: Context, _ types: [CompiledType]) -> [OrientedBox] {
    if let p = ctx.records[i].cachedParts { return p }
    let p = cachedShapes(i, ctx, types).map(\.box)
    ctx.records[i].cachedParts = p
    return p
  }

  /// The axis-aligned bounds of each part, for a cheap test before the separating-axis one.
  static func cachedBounds(_ i: Int, _ ctx: Context, _ types: [CompiledType]) -> [AABB] {
    if let b = ctx.records[i].cachedBounds { return b }
    let b = cachedParts(i, ctx, types).map(\.bounds)
    ctx.records[i].cachedBounds = b
    return b
  }
}
