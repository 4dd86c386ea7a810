import Foundation
import ScnDataset
import ScnEncoding
import ScnSensors
import ScnTestSupport
import Testing

/// The `parts` camera output end to end: `parts/` images of part-label ids, `part_labels.json`,
/// the card's and Croissant's tables, `verify --labels` and Pillow (docs/scene-model.md,
/// "Part labels").
@Suite struct PartImageDatasetTests {
  static let scenario = "import std.pedestrians\nimport std.vehicles\n\n" + """
    @dataset(name: "parts", version: "0.1.0", license: "CC-BY-4.0")
    @description("A walker, a cyclist and a box, for the part-label tests.")
    @intended_use("Testing scn's part-label images.")
    @out_of_scope("Training anything.")
    scenario Parts {
        ego pole = Mast at (0m, 0m, 0m)
        let walker = Pedestrian at (6m, 1.2m, 0m) facing 90deg
        let rider = Cyclist at (9m, -1.5m, 0m) facing 90deg
        let crate = Box { size: (1m, 1m, 1m), class: "crate" } at (8m, 3m, 0m)
        sensor cam = Camera { mount: pole, offset: (0m, 0m, 1.2m), resolution: (160, 120), fov: 70deg,
                              outputs: [rgb, instance, parts, boxes2d] }
    }

    """

  static func png(_ out: URL, _ path: String) throws -> PNGImage {
    try PNGImage(decoding: Array(Data(contentsOf: out.appendingPathComponent(path))))
  }

  @Test func partImagesNameEachActorsPartsAndVerify() throws {
    let source = try Fixture.file(Self.scenario, name: "parts.scn")
    let out = Paths.temporary("parts")
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let run = try SCNProcess.run(["generate", source.path, "--count", "1", "--seed", "2", "--out", out.path, "--jobs", "2"])
    try #require(run.status == 0, "\(run.stderr)")

    // The table: sorted names, ids from 1.
    let table = try JSONValue.parse(bytes: Array(Data(contentsOf: out.appendingPathComponent("part_labels.json"))))
    var idOf: [String: Int] = [:]
    var names: [String] = []
    for entry in table["part_labels"]?.arrayValue ?? [] {
      let name = try #require(entry["name"]?.stringValue)
      names.append(name)
      idOf[name] = entry["id"]?.intValue
    }
    #expect(names == names.sorted() && !names.isEmpty)
    #expect(names.enumerated().allSatisfy { idOf[$1] == $0 + 1 })

    let ids = try MaterialDatasetTests.instanceIDs(out)
    let parts = try Self.png(out, "parts/cam/000000_0000.png")
    let instance = try Self.png(out, "instance/cam/000000_0000.png")
    #expect(parts.layout == .gray16)
    var seen: [Int: Set<Int>] = [:]  // instance id → part ids over its pixels
    for p in 0..<(parts.width * parts.height) {
      let part = Int(parts.samples[p]), inst = Int(instance.samples[p])
      if part != 0 { #expect(inst != 0, "pixel \(p) is labelled \(part) outside any instance") }
      if inst != 0 { seen[inst, default: []].insert(part) }
    }
    let walker = try #require(ids["walker"]), rider = try #require(ids["rider"]), crate = try #require(ids["crate"])
    let head = try #require(idOf["head"]), saddle = try #require(idOf["saddle"]), torso = try #require(idOf["torso"])
    // The walker shows its head and torso; the cyclist its rider and its machine; the box,
    // a single unlabelled part, nothing.
    #expect(seen[walker]?.isSuperset(of: [head, torso]) == true, "walker parts \(seen[walker] ?? [])")
    #expect(seen[rider]?.contains(torso) == true, "cyclist parts \(seen[rider] ?? [])")
    #expect(seen[rider]?.contains(idOf["wheel_front"] ?? -1) == true || seen[rider]?.contains(saddle) == true)
    #expect(seen[crate] == [0])

    let card = try String(contentsOf: out.appendingPathComponent("README.md"), encoding: .utf8)
    #expect(card.contains("Part labels (the id is the pixel value in `parts/` images"))
    #expect(card.contains("| \(head) | `head` |"))
    #expect(card.contains("parts/{camera}/…png"))
    let croissant = try String(contentsOf: out.appendingPathComponent("croissant.json"), encoding: .utf8)
    #expect(croissant.contains("\"part-labels\"") && croissant.contains("\"part-images\""))

    let verified = try SCNProcess.run(["verify", out.path, "--labels"])
    #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    #expect(verified.stderr.contains("1 part images"), "\(verified.stderr)")

    // A part id outside the table, and a labelled pixel outside every instance, are caught.
    var forged = parts.samples
    let background = try #require(instance.samples.firstIndex(of: 0))
    forged[background] = UInt16(names.count + 7)
    try Data(PNGEncoder().encodeGray16(forged, width: parts.width, height: parts.height))
      .write(to: out.appendingPathComponent("parts/cam/000000_0000.png"))
    let caught = try SCNProcess.run(["verify", out.path, "--labels"])
    #expect(caught.status != 0)
    #expect(caught.stdout.contains("label: parts/cam/000000_0000.png: pixel"), "\(caught.stdout)")
    #expect(caught.stdout.contains("not in part_labels.json"), "\(caught.stdout)")
    forged[background] = UInt16(head)
    try Data(PNGEncoder().encodeGray16(forged, width: parts.width, height: parts.height))
      .write(to: out.appendingPathComponent("parts/cam/000000_0000.png"))
    let outside = try SCNProcess.run(["verify", out.path, "--labels"])
    #expect(outside.stdout.contains("but no instance in the instance image"), "\(outside.stdout)")
  }

  /// Pillow reads the part images as 16-bit ids that lie in `part_labels.json` and inside
  /// instances, and mlcroissant accepts the record sets (Tests/Readers/check_dataset.py).
  @Test(.enabled(if: Readers.python != nil, Readers.skipReason))
  func partImagesPassTheReaders() throws {
    let source = try Fixture.file(Self.scenario, name: "parts.scn")
    let out = Paths.temporary("parts-readers")
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let run = try SCNProcess.run(["generate", source.path, "--count", "1", "--seed", "2", "--out", out.path, "--jobs", "2"])
    try #require(run.status == 0, "\(run.stderr)")
    let (status, output) = try Readers.check(out)
    #expect(status == 0, "\(output)")
    #expect(output.contains("PASS parts:pillow-ids"), "\(output)")
    #expect(output.contains("PASS croissant:mlcroissant"), "\(output)")
  }

  /// Shards write the same part images and table as one run (ids come from the program),
  /// whatever the number of jobs.
  @Test func shardsAndJobsGiveTheSameBytes() throws {
    let source = try Fixture.file(Self.scenario, name: "parts.scn")
    let whole = Paths.temporary("parts-whole")
    let shards = (0..<2).map { Paths.temporary("parts-shard\($0)") }
    let merged = Paths.temporary("parts-merged")
    defer {
      for u in [whole, merged, source.deletingLastPathComponent()] + shards { try? FileManager.default.removeItem(at: u) }
    }
    let base = ["generate", source.path, "--count", "3", "--seed", "5"]
    #expect(try SCNProcess.run(base + ["--out", whole.path, "--jobs", "2"]).status == 0)
    for (k, dir) in shards.enumerated() {
      let result = try SCNProcess.run(base + ["--out", dir.path, "--jobs", "1", "--shard", "\(k)/2"])
      #expect(result.status == 0, "\(result.stderr)")
    }
    try FileManager.default.removeItem(at: merged)
    _ = try DatasetMerger.merge(shards: shards, into: merged, options: DatasetWriterOptions(timestamp: 1_700_000_000))
    let files = try snapshot(whole)
    #expect(files.keys.filter { $0.hasPrefix("parts/") }.count == 3)
    #expect(differences(files, try snapshot(merged)) == [])
  }

  /// A camera without the output writes neither the images nor the table.
  @Test func noPartsOutputNoPartFiles() throws {
    let text = Self.scenario.replacingOccurrences(of: "instance, parts, boxes2d", with: "instance")
    let source = try Fixture.file(text, name: "noparts.scn")
    let out = Paths.temporary("noparts")
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let run = try SCNProcess.run(["generate", source.path, "--count", "1", "--seed", "2", "--out", out.path])
    try #require(run.status == 0, "\(run.stderr)")
    let files = try snapshot(out)
    #expect(files["part_labels.json"] == nil)
    #expect(!files.keys.contains { $0.hasPrefix("parts/") })
    let card = try String(contentsOf: out.appendingPathComponent("README.md"), encoding: .utf8)
    #expect(!card.contains("Part labels"))
  }
}
