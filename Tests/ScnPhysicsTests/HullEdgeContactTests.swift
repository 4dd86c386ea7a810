import ScnGeometry
import Testing

@testable import ScnPhysics

/// Two polytopes meeting edge across edge (`ConvexContact`'s edge–edge axes): the normal is
/// square to both edges, the depth is how far one edge dips below the other, and the point
/// is where they cross, not a face's normal and depth.
@Suite struct HullEdgeContactTests {
  /// A wedge (triangular prism) 2·`length` long along x, 2·`width` wide, `height` tall,
  /// its ridge on top along x; `down` turns the ridge to the bottom.
  static func wedge(length: Double, width: Double, height: Double, down: Bool = false) throws -> ConvexPolytope {
    let z0 = down ? height : 0, z1 = down ? 0 : height
    return try #require(ConvexPolytope(points: [
      Vec3(-length, -width, z0), Vec3(length, -width, z0), Vec3(-length, width, z0), Vec3(length, width, z0),
      Vec3(-length, 0, z1), Vec3(length, 0, z1),
    ]))
  }

  @Test(arguments: [0.0, 0.001, -0.002])
  func anEdgeAcrossAnEdgeTouchesWhereTheyCross(_ gap: Double) throws {
    // A's ridge along x at z = 0.3, y = 0; B's ridge along y (B turned a quarter turn),
    // crossing A's at x = 0.3 (off A's middle) and 0.2 off B's middle; B's ridge `gap`
    // above A's (negative: dipping into it).
    let a = try Self.wedge(length: 0.5, width: 0.3, height: 0.3)
    let b = try Self.wedge(length: 0.5, width: 0.25, height: 0.4, down: true)
    let pa = BodyPose(position: .zero, axes: Mat3(rotation: .identity))
    let turn = Quaternion(yaw: .pi / 2)
    let pb = BodyPose(position: Vec3(0.3, -0.2, 0.3 + gap), axes: Mat3(rotation: turn))
    var out = ContactScratch()
    ConvexContact.collide(.hull(a), pa, .hull(b), pb, margin: 0.01, into: &out)
    #expect(out.count == 1)
    guard out.count == 1 else { return }
    #expect((out.normals[0] - Vec3(0, 0, 1)).length < 1e-9, "normal \(out.normals[0])")
    #expect(abs(out.separations[0] - gap) < 1e-9, "separation \(out.separations[0])")
    #expect((out.positions[0] - Vec3(0.3, 0, 0.3 + gap / 2)).length < 1e-9, "point \(out.positions[0])")
  }

  /// Edges found from the faces: a wedge has 9 edges, each between two of its 5 faces.
  @Test func aWedgesEdgesJoinItsFaces() throws {
    let w = try Self.wedge(length: 0.5, width: 0.3, height: 0.3)
    #expect(w.faceCount == 5)
    #expect(w.edges.count == 9)
    for e in w.edges {
      // Both ends lie on both faces' planes.
      for f in [e.left, e.right] {
        for v in [e.a, e.b] {
          #expect(abs(w.normals[Int(f)].dot(w.vertices[Int(v)]) - w.offsets[Int(f)]) < 1e-12)
        }
      }
      #expect(e.left != e.right)
    }
  }

  /// A box-shaped hull resting face down on another keeps its four-point patch: faces win
  /// over edges that meet at the same depth.
  @Test func aFaceOnAFaceStillGetsAPatch() throws {
    var corners: [Vec3] = []
    for x in [-0.2, 0.2] {
      for y in [-0.2, 0.2] {
        for z in [-0.2, 0.2] { corners.append(Vec3(x, y, z)) }
      }
    }
    let cube = try #require(ConvexPolytope(points: corners))
    let pa = BodyPose(position: .zero, axes: Mat3(rotation: .identity))
    let pb = BodyPose(position: Vec3(0.05, 0.03, 0.399), axes: Mat3(rotation: Quaternion(yaw: 0.3)))
    var out = ContactScratch()
    ConvexContact.collide(.hull(cube), pa, .hull(cube), pb, margin: 0.01, into: &out)
    #expect(out.count == 4)
    for k in 0..<out.count {
      #expect((out.normals[k] - Vec3(0, 0, 1)).length < 1e-9)
      #expect(abs(out.separations[k] + 0.001) < 1e-9)
    }
  }
}
