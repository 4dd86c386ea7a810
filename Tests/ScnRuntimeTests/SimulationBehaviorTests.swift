import Foundation
import ScnGeometry
import ScnRuntime
import Testing

/// Behaviors step by step: waits, actions with `for` / `until`, nested behaviors.
@Suite struct SimulationBehaviorTests {
  static let crossing = """
    import std.vehicles
    import std.pedestrians
    behavior Cross(target: Position, speed: Speed) {
        wait until distance(self, ego) < 20m
        do walk_to(target, speed) until self.position.y > 4m
        do stop() for 1s
    }
    scenario Crossing {
        ego car = Car at (0m, 0m, 0m) facing 0deg with behavior drive(10m/s, 0deg)
        let ped = Pedestrian at (30m, -3m, 0m) with behavior Cross(target: (30m, 5m, 0m), speed: 1.5m/s)
        simulate 10s at 100Hz
    }
    """

  @Test func pedestrianWaitsThenWalksThenStops() throws {
    let (scene, trace) = try SimulationSupport.trace(Self.crossing)
    let car = try SimulationSupport.actor(scene, "car"), ped = try SimulationSupport.actor(scene, "ped")
    #expect(trace.frames.count == 1001)
    #expect(trace.step == 0.01)
    func dist(_ f: Trace.Frame) -> Double {
      let a = f.actors[car].position, b = f.actors[ped].position
      return ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y) + (a.z - b.z) * (a.z - b.z)).squareRoot()
    }
    // The trigger: the first step at which the car is within 20 m.
    let trigger = try #require(trace.frames.firstIndex { dist($0) < 20 })
    #expect(trigger > 0 && dist(trace.frames[trigger - 1]) >= 20)
    // The car accelerates at 3 m/s² from rest toward 10 m/s: 10 m takes √(20/3) ≈ 2.58 s.
    #expect(abs(trace.frames[trigger].time - (20.0 / 3).squareRoot()) < 0.05)
    // Standing still up to the trigger, moving right after it.
    let start = trace.frames[0].actors[ped].position
    #expect(trace.frames[...trigger].allSatisfy { $0.actors[ped].position == start })
    #expect(trace.frames[trigger + 1].actors[ped].position.y > start.y)
    // It walks at 1.5 m/s (accelerating at 1.5 m/s²) until it passes y = 4 m.
    let passed = try #require(trace.frames.firstIndex { $0.actors[ped].position.y > 4 })
    let walked = trace.frames[passed].time - trace.frames[trigger].time
    // 7 m: 1 s to reach 1.5 m/s (0.75 m), then 6.25 m at 1.5 m/s ≈ 4.17 s; 5.17 s in all.
    #expect(abs(walked - 5.17) < 0.1)
    #expect(abs(trace.frames[passed].actors[ped].speed - 1.5) < 1e-6)
    // Then it brakes (1.5 m/s² over 1 s) and stands: short of the target at y = 5 m.
    let end = trace.frames[passed + 150].actors[ped]
    #expect(end.speed == 0)
    #expect(end.position.y > 4 && end.position.y < 5)
    #expect(trace.frames.last?.actors[ped].position == end.position)
    // Nobody brakes: the car (front at x ≈ 31.6 m) meets the pedestrian (y ≈ -0.6 m) at about 4.6 s.
    let hit = try #require(trace.collisions.first { Set([$0.first, $0.second]) == Set([car, ped]) })
    #expect(hit.began)
    #expect(hit.time > 4.3 && hit.time < 4.8)
  }

  static func forUntil(duration: String, threshold: String) -> String {
    """
    import std.pedestrians
    behavior Stroll(speed: Speed) {
        do set_speed(speed) for \(duration) until self.position.x > \(threshold)
        do stop()
    }
    scenario S {
        ego p = Pedestrian at (0m, 0m, 0m) facing 0deg with behavior Stroll(1m/s)
        simulate 6s at 100Hz
    }
    """
  }

  /// The step at which the walker starts braking (speed falls for the first time).
  static func brakeStep(_ trace: Trace) -> Int? {
    trace.frames.indices.dropFirst().first { trace.frames[$0].actors[0].speed < trace.frames[$0 - 1].actors[0].speed - 1e-3 }
  }

  @Test func forEndsTheActionWhenItComesFirst() throws {
    let (_, trace) = try SimulationSupport.trace(Self.forUntil(duration: "2s", threshold: "100m"))
    // Commands issued at step 200 act during the step to 201.
    #expect(Self.brakeStep(trace) == 201)
  }

  @Test func untilEndsTheActionWhenItComesFirst() throws {
    let (_, trace) = try SimulationSupport.trace(Self.forUntil(duration: "5s", threshold: "1m"))
    let passed = try #require(trace.frames.firstIndex { $0.actors[0].position.x > 1 })
    #expect(passed < 300)
    #expect(Self.brakeStep(trace) == passed + 1)
  }

  @Test func nativeActionAsTheWholeBehaviorFollowsTheLane() throws {
    let source = """
      import std.vehicles
      scenario S {
          let r = road(start: (0m, 0m, 0m), heading: 0deg, segments: [straight(20m), arc(radius: 30m, turn: 90deg), straight(50m)],
                       lanes: 1, lane_width: 3.5m)
          ego car = Car at (2m, 0.5m, 0m) facing 0deg with behavior follow_lane(8m/s)
          simulate 10s at 50Hz
      }
      """
    let (_, trace) = try SimulationSupport.trace(source)
    let last = try #require(trace.frames.last).actors[0]
    // Through the left-hand bend: heading ≈ 90°, on the centre line x ≈ 50 m.
    #expect(abs(last.heading - .pi / 2) < 0.05)
    #expect(abs(last.position.x - 50) < 0.5)
    #expect(abs(last.speed - 8) < 1e-6)
  }

  @Test func vehiclesStartAtTheirSpeedField() throws {
    let source = """
      import std.vehicles
      scenario S {
          ego car = Car { speed: 20m/s } at (5m, 1m, 0m) facing 30deg with behavior follow_lane(20m/s)
          let parked = Car { speed: 8m/s } at (-20m, -10m, 0m) facing 0deg
          simulate 1s at 100Hz
      }
      """
    let (scene, trace) = try SimulationSupport.trace(source)
    for (i, speed) in [(0, 20.0), (1, 8.0)] {
      let first = trace.frames[0].actors[i], last = try #require(trace.frames.last).actors[i]
      let start = scene.actors[i].position, heading = scene.actors[i].heading
      #expect(abs(first.position.x - start.x) < 1e-9 && abs(first.position.y - start.y) < 1e-9)
      #expect(abs(first.speed - speed) < 1e-9 && abs(last.speed - speed) < 1e-9)
      // One second later, `speed` metres along the heading.
      #expect(abs(last.position.x - (start.x + speed * heading.cosine)) < 1e-6)
      #expect(abs(last.position.y - (start.y + speed * heading.sine)) < 1e-6)
    }
  }

  @Test func nestedBehaviorEndsWithItsFor() throws {
    let source = """
      import std.pedestrians
      behavior Walk(speed: Speed) {
          do set_speed(speed)
      }
      behavior Outer() {
          do Walk(1m/s) for 1.5s
          wait 0.5s
          do stop()
      }
      scenario S {
          ego p = Pedestrian at (0m, 0m, 0m) facing 0deg with behavior Outer()
          simulate 4s at 100Hz
      }
      """
    let (_, trace) = try SimulationSupport.trace(source)
    // Walking continues through the wait (the last command holds), braking starts at 2 s.
    #expect(Self.brakeStep(trace) == 201)
    #expect(trace.frames.last?.actors[0].speed == 0)
  }
}
