import Foundation
import ScnEncoding

/// The report's contact sheet: one frame per sample (the middle one of the sample's frames
/// of the first camera), downscaled, with its boxes and class names drawn over it and the
/// sample's slice tags (split, cover buckets, failure modes reached) under it. Thumbnails
/// share a byte budget, so a page of any number of samples stays small.
enum ContactSheet {
  struct Box {
    var x: Double, y: Double, width: Double, height: Double
    var label: String
    var kind: String
  }

  static func html(
    _ files: ListedFiles, manifest: JSONValue, samples: [JSONValue], coverage: JSONValue, options: DatasetReport.Options
  ) -> String {
    let paths = (manifest["files"]?.arrayValue ?? []).compactMap { $0["path"]?.stringValue }
    guard let cocoPath = paths.first(where: { $0.hasPrefix("annotations/coco_") && $0.hasSuffix(".json") }),
      let coco = try? files.readJSON(cocoPath)
    else { return "<p>No camera images.</p>\n" }
    let camera = String(cocoPath.dropFirst("annotations/coco_".count).dropLast(".json".count))
    // The sample's frames of this camera, and the annotations of each image.
    var framesOf: [Int: [JSONValue]] = [:]
    for image in coco["images"]?.arrayValue ?? [] {
      guard let sample = image["sample"]?.intValue else { continue }
      framesOf[sample, default: []].append(image)
    }
    var annotationsOf: [Int: [JSONValue]] = [:]
    for annotation in coco["annotations"]?.arrayValue ?? [] {
      guard let image = annotation["image_id"]?.intValue else { continue }
      annotationsOf[image, default: []].append(annotation)
    }
    let modes = (coverage["failure_modes"]?.arrayValue ?? []).compactMap { mode -> (String, [(String, [String])])? in
      guard let id = mode["id"]?.stringValue else { return nil }
      let covers = (mode["covers"]?.arrayValue ?? []).compactMap { c -> (String, [String])? in
        guard let point = c["point"]?.stringValue else { return nil }
        return (point, (c["buckets"]?.arrayValue ?? []).compactMap(\.stringValue))
      }
      return covers.isEmpty ? nil : (id, covers)
    }
    var chosen: [(sample: JSONValue, image: JSONValue)] = []
    for sample in samples {
      guard let index = sample["index"]?.intValue, let frames = framesOf[index], !frames.isEmpty else { continue }
      let sorted = frames.sorted { ($0["frame"]?.intValue ?? 0) < ($1["frame"]?.intValue ?? 0) }
      chosen.append((sample, sorted[sorted.count / 2]))
      if let limit = options.contactSheetSamples, chosen.count >= limit { break }
    }
    if chosen.isEmpty { return "<p>No camera images.</p>\n" }
    let maxWidth = chosen.count <= 24 ? 240 : (chosen.count <= 200 ? 160 : 120)
    // Markup first, then the thumbnails share what is left of the budget.
    var parts: [(before: String, imageID: Int, fileName: String, width: Int, height: Int, after: String)] = []
    var markup = 0
    for (sample, image) in chosen {
      guard let id = image["id"]?.intValue, let fileName = image["file_name"]?.stringValue,
        let width = image["width"]?.intValue, let height = image["height"]?.intValue, width > 0, height > 0
      else { continue }
      let index = sample["index"]?.intValue ?? -1
      var tags: [String] = []
      if let split = sample["split"]?.stringValue { tags.append(split) }
      let cover = sample["cover"]
      for (point, bucket) in cover?.objectMembers ?? [] { tags.append("\(point) \(bucket.stringValue ?? bucket.compact)") }
      for (id, covers) in modes where covers.allSatisfy({ entry in
        cover?[entry.0]?.stringValue.map(entry.1.contains) ?? false
      }) {
        tags.append(id)
      }
      let boxes = (annotationsOf[id] ?? []).compactMap { a -> Box? in
        guard let b = a["bbox"]?.arrayValue?.compactMap(\.doubleValue), b.count == 4 else { return nil }
        return Box(x: b[0], y: b[1], width: b[2], height: b[3], label: a["class"]?.stringValue ?? "", kind: "object")
      }
      let before = "<figure class=\"sample\" data-sample=\"\(index)\">"
      let after = overlay(boxes, width: width, height: height, shownWidth: shownWidth(width, maxWidth, 120)) + "</svg><figcaption>sample \(index), frame "
        + "\(image["frame"]?.intValue ?? 0)<br>" + tags.map { "<span class=\"tag\">\(DatasetReport.esc($0))</span>" }.joined()
        + "</figcaption></figure>\n"
      markup += before.utf8.count + after.utf8.count + 300
      parts.append((before, id, fileName, width, height, after))
    }
    let perThumbnail = max(400, (options.contactSheetBudget - markup) / max(parts.count, 1) * 3 / 4)
    var html = "<p>Camera <code>\(DatasetReport.esc(camera))</code>: the middle frame of each of \(parts.count) samples, "
    html += "downscaled, with its labelled boxes; under each, the sample's split, cover buckets and failure modes.</p>\n"
    html += "<div class=\"sheet\">\n"
    for part in parts {
      let (thumb, display) = image(files, part.fileName, width: part.width, height: part.height, maxWidth: maxWidth, budget: perThumbnail)
      html += part.before
      html += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(display.0)\" height=\"\(display.1)\" viewBox=\"0 0 \(part.width) \(part.height)\">"
      html += thumb
      html += part.after
    }
    return html + "</div>\n"
  }

  /// Small images are shown enlarged (the boxes and labels are vector graphics and stay sharp).
  static func shownWidth(_ width: Int, _ maxWidth: Int, _ minimum: Int) -> Int { max(min(width, maxWidth), minimum) }

  /// The `<image>` element of a thumbnail (empty when the file cannot be read) and the size
  /// the figure is shown at.
  static func image(
    _ files: ListedFiles, _ fileName: String, width: Int, height: Int, maxWidth: Int, budget: Int, minimumShownWidth: Int = 120
  ) -> (String, (Int, Int)) {
    let shownWidth = shownWidth(width, maxWidth, minimumShownWidth)
    let shownHeight = max(1, Int((Double(height) * Double(shownWidth) / Double(width)).rounded()))
    guard let bytes = try? files.read(fileName), let thumb = Thumbnail.make(png: bytes, maxWidth: maxWidth, budget: budget)
    else { return ("<rect width=\"\(width)\" height=\"\(height)\" fill=\"#ddd\"/>", (shownWidth, shownHeight)) }
    let element = "<image width=\"\(width)\" height=\"\(height)\" preserveAspectRatio=\"none\" "
      + "href=\"data:image/png;base64,\(Data(thumb.png).base64EncodedString())\"/>"
    return (element, (shownWidth, shownHeight))
  }

  /// Boxes with their labels in image coordinates: objects blue, missed ones orange and
  /// dashed, false detections red.
  /// Stroke and lettering are sized for the figure as shown (`shownWidth` pixels wide).
  static func overlay(_ boxes: [Box], width: Int, height: Int, shownWidth: Int) -> String {
    let unit = Double(width) / Double(max(shownWidth, 1))  // image units per shown pixel
    let stroke = 1.5 * unit
    let font = (shownWidth >= 200 ? 11 : 9) * unit
    var svg = ""
    for box in boxes {
      let colour = box.kind == "missed" ? "#f90" : (box.kind == "false" ? "#e22" : "#3cf")
      let dash = box.kind == "missed" ? " stroke-dasharray=\"\(ReportCharts.f1(stroke * 3)) \(ReportCharts.f1(stroke * 2))\"" : ""
      svg += "<g class=\"box \(box.kind)\"><rect x=\"\(ReportCharts.f1(box.x))\" y=\"\(ReportCharts.f1(box.y))\" "
      svg += "width=\"\(ReportCharts.f1(box.width))\" height=\"\(ReportCharts.f1(box.height))\" fill=\"none\" stroke=\"\(colour)\" "
      svg += "stroke-width=\"\(ReportCharts.f1(stroke))\"\(dash)/>"
      if !box.label.isEmpty {
        let y = box.y > font ? box.y - font * 0.2 : box.y + box.height + font
        svg += "<text x=\"\(ReportCharts.f1(box.x))\" y=\"\(ReportCharts.f1(y))\" fill=\"\(colour)\" "
        svg += "style=\"font-size:\(ReportCharts.f1(font))px\">\(DatasetReport.esc(box.label))</text>"
      }
      svg += "</g>"
    }
    return svg
  }
}

/// The report's evaluation section, from an `scn eval` output's `eval.json`: the overall
/// metrics, every slice with its intervals (gaps highlighted), the gaps, and the frames where
/// the detector erred most with its missed objects and false detections drawn.
enum EvaluationSection {
  static func html(_ eval: JSONValue, files: ListedFiles) -> String {
    func fmt(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "—" }
    func pair(_ v: JSONValue?) -> (Double, Double)? {
      guard let a = v?.arrayValue, a.count == 2, let lo = a[0].doubleValue, let hi = a[1].doubleValue else { return nil }
      return (lo, hi)
    }
    func interval(_ p: (Double, Double)?) -> String { p.map { "[\(fmt($0.0)), \(fmt($0.1))]" } ?? "—" }
    let settings = eval["settings"]
    let below = settings?["below"]?.doubleValue
    let metric = settings?["metric"]?.stringValue ?? "AP50"
    let overall = eval["overall"]
    var html = "<section id=\"evaluation\"><h2>Evaluation</h2>\n"
    html += "<p id=\"overall\">Camera <code>\(DatasetReport.esc(eval["dataset"]?["camera"]?.stringValue ?? "?"))</code>, "
    html += "predictions sha256 <code>\(DatasetReport.esc(eval["predictions"]?["sha256"]?.stringValue ?? "?"))</code>. "
    html += "Overall AP \(fmt(overall?["AP"]?.doubleValue)), AP50 \(fmt(overall?["AP50"]?.doubleValue)) "
    html += "\(interval(pair(overall?["intervals"]?["AP50"]))), recall \(fmt(overall?["recall"]?.doubleValue)) "
    html += "\(interval(pair(overall?["intervals"]?["recall"]))).</p>\n"
    html += "<p>Intervals: 95 % bootstrap over samples. Red line: the gap threshold \(fmt(below)) on \(DatasetReport.esc(metric)). "
    html += "Highlighted rows are gaps: slices of at least 10 samples whose interval lies wholly below the threshold "
    html += "or the overall value.</p>\n"
    let gaps = eval["gaps"]?.arrayValue ?? []
    let gapKeys = Set(gaps.map { ($0["kind"]?.stringValue ?? "") + "/" + ($0["name"]?.stringValue ?? "") })
    if !gaps.isEmpty {
      html += "<h3>Gaps, worst first</h3>\n<ol id=\"gaps\">\n"
      for gap in gaps {
        html += "<li><code>\(DatasetReport.esc(gap["name"]?.stringValue ?? ""))</code>: \(DatasetReport.esc(metric)) "
        html += "\(fmt(gap["value"]?.doubleValue)) \(interval(pair(gap["interval"]))), \(gap["samples"]?.intValue ?? 0) samples, "
        html += "\(DatasetReport.esc(gap["reason"]?.stringValue ?? ""))</li>\n"
      }
      html += "</ol>\n"
    } else {
      html += "<p id=\"gaps\">No gaps.</p>\n"
    }
    html += "<h3>Slices</h3>\n<table id=\"slices\"><thead><tr><th>Kind</th><th>Slice</th><th>Samples</th><th>Objects</th>"
    html += "<th>AP50</th><th>AP50 interval</th><th></th><th>Recall</th><th>Recall interval</th><th></th></tr></thead><tbody>\n"
    for slice in eval["slices"]?.arrayValue ?? [] {
      let kind = slice["kind"]?.stringValue ?? "", name = slice["name"]?.stringValue ?? ""
      let isGap = gapKeys.contains(kind + "/" + name)
      let ap50 = slice["AP50"]?.doubleValue, recall = slice["recall"]?.doubleValue
      let ap50Interval = pair(slice["intervals"]?["AP50"]), recallInterval = pair(slice["intervals"]?["recall"])
      html += "<tr\(isGap ? " class=\"gap\"" : "")><td>\(DatasetReport.esc(kind))</td><td>\(DatasetReport.esc(name))</td>"
      html += "<td class=\"n\">\(slice["samples"]?.intValue ?? 0)</td><td class=\"n\">\(slice["objects"]?.intValue ?? 0)</td>"
      html += "<td class=\"n\">\(fmt(ap50))</td><td>\(interval(ap50Interval))</td>"
      html += "<td>\(ReportCharts.intervalBar(ap50, ap50Interval, threshold: metric == "AP50" ? below : nil))</td>"
      html += "<td class=\"n\">\(fmt(recall))</td><td>\(interval(recallInterval))</td>"
      html += "<td>\(ReportCharts.intervalBar(recall, recallInterval, threshold: metric == "recall" ? below : nil))</td></tr>\n"
    }
    html += "</tbody></table>\n"
    let worst = eval["worst_images"]?.arrayValue ?? []
    html += "<h3>Worst frames</h3>\n"
    if worst.isEmpty {
      html += "<p id=\"worst\">No frame has a missed object or a false detection.</p>\n"
    } else {
      let rule = settings?["worst_images"]
      html += "<p class=\"key\">The frames with the most errors: <span style=\"background:#f90\"></span>missed objects "
      html += "(dashed), <span style=\"background:#e22\"></span>false detections with their scores; detections scoring "
      html += "at least \(fmt(rule?["score_threshold"]?.doubleValue)) matched at IoU ≥ \(fmt(settings?["iou"]?.doubleValue)).</p>\n"
      html += "<div class=\"grid\" id=\"worst\">\n"
      for image in worst {
        guard let fileName = image["file_name"]?.stringValue else { continue }
        func boxes(_ key: String, _ kind: String) -> [ContactSheet.Box] {
          (image[key]?.arrayValue ?? []).compactMap { a in
            guard let b = a["bbox"]?.arrayValue?.compactMap(\.doubleValue), b.count == 4 else { return nil }
            var label = (kind == "missed" ? "missed " : "false ") + (a["class"]?.stringValue ?? "")
            if let score = a["score"]?.doubleValue { label += String(format: " %.2f", score) }
            return ContactSheet.Box(x: b[0], y: b[1], width: b[2], height: b[3], label: label, kind: kind)
          }
        }
        let missed = boxes("missed", "missed"), falseDetections = boxes("false", "false")
        // The image's size: from its PNG header when readable.
        let bytes = (try? files.read(fileName)) ?? []
        let size = pngSize(bytes) ?? (640, 480)
        let (thumb, display) = ContactSheet.image(files, fileName, width: size.0, height: size.1, maxWidth: 480, budget: 200_000, minimumShownWidth: 360)
        html += "<figure class=\"worst\" data-image=\"\(image["image_id"]?.intValue ?? 0)\">"
        html += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(display.0)\" height=\"\(display.1)\" viewBox=\"0 0 \(size.0) \(size.1)\">"
        html += thumb + ContactSheet.overlay(missed + falseDetections, width: size.0, height: size.1, shownWidth: display.0) + "</svg>"
        html += "<figcaption>\(DatasetReport.esc(fileName)): \(missed.count) missed, \(falseDetections.count) false</figcaption></figure>\n"
      }
      html += "</div>\n"
    }
    return html + "</section>\n"
  }

  /// Width and height from a PNG's IHDR chunk.
  static func pngSize(_ b: [UInt8]) -> (Int, Int)? {
    guard b.count >= 24, b[12] == 0x49, b[13] == 0x48, b[14] == 0x44, b[15] == 0x52 else { return nil }
    func be(_ i: Int) -> Int { Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) }
    let w = be(16), h = be(20)
    return w > 0 && h > 0 && w <= 65536 && h <= 65536 ? (w, h) : nil
  }
}
