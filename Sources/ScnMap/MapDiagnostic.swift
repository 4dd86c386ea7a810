/// A finding of the OpenDRIVE reader, as a value: a code (E08xx errors, W08xx warnings,
/// N08xx notes; listed in Sources/ScnMap/README.md), the element and the line of the file it
/// concerns, and a message. The driver renders them; this module never prints.
public struct MapDiagnostic: Sendable, Hashable, CustomStringConvertible {
  public enum Severity: String, Sendable, Hashable {
    case error, warning, note
  }

  public var severity: Severity
  public var code: String
  /// The XML element concerned (`geometry`, `lane`, …), empty for file-level findings.
  public var element: String
  /// 1-based line in the file, 0 when unknown.
  public var line: Int
  public var message: String

  public init(_ severity: Severity, _ code: String, element: String, line: Int, _ message: String) {
    self.severity = severity
    self.code = code
    self.element = element
    self.line = line
    self.message = message
  }

  /// `line 12: <geometry>: warning[W0801]: …`
  public var description: String {
    var prefix = line > 0 ? "line \(line): " : ""
    if !element.isEmpty { prefix += "<\(element)>: " }
    return "\(prefix)\(severity.rawValue)[\(code)]: \(message)"
  }
}

/// Reading failed: the file is not a structurally valid OpenDRIVE document (or is too large).
public struct MapReadError: Error, Sendable, CustomStringConvertible {
  public var diagnostic: MapDiagnostic
  /// Warnings and notes produced before the error.
  public var earlier: [MapDiagnostic]

  public init(_ diagnostic: MapDiagnostic, earlier: [MapDiagnostic] = []) {
    self.diagnostic = diagnostic
    self.earlier = earlier
  }

  public var description: String { diagnostic.description }
}
