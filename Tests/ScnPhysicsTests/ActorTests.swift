import ScnGeometry
import Testing

@testable import ScnPhysics

@Suite struct ActorTests {
  @Test func vehicleFollowsAnArcLaneWithinTwentyCentimetres() throws {
    var builder = LanePath.Builder(start: .zero, heading: 0)
    builder.arc(radius: 30, angle: 2 * .pi)
    let lane = try #require(builder.build())
    #expect(lane.isClosed)
    var w = TestScenes.world()
    try w.addGroundPlane()
    // Start 1 m right of the lane, already rolling.
    let car = try w.addVehicle(
      try #require(KinematicVehicle(position: Vec3(0, -1, 0), yaw: 0)),
      halfExtents: Vec3(2.2, 0.9, 0.7))
    try w.command(.followLane(lane, speed: 12), vehicle: car)
    let dt = 1.0 / 100
    for _ in 0..<1500 { try w.step(dt: dt) }  // 15 s to settle
    var worstCentre = 0.0
    var worstAxle = 0.0
    for _ in 0..<1500 {
      try w.step(dt: dt)
      let body = try #require(w.transform(of: car)).translation
      worstCentre = max(worstCentre, lane.closestPoint(to: body).distance)
      let v = try #require(w.vehicle(car))
      worstAxle = max(worstAxle, lane.closestPoint(to: v.rearAxle).distance)
    }
    #expect(worstCentre < 0.2, "body centre strays \(worstCentre) m")
    #expect(worstAxle < 0.05, "rear axle strays \(worstAxle) m")
    #expect(abs(try #require(w.vehicle(car)).speed - 12) < 1e-9)
  }

  @Test func vehicleWithoutLaneDrivesStraightAndStops() throws {
    var v = try #require(KinematicVehicle(position: Vec3(0, 0, 0), yaw: .pi / 2))
    v.apply(.drive(speed: 10, steer: 0))
    for _ in 0..<1000 { v.advance(dt: 0.01) }
    #expect(abs(v.position.x) < 1e-9 && v.position.y > 80)
    // Accelerates at the limit: 10 m/s after 10/3 s, so 10·10 − 10²/(2·3) m in 10 s.
    #expect(abs(v.position.y - (100 - 100.0 / 6)) < 0.1)
    v.apply(.stop)
    for _ in 0..<200 { v.advance(dt: 0.01) }
    #expect(v.speed == 0)
    v.apply(.drive(speed: 5, steer: 0.3))
    #expect(v.targetSteer == 0.3)
    for _ in 0..<100 { v.advance(dt: 0.01) }
    // Steering moves at most maxSteerRate (1 rad/s): 0.3 rad takes 0.3 s.
    #expect(abs(v.steerAngle - 0.3) < 1e-12 && v.yaw > .pi / 2)
  }

  @Test func pedestrianReachesItsTargetWithinSpeedAndAccelerationLimits() throws {
    var w = TestScenes.world()
    try w.addGroundPlane()
    let person = try w.addPedestrian(try #require(KinematicPedestrian(position: .zero, maxAcceleration: 1.5)))
    let target = Vec3(6, 8, 0)
    try w.walk(person, to: target, speed: 1.4)
    var fastest = 0.0
    var previous = Vec3.zero
    for _ in 0..<(100 * 12) {
      try w.step(dt: 0.01)
      let p = try #require(w.pedestrian(person))
      fastest = max(fastest, p.velocity.length)
      #expect((p.velocity - previous).length <= 1.5 * 0.01 + 1e-12)
      previous = p.velocity
    }
    let p = try #require(w.pedestrian(person))
    #expect(p.hasArrived)
    #expect((p.position - target).length < 1e-12)
    #expect(fastest <= 1.4 + 1e-12 && fastest > 1.39)
    // The capsule body stands on the target.
    let body = try #require(w.transform(of: person)).translation
    #expect(abs(body.x - 6) < 1e-12 && abs(body.y - 8) < 1e-12 && abs(body.z - 0.875) < 1e-12)
  }

  @Test func vehiclePushesABoxAndTheCollisionIsRecorded() throws {
    var w = TestScenes.world()
    try w.addGroundPlane()
    let car = try w.addVehicle(
      try #require(KinematicVehicle(position: .zero, yaw: 0)), halfExtents: Vec3(2.2, 0.9, 0.7))
    let crate = try w.addBody(
      RigidBodyDescriptor(
        shape: .box(halfExtents: Vec3(0.3, 0.3, 0.3)), transform: Transform(translation: Vec3(8, 0, 0.3)),
        mass: .mass(20)))
    let person = try w.addPedestrian(try #require(KinematicPedestrian(position: Vec3(30, 0, 0))))
    try w.command(.drive(speed: 8, steer: 0), vehicle: car)
    for _ in 0..<(100 * 6) { try w.step(dt: 0.01) }
    #expect(w.collided(car, crate))
    #expect(w.collided(car, person))
    #expect(!w.collided(crate, person) || w.collidedPairs.contains(BodyPair(crate, person)))
    let hitCrate = try #require(w.contactEvents.first { $0.pair == BodyPair(car, crate) })
    let hitPerson = try #require(w.contactEvents.first { $0.pair == BodyPair(car, person) })
    #expect(hitCrate.time < hitPerson.time)
    #expect(try #require(w.transform(of: crate)).translation.x > 10)
    // Nothing moves the kinematic bodies but their controllers.
    #expect(try #require(w.transform(of: person)).translation.x == 30)
  }

  @Test func commandsToTheWrongKindOfBodyThrow() throws {
    var w = TestScenes.world()
    let plane = try w.addGroundPlane()
    #expect(throws: PhysicsError.unknownBody(plane)) { try w.command(.stop, vehicle: plane) }
    #expect(throws: PhysicsError.unknownBody(BodyID(rawValue: 7))) {
      try w.walk(BodyID(rawValue: 7), to: .zero, speed: 1)
    }
    #expect(KinematicVehicle(parameters: VehicleParameters(wheelbase: 0), position: .zero, yaw: 0) == nil)
    // Made-up ids are answered, not trapped on.
    let bogus = BodyID(rawValue: -3)
    #expect(!w.collided(bogus, plane) && !w.isTouching(plane, bogus) && w.transform(of: bogus) == nil)
    #expect(KinematicPedestrian(position: Vec3(.nan, 0, 0)) == nil)
  }
}
