import ScnRuntime
import Testing

@Suite struct VisibilityTests {
  @Test func frustumOcclusionAndMount() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario V {
          ego mast = Mast at (0m, 0m, 0m) facing 0deg
          sensor cam = Camera { mount: mast, offset: (0m, 0m, 1m), fov: 90deg }
          sensor scanner = Lidar { mount: mast, offset: (0m, 0m, 1m), channels: 16, fov_lower: -10deg,
                                   fov_upper: 10deg, horizontal_resolution: 0.5deg, range: 50m }
          let ahead = Box at (10m, 0m, 0.8m)
          let behind = Box at (-10m, 0m, 0.8m)
          let target = Box at (20m, 5m, 0.8m)
          let wall = Box { size: (0.2m, 4m, 3m) } at (15m, 3.75m, 0m)
          require visible(ahead, from: cam)
          require occlusion(ahead, from: cam) == 0.0
          require not visible(behind, from: cam)
          require occlusion(behind, from: cam) == 1.0
          require occlusion(target, from: cam) > 0.9
          require not visible(mast, from: cam)
          require lidar_points(ahead, from: scanner) > 0
          require lidar_points(target, from: scanner) == 0
          require lidar_points(behind, from: scanner) > 0
      }
      """, count: 3, SamplerOptions(maxAttempts: 1))
    #expect(scenes.count == 3)
    let cam = try #require(scenes[0].sensors.first { $0.name == "cam" })
    #expect(cam.mount == "mast")
    #expect(cam.pose.position == .init(0, 0, 1))
  }
}
