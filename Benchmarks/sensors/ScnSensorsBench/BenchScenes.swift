import ScnScene
import ScnGeometry
import ScnSensors

/// A tiny deterministic generator so benchmark scenes are the same on every run.
struct SplitMix {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func uniform(_ range: ClosedRange<Double>) -> Double {
    range.lowerBound + Double(next() >> 11) * 0x1.0p-53 * (range.upperBound - range.lowerBound)
  }
}

struct BoxSpec {
  var center: Vec3
  var size: Vec3
  var yaw: Double
}

enum BenchScenes {
  static let palette: [(UInt8, String, RGB)] = [
    (2, "car", RGB(0.60, 0.08, 0.06)), (3, "van", RGB(0.75, 0.75, 0.72)), (4, "pallet", RGB(0.55, 0.40, 0.22)),
    (5, "pedestrian", RGB(0.20, 0.25, 0.55)), (6, "ball", RGB(0.85, 0.65, 0.10)),
  ]

  /// 100 boxes scattered in front of the camera (the ray-throughput scene).
  static func hundredBoxes() -> [BoxSpec] {
    var rng = SplitMix(state: 42)
    return (0..<100).map { _ in
      let size = Vec3(rng.uniform(0.5...4.5), rng.uniform(0.5...2.5), rng.uniform(0.5...3))
      return BoxSpec(
        center: Vec3(rng.uniform(4...60), rng.uniform(-25...25), size.z / 2), size: size,
        yaw: rng.uniform(-Double.pi...Double.pi))
    }
  }

  static func scene(boxes: [BoxSpec]) -> RenderScene {
    let objects = boxes.enumerated().map { i, b in
      let (cls, name, colour) = palette[i % 3]
      return SceneObject(
        instanceID: UInt32(i + 1), semanticClass: cls, className: name, baseColour: colour,
        parts: [Part(.box(size: b.size))], transform: Transform(position: b.center, yaw: b.yaw))
    }
    return RenderScene(objects: objects)
  }

  /// 50 actors of mixed shapes on the ground (the labelled-frames scene).
  static func actors(count: Int = 50, seed: UInt64 = 7) -> RenderScene {
    var rng = SplitMix(state: seed)
    var objects: [SceneObject] = []
    for i in 0..<count {
      let id = UInt32(i + 1)
      let at = Transform(
        position: Vec3(rng.uniform(5...45), rng.uniform(-18...18), 0),
        yaw: rng.uniform(-Double.pi...Double.pi))
      switch i % 5 {
      case 0, 1:
        // A car: body plus cabin.
        objects.append(
          SceneObject(
            instanceID: id, semanticClass: 2, className: "car", baseColour: palette[i % 2 == 0 ? 0 : 1].2,
            roughness: 0.3,
            parts: [
              Part(.box(size: Vec3(4.4, 1.8, 0.8)), transform: Transform(translation: Vec3(0, 0, 0.7))),
              Part(.box(size: Vec3(2.2, 1.6, 0.6)), transform: Transform(translation: Vec3(-0.3, 0, 1.4))),
            ], transform: at))
      case 2:
        objects.append(
          .box(
            instanceID: id, semanticClass: 4, className: "pallet", baseColour: palette[2].2,
            size: Vec3(1.2, 1.0, rng.uniform(0.8...1.6)), transform: at))
      case 3:
        objects.append(
          SceneObject(
            instanceID: id, semanticClass: 5, className: "pedestrian", baseColour: palette[3].2,
            parts: [
              Part(.cylinder(radius: 0.25, height: 1.45), transform: Transform(translation: Vec3(0, 0, 0.725))),
              Part(.sphere(radius: 0.15), transform: Transform(translation: Vec3(0, 0, 1.6))),
            ], transform: at))
      default:
        objects.append(
          SceneObject(
            instanceID: id, semanticClass: 6, className: "ball", baseColour: palette[4].2,
            parts: [Part(.sphere(radius: 0.5), transform: Transform(translation: Vec3(0, 0, 0.5)))],
            transform: at))
      }
    }
    return RenderScene(objects: objects)
  }

  static func camera(width: Int = 640, height: Int = 480) throws -> Camera {
    try Camera(
      width: width, height: height, horizontalFOV: 90.0.radians,
      pose: Transform(rotation: Quaternion(yaw: 0, pitch: 8.0.radians, roll: 0), translation: Vec3(0, 0, 2)))
  }
}
