import ScnSource
import ScnSyntax

/// `map("maps/Town01.xodr")` and the members of maps, lanes, intersections and maneuvers.
/// The file is read here, once, at check time (its bytes travel with the checked program;
/// ScnLowering parses them and reports the map's own findings at the call).
extension Checker {
  /// A maneuver through an intersection: `(kind, incoming, connecting, outgoing)` with
  /// members of those names.
  static let maneuverType = SemaType.tuple([.enumeration("ManeuverKind"), .region, .list(.region), .region])
  static let maneuverMembers = ["kind", "incoming", "connecting", "outgoing"]
  static let mapMembers: [(String, SemaType)] = [
    ("lanes", .list(.region)), ("roads", .list(.region)), ("intersections", .list(.region)),
    ("sidewalks", .list(.region)), ("crossings", .list(.region)), ("road_direction", .headingField),
  ]
  /// Members every region has that only lanes and intersections of a map give values to
  /// (elsewhere a runtime error, like `lane(road, i)` on a region that is not a road).
  static let laneMembers: [(String, SemaType)] = [
    ("successors", .list(.region)), ("left", .list(.region)), ("right", .list(.region)),
    ("maneuvers", .list(maneuverType)),
  ]

  func checkMapCall(_ args: [TypedExpr], _ scope: Scope, range: SourceRange) -> TypedExpr {
    guard let arg = args.first else { return invalid(range) }
    guard !arg.isRandom, case .string(let written)? = arg.constant else {
      if !arg.type.isError { report(SemaDiagnostics.mapPath("", reason: "the path must be a constant string", at: arg.range)) }
      return invalid(range)
    }
    if let reason = Self.mapPathProblem(written) {
      report(SemaDiagnostics.mapPath(written, reason: reason, at: arg.range))
      return invalid(range)
    }
    let callerPath = files.indices.contains(scope.file) ? files[scope.file].fullPath : files[mainFile].fullPath
    let mainFolder = Paths.directory(files[mainFile].fullPath)
    let full = Paths.join(Paths.directory(callerPath), written)
    let display = Paths.relative(full, to: mainFolder)
    if display == ".." || display.hasPrefix("../") {
      report(SemaDiagnostics.mapPath(written, reason: "it leads out of the scenario's folder", at: arg.range))
      return invalid(range)
    }
    if !mapFiles.contains(where: { $0.fullPath == full }) {
      guard let readFile else {
        report(SemaDiagnostics.mapUnreadable(display, reason: "no files can be read here", at: arg.range))
        return invalid(range)
      }
      do {
        let bytes = try readFile(full)
        mapFiles.append(CheckedMapFile(path: display, fullPath: full, bytes: bytes, range: range))
      } catch {
        report(SemaDiagnostics.mapUnreadable(display, reason: "the file is missing or not readable", at: arg.range))
        return invalid(range)
      }
    }
    let pathArg = TypedExpr(
      arg.kind, type: .string, isRandom: false, constant: .string(display), range: arg.range)
    return TypedExpr(.native("map", [pathArg]), type: .map, isRandom: false, range: range)
  }

  /// Why a written map path is refused, or nil: relative, plain components, bounded.
  static func mapPathProblem(_ path: String) -> String? {
    if path.isEmpty { return "the path is empty" }
    if path.utf8.count > 1024 { return "the path is longer than 1024 bytes" }
    if path.hasPrefix("/") { return "the path must be relative to the scenario file" }
    if path.utf8.contains(0) { return "the path contains a NUL byte" }
    return nil
  }

  /// Members of maps (`town.lanes`), of regions that are map lanes or intersections
  /// (`lane.successors`, `junction.maneuvers`) and of maneuvers (`m.kind`); nil for any
  /// other member, which the general rules check.
  func checkMapMember(_ b: TypedExpr, _ name: Identifier, range: SourceRange) -> TypedExpr? {
    func field(_ t: SemaType) -> TypedExpr {
      TypedExpr(.field(b, name.name), type: t, isRandom: b.isRandom, range: range)
    }
    func unknown(_ candidates: [String]) -> TypedExpr {
      report(
        SemaDiagnostics.unknownField(
          name.name, of: describe(b.type), at: name.range, suggestion: nearest(name.name, in: candidates)))
      return invalid(range)
    }
    switch b.type {
    case .map:
      if let t = Self.mapMembers.first(where: { $0.0 == name.name })?.1 { return field(t) }
      return unknown(Self.mapMembers.map(\.0))
    case .region:
      if let t = Self.laneMembers.first(where: { $0.0 == name.name })?.1 { return field(t) }
      if let t = Self.pathMembers.first(where: { $0.0 == name.name })?.1 { return field(t) }
      return unknown(Self.laneMembers.map(\.0) + Self.pathMembers.map(\.0))
    case Self.maneuverType:
      guard let i = Self.maneuverMembers.firstIndex(of: name.name) else { return unknown(Self.maneuverMembers) }
      guard case .tuple(let ts) = Self.maneuverType, ts.indices.contains(i) else { return nil }
      return field(ts[i])
    default:
      return nil
    }
  }
}
