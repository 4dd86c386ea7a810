import Foundation
import Testing

/// `visible`/`occlusion` in `scn sample` (and `generate`) come from the renderer's ray
/// caster. A target half hidden behind a wall must measure ≈ 0.5 — the sampler's old
/// 27-probe estimate could only say ⅓ or ⅔ here.
@Suite struct VisibilityTests {
  static func scenario(requirement: String) -> String {
    """
    import std.warehouse

    @dataset(name: "vis", version: "0.1.0", license: "CC-BY-4.0")
    @intended_use("Testing visibility.")
    @out_of_scope("Everything else.")
    scenario HalfHidden {
        ego mast = Forklift at (0m, 0m, 0m) facing 0deg
        let target = Box { size: (1m, 2m, 2m) } at (10m, 0m, 0m) facing 0deg
        let wall = Box { size: (0.2m, 1m, 3m) } at (5m, -0.5m, 0m) facing 0deg
        sensor cam = Camera { mount: mast, offset: (0m, 0m, 1m), fov: 60deg }
        \(requirement)
    }

    """
  }

  @Test func halfHiddenTargetMeasuresHalfOccluded() throws {
    let dir = try temporaryDirectory(files: [
      "half.scn": Self.scenario(requirement: "require 0.45 < occlusion(target, from: cam) < 0.55"),
      "hidden.scn": Self.scenario(requirement: "require occlusion(target, from: cam) > 0.9"),
      "seen.scn": Self.scenario(requirement: "require visible(target, from: cam)"),
    ])
    #expect(try SCNProcess.run(["sample", "half.scn", "--count", "1"], in: dir).status == 0)
    #expect(try SCNProcess.run(["sample", "seen.scn", "--count", "1"], in: dir).status == 0)
    let impossible = try SCNProcess.run(["sample", "hidden.scn", "--count", "1", "--max-attempts", "20"], in: dir)
    #expect(impossible.status == 1)
    #expect(impossible.stderr.contains("occlusion(target, from: cam) > 0.9"))
  }
}
