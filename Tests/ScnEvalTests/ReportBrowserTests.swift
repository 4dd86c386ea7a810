import Foundation
import ScnDataset
import ScnEncoding
import Testing

/// Debian's `chromium`, when installed (.ci/run installs it): the report is checked in a real
/// browser. Without it the browser test is reported as skipped, never as passed.
enum Chromium {
  static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  /// Runs headless Chromium on a local page with `arguments` (`--dump-dom`, `--screenshot=…`);
  /// standard output.
  static func run(_ arguments: [String], page: URL, profile: URL) throws -> (status: Int32, stdout: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path ?? "/usr/bin/chromium")
    process.arguments = [
      "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
      "--user-data-dir=\(profile.path)",
    ] + arguments + [page.absoluteString]
    var env = ProcessInfo.processInfo.environment
    env["HOME"] = profile.path
    process.environment = env
    let out = Pipe()
    process.standardOutput = out
    process.standardError = Pipe()
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
  }
}

/// `scn report DATASET --eval DIR` end to end, looked at in headless Chromium: the DOM the
/// browser built holds one contact-sheet figure per sample, a heat map for the pair of cover
/// points, histograms with the declared law, the slice table with the gaps highlighted and the
/// worst frames with missed and false detections; the screenshot is a real rendering.
@Suite(.serialized) struct ReportBrowserTests {
  static let scenario = """
    import std.pedestrians
    @dataset(name: "report-check", version: "0.1.0", license: "CC-BY-4.0")
    @intended_use("Testing scn report.")
    @out_of_scope("Training anything.")
    @failure_mode(id: "FM-D", "person in the dark", covers: [lighting in 0lx..<30lx])
    scenario ReportCheck {
        param light: Illuminance = uniform(0lx, 60lx)
        param ahead: Length = uniform(4m, 8m)
        ego robot = Box { size: (0.5m, 0.5m, 0.5m), class: "robot" } at (0m, 0m, 0m) facing 0deg
        let person = Pedestrian at (ahead, uniform(-1m, 1m), 0m) facing 0deg
        require visible(person, from: cam)
        environment { light: light }
        sensor cam = Camera { mount: robot, offset: (0m, 0m, 1m), resolution: (64, 48), fov: 90deg,
                              outputs: [rgb, instance, boxes2d] }
        cover lighting: light buckets [0lx, 30lx, 60lx]
        cover distance: ahead buckets [4m, 6m, 8m]
    }
    """

  static func count(_ text: String, _ needle: String) -> Int { text.components(separatedBy: needle).count - 1 }

  @Test(.enabled(if: Chromium.path != nil, "Debian's chromium is not installed (apt-get install chromium)"))
  func reportWithEvaluationInABrowser() throws {
    let root = EvalSupport.temporary("report-browser")
    try? FileManager.default.removeItem(at: root)
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let source = root.appendingPathComponent("report.scn")
    try Data(Self.scenario.utf8).write(to: source)
    let dataset = root.appendingPathComponent("dataset")
    let generated = try EvalCommandTests.scn([
      "generate", source.path, "--count", "40", "--seed", "5", "--split", "train=0.5,test=0.5", "--out", dataset.path,
      "--jobs", "2",
    ])
    try #require(generated.status == 0, "\(generated.stderr)")

    // Predictions from the ground truth that miss every person below 30 lx, plus one false box.
    let records = try FocusAcceptanceTests.samples(dataset)
    var dark: Set<Int> = []
    for r in records where (r["params"]?["light"]?["value"]?.doubleValue ?? 99) < 30 {
      if let i = r["index"]?.intValue { dark.insert(i) }
    }
    let coco = try FocusAcceptanceTests.json(dataset.appendingPathComponent("annotations/coco_cam.json"))
    var sampleOfImage: [Int: Int] = [:]
    for image in coco["images"]?.arrayValue ?? [] {
      if let id = image["id"]?.intValue, let s = image["sample"]?.intValue { sampleOfImage[id] = s }
    }
    let person = coco["categories"]?.arrayValue?.first { $0["name"]?.stringValue == "pedestrian" }?["id"]?.intValue
    var predictions: [String] = []
    for a in coco["annotations"]?.arrayValue ?? [] {
      guard let image = a["image_id"]?.intValue, let category = a["category_id"]?.intValue, let box = a["bbox"]?.arrayValue
      else { continue }
      if category == person, let s = sampleOfImage[image], dark.contains(s) { continue }
      predictions.append("{\"image_id\":\(image),\"category_id\":\(category),\"bbox\":\(JSONValue.array(box).compact),\"score\":0.9}")
    }
    predictions.append("{\"image_id\":1,\"category_id\":\(person ?? 1),\"bbox\":[1,1,6,12],\"score\":0.8}")
    let predictionsURL = root.appendingPathComponent("predictions.json")
    try Data(("[" + predictions.joined(separator: ",") + "]").utf8).write(to: predictionsURL)
    let evalDir = root.appendingPathComponent("eval")
    let evaluated = try EvalCommandTests.scn(["eval", dataset.path, "--predictions", predictionsURL.path, "--out", evalDir.path])
    try #require(evaluated.status == 0, "\(evaluated.stderr)")
    let evalDoc = try FocusAcceptanceTests.json(evalDir.appendingPathComponent("eval.json"))
    let gaps = evalDoc["gaps"]?.arrayValue ?? []
    #expect(gaps.contains { $0["name"]?.stringValue == "lighting [0lx, 30lx)" }, "\(gaps)")

    let page = root.appendingPathComponent("report.html")
    let reported = try EvalCommandTests.scn(["report", dataset.path, "--eval", evalDir.path, "--out", page.path])
    try #require(reported.status == 0, "\(reported.stderr)")

    let profile = root.appendingPathComponent("chromium-profile")
    try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
    let dom = try Chromium.run(["--dump-dom"], page: page, profile: profile)
    try #require(dom.status == 0 && dom.stdout.contains("</html>"), "chromium --dump-dom failed: \(dom.stdout.prefix(300))")
    let html = dom.stdout
    // One contact-sheet frame per sample, each with its boxes, class names and slice tags.
    #expect(Self.count(html, "<figure class=\"sample\"") == records.count)
    #expect(html.contains(">pedestrian</text>"))
    #expect(html.contains("<span class=\"tag\">lighting [0lx, 30lx)</span>") && html.contains("<span class=\"tag\">FM-D</span>"))
    // Histograms in the author's units with the declared law; one heat map for the one pair.
    #expect(Self.count(html, "<figure class=\"param\"") == 2)
    #expect(Self.count(html, "class=\"declared\"") == 2)
    #expect(html.contains(">0 lx<") && html.contains(">60 lx<") && html.contains(">4 m<"))
    #expect(Self.count(html, "class=\"heatmap\"") == 1)
    let cells = Self.count(html, "<rect class=\"cell\"")
    #expect(cells == 4 * 4, "cells \(cells)")
    // Every slice of eval.json has a row; the gaps' rows are highlighted.
    let slices = evalDoc["slices"]?.arrayValue?.count ?? 0
    #expect(Self.count(html, "<tr class=\"gap\">") == gaps.count)
    #expect(Self.count(html, "<tr") - 1 >= slices)
    // Worst frames: missed people (the dark samples) and the planted false detection.
    #expect(Self.count(html, "<figure class=\"worst\"") >= 1)
    #expect(html.contains("class=\"box missed\"") && html.contains("class=\"box false\""))

    let shot = root.appendingPathComponent("report.png")
    let screenshot = try Chromium.run(["--screenshot=\(shot.path)", "--window-size=1200,2400"], page: page, profile: profile)
    #expect(screenshot.status == 0)
    let png = try [UInt8](Data(contentsOf: shot))
    #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    // A rendered page of charts and images, not a blank one (a blank 1200×2400 PNG is < 10 kB).
    #expect(png.count > 60_000, "screenshot is \(png.count) bytes")
  }
}
