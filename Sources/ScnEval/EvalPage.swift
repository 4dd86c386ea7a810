import ScnDataset

/// `eval.html`: the metrics per slice with their intervals drawn as bars, gaps highlighted.
/// One self-contained file (no script, no external resource).
enum EvalPage {
  static func html(
    dataset: EvalDataset, overall: Metrics.Full?, overallInterval: Bootstrap.Intervals,
    rows: [(kind: String, name: String, samples: Int, objects: Int, result: Metrics.Full?, interval: Bootstrap.Intervals)],
    gaps: Set<String>, options: EvalOptions
  ) -> String {
    func esc(_ s: String) -> String { HTMLText.escape(s) }
    func fmt(_ x: Double?) -> String {
      guard let x else { return "—" }
      let r = (x * 1000).rounded() / 1000
      return String(format3: r)
    }
    func bar(_ value: Double?, _ interval: (Double, Double)?) -> String {
      guard let value else { return "" }
      var svg = "<svg class=\"bar\" width=\"200\" height=\"14\" viewBox=\"0 0 200 14\">"
      svg += "<rect x=\"0\" y=\"0\" width=\"200\" height=\"14\" fill=\"#eee\"/>"
      if let (lo, hi) = interval {
        svg += "<rect x=\"\(Int(lo * 200))\" y=\"3\" width=\"\(max(1, Int((hi - lo) * 200)))\" height=\"8\" fill=\"#9cc\"/>"
      }
      svg += "<rect x=\"\(Int(value * 200))\" y=\"0\" width=\"2\" height=\"14\" fill=\"#036\"/>"
      svg += "<line x1=\"\(Int(options.below * 200))\" y1=\"0\" x2=\"\(Int(options.below * 200))\" y2=\"14\" stroke=\"#c00\"/>"
      return svg + "</svg>"
    }
    func interval(_ p: (Double, Double)?) -> String { p.map { "[\(fmt($0.0)), \(fmt($0.1))]" } ?? "—" }
    var out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>scn eval: \(esc(dataset.scenario))</title>\n"
    out += "<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}"
    out += "td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:left}tr.gap{background:#fdd}"
    out += "td.n{text-align:right;font-variant-numeric:tabular-nums}</style></head><body>\n"
    out += "<h1>Evaluation of \(esc(dataset.scenario)), camera \(esc(dataset.camera))</h1>\n"
    out += "<p id=\"overall\">Overall: AP \(fmt(overall?.ap)), AP50 \(fmt(overall?.ap50)) \(interval(overallInterval.ap50)), "
    out += "AP75 \(fmt(overall?.ap75)), recall@\(fmt(options.iou)) \(fmt(overall?.recall)) \(interval(overallInterval.recall)).</p>\n"
    out += "<p>Intervals: 95 % percentile bootstrap over samples (\(options.resamples) resamples). Red line: "
    out += "the gap threshold \(fmt(options.below)) on \(options.metric.rawValue). Highlighted rows are gaps.</p>\n"
    out += "<table id=\"slices\"><thead><tr><th>Kind</th><th>Slice</th><th>Samples</th><th>Objects</th><th>AP</th>"
    out += "<th>AP50</th><th>AP50 interval</th><th></th><th>Recall</th><th>Recall interval</th></tr></thead><tbody>\n"
    for row in rows {
      let isGap = gaps.contains(row.kind + "/" + row.name)
      out += "<tr\(isGap ? " class=\"gap\"" : "")><td>\(esc(row.kind))</td><td>\(esc(row.name))</td>"
      out += "<td class=\"n\">\(row.samples)</td><td class=\"n\">\(row.objects)</td><td class=\"n\">\(fmt(row.result?.ap))</td>"
      out += "<td class=\"n\">\(fmt(row.result?.ap50))</td><td>\(interval(row.interval.ap50))</td>"
      out += "<td>\(bar(row.result?.ap50, row.interval.ap50))</td><td class=\"n\">\(fmt(row.result?.recall))</td>"
      out += "<td>\(interval(row.interval.recall))</td></tr>\n"
    }
    out += "</tbody></table>\n</body></html>\n"
    return out
  }
}

extension String {
  /// Three decimals, no exponent (`0.5` → `0.500`).
  init(format3 x: Double) {
    let negative = x < 0
    let scaled = Int64((abs(x) * 1000).rounded())
    let whole = scaled / 1000, fraction = scaled % 1000
    let digits = String(fraction)
    self = (negative ? "-" : "") + "\(whole)." + String(repeating: "0", count: 3 - digits.count) + digits
  }
}
