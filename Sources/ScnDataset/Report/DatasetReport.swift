import Foundation

/// `scn report`: one self-contained HTML page (inline CSS and SVG, images as data URIs)
/// showing coverage per cover point, parameter distributions, requirement acceptance and a
/// contact sheet of frames with their boxes.
public enum DatasetReport {
  /// Renders the page for a finished dataset. Throws when the directory has no manifest.
  public static func render(directory: URL, contactSheetImages: Int = 6) throws(DatasetError) -> String {
    let store = FileStore(root: directory)
    let manifest = try store.readJSON("manifest.json")
    // Only files the manifest lists are read, each through the store's path check.
    let listedFiles = ListedFiles(store: store, manifest: manifest)
    let coverage = try listedFiles.readJSON("coverage.json")
    let samples = try readLines(listedFiles, "samples.jsonl")
    let identity = manifest["identity"]
    var html = """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8"><title>\(escape(identity?["scenario"]?.stringValue ?? "dataset")) — scn report</title>
      <style>
      body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:70em;color:#222}
      h1,h2,h3{font-weight:600}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
      table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .6em;text-align:left}
      .grid{display:flex;flex-wrap:wrap;gap:1em}.grid figure{margin:0}figcaption{font-size:12px;color:#555}
      svg text{font:11px system-ui,sans-serif}code{background:#f4f4f4;padding:0 .2em}
      </style></head><body>

      """
    html += "<h1>\(escape(identity?["scenario"]?.stringValue ?? "dataset"))</h1>\n"
    let counts = manifest["counts"]
    html += "<p>\(counts?["samples"]?.intValue ?? 0) samples, \(counts?["frames"]?.intValue ?? 0) frames, "
    html += "\(counts?["images"]?.intValue ?? 0) camera images, \(counts?["annotations"]?.intValue ?? 0) objects. "
    html += "Seed <code>\(escape(identity?["seed"]?.compact ?? "?"))</code>, IR <code>\(escape(manifest["ir_sha256"]?.stringValue ?? "?"))</code>, "
    html += "generator <code>\(escape(manifest["generator"]?["version"]?.stringValue ?? "?"))</code>.</p>\n"

    html += "<h2>Coverage</h2>\n"
    let points = coverage["cover_points"]?.arrayValue ?? []
    if points.isEmpty { html += "<p>No cover points.</p>\n" }
    for point in points {
      let buckets = (point["buckets"]?.arrayValue ?? []).map {
        ($0["bucket"]?.stringValue ?? "", Double($0["count"]?.intValue ?? 0))
      }
      html += "<h3>\(escape(point["name"]?.stringValue ?? ""))</h3>\n"
      html += barChart(buckets, target: point["target_per_bucket"]?.doubleValue)
    }

    html += "<h2>Requirement acceptance</h2>\n"
    let attempts = coverage["attempts"]?.intValue ?? 0
    html += "<p>\(coverage["samples"]?.intValue ?? 0) samples from \(attempts) attempts"
    if let rate = coverage["acceptance_rate"]?.doubleValue { html += String(format: " (%.1f %% accepted)", rate * 100) }
    html += ".</p>\n"
    let requirements = coverage["requirements"]?.arrayValue ?? []
    if !requirements.isEmpty {
      html += barChart(requirements.map { ($0["name"]?.stringValue ?? "", Double($0["rejections"]?.intValue ?? 0)) }, target: nil)
    }

    html += "<h2>Parameters</h2>\n<div class=\"grid\">\n"
    for (name, values) in parameterColumns(samples) {
      html += "<figure>\(histogram(values))<figcaption>\(escape(name))</figcaption></figure>\n"
    }
    html += "</div>\n<h2>Contact sheet</h2>\n<div class=\"grid\">\n"
    html += contactSheet(listedFiles, manifest: manifest, limit: contactSheetImages)
    html += "</div>\n</body></html>\n"
    return html
  }

  static func readLines(_ store: ListedFiles, _ path: String) throws(DatasetError) -> [JSONValue] {
    let bytes = try store.read(path)
    var out: [JSONValue] = []
    for line in bytes.split(separator: UInt8(ascii: "\n")) {
      do {
        out.append(try JSONValue.parse(bytes: Array(line)))
      } catch {
        throw .corrupt(path: path, reason: error.description)
      }
    }
    return out
  }

  /// Parameter name → its values over the samples, in the order parameters first appear.
  static func parameterColumns(_ samples: [JSONValue]) -> [(String, [JSONValue])] {
    var order: [String] = []
    var columns: [String: [JSONValue]] = [:]
    for sample in samples {
      for (name, value) in sample["params"]?.objectMembers ?? [] {
        if columns[name] == nil { order.append(name) }
        columns[name, default: []].append(value)
      }
    }
    return order.map { ($0, columns[$0] ?? []) }
  }

  /// Numbers: 20 equal-width bins; anything else: counts per distinct value.
  static func histogram(_ values: [JSONValue]) -> String {
    let numbers = values.compactMap(\.doubleValue).filter(\.isFinite)
    if numbers.count == values.count, let low = numbers.min(), let high = numbers.max() {
      let binCount = low == high ? 1 : 20
      var bins = [Double](repeating: 0, count: binCount)
      for x in numbers {
        // The span can overflow to infinity for extreme values; such points go to the first bin.
        let t = (x - low) / (high - low) * Double(binCount)
        let i = t.isFinite ? min(binCount - 1, max(0, Int(t))) : 0
        bins[i] += 1
      }
      let labels = bins.indices.map { i in
        i == 0 ? short(low) : (i == binCount - 1 ? short(high) : "")
      }
      return barChart(Array(zip(labels, bins)), target: nil, width: 320, vertical: true)
    }
    var order: [String] = []
    var counts: [String: Double] = [:]
    for value in values {
      let key = value.stringValue ?? value.compact
      if counts[key] == nil { order.append(key) }
      counts[key, default: 0] += 1
    }
    return barChart(order.sorted(by: FileStore.pathOrder).map { ($0, counts[$0] ?? 0) }, target: nil)
  }

  static func short(_ x: Double) -> String { String(format: "%.3g", x) }

  /// Horizontal bars with labels (or vertical columns for histograms), as inline SVG.
  static func barChart(_ bars: [(String, Double)], target: Double?, width: Int = 560, vertical: Bool = false) -> String {
    let peak = max(bars.map(\.1).max() ?? 0, target ?? 0, 1)
    if vertical {
      let height = 120, plot = 100
      let step = Double(width) / Double(max(bars.count, 1))
      var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\">"
      for (i, (label, value)) in bars.enumerated() {
        let h = Double(plot) * value / peak
        svg += "<rect x=\"\(f1(Double(i) * step + 1))\" y=\"\(f1(Double(plot) - h))\" width=\"\(f1(max(step - 2, 1)))\" "
        svg += "height=\"\(f1(h))\" fill=\"#4a78b5\"><title>\(whole(value))</title></rect>"
        if !label.isEmpty {
          // The last label ends at the right edge so it is not clipped.
          let last = i == bars.count - 1 && i > 0
          let x = last ? "\(width)\" text-anchor=\"end" : f1(Double(i) * step)
          svg += "<text x=\"\(x)\" y=\"\(height - 4)\">\(escape(label))</text>"
        }
      }
      return svg + "</svg>"
    }
    let row = 18, labelWidth = 160
    let height = row * max(bars.count, 1) + 4
    let plot = Double(width - labelWidth - 50)
    var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\">"
    for (i, (label, value)) in bars.enumerated() {
      let y = i * row + 2
      let w = plot * value / peak
      svg += "<text x=\"0\" y=\"\(y + 12)\">\(escape(label))</text>"
      svg += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(f1(w))\" height=\"\(row - 4)\" fill=\"#4a78b5\"/>"
      svg += "<text x=\"\(f1(Double(labelWidth) + w + 4))\" y=\"\(y + 12)\">\(whole(value))</text>"
    }
    if let target {
      let x = Double(labelWidth) + plot * target / peak
      svg += "<line x1=\"\(f1(x))\" y1=\"0\" x2=\"\(f1(x))\" y2=\"\(height)\" stroke=\"#c33\" stroke-dasharray=\"4 2\">"
      svg += "<title>target \(whole(target))</title></line>"
    }
    return svg + "</svg>"
  }

  /// The first few images of the first COCO file, as data URIs under their boxes.
  static func contactSheet(_ store: ListedFiles, manifest: JSONValue, limit: Int) -> String {
    let files = (manifest["files"]?.arrayValue ?? []).compactMap { $0["path"]?.stringValue }
    guard let cocoPath = files.first(where: { $0.hasPrefix("annotations/coco_") }),
      let coco = try? store.readJSON(cocoPath)
    else { return "<p>No camera images.</p>" }
    var out = ""
    let annotations = coco["annotations"]?.arrayValue ?? []
    for image in (coco["images"]?.arrayValue ?? []).prefix(limit) {
      guard let fileName = image["file_name"]?.stringValue, let bytes = try? store.read(fileName),
        let width = image["width"]?.intValue, let height = image["height"]?.intValue, let id = image["id"]?.intValue
      else { continue }
      let scale = 240.0 / Double(max(width, 1))
      var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"240\" height=\"\(f1(Double(height) * scale))\" "
      svg += "viewBox=\"0 0 \(width) \(height)\">"
      svg += "<image width=\"\(width)\" height=\"\(height)\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,\(Data(bytes).base64EncodedString())\"/>"
      for annotation in annotations where annotation["image_id"]?.intValue == id {
        guard let b = annotation["bbox"]?.arrayValue?.compactMap(\.doubleValue), b.count == 4 else { continue }
        svg += "<rect x=\"\(f1(b[0]))\" y=\"\(f1(b[1]))\" width=\"\(f1(b[2]))\" height=\"\(f1(b[3]))\" fill=\"none\" "
        svg += "stroke=\"#e33\" stroke-width=\"\(f1(max(1 / scale, 0.5)))\"><title>\(escape(annotation["class"]?.stringValue ?? ""))</title></rect>"
      }
      out += "<figure>\(svg)</svg><figcaption>\(escape(fileName))</figcaption></figure>\n"
    }
    return out
  }

  static func f1(_ x: Double) -> String { String(format: "%.1f", x) }

  /// A count read from the dataset's files, which may hold anything: never trap on it.
  static func whole(_ x: Double) -> String { Int(exactly: x.rounded()).map(String.init) ?? JSONValue.spell(x) }

  static func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }
}

/// The files a manifest lists, and only those: what `scn report` may read. Every read also
/// goes through `FileStore.checkedURL`, so a listed path cannot lead out of the dataset.
struct ListedFiles {
  let store: FileStore
  let listed: Set<String>

  init(store: FileStore, manifest: JSONValue) {
    self.store = store
    listed = Set((manifest["files"]?.arrayValue ?? []).compactMap { $0["path"]?.stringValue })
  }

  func read(_ relativePath: String) throws(DatasetError) -> [UInt8] {
    guard listed.contains(relativePath) else {
      throw .corrupt(path: relativePath, reason: "not listed in manifest.json; only listed files are read")
    }
    return try store.read(relativePath)
  }

  func readJSON(_ relativePath: String) throws(DatasetError) -> JSONValue {
    let bytes = try read(relativePath)
    do {
      return try JSONValue.parse(bytes: bytes)
    } catch {
      throw .corrupt(path: relativePath, reason: error.description)
    }
  }
}
