import ScnIR

/// Read-only traversal helpers over IR expressions.
enum IRWalk {
  /// The direct sub-expressions of `e` (see `IRExpr.children`).
  static func children(_ e: IRExpr) -> [IRExpr] { e.children }

  /// Natives whose result depends on every actor in the scene, not only their arguments.
  static let sceneQueries: Set<String> = ["visible", "occlusion", "lidar_points", "can_see", "in_workspace"]

  /// Whether `e` asks about the whole scene (`visible`, `occlusion`, `lidar_points`,
  /// `can see`, the `workspace` check).
  static func readsWholeScene(_ e: IRExpr) -> Bool {
    var stack = [e]
    while let x = stack.popLast() {
      if case .native(let name, _) = x.kind, sceneQueries.contains(name) { return true }
      stack += children(x)
    }
    return false
  }

  /// Levels of `e`'s tree (a leaf is 1), walked with an explicit stack.
  static func depth(_ e: IRExpr) -> Int {
    var deepest = 0
    var stack = [(e, 1)]
    while let (x, d) = stack.popLast() {
      deepest = max(deepest, d)
      for c in children(x) { stack.append((c, d + 1)) }
    }
    return deepest
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
