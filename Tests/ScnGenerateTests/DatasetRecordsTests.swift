import Foundation
import ScnEncoding
import Testing

@testable import ScnDriver

/// What a dataset's records say (issue 16, item 6): every actor and the environment in
/// samples.jsonl, every actor's pose per frame, cover buckets and values and the card's
/// params as the author wrote them, and one COCO file per camera and split.
@Suite struct DatasetRecordsTests {
  static let scenario = Fixture.boxes
    .replacingOccurrences(
      of: "param distance: Length = uniform(4m, 8m)",
      with: "param distance: Length = uniform(4m, 8m)\n    param pace: Speed = uniform(3km/h, 9km/h)\n    param lux: Illuminance = 300lx")
    .replacingOccurrences(of: "cover near:", with: "environment { light: lux, weather: overcast }\n    cover walking: pace buckets [3km/h, 6km/h, 9km/h]\n    cover near:")

  static func lines(_ data: Data?) throws -> [JSONValue] {
    try String(decoding: data ?? Data(), as: UTF8.self).split(separator: "\n").map { try JSONValue.parse(String($0)) }
  }

  @Test func recordsCarryActorsEnvironmentAndAuthorUnits() throws {
    let source = try Fixture.file(Self.scenario)
    let out = Paths.temporary("records")
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let result = try SCNProcess.run([
      "generate", source.path, "--count", "6", "--seed", "4", "--split", "train=0.5,test=0.5", "--out", out.path,
    ])
    try #require(result.status == 0, "\(result.stderr)")
    let files = try snapshot(out)

    let samples = try Self.lines(files["samples.jsonl"])
    #expect(samples.count == 6)
    for s in samples {
      #expect(s["environment"]?["light"]?["value"]?.doubleValue == 300)
      #expect(s["environment"]?["weather"]?.stringValue == "overcast")
      // In scene order (by name), instance ids counting from 1 as in the instance images.
      let actors = s["actors"]?.arrayValue ?? []
      #expect(actors.compactMap { $0["name"]?.stringValue } == ["crate", "robot", "target"])
      #expect(actors.compactMap { $0["class"]?.stringValue } == ["crate", "robot", "target"])
      #expect(actors.compactMap { $0["instance_id"]?.intValue } == [1, 2, 3])
      let target = try #require(actors.first { $0["name"]?.stringValue == "target" })
      #expect(target["size_lwh"]?.arrayValue?.compactMap(\.doubleValue) == [1, 1, 1])
      #expect(target["fields"]?["color"] != nil)
      #expect(target["pose"]?["position"]?.arrayValue?.first?.doubleValue == s["params"]?["distance"]?["value"]?.doubleValue)
      // The cover value in the unit the bucket edges are written in, its bucket labelled as written.
      let pace = try #require(s["params"]?["pace"]?["value"]?.doubleValue)
      let shown = try #require(s["cover_values"]?["walking"])
      #expect(shown["unit"]?.stringValue == "km/h")
      #expect(abs((shown["value"]?.doubleValue ?? 0) - pace * 3.6) < 1e-9)
      #expect(s["cover"]?["walking"]?.stringValue == (pace * 3.6 < 6 ? "[3km/h, 6km/h)" : "[6km/h, 9km/h)"))
    }
    let frames = try Self.lines(files["frames.jsonl"])
    #expect(!frames.isEmpty)
    for f in frames {
      #expect(f["actors"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["crate", "robot", "target"])
      #expect(f["actors"]?.arrayValue?.allSatisfy { $0["pose"]?["rotation_wxyz"]?.arrayValue?.count == 4 } == true)
    }

    // The card: types and values as written; the coverage file: units and the declared law.
    let card = String(decoding: files["README.md"] ?? Data(), as: UTF8.self)
    #expect(card.contains("| `pace` | Speed | `uniform(3km/h, 9km/h)` |"), "\(card)")
    #expect(card.contains("| `distance` | Length | `uniform(4m, 8m)` | Distance to the target box |"))
    #expect(card.contains("\\[3km/h, 6km/h)"))
    let coverage = try JSONValue.parse(String(decoding: files["coverage.json"] ?? Data(), as: UTF8.self))
    let walking = coverage["cover_points"]?.arrayValue?.first { $0["name"]?.stringValue == "walking" }
    #expect(walking?["unit"]?["symbol"]?.stringValue == "km/h")
    let paceDoc = coverage["parameters"]?.arrayValue?.first { $0["name"]?.stringValue == "pace" }
    #expect(paceDoc?["declared"]?["law"]?.stringValue == "uniform")
    #expect(paceDoc?["unit"]?["symbol"]?.stringValue == "km/h")

    // One COCO file per camera and split: exactly the whole file's records of the split, same ids.
    let whole = try JSONValue.parse(String(decoding: files["annotations/coco_cam.json"] ?? Data(), as: UTF8.self))
    var imageIDs: [Int] = []
    var annotationIDs: [Int] = []
    for split in ["train", "test"] {
      let part = try JSONValue.parse(
        String(decoding: try #require(files["annotations/splits/\(split)/coco_cam.json"]), as: UTF8.self))
      let images = part["images"]?.arrayValue ?? []
      #expect(images.allSatisfy { $0["split"]?.stringValue == split })
      #expect(images == (whole["images"]?.arrayValue ?? []).filter { $0["split"]?.stringValue == split })
      imageIDs += images.compactMap { $0["id"]?.intValue }
      annotationIDs += (part["annotations"]?.arrayValue ?? []).compactMap { $0["id"]?.intValue }
    }
    #expect(imageIDs.sorted() == (whole["images"]?.arrayValue ?? []).compactMap { $0["id"]?.intValue })
    #expect(annotationIDs.sorted() == (whole["annotations"]?.arrayValue ?? []).compactMap { $0["id"]?.intValue })
    let croissant = String(decoding: files["croissant.json"] ?? Data(), as: UTF8.self)
    #expect(croissant.contains("annotations/splits/test/coco_cam.json"))

    let verified = try SCNProcess.run(["verify", out.path, "--labels"])
    #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")

    // A split file that lost an annotation is a label problem, named.
    let splitPath = out.appendingPathComponent("annotations/splits/train/coco_cam.json")
    var part = try JSONValue.parse(String(contentsOf: splitPath, encoding: .utf8))
    if case .object(var members) = part, let k = members.firstIndex(where: { $0.0 == "annotations" }),
      case .array(let list) = members[k].1, !list.isEmpty
    {
      members[k].1 = .array(Array(list.dropFirst()))
      part = .object(members)
    }
    try Data((part.compact + "\n").utf8).write(to: splitPath)
    let tampered = try SCNProcess.run(["verify", out.path, "--labels"])
    #expect(tampered.status != 0)
    #expect((tampered.stdout + tampered.stderr).contains("records must be equal"), "\(tampered.stdout)\(tampered.stderr)")
  }

  @Test func splitNamesMustNameAFolder() throws {
    let source = try Fixture.file()
    let out = Paths.temporary("split-name")
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let result = try SCNProcess.run(["generate", source.path, "--count", "2", "--split", "../up=0.5,test=0.5", "--out", out.path])
    #expect(result.status != 0)
    #expect(result.stderr.contains("'../up' is not a valid split name"), "\(result.stderr)")
  }

  @Test func unitSuffixesAreTheLiteralsUnits() {
    #expect(AuthorText.unitSuffixes(in: "uniform(30km/h, 50km/h)") == ["km/h", "km/h"])
    #expect(AuthorText.unitSuffixes(in: "1m/s * lognormal(0.3, 0.2)") == ["m/s"])
    #expect(AuthorText.unitSuffixes(in: "x2 + 3.5m/s^2 - 2kg/m^-1") == ["m/s^2", "kg/m^-1"])
    #expect(AuthorText.unitSuffixes(in: "uniform_int(1, 4)").isEmpty)
    #expect(AuthorText.unitSuffixes(in: "choice { 0.75: clear, 0.25: rain }").isEmpty)
  }
}
