import ScnIR
import ScnSema

/// Finds the record types, functions, behaviors and enums the lowered scenarios can reach,
/// so the IR (and its hash) does not change when an unrelated StdLib declaration does.
struct Reachability {
  let program: CheckedProgram

  struct Used {
    var types: Set<String> = []
    var functions: Set<String> = []
    var behaviors: Set<String> = []
    var enums: Set<String> = []
  }

  func collect(from scenarios: [ScenarioIR]) -> Used {
    var used = Used()
    var work: [IRExpr] = []
    var types: [IRType] = []
    for s in scenarios {
      work += s.params.map(\.value) + s.definitions.map(\.value) + s.requirements.map(\.requirement.condition)
      work += s.terminations + s.environment.map(\.value) + s.covers.map(\.value) + s.monitors
      work += s.records.map(\.value) + s.overrides.flatMap { o -> [IRExpr] in
        var es = [o.target] + o.fields.map(\.value)
        if case .run(let b) = o.behavior { es.append(b) }
        return es
      }
      if let sim = s.simulation { work += [sim.duration, sim.rate] }
      if let schedule = s.schedule {
        for b in schedule.branches { work += b.requirements.map(\.condition) + b.terminations + b.after + b.monitors }
        for step in schedule.steps { work += [step.duration, step.until].compactMap { $0 } }
      }
      types += s.params.map(\.type)
    }
    let recordsByName = Dictionary(program.recordTypes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    let functionsByName = Dictionary(program.functions.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    let behaviorsByName = Dictionary(program.behaviors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    // Checked expressions of reachable declarations are walked through a second worklist.
    var checkedWork: [TypedExpr] = []
    func addType(_ name: String) {
      guard !used.types.contains(name), let r = recordsByName[name] else { return }
      used.types.insert(name)
      for b in r.bases { addType(b) }
      for f in r.fields {
        if let d = f.defaultValue { checkedWork.append(d) }
        noteSema(f.type)
      }
    }
    func noteSema(_ t: SemaType) {
      switch t {
      case .enumeration(let n): used.enums.insert(n)
      case .actor(let n), .sensor(let n): addType(n)
      case .list(let e): noteSema(e)
      case .tuple(let ts): ts.forEach(noteSema)
      default: break
      }
    }
    func noteIR(_ t: IRType) {
      switch t {
      case .enumeration(let n): used.enums.insert(n)
      case .actor(let n), .sensor(let n): addType(n)
      case .list(let e): noteIR(e)
      case .tuple(let ts): ts.forEach(noteIR)
      default: break
      }
    }
    func addCallable(_ name: String) {
      if let f = functionsByName[name], !used.functions.contains(name) {
        used.functions.insert(name)
        checkedWork.append(f.body)
        f.parameters.forEach { noteSema($0.type) }
      }
      if let b = behaviorsByName[name], !used.behaviors.contains(name) {
        used.behaviors.insert(name)
        b.parameters.forEach { noteSema($0.type) }
        var stack = b.steps
        checkedWork += b.checks.map(\.condition)
        while let step = stack.popLast() {
          checkedWork += step.expressions + step.interruptConditions
          stack += step.nested.flatMap { $0 }
        }
      }
    }
    types.forEach(noteIR)
    while !work.isEmpty || !checkedWork.isEmpty {
      if let e = work.popLast() {
        noteIR(e.type)
        if case .constant(let v) = e.kind { noteValue(v, &used) }
        switch e.kind {
        case .construct(let t, _, _):
          addType(t)
          // Fields and specifier operands, in `IRExpr.children`'s order.
          work += e.children
        case .call(let n, let args), .invoke(let n, let args):
          addCallable(n)
          work += args
        case .native("heading_field", let args):
          // `heading_field(f)` names its function by a string constant.
          if case .constant(.string(let n))? = args.first?.kind { addCallable(n) }
        default:
          work += e.children
        }
      } else if let t = checkedWork.popLast() {
        noteSema(t.type)
        if let c = t.constant { noteConst(c, &used) }
        switch t.kind {
        case .call(let n, let args), .invoke(let n, let args):
          addCallable(n)
          checkedWork += args
        case .native("heading_field", let args):
          if case .constant(.string(let n))? = args.first?.kind { addCallable(n) }
        case .construct(let n, _, _):
          addType(n)
          checkedWork += t.children
        default:
          checkedWork += t.children
        }
      }
    }
    return used
  }

  private func noteValue(_ v: IRValue, _ used: inout Used) {
    switch v {
    case .enumCase(let t, _): used.enums.insert(t)
    case .list(let xs), .tuple(let xs): xs.forEach { noteValue($0, &used) }
    default: break
    }
  }

  private func noteConst(_ v: ConstValue, _ used: inout Used) {
    switch v {
    case .enumCase(let t, _): used.enums.insert(t)
    case .list(let xs), .tuple(let xs): xs.forEach { noteConst($0, &used) }
    default: break
    }
  }
}
