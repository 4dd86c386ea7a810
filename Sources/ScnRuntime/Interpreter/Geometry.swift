import ScnGeometry
import ScnScene

/// The solid parts of an actor and the poses of sensors, as overlap checks and visibility
/// queries see them.
enum Geometry {
  static func position(of r: Record) -> Vec3 { r.position }

  /// Overlap tolerance: faces that touch (a pallet resting on a beam) are not an overlap
  /// even after the rounding of the sums that placed them.
  static let contactTolerance = 1e-6

  /// Whether two boxes' bounds interpenetrate by more than the contact tolerance.
  static func boundsOverlap(_ a: AABB, _ b: AABB) -> Bool {
    let t = contactTolerance
    return a.lower.x < b.upper.x - t && b.lower.x < a.upper.x - t && a.lower.y < b.upper.y - t
      && b.lower.y < a.upper.y - t && a.lower.z < b.upper.z - t && b.lower.z < a.upper.z - t
  }

  /// The actor's parts as the scene model builds them (`ScnScene.ActorShapes`, the same
  /// call the sensors' scene uses), placed in the world: the part transforms include the
  /// actor's pose. A record whose size cannot be built gets its size box.
  static func worldParts(of r: Record, type: CompiledType) -> [Part] {
    let request = ShapeRequests.request(
      size: r.size, names: type.fieldNames, types: type.fieldTypes, values: r.fields, shapeIndex: type.shape,
      assets: type.assets)
    let pose = Transform(rotation: r.rotation, translation: r.position)
    var parts = ActorShapes.parts(request)
    if parts.isEmpty { parts = [Part(.box(size: r.size), transform: Transform(translation: Vec3(0, 0, r.size.z / 2)))] }
    return parts.map { part in
      var placed = part
      placed.transform = pose * part.transform
      return placed
    }
  }

  /// Whether two parts placed in the world interpenetrate, once their oriented boxes
  /// overlap (the caller's test): box against box that test was exact; otherwise the parts'
  /// convex solids (boxes, spheres and cylinders exactly, meshes as their convex hulls) by
  /// GJK (docs/scene-model.md, "Overlap tests and physics").
  static func solidsOverlap(_ a: Part, _ b: Part) -> Bool {
    if case .box = a.shape, case .box = b.shape { return true }
    return a.solid.overlaps(b.solid, tolerance: contactTolerance)
  }

  /// Whether any part of one placed set overlaps any part of the other: boxes first, then
  /// the solids.
  static func partsOverlap(_ pa: [Part], _ pb: [Part]) -> Bool {
    let ba = pa.map(\.box), bb = pb.map(\.box)
    for (x, xb) in zip(pa, ba) {
      for (y, yb) in zip(pb, bb) where xb.overlaps(yb, tolerance: contactTolerance) && solidsOverlap(x, y) {
        return true
      }
    }
    return false
  }

  /// Each part's oriented bounding box in the world (`Part.box`): exact for boxes and a
  /// frame's uprights and beams, conservative for curved parts and meshes.
  static func parts(of r: Record, type: CompiledType) -> [OrientedBox] {
    worldParts(of: r, type: type).map(\.box)
  }
}

/// Where a sensor is and what it can see: the pose of its optical frame (x forward, y left,
/// z up) and its field of view.
public struct SensorPose: Sendable, Equatable {
  public let position: Vec3
  public let rotation: Quaternion
  public let yaw: Double
  public let pitch: Double
  public let roll: Double
  /// Full horizontal and vertical opening angles (radians).
  public let horizontalFov: Double
  public let verticalFovLower: Double
  public let verticalFovUpper: Double
  public let maxRange: Double
  public let minRange: Double
  /// The record index of the mount, which the sensor never sees.
  public let mount: Int?
  /// A fisheye camera's Kannala–Brandt lens (`model: fisheye`); nil for a pinhole or LiDAR.
  public var fisheye: FisheyeDistortion? = nil

  /// The pose from a sensor record's fields: mount pose ∘ offset, yaw, pitch, roll.
  static func of(_ r: Record, type: CompiledType, records: [Record]) -> SensorPose {
    func real(_ i: Int, _ d: Double) -> Double { i >= 0 ? r.field(i).asDouble : d }
    var mountIndex: Int?
    var base = Vec3.zero, baseYaw = 0.0
    var mountTilted: Quaternion?
    if type.mount >= 0, case .record(let m) = r.field(type.mount), records.indices.contains(m) {
      mountIndex = m
      base = records[m].position
      baseYaw = records[m].heading
      if records[m].pitch != 0 || records[m].roll != 0 { mountTilted = records[m].rotation }
    }
    let offset = type.offset >= 0 ? r.field(type.offset).asVector : .zero
    var yaw = baseYaw + real(type.yaw, 0)
    var pitch = real(type.pitch, 0), roll = real(type.roll, 0)
    var rotation = Quaternion(yaw: yaw, pitch: pitch, roll: roll)
    var position = base + Quaternion(yaw: baseYaw).rotate(offset)
    if let mount = mountTilted {
      // A pitched or rolled mount carries the sensor with it: mount rotation ∘ the sensor's own.
      position = base + mount.rotate(offset)
      rotation = mount * Quaternion(yaw: real(type.yaw, 0), pitch: pitch, roll: roll)
      (yaw, pitch, roll) = rotation.eulerAngles
    }
    var hfov = real(type.fov, .pi / 2)
    var lower = -hfov / 2, upper = hfov / 2
    var fisheye: FisheyeDistortion?
    if let m = type.fieldIndex["model"], case .enumCase("fisheye") = r.field(m) {
      var k = FisheyeDistortion()
      if let i = type.fieldIndex["fisheye_distortion"] {
        let xs = r.field(i).asList.map(\.asDouble)
        if xs.count == 4 { k = FisheyeDistortion(k1: xs[0], k2: xs[1], k3: xs[2], k4: xs[3]) }
      }
      fisheye = k
    }
    if type.fov >= 0, type.resolution >= 0 {
      let res = r.field(type.resolution).asList
      if res.count == 2, res[0].asDouble > 0 {
        let aspect = res[1].asDouble / res[0].asDouble
        var half = atan2Double((hfov / 2).tangent * aspect, 1)
        if let k = fisheye {
          // A fisheye's vertical half-angle is the one whose image radius is the horizontal
          // one's times height / width (docs/scene-model.md, "Cameras").
          let reach = min(k.fold(within: .pi)?.theta ?? .pi, .pi)
          half = k.angle(ofRadius: k.radius(min(hfov / 2, reach)) * aspect, maxAngle: reach)
        }
        lower = -half
        upper = half
      }
    }
    if type.horizontalFov >= 0 {
      hfov = real(type.horizontalFov, 2 * .pi)
      lower = real(type.fovLower, -0.4)
      upper = real(type.fovUpper, 0.3)
    }
    var pose = SensorPose(
      position: position, rotation: rotation, yaw: yaw, pitch: pitch,
      roll: roll, horizontalFov: hfov, verticalFovLower: lower, verticalFovUpper: upper,
      maxRange: real(type.range, .infinity), minRange: real(type.minRange, 0), mount: mountIndex)
    pose.fisheye = fisheye
    return pose
  }
}
