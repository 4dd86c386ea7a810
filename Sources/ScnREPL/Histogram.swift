import Foundation

/// Text histograms for `:hist`: one line per bin with its count, share and a bar of `#`.
public enum Histogram {
  /// Numbers in `unit` (base units; empty when dimensionless). Integers spanning at most
  /// `bins * 2` values get one bin per value; anything else `bins` equal-width bins, each
  /// `[low, high)` but the last, which includes the maximum.
  /// Non-finite values are left out.
  public static func numbers(_ name: String, _ given: [Double], unit: String, bins: Int = 10, barWidth: Int = 40)
    -> String
  {
    let values = given.filter(\.isFinite)
    guard let low = values.min(), let high = values.max() else { return "\(name): no values\n" }
    let suffix = unit.isEmpty ? "" : " " + unit
    if low == high {
      return "\(name) is constant over \(values.count) sample\(values.count == 1 ? "" : "s"): \(compact(low))\(suffix)\n"
    }
    let mean = values.reduce(0) { $0 + $1 / Double(values.count) }
    var out = "\(name) over \(values.count) samples: min \(compact(low))\(suffix), mean \(compact(mean))\(suffix),"
      + " max \(compact(high))\(suffix)\n"
    let sd = standardDeviation(values, mean: mean)
    let sorted = values.sorted()
    out += "  sd \(compact(sd))\(suffix); quantiles "
      + [0.05, 0.25, 0.5, 0.75, 0.95].map { "\(Int($0 * 100))% \(compact(quantile(sorted, $0)))" }.joined(separator: ", ")
      + suffix + "\n"
    var labels: [String] = []
    var counts: [Int] = []
    let integral = values.allSatisfy { $0 == $0.rounded() } && high - low < Double(max(1, bins) * 2)
      && abs(low) < 1e15 && abs(high) < 1e15
    if integral {
      let first = Int64(low)
      let span = Int(Int64(high) - first) + 1
      counts = Array(repeating: 0, count: span)
      labels = (0..<span).map { String(first + Int64($0)) }
      for v in values { counts[Int(Int64(v) - first)] += 1 }
    } else {
      let n = max(1, bins)
      let width = (high - low) / Double(n)
      counts = Array(repeating: 0, count: n)
      for v in values {
        // A span near the Double range makes `width` or the quotient infinite; clamp before
        // converting so no value can trap.
        let position = (v - low) / width
        let bin = position.isFinite ? Int(min(Double(n - 1), max(0, position.rounded(.down)))) : (v >= high ? n - 1 : 0)
        counts[bin] += 1
      }
      labels = (0..<n).map { i in
        let a = low + Double(i) * width
        let b = i == n - 1 ? high : low + Double(i + 1) * width
        return "[\(compact(a)), \(compact(b))" + (i == n - 1 ? "]" : ")")
      }
    }
    out += rows(labels, counts, total: values.count, barWidth: barWidth)
    return out
  }

  /// Labels (enum cases, booleans, strings), one bin per distinct label in label order.
  public static func labels(_ name: String, _ values: [String], barWidth: Int = 40) -> String {
    guard !values.isEmpty else { return "\(name): no values\n" }
    var tally: [String: Int] = [:]
    for v in values { tally[v, default: 0] += 1 }
    let keys = tally.keys.sorted()
    if keys.count == 1, let only = keys.first {
      return "\(name) is constant over \(values.count) sample\(values.count == 1 ? "" : "s"): \(only)\n"
    }
    return "\(name) over \(values.count) samples: \(keys.count) distinct values\n"
      + rows(keys, keys.map { tally[$0] ?? 0 }, total: values.count, barWidth: barWidth)
  }

  /// The sample standard deviation (n - 1), 0 for one value. Scaled by the largest
  /// magnitude first, so values near the Double range do not overflow.
  static func standardDeviation(_ values: [Double], mean: Double) -> Double {
    guard values.count > 1 else { return 0 }
    let scale = values.reduce(0) { max($0, abs($1 - mean)) }
    guard scale > 0, scale.isFinite else { return scale.isFinite ? 0 : .infinity }
    let sum = values.reduce(0) { $0 + (($1 - mean) / scale) * (($1 - mean) / scale) }
    return scale * (sum / Double(values.count - 1)).squareRoot()
  }

  /// The `p` quantile of sorted values, interpolating linearly between order statistics
  /// (type 7, as NumPy's and R's default).
  static func quantile(_ sorted: [Double], _ p: Double) -> Double {
    guard let first = sorted.first, let last = sorted.last else { return .nan }
    let h = Double(sorted.count - 1) * p
    let i = Int(h.rounded(.down))
    guard i + 1 < sorted.count else { return last }
    guard i >= 0 else { return first }
    return sorted[i] + (h - Double(i)) * (sorted[i + 1] - sorted[i])
  }

  private static func rows(_ labels: [String], _ counts: [Int], total: Int, barWidth: Int) -> String {
    let labelWidth = labels.map(\.count).max() ?? 0
    let countWidth = String(counts.max() ?? 0).count
    let most = max(1, counts.max() ?? 1)
    var out = ""
    for (label, count) in zip(labels, counts) {
      let share = String(format: "%5.1f%%", 100 * Double(count) / Double(max(1, total)))
      let bar = count == 0 ? 0 : max(1, Int((Double(count * barWidth) / Double(most)).rounded()))
      out += "  " + pad(label, labelWidth) + "  " + String(repeating: " ", count: countWidth - String(count).count)
        + String(count) + " " + share + "  " + String(repeating: "#", count: bar) + "\n"
    }
    return out
  }

  private static func pad(_ s: String, _ width: Int) -> String {
    s + String(repeating: " ", count: max(0, width - s.count))
  }

  /// About four significant digits, in plain decimal notation (no exponent), trailing
  /// zeros dropped: `2.013`, `15.9`, `12350`, `0.0004`.
  public static func compact(_ x: Double) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    if x == 0 { return "0" }
    let magnitude = Int(floor(log10(abs(x))))
    let decimals = min(12, max(0, 3 - magnitude))
    if decimals == 0 { return String(format: "%.0f", x) }
    var s = String(format: "%.\(decimals)f", x)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s == "-0" ? "0" : s
  }
}
