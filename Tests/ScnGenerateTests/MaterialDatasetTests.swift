import Foundation
import ScnDataset
import ScnEncoding
import Testing

/// Materials written in the language reach the pixels, and distractors reach the masks but
/// not the labels (docs/scene-model.md, "Materials"; docs/stdlib.md, "std.distractors").
@Suite struct MaterialDatasetTests {
  static let header = """
    @dataset(name: "materials", version: "0.1.0", license: "CC-BY-4.0")
    @description("Material and distractor tests.")
    @intended_use("Testing scn's materials.")
    @out_of_scope("Training anything.")

    """

  /// Two spheres that differ only in roughness, lit by a low sun behind the camera so that
  /// each shows the sun's highlight.
  static let spheres = header + """
    scenario Spheres {
        ego pole = Mast at (0m, 0m, 0m)
        let smooth = Box { shape: sphere, size: (1m, 1m, 1m), class: "smooth",
                           material: Paint { color: rgb(0.5, 0.1, 0.1), roughness: 0.1 } } at (5m, 0.8m, 0m)
        let rough = Box { shape: sphere, size: (1m, 1m, 1m), class: "rough",
                          material: Paint { color: rgb(0.5, 0.1, 0.1), roughness: 0.8 } } at (5m, -0.8m, 0m)
        environment { sun_elevation: 20deg, sun_azimuth: 180deg }
        sensor cam = Camera { mount: pole, offset: (0m, 0m, 0.5m), resolution: (160, 120), fov: 50deg,
                              read_noise: 0.0, outputs: [rgb, instance] }
    }

    """

  /// Per instance: the largest and the mean 8-bit green value over its pixels.
  static func greens(rgb: PNGImage, instance: PNGImage) -> [Int: (max: Double, mean: Double)] {
    var sum: [Int: Double] = [:], count: [Int: Int] = [:], top: [Int: Double] = [:]
    for p in 0..<(instance.width * instance.height) {
      let id = Int(instance.samples[p])
      guard id > 0 else { continue }
      let g = Double(rgb.samples[p * 3 + 1])
      sum[id, default: 0] += g
      count[id, default: 0] += 1
      top[id] = max(top[id] ?? 0, g)
    }
    return sum.reduce(into: [:]) { out, e in out[e.key] = (top[e.key] ?? 0, e.value / Double(count[e.key] ?? 1)) }
  }

  /// The instance id of each actor, from the first line of samples.jsonl.
  static func instanceIDs(_ out: URL) throws -> [String: Int] {
    let record = try JSONValue.parse(
      bytes: Array(Data(contentsOf: out.appendingPathComponent("samples.jsonl")).prefix { $0 != UInt8(ascii: "\n") }))
    var ids: [String: Int] = [:]
    for actor in record["actors"]?.arrayValue ?? [] {
      if let name = actor["name"]?.stringValue, let id = actor["instance_id"]?.intValue { ids[name] = id }
    }
    return ids
  }

  static func png(_ out: URL, _ path: String) throws -> PNGImage {
    try PNGImage(decoding: Array(Data(contentsOf: out.appendingPathComponent(path))))
  }

  @Test func roughnessAloneChangesTheHighlight() throws {
    let source = try Fixture.file(Self.spheres, name: "spheres.scn")
    let out = Paths.temporary("spheres")
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let run = try SCNProcess.run(["generate", source.path, "--count", "1", "--seed", "3", "--out", out.path])
    #expect(run.status == 0, "\(run.stderr)")
    let ids = try Self.instanceIDs(out)
    let g = Self.greens(rgb: try Self.png(out, "images/cam/000000_0000.png"), instance: try Self.png(out, "instance/cam/000000_0000.png"))
    let smooth = try #require(ids["smooth"].flatMap { g[$0] }), rough = try #require(ids["rough"].flatMap { g[$0] })
    // The red paint's green channel is dark; the sun's highlight is white. A smooth surface
    // concentrates it into a bright glint; a rough one spreads it into a dim sheen.
    #expect(smooth.max > rough.max + 60, "brightest green: smooth \(smooth.max), rough \(rough.max)")
    #expect(smooth.max > 3 * smooth.mean, "the smooth sphere's glint stands out: max \(smooth.max), mean \(smooth.mean)")
  }

  /// Boxes to detect and distractors around them in the camera's view.
  static let clutter = "import std.distractors\n\n" + header + """
    scenario Clutter {
        param annotate = false
        ego pole = Mast at (0m, 0m, 0m)
        let target = Box { size: (0.6m, 0.6m, 0.6m) } at (6m, 0m, 0m)
        let junk = distractors(4, rect((7m, 0m, 0m), 6m, 5m), cam, 0.5m)
        let labelled = Distractor { annotated: annotate, material: random_material() } at (4m, 1.2m, 0m)
        sensor cam = Camera { mount: pole, offset: (0m, 0m, 1.5m), pitch: 12deg, resolution: (160, 120),
                              outputs: [rgb, instance, semantic, boxes2d, boxes3d] }
    }

    """

  @Test func distractorsAreInTheMasksButNotInTheLabels() throws {
    let source = try Fixture.file(Self.clutter, name: "clutter.scn")
    defer { try? FileManager.default.removeItem(at: source.deletingLastPathComponent()) }
    for annotate in [false, true] {
      let out = Paths.temporary("clutter")
      defer { try? FileManager.default.removeItem(at: out) }
      let run = try SCNProcess.run([
        "generate", source.path, "--count", "2", "--seed", "5", "--out", out.path, "--param", "annotate=\(annotate)",
      ])
      #expect(run.status == 0, "\(run.stderr)")
      let ids = try Self.instanceIDs(out)
      let distractorIDs = Set(ids.filter { $0.key.hasPrefix("junk") || $0.key == "labelled" }.map(\.value))
      #expect(distractorIDs.count == 5)
      let instance = try Self.png(out, "instance/cam/000000_0000.png")
      let semantic = try Self.png(out, "semantic/cam/000000_0000.png")
      let coco = try JSONValue.parse(bytes: Array(Data(contentsOf: out.appendingPathComponent("annotations/coco_cam.json"))))
      let distractorClass = try #require(
        (coco["categories"]?.arrayValue ?? []).first { $0["name"]?.stringValue == "distractor" }?["id"]?.intValue)
      // In the masks: the distractors' instance ids and their class.
      var seen: Set<Int> = []
      for p in 0..<(instance.width * instance.height) where distractorIDs.contains(Int(instance.samples[p])) {
        seen.insert(Int(instance.samples[p]))
        #expect(Int(semantic.samples[p]) == distractorClass)
      }
      #expect(seen.count >= 3, "distractors seen in the instance image: \(seen)")
      // In the labels: only the annotated ones.
      let first = (coco["annotations"]?.arrayValue ?? []).filter { $0["image_id"]?.intValue == 1 }
      let labelled = Set(first.compactMap { $0["instance_id"]?.intValue })
      #expect(labelled.contains(try #require(ids["target"])))
      let labelledDistractor = try #require(ids["labelled"])
      #expect(labelled.contains(labelledDistractor) == annotate)
      #expect(labelled.intersection(distractorIDs.subtracting([labelledDistractor])).isEmpty)
      let image = try #require(coco["images"]?.arrayValue?.first)
      let skipped = Set((image["unannotated_instance_ids"]?.arrayValue ?? []).compactMap(\.intValue))
      #expect(skipped.isSubset(of: distractorIDs) && skipped.contains(labelledDistractor) == !annotate)
      let kitti = try String(contentsOf: out.appendingPathComponent("annotations/kitti/cam/000000_0000.txt"), encoding: .utf8)
      #expect(kitti.split(separator: "\n").filter { $0.hasPrefix("distractor ") }.count == (annotate ? 1 : 0), "\(kitti)")
      // verify --labels knows the unannotated instances.
      let verify = try SCNProcess.run(["verify", "--labels", out.path])
      #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }
  }
}
