import ScnGeometry
import Testing

@testable import ScnPhysics

@Suite struct StackingAndFrictionTests {
  @Test func tenBoxStackHoldsForTenSeconds() throws {
    var w = TestScenes.world(sleep: false)
    try w.addGroundPlane(friction: 0.6)
    var boxes: [BodyID] = []
    var start: [Vec3] = []
    for i in 0..<10 {
      let p = Vec3(0, 0, 0.25 + Double(i) * 0.5)
      boxes.append(
        try w.addBody(
          RigidBodyDescriptor(
            shape: .box(halfExtents: Vec3(0.25, 0.25, 0.25)), transform: Transform(translation: p), friction: 0.6)))
      start.append(p)
    }
    var worst = 0.0
    for _ in 0..<(240 * 10) {
      try w.step(dt: 1.0 / 240)
      for (id, p) in zip(boxes, start) {
        worst = max(worst, (try #require(w.transform(of: id)).translation - p).length)
      }
    }
    #expect(worst < 0.01, "largest drift \(worst) m")
    let top = try #require(w.transform(of: boxes[9]))
    #expect(abs(top.rotation.yaw) < 1e-3)
  }

  @Test func slidingBoxStopsAtTheCoulombDistance() throws {
    var w = TestScenes.world()
    let mu = 0.5
    try w.addGroundPlane(friction: mu)
    let v0 = 5.0
    let box = try w.addBody(
      RigidBodyDescriptor(
        shape: .box(halfExtents: Vec3(0.5, 0.5, 0.25)), transform: Transform(translation: Vec3(0, 0, 0.25)),
        friction: mu, linearVelocity: Vec3(v0, 0, 0)))
    for _ in 0..<(240 * 3) { try w.step(dt: 1.0 / 240, substeps: 2) }
    let travelled = try #require(w.transform(of: box)).translation.x
    let expected = v0 * v0 / (2 * mu * TestScenes.g)
    #expect(abs(travelled - expected) / expected < 0.02, "slid \(travelled), expected \(expected)")
    #expect(try #require(w.velocity(of: box)).linear.length < 1e-6)
    // It slid straight: no sideways drift, next to no yaw (Gauss–Seidel order is slightly asymmetric).
    let pose = try #require(w.transform(of: box))
    #expect(abs(pose.translation.y) < 1e-6, "sideways \(pose.translation.y)")
    #expect(abs(pose.rotation.yaw) < 1e-4, "yaw \(pose.rotation.yaw)")
  }

  @Test func boxRestingOnBoxHasAFourPointManifold() throws {
    var w = TestScenes.world(sleep: false)
    let base = try w.addBody(
      RigidBodyDescriptor(
        shape: .box(halfExtents: Vec3(1, 1, 0.5)), transform: Transform(translation: Vec3(0, 0, 0.5)),
        motion: .static))
    let top = try w.addBody(
      RigidBodyDescriptor(
        shape: .box(halfExtents: Vec3(0.3, 0.2, 0.1)),
        transform: Transform(rotation: Quaternion(yaw: 0.4), translation: Vec3(0.1, 0, 1.1))))
    for _ in 0..<240 { try w.step(dt: 1.0 / 240) }
    // The manifold is stable: the same four feature ids step after step, so every
    // point is warm-started from its own previous impulse.
    let features = w.points.map(\.feature)
    for _ in 0..<60 {
      try w.step(dt: 1.0 / 240)
      #expect(w.points.map(\.feature) == features)
    }
    #expect(Set(features).count == 4)
    let points = w.contacts.filter { $0.pair == BodyPair(base, top) }
    #expect(points.count == 4)
    let total = points.reduce(0) { $0 + $1.normalImpulse }
    // The four impulses together carry the weight over the step.
    let weight = try #require(w.mass(of: top)) * TestScenes.g / 240
    #expect(abs(total - weight) / weight < 0.01)
    #expect(points.allSatisfy { abs($0.normal.z - 1) < 1e-9 })
    #expect(abs(try #require(w.transform(of: top)).translation.z - 1.1) < 0.002)
  }
}
