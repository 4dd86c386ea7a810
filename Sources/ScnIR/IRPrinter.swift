import ScnSource
import ScnUnits

/// The canonical textual form of a program: `scn ir` prints it, golden tests compare it and
/// its SHA-256 is the scenario's identity. It contains semantics only (no source ranges,
/// file names, comments or layout), so `scn fmt` never changes the hash while any change
/// of meaning does. Doubles print in Swift's shortest round-trip form, which is exact and
/// platform-independent.
public enum IRPrinter {
  public static func print(_ program: ProgramIR) -> String {
    var out = "program entry=\(quote(program.entry))\n"
    for input in program.inputs {
      out += "input \(quote(input.path)) sha256=\(input.sha256)\n"
    }
    for e in program.enums {
      out += "enum \(e.name) { \(e.cases.joined(separator: ", ")) }\n"
    }
    for t in program.types {
      let bases = t.bases.isEmpty ? "" : " : " + t.bases.joined(separator: " : ")
      out += "\(t.kind.rawValue) \(t.name)\(bases) {\n"
      for f in t.fields {
        out += "  field \(f.name): \(f.type)"
        if let d = f.defaultValue { out += " = " + expr(d) }
        if let doc = f.doc { out += " doc=" + quote(doc) }
        out += "\n"
      }
      out += "}\n"
    }
    for f in program.functions {
      let params = f.parameters.map { "\($0.name): \($0.type)" }.joined(separator: ", ")
      out += "fn \(f.name)(\(params)) -> \(f.result) = \(expr(f.body))\n"
    }
    for b in program.behaviors {
      let params = zip(b.parameters, b.parameterTypes).map { "\($0): \($1)" }.joined(separator: ", ")
      out += (b.isMonitor ? "monitor" : "behavior") + " \(b.name)(\(params)) {\n"
      for c in b.checks { out += "  \(c.kind.rawValue): \(expr(c.condition))\n" }
      steps(b.steps, indent: "  ", into: &out)
      out += "}\n"
    }
    for s in program.scenarios { scenario(s, into: &out) }
    return out
  }

  /// `compose` steps run in sequence: each branch with its definitions (by index) and checks.
  static func schedule(_ s: ScheduleIR, into out: inout String) {
    for (i, b) in s.branches.enumerated() {
      out += "  branch #\(i) \(b.name)\(b.deferred ? " deferred" : "") {"
      out += " defines " + (b.definitions.isEmpty ? "none" : b.definitions.map { "$\($0)" }.joined(separator: " "))
      out += "\n"
      for r in b.requirements { out += "    require \(mode(r.mode)) \(expr(r.condition))\n" }
      for t in b.terminations { out += "    terminate when \(expr(t))\n" }
      for t in b.after { out += "    terminate after \(expr(t))\n" }
      for m in b.monitors { out += "    require monitor \(expr(m))\n" }
      out += "  }\n"
    }
    for step in s.steps {
      out += "  step \(step.kind.rawValue)"
      if !step.branches.isEmpty {
        out += " " + step.branches.enumerated().map { k, b in
          "#\(b)" + (step.weights.indices.contains(k) ? " weight \(number(step.weights[k]))" : "")
        }.joined(separator: ", ")
      }
      if let d = step.duration { out += " for \(expr(d))" }
      if let u = step.until { out += " until \(expr(u))" }
      out += "\n"
    }
  }

  static func scenario(_ s: ScenarioIR, into out: inout String) {
    out += "scenario \(s.name) {\n"
    for a in s.annotations { out += "  @" + annotation(a) + "\n" }
    for (i, p) in s.params.enumerated() {
      out += "  param %\(i) \(p.name): \(p.type) = \(expr(p.value))"
      if let doc = p.doc { out += " doc=" + quote(doc) }
      out += "\n"
    }
    var reqIndex = 0
    let reqs = s.requirements
    func flushRequirements(upTo index: Int) {
      while reqIndex < reqs.count, reqs[reqIndex].after <= index {
        out += "  require \(mode(reqs[reqIndex].requirement.mode)) \(expr(reqs[reqIndex].requirement.condition))\n"
        reqIndex += 1
      }
    }
    flushRequirements(upTo: -1)
    for (i, d) in s.definitions.enumerated() {
      out += "  \(d.kind.rawValue) $\(i) \(d.name) = \(expr(d.value))\n"
      flushRequirements(upTo: i)
    }
    flushRequirements(upTo: .max)
    for t in s.terminations { out += "  terminate when \(expr(t))\n" }
    for m in s.monitors { out += "  require monitor \(expr(m))\n" }
    out += recordsAndOverrides(s)
    if !s.environment.isEmpty {
      out += "  environment { " + s.environment.map { "\($0.name): \(expr($0.value))" }.joined(separator: ", ") + " }\n"
    }
    if let sim = s.simulation { out += "  simulate \(expr(sim.duration)) at \(expr(sim.rate))\n" }
    for c in s.covers {
      out += "  cover \(c.name): \(expr(c.value))"
      if let edges = c.edges { out += " buckets [" + edges.map(number).joined(separator: ", ") + "]" }
      out += "\n"
    }
    if s.allowOverlap { out += "  allow overlap\n" }
    for inc in s.includes { out += "  include \(inc.scenario) weight \(number(inc.weight))\n" }
    if let schedule = s.schedule { self.schedule(schedule, into: &out) }
    out += "}\n"
  }

  static func steps(_ steps: [BehaviorStepIR], indent: String, into out: inout String) {
    for step in steps {
      switch step {
      case .wait(let d): out += indent + "wait \(expr(d))\n"
      case .waitUntil(let c): out += indent + "wait until \(expr(c))\n"
      case .perform(let a, let d, let u):
        out += indent + "do \(expr(a))"
        if let d { out += " for \(expr(d))" }
        if let u { out += " until \(expr(u))" }
        out += "\n"
      case .either(let site, let branches):
        out += indent + "either site=\(site) {\n"
        for (i, b) in branches.enumerated() {
          if i > 0 { out += indent + "} or {\n" }
          Self.steps(b, indent: indent + "  ", into: &out)
        }
        out += indent + "}\n"
      case .assign(let slot, let v): out += indent + "local\(slot) = \(expr(v))\n"
      case .setField(let f, let v, _): out += indent + "self.\(f) = \(expr(v))\n"
      case .setGlobal(let name, let v, _): out += indent + "global \(name) = \(expr(v))\n"
      case .ifElse(let c, let then, let otherwise):
        out += indent + "if \(expr(c)) {\n"
        Self.steps(then, indent: indent + "  ", into: &out)
        if !otherwise.isEmpty {
          out += indent + "} else {\n"
          Self.steps(otherwise, indent: indent + "  ", into: &out)
        }
        out += indent + "}\n"
      case .whileLoop(let c, let body, _):
        out += indent + "while \(expr(c)) {\n"
        Self.steps(body, indent: indent + "  ", into: &out)
        out += indent + "}\n"
      case .forLoop(let slot, let xs, let body, _):
        out += indent + "for local\(slot) in \(expr(xs)) {\n"
        Self.steps(body, indent: indent + "  ", into: &out)
        out += indent + "}\n"
      case .tryInterrupt(let body, let handlers):
        out += indent + "try {\n"
        Self.steps(body, indent: indent + "  ", into: &out)
        for h in handlers {
          out += indent + "} interrupt when \(expr(h.condition)) {\n"
          Self.steps(h.body, indent: indent + "  ", into: &out)
        }
        out += indent + "}\n"
      case .terminate(let c): out += indent + "terminate" + (c.map { " when \(expr($0))" } ?? "") + "\n"
      case .choose(let site, let weights, let actions, _):
        out += indent + "do choose site=\(site) { "
          + zip(weights, actions).map { "\(expr($0)): \(expr($1))" }.joined(separator: ", ") + " }\n"
      case .shuffle(let site, let actions, _):
        out += indent + "do shuffle site=\(site) { " + actions.map(expr).joined(separator: ", ") + " }\n"
      case .check(let c): out += indent + "\(c.kind.rawValue) \(expr(c.condition))\n"
      case .jump(let j): out += indent + j.rawValue + "\n"
      }
    }
  }

  static func mode(_ m: RequirementIR.Mode) -> String {
    switch m {
    case .hard: "hard"
    case .soft(let p): "soft(\(number(p)))"
    case .always: "always"
    case .eventually: "eventually"
    }
  }

  static func annotation(_ a: IRAnnotation) -> String {
    guard !a.arguments.isEmpty else { return a.name }
    let args = a.arguments.map { ($0.label.isEmpty ? "" : "\($0.label): ") + value($0.value) }
    return "\(a.name)(\(args.joined(separator: ", ")))"
  }

  public static func expr(_ e: IRExpr) -> String {
    let r = e.isRandom ? "~" : ""
    switch e.kind {
    case .constant(let v): return value(v)
    case .variable(let v):
      switch v {
      case .param(let i): return "%\(i)"
      case .definition(let i): return "$\(i)"
      case .local(let i): return "#\(i)"
      case .selfActor: return "self"
      case .ego: return "ego"
      }
    case .unary(let op, let x): return "(\(op.rawValue) \(expr(x)))"
    case .binary(let op, let a, let b): return "(\(op.rawValue)\(r) \(expr(a)) \(expr(b)))"
    case .compareChain(let xs, let ops):
      var s = "(chain\(r) \(expr(xs[0]))"
      for (op, x) in zip(ops, xs.dropFirst()) { s += " \(op.rawValue) \(expr(x))" }
      return s + ")"
    case .member(let x, let name): return "(. \(expr(x)) \(name))"
    case .index(let x, let i): return "(index \(expr(x)) \(expr(i)))"
    case .list(let xs): return "[" + xs.map(expr).joined(separator: " ") + "]"
    case .tuple(let xs): return "(tuple " + xs.map(expr).joined(separator: " ") + ")"
    case .vector(let x, let y, let z): return "(vec \(expr(x)) \(expr(y)) \(expr(z)))"
    case .range(let a, let b, let inclusive): return "(\(inclusive ? ".." : "..<") \(expr(a)) \(expr(b)))"
    case .native(let name, let args): return "(native \(name)" + args.map { " " + expr($0) }.joined() + ")"
    case .call(let name, let args): return "(call \(name)" + args.map { " " + expr($0) }.joined() + ")"
    case .draw(.empirical, let site, let args):
      // The column's values stand behind the file's SHA-256; print their count, not them.
      return "(draw empirical site=\(site)" + args.map { a in
        if case .constant(.list(let xs)) = a.kind { return " n=\(xs.count)" }
        return " " + expr(a)
      }.joined() + ")"
    case .draw(let d, let site, let args):
      return "(draw \(d.rawValue) site=\(site)" + args.map { " " + expr($0) }.joined() + ")"
    case .choice(let site, let weights, let alts):
      return "(choice site=\(site)" + zip(weights, alts).map { " \(expr($0)):\(expr($1))" }.joined() + ")"
    case .conditional(let c, let a, let b): return "(if \(expr(c)) \(expr(a)) \(expr(b)))"
    case .comprehension(let slot, let src, let el, let filter):
      return "(for #\(slot) \(expr(src)) \(expr(el))" + (filter.map { " if " + expr($0) } ?? "") + ")"
    case .quantifier(let q, let slot, let src, let body):
      return "(\(q.rawValue) #\(slot) \(expr(src)) \(expr(body)))"
    case .construct(let type, let fields, let specs):
      var s = "(new \(type)"
      for f in fields { s += " \(f.name)=\(expr(f.value))" }
      for sp in specs { s += " " + specifier(sp) }
      return s + ")"
    case .invoke(let name, let args): return "(invoke \(name)" + args.map { " " + expr($0) }.joined() + ")"
    }
  }

  static func specifier(_ s: IRSpecifier) -> String {
    switch s {
    case .at(let p): "at:\(expr(p))"
    case .facing(let a): "facing:\(expr(a))"
    case .facingToward(let p): "toward:\(expr(p))"
    case .relative(let ref, let fwd, let left, let fs, let ls):
      "rel:(\(expr(ref)) fwd=\(fwd.map(expr) ?? "0")*\(fs) left=\(left.map(expr) ?? "0")*\(ls))"
    case .on(let r, let site): "on:(\(expr(r)) site=\(site))"
    case .within(let r, let site): "within:(\(expr(r)) site=\(site))"
    case .behavior(let b): "behavior:\(expr(b))"
    case .deferredBehavior(let b): "behavior(deferred):\(expr(b))"
    case .offset(let v, let h, let o): "offset:(\(expr(v))" + (h.map { " along=" + expr($0) } ?? "") + " origin=\(expr(o)))"
    case .beyond(let p, let b, let f): "beyond:(\(expr(p)) by=\(expr(b)) from=\(expr(f)))"
    case .vertical(let r, let d, let sign): "vertical:(\(expr(r)) by=\(d.map(expr) ?? "touch")*\(sign))"
    case .facingAway(let p): "away:\(expr(p))"
    case .facingDirectly(let p, let away): "directly-\(away ? "away" : "toward"):\(expr(p))"
    case .apparentlyFacing(let h, let p): "apparently:(\(expr(h)) from=\(expr(p)))"
    case .visibleFrom(let x, let negated, let site): "\(negated ? "not-" : "")visible-from:(\(expr(x)) site=\(site))"
    case .containedIn(let r, let site): "contained-in:(\(expr(r)) site=\(site))"
    }
  }

  public static func value(_ v: IRValue) -> String {
    switch v {
    case .bool(let b): return b ? "true" : "false"
    case .int(let i): return "\(i)"
    case .real(let x, let d): return d.isDimensionless ? number(x) : "\(number(x))[\(d)]"
    case .string(let s): return quote(s)
    case .vector(let x, let y, let z, let d):
      return "(\(number(x)), \(number(y)), \(number(z)))" + (d.isDimensionless ? "" : "[\(d)]")
    case .color(let r, let g, let b): return "rgb(\(number(r)), \(number(g)), \(number(b)))"
    case .enumCase(let t, let n): return "\(t).\(n)"
    case .list(let xs): return "[" + xs.map(value).joined(separator: ", ") + "]"
    case .tuple(let xs): return "(" + xs.map(value).joined(separator: ", ") + ")"
    }
  }

  static func number(_ x: Double) -> String {
    // Normalise -0 so it cannot make two equal programs hash differently.
    x == 0 ? "0.0" : "\(x)"
  }

  static func quote(_ s: String) -> String { s.quotedForDump }
}
