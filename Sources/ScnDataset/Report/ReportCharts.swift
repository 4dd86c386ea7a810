import Foundation
import ScnEncoding

/// A param's law before requirements, as `coverage.json` records it, in the unit the report
/// shows: `cdf(v)` is the probability of a value ≤ v (v in the display unit).
struct DeclaredDistribution {
  let law: String
  let parameters: [Double]
  /// Display value → value of the drawn variable: `v × unitScale / scale`.
  let toDraw: Double

  init?(_ json: JSONValue?, unitScale: Double) {
    guard let json, let law = json["law"]?.stringValue, let scale = json["scale"]?.doubleValue, scale > 0,
      scale.isFinite, unitScale > 0, unitScale.isFinite,
      let parameters = json["parameters"]?.arrayValue?.compactMap(\.doubleValue), parameters.allSatisfy(\.isFinite)
    else { return nil }
    switch (law, parameters.count) {
    case ("uniform", 2), ("uniform_int", 2): guard parameters[0] < parameters[1] || (law == "uniform_int" && parameters[0] <= parameters[1]) else { return nil }
    case ("normal", 2), ("lognormal", 2): guard parameters[1] > 0 else { return nil }
    case ("truncnormal", 4): guard parameters[1] > 0, parameters[2] < parameters[3] else { return nil }
    default: return nil
    }
    self.law = law
    self.parameters = parameters
    toDraw = unitScale / scale
  }

  var isDiscrete: Bool { law == "uniform_int" }

  static func phi(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

  /// P(value ≤ v), v in the display unit.
  func cdf(_ v: Double) -> Double {
    let x = v * toDraw
    let p = parameters
    switch law {
    case "uniform": return min(1, max(0, (x - p[0]) / (p[1] - p[0])))
    case "uniform_int":
      let k = (x + 1e-9).rounded(.down)
      return min(1, max(0, (k - p[0] + 1) / (p[1] - p[0] + 1)))
    case "normal": return Self.phi((x - p[0]) / p[1])
    case "lognormal": return x <= 0 ? 0 : Self.phi((log(x) - p[0]) / p[1])
    case "truncnormal":
      let a = Self.phi((p[2] - p[0]) / p[1]), b = Self.phi((p[3] - p[0]) / p[1])
      guard b > a else { return x < p[2] ? 0 : 1 }
      return min(1, max(0, (Self.phi((min(max(x, p[2]), p[3]) - p[0]) / p[1]) - a) / (b - a)))
    default: return 0
    }
  }

  /// Where almost all of the law lies (display unit): the support of a bounded law, else the
  /// 0.1 % and 99.9 % quantiles.
  var span: (Double, Double) {
    let p = parameters
    let z = 3.09
    let (lo, hi): (Double, Double)
    switch law {
    case "uniform": (lo, hi) = (p[0], p[1])
    case "uniform_int": (lo, hi) = (p[0] - 0.5, p[1] + 0.5)
    case "normal": (lo, hi) = (p[0] - z * p[1], p[0] + z * p[1])
    case "lognormal": (lo, hi) = (exp(p[0] - z * p[1]), exp(p[0] + z * p[1]))
    case "truncnormal": (lo, hi) = (max(p[2], p[0] - z * p[1]), min(p[3], p[0] + z * p[1]))
    default: (lo, hi) = (0, 0)
    }
    return (lo / toDraw, hi / toDraw)
  }
}

/// The SVG charts of `scn report`: inline, no script.
enum ReportCharts {
  static func f1(_ x: Double) -> String { String(format: "%.1f", x) }

  /// A number for an axis label: three significant digits, no exponent below 10⁶.
  static func short(_ x: Double) -> String {
    guard x.isFinite else { return "?" }
    if x != 0, abs(x) < 1e-3 || abs(x) >= 1e6 { return String(format: "%.2e", x) }
    var s = String(format: "%.3g", x)
    if s.contains("e") { s = String(format: "%.1f", x) }
    return s
  }

  /// A histogram of `values` (display unit) with the declared law's expected counts drawn
  /// over it as a step line: bins cover both the accepted values and the law's span, so what
  /// requirements cut away shows as bins where the line stands above the bars.
  static func histogram(values: [Double], unit: String, declared: DeclaredDistribution?, integer: Bool) -> String {
    let finite = values.filter(\.isFinite)
    guard let vmin = finite.min(), let vmax = finite.max() else { return "<p>No numeric values.</p>" }
    var low = vmin, high = vmax
    if let declared {
      let span = declared.span
      if span.0.isFinite, span.1.isFinite {
        low = min(low, span.0)
        high = max(high, span.1)
      }
    }
    var edges: [Double]
    if integer || declared?.isDiscrete == true, high - low <= 40 {
      let a = (low + 0.5).rounded(.down), b = (high - 0.5).rounded(.up)
      edges = stride(from: a - 0.5, through: b + 0.5, by: 1).map { $0 }
      if edges.count < 2 { edges = [a - 0.5, a + 0.5] }
    } else if high > low {
      edges = (0...20).map { low + (high - low) * Double($0) / 20 }
    } else {
      edges = [low - 0.5, low + 0.5]
    }
    let bins = edges.count - 1
    var counts = [Double](repeating: 0, count: bins)
    for x in finite {
      var i = 0
      while i < bins - 1 && x >= edges[i + 1] { i += 1 }
      counts[i] += 1
    }
    let expected: [Double]? = declared.map { d in
      (0..<bins).map { i in Double(finite.count) * max(0, d.cdf(edges[i + 1]) - d.cdf(edges[i])) }
    }
    let width = 360.0, height = 150.0, plotTop = 8.0, plotBottom = 120.0
    let peak = max(counts.max() ?? 1, expected?.max() ?? 0, 1)
    let step = width / Double(bins)
    func y(_ c: Double) -> Double { plotBottom - (plotBottom - plotTop) * c / peak }
    var svg = "<svg class=\"histogram\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
    svg += "viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
    svg += "<line x1=\"0\" y1=\"\(f1(plotBottom))\" x2=\"\(Int(width))\" y2=\"\(f1(plotBottom))\" stroke=\"#999\"/>"
    for i in 0..<bins {
      let top = y(counts[i])
      svg += "<rect class=\"bar\" x=\"\(f1(Double(i) * step + 0.5))\" y=\"\(f1(top))\" width=\"\(f1(max(step - 1, 0.5)))\" "
      svg += "height=\"\(f1(plotBottom - top))\" fill=\"#4a78b5\"><title>[\(HTMLText.escape(short(edges[i]))), "
      svg += "\(HTMLText.escape(short(edges[i + 1])))) \(HTMLText.escape(unit)): \(Int(counts[i])) samples"
      if let expected { svg += ", \(short(expected[i])) expected from the declared law" }
      svg += "</title></rect>"
    }
    if let expected {
      var points: [String] = []
      for i in 0..<bins {
        let yy = f1(y(expected[i]))
        points.append("\(f1(Double(i) * step)),\(yy)")
        points.append("\(f1(Double(i + 1) * step)),\(yy)")
      }
      svg += "<polyline class=\"declared\" points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#e07b00\" stroke-width=\"2\"/>"
    }
    let suffix = unit.isEmpty ? "" : " " + unit
    svg += "<text x=\"0\" y=\"\(f1(height - 16))\">\(HTMLText.escape(short(edges[0]) + suffix))</text>"
    svg += "<text x=\"\(f1(width / 2))\" y=\"\(f1(height - 16))\" text-anchor=\"middle\">\(HTMLText.escape(short(edges[bins / 2]) + suffix))</text>"
    svg += "<text x=\"\(Int(width))\" y=\"\(f1(height - 16))\" text-anchor=\"end\">\(HTMLText.escape(short(edges[bins]) + suffix))</text>"
    svg += "<text x=\"0\" y=\"\(f1(height - 2))\" class=\"legend\">bars: \(finite.count) accepted samples"
    svg += declared == nil ? "" : "; line: declared law"
    svg += "</text></svg>"
    return svg
  }

  /// Horizontal bars with labels and counts, with an optional target line.
  static func bars(_ bars: [(String, Double)], target: Double?, width: Int = 560) -> String {
    let peak = max(bars.map(\.1).max() ?? 0, target ?? 0, 1)
    let row = 18, labelWidth = 180
    let height = row * max(bars.count, 1) + 4
    let plot = Double(width - labelWidth - 50)
    var svg = "<svg class=\"bars\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\">"
    for (i, (label, value)) in bars.enumerated() {
      let y = i * row + 2
      let w = plot * value / peak
      svg += "<text x=\"0\" y=\"\(y + 12)\">\(HTMLText.escape(label))</text>"
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

  /// Samples per (row bucket, column bucket) of two cover points, as a shaded grid.
  static func heatMap(rows: (name: String, buckets: [String]), columns: (name: String, buckets: [String]), counts: [[Int]]) -> String {
    let cell = 44, labelWidth = 120, header = 96
    let width = labelWidth + cell * columns.buckets.count + 60
    let height = header + cell * rows.buckets.count + 4
    let peak = max(counts.flatMap { $0 }.max() ?? 0, 1)
    var svg = "<svg class=\"heatmap\" data-rows=\"\(HTMLText.escape(rows.name))\" data-columns=\"\(HTMLText.escape(columns.name))\" "
    svg += "xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\">"
    for (j, bucket) in columns.buckets.enumerated() {
      let x = labelWidth + j * cell + cell / 2
      svg += "<text transform=\"translate(\(x),\(header - 4)) rotate(-55)\">\(HTMLText.escape(bucket))</text>"
    }
    for (i, bucket) in rows.buckets.enumerated() {
      let y = header + i * cell
      svg += "<text x=\"\(labelWidth - 4)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"end\">\(HTMLText.escape(bucket))</text>"
      for j in columns.buckets.indices {
        let n = counts.indices.contains(i) && counts[i].indices.contains(j) ? counts[i][j] : 0
        let t = Double(n) / Double(peak)
        // White to dark blue; empty cells stay white with a grey outline.
        let r = Int(255 - t * (255 - 30)), g = Int(255 - t * (255 - 80)), b = Int(255 - t * (255 - 160))
        let x = labelWidth + j * cell
        svg += "<rect class=\"cell\" data-count=\"\(n)\" x=\"\(x)\" y=\"\(y)\" width=\"\(cell - 2)\" height=\"\(cell - 2)\" "
        svg += "fill=\"rgb(\(r),\(g),\(b))\" stroke=\"#ccc\"><title>\(HTMLText.escape(rows.name)) \(HTMLText.escape(rows.buckets[i])), "
        svg += "\(HTMLText.escape(columns.name)) \(HTMLText.escape(columns.buckets[j])): \(n) samples</title></rect>"
        svg += "<text x=\"\(x + cell / 2 - 1)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"middle\" fill=\"\(t > 0.5 ? "#fff" : "#222")\">\(n)</text>"
      }
    }
    return svg + "</svg>"
  }

  /// An interval bar on [0, 1]: the interval shaded, the value as a tick, an optional threshold.
  static func intervalBar(_ value: Double?, _ interval: (Double, Double)?, threshold: Double?) -> String {
    guard let value else { return "" }
    var svg = "<svg class=\"interval\" width=\"200\" height=\"14\" viewBox=\"0 0 200 14\">"
    svg += "<rect x=\"0\" y=\"0\" width=\"200\" height=\"14\" fill=\"#eee\"/>"
    if let (lo, hi) = interval, lo.isFinite, hi.isFinite {
      svg += "<rect x=\"\(f1(min(max(lo, 0), 1) * 200))\" y=\"3\" width=\"\(f1(max(1, (min(hi, 1) - max(lo, 0)) * 200)))\" height=\"8\" fill=\"#9cc\"/>"
    }
    if value.isFinite { svg += "<rect x=\"\(f1(min(max(value, 0), 1) * 200 - 1))\" y=\"0\" width=\"2\" height=\"14\" fill=\"#036\"/>" }
    if let threshold, threshold.isFinite {
      svg += "<line x1=\"\(f1(threshold * 200))\" y1=\"0\" x2=\"\(f1(threshold * 200))\" y2=\"14\" stroke=\"#c00\"/>"
    }
    return svg + "</svg>"
  }

  /// A count read from the dataset's files, which may hold anything: never trap on it.
  static func whole(_ x: Double) -> String { Int(exactly: x.rounded()).map(String.init) ?? JSONValue.spell(x) }
}
