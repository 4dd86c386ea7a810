extension IRExpr {
  /// The direct sub-expressions, specifier operands included, in a fixed order. Every pass
  /// that walks the IR (reachability in lowering, dependency analysis in the runtime) uses
  /// this one definition, so a new expression kind cannot be forgotten by one of them.
  public var children: [IRExpr] {
    switch kind {
    case .constant, .variable: return []
    case .unary(_, let x), .member(let x, _): return [x]
    case .binary(_, let a, let b), .index(let a, let b), .range(let a, let b, _): return [a, b]
    case .compareChain(let xs, _), .list(let xs), .tuple(let xs), .native(_, let xs), .call(_, let xs),
      .draw(_, _, let xs), .invoke(_, let xs):
      return xs
    case .vector(let a, let b, let c), .conditional(let a, let b, let c): return [a, b, c]
    case .choice(_, let w, let a): return w + a
    case .comprehension(_, let s, let el, let f): return [s, el] + (f.map { [$0] } ?? [])
    case .quantifier(_, _, let s, let b): return [s, b]
    case .construct(_, let fields, let specs):
      var out = fields.map(\.value)
      for s in specs {
        switch s {
        case .at(let x), .facing(let x), .facingToward(let x), .behavior(let x), .deferredBehavior(let x), .on(let x, _),
             .within(let x, _):
          out.append(x)
        case .relative(let r, let f, let l, _, _): out += [r] + [f, l].compactMap { $0 }
        case .offset(let v, let h, let o): out += [v] + [h].compactMap { $0 } + [o]
        case .beyond(let p, let b, let f): out += [p, b, f]
        case .vertical(let r, let d, _): out += [r] + [d].compactMap { $0 }
        case .facingAway(let p), .facingDirectly(let p, _): out.append(p)
        case .apparentlyFacing(let h, let p): out += [h, p]
        case .visibleFrom(let x, _, _), .containedIn(let x, _): out.append(x)
        }
      }
      return out
    }
  }
}
