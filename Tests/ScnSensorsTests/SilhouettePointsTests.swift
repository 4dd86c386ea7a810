import Foundation
import ScnGeometry
import ScnScene
import Testing

@testable import ScnSensors

/// `silhouettePoints` reads its curved parts' sines and cosines from a table worked out once
/// (`SilhouetteTrig`); the points must be bit for bit those of libm's `sin` and `cos` of each
/// angle computed where it is used, as before the table.
@Suite struct SilhouettePointsTests {
  static func intersector() throws -> SceneIntersector {
    try SceneIntersector(scene: RenderScene(objects: []))
  }

  static let placements: [Transform] = [
    .identity,
    Transform(position: Vec3(3.25, -1.5, 0.75), yaw: 0.7),
    Transform(rotation: Quaternion(axis: Vec3(0.3, -0.4, 0.87), angle: 2.1), translation: Vec3(-12, 40.5, 1e-3)),
  ]

  @Test func spherePointsAreLibmsPerAngle() throws {
    let intersector = try Self.intersector()
    for placed in Self.placements {
      for r in [0.05, 0.31, 1.0, 7.25] {
        var expected: [Vec3] = []
        for i in 0...16 {
          let polar = Double(i) / 16 * Double.pi
          for j in 0..<48 {
            let azimuth = Double(j) / 48 * 2 * Double.pi
            expected.append(
              placed.apply(toPoint: Vec3(r * sin(polar) * cos(azimuth), r * sin(polar) * sin(azimuth), r * cos(polar))))
          }
        }
        let points = intersector.silhouettePoints(of: Part(.sphere(radius: r)), placed: placed)
        #expect(points.count == expected.count)
        #expect(zip(points, expected).allSatisfy { Self.sameBits($0, $1) })
      }
    }
  }

  @Test func cylinderPointsAreLibmsPerAngle() throws {
    let intersector = try Self.intersector()
    for placed in Self.placements {
      for (r, h) in [(0.05, 0.4), (0.3, 1.8), (2.5, 0.01)] {
        var expected: [Vec3] = []
        for z in [-h / 2, h / 2] {
          for j in 0..<96 {
            let azimuth = Double(j) / 96 * 2 * Double.pi
            expected.append(placed.apply(toPoint: Vec3(r * cos(azimuth), r * sin(azimuth), z)))
          }
        }
        let points = intersector.silhouettePoints(of: Part(.cylinder(radius: r, height: h)), placed: placed)
        #expect(points.count == expected.count)
        #expect(zip(points, expected).allSatisfy { Self.sameBits($0, $1) })
      }
    }
  }

  static func sameBits(_ a: Vec3, _ b: Vec3) -> Bool {
    a.x.bitPattern == b.x.bitPattern && a.y.bitPattern == b.y.bitPattern && a.z.bitPattern == b.z.bitPattern
  }
}
