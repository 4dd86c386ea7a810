import ScnRuntime
import Testing

/// The non-overlap rule and `overlaps` test parts as convex solids after their boxes
/// (docs/scene-model.md, "Overlap tests and physics").
@Suite struct SolidOverlapTests {
  static func source(brick at: String) -> String {
    """
    scenario Corner {
        ego ball = Box { shape: sphere, size: (2m, 2m, 2m) } at (0m, 0m, 0m)
        let brick = Box { size: (0.2m, 0.2m, 0.2m) } at \(at)
    }
    """
  }

  @Test func aBrickInTheCornerOfABallsBoxIsNotAnOverlap() throws {
    // The ball's box holds the brick; the ball (radius 1 m about (0, 0, 1)) does not reach it.
    let scenes = try SamplerSupport.scenes(Self.source(brick: "(0.8m, 0.8m, 1.7m)"), count: 1, SamplerOptions(maxAttempts: 1))
    #expect(scenes.count == 1)
    // Moved in towards the centre it overlaps the ball: no attempt passes.
    #expect(throws: (any Error).self) {
      try SamplerSupport.scenes(Self.source(brick: "(0.5m, 0.5m, 1.4m)"), count: 1, SamplerOptions(maxAttempts: 1))
    }
  }

  @Test func overlapsReadsTheSameSolids() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario Corner {
          ego ball = Box { shape: sphere, size: (2m, 2m, 2m) } at (0m, 0m, 0m)
          let clear = Box { size: (0.2m, 0.2m, 0.2m) } at (0.8m, 0.8m, 1.7m)
          let inside = Box { size: (0.2m, 0.2m, 0.2m) } at (0.5m, -0.5m, 1.4m)
          allow overlap
          require not overlaps(ball, clear)
          require overlaps(ball, inside)
      }
      """, count: 1, SamplerOptions(maxAttempts: 1))
    #expect(scenes.count == 1)
  }
}
