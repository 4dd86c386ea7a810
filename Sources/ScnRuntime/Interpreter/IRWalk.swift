import ScnIR

/// Read-only traversal helpers over IR expressions.
enum IRWalk {
  /// The direct sub-expressions of `e`, specifier operands included.
  static func children(_ e: IRExpr) -> [IRExpr] {
    switch e.kind {
    case .constant, .variable: return []
    case .unary(_, let x), .member(let x, _): return [x]
    case .binary(_, let a, let b), .index(let a, let b), .range(let a, let b, _): return [a, b]
    case .compareChain(let xs, _), .list(let xs), .tuple(let xs), .native(_, let xs), .call(_, let xs),
      .draw(_, _, let xs), .invoke(_, let xs):
      return xs
    case .vector(let a, let b, let c): return [a, b, c]
    case .choice(_, let w, let a): return w + a
    case .comprehension(_, let s, let el, let f): return [s, el] + (f.map { [$0] } ?? [])
    case .quantifier(_, _, let s, let b): return [s, b]
    case .construct(_, let fields, let specs):
      var out = fields.map(\.value)
      for s in specs {
        switch s {
        case .at(let x), .facing(let x), .facingToward(let x), .behavior(let x), .on(let x, _), .within(let x, _):
          out.append(x)
        case .relative(let r, let f, let l, _, _): out += [r] + [f, l].compactMap { $0 }
        }
      }
      return out
    }
  }

  /// Natives whose result depends on every actor in the scene, not only their arguments.
  static let sceneQueries: Set<String> = ["visible", "occlusion", "lidar_points"]

  /// Whether `e` asks a sensor about the whole scene (`visible`, `occlusion`, `lidar_points`).
  static func readsWholeScene(_ e: IRExpr) -> Bool {
    var stack = [e]
    while let x = stack.popLast() {
      if case .native(let name, _) = x.kind, sceneQueries.contains(name) { return true }
      stack += children(x)
    }
    return false
  }

  /// The definition indices `e` reads (`ego` counts as the ego definition).
  static func definitionsRead(_ e: IRExpr, ego: Int?) -> Set<Int> {
    var out: Set<Int> = []
    var stack = [e]
    while let x = stack.popLast() {
      if case .variable(let v) = x.kind {
        switch v {
        case .definition(let i): out.insert(i)
        case .ego: if let ego { out.insert(ego) }
        default: break
        }
      }
      stack += children(x)
    }
    return out
  }
}
