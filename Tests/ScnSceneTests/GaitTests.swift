import ScnGeometry
import Testing
@testable import ScnScene

/// A person on the move swings its limbs through the gait cycle: the parts change with
/// `gait_phase`, repeat after a whole cycle, and the feet stay on the ground.
@Suite struct GaitTests {
  func request(_ pose: String, phase: Double?) -> ShapeRequest {
    var parameters: [String: ShapeParameter] = ["pose": .name(pose)]
    if let phase { parameters["gait_phase"] = .real(phase) }
    return ShapeRequest(kind: "person", size: Vec3(0.6, 0.6, 1.75), parameters: parameters)
  }

  func ankle(_ parts: [Part], _ label: String) -> Vec3? {
    guard let part = parts.first(where: { $0.label == label }), case .mesh(let mesh) = part.shape else { return nil }
    var lowest = Vec3(0, 0, .infinity)
    for v in mesh.vertices where Double(v.z) < lowest.z { lowest = Vec3(Double(v.x), Double(v.y), Double(v.z)) }
    return lowest
  }

  @Test func limbsMoveThroughTheCycleAndRepeat() throws {
    let a = ActorShapes.parts(request("walking", phase: 0))
    let b = ActorShapes.parts(request("walking", phase: 0.25))
    let c = ActorShapes.parts(request("walking", phase: 0.5))
    let again = ActorShapes.parts(request("walking", phase: 1.0))
    let footA = try #require(ankle(a, "foot_left")), footB = try #require(ankle(b, "foot_left"))
    let footC = try #require(ankle(c, "foot_left"))
    // Half a cycle later the left foot has moved from ahead of the body to behind it.
    #expect(footA.x > 0.15, "left heel strike: the left foot is ahead (\(footA.x))")
    #expect(footC.x < -0.1, "half a cycle on, the left foot is behind (\(footC.x))")
    #expect(abs(footA.x - footB.x) > 0.05)
    #expect(ankle(again, "foot_left") == footA, "a whole cycle later the pose repeats")
    // The lowest point of the body stays on the ground in every phase.
    for k in 0..<16 {
      let parts = ActorShapes.parts(request("running", phase: Double(k) / 16))
      let lowest = parts.compactMap { ankle([$0], $0.label ?? "") }.map(\.z).min() ?? 1
      #expect(abs(lowest) < 1e-3)
    }
  }

  @Test func strideFollowsThePoseAndSittingHasNoGait() {
    #expect(ActorShapes.gaitStride(request("standing", phase: nil)) == 0.8 * 1.75)
    #expect(ActorShapes.gaitStride(request("running", phase: nil)) == 1.6 * 1.75)
    #expect(ActorShapes.gaitStride(request("sitting", phase: nil)) == nil)
    #expect(ActorShapes.gaitStride(ShapeRequest(kind: "car", size: Vec3(4, 2, 1.5))) == nil)
  }
}
