import ScnGeometry
import ScnIR
import ScnSource
import ScnUnits

/// A heading field's value (docs/language-tour.md, "Heading fields"): an orientation at every
/// point of the plane, or at some of them. A map's `road_direction`, a user function of the
/// position (`heading_field(f)`), or either turned by a heading or by another field
/// (`H relative to F`, `F relative to G`).
public indirect enum HeadingField: Sendable, Equatable {
  /// A map's road direction: the heading of the lane under the point (or the nearest lane
  /// within 50 m); undefined further away.
  case map(MapLanes)
  /// `heading_field(f)`: the user function `f(p: Position) -> Angle` (a heading) or
  /// `-> (Angle, Angle, Angle)` (yaw, pitch, roll).
  case function(FieldFunction)
  /// `F relative to H` and `H relative to F`: F's orientation turned by the orientation H.
  case turned(HeadingField, by: FieldOrientation)
  /// `F relative to G`: F's orientation turned by G's at the same point.
  case composed(HeadingField, HeadingField)

  /// How the scene JSON names the field: `road_direction`, the function's name, or
  /// `relative` for a turned or composed field.
  var kindName: String {
    switch self {
    case .map: "road_direction"
    case .function(let f): f.name
    case .turned, .composed: "relative"
    }
  }

  /// The field's orientation at `p`; nil where the field is undefined (a map field far
  /// from every lane).
  func orientation(at p: Vec3, _ ctx: Context, range: SourceRange) throws(RuntimeError) -> FieldOrientation? {
    switch self {
    case .map(let lanes):
      return lanes.model.heading(at: p, in: nil).map { FieldOrientation(yaw: $0, pitch: 0, roll: 0) }
    case .function(let f):
      return try f.evaluate(at: p, ctx, range: range)
    case .turned(let f, let h):
      return try f.orientation(at: p, ctx, range: range).map { $0.relative(to: h) }
    case .composed(let f, let g):
      guard let a = try f.orientation(at: p, ctx, range: range), let b = try g.orientation(at: p, ctx, range: range) else {
        return nil
      }
      return a.relative(to: b)
    }
  }

  /// Steps of `follow(from:distance:)` are at most this long, metres.
  static let followStep = 0.1

  /// The point reached by following the field from `start` for `distance` metres, in the
  /// plan (z stays the start's). A map's road direction keeps its own integrator
  /// (`MapModel.follow`); every other field is integrated with classical fourth-order
  /// Runge–Kutta steps of at most `followStep` (at least one step), each along the field's
  /// yaw: the local error is O(h⁵) per step and the end point's error O(h⁴), under
  /// 1e-6 m over a quarter circle of radius 1 m (RegionPlacementTests' field tests measure
  /// it). Where the field is undefined the walk fails with E0539.
  func follow(from start: Vec3, distance: Double, _ ctx: Context, range: SourceRange) throws(RuntimeError) -> Vec3 {
    if case .map(let lanes) = self {
      switch lanes.model.follow(from: start, distance: distance) {
      case .success(let p): return p
      case .failure(let e): throw RuntimeError(.fieldUndefined, "following: \(e.message)", at: range)
      }
    }
    guard distance.isFinite, distance >= 0, distance <= MapModel.maximumFollowDistance else {
      throw RuntimeError(
        .fieldUndefined,
        "following: the distance must be between 0 m and \(Int(MapModel.maximumFollowDistance)) m, got \(distance) m", at: range)
    }
    guard start.x.isFinite, start.y.isFinite, start.z.isFinite else {
      throw RuntimeError(.fieldUndefined, "following: the start is not a finite point", at: range)
    }
    let steps = max(1, Int((distance / Self.followStep).rounded(.up)))
    let h = distance / Double(steps)
    var p = start
    func direction(_ q: Vec3, travelled: Double) throws(RuntimeError) -> Vec3 {
      guard let o = try orientation(at: q, ctx, range: range) else {
        throw RuntimeError(
          .fieldUndefined,
          "following: the field is undefined at (\(MapModel.metres(q.x)), \(MapModel.metres(q.y))), "
            + "\(MapModel.metres(travelled)) from the start", at: range)
      }
      return Vec3(o.yaw.cosine, o.yaw.sine, 0)
    }
    for i in 0..<steps {
      let s = Double(i) * h
      let k1 = try direction(p, travelled: s)
      let k2 = try direction(p + k1 * (h / 2), travelled: s)
      let k3 = try direction(p + k2 * (h / 2), travelled: s)
      let k4 = try direction(p + k3 * h, travelled: s)
      p = p + (k1 + k2 * 2 + k3 * 2 + k4) * (h / 6)
    }
    return Vec3(p.x, p.y, start.z)
  }
}

/// An orientation a field gives: yaw, pitch and roll (a 2-D field's pitch and roll are 0).
public struct FieldOrientation: Sendable, Equatable {
  public var yaw: Double
  public var pitch: Double
  public var roll: Double

  /// This orientation expressed in the frame of `base` (Scenic's `A relative to B`): headings
  /// add; with pitch or roll, the rotations compose (`base` first).
  func relative(to base: FieldOrientation) -> FieldOrientation {
    if pitch == 0, roll == 0, base.pitch == 0, base.roll == 0 {
      return FieldOrientation(yaw: yaw + base.yaw, pitch: 0, roll: 0)
    }
    let q = Quaternion(yaw: base.yaw, pitch: base.pitch, roll: base.roll) * Quaternion(yaw: yaw, pitch: pitch, roll: roll)
    let e = q.eulerAngles
    return FieldOrientation(yaw: e.yaw, pitch: e.pitch, roll: e.roll)
  }

  /// A heading (an Angle) or an orientation `(yaw, pitch, roll)` value.
  init?(_ v: Value) {
    switch v {
    case .real, .int: self.init(yaw: v.asDouble, pitch: 0, roll: 0)
    case .tuple(let xs) where xs.count == 3:
      self.init(yaw: xs[0].asDouble, pitch: xs[1].asDouble, roll: xs[2].asDouble)
    default: return nil
    }
  }

  init(yaw: Double, pitch: Double, roll: Double) {
    self.yaw = yaw
    self.pitch = pitch
    self.roll = roll
  }

  var isFinite: Bool { yaw.isFinite && pitch.isFinite && roll.isFinite }
}

/// The user function behind `heading_field(f)`: called with the point as its one argument.
public struct FieldFunction: Sendable, Equatable {
  let name: String
  let call: @Sendable (Vec3, Context) throws(RuntimeError) -> Value

  public static func == (a: FieldFunction, b: FieldFunction) -> Bool { a.name == b.name }

  func evaluate(at p: Vec3, _ ctx: Context, range: SourceRange) throws(RuntimeError) -> FieldOrientation? {
    let v = try call(p, ctx)
    guard let o = FieldOrientation(v), o.isFinite else {
      throw RuntimeError(
        .fieldNotFinite,
        "the heading field '\(name)' has no finite heading at (\(MapModel.metres(p.x)), \(MapModel.metres(p.y)), \(MapModel.metres(p.z)))",
        at: range)
    }
    return o
  }
}

/// The field natives the checker writes: `heading_field` (with the function's name as a
/// string constant), `field_at`, `relative_to`, `following`.
enum FieldNatives {
  static let names: Set<String> = [
    "heading_field", "field_at", "relative_to", "everywhere", "nowhere", "visible_region", "oriented",
  ]
  /// Members of a polyline region.
  static let pathMembers: Set<String> = ["start", "end"]

  /// `r.start` / `r.end` of a polyline: an oriented point at its first (last) point, facing
  /// along its first (last) segment, pitched along it when the segment climbs.
  static func pathEnd(_ base: @escaping Eval, end: Bool, range: SourceRange) -> Eval {
    { ctx throws(RuntimeError) in
      guard case .region(.shape(.polyline(let points, _))) = try base(ctx), points.count >= 2 else {
        throw RuntimeError(.badRegion, "'\(end ? "end" : "start")' needs a polyline region (polyline(points, width))", at: range)
      }
      let (a, b) = end ? (points[points.count - 2], points[points.count - 1]) : (points[0], points[1])
      let d = b - a
      let horizontal = (d.x * d.x + d.y * d.y).squareRoot()
      let heading = horizontal == 0 ? 0 : atan2Double(d.y, d.x)
      // Positive pitch lowers the front: a climbing segment gives a negative pitch.
      let pitch = -atan2Double(d.z, horizontal)
      return .tuple([.vector(end ? b : a), .real(heading), .real(pitch), .real(0)])
    }
  }

  static func compile(_ name: String, _ args: [IRExpr], compiler: ExprCompiler, range: SourceRange) -> Eval {
    switch name {
    case "heading_field":
      guard args.count == 1, case .constant(.string(let fn)) = args[0].kind, let call = compiler.unaryFunction(fn, range: range)
      else {
        return { _ throws(RuntimeError) in throw RuntimeError(.unsupported, "heading_field: malformed arguments", at: range) }
      }
      let value = Value.field(.function(FieldFunction(name: fn, call: call)))
      return { _ in value }
    case "everywhere":
      return { _ in .region(.everywhere) }
    case "oriented":
      // `oriented(R, F)`: R whose points carry F's orientation (docs/language-tour.md).
      let cs = args.map { compiler.compile($0) }
      return { ctx throws(RuntimeError) in
        guard cs.count == 2, case .region(let r) = try cs[0](ctx), case .field(let f) = try cs[1](ctx) else {
          throw RuntimeError(.unsupported, "oriented: expected a region and a heading field", at: range)
        }
        return .region(.shape(.oriented(r, f)))
      }
    case "visible_region":
      // `visible R` / `not visible R`: R cut to the viewer's (ego's) view when evaluated.
      let cs = args.map { compiler.compile($0) }
      let types = compiler.types
      var negated = false
      if args.count == 3, case .constant(.bool(let b)) = args[2].kind { negated = b }
      let flag = negated
      return { ctx throws(RuntimeError) in
        guard cs.count == 3, case .region(let r) = try cs[0](ctx) else {
          throw RuntimeError(.unsupported, "visible: expected a region", at: range)
        }
        let pose = try ViewCone.of(try cs[1](ctx), ctx, types, at: range)
        return .region(.view(r, pose, negated: flag))
      }
    case "nowhere":
      return { _ in .region(.nowhere) }
    case "field_at":
      // `F at P`: the field's heading at P (a 3-D field's yaw).
      let cs = args.map { compiler.compile($0) }
      return { ctx throws(RuntimeError) in
        guard cs.count == 2, case .field(let f) = try cs[0](ctx) else {
          throw RuntimeError(.unsupported, "field_at: expected a heading field", at: range)
        }
        let p = try cs[1](ctx).asVector
        guard let o = try f.orientation(at: p, ctx, range: range) else {
          throw RuntimeError(
            .fieldUndefined,
            "the heading field is undefined at (\(MapModel.metres(p.x)), \(MapModel.metres(p.y))): no lane within 50 m",
            at: range)
        }
        return .real(o.yaw)
      }
    default:
      // `relative_to(A, B)`: A expressed in B's frame; the checker has typed the pair.
      let cs = args.map { compiler.compile($0) }
      let types = args.map(\.type)
      return { ctx throws(RuntimeError) in
        guard cs.count == 2 else { throw RuntimeError(.unsupported, "relative_to: malformed arguments", at: range) }
        return try relative(try cs[0](ctx), types[0], try cs[1](ctx), types[1], ctx, range: range)
      }
    }
  }

  /// `a relative to b` for the pairs the checker accepts.
  static func relative(_ a: Value, _ ta: IRType, _ b: Value, _ tb: IRType, _ ctx: Context, range: SourceRange)
    throws(RuntimeError) -> Value
  {
    /// A heading, or an orientation written as a tuple or a vector of angles.
    func orientation(_ v: Value, _ t: IRType) -> FieldOrientation? {
      if case .vector(let d) = t, d == Dimension(base: "Angle"), case .vector(let p) = v {
        return FieldOrientation(yaw: p.x, pitch: p.y, roll: p.z)
      }
      if case .vector = t { return nil }
      return FieldOrientation(v)
    }
    switch (a, b) {
    case (.field(let f), .field(let g)): return .field(.composed(f, g))
    case (.field(let f), _):
      if let h = orientation(b, tb) { return .field(.turned(f, by: h)) }
    case (_, .field(let g)):
      // H in the field's frame: the field's orientation, then H on top.
      if let h = orientation(a, ta) { return .field(.composed(.constant(h), g)) }
    default:
      if let x = orientation(a, ta), let y = orientation(b, tb) {
        let o = x.relative(to: y)
        if case .quantity = ta, case .quantity = tb { return .real(o.yaw) }
        return .tuple([.real(o.yaw), .real(o.pitch), .real(o.roll)])
      }
      guard case .vector(let p) = a else { break }
      if case .vector(let q) = b { return .vector(p + q) }
      // A vector in the local frame of an actor or an oriented point.
      let frame: (Vec3, FieldOrientation)
      if let op = Natives.orientedPoint(b) {
        frame = (op.0, FieldOrientation(yaw: op.1, pitch: op.2, roll: op.3))
      } else if case .record(let r) = b, ctx.records.indices.contains(r) {
        let rec = ctx.records[r]
        frame = (rec.position, FieldOrientation(yaw: rec.heading, pitch: rec.pitch, roll: rec.roll))
      } else {
        break
      }
      let turn = Quaternion(yaw: frame.1.yaw, pitch: frame.1.pitch, roll: frame.1.roll)
      return .vector(frame.0 + turn.rotate(p))
    }
    throw RuntimeError(.unsupported, "'relative to' on values of types \(ta) and \(tb)", at: range)
  }
}

extension HeadingField {
  /// A field with the same orientation everywhere (a heading written beside a field).
  static func constant(_ o: FieldOrientation) -> HeadingField { .turned(.function(.zero), by: o) }
}

extension FieldFunction {
  /// The field that is 0 everywhere (the neutral element of `relative to`).
  static let zero = FieldFunction(name: "0deg") { _, _ throws(RuntimeError) in .real(0) }
}

extension Region {
  /// `visible R` or `not visible R`: an empty draw from it rejects the attempt instead of
  /// being an error.
  var isViewCut: Bool {
    if case .view = self { return true }
    return false
  }

  /// A point to stand a rejected actor on (`visible R` whose view missed R): the viewer.
  var anchor: Vec3 {
    if case .view(_, let pose, _) = self { return pose.position }
    return .zero
  }
}
