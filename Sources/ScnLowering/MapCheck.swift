import Foundation
import ScnMap
import ScnSema
import ScnSource

/// The OpenDRIVE reader's findings on a map file that a `map("…")` call names, as
/// diagnostics located at that call: an invalid file is E0277 (the reader's own code, E08xx,
/// and the element and line in the message), each reader warning (W08xx) a W0275. The
/// reader's notes (N08xx: skipped unknown elements, re-centring) are left to `scn map`.
enum MapCheck {
  /// At most this many of a file's warnings are reported one by one; the rest are counted.
  static let maximumWarnings = 20

  static func diagnostics(_ file: CheckedMapFile) -> [Diagnostic] {
    func describe(_ d: MapDiagnostic) -> String {
      var place = d.line > 0 ? "line \(d.line)" : ""
      if !d.element.isEmpty { place += (place.isEmpty ? "" : ", ") + "<\(d.element)>" }
      return place.isEmpty ? "\(d.message) [\(d.code)]" : "\(place): \(d.message) [\(d.code)]"
    }
    func warnings(_ ds: [MapDiagnostic]) -> [Diagnostic] {
      let all = ds.filter { $0.severity == .warning }
      var out = all.prefix(maximumWarnings).map {
        Diagnostic.warning(DiagnosticCode("W0275"), "map '\(file.path)': \(describe($0))", at: file.range)
      }
      if all.count > maximumWarnings {
        out.append(
          .warning(
            DiagnosticCode("W0275"), "map '\(file.path)': \(all.count - maximumWarnings) more warnings",
            at: file.range, notes: [Note("'scn map \(file.path)' lists them all")]))
      }
      return out
    }
    do {
      let network = try OpenDriveReader.read(data: Data(file.bytes))
      return warnings(network.diagnostics)
    } catch {
      return warnings(error.earlier) + [
        .error(
          DiagnosticCode("E0277"), "map '\(file.path)' is not a valid OpenDRIVE file: \(describe(error.diagnostic))",
          at: file.range, notes: [Note("'scn map \(file.path)' reads the file alone")])
      ]
    }
  }
}
