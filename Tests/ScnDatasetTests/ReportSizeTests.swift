import Foundation
import ScnEncoding
import ScnGeometry
import Testing

@testable import ScnDataset

/// The contact sheet shows every sample, yet a 1,000-sample dataset's page stays under 5 MB:
/// the thumbnails share a byte budget. The images here are the hard case for PNG, a gradient
/// under strong per-pixel noise, as a dark frame with sensor noise is.
@Suite struct ReportSizeTests {
  static let width = 160
  static let height = 120

  static func sample(_ index: Int) -> SampleOutput {
    var state = UInt64(index) &* 0x9E37_79B9_7F4A_7C15 &+ 1
    func noise() -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(state >> 59) - 16
    }
    var rgb = [UInt8](repeating: 0, count: width * height * 3)
    for y in 0..<height {
      for x in 0..<width {
        let i = (y * width + x) * 3
        rgb[i] = UInt8(clamping: x + noise())
        rgb[i + 1] = UInt8(clamping: y * 2 + noise())
        rgb[i + 2] = UInt8(clamping: 60 + noise())
      }
    }
    var objects: [ObjectLabel] = []
    for k in 0..<4 {
      let pallet = k % 2 == 0
      let box = Box2D(x: Double(10 + k * 35), y: 30, width: 25, height: 50)
      objects.append(
        ObjectLabel(
          instanceID: UInt16(k + 1), className: pallet ? "pallet" : "person", semanticID: pallet ? 1 : 2, modalBox: box,
          occlusion: 0, truncation: 0))
    }
    let camera = CameraFrame(
      camera: "front", frame: 0, width: width, height: height,
      rgbPNG: Thumbnail.encode(rgb, width: width, height: height), objects: objects)
    let record = SampleRecord(
      index: index, split: index % 5 == 4 ? "val" : "train", params: [NamedValue("gap", .double(Double(index % 37) * 0.1))],
      seed: UInt64(index), attempts: 1,
      coverHits: [
        CoverHit(point: "occlusion", bucket: index % 2 == 0 ? "none" : "partial"),
        CoverHit(point: "light", bucket: ["[0lx, 10lx)", "[10lx, 100lx)"][index % 3 == 0 ? 0 : 1]),
      ])
    return SampleOutput(
      record: record,
      frames: [FrameRecord(index: 0, time: 0, ego: Pose(position: Vec3(0, 0, 0)), sensors: [])],
      cameras: [camera])
  }

  @Test func aThousandSamplePageStaysUnderFiveMegabytes() throws {
    let url = Fixture.temporaryDirectory("report-size")
    defer { try? FileManager.default.removeItem(at: url) }
    var card = Fixture.card
    card.coverPoints.append(CoverPointPlan(name: "light", buckets: ["[0lx, 10lx)", "[10lx, 100lx)"]))
    var identity = Fixture.identity(count: 1000)
    identity.splits = []
    let description = DatasetDescription(
      identity: identity, card: card,
      sensors: [
        SensorCalibration(
          name: "front", kind: .camera, extrinsics: Pose(position: Vec3(0, 0, 1)), width: Self.width, height: Self.height,
          intrinsics: [80, 0, 80, 0, 80, 60, 0, 0, 1], rateHz: 10)
      ])
    let writer = try DatasetWriter(outputDirectory: url, description: description, options: Fixture.options())
    for i in 0..<1000 { try writer.write(sample: Self.sample(i)) }
    _ = try writer.finalize()

    let html = try DatasetReport.render(directory: url)
    let bytes = html.utf8.count
    #expect(bytes < 5_000_000, "page is \(bytes) bytes")
    #expect(html.components(separatedBy: "<figure class=\"sample\"").count - 1 == 1000)
    #expect(html.components(separatedBy: "data:image/png;base64,").count - 1 == 1000)
    #expect(html.components(separatedBy: "<g class=\"box object\">").count - 1 == 4000)
    #expect(html.components(separatedBy: "class=\"heatmap\"").count - 1 == 1)
  }

  @Test func thumbnailsFitTheirBudget() throws {
    let png = try #require(Self.sample(3).cameras.first?.rgbPNG)
    for budget in [1500, 3000, 20_000] {
      let thumb = try #require(Thumbnail.make(png: png, maxWidth: 120, budget: budget))
      #expect(thumb.png.count <= budget, "\(thumb.png.count) bytes at \(thumb.width) px for a budget of \(budget)")
      let decoded = try PNGImage(decoding: thumb.png)
      #expect(decoded.width == thumb.width && decoded.height == thumb.height && decoded.layout == .rgb8)
    }
  }
}
