import ScnSource

/// Check-time findings on the std.vehicles calls that drive and paint roads
/// (docs/stdlib.md, "Driving the network"): constant arguments that can never work are
/// reported at the argument instead of stopping a run (E0278, E0279). Arguments drawn or
/// read from the scene are checked at run time (E0538, E0539, E0504).
extension Checker {
  /// The std.vehicles callables these checks cover, with their result unchanged.
  static let roadCallables: Set<String> = [
    "follow_route", "follow_waypoints", "change_lane", "following", "stop_line", "crossing", "signal_timing",
  ]

  func checkRoadArguments(_ name: String, _ args: [TypedExpr]) {
    func constant(_ i: Int) -> (TypedExpr, ConstValue)? {
      guard args.indices.contains(i), !args[i].isRandom, let c = args[i].constant else { return nil }
      return (args[i], c)
    }
    func atLeast(_ i: Int, _ parameter: String, _ lowest: Double, strictly: Bool = false, unit: String) {
      guard let (arg, c) = constant(i), let x = c.number else { return }
      guard strictly ? x <= lowest : x < lowest else { return }
      report(SemaDiagnostics.roadArgumentOutOfRange(
        name, parameter, expected: "\(strictly ? ">" : "≥") \(Self.plain(lowest)) \(unit)", found: "\(Self.plain(x)) \(unit)",
        at: arg.range))
    }
    switch name {
    case "follow_route", "follow_waypoints":
      if let (arg, c) = constant(0), case .list(let xs) = c, xs.isEmpty {
        report(SemaDiagnostics.emptyRoute(name, what: name == "follow_route" ? "lane" : "point", at: arg.range))
      }
    case "change_lane":
      atLeast(2, "duration", 0, unit: "s")
    case "following":
      atLeast(2, "distance", 0, unit: "m")
    case "stop_line":
      atLeast(1, "station", 0, unit: "m")
    case "crossing":
      atLeast(1, "station", 0, unit: "m")
      atLeast(2, "width", 0, strictly: true, unit: "m")
    case "signal_timing":
      for (i, parameter, strictly) in [(1, "green", true), (2, "yellow", false), (3, "all_red", false)] {
        guard let (arg, c) = constant(i), let x = c.number else { continue }
        if strictly ? x <= 0 : x < 0 {
          report(SemaDiagnostics.signalTimingOutOfRange(
            parameter, expected: strictly ? "> 0 s" : "≥ 0 s", found: "\(Self.plain(x)) s", at: arg.range))
        } else if x > 3600 {
          report(SemaDiagnostics.signalTimingOutOfRange(parameter, expected: "at most 3600 s", found: "\(Self.plain(x)) s", at: arg.range))
        }
      }
    default:
      break
    }
  }

  /// A number as users write it: no trailing ".0".
  static func plain(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
  }
}
