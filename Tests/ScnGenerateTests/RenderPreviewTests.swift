import Foundation
import ScnDataset
import Testing

@testable import ScnDriver

/// The REPL's `:render CAMERA` (`SamplingSession.renderPNG`) draws what `scn generate`
/// writes for the camera's first image of that sample: the world of that frame, without
/// the actors that do not exist yet (docs/language-tour.md, "Sub-scenarios in sequence").
/// The cameras here have next to no noise (no read noise, a deep well), so the two images
/// may differ by rounding only.
@Suite struct RenderPreviewTests {
  /// A red crate right in front of the pole's camera, from a sub-scenario that starts at 1 s;
  /// the crate's own camera first records then.
  static let scene = """
    scenario Delivery {
        let crate = Box { size: (1m, 2m, 2m), class: "crate", color: RED } at (3m, 0m, 0m) facing 180deg
        sensor cratecam = Camera { mount: crate, offset: (0m, 0m, 2.2m), resolution: (48, 32), fov: 80deg,
            outputs: [rgb], read_noise: 0.0, full_well: 10000000.0 }
        terminate after 1s
    }

    @dataset(name: "render-preview", version: "0.1.0", license: "CC-BY-4.0")
    @intended_use("Testing :render against generate.")
    @out_of_scope("Everything else.")
    scenario Dock {
        ego pole = Mast at (0m, 0m, 0m)
        let post = Box { size: (0.5m, 0.5m, 1.5m), class: "post" } at (6m, -1.5m, 0m)
        sensor cam = Camera { mount: pole, offset: (0m, 0m, 1m), resolution: (48, 32), fov: 80deg,
            outputs: [rgb], read_noise: 0.0, full_well: 10000000.0 }
        compose {
            wait 1s
            do Delivery()
        }
        simulate 3s at 2Hz
    }

    """

  /// The largest difference of one colour channel between two RGB PNGs of the same size.
  static func largestDifference(_ a: [UInt8], _ b: [UInt8]) throws -> Int {
    let x = try PNGImage(decoding: a), y = try PNGImage(decoding: b)
    try #require(x.width == y.width && x.height == y.height && x.layout == .rgb8 && y.layout == .rgb8)
    return zip(x.samples, y.samples).map { abs(Int($0) - Int($1)) }.max() ?? 0
  }

  @Test(arguments: [("cam", "000000_0000.png"), ("Delivery.cratecam", "000000_0002.png")])
  func renderDrawsWhatGenerateWritesFirst(camera: String, file: String) throws {
    let source = try Fixture.file(Self.scene, name: "render_preview.scn")
    let out = Paths.temporary("render-preview")
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let run = try SCNProcess.run(["generate", source.path, "--count", "1", "--jobs", "1", "--out", out.path])
    try #require(run.status == 0, "\(run.stderr)")
    let written = try [UInt8](Data(contentsOf: out.appendingPathComponent("images/\(camera)/\(file)")))

    // As the REPL samples: the default request, sample 0.
    let driver = Driver(stdlibRoot: Paths.repository.appendingPathComponent("StdLib").path)
    guard case .success(let session) = try driver.prepareSampling(SamplingRequest(path: source.path)) else {
      Issue.record("the scenario does not compile")
      return
    }
    let scene = try #require(session.sampler.run(start: 0, count: 1).scenes.first)
    let rendered = try session.renderPNG(scene, camera: camera)
    let difference = try Self.largestDifference(rendered, written)
    #expect(difference <= 2, "\(camera): the preview differs from \(file) by up to \(difference) levels")
  }
}
