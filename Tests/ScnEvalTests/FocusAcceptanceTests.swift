import ScnEncoding
import Foundation
import ScnDataset
import Testing

/// The issue's acceptance test end to end with the `scn` binary: a detector that misses every
/// person in samples darker than 10 lx; `scn eval` finds those buckets as the worst gaps (AP50
/// as pycocotools computes it); `generate --focus` on the gaps at least doubles their share;
/// the card and the lineage record both steps.
@Suite(.serialized) struct FocusAcceptanceTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static let scenario = """
    import std.pedestrians
    @dataset(name: "dark-people", version: "0.1.0", license: "CC-BY-4.0")
    @intended_use("Testing scn eval and generate --focus.")
    @out_of_scope("Training anything.")
    @failure_mode(id: "FM-22", "person in the dark", covers: [lighting in 0lx..<10lx])
    scenario DarkPeople {
        param light: Illuminance = uniform(0lx, 60lx)
        ego robot = Box { size: (0.5m, 0.5m, 0.5m), class: "robot" } at (0m, 0m, 0m) facing 0deg
        let person = Pedestrian at (uniform(4m, 8m), uniform(-1m, 1m), 0m) facing 0deg
        require visible(person, from: cam)
        environment { light: light }
        sensor cam = Camera { mount: robot, offset: (0m, 0m, 1m), resolution: (64, 48), fov: 90deg,
                              outputs: [rgb, instance, boxes2d] }
        cover lighting: light buckets [0lx, 10lx, 20lx, 40lx, 60lx]
    }
    """

  static func json(_ url: URL) throws -> JSONValue { try JSONValue.parse(String(contentsOf: url, encoding: .utf8)) }

  static func samples(_ dataset: URL) throws -> [JSONValue] {
    try String(contentsOf: dataset.appendingPathComponent("samples.jsonl"), encoding: .utf8)
      .split(separator: "\n").map { try JSONValue.parse(String($0)) }
  }

  static func darkShare(_ records: [JSONValue]) -> Double {
    Double(records.filter { $0["cover"]?["lighting"]?.stringValue == "[0lx, 10lx)" }.count) / Double(records.count)
  }

  @Test func plantedWeaknessIsFoundAndFocused() throws {
    let root = EvalSupport.temporary("acceptance")
    try? FileManager.default.removeItem(at: root)
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let source = root.appendingPathComponent("dark.scn")
    try Data(Self.scenario.utf8).write(to: source)
    let dataset = root.appendingPathComponent("dataset")
    let generated = try EvalCommandTests.scn(["generate", source.path, "--count", "120", "--out", dataset.path, "--jobs", "2"])
    try #require(generated.status == 0, "\(generated.stderr)")

    // Predictions from the ground truth, missing every person in samples below 10 lx.
    let records = try Self.samples(dataset)
    var light: [Int: Double] = [:]
    for r in records {
      if let i = r["index"]?.intValue, let x = r["params"]?["light"]?["value"]?.doubleValue ?? r["params"]?["light"]?.doubleValue {
        light[i] = x
      }
    }
    #expect(light.count == 120)
    let coco = try Self.json(dataset.appendingPathComponent("annotations/coco_cam.json"))
    var sampleOfImage: [Int: Int] = [:]
    for image in coco["images"]?.arrayValue ?? [] {
      if let id = image["id"]?.intValue, let s = image["sample"]?.intValue { sampleOfImage[id] = s }
    }
    let person = coco["categories"]?.arrayValue?.first { $0["name"]?.stringValue == "pedestrian" }?["id"]?.intValue
    var predictions: [String] = []
    for a in coco["annotations"]?.arrayValue ?? [] {
      guard let image = a["image_id"]?.intValue, let category = a["category_id"]?.intValue,
        let box = a["bbox"]?.arrayValue
      else { continue }
      if category == person, let s = sampleOfImage[image], (light[s] ?? 99) < 10 { continue }
      predictions.append(
        "{\"image_id\":\(image),\"category_id\":\(category),\"bbox\":\(JSONValue.array(box).compact),\"score\":0.9}")
    }
    let predictionsURL = root.appendingPathComponent("predictions.json")
    try Data(("[" + predictions.joined(separator: ",") + "]").utf8).write(to: predictionsURL)

    let evalDir = root.appendingPathComponent("eval")
    let evaluated = try EvalCommandTests.scn(["eval", dataset.path, "--predictions", predictionsURL.path, "--out", evalDir.path])
    try #require(evaluated.status == 0, "\(evaluated.stderr)")
    let gaps = try Self.json(evalDir.appendingPathComponent("gaps.json"))["gaps"]?.arrayValue ?? []
    let focusable = gaps.filter { $0["focus"] != .null }.compactMap { $0["name"]?.stringValue }
    #expect(focusable == ["lighting [0lx, 10lx)", "FM-22"], "\(gaps.map { $0["name"]?.stringValue ?? "" })")
    #expect(gaps.first?["value"]?.doubleValue == 0)
    let evalDoc = try Self.json(evalDir.appendingPathComponent("eval.json"))
    let dark = evalDoc["slices"]?.arrayValue?.first { $0["name"]?.stringValue == "lighting [0lx, 10lx)" }
    #expect(dark?["AP50"]?.doubleValue == 0)

    if EvalSupport.python != nil {
      // AP50 overall and on the dark images, as pycocotools computes them.
      let darkImages = sampleOfImage.filter { (light[$0.value] ?? 99) < 10 }.map(\.key).sorted()
      let script = """
        import json, sys, io, contextlib
        from pycocotools.coco import COCO
        from pycocotools.cocoeval import COCOeval
        with contextlib.redirect_stdout(io.StringIO()):
            gt = COCO(sys.argv[1]); dt = gt.loadRes(sys.argv[2])
        def ap50(ids=None):
            E = COCOeval(gt, dt, 'bbox')
            if ids is not None: E.params.imgIds = ids
            with contextlib.redirect_stdout(io.StringIO()):
                E.evaluate(); E.accumulate(); E.summarize()
            return E.stats[1]
        print(json.dumps([ap50(), ap50(json.loads(sys.argv[3]))]))
        """
      let out = try EvalSupport.runPython(
        script, [dataset.appendingPathComponent("annotations/coco_cam.json").path, predictionsURL.path, "\(darkImages)"])
      let reference = try JSONValue.parse(out).arrayValue?.compactMap(\.doubleValue) ?? []
      #expect(reference.count == 2)
      if reference.count == 2 {
        #expect(abs((evalDoc["overall"]?["AP50"]?.doubleValue ?? -9) - reference[0]) <= 1e-6)
        #expect(abs((dark?["AP50"]?.doubleValue ?? -9) - reference[1]) <= 1e-6)
      }
    }

    // Focus: the dark bucket's share at least doubles; card and lineage record the step.
    let focused = root.appendingPathComponent("focused")
    let gapsFile = evalDir.appendingPathComponent("gaps.json")
    let run = try EvalCommandTests.scn(["generate", source.path, "--count", "120", "--seed", "3", "--out", focused.path, "--focus", gapsFile.path])
    try #require(run.status == 0, "\(run.stderr)")
    let before = Self.darkShare(records)
    let focusedRecords = try Self.samples(focused)
    let after = Self.darkShare(focusedRecords)
    #expect(before > 0.05 && after >= 2 * before, "dark share \(before) → \(after)")
    #expect(focusedRecords.allSatisfy { $0["guidance"]?["mode"]?.stringValue == "focus" && $0["guidance"]?["weight"] != nil })
    // The weights undo the focus: the weighted dark share is close to the natural 1/6.
    let weights = focusedRecords.map { $0["guidance"]?["weight"]?.doubleValue ?? .nan }
    let weightedDark = zip(focusedRecords, weights).filter { $0.0["cover"]?["lighting"]?.stringValue == "[0lx, 10lx)" }
      .reduce(0) { $0 + $1.1 } / Double(focusedRecords.count)
    #expect(abs(weightedDark - 1.0 / 6) < 0.02, "weighted dark share \(weightedDark)")
    let card = try String(contentsOf: focused.appendingPathComponent("README.md"), encoding: .utf8)
    let gapsHash = try #require(
      try Self.json(focused.appendingPathComponent("manifest.json"))["identity"]?["focus"]?["sha256"]?.stringValue)
    #expect(card.contains("## Focus") && card.contains(gapsHash), "\(card)")
    let lineage = try Self.json(focused.appendingPathComponent("lineage.json"))
    #expect(lineage["inputs"]?.arrayValue?.contains { $0["name"]?.stringValue == "focus/gaps.json" } == true)
    let evalLineage = try Self.json(evalDir.appendingPathComponent("lineage.json"))
    #expect(evalLineage["inputs"]?.arrayValue?.count == 2)

    // Same inputs, same bytes.
    let again = root.appendingPathComponent("focused-again")
    let rerun = try EvalCommandTests.scn(["generate", source.path, "--count", "120", "--seed", "3", "--out", again.path, "--focus", gapsFile.path, "--jobs", "2"])
    try #require(rerun.status == 0, "\(rerun.stderr)")
    for name in ["samples.jsonl", "README.md", "manifest.json", "lineage.json"] {
      #expect(
        try Data(contentsOf: focused.appendingPathComponent(name)) == Data(contentsOf: again.appendingPathComponent(name)),
        "\(name) differs between runs")
    }

    // A gaps file from another scenario is refused, naming why.
    let other = root.appendingPathComponent("other.scn")
    try Data(Self.scenario.replacingOccurrences(of: "uniform(4m, 8m)", with: "uniform(4m, 9m)").utf8).write(to: other)
    let foreign = try EvalCommandTests.scn(["generate", other.path, "--count", "2", "--out", root.appendingPathComponent("x").path, "--focus", gapsFile.path])
    #expect(foreign.status == 1)
    #expect(foreign.stderr.contains("IR hash"), "\(foreign.stderr)")
  }
}
