import Foundation
import ScnGeometry
import ScnMap
import ScnScene
import Testing

@testable import ScnRuntime

/// A map's traffic lights are fixed obstacles: the sampler's non-overlap rule rejects an
/// actor drawn onto a light's pole, and physics stops a sliding prop at it
/// (docs/scene-model.md, "Traffic lights").
@Suite(.serialized) struct TrafficLightObstacleTests {
  static let fixtures = SamplerSupport.repoRoot.appendingPathComponent("Tests/Fixtures/opendrive")
  static let mainPath = fixtures.appendingPathComponent("main.scn").path

  /// Town01's first traffic light, read independently of the runtime.
  static let light: SignalPlan.Light? = {
    guard let network = try? OpenDriveReader.read(contentsOf: fixtures.appendingPathComponent("Town01.xodr")) else {
      return nil
    }
    return SignalPlan(ScnMap.LaneNetwork(network)).lights.first
  }()

  static func run(_ body: String, simulate: Bool = false) throws -> SamplerRun {
    let source = """
      import std.vehicles
      scenario OnTheLight {
          let town = map("Town01.xodr")
      \(body)
      }
      """
    guard let program = try SamplerSupport.compile(source, path: mainPath).program else {
      throw SamplerSupport.CompileFailed(description: "no program")
    }
    let options = simulate ? SimulationSupport.options(maxAttempts: 50) : SamplerOptions(seed: 0, maxAttempts: 50)
    return try Sampler(program: program, options: options).run(start: 0, count: 1, jobs: 1)
  }

  static func metres(_ v: Double) -> String { "\(v)m" }

  @Test func anActorOnALightsPoleIsRejected() throws {
    let light = try #require(Self.light)
    let p = light.position
    let at = "(\(Self.metres(p.x)), \(Self.metres(p.y)), \(Self.metres(p.z)))"
    let onPole = try Self.run("    ego b = Box at \(at)")
    let failure = try #require(onPole.failure)
    #expect(failure.diagnostic.message.contains("traffic light 1 of"), "\(failure.diagnostic.message)")
    // The same actor with 'allow overlap' is accepted, and beside the pole it is too.
    #expect(try Self.run("    allow overlap\n    ego b = Box at \(at)").failure == nil)
    let beside = "(\(Self.metres(p.x + 0.3)), \(Self.metres(p.y)), \(Self.metres(p.z)))"
    #expect(try Self.run("    ego b = Box at \(beside)").failure == nil)
    // Up at the housing's height, a box beside the pole but inside the housing is rejected.
    let housing = "(\(Self.metres(p.x)), \(Self.metres(p.y)), \(Self.metres(p.z + 3.0)))"
    let high = try #require(try Self.run("    ego b = Box at \(housing)").failure)
    #expect(high.diagnostic.message.contains("traffic light 1 of"), "\(high.diagnostic.message)")
  }

  @Test func aLightsHousingHidesWhatStandsBehindIt() throws {
    let light = try #require(Self.light)
    let p = light.position
    func scenario(_ dy: Double, _ requirement: String) -> String {
      """
          ego mast = Mast at (\(Self.metres(p.x - 6)), \(Self.metres(p.y)), \(Self.metres(p.z))) facing 0deg
          sensor cam = Camera { mount: mast, offset: (0m, 0m, 3.1m), fov: 60deg }
          let target = Box at (\(Self.metres(p.x + 4)), \(Self.metres(p.y + dy)), \(Self.metres(p.z + 2.9)))
          require \(requirement)
      """
    }
    // Behind the housing, at its height, seen from 6 m before it: hidden.
    let behind = try Self.run(scenario(0, "occlusion(target, from: cam) > 0.9 and not visible(target, from: cam)"))
    #expect(behind.failure == nil, "\(behind.failure?.diagnostic.message ?? "")")
    // Two metres to the side: in plain view.
    let aside = try Self.run(scenario(2, "occlusion(target, from: cam) == 0.0"))
    #expect(aside.failure == nil, "\(aside.failure?.diagnostic.message ?? "")")
  }

  @Test func aSlidingPropStopsAtTheLight() throws {
    let light = try #require(Self.light)
    let p = light.position
    // 1.5 m before the pole, sliding towards it at 6 m/s: on the ground alone it would pass it.
    let start = "(\(Self.metres(p.x - 1.5)), \(Self.metres(p.y)), \(Self.metres(p.z)))"
    let run = try Self.run("    ego b = Box { speed: 6m/s } at \(start) facing 0deg\n    simulate 1.5s at 100Hz", simulate: true)
    #expect(run.failure == nil)
    let scene = try #require(run.scenes.first)
    let trace = try #require(scene.trace)
    let end = try #require(trace.frames.last?.actors.first?.position)
    // The box's front (0.2 m ahead of its centre) stops at the pole (radius 0.06 m).
    #expect(end.x < p.x - 0.25 + 0.01, "the box passed the pole: x = \(end.x), pole at \(p.x)")
    #expect(end.x > p.x - 1.5 + 0.3, "the box did not slide: x = \(end.x)")
    #expect(trace.collisions.contains { $0.first == Trace.ground || $0.second == Trace.ground })
  }

  @Test func contactsWithALightNameItApartFromTheGround() throws {
    let light = try #require(Self.light)
    let p = light.position
    // Its front (0.2 m ahead of its centre) 2 mm from the pole (radius 0.06 m), nudged towards
    // it below the bounce threshold.
    let start = "(\(Self.metres(p.x - 0.262)), \(Self.metres(p.y)), \(Self.metres(p.z)))"
    let run = try Self.run("    ego b = Box { speed: 0.4m/s } at \(start) facing 0deg\n    simulate 0.5s at 100Hz", simulate: true)
    #expect(run.failure == nil)
    let trace = try #require(run.scenes.first?.trace)
    #expect(Trace.trafficLight == -2 && Trace.ground == -1)
    #expect(trace.collisions.contains { $0.began && $0.first == 0 && $0.second == Trace.trafficLight }, "\(trace.collisions)")
    #expect(trace.collisions.contains { $0.began && $0.first == Trace.ground && $0.second == 0 })
  }
}
