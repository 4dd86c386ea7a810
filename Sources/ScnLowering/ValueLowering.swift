import ScnIR
import ScnSema
import ScnUnits

/// Converts checker types and constants to their IR counterparts.
enum ValueLowering {
  static func type(_ t: SemaType) -> IRType {
    switch t {
    case .bool: .bool
    case .int: .int
    case .string: .string
    case .quantity(let d): .quantity(d)
    case .vector(let d): .vector(d ?? .dimensionless)
    case .list(let e): .list(type(e))
    case .tuple(let ts): .tuple(ts.map(type))
    case .enumeration(let n): .enumeration(n)
    case .actor(let n): .actor(n)
    case .sensor(let n): .sensor(n)
    // A material is a plain value: the tuple (type name, fields…) (docs/scene-model.md).
    case .material: type(SemaType.materialTuple)
    case .region, .map: .region
    case .headingField: .field
    case .behavior: .behavior
    case .void, .error: .void
    }
  }

  /// A constant of type `t` in base units; nil if the two do not fit together.
  static func value(_ v: ConstValue, _ t: SemaType) -> IRValue? {
    switch (v, t) {
    case (.bool(let b), _): return .bool(b)
    case (.int(let i), .int): return .int(i)
    case (.int(let i), .quantity(let d)): return .real(Double(i), d)
    case (.int(let i), _): return .int(i)
    case (.real(let x, _), .quantity(let d)): return .real(x, d)
    case (.real(let x, _), _): return .real(x, .dimensionless)
    case (.string(let s), _): return .string(s)
    case (.enumCase(let type, let name), _): return .enumCase(type: type, name: name)
    case (.tuple(let xs), .vector(let d)) where xs.count == 3:
      guard let a = xs[0].number, let b = xs[1].number, let c = xs[2].number else { return nil }
      return .vector(a, b, c, d ?? .dimensionless)
    case (.tuple, .material):
      return value(v, SemaType.materialTuple)
    case (.tuple(let xs), .tuple(let ts)) where xs.count == ts.count:
      let vs = zip(xs, ts).compactMap { value($0, $1) }
      return vs.count == xs.count ? .tuple(vs) : nil
    case (.list(let xs), .list(let e)):
      let vs = xs.compactMap { value($0, e) }
      return vs.count == xs.count ? .list(vs) : nil
    case (.list(let xs), _):
      let vs = xs.compactMap { value($0, .string) }
      return vs.count == xs.count ? .list(vs) : nil
    case (.tuple(let xs), _):
      // An annotation's structured argument (`@failure_mode(covers:)`): each part as it is.
      let vs = xs.compactMap { value($0, .string) }
      return vs.count == xs.count ? .tuple(vs) : nil
    }
  }
}
