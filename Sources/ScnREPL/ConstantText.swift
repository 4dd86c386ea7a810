import ScnIR
import ScnRuntime
import ScnUnits

/// A folded constant as `:type` shows it: quantities in base units (`8.333 m/s`).
enum ConstantText {
  static func text(_ v: IRValue, units: UnitNames = .prelude) -> String {
    func unit(_ d: Dimension) -> String { d.isDimensionless ? "" : " " + units.spell(d) }
    switch v {
    case .bool(let b): return b ? "true" : "false"
    case .int(let i): return String(i)
    case .real(let x, let d): return Histogram.compact(x) + unit(d)
    case .string(let s): return "\"" + s + "\""
    case .vector(let x, let y, let z, let d):
      return "(" + [x, y, z].map(Histogram.compact).joined(separator: ", ") + ")" + unit(d)
    case .color(let r, let g, let b): return "rgb(" + [r, g, b].map(Histogram.compact).joined(separator: ", ") + ")"
    case .enumCase(_, let name): return name
    case .list(let xs): return "[" + xs.map { text($0, units: units) }.joined(separator: ", ") + "]"
    case .tuple(let xs): return "(" + xs.map { text($0, units: units) }.joined(separator: ", ") + ")"
    }
  }
}
