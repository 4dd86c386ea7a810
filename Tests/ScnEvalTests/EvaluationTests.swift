import ScnEncoding
import Foundation
import ScnDataset
import Testing

@testable import ScnEval

enum EvalSupport {
  static var python: String? { ProcessInfo.processInfo.environment["SCN_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } }

  static func temporary(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("scn-eval-\(name)-\(ProcessInfo.processInfo.processIdentifier)")
  }

  static func load(_ url: URL, camera: String? = nil) throws -> EvalDataset {
    try EvalDataset.load(camera: camera) { Array(try Data(contentsOf: url.appendingPathComponent($0))) }
  }

  static func run(_ url: URL, _ predictions: String, options: EvalOptions = EvalOptions()) throws -> EvalOutput {
    try Evaluation.run(
      dataset: load(url), predictions: Array(predictions.utf8), predictionsPath: "predictions.json", options: options,
      timestamp: 1_790_000_000)
  }

  /// Runs a Python script with the dataset folder and predictions path as arguments.
  static func runPython(_ script: String, _ arguments: [String]) throws -> String {
    let python = try #require(python)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["-c", script] + arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = Pipe()
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "python failed: \(text)")
    return text
  }
}

@Suite struct PredictionsReaderTests {
  @Test func readsRecordsAndSkipsSegmentation() throws {
    let text = """
      [{"image_id": 1, "category_id": 2, "bbox": [1, 2.5, 3e1, 4], "score": 0.9,
        "segmentation": {"size": [2, 2], "counts": "ab\\"c"}, "extra": [1, {"a": null}]},
       {"score": 1, "bbox": [0,0,0,0], "category_id": 3, "image_id": 7}]
      """
    let records = try PredictionsReader.read(Array(text.utf8))
    #expect(records == [
      Detection(imageID: 1, categoryID: 2, box: (1, 2.5, 30, 4), score: 0.9),
      Detection(imageID: 7, categoryID: 3, box: (0, 0, 0, 0), score: 1),
    ])
  }

  @Test(arguments: [
    ("[{\"image_id\":1,\"category_id\":2,\"bbox\":[0,0,1,1],\"score\":NaN}]", "predictions[0]: score is NaN, expected a finite number"),
    ("[{\"image_id\":1,\"category_id\":2,\"bbox\":[0,0,1,1],\"score\":1},{\"image_id\":1,\"category_id\":2,\"bbox\":[0,0,-1,1],\"score\":1}]",
      "predictions[1]: bbox [0.0, 0.0, -1.0, 1.0] has a negative width or height (COCO boxes are [x, y, width, height])"),
    ("[{\"image_id\":1.5,\"category_id\":2,\"bbox\":[0,0,1,1],\"score\":1}]", "predictions[0]: image_id 1.5 is not an integer"),
    ("[{\"image_id\":1,\"category_id\":2,\"bbox\":[0,0,1],\"score\":1}]", "predictions[0]: bbox has 3 numbers, expected 4 ([x, y, width, height])"),
    ("[{\"image_id\":1,\"category_id\":2,\"score\":1}]", "predictions[0]: no bbox"),
    ("{\"annotations\": []}", "predictions: invalid COCO results at byte 0: expected '[' (a COCO results file is a JSON array of detections)"),
    ("[{\"image_id\":1,\"category_id\":2,\"bbox\":[0,0,1,1],\"score\":Infinity}]", "predictions[0]: score is infinite, expected a finite number"),
  ])
  func rejectsBadRecords(_ text: String, _ message: String) {
    do {
      _ = try PredictionsReader.read(Array(text.utf8))
      Issue.record("accepted: \(text)")
    } catch {
      #expect(error.description == message)
    }
  }
}

@Suite struct EvaluationTests {
  @Test func unknownImageAndCategoryNameTheRecord() throws {
    let url = EvalSupport.temporary("ids")
    defer { try? FileManager.default.removeItem(at: url) }
    let data = SyntheticDataset(samples: 4)
    try data.write(to: url)
    let unknownImage = "[{\"image_id\":1,\"category_id\":2,\"bbox\":[0,0,1,1],\"score\":1},{\"image_id\":99,\"category_id\":2,\"bbox\":[0,0,1,1],\"score\":1}]"
    #expect(throws: EvalError.badRecord(index: 1, reason: "image_id 99 is not an image of annotations/coco_front.json (ids 1...8)")) {
      _ = try EvalSupport.run(url, unknownImage)
    }
    let unknownCategory = "[{\"image_id\":1,\"category_id\":5,\"bbox\":[0,0,1,1],\"score\":1}]"
    #expect(throws: EvalError.badRecord(index: 0, reason: "category_id 5 is not a category of the dataset (2 person, 3 car)")) {
      _ = try EvalSupport.run(url, unknownCategory)
    }
    #expect(throws: EvalError.option("--iou must lie in [0.5, 0.95], found 0.3")) {
      _ = try EvalSupport.run(url, "[]", options: EvalOptions(iou: 0.3))
    }
  }

  @Test func perfectDetectionsScoreOneAndOutputIsByteIdentical() throws {
    let url = EvalSupport.temporary("perfect")
    defer { try? FileManager.default.removeItem(at: url) }
    var data = SyntheticDataset(samples: 12)
    for i in data.objects.indices { data.objects[i].crowd = false }
    try data.write(to: url)
    let perfect =
      "[" + data.objects.map { o in
        "{\"image_id\":\(o.image),\"category_id\":\(o.category),\"bbox\":[\(o.box.map { String($0) }.joined(separator: ","))],\"score\":0.9}"
      }.joined(separator: ",") + "]"
    let a = try EvalSupport.run(url, perfect)
    let b = try EvalSupport.run(url, perfect)
    #expect(a.evalJSON == b.evalJSON && a.gapsJSON == b.gapsJSON && a.lineageJSON == b.lineageJSON && a.html == b.html)
    let doc = try JSONValue.parse(a.evalJSON)
    #expect(doc["schema"]?.stringValue == "scn-eval/1")
    for key in ["AP", "AP50", "AP75", "recall"] { #expect(doc["overall"]?[key]?.doubleValue == 1) }
    #expect(doc["gaps"]?.arrayValue?.isEmpty == true)
    // A bucket no sample falls in: metrics null, n = 0.
    let empty = doc["slices"]?.arrayValue?.first { $0["name"]?.stringValue == "lighting < 0" }
    #expect(empty?["samples"]?.intValue == 0)
    #expect(empty?["AP50"] == .null)
  }

  /// The planted weakness: every person in samples darker than 10 lx is missed. The two
  /// buckets below 10 lx and FM-22 must be the worst gaps.
  @Test func plantedWeaknessIsTheWorstGap() throws {
    let url = EvalSupport.temporary("planted")
    defer { try? FileManager.default.removeItem(at: url) }
    let data = SyntheticDataset(samples: 160)
    try data.write(to: url)
    let predictions = data.detections(miss: 0.05, jitter: 0.05) { o in
      o.category == 2 && data.light[data.sampleOf(image: o.image)] < 10
    }
    let output = try EvalSupport.run(url, predictions)
    let gaps = try JSONValue.parse(output.gapsJSON)["gaps"]?.arrayValue ?? []
    let names = gaps.compactMap { $0["name"]?.stringValue }
    // The focusable gaps, worst first, are exactly the dark buckets and FM-22.
    let focusable = gaps.filter { $0["focus"] != .null }.compactMap { $0["name"]?.stringValue }
    #expect(Set(focusable) == ["lighting [0, 5)", "lighting [5, 10)", "FM-22"], "\(names)")
    // Nothing else is worse than they are but the light param's lowest quartile, which is
    // the same weakness seen through the param.
    let worst = names.prefix(while: { !$0.hasPrefix("lighting") && $0 != "FM-22" })
    #expect(worst.allSatisfy { $0.hasPrefix("light [") }, "\(names)")
    let values = gaps.compactMap { $0["value"]?.doubleValue }
    #expect(values == values.sorted(), "gaps are worst first")
  }

  /// COCOeval (pycocotools) on the same files: overall, per class, box sizes and one
  /// sample slice agree to 1e-6.
  @Test(.enabled(if: EvalSupport.python != nil, "SCN_PYTHON is unset: no pycocotools to compare with"))
  func matchesPycocotools() throws {
    let url = EvalSupport.temporary("coco")
    defer { try? FileManager.default.removeItem(at: url) }
    let data = SyntheticDataset(samples: 40)
    try data.write(to: url)
    let predictions = data.detections()
    let predictionsURL = url.appendingPathComponent("predictions.json")
    try Data(predictions.utf8).write(to: predictionsURL)
    let output = try EvalSupport.run(url, predictions, options: EvalOptions(iou: 0.75))
    let doc = try JSONValue.parse(output.evalJSON)
    let dark = data.objects.map(\.image).filter { data.lightBucket(data.light[data.sampleOf(image: $0)]) == "[0, 5)" }
    let darkImages = Array(Set((1...(data.samples * 2)).filter { data.lightBucket(data.light[data.sampleOf(image: $0)]) == "[0, 5)" })).sorted()
    #expect(!dark.isEmpty)
    let script = """
      import json, sys, io, contextlib
      import numpy as np
      from pycocotools.coco import COCO
      from pycocotools.cocoeval import COCOeval
      root, preds, dark = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
      with contextlib.redirect_stdout(io.StringIO()):
          gt = COCO(root + '/annotations/coco_front.json')
          dt = gt.loadRes(preds)
      def run(img_ids=None):
          E = COCOeval(gt, dt, 'bbox')
          if img_ids is not None:
              E.params.imgIds = img_ids
          with contextlib.redirect_stdout(io.StringIO()):
              E.evaluate(); E.accumulate(); E.summarize()
          return E
      def mean(a):
          a = a[a > -1]
          return float(np.mean(a)) if a.size else None
      E = run()
      p, r = E.eval['precision'], E.eval['recall']
      out = {'AP': E.stats[0], 'AP50': E.stats[1], 'AP75': E.stats[2], 'small': E.stats[3], 'medium': E.stats[4],
             'large': E.stats[5], 'recall75': mean(r[5, :, 0, 2]),
             'classes': [[mean(p[:, :, k, 0, 2]), mean(p[0, :, k, 0, 2]), mean(p[5, :, k, 0, 2]), mean(r[5, k, 0, 2])]
                         for k in range(len(E.params.catIds))]}
      D = run(dark)
      out['dark'] = [D.stats[0], D.stats[1], D.stats[2], mean(D.eval['recall'][5, :, 0, 2])]
      print(json.dumps(out))
      """
    let text = try EvalSupport.runPython(script, [url.path, predictionsURL.path, "\(darkImages)"])
    let reference = try JSONValue.parse(text)
    func close(_ a: JSONValue?, _ b: JSONValue?, _ what: String) {
      guard let x = a?.doubleValue, let y = b?.doubleValue else {
        Issue.record("\(what): missing value (\(String(describing: a)) vs \(String(describing: b)))")
        return
      }
      #expect(abs(x - y) <= 1e-6, "\(what): scn \(x), pycocotools \(y)")
    }
    let overall = doc["overall"]
    close(overall?["AP"], reference["AP"], "AP")
    close(overall?["AP50"], reference["AP50"], "AP50")
    close(overall?["AP75"], reference["AP75"], "AP75")
    close(overall?["recall"], reference["recall75"], "recall@0.75")
    let classes = overall?["classes"]?.arrayValue ?? []
    let refClasses = reference["classes"]?.arrayValue ?? []
    #expect(classes.count == 2 && refClasses.count == 2)
    for (c, ref) in zip(classes, refClasses) {
      let r = ref.arrayValue ?? []
      guard r.count == 4 else { continue }
      close(c["AP"], r[0], "class AP")
      close(c["AP50"], r[1], "class AP50")
      close(c["AP75"], r[2], "class AP75")
      close(c["recall"], r[3], "class recall")
    }
    let slices = doc["slices"]?.arrayValue ?? []
    for size in ["small", "medium", "large"] {
      close(slices.first { $0["name"]?.stringValue == "box_size \(size)" }?["AP"], reference[size], "AP \(size)")
    }
    let darkSlice = slices.first { $0["name"]?.stringValue == "lighting [0, 5)" }
    let d = reference["dark"]?.arrayValue ?? []
    if d.count == 4 {
      close(darkSlice?["AP"], d[0], "dark AP")
      close(darkSlice?["AP50"], d[1], "dark AP50")
      close(darkSlice?["AP75"], d[2], "dark AP75")
      close(darkSlice?["recall"], d[3], "dark recall")
    } else {
      Issue.record("no dark-slice reference: \(text)")
    }
  }
}
