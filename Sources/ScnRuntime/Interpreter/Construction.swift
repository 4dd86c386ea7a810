import ScnGeometry
import ScnIR
import ScnSource
import ScnUnits

/// `Type { fields } specifiers`: explicit fields, then the type's defaults for the rest,
/// then the specifiers, which set `position` and `heading`.
///
/// Placement rules (see the README of this folder): `at P` puts the bottom centre at P;
/// `on R`/`within R` draw it on a surface or in a volume; `ahead of`/`behind`/`left of`/
/// `right of X by D` offset it from X's position in X's frame, and consecutive offsets
/// from the same X add up (`ahead of car by 10m left of car by 2m`). Without `facing`, an
/// actor placed relative to X takes X's heading. `facing toward P` is applied after the
/// position is known.
enum Construction {
  private enum Spec {
    case at(Eval)
    case facing(Eval)
    case toward(Eval)
    case relative(Eval, forward: Eval?, left: Eval?, forwardSign: Double, leftSign: Double)
    case on(Eval, slot: Int, volume: Bool)
    case behavior(Eval)
    case deferredBehavior(Eval)
    case offset(Eval, along: Eval?, origin: Eval)
    case beyond(Eval, by: Eval, from: Eval)
    case vertical(Eval, distance: Eval?, sign: Double)
    case away(Eval)
    case directly(Eval, away: Bool)
    case apparently(Eval, from: Eval)
    case visible(Eval, negated: Bool, slot: Int)
    case contained(Eval, slot: Int)
  }

  /// A `Camera`/`Lidar` setting checked against `SensorLimits` when drawn (a constant one
  /// the checker has already checked), so a random resolution or fov out of range stops
  /// the run at that field instead of failing later in the renderer without a location.
  private static func sensorChecked(_ eval: @escaping Eval, type: String, field: String, range: SourceRange) -> Eval {
    guard SensorLimits.problem(type: type, field: field, numbers: [.nan, .nan]) != nil
      || SensorLimits.problem(type: type, field: field, numbers: [.nan]) != nil
    else { return eval }
    return { ctx throws(RuntimeError) in
      let v = try eval(ctx)
      let numbers: [Double]
      switch v {
      case .int, .real: numbers = [v.asDouble]
      case .tuple(let xs), .list(let xs): numbers = xs.map(\.asDouble)
      default: return v
      }
      if let problem = SensorLimits.problem(type: type, field: field, numbers: numbers) {
        throw RuntimeError(.badSensorSetting, problem, at: range)
      }
      return v
    }
  }

  static func compile(type name: String, fields: [IRExpr.FieldInit], specifiers: [IRSpecifier],
                      compiler: ExprCompiler, range: SourceRange) -> Eval
  {
    guard let typeIndex = compiler.typeIndex[name] else {
      return { _ throws(RuntimeError) in throw RuntimeError(.unsupported, "unknown type '\(name)'", at: range) }
    }
    let layout = compiler.types[typeIndex]
    let defaults = compiler.defaults[typeIndex]
    let explicit: [(index: Int, eval: Eval)] = fields.compactMap { f in
      layout.fieldIndex[f.name].map { ($0, sensorChecked(compiler.compile(f.value), type: name, field: f.name, range: f.value.range)) }
    }
    var givenFields = Array(repeating: false, count: layout.fieldNames.count)
    for e in explicit { givenFields[e.index] = true }
    let given = givenFields
    // `on R` modifies the position when another specifier gives it (Scenic's rule).
    let onModifies = specifiers.contains { s in
      switch s {
      case .at, .relative, .within, .offset, .beyond, .vertical, .containedIn: true
      default: false
      }
    }
    // `visible from S` filters the draw of `on`/`within`/`contained in`, gives the position
    // itself when nothing else does, and otherwise checks the position it is given.
    let positionGiven = specifiers.contains { s in
      switch s {
      case .at, .relative, .offset, .beyond, .vertical: true
      default: false
      }
    }
    // Beside a specifier that gives the position, `contained in R` only requires the footprint
    // to lie in R (Scenic's `regionContainedIn`); alone it draws the position from R.
    let containmentOnly = specifiers.contains { s in
      switch s {
      case .at, .relative, .offset, .beyond, .vertical, .within: true
      default: false
      }
    }
    let regionGiven = specifiers.contains { s in
      switch s {
      case .on, .within, .containedIn: true
      default: false
      }
    }
    let types = compiler.types
    let specs: [Spec] = specifiers.map { s in
      switch s {
      case .at(let p): .at(compiler.compile(p))
      case .facing(let a): .facing(compiler.compile(a))
      case .facingToward(let p): .toward(compiler.compile(p))
      case .relative(let ref, let f, let l, let fs, let ls):
        .relative(compiler.compile(ref), forward: f.map(compiler.compile), left: l.map(compiler.compile),
                  forwardSign: Double(fs), leftSign: Double(ls))
      case .on(let r, let site): .on(compiler.compile(r), slot: compiler.slot(for: site), volume: false)
      case .within(let r, let site): .on(compiler.compile(r), slot: compiler.slot(for: site), volume: true)
      case .behavior(let b): .behavior(compiler.compile(b))
      case .deferredBehavior(let b): .deferredBehavior(compiler.compile(b))
      case .offset(let v, let h, let o): .offset(compiler.compile(v), along: h.map(compiler.compile), origin: compiler.compile(o))
      case .beyond(let p, let b, let f): .beyond(compiler.compile(p), by: compiler.compile(b), from: compiler.compile(f))
      case .vertical(let r, let d, let sign): .vertical(compiler.compile(r), distance: d.map(compiler.compile), sign: Double(sign))
      case .facingAway(let p): .away(compiler.compile(p))
      case .facingDirectly(let p, let away): .directly(compiler.compile(p), away: away)
      case .apparentlyFacing(let h, let p): .apparently(compiler.compile(h), from: compiler.compile(p))
      case .visibleFrom(let s, let negated, let site): .visible(compiler.compile(s), negated: negated, slot: compiler.slot(for: site))
      case .containedIn(let r, let site): .contained(compiler.compile(r), slot: compiler.slot(for: site))
      }
    }
    // Each field's value comes from the constructor, from a constant default fixed here,
    // or from a default that draws or reads something and runs each time.
    enum Source { case constant(Value), evaluated(Eval), missing }
    let irFields = compiler.program.types[typeIndex].fields
    var sources: [Source] = Array(repeating: .missing, count: layout.fieldNames.count)
    for i in sources.indices where !given[i] {
      if i < irFields.count, let d = irFields[i].defaultValue, case .constant(let v) = d.kind {
        sources[i] = .constant(ExprCompiler.value(v))
      } else if let d = defaults[i] {
        sources[i] = .evaluated(d)
      }
    }
    for e in explicit { sources[e.index] = .evaluated(e.eval) }
    // The constant fields are laid out once: each record starts from this array (one copy
    // of its storage, no per-field append) and only the evaluated fields are written.
    let template: [Value] = sources.map { source in
      if case .constant(let v) = source { return v }
      return .void
    }
    let evaluated: [(index: Int, eval: Eval)] = sources.indices.compactMap { i in
      if case .evaluated(let e) = sources[i] { return (i, e) }
      return nil
    }
    // Besides the evaluated fields, the specifiers write the pose (pitch and roll of actors only).
    var varying = Set(evaluated.map(\.index))
    for i in [layout.position, layout.heading] where i >= 0 { varying.insert(i) }
    if !layout.isSensor { for i in [layout.pitch, layout.roll] where i >= 0 { varying.insert(i) } }
    let shared = FieldTemplate(
      values: template, varying: varying.sorted(), position: layout.position, heading: layout.heading,
      pitch: layout.isSensor ? -1 : layout.pitch, roll: layout.isSensor ? -1 : layout.roll)
    let hasView = specs.contains { spec in
      if case .visible = spec { return true }
      return false
    }
    if let placed = placedAtFacing(specs, typeIndex: typeIndex, layout: layout, template: template,
                                   evaluated: evaluated, shared: shared, range: range) {
      return placed
    }
    return { ctx throws(RuntimeError) in
      // The record shares the template's array unless it evaluates fields (then it gets its
      // own copy); its pose fields are read from its pose (`FieldValues`), never written here.
      var values = template
      for (i, e) in evaluated { values[i] = try e(ctx) }
      var position = layout.position >= 0 ? values[layout.position].asVector : .zero
      var heading = layout.heading >= 0 ? values[layout.heading].asDouble : 0
      // Pitch and roll: the fields, unless `facing (yaw, pitch, roll)` gives them or the actor
      // takes the whole orientation of what it is placed relative to (sensors keep theirs).
      let oriented = !layout.isSensor
      var pitch = oriented && layout.pitch >= 0 ? values[layout.pitch].asDouble : 0
      var roll = oriented && layout.roll >= 0 ? values[layout.roll].asDouble : 0
      var headingSet = false
      var inheritedHeading: Orientation?
      var relativeBase: (record: Int, offset: Vec3)?
      var toward: Vec3?
      var behavior: BehaviorCall?
      var deferred: Eval?
      var projection: Region?
      var awayFrom: Vec3?
      /// `facing directly toward P` (`away`: away from P): yaw and pitch.
      var directly: (point: Vec3, away: Bool)?
      var apparent: (heading: Double, from: Vec3)?
      /// `facing F` with F a heading field (`town.road_direction`, `heading_field(f)`).
      var headingField: HeadingField?
      /// The map lanes an actor was placed `on`: without `facing` it faces along them.
      var placedOnLanes: MapLanes?
      /// The region an actor was placed `on` or `within`: without `facing` it takes the
      /// region's orientation there, if it has one (`Region.orientation(at:)`).
      var placedIn: Region?
      /// A position relative to a point: the offset is in the actor's own frame, so it is
      /// turned once the heading is known.
      var pointBase: (point: Vec3, offset: Vec3)?
      var poseBase: (point: Vec3, orientation: Orientation, offset: Vec3)?
      func pointOf(_ v: Value) throws(RuntimeError) -> Vec3 {
        switch v {
        case .record(let i) where ctx.records.indices.contains(i): return ctx.records[i].position
        case .vector(let p): return p
        default:
          if let op = Natives.orientedPoint(v) { return op.0 }
          throw RuntimeError(.unsupported, "expected an actor or a position", at: range)
        }
      }
      let size = layout.size >= 0 ? values[layout.size].asVector : .zero
      // The view region of `visible from S`, evaluated before the position is drawn.
      var view: (pose: SensorPose, negated: Bool, slot: Int)?
      var containedRegion: Region?
      if hasView {
        for spec in specs {
          if case .visible(let s, let negated, let slot) = spec {
            view = (try ViewCone.of(try s(ctx), ctx, types, at: range), negated, slot)
          }
        }
      }
      /// Whether a bottom-centre position puts the actor's centre where `visible from` wants it.
      func viewAccepts(_ p: Vec3) -> Bool {
        guard let view else { return true }
        return view.pose.sees(p + Vec3(0, 0, size.z / 2)) != view.negated
      }
      /// A uniform draw from the region, kept only where the view accepts it (at most
      /// `RegionShape.maxTries` tries, all from the same site stream).
      func draw(_ shape: Region, volume: Bool, slot: Int) throws(RuntimeError) -> Vec3 {
        let filtered = view != nil && !positionGiven
        var matched = true
        let point = try ctx.withStream(slot) { (stream: inout RandomStream) -> Vec3? in
          var last: Vec3?
          for _ in 0..<(filtered ? RegionShape.maxTries : 1) {
            guard let p = volume ? shape.sampleVolume(using: &stream) : shape.sampleSurface(using: &stream) else { return nil }
            if !filtered || viewAccepts(p) { return p }
            last = p
          }
          matched = false
          return last
        }
        guard let point else {
          // `visible R` whose view misses R in this attempt: rejected like `visible from`
          // (the view may depend on random values; E0506 names this check if none succeeds).
          if shape.isViewCut {
            if ctx.containmentMiss == nil { ctx.containmentMiss = range }
            return shape.anchor
          }
          throw RuntimeError(.badRegion, "cannot place an actor \(volume ? "within" : "on") this region: it is empty or degenerate", at: range)
        }
        // No point of the region in (out of) view in this attempt: the attempt is rejected
        // (the view may depend on random values; E0506 names this check if none succeeds).
        if !matched, ctx.containmentMiss == nil { ctx.containmentMiss = range }
        return point
      }
      for spec in specs {
        switch spec {
        case .at(let p):
          position = try p(ctx).asVector
          relativeBase = nil
          pointBase = nil
        case .facing(let a):
          let h = try a(ctx)
          if case .field(let field) = h {
            // A heading field: its heading at the final position.
            headingField = field
          } else if let o = Orientation(h) {
            // `facing (yaw, pitch, roll)`: the whole orientation.
            heading = o.yaw
            pitch = o.pitch
            roll = o.roll
            headingField = nil
          } else {
            heading = h.asDouble
            headingField = nil
          }
          headingSet = true
          toward = nil
          awayFrom = nil
        case .toward(let p):
          toward = try pointOf(try p(ctx))
          awayFrom = nil
          headingSet = true
        case .away(let p):
          awayFrom = try pointOf(try p(ctx))
          toward = nil
          directly = nil
          headingSet = true
        case .directly(let p, let away):
          // An actor is aimed at through the centre of its box, as Scenic aims at an object's position.
          let target = try p(ctx)
          if case .record(let i) = target, ctx.records.indices.contains(i) {
            let r = ctx.records[i]
            directly = (r.position + r.rotation.rotate(Vec3(0, 0, r.size.z / 2)), away)
          } else {
            directly = (try pointOf(target), away)
          }
          toward = nil
          awayFrom = nil
          headingSet = true
        case .apparently(let h, let p):
          apparent = (try h(ctx).asDouble, try pointOf(try p(ctx)))
          toward = nil
          awayFrom = nil
          headingSet = true
        case .offset(let v, let along, let origin):
          guard case .record(let o) = try origin(ctx), ctx.records.indices.contains(o) else {
            throw RuntimeError(.unsupported, "'offset by' needs the ego actor", at: range)
          }
          let vector = try v(ctx).asVector
          // In the ego's frame, or along a heading or an orientation; the actor takes the
          // ego's orientation (Scenic's parent orientation) unless it is given one.
          let frame: Quaternion
          if let along {
            let a = try along(ctx)
            frame = Orientation(a)?.rotation ?? Quaternion(yaw: a.asDouble)
          } else {
            frame = ctx.records[o].rotation
          }
          position = ctx.records[o].position + frame.rotate(vector)
          inheritedHeading = Orientation(ctx.records[o])
          relativeBase = nil
          pointBase = nil
        case .beyond(let p, let by, let from):
          let target = try p(ctx).asVector
          let fromValue = try from(ctx)
          let d = target - (try pointOf(fromValue))
          // The frame of the line of sight: its yaw, and its elevation as a pitch (positive
          // pitch turns +x down, so the pitch is minus the elevation).
          let horizontal = (d.x * d.x + d.y * d.y).squareRoot()
          let h = d.x == 0 && d.y == 0 ? 0 : atan2Double(d.y, d.x)
          let elevation = d.z == 0 ? 0 : atan2Double(d.z, horizontal)
          let offset: Vec3
          switch try by(ctx) {
          case .vector(let v): offset = v
          case let x: offset = Vec3(x.asDouble, 0, 0)
          }
          let sight = elevation == 0 ? Quaternion(yaw: h) : Quaternion(yaw: h, pitch: -elevation, roll: 0)
          position = target + sight.rotate(offset)
          // Seen from an actor or an oriented point, the actor takes its orientation.
          switch fromValue {
          case .record(let i) where ctx.records.indices.contains(i): inheritedHeading = Orientation(ctx.records[i])
          default: inheritedHeading = Natives.orientedPoint(fromValue).map { Orientation(yaw: $0.1, pitch: $0.2, roll: $0.3) }
          }
          relativeBase = nil
          pointBase = nil
        case .vertical(let ref, let distance, let sign):
          let gap = try distance.map { (e: Eval) throws(RuntimeError) -> Double in try e(ctx).asDouble } ?? 0
          // Along the reference's up axis (an actor's or an oriented point's z), the actor
          // taking its orientation; from a plain point, along the actor's own up axis.
          // Bottom centre on the reference's top (above), or top on its bottom (below).
          let along = sign > 0 ? gap : -(size.z + gap)
          relativeBase = nil
          pointBase = nil
          switch try ref(ctx) {
          case .record(let i) where ctx.records.indices.contains(i):
            let reference = ctx.records[i]
            let o = Orientation(reference)
            position = reference.position + o.rotation.rotate(Vec3(0, 0, sign > 0 ? reference.size.z + gap : along))
            inheritedHeading = o
          case .vector(let p):
            pointBase = (p, Vec3(0, 0, along))
          case let v:
            guard let op = Natives.orientedPoint(v) else {
              throw RuntimeError(.unsupported, "expected an actor or a position", at: range)
            }
            let o = Orientation(yaw: op.1, pitch: op.2, roll: op.3)
            position = op.0 + o.rotation.rotate(Vec3(0, 0, along))
            inheritedHeading = o
          }
        case .relative(let ref, let forward, let left, let fs, let ls):
          let refValue = try ref(ctx)
          if let (p, yaw, opPitch, opRoll) = Natives.orientedPoint(refValue) {
            let o = Orientation(yaw: yaw, pitch: opPitch, roll: opRoll)
            // An oriented point: offsets in its frame, touching by the actor's own half size.
            var f = try forward.map { (e: Eval) throws(RuntimeError) -> Double in try e(ctx).asDouble } ?? 0
            var l = try left.map { (e: Eval) throws(RuntimeError) -> Double in try e(ctx).asDouble } ?? 0
            if forward == nil, left == nil {
              if fs != 0 { f = size.x / 2 }
              if ls != 0 { l = size.y / 2 }
            }
            var offset = Vec3(f * fs, l * ls, 0)
            if let b = poseBase, b.point == p, b.orientation == o { offset += b.offset }
            poseBase = (p, o, offset)
            position = p + o.rotation.rotate(offset)
            inheritedHeading = o
            relativeBase = nil
            pointBase = nil
            continue
          }
          if case .vector(let p) = refValue {
            var f = try forward.map { (e: Eval) throws(RuntimeError) -> Double in try e(ctx).asDouble } ?? 0
            var l = try left.map { (e: Eval) throws(RuntimeError) -> Double in try e(ctx).asDouble } ?? 0
            if forward == nil, left == nil {
              if fs != 0 { f = size.x / 2 }
              if ls != 0 { l = size.y / 2 }
            }
            var offset = Vec3(f * fs, l * ls, 0)
            if let b = pointBase, b.point == p { offset += b.offset }
            pointBase = (p, offset)
            relativeBase = nil
            continue
          }
          guard case .record(let r) = refValue, ctx.records.indices.contains(r) else {
            throw RuntimeError(.unsupported, "a relative position needs an actor to measure from", at: range)
          }
          let reference = ctx.records[r]
          var f = try forward.map { (e: Eval) throws(RuntimeError) -> Double in try e(ctx).asDouble } ?? 0
          var l = try left.map { (e: Eval) throws(RuntimeError) -> Double in try e(ctx).asDouble } ?? 0
          if forward == nil, left == nil {
            // No `by`: touching (half of each footprint along the offset's axis).
            if fs != 0 { f = (reference.size.x + size.x) / 2 }
            if ls != 0 { l = (reference.size.y + size.y) / 2 }
          }
          var offset = Vec3(f * fs, l * ls, 0)
          if let base = relativeBase, base.record == r { offset += base.offset }
          relativeBase = (r, offset)
          position = reference.position + reference.rotation.rotate(offset)
          inheritedHeading = Orientation(reference)
        case .on(let region, let slot, let volume):
          guard case .region(let shape) = try region(ctx) else {
            throw RuntimeError(.unsupported, "expected a region", at: range)
          }
          if onModifies, !volume {
            projection = shape
            continue
          }
          position = try draw(shape, volume: volume, slot: slot)
          relativeBase = nil
          placedOnLanes = shape.mapLanes
          placedIn = shape
        case .contained(let region, let slot):
          guard case .region(let shape) = try region(ctx) else {
            throw RuntimeError(.unsupported, "expected a region", at: range)
          }
          containedRegion = shape
          if containmentOnly { continue }
          position = try draw(shape, volume: shape.dimension == 3, slot: slot)
          relativeBase = nil
          pointBase = nil
        case .visible(_, let negated, let slot):
          guard !positionGiven, !regionGiven, let pose = view?.pose else { continue }
          // Nothing else gives the position: a point of the ground (z = 0) in view.
          let proposal = ViewCone.groundProposal(pose, height: 0)
          var matched = true
          let point = try ctx.withStream(slot) { (stream: inout RandomStream) -> Vec3? in
            var last: Vec3?
            for _ in 0..<RegionShape.maxTries {
              guard let p = proposal.sampleSurface(using: &stream) else { return nil }
              if viewAccepts(p) { return p }
              last = p
            }
            matched = false
            return last
          }
          guard let point else {
            throw RuntimeError(.badRegion, "'\(negated ? "not " : "")visible from': the viewer sees no ground", at: range)
          }
          if !matched, ctx.containmentMiss == nil { ctx.containmentMiss = range }
          position = point
        case .behavior(let b):
          if case .behavior(let call) = try b(ctx) { behavior = call }
        case .deferredBehavior(let b):
          deferred = b
        }
      }
      // Relative to a plain point: in the actor's own frame, once its orientation is known
      // (`facing toward` needs the position first, so it turns the yaw only: E0262 for a cycle).
      if let b = pointBase {
        position = b.point + Orientation(yaw: heading, pitch: pitch, roll: roll).rotation.rotate(b.offset)
      }
      if let surface = projection {
        if let p = surface.projectOntoSurface(position) {
          position = p
        } else if ctx.placementMiss == nil {
          ctx.placementMiss = range
        }
      }
      if let target = toward {
        let d = target - position
        heading = d.x == 0 && d.y == 0 ? heading : atan2Double(d.y, d.x)
      } else if let (point, away) = directly {
        let d = away ? position - point : point - position
        let horizontal = (d.x * d.x + d.y * d.y).squareRoot()
        if horizontal > 0 || d.z != 0 {
          heading = horizontal == 0 ? heading : atan2Double(d.y, d.x)
          // Positive pitch lowers the front: a target above gives a negative pitch.
          pitch = -atan2Double(d.z, horizontal)
        }
      } else if let source = awayFrom {
        let d = position - source
        heading = d.x == 0 && d.y == 0 ? heading : atan2Double(d.y, d.x)
      } else if let (h, source) = apparent {
        let d = position - source
        heading = wrapAngle(h + (d.x == 0 && d.y == 0 ? 0 : atan2Double(d.y, d.x)))
      } else if let field = headingField {
        // Its orientation at the final position; a map's field keeps the heading where it is
        // undefined (no lane within 50 m).
        if let o = try field.orientation(at: position, ctx, range: range) {
          heading = o.yaw
          if case .map = field {} else {
            pitch = o.pitch
            roll = o.roll
          }
        }
      } else if !headingSet, let inherited = inheritedHeading {
        heading = inherited.yaw
        pitch = inherited.pitch
        roll = inherited.roll
      } else if !headingSet, let lanes = placedOnLanes ?? projection?.mapLanes {
        heading = lanes.model.heading(at: position, in: lanes) ?? heading
      } else if !headingSet, let o = try placedIn?.orientation(at: position, ctx, range: range) {
        heading = o.yaw
        pitch = o.pitch
        roll = o.roll
      }
      // `contained in R`, and `visible from S` where another specifier gave the position:
      // checked once position and heading are final; a miss rejects the attempt.
      let tilt = pitch != 0 || roll != 0 ? Orientation(yaw: heading, pitch: pitch, roll: roll).rotation : nil
      if let r = containedRegion, !r.containsFootprint(position: position, heading: heading, size: size, rotation: tilt),
        ctx.containmentMiss == nil
      {
        ctx.containmentMiss = range
      }
      if view != nil, !viewAccepts(position), ctx.containmentMiss == nil { ctx.containmentMiss = range }
      let fields = FieldValues(base: values, template: shared, position: position, heading: heading,
                               pitch: oriented ? pitch : 0, roll: oriented ? roll : 0)
      let index = try ctx.addRecord(Record(typeIndex: typeIndex, values: fields, behavior: behavior, size: size,
                                           definition: ctx.currentDefinition),
                                    at: range)
      if let deferred { ctx.pendingBehaviors.append((index, deferred, ctx.locals, range)) }
      return .record(index)
    }
  }
}

extension Construction {
  /// The construction for the commonest specifiers, at most one `at P` and at most one plain
  /// `facing H` (no other specifier): the record the general closure builds, built without
  /// walking the specifier list (each `Spec` read from it is a copy that retains its
  /// closures, which two workers then contend for). Nil for any other list.
  private static func placedAtFacing(
    _ specs: [Spec], typeIndex: Int, layout: CompiledType, template: [Value], evaluated: [(index: Int, eval: Eval)],
    shared: FieldTemplate, range: SourceRange
  ) -> Eval? {
    var at: Eval?
    var facing: Eval?
    var facingFirst = false
    for spec in specs {
      switch spec {
      case .at(let p) where at == nil: at = p
      case .facing(let h) where facing == nil:
        facing = h
        facingFirst = at == nil
      default: return nil
      }
    }
    let unset: Eval = { _ in .void }
    let atEval = at ?? unset, facingEval = facing ?? unset
    let hasAt = at != nil, hasFacing = facing != nil, facesFirst = facingFirst
    let oriented = !layout.isSensor
    let position0 = layout.position, heading0 = layout.heading, size0 = layout.size
    let pitch0 = oriented ? layout.pitch : -1, roll0 = oriented ? layout.roll : -1
    let fieldEvals = evaluated.map(\.eval), fieldIndices = evaluated.map(\.index)
    return { ctx throws(RuntimeError) in
      // The template itself unless fields are evaluated (then a copy with them written).
      let values: [Value]
      if fieldEvals.isEmpty {
        values = template
      } else {
        var own = template
        for k in fieldEvals.indices { own[fieldIndices[k]] = try fieldEvals[k](ctx) }
        values = own
      }
      var position = position0 >= 0 ? values[position0].asVector : .zero
      var heading = heading0 >= 0 ? values[heading0].asDouble : 0
      var pitch = pitch0 >= 0 ? values[pitch0].asDouble : 0
      var roll = roll0 >= 0 ? values[roll0].asDouble : 0
      let size = size0 >= 0 ? values[size0].asVector : .zero
      var headingField: HeadingField?
      // In the order written, as the general closure evaluates them.
      if hasFacing, facesFirst {
        headingField = Self.face(try facingEval(ctx), &heading, &pitch, &roll)
      }
      if hasAt { position = try atEval(ctx).asVector }
      if hasFacing, !facesFirst {
        headingField = Self.face(try facingEval(ctx), &heading, &pitch, &roll)
      }
      if let field = headingField, let o = try field.orientation(at: position, ctx, range: range) {
        heading = o.yaw
        if case .map = field {} else {
          pitch = o.pitch
          roll = o.roll
        }
      }
      let fields = FieldValues(base: values, template: shared, position: position, heading: heading,
                               pitch: oriented ? pitch : 0, roll: oriented ? roll : 0)
      return .record(try ctx.addRecord(typeIndex: typeIndex, values: fields, size: size, at: range))
    }
  }

  /// `facing H` with the value `h`: a heading field to apply at the final position (returned),
  /// a `(yaw, pitch, roll)` orientation, or a heading.
  private static func face(_ h: Value, _ heading: inout Double, _ pitch: inout Double, _ roll: inout Double) -> HeadingField? {
    if case .field(let field) = h { return field }
    if let o = Orientation(h) {
      heading = o.yaw
      pitch = o.pitch
      roll = o.roll
    } else {
      heading = h.asDouble
    }
    return nil
  }
}

/// An actor's orientation as its three angles (radians): yaw `heading`, then pitch about the
/// turned y axis (positive: nose down, as a camera's), then roll about the resulting x axis.
struct Orientation: Equatable {
  var yaw: Double
  var pitch: Double
  var roll: Double

  init(yaw: Double, pitch: Double, roll: Double) {
    self.yaw = yaw
    self.pitch = pitch
    self.roll = roll
  }

  init(_ r: Record) { self.init(yaw: r.heading, pitch: r.pitch, roll: r.roll) }

  /// `(yaw, pitch, roll)` given as a tuple of three angles; nil for anything else.
  init?(_ v: Value) {
    switch v {
    case .tuple(let xs) where xs.count == 3:
      self.init(yaw: xs[0].asDouble, pitch: xs[1].asDouble, roll: xs[2].asDouble)
    case .vector(let a):
      self.init(yaw: a.x, pitch: a.y, roll: a.z)
    default: return nil
    }
  }

  var rotation: Quaternion {
    pitch == 0 && roll == 0 ? Quaternion(yaw: yaw) : Quaternion(yaw: yaw, pitch: pitch, roll: roll)
  }
}
