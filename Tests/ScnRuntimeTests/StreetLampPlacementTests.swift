import Foundation
import ScnGeometry
import Testing

@testable import ScnRuntime

/// `std.lighting`'s `street_lamps`: a row of lamps along a line, each moved along it by its
/// own jitter draw and given its own intensity (docs/stdlib.md, "std.lighting").
@Suite struct StreetLampPlacementTests {
  static let source = """
    import std.lighting
    scenario S {
        let row = street_lamps((10m, -5m, 0m), 30deg, 6, 20m, 3m, 4000cd, 1000cd)
    }
    """

  @Test func lampsFollowTheRowWithinTheirJitter() throws {
    let scenes = try SamplerSupport.scenes(Self.source, count: 8)
    var offsets: [Double] = []
    var intensities: Set<Double> = []
    let heading = 30.0 * .pi / 180
    let direction = Vec3(cos(heading), sin(heading), 0)
    for scene in scenes {
      let lamps = scene.actors.filter { $0.className == "street_lamp" }
      #expect(lamps.count == 6)
      for (i, lamp) in lamps.enumerated() {
        let d = lamp.position - Vec3(10, -5, 0)
        let along = d.x * direction.x + d.y * direction.y
        let across = d.x * -direction.y + d.y * direction.x
        #expect(abs(across) < 1e-9, "lamp \(i) is \(across) m off the row")
        #expect(abs(d.z) < 1e-9)
        let offset = along - 20 * Double(i)
        #expect(abs(offset) <= 3 + 1e-9, "lamp \(i) is \(offset) m from its place")
        offsets.append(offset)
        #expect(abs(lamp.heading - heading) < 1e-9)
        let intensity = try #require(lamp.fields.first { $0.name == "intensity" }?.value.asDouble)
        #expect(intensity >= 3000 - 1e-9 && intensity <= 5000 + 1e-9)
        intensities.insert(intensity)
      }
    }
    // Each lamp draws its own jitter and intensity: the offsets spread over the interval.
    #expect(Set(offsets).count == offsets.count)
    #expect(offsets.contains { $0 > 1.5 } && offsets.contains { $0 < -1.5 }, "offsets \(offsets)")
    #expect(intensities.count == offsets.count)
  }

  @Test func noJitterGivesTheExactRow() throws {
    let source = Self.source.replacingOccurrences(of: "20m, 3m, 4000cd, 1000cd", with: "20m, 0m, 4000cd, 0cd")
    let scene = try #require(try SamplerSupport.scenes(source, count: 1).first)
    let lamps = scene.actors.filter { $0.className == "street_lamp" }
    for (i, lamp) in lamps.enumerated() {
      let expected = Vec3(10, -5, 0) + Vec3(cos(.pi / 6), sin(.pi / 6), 0) * (20 * Double(i))
      #expect((lamp.position - expected).length < 1e-9)
    }
  }
}

/// Street lamps are obstacles (docs/stdlib.md, "std.lighting"): the sampler's no-overlap rule
/// keeps actors off their poles, and in the simulation they are static bodies of their parts.
@Suite struct StreetLampObstacleTests {
  @Test func anActorOnALampPoleIsRejectedAndBesideItAccepted() throws {
    func source(_ y: String) -> String {
      """
      import std.lighting
      scenario S {
          let lamp = StreetLamp at (10m, 0m, 0m) facing 0deg
          let crate = Box { size: (0.4m, 0.4m, 0.4m) } at (10m, \(y), 0m)
      }
      """
    }
    // On the pole: every attempt overlaps, the sampler gives up naming the rule.
    var options = SamplerOptions()
    options.maxAttempts = 20
    let run = try SamplerSupport.sampler(source("0m"), options).run(start: 0, count: 1, jobs: 1)
    let failure = try #require(run.failure)
    #expect(failure.diagnostic.message.contains("overlap"), "\(failure.diagnostic.message)")
    // 0.5 m beside the pole, under the head's 0.3 m footprint: accepted.
    #expect(try SamplerSupport.scenes(source("0.5m"), count: 1).count == 1)
  }

  @Test func aCarDrivingIntoALampCollidesWithIt() throws {
    let (scene, trace) = try SimulationSupport.trace(
      """
      import std.lighting
      import std.vehicles
      scenario S {
          ego car = Car at (0m, 0m, 0m) facing 0deg with behavior set_speed(5m/s)
          let lamp = StreetLamp at (12m, 0m, 0m) facing 0deg
          simulate 4s at 50Hz
      }
      """)
    let car = try SimulationSupport.actor(scene, "car"), lamp = try SimulationSupport.actor(scene, "lamp")
    #expect(trace.collisions.contains { $0.began && Set([$0.first, $0.second]) == Set([car, lamp]) })
    // The lamp stays where it stood.
    let last = try #require(trace.frames.last)
    #expect((last.actors[lamp].position - Vec3(12, 0, 0)).length < 1e-9)
  }
}
