import ScnRuntime
import Testing

/// Helpers for reading simulated traces in tests.
enum SimulationSupport {
  /// The only scene of a one-sample run, with its trace.
  static func trace(_ source: String, seed: UInt64 = 0, sample: UInt64 = 0) throws -> (Scene, Trace) {
    let scenes = try SamplerSupport.scenes(source, count: 1, options(seed: seed, maxAttempts: 1_000), start: sample)
    let scene = try #require(scenes.first)
    let trace = try #require(scene.trace)
    return (scene, trace)
  }

  /// Sampler options with the simulation on.
  static func options(seed: UInt64 = 0, maxAttempts: Int = 100_000) -> SamplerOptions {
    var o = SamplerOptions(seed: seed, maxAttempts: maxAttempts)
    o.simulation = .always
    return o
  }

  static func actor(_ scene: Scene, _ name: String) throws -> Int {
    try #require(scene.actors.firstIndex { $0.name == name })
  }
}
