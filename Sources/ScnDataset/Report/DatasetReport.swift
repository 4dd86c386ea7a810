import Foundation
import ScnEncoding

/// `scn report`: one self-contained HTML page (inline CSS and SVG, images as data URIs, no
/// script): parameter histograms in the author's units against the declared law, coverage per
/// cover point and a heat map per pair of points, requirement acceptance, a contact sheet with
/// one frame per sample, and with an evaluation its metrics per slice and its worst frames.
public enum DatasetReport {
  /// What the page is made from besides the dataset.
  public struct Options: Sendable {
    /// The contents of an `scn eval` output folder's `eval.json`.
    public var evaluation: [UInt8]?
    /// At most this many samples in the contact sheet (nil: every sample).
    public var contactSheetSamples: Int?
    /// The contact sheet's thumbnails and markup together stay under this many bytes.
    public var contactSheetBudget: Int
    public init(evaluation: [UInt8]? = nil, contactSheetSamples: Int? = nil, contactSheetBudget: Int = 4_200_000) {
      self.evaluation = evaluation
      self.contactSheetSamples = contactSheetSamples
      self.contactSheetBudget = contactSheetBudget
    }
  }

  /// Most cover-point pairs drawn as heat maps (8 points give 28).
  static let maximumHeatMaps = 28

  /// Renders the page for a finished dataset. Throws when the directory has no manifest, a
  /// listed file is unreadable, or the evaluation belongs to another dataset.
  public static func render(directory: URL, options: Options = Options()) throws(DatasetError) -> String {
    let store = FileStore(root: directory)
    let manifest = try store.readJSON("manifest.json")
    // Only files the manifest lists are read, each through the store's path check.
    let listedFiles = ListedFiles(store: store, manifest: manifest)
    let coverage = try listedFiles.readJSON("coverage.json")
    let samples = try readLines(listedFiles, "samples.jsonl")
    var evaluation: JSONValue?
    if let bytes = options.evaluation {
      evaluation = try FileStore.parseJSON(bytes, path: "eval.json")
      guard evaluation?["schema"]?.stringValue == "scn-eval/1" else {
        throw .corrupt(path: "eval.json", reason: "not an scn eval result (schema scn-eval/1)")
      }
      let evaluated = evaluation?["dataset"]?["identity_sha256"]?.stringValue
      guard evaluated == manifest["identity_sha256"]?.stringValue else {
        throw .corrupt(
          path: "eval.json",
          reason: "evaluates the dataset with identity \(evaluated ?? "?"), this one is \(manifest["identity_sha256"]?.stringValue ?? "?")")
      }
    }
    let identity = manifest["identity"]
    let title = identity?["scenario"]?.stringValue ?? "dataset"
    var html = """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8"><title>\(esc(title)) — scn report</title>
      <style>
      body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:80em;color:#222;padding:0 1em}
      h1,h2,h3{font-weight:600}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
      table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .6em;text-align:left}
      td.n{text-align:right;font-variant-numeric:tabular-nums}tr.gap{background:#fdd}
      .grid{display:flex;flex-wrap:wrap;gap:1em}.grid figure{margin:0}figcaption{font-size:12px;color:#555;max-width:360px}
      .sheet{display:flex;flex-wrap:wrap;gap:4px}.sheet figure{margin:0}.sheet figcaption{font-size:10px;line-height:1.2;width:0;min-width:100%}
      .tag{display:inline-block;background:#eef;border-radius:3px;padding:0 3px;margin:1px}
      svg text{font:11px system-ui,sans-serif}code{background:#f4f4f4;padding:0 .2em}
      .legend{fill:#555}.key span{display:inline-block;width:1em;height:.6em;margin:0 .3em}
      </style></head><body>

      """
    html += "<h1>\(esc(title))</h1>\n"
    let counts = manifest["counts"]
    html += "<p id=\"summary\">\(counts?["samples"]?.intValue ?? 0) samples, \(counts?["frames"]?.intValue ?? 0) frames, "
    html += "\(counts?["images"]?.intValue ?? 0) camera images, \(counts?["annotations"]?.intValue ?? 0) objects. "
    html += "Seed <code>\(esc(identity?["seed"]?.compact ?? "?"))</code>, IR <code>\(esc(manifest["ir_sha256"]?.stringValue ?? "?"))</code>, "
    html += "generator <code>\(esc(manifest["generator"]?["version"]?.stringValue ?? "?"))</code>.</p>\n"
    html += "<nav><a href=\"#parameters\">Parameters</a> · <a href=\"#coverage\">Coverage</a> · "
    html += "<a href=\"#acceptance\">Acceptance</a> · <a href=\"#contact-sheet\">Contact sheet</a>"
    if evaluation != nil { html += " · <a href=\"#evaluation\">Evaluation</a>" }
    html += "</nav>\n"

    html += parameterSection(coverage: coverage, samples: samples)
    html += coverageSection(coverage: coverage, samples: samples)
    html += acceptanceSection(coverage)
    html += "<section id=\"contact-sheet\"><h2>Contact sheet</h2>\n"
    html += ContactSheet.html(listedFiles, manifest: manifest, samples: samples, coverage: coverage, options: options)
    html += "</section>\n"
    if let evaluation { html += EvaluationSection.html(evaluation, files: listedFiles) }
    html += "</body></html>\n"
    return html
  }

  static func readLines(_ store: ListedFiles, _ path: String) throws(DatasetError) -> [JSONValue] {
    let bytes = try store.read(path)
    var out: [JSONValue] = []
    for line in bytes.split(separator: UInt8(ascii: "\n")) {
      out.append(try FileStore.parseJSON(Array(line), path: path))
    }
    return out
  }

  /// A param value as a number in base units: a plain number or `{"value": x, "unit": u}`.
  static func number(_ v: JSONValue) -> Double? {
    if case .bool = v { return nil }
    return v.doubleValue ?? v["value"]?.doubleValue
  }

  /// One histogram per numeric param, in the unit its literals use, with the declared law;
  /// counts per value for the others.
  static func parameterSection(coverage: JSONValue, samples: [JSONValue]) -> String {
    var html = "<section id=\"parameters\"><h2>Parameters</h2>\n"
    // The params as coverage.json documents them, then any other param the samples carry.
    var docs: [(name: String, doc: JSONValue?)] = (coverage["parameters"]?.arrayValue ?? []).compactMap { p in
      p["name"]?.stringValue.map { ($0, p) }
    }
    for sample in samples {
      for (name, _) in sample["params"]?.objectMembers ?? [] where !docs.contains(where: { $0.name == name }) {
        docs.append((name, nil))
      }
    }
    if docs.isEmpty { return html + "<p>The scenario has no params.</p></section>\n" }
    html += "<p>Bars: the accepted samples, in the unit the scenario writes the param in. Line: how many samples "
    html += "each bin would hold under the param's declared law alone, before requirements: where the line "
    html += "stands above the bars, requirements (or coverage guidance) cut values away.</p>\n<div class=\"grid\">\n"
    for (name, doc) in docs {
      let values = samples.compactMap { $0["params"]?[name] }
      let unitSymbol = doc?["unit"]?["symbol"]?.stringValue
      let unitScale = doc?["unit"]?["scale"]?.doubleValue ?? 1
      let numbers = values.compactMap(number)
      html += "<figure class=\"param\" data-param=\"\(esc(name))\">"
      if !values.isEmpty, numbers.count == values.count, unitScale > 0, unitScale.isFinite {
        let base = values.first?["unit"]?.stringValue ?? ""
        let shown = numbers.map { $0 / unitScale }
        let integer = values.allSatisfy { value in
          if case .int = value { return true }
          if case .unsigned = value { return true }
          return false
        }
        let declared = DeclaredDistribution(doc?["declared"], unitScale: unitScale)
        html += ReportCharts.histogram(values: shown, unit: unitSymbol ?? base, declared: declared, integer: integer)
      } else {
        var order: [String] = []
        var counts: [String: Double] = [:]
        for value in values {
          let key = value.stringValue ?? value.compact
          if counts[key] == nil { order.append(key) }
          counts[key, default: 0] += 1
        }
        html += ReportCharts.bars(order.sorted(by: FileStore.pathOrder).map { ($0, counts[$0] ?? 0) }, target: nil, width: 360)
      }
      html += "<figcaption><code>\(esc(name))</code>"
      if let type = doc?["type"]?.stringValue { html += ": \(esc(type))" }
      if let distribution = doc?["distribution"]?.stringValue { html += " = <code>\(esc(distribution))</code>" }
      html += "</figcaption></figure>\n"
    }
    return html + "</div></section>\n"
  }

  /// Samples per bucket of each cover point, then a heat map per pair of points.
  static func coverageSection(coverage: JSONValue, samples: [JSONValue]) -> String {
    var html = "<section id=\"coverage\"><h2>Coverage</h2>\n"
    let points = (coverage["cover_points"]?.arrayValue ?? []).compactMap { p -> (String, [String], JSONValue)? in
      guard let name = p["name"]?.stringValue else { return nil }
      return (name, (p["buckets"]?.arrayValue ?? []).compactMap { $0["bucket"]?.stringValue }, p)
    }
    if points.isEmpty { return html + "<p>No cover points.</p></section>\n" }
    html += "<div class=\"grid\">\n"
    for (name, _, point) in points {
      let buckets = (point["buckets"]?.arrayValue ?? []).map {
        ($0["bucket"]?.stringValue ?? "", Double($0["count"]?.intValue ?? 0))
      }
      html += "<figure class=\"cover\" data-cover=\"\(esc(name))\">"
      html += ReportCharts.bars(buckets, target: point["target_per_bucket"]?.doubleValue, width: 460)
      html += "<figcaption><code>\(esc(name))</code>"
      if let mode = point["failure_mode"]?.stringValue { html += ", serves failure mode <code>\(esc(mode))</code>" }
      html += "</figcaption></figure>\n"
    }
    html += "</div>\n"
    if points.count >= 2 {
      html += "<h3>Pairs of cover points</h3>\n<p>Samples per pair of buckets: an empty cell is a combination "
      html += "no sample reached.</p>\n<div class=\"grid\">\n"
      var drawn = 0
      outer: for i in points.indices {
        for j in points.indices where j > i {
          if drawn == maximumHeatMaps { break outer }
          drawn += 1
          let (a, aBuckets, _) = points[i], (b, bBuckets, _) = points[j]
          var counts = Array(repeating: Array(repeating: 0, count: bBuckets.count), count: aBuckets.count)
          for sample in samples {
            guard let x = sample["cover"]?[a]?.stringValue, let y = sample["cover"]?[b]?.stringValue,
              let r = aBuckets.firstIndex(of: x), let c = bBuckets.firstIndex(of: y)
            else { continue }
            counts[r][c] += 1
          }
          html += "<figure>" + ReportCharts.heatMap(rows: (a, aBuckets), columns: (b, bBuckets), counts: counts)
          html += "<figcaption><code>\(esc(a))</code> (rows) × <code>\(esc(b))</code> (columns)</figcaption></figure>\n"
        }
      }
      html += "</div>\n"
      let pairs = points.count * (points.count - 1) / 2
      if pairs > drawn { html += "<p>\(pairs - drawn) more pairs are not drawn (at most \(maximumHeatMaps)).</p>\n" }
    }
    return html + "</section>\n"
  }

  static func acceptanceSection(_ coverage: JSONValue) -> String {
    var html = "<section id=\"acceptance\"><h2>Requirement acceptance</h2>\n"
    let attempts = coverage["attempts"]?.intValue ?? 0
    html += "<p>\(coverage["samples"]?.intValue ?? 0) samples from \(attempts) attempts"
    if let rate = coverage["acceptance_rate"]?.doubleValue { html += String(format: " (%.1f %% accepted)", rate * 100) }
    html += ".</p>\n"
    let requirements = coverage["requirements"]?.arrayValue ?? []
    if !requirements.isEmpty {
      html += "<table><thead><tr><th>Requirement</th><th>Rejections</th></tr></thead><tbody>\n"
      for r in requirements {
        html += "<tr><td><code>\(esc(r["name"]?.stringValue ?? ""))</code></td><td class=\"n\">\(r["rejections"]?.intValue ?? 0)</td></tr>\n"
      }
      html += "</tbody></table>\n"
    }
    return html + "</section>\n"
  }

  static func esc(_ s: String) -> String { HTMLText.escape(s) }
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
    try FileStore.parseJSON(read(relativePath), path: relativePath)
  }
}
