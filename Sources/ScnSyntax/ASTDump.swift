import ScnSource

/// A canonical S-expression dump of the tree, used by tests and `scn dump-ast`. Expressions
/// print on one line (`(Binary + (Name x) (Quantity 1 m))`); declarations and statements
/// print one per line, indented by nesting. Ranges are not printed.
public enum ASTDump {
  public static func dump(_ file: SourceFileSyntax) -> String {
    var out = ""
    for decl in file.declarations { out += dump(decl, indent: 0) }
    return out
  }

  public static func dump(_ e: Expr) -> String {
    switch e.kind {
    case .integer(let t): return "(Int \(t))"
    case .float(let t): return "(Float \(t))"
    case .quantity(let n, let u): return "(Quantity \(n) \(u.text))"
    case .string(let s): return "(String \(quote(s)))"
    case .bool(let b): return "(Bool \(b))"
    case .name(let id): return "(Name \(id.name))"
    case .selfActor: return "Self"
    case .ego: return "Ego"
    case .member(let base, let name): return "(Member \(dump(base)) \(name.name))"
    case .call(let callee, let args): return "(Call \(dump(callee))\(args.map { " " + dump($0) }.joined()))"
    case .index(let base, let index): return "(Index \(dump(base)) \(dump(index)))"
    case .tuple(let es): return "(Tuple\(es.map { " " + dump($0) }.joined()))"
    case .list(let es): return "(List\(es.map { " " + dump($0) }.joined()))"
    case .comprehension(let element, let binder, let sequence, let condition):
      return "(Comprehension \(dump(element)) \(binder.name) \(dump(sequence))"
        + (condition.map { " (if \(dump($0)))" } ?? "") + ")"
    case .range(let a, let b, let halfOpen): return "(Range \(halfOpen ? "..<" : "..") \(dump(a)) \(dump(b)))"
    case .unary(let op, let x): return "(Unary \(op.rawValue) \(dump(x)))"
    case .binary(let op, let a, let b): return "(Binary \(op.rawValue) \(dump(a)) \(dump(b)))"
    case .comparison(let first, let links):
      return "(Compare \(dump(first))\(links.map { " \($0.op.rawValue) \(dump($0.rhs))" }.joined()))"
    case .quantifier(let q, let binder, let sequence, let body):
      return "(\(q == .all ? "All" : "Any") \(binder.name) \(dump(sequence)) \(dump(body)))"
    case .choice(let arms): return "(Choice\(arms.map { " (\(dump($0.weight)) \(dump($0.value)))" }.joined()))"
    case .spatial(let op, let xs): return "(\(op.rawValue.replacingOccurrences(of: " ", with: "-"))\(xs.map { " " + dump($0) }.joined()))"
    case .boxPoint(let p, let x): return "(\(p.rawValue.replacingOccurrences(of: " ", with: "-"))-of \(dump(x)))"
    case .conditional(let c, let a, let b): return "(If \(dump(c)) \(dump(a)) \(dump(b)))"
    case .slice(let base, let lo, let hi):
      return "(Slice \(dump(base)) \(lo.map(dump) ?? "_") \(hi.map(dump) ?? "_"))"
    case .record(let type, let fields): return "(Record \(dump(type))\(fields.map { " " + dump($0) }.joined()))"
    case .construction(let base, let specifiers):
      return "(Construct \(dump(base))\(specifiers.map { " " + dump($0) }.joined()))"
    case .missing: return "<missing>"
    }
  }

  public static func dump(_ s: Specifier) -> String {
    switch s.kind {
    case .at(let e): return "(at \(dump(e)))"
    case .facing(let e): return "(facing \(dump(e)))"
    case .facingToward(let e): return "(facing-toward \(dump(e)))"
    case .on(let e): return "(on \(dump(e)))"
    case .within(let e): return "(within \(dump(e)))"
    case .withBehavior(let e): return "(with-behavior \(dump(e)))"
    case .offset(let v, let h): return "(offset" + (h.map { " (along \(dump($0)))" } ?? "") + " (by \(dump(v))))"
    case .beyond(let p, let v, let q): return "(beyond \(dump(p)) (by \(dump(v)))" + (q.map { " (from \(dump($0)))" } ?? "") + ")"
    case .vertical(let above, let r, let d):
      return "(\(above ? "above" : "below") \(dump(r))" + (d.map { " (by \(dump($0)))" } ?? "") + ")"
    case .facingAwayFrom(let e): return "(facing-away-from \(dump(e)))"
    case .facingDirectly(let e, let away): return "(facing-directly-\(away ? "away-from" : "toward") \(dump(e)))"
    case .apparentlyFacing(let h, let p): return "(apparently-facing \(dump(h))" + (p.map { " (from \(dump($0)))" } ?? "") + ")"
    case .visibleFrom(let x, let negated): return "(\(negated ? "not-" : "")visible-from \(dump(x)))"
    case .containedIn(let r): return "(contained-in \(dump(r)))"
    case .following(let f, let p, let d):
      return "(following \(dump(f))" + (p.map { " (from \(dump($0)))" } ?? "") + " (for \(dump(d))))"
    case .relative(let direction, let reference, let distance):
      let word = direction.rawValue.replacingOccurrences(of: " ", with: "-")
      return "(\(word) \(dump(reference))" + (distance.map { " (by \(dump($0)))" } ?? "") + ")"
    }
  }

  public static func dump(_ t: TypeExpr) -> String {
    switch t.kind {
    case .name(let parts): return parts.map(\.name).joined(separator: ".")
    case .list(let e): return "[\(dump(e))]"
    case .tuple(let es): return "(\(es.map(dump).joined(separator: ", ")))"
    case .product(let a, let b): return "(* \(dump(a)) \(dump(b)))"
    case .quotient(let a, let b): return "(/ \(dump(a)) \(dump(b)))"
    case .power(let a, let n): return "(^ \(dump(a)) \(n))"
    case .one: return "1"
    case .missing: return "<missing>"
    }
  }

  static func dump(_ a: Argument) -> String {
    guard let label = a.label else { return dump(a.value) }
    return "(\(label.name): \(dump(a.value)))"
  }

  static func dump(_ f: FieldInit) -> String { "(\(f.name.name): \(dump(f.value)))" }

  static func dump(_ a: Annotation) -> String {
    "@\(a.name.name)" + (a.arguments.map { "(\($0.map(dump).joined(separator: " ")))" } ?? "")
  }

  static func quote(_ s: String) -> String { s.quotedForDump }

  static func prefix(_ annotations: [Annotation], _ doc: Documentation?, _ pad: String) -> String {
    var out = ""
    if let doc { out += pad + "(Doc \(quote(doc.text)))\n" }
    for a in annotations { out += pad + dump(a) + "\n" }
    return out
  }

  static func typeSuffix(_ t: TypeExpr?) -> String { t.map { " : \(dump($0))" } ?? "" }
  static func valueSuffix(_ e: Expr?) -> String { e.map { " = \(dump($0))" } ?? "" }

  static func dump(_ p: Parameter) -> String { "(\(p.name.name)\(typeSuffix(p.type))\(valueSuffix(p.defaultValue)))" }

  static func dump(_ d: Decl, indent: Int) -> String {
    let pad = String(repeating: "  ", count: indent)
    var out = prefix(d.annotations, d.documentation, pad)
    switch d.kind {
    case .importModule(let parts): out += pad + "(Import \(parts.map(\.name).joined(separator: ".")))\n"
    case .importFile(let path, _): out += pad + "(Import \(quote(path)))\n"
    case .const(let n, let t, let v): out += pad + "(Const \(n.name)\(typeSuffix(t)) = \(dump(v)))\n"
    case .variable(let n, let t, let v): out += pad + "(GlobalVar \(n.name)\(typeSuffix(t)) = \(dump(v)))\n"
    case .enumeration(let n, let cases):
      out += pad + "(Enum \(n.name)\(cases.map { " " + $0.name.name }.joined()))\n"
    case .actor(let n, let base, let fields), .sensor(let n, let base, let fields), .material(let n, let base, let fields):
      let word: String
      if case .actor = d.kind { word = "Actor" } else if case .sensor = d.kind { word = "Sensor" } else { word = "Material" }
      out += pad + "(\(word) \(n.name)" + (base.map { " : \($0.name)" } ?? "") + "\n"
      for f in fields {
        out += prefix(f.annotations, f.documentation, pad + "  ")
        out += pad + "  (Field \(f.isVar ? "var " : "")\(f.name.name)\(typeSuffix(f.type))\(valueSuffix(f.defaultValue)))\n"
      }
      out += pad + ")\n"
    case .function(let n, let ps, let r, let body):
      out += pad + "(Fn \(n.name) (\(ps.map(dump).joined(separator: " ")))"
        + (r.map { " -> \(dump($0))" } ?? "") + " = \(dump(body)))\n"
    case .nativeFunction(let n, let ps, let r):
      out += pad + "(NativeFn \(n.name) (\(ps.map(dump).joined(separator: " "))) -> \(dump(r)))\n"
    case .nativeAction(let n, let ps):
      out += pad + "(NativeAction \(n.name) (\(ps.map(dump).joined(separator: " "))))\n"
    case .behavior(let n, let ps, let actor, let body):
      out += pad + "(Behavior \(n.name) (\(ps.map(dump).joined(separator: " ")))" + (actor.map { " for \($0.name)" } ?? "") + "\n"
      for s in body { out += dump(s, indent: indent + 1) }
      out += pad + ")\n"
    case .monitor(let n, let ps, let body):
      out += pad + "(Monitor \(n.name) (\(ps.map(dump).joined(separator: " ")))\n"
      for s in body { out += dump(s, indent: indent + 1) }
      out += pad + ")\n"
    case .scenario(let n, let base, let body):
      out += pad + "(Scenario \(n.name)" + (base.map { " extends \($0.name)" } ?? "") + "\n"
      for s in body { out += dump(s, indent: indent + 1) }
      out += pad + ")\n"
    case .dimension(let n): out += pad + "(Dimension \(n.name))\n"
    case .unit(let n, .base(let dimension)): out += pad + "(Unit \(n.name) : \(dimension.name))\n"
    case .unit(let n, .derived(let e)): out += pad + "(Unit \(n.name) = \(dump(e)))\n"
    case .typeAlias(let n, let t): out += pad + "(Type \(n.name) = \(dump(t)))\n"
    case .error: out += pad + "<error>\n"
    }
    return out
  }

  static func dump(_ s: Stmt, indent: Int) -> String {
    let pad = String(repeating: "  ", count: indent)
    var out = prefix(s.annotations, s.documentation, pad) + pad
    switch s.kind {
    case .param(let n, let t, let v): out += "(Param \(n.name)\(typeSuffix(t))\(valueSuffix(v)))"
    case .let(let n, let t, let v): out += "(Let \(n.name)\(typeSuffix(t)) = \(dump(v)))"
    case .ego(let n, let v): out += "(Ego" + (n.map { " \($0.name)" } ?? "") + " = \(dump(v)))"
    case .require(let kind, let e, let name):
      let named = name.map { " as \(quote($0.name))" } ?? ""
      switch kind {
      case .hard: out += "(Require \(dump(e))\(named))"
      case .soft(let p): out += "(Require [\(dump(p))] \(dump(e))\(named))"
      case .always: out += "(Require always \(dump(e))\(named))"
      case .eventually: out += "(Require eventually \(dump(e))\(named))"
      }
    case .terminate(let e): out += "(Terminate \(dump(e)))"
    case .environment(let fields): out += "(Environment\(fields.map { " " + dump($0) }.joined()))"
    case .sensor(let n, let v): out += "(Sensor \(n.name) = \(dump(v)))"
    case .simulate(let d, let r): out += "(Simulate \(dump(d))" + (r.map { " at \(dump($0))" } ?? "") + ")"
    case .cover(let n, let v, let b): out += "(Cover \(n.name) \(dump(v))" + (b.map { " buckets \(dump($0))" } ?? "") + ")"
    case .allowOverlap: out += "(AllowOverlap)"
    case .workspace(let r): out += "(Workspace \(dump(r)))"
    case .requireMonitor(let e): out += "(RequireMonitor \(dump(e)))"
    case .record(let time, let e, let name):
      out += "(Record\(time == .everyStep ? "" : " " + time.rawValue) \(dump(e))" + (name.map { " as \($0.name)" } ?? "") + ")"
    case .override(let target, let items):
      out += "(Override \(dump(target))" + items.map { item -> String in
        switch item {
        case .field(let f): " with \(f.name.name) \(dump(f.value))"
        case .behavior(let b, _): " with behavior " + (b.map { dump($0) } ?? "none")
        }
      }.joined() + ")"
    case .compose(let steps):
      out += "(Compose" + steps.map { step in
        if step.form == .wait {
          return " (Wait" + (step.duration.map { " for \(dump($0))" } ?? "") + (step.until.map { " until \(dump($0))" } ?? "")
            + ")"
        }
        let form = step.form == .parallel ? "" : step.form == .choose ? " choose" : " shuffle"
        return " (Do\(form)" + step.invocations.map { " " + dump($0) }.joined()
          + (step.duration.map { " for \(dump($0))" } ?? "") + (step.until.map { " until \(dump($0))" } ?? "") + ")"
      }.joined() + ")"
    case .include(let n, let w): out += "(Include \(n.name)" + (w.map { " weight \(dump($0))" } ?? "") + ")"
    case .expression(let e): out += "(Expr \(dump(e)))"
    case .initialScenario(let then, let otherwise):
      out += "(IfInitialScenario\n" + then.map { dump($0, indent: indent + 1) }.joined()
      if !otherwise.isEmpty { out += pad + " else\n" + otherwise.map { dump($0, indent: indent + 1) }.joined() }
      out += pad + ")"
    case .error: out += "<error>"
    }
    return out + "\n"
  }

  static func dump(_ s: BehaviorStmt, indent: Int) -> String {
    let pad = String(repeating: "  ", count: indent)
    switch s.kind {
    case .wait(let e): return pad + "(Wait \(dump(e)))\n"
    case .waitUntil(let e): return pad + "(WaitUntil \(dump(e)))\n"
    case .perform(let a, let d, let u):
      return pad + "(Do \(dump(a))" + (d.map { " for \(dump($0))" } ?? "") + (u.map { " until \(dump($0))" } ?? "")
        + ")\n"
    case .either(let branches):
      var out = pad + "(Either\n"
      for b in branches {
        out += pad + "  (Branch\n"
        for s in b { out += dump(s, indent: indent + 2) }
        out += pad + "  )\n"
      }
      return out + pad + ")\n"
    case .variable(let n, let t, let v):
      return pad + "(Var \(n.name)" + (t.map { " : \(dump($0))" } ?? "") + " = \(dump(v)))\n"
    case .assign(let n, let v): return pad + "(Assign \(n.name) = \(dump(v)))\n"
    case .setField(let target, let f, let v): return pad + "(SetField \(dump(target)).\(f.name) = \(dump(v)))\n"
    case .ifElse(let c, let then, let otherwise):
      var out = pad + "(If \(dump(c))\n" + block(then, indent + 1)
      if let otherwise { out += pad + " else\n" + block(otherwise, indent + 1) }
      return out + pad + ")\n"
    case .whileLoop(let c, let body): return pad + "(While \(dump(c))\n" + block(body, indent + 1) + pad + ")\n"
    case .forLoop(let x, let xs, let body):
      return pad + "(For \(x.name) in \(dump(xs))\n" + block(body, indent + 1) + pad + ")\n"
    case .tryInterrupt(let body, let handlers):
      var out = pad + "(Try\n" + block(body, indent + 1)
      for h in handlers { out += pad + " interrupt when \(dump(h.condition))\n" + block(h.body, indent + 1) }
      return out + pad + ")\n"
    case .terminate(let c): return pad + "(Terminate" + (c.map { " when \(dump($0))" } ?? "") + ")\n"
    case .choose(let entries):
      return pad + "(Choose" + entries.map { e in " " + (e.weight.map { "\(dump($0)):" } ?? "") + dump(e.action) }.joined()
        + ")\n"
    case .shuffle(let actions): return pad + "(Shuffle" + actions.map { " " + dump($0) }.joined() + ")\n"
    case .precondition(let c): return pad + "(Precondition \(dump(c)))\n"
    case .invariant(let c): return pad + "(Invariant \(dump(c)))\n"
    case .require(let c): return pad + "(Require \(dump(c)))\n"
    case .jump(let j): return pad + "(\(j.rawValue.capitalized))\n"
    case .error: return pad + "<error>\n"
    }
  }

  private static func block(_ stmts: [BehaviorStmt], _ indent: Int) -> String {
    stmts.map { dump($0, indent: indent) }.joined()
  }
}
