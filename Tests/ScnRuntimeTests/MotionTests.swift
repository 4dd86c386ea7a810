import Foundation
import ScnGeometry
import ScnScene
import Testing

@testable import ScnRuntime

/// `SceneModel.Motion`: a person who moves between frames is re-posed along its gait cycle,
/// one standing still is not, a vehicle's wheels turn and steer, and the first frame
/// changes nothing.
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
    // (The car's wheels turn as it moves: `wheelsKeepTheirAngleWhenStopped` below.)
    let car = try #require(index["car"])
    let changed = motion.advance(to: moved, at: 0.1).filter { $0.object != car }
    #expect(changed.map(\.object) == [try #require(index["walker"])], "only the walker re-poses: \(changed.map(\.object))")
    let walker = try #require(index["walker"])
    #expect(changed.first?.parts != model.objects[walker].parts)
    // Standing still for the next frame (under 0.1 m/s): the walker keeps its last parts.
    #expect(motion.advance(to: moved, at: 0.2).filter { $0.object != car }.isEmpty)
    // Walking on: a different phase of the cycle, so different parts again.
    let further = moved.map { Transform(position: $0.translation + Vec3(0.3, 0, 0), yaw: 0) }
    let next = motion.advance(to: further, at: 0.4).filter { $0.object != car }
    #expect(next.map(\.object) == [walker])
    #expect(next.first?.parts != changed.first?.parts)
  }

  /// A car driving a simulated run (straight 20 m, a 30 m-radius left bend, straight on):
  /// over the trace, each wheel has turned about its axle by the distance covered over its
  /// radius, the front wheels steer left by atan(wheelbase / 30 m) in the bend and straight
  /// before and after it, the rear wheels never steer, and the wheel centres stay put.
  @Test func wheelsTurnWithDistanceAndFrontWheelsSteer() throws {
    let source = """
      import std.vehicles
      scenario S {
          let r = road(start: (0m, 0m, 0m), heading: 0deg, segments: [straight(20m), arc(radius: 30m, turn: 90deg), straight(50m)],
                       lanes: 1, lane_width: 3.5m)
          ego car = Car at (2m, 0m, 0m) facing 0deg with behavior follow_lane(8m/s)
          simulate 10s at 20Hz
      }
      """
    let (scene, trace) = try SimulationSupport.trace(source)
    let model = try SceneModel(scene: scene, classes: ClassTable(names: ["car", "road", "lane_marking"]))
    let start = model.objects[0].parts
    let wheels = start.indices.filter { start[$0].label?.hasPrefix("wheel_") == true }
    try #require(wheels.count == 4)
    guard case .cylinder(let radius, _) = start[wheels[0]].shape else {
      Issue.record("wheels are cylinders")
      return
    }
    let fronts = wheels.filter { start[$0].label?.hasPrefix("wheel_front") == true }
    let wheelbase = start[fronts[0]].transform.translation.x - start[wheels.first { !fronts.contains($0) } ?? 0].transform.translation.x
    #expect(wheelbase > 2)

    var motion = SceneModel.Motion(model)
    var distance = 0.0
    var previous: Vec3?
    var steered: [(x: Double, y: Double, angle: Double)] = []
    for frame in trace.frames {
      let pose = Transform(rotation: frame.actors[0].rotation, translation: frame.actors[0].position)
      if let previous { distance += (pose.translation - previous).length }
      previous = pose.translation
      let changes = motion.advance(to: [pose], at: frame.time)
      guard let parts = changes.first(where: { $0.object == 0 })?.parts else { continue }
      for w in wheels {
        let base = start[w].transform, now = parts[w].transform
        #expect((now.translation - base.translation).length < 1e-12, "wheel centres do not move")
        // The rotation relative to the wheel's rest pose: steer (yaw) after spin (about y).
        let relative = now.rotation * base.rotation.conjugate
        let axle = relative.rotate(.unitY)
        let steer = atan2(-axle.x, axle.y)
        let isFront = fronts.contains(w)
        if !isFront { #expect(abs(steer) < 1e-9, "rear wheels do not steer") }
        // Undo the steer: what is left is the spin about the axle, by distance / radius.
        let spin = Quaternion(yaw: -steer) * relative
        let expected = (distance / radius).truncatingRemainder(dividingBy: 2 * .pi)
        let forward = spin.rotate(.unitX)
        let angle = atan2(-forward.z, forward.x)  // about +y: +x turns towards -z
        var error = (angle - expected).remainder(dividingBy: 2 * .pi)
        error = abs(error)
        #expect(error < 0.02, "spin \(angle) vs \(expected) after \(distance) m")
        if isFront { steered.append((pose.translation.x, pose.translation.y, steer)) }
      }
    }
    try #require(!steered.isEmpty)
    let inBend = steered.filter { $0.x > 25 && $0.x < 45 && $0.y > 3 && $0.y < 20 }
    let straight = steered.filter { $0.x < 18 }
    try #require(!inBend.isEmpty && !straight.isEmpty)
    let expectedSteer = atan(wheelbase / 30)
    for s in inBend { #expect(abs(s.angle - expectedSteer) < 0.02, "steer \(s.angle) vs \(expectedSteer) at (\(s.x), \(s.y))") }
    for s in straight { #expect(abs(s.angle) < 0.02, "steer \(s.angle) on the straight at x \(s.x)") }
  }

  /// A parked car keeps its wheels as built; once it has rolled and stopped, its wheels keep
  /// their angle (the frame after a stop still gives the turned parts).
  @Test func wheelsKeepTheirAngleWhenStopped() throws {
    let scene = try #require(try SamplerSupport.scenes(Self.source, count: 1).first)
    let model = try SceneModel(scene: scene, classes: ClassTable(names: ["car", "pedestrian"]))
    let car = try #require(scene.actors.firstIndex { $0.name == "car" })
    let start = scene.actors.map { Transform(position: $0.position, yaw: $0.heading) }
    var motion = SceneModel.Motion(model)
    _ = motion.advance(to: start, at: 0)
    #expect(motion.advance(to: start, at: 0.1).allSatisfy { $0.object != car }, "a parked car's wheels stay as built")
    var moved = start
    moved[car] = Transform(position: start[car].translation + Vec3(0.5, 0, 0), yaw: 0)
    let rolled = try #require(motion.advance(to: moved, at: 0.2).first { $0.object == car })
    let held = try #require(motion.advance(to: moved, at: 0.3).first { $0.object == car })
    #expect(rolled.parts == held.parts)
    #expect(rolled.parts != model.objects[car].parts)
  }

  /// A cyclist's spoked wheels turn with the ground it covers, like a car's.
  @Test func bicycleWheelsTurn() throws {
    let source = """
      import std.vehicles
      scenario S {
          let bike = Cyclist at (0m, 0m, 0m) facing 0deg
      }
      """
    let scene = try #require(try SamplerSupport.scenes(source, count: 1).first)
    let model = try SceneModel(scene: scene, classes: ClassTable(names: ["cyclist"]))
    let start = model.objects[0].parts
    let front = try #require(start.firstIndex { $0.label == "wheel_front" })
    guard case .mesh(let wheel) = start[front].shape else {
      Issue.record("the front wheel is a mesh")
      return
    }
    let radius = wheel.bounds.upper.x
    var motion = SceneModel.Motion(model)
    _ = motion.advance(to: [Transform(position: .zero, yaw: 0)], at: 0)
    let changed = try #require(motion.advance(to: [Transform(position: Vec3(0.3, 0, 0), yaw: 0)], at: 0.1).first)
    let turned = changed.parts[front].transform.rotation * start[front].transform.rotation.conjugate
    let forward = turned.rotate(.unitX)
    #expect(abs(atan2(-forward.z, forward.x) - 0.3 / radius) < 1e-9)
    #expect((changed.parts[front].transform.translation - start[front].transform.translation).length < 1e-12)
  }
}
