import ScnGeometry
import ScnScene
import Testing

@Suite struct ActorShapesTests {
  @Test func boxStandsOnTheOrigin() {
    let parts = ActorShapes.parts(ShapeRequest(kind: "box", size: Vec3(4, 2, 1.5)))
    #expect(parts.count == 1)
    let box = parts[0].box
    #expect(box.center == Vec3(0, 0, 0.75))
    #expect(box.halfExtents == Vec3(2, 1, 0.75))
  }

  @Test func cylinderUsesTheSmallerFootprintSide() {
    let parts = ActorShapes.parts(ShapeRequest(kind: "cylinder", size: Vec3(0.6, 0.4, 1.8)))
    #expect(parts.first?.shape == .cylinder(radius: 0.2, height: 1.8))
    #expect(parts.first?.box.halfExtents == Vec3(0.2, 0.2, 0.9))
  }

  @Test func frameHasUprightsAndBeamsAtEachLevel() {
    let request = ShapeRequest(
      kind: "frame", size: Vec3(2.7, 1.1, 4), parameters: ["levels": .reals([0.1, 1.5, 3.0, 5.0])])
    let parts = ActorShapes.parts(request)
    // 4 uprights; beams at 1.5 and 3.0 (0.1 is below 0.12 m, 5.0 above the height) and the top.
    #expect(parts.filter { $0.label == "upright" }.count == 4)
    let beams = parts.filter { $0.label == "beam" }
    #expect(beams.count == 6)
    #expect(Set(beams.map { $0.box.center.z }) == [1.44, 2.94, 3.94])
    #expect(beams.allSatisfy { $0.box.halfExtents.x == 2.7 / 2 - 0.04 })
  }

  @Test func invalidSizeGivesNoParts() {
    #expect(ActorShapes.parts(ShapeRequest(kind: "box", size: Vec3(0, 1, 1))).isEmpty)
    #expect(ActorShapes.parts(ShapeRequest(kind: "box", size: Vec3(.nan, 1, 1))).isEmpty)
  }

  @Test func srgbToLinear() {
    let c = RGB.fromSRGB(0, 0.5, 1)
    #expect(c.red == 0)
    #expect(abs(c.green - 0.214_041) < 1e-6)
    #expect(c.blue == 1)
    #expect(RGB.fromSRGB(-1, .nan, 2) == RGB(0, 0, 1))
  }

  @Test func meshBoundsAndEquality() {
    let m = TriangleMesh(vertices: [Vec3(-1, 0, 0), Vec3(1, 2, 0), Vec3(0, 0, 3)], indices: [0, 1, 2])
    #expect(m.bounds.lower == Vec3(-1, 0, 0))
    #expect(m.bounds.upper == Vec3(1, 2, 3))
    let copy = TriangleMesh(vertices: m.vertices, indices: m.indices)
    #expect(m == copy)
    #expect(PartShape.mesh(m).localBox.center == Vec3(0, 1, 1.5))
    // Normals of the wrong count are dropped rather than read out of range.
    #expect(TriangleMesh(vertices: m.vertices, indices: m.indices, normals: [Vec3(0, 0, 1)]).normals == nil)
  }
}
