import ScnEncoding
import ScnIR
import ScnUnits

/// How one cover point splits its values into buckets.
///
/// With edges `[e₀ … eₙ]` (quantities, Floats, or Ints by edges) the buckets are
/// `< e₀`, `[e₀, e₁)`, …, `[eₙ₋₁, eₙ)`, `≥ eₙ`: the user's n buckets plus underflow and
/// overflow. Without edges (Int, Bool, enum) there is one bucket per value: the values
/// known before sampling (both Bools, every enum case, the range of a constant
/// `uniform_int`) are listed even when no sample hits them; other values appear as seen.
public struct CoverSpec: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    case edges([Double], unit: String)
    case values(known: [CoverKey])
  }

  public let name: String
  public let kind: Kind
  /// The edges as the scenario writes them (`30km/h`), one per edge: bucket labels use them,
  /// so buckets read in the author's units. Empty (or of another count): edges in base units.
  public let edgeTexts: [String]

  public init(name: String, kind: Kind, edgeTexts: [String] = []) {
    self.name = name
    self.kind = kind
    // One line each: an edge written over several lines reads as one.
    self.edgeTexts = edgeTexts.map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
  }

  /// Edge `i` as a label writes it: as written, or the base-unit number.
  func edgeText(_ i: Int, _ edges: [Double]) -> String {
    if edgeTexts.count == edges.count, edgeTexts.indices.contains(i) { return edgeTexts[i] }
    return edges.indices.contains(i) ? JSONValue.spell(edges[i], negativeZero: false) : "?"
  }

  /// The bucket a value falls in.
  public func key(of value: Value) -> CoverKey {
    switch kind {
    case .edges(let edges, _):
      let x = value.asDouble
      guard let first = edges.first, let last = edges.last, x >= first else { return .below }
      if x >= last { return .above }
      var low = 0, high = edges.count - 1
      while high - low > 1 {
        let middle = (low + high) / 2
        if x < edges[middle] { high = middle } else { low = middle }
      }
      return .interval(low)
    case .values:
      switch value {
      case .int(let i): return .int(i)
      case .bool(let b): return .bool(b)
      case .enumCase(let n): return .name(n)
      case .string(let s): return .name(s)
      case .real(let x): return .name(JSONValue.spell(x, negativeZero: false))
      default: return .name("?")
      }
    }
  }

  /// Every bucket known before sampling, in report order.
  public var knownKeys: [CoverKey] {
    switch kind {
    case .edges(let edges, _): [.below] + (0..<max(edges.count - 1, 0)).map { .interval($0) } + [.above]
    case .values(let known): known
    }
  }

  /// The buckets `--cover-target` spreads samples over: the user's intervals (not the
  /// underflow and overflow), or the known values.
  public var targetKeys: [CoverKey] {
    switch kind {
    case .edges(let edges, _): (0..<max(edges.count - 1, 0)).map { .interval($0) }
    case .values(let known): known
    }
  }

  /// `[10lx, 15lx)`, `< 10lx`, `>= 35lx` (edges as written), `3`, `true`, `rain`.
  public func label(_ key: CoverKey) -> String {
    switch key {
    case .below:
      if case .edges(let e, _) = kind, !e.isEmpty { return "< " + edgeText(0, e) }
      return "below"
    case .above:
      if case .edges(let e, _) = kind, !e.isEmpty { return ">= " + edgeText(e.count - 1, e) }
      return "above"
    case .interval(let i):
      if case .edges(let e, _) = kind, i + 1 < e.count { return "[\(edgeText(i, e)), \(edgeText(i + 1, e)))" }
      return "bucket \(i)"
    case .int(let i): return String(i)
    case .bool(let b): return b ? "true" : "false"
    case .name(let n): return n
    }
  }
}

/// One bucket of a cover point, ordered for reports: underflow, intervals, overflow; or
/// values (Bools false first, Ints numerically, names alphabetically).
public enum CoverKey: Sendable, Hashable, Comparable {
  case below
  case interval(Int)
  case above
  case bool(Bool)
  case int(Int64)
  case name(String)

  private var rank: Int {
    switch self {
    case .below: 0
    case .interval: 1
    case .above: 2
    case .bool: 3
    case .int: 4
    case .name: 5
    }
  }

  public static func < (a: CoverKey, b: CoverKey) -> Bool {
    switch (a, b) {
    case (.interval(let x), .interval(let y)): return x < y
    case (.bool(let x), .bool(let y)): return !x && y
    case (.int(let x), .int(let y)): return x < y
    case (.name(let x), .name(let y)): return x < y
    default: return a.rank < b.rank
    }
  }

  /// The value a guided draw must produce for a value bucket.
  var value: Value? {
    switch self {
    case .bool(let b): .bool(b)
    case .int(let i): .int(i)
    case .name(let n): .enumCase(n)
    default: nil
    }
  }
}
