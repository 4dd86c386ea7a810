import ScnGeometry
import ScnScene
import ScnSource

/// What a sensor or an actor sees: the view region behind `visible from S`, `not visible
/// from S` and `X can see Y`, as a `SensorPose` (the visibility model's own description).
///
/// - A sensor's region is its field of view (the camera's horizontal fov and the vertical one
///   its resolution gives; the LiDAR's 360° and `fov_lower`…`fov_upper`) between its
///   `min_range` and `range` (a camera has no range: unbounded).
/// - An actor's region is its view cone: within `view_angle / 2` either side of its heading
///   (measured in its own x-y plane, any elevation above or below it: a pitched or rolled
///   actor's cone turns with it) and `view_distance` of its eye, the centre of its size box.
///   The prelude's defaults are Scenic's: 360deg and 50m.
enum ViewCone {
  /// How far `visible from S` draws positions when S has no range (a camera): the default
  /// `view_distance` of an actor.
  static let unboundedDrawDistance = 50.0

  /// The view region of a sensor or actor value.
  static func of(_ viewer: Value, _ ctx: Context, _ types: [CompiledType], at range: SourceRange) throws(RuntimeError) -> SensorPose {
    guard case .record(let i) = viewer, ctx.records.indices.contains(i) else {
      throw RuntimeError(.unsupported, "expected a sensor or an actor to see from", at: range)
    }
    let r = ctx.records[i]
    let t = types[r.typeIndex]
    if t.isSensor { return SensorPose.of(r, type: t, records: ctx.records) }
    let angle = t.fieldIndex["view_angle"].map { r.field($0).asDouble } ?? 2 * .pi
    let distance = t.fieldIndex["view_distance"].map { r.field($0).asDouble } ?? unboundedDrawDistance
    guard angle >= 0, angle.isFinite, distance >= 0, !distance.isNaN else {
      throw RuntimeError(.badRegion, "view_angle and view_distance must be ≥ 0, got \(angle.degrees)deg and \(distance)m", at: range)
    }
    // The cone turns with the actor: a pitched or rolled actor's wedge is in its own frame.
    let rotation = r.rotation
    return SensorPose(
      position: r.position + rotation.rotate(Vec3(0, 0, r.size.z / 2)), rotation: rotation, yaw: r.heading,
      pitch: r.pitch, roll: r.roll, horizontalFov: min(angle, 2 * .pi), verticalFovLower: -.pi / 2,
      verticalFovUpper: .pi / 2, maxRange: distance, minRange: 0, mount: i)
  }

  /// The proposal for drawing a ground point in view: a horizontal sector (or disc) around
  /// the viewer, bounded by its range or `unboundedDrawDistance`.
  static func groundProposal(_ pose: SensorPose, height: Double) -> Region {
    let radius = pose.maxRange.isFinite ? pose.maxRange : unboundedDrawDistance
    let centre = Vec3(pose.position.x, pose.position.y, height)
    // A pitched or rolled sensor's azimuth is not the world's: fall back to the disc.
    if pose.horizontalFov < 2 * .pi, pose.pitch == 0, pose.roll == 0 {
      return .shape(.sector(center: centre, radius: radius, heading: pose.yaw, angle: min(2 * .pi, pose.horizontalFov + 1e-9)))
    }
    return .shape(.circle(center: centre, radius: radius))
  }
}

extension SensorPose {
  /// Whether the point lies in the view region: the frustum and range test of
  /// `CoarseVisibility`, applied to one point (no occlusion).
  func sees(_ p: Vec3) -> Bool {
    let local = rotation.conjugate.rotate(p - position)
    let distance = local.length
    guard distance <= maxRange, distance >= minRange else { return false }
    let azimuth = atan2Double(local.y, local.x)
    let elevation = atan2Double(local.z, (local.x * local.x + local.y * local.y).squareRoot())
    let inFrustum: Bool
    if horizontalFov >= 2 * .pi - 1e-9 {
      inFrustum = true
    } else if horizontalFov > .pi {
      inFrustum = abs(azimuth) <= horizontalFov / 2
    } else {
      inFrustum = local.x > 1e-6 && abs(azimuth) <= horizontalFov / 2
    }
    return inFrustum && elevation >= verticalFovLower - 1e-12 && elevation <= verticalFovUpper + 1e-12
  }
}

/// `X can see Y` and the scenario's `workspace R` check.
enum ViewNatives {
  static func compile(_ name: String, arg: @escaping RegionNatives.Arg, types: [CompiledType], range: SourceRange) -> Eval {
    switch name {
    case "can_see":
      // Y in X's view region and not hidden by other actors' parts (the context's visibility
      // model: an actor is seen when one of its probe points is; a position when the segment
      // to it is clear).
      return { ctx throws(RuntimeError) in
        let viewerValue = try arg(ctx, 0)
        let pose = try ViewCone.of(viewerValue, ctx, types, at: range)
        guard case .record(let viewer) = viewerValue else { return .bool(false) }
        var exclude: Set<Int> = [viewer]
        if let m = pose.mount { exclude.insert(m) }
        switch try arg(ctx, 1) {
        case .record(let target) where ctx.records.indices.contains(target):
          if exclude.contains(target) { return .bool(false) }
          exclude.insert(target)
          let t = ctx.records[target]
          let occluders = occluderParts(ctx, types, excluding: exclude)
          let rotation = t.rotation
          let bounds = OrientedBox(center: t.position + rotation.rotate(Vec3(0, 0, t.size.z / 2)), halfExtents: t.size / 2,
                                   rotation: rotation)
          let result = ctx.visibility.query(target: SensorQueries.cachedShapes(target, ctx, types), bounds: bounds,
                                            sensor: pose, occluders: occluders, horizontalResolution: nil, channels: nil)
          return .bool(result.visible)
        case let v:
          let p: Vec3
          if case .vector(let q) = v { p = q } else if let op = Natives.orientedPoint(v) { p = op.0 } else {
            throw RuntimeError(.unsupported, "can see: expected an actor or a position to look at", at: range)
          }
          guard pose.sees(p) else { return .bool(false) }
          let occluders = occluderParts(ctx, types, excluding: exclude)
          return .bool(!occluders.contains { CoarseVisibility.segmentHits($0.box, pose.position, p) })
        }
      }
    case "in_workspace":
      return { ctx throws(RuntimeError) in
        guard case .region(let workspace) = try arg(ctx, 0) else {
          throw RuntimeError(.unsupported, "workspace: expected a region", at: range)
        }
        for r in ctx.records where r.definition >= 0 && !types[r.typeIndex].isSensor {
          let tilt = r.pitch != 0 || r.roll != 0 ? r.rotation : nil
          if !workspace.containsFootprint(position: r.position, heading: r.heading, size: r.size, rotation: tilt) {
            return .bool(false)
          }
        }
        return .bool(true)
      }
    default:
      return { _ throws(RuntimeError) in throw RuntimeError(.unsupported, "\(name): not a view function", at: range) }
    }
  }

  /// The parts of every actor that is not a sensor and not excluded.
  static func occluderParts(_ ctx: Context, _ types: [CompiledType], excluding: Set<Int>) -> [Part] {
    var parts: [Part] = []
    for i in ctx.records.indices where !excluding.contains(i) && !types[ctx.records[i].typeIndex].isSensor {
      parts += SensorQueries.cachedShapes(i, ctx, types)
    }
    return parts + TrafficLights.occluders(ctx, near: .zero)
  }
}
