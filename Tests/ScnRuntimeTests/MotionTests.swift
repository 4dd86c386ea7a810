import ScnGeometry
import ScnScene
import Testing

@testable import ScnRuntime

/// `SceneModel.Motion`: a person who moves between frames is re-posed along its gait cycle,
/// one standing still and a rigid car are not, and the first frame changes nothing.
@Suite struct MotionTests {
  static let source = """
    import std.vehicles
    import std.pedestrians
    scenario S {
        let walker = Pedestrian at (0m, 0m, 0m) facing 0deg
        let sitter = Pedestrian { pose: sitting } at (0m, 5m, 0m) facing 0deg
        let car = Car at (0m, 10m, 0m) facing 0deg
    }
    """

  @Test func onlyMovingPeopleChangeTheirParts() throws {
    let scene = try #require(try SamplerSupport.scenes(Self.source, count: 1).first)
    let model = try SceneModel(scene: scene, classes: ClassTable(names: ["car", "pedestrian"]))
    let index = Dictionary(uniqueKeysWithValues: scene.actors.enumerated().map { ($0.element.name, $0.offset) })
    let start = scene.actors.map { Transform(position: $0.position, yaw: $0.heading) }
    var motion = SceneModel.Motion(model)
    #expect(motion.advance(to: start, at: 0).isEmpty, "nothing is known to move in the first frame")
    // 0.1 s later everyone has moved 0.14 m (1.4 m/s).
    let moved = start.map { Transform(position: $0.translation + Vec3(0.14, 0, 0), yaw: 0) }
    let changed = motion.advance(to: moved, at: 0.1)
    #expect(changed.map(\.object) == [try #require(index["walker"])], "only the walker re-poses: \(changed.map(\.object))")
    let walker = try #require(index["walker"])
    #expect(changed.first?.parts != model.objects[walker].parts)
    // Standing still for the next frame (under 0.1 m/s): the walker keeps its last parts.
    #expect(motion.advance(to: moved, at: 0.2).isEmpty)
    // Walking on: a different phase of the cycle, so different parts again.
    let further = moved.map { Transform(position: $0.translation + Vec3(0.3, 0, 0), yaw: 0) }
    let next = motion.advance(to: further, at: 0.4)
    #expect(next.map(\.object) == [walker])
    #expect(next.first?.parts != changed.first?.parts)
  }
}
