import ScnGeometry
import ScnTestSupport
import Testing

@testable import ScnPhysics

/// A bouncing body touches what it bounces off, however fast it comes: the solver reverses
/// a fast approach from a speculative contact up to one substep's travel away, before the
/// gap closes, and that reversal is the contact (a `began` event, `collided`), not a
/// bounce in mid-air. Random speeds, heights, shapes, restitutions and steps from a
/// fixed-seed stream, so a failure names its case and reproduces exactly.
@Suite struct BounceContactTests {
  /// One fast sphere thrown down at 20 m/s from 1 m, restitution 0.8, 60 Hz: it bounces
  /// at its first contact, and that contact is an event.
  @Test func aFastBallThatBouncesFiresAContactEvent() throws {
    var w = TestScenes.world()
    let ground = try w.addGroundPlane(restitution: 0.8)
    let r = 0.1
    let ball = try w.addBody(
      RigidBodyDescriptor(
        shape: .sphere(radius: r), transform: Transform(translation: Vec3(0, 0, r + 1)), restitution: 0.8,
        linearVelocity: Vec3(0, 0, -20)))
    var bouncedAt: Double?
    for _ in 0..<30 where bouncedAt == nil {
      let before = w.time
      try w.step(dt: 1.0 / 60)
      if try #require(w.velocity(of: ball)).linear.z > 0 { bouncedAt = before }
    }
    let bounce = try #require(bouncedAt, "the ball never bounced")
    let began = w.contactEvents.first { $0.pair == BodyPair(ground, ball) && $0.kind == .began }
    #expect(began != nil, "bounced at \(bounce) s without a contact event: \(w.contactEvents)")
    #expect(began.map { abs($0.time - bounce) < 1e-9 } ?? false, "\(String(describing: began?.time)) vs \(bounce)")
    #expect(w.collided(ball, ground))
  }

  /// Every substep in which the body's approach is reversed (its velocity along the
  /// contact normal goes from approaching faster than the restitution threshold to
  /// leaving) has the pair touching: a `began` event at that substep, or the pair already
  /// touching.
  @Test func everyBounceIsAContact() throws {
    var random = SplitMix64(0x5eed_b0b)
    for trial in 0..<200 {
      let v = (0..<6).map { _ in random.unit() }
      var w = TestScenes.world(sleep: false)
      let e = 0.3 + 0.7 * v[0]
      let ground = try w.addGroundPlane(restitution: e)
      let speed = 1 + 39 * v[1]
      let height = 0.05 + 2 * v[2]
      let rate = [30.0, 60, 100, 240][Int(v[3] * 4)]
      let shape = RandomDropPropertyTests.shape(v[4], v[5], 0.5)
      let reach = shape.localBoundsHalfExtents().length
      let body = try w.addBody(
        RigidBodyDescriptor(
          shape: shape, transform: Transform(translation: Vec3(0, 0, reach + height)), restitution: e,
          linearVelocity: Vec3(0, 0, -speed)))
      var bounces = 0
      for _ in 0..<Int(rate) {
        let approach = try #require(w.velocity(of: body)).linear.z
        let touchingBefore = w.isTouching(ground, body)
        let before = w.contactEvents.count
        try w.step(dt: 1 / rate)
        let after = try #require(w.velocity(of: body)).linear.z
        guard approach < -w.settings.restitutionThreshold, after > 0 else { continue }
        bounces += 1
        let began = w.contactEvents[before...].contains { $0.pair == BodyPair(ground, body) && $0.kind == .began }
        #expect(began || touchingBefore,
                "trial \(trial): \(shape) at \(speed) m/s from \(height) m, e = \(e), \(rate) Hz: bounce \(bounces) at t = \(w.time) without contact")
        if !(began || touchingBefore) { break }
      }
      #expect(bounces > 0, "trial \(trial): no bounce")
      #expect(w.collided(ground, body), "trial \(trial)")
    }
  }
}
