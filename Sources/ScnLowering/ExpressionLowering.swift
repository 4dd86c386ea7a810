import ScnIR
import ScnSema
import ScnSource

/// Lowers checked expressions of one owner (a definition, requirement, function …) to IR,
/// numbering its draws in pre-order.
struct ExpressionLowering {
  let paramIndex: [String: Int]
  let definitionIndex: [String: Int]
  var counter: SiteCounter
  var sites: SiteAllocator

  init(paramIndex: [String: Int], definitionIndex: [String: Int], owner: String, sites: SiteAllocator) {
    self.paramIndex = paramIndex
    self.definitionIndex = definitionIndex
    self.counter = SiteCounter(owner: owner)
    self.sites = sites
  }

  private mutating func nextSite() -> UInt32 { sites.site(for: counter.nextKey()) }

  mutating func lower(_ e: TypedExpr) -> IRExpr {
    let type = ValueLowering.type(e.type)
    func make(_ k: IRExpr.Kind) -> IRExpr { IRExpr(k, type: type, isRandom: e.isRandom, range: e.range) }
    // Constants fold: a constant expression becomes its value (in base units).
    if !e.isRandom, let c = e.constant, let v = ValueLowering.value(c, e.type) {
      return make(.constant(v))
    }
    switch e.kind {
    case .constant(let c):
      return make(.constant(ValueLowering.value(c, e.type) ?? .bool(false)))
    case .member(.param(let n)): return make(.variable(.param(paramIndex[n] ?? -1)))
    case .member(.definition(let n)): return make(.variable(.definition(definitionIndex[n] ?? -1)))
    case .globalConstant(_, let v):
      let inner = lower(v)
      return IRExpr(inner.kind, type: type, isRandom: inner.isRandom, range: e.range)
    case .local(let slot): return make(.variable(.local(slot)))
    case .selfActor: return make(.variable(.selfActor))
    case .ego: return make(.variable(.ego))
    case .unary(let op, let x): return make(.unary(op == .not ? .not : .negate, lower(x)))
    case .binary(let op, let a, let b):
      let x = lower(a)
      let y = lower(b)
      return make(.binary(Self.op(op), x, y))
    case .compareChain(let xs, let ops):
      let lowered = xs.map { lower($0) }
      return make(.compareChain(lowered, ops.map(Self.op)))
    case .field(let x, let name): return make(.member(lower(x), name))
    case .index(let x, let i):
      let a = lower(x)
      return make(.index(a, lower(i)))
    case .list(let xs): return make(.list(xs.map { lower($0) }))
    case .tuple(let xs): return make(.tuple(xs.map { lower($0) }))
    case .vector(let a, let b, let c):
      let x = lower(a)
      let y = lower(b)
      return make(.vector(x, y, lower(c)))
    case .range(let a, let b, let inclusive):
      let x = lower(a)
      return make(.range(x, lower(b), inclusive: inclusive))
    case .native(let n, let args): return make(.native(n, args.map { lower($0) }))
    case .call(let n, let args): return make(.call(n, args.map { lower($0) }))
    case .invoke(let n, let args): return make(.invoke(n, args.map { lower($0) }))
    case .draw(let d, let args):
      let site = nextSite()
      let kind = IRDistribution(rawValue: d.rawValue) ?? .uniform
      return make(.draw(kind, site: site, args.map { lower($0) }))
    case .choice(let weights, let alternatives):
      let site = nextSite()
      let w = weights.map { lower($0) }
      return make(.choice(site: site, weights: w, alternatives: alternatives.map { lower($0) }))
    case .conditional(let c, let a, let b):
      let x = lower(c)
      let y = lower(a)
      return make(.conditional(x, y, lower(b)))
    case .comprehension(let slot, let source, let element, let filter):
      let s = lower(source)
      let el = lower(element)
      return make(.comprehension(slot: slot, source: s, element: el, filter: filter.map { lower($0) }))
    case .quantifier(let q, let slot, let source, let body):
      let s = lower(source)
      return make(.quantifier(q == .all ? .all : .any, slot: slot, source: s, body: lower(body)))
    case .construct(let t, let fields, let specifiers):
      let fs = fields.map { IRExpr.FieldInit(name: $0.name, value: lower($0.value)) }
      var specs: [IRSpecifier] = []
      for s in specifiers { specs.append(lower(s)) }
      return make(.construct(type: t, fields: fs, specifiers: specs))
    case .invalid:
      return make(.constant(.bool(false)))
    }
  }

  private mutating func lower(_ s: TypedSpecifier) -> IRSpecifier {
    switch s {
    case .at(let p): return .at(lower(p))
    case .facing(let a): return .facing(lower(a))
    case .facingToward(let p): return .facingToward(lower(p))
    case .behavior(let b): return .behavior(lower(b))
    case .deferredBehavior(let b): return .deferredBehavior(lower(b))
    case .on(let r):
      let site = nextSite()
      return .on(lower(r), site: site)
    case .within(let r):
      let site = nextSite()
      return .within(lower(r), site: site)
    case .offset(let v, let h, let o):
      let x = lower(v)
      let y = h.map { lower($0) }
      return .offset(x, along: y, origin: lower(o))
    case .beyond(let p, let b, let f):
      let x = lower(p)
      let y = lower(b)
      return .beyond(x, by: y, from: lower(f))
    case .vertical(let r, let d, let sign):
      let x = lower(r)
      return .vertical(reference: x, distance: d.map { lower($0) }, sign: sign)
    case .facingAwayFrom(let p): return .facingAway(lower(p))
    case .facingDirectly(let p, let away): return .facingDirectly(lower(p), away: away)
    case .visibleFrom(let x, let negated):
      let site = nextSite()
      return .visibleFrom(lower(x), negated: negated, site: site)
    case .containedIn(let r):
      let site = nextSite()
      return .containedIn(lower(r), site: site)
    case .apparentlyFacing(let h, let p):
      let x = lower(h)
      return .apparentlyFacing(x, from: lower(p))
    case .relative(let reference, let distance, let fs, let ls):
      let r = lower(reference)
      let d = distance.map { lower($0) }
      return .relative(
        reference: r, forward: fs != 0 ? d : nil, left: ls != 0 ? d : nil, forwardSign: fs,
        leftSign: ls)
    }
  }

  static func op(_ op: TypedBinaryOp) -> IRBinaryOp {
    switch op {
    case .add: .add
    case .sub: .sub
    case .mul: .mul
    case .div: .div
    case .mod: .mod
    case .and: .and
    case .or: .or
    case .eq: .eq
    case .ne: .ne
    case .lt: .lt
    case .le: .le
    case .gt: .gt
    case .ge: .ge
    case .contains: .contains
    case .notContains: .notContains
    }
  }
}
