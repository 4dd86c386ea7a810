import ScnScene
import ScnGeometry
import ScnSensors

/// Small scenes shared by the tests.
enum TestScenes {
  static let red = RGB(0.7, 0.1, 0.08)
  static let grey = RGB(0.6, 0.6, 0.6)
  static let tan = RGB(0.55, 0.42, 0.25)

  /// A wall whose near face is the plane x = `distance`, much larger than any view of it.
  static func wall(at distance: Double, id: UInt32 = 1) -> SceneObject {
    SceneObject(
      instanceID: id, semanticClass: 9, className: "wall", baseColour: grey,
      parts: [Part(.box(size: Vec3(1, 400, 400)))],
      transform: Transform(translation: Vec3(distance + 0.5, 0, 0)))
  }

  /// Ground-level camera looking along +x.
  static func camera(
    width: Int = 64, height: Int = 48, fovDegrees: Double = 60, at position: Vec3 = Vec3(0, 0, 1),
    yaw: Double = 0, distortion: LensDistortion = .none
  ) throws -> Camera {
    try Camera(
      width: width, height: height, horizontalFOV: fovDegrees.radians, distortion: distortion,
      pose: Transform(position: position, yaw: yaw))
  }

  /// Boxes, a sphere and a cylinder under a high sun.
  static func primitives() -> RenderScene {
    RenderScene(
      objects: [
        .box(
          instanceID: 1, semanticClass: 2, className: "crate", baseColour: tan, size: Vec3(1.5, 1.5, 1.5),
          transform: Transform(position: Vec3(8, 1.5, 0), yaw: 0.4)),
        .box(
          instanceID: 2, semanticClass: 3, className: "car", baseColour: red, size: Vec3(4.2, 1.8, 1.5),
          transform: Transform(position: Vec3(14, -3, 0), yaw: -0.3)),
        SceneObject(
          instanceID: 3, semanticClass: 4, className: "ball", baseColour: RGB(0.9, 0.7, 0.1),
          parts: [Part(.sphere(radius: 0.6), transform: Transform(translation: Vec3(0, 0, 0.6)))],
          transform: Transform(position: Vec3(6, -1.2, 0), yaw: 0)),
        SceneObject(
          instanceID: 4, semanticClass: 5, className: "post", baseColour: RGB(0.2, 0.3, 0.6),
          parts: [
            Part(
              .cylinder(radius: 0.3, height: 2.5),
              transform: Transform(translation: Vec3(0, 0, 1.25)))
          ],
          transform: Transform(position: Vec3(10, 3.5, 0), yaw: 0)),
      ], environment: Environment(sunDirection: Environment.sunDirection(hourOfDay: 11)))
  }

  /// A triangle-mesh pyramid and a box in fog, low sun.
  static func meshInFog() -> RenderScene {
    let vertices = [Vec3(-1, -1, 0), Vec3(1, -1, 0), Vec3(1, 1, 0), Vec3(-1, 1, 0), Vec3(0, 0, 1.8)]
    let indices: [UInt32] = [0, 1, 4, 1, 2, 4, 2, 3, 4, 3, 0, 4, 0, 2, 1, 0, 3, 2]
    return RenderScene(
      objects: [
        SceneObject(
          instanceID: 7, semanticClass: 6, className: "pyramid", baseColour: RGB(0.3, 0.6, 0.3),
          roughness: 0.9, parts: [Part(.mesh(TriangleMesh(vertices: vertices, indices: indices)))],
          transform: Transform(position: Vec3(7, 0.5, 0), yaw: 0.3)),
        .box(
          instanceID: 8, semanticClass: 2, className: "crate", baseColour: tan, size: Vec3(2, 2, 3),
          transform: Transform(position: Vec3(25, -4, 0), yaw: 0.8)),
      ],
      environment: Environment(
        sunDirection: Environment.sunDirection(hourOfDay: 16.5), illuminance: 8000,
        fogExtinction: 0.03))
  }

  /// A camera mounted on its own actor (which must not appear), one other actor.
  static func mounted() -> RenderScene {
    RenderScene(
      objects: [
        .box(
          instanceID: 20, semanticClass: 3, className: "ego", baseColour: red, size: Vec3(4, 2, 1.5),
          transform: Transform(position: Vec3(0, 0, 0), yaw: 0)),
        .box(
          instanceID: 21, semanticClass: 3, className: "car", baseColour: RGB(0.1, 0.2, 0.7), size: Vec3(4, 2, 1.5),
          transform: Transform(position: Vec3(9, 1, 0), yaw: 1.2)),
      ], environment: Environment(sunDirection: Environment.sunDirection(hourOfDay: 8), illuminance: 2000))
  }
}
