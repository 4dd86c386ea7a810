import Foundation

/// Machine-readable renderings of diagnostics: JSON (scn's own schema), SARIF 2.1.0 (code
/// scanning) and GitHub Actions workflow commands. Keys are sorted and arrays follow source
/// order, so the output is byte-stable and diffable.
public enum DiagnosticFormat: String, Sendable, CaseIterable {
  case text, json, sarif, github
}

public struct MachineDiagnosticRenderer: Sendable {
  public var toolName: String
  public var toolVersion: String

  public init(toolName: String = "scn", toolVersion: String) {
    self.toolName = toolName
    self.toolVersion = toolVersion
  }

  // MARK: JSON

  struct JSONPosition: Encodable { let line: Int; let column: Int; let offset: Int }
  struct JSONRange: Encodable { let file: String; let start: JSONPosition; let end: JSONPosition }
  struct JSONNote: Encodable { let message: String; let range: JSONRange? }
  struct JSONEdit: Encodable { let range: JSONRange; let replacement: String }
  struct JSONFixIt: Encodable { let message: String; let edits: [JSONEdit] }
  struct JSONDiagnostic: Encodable {
    let code: String
    let severity: String
    let message: String
    let range: JSONRange?
    let highlights: [JSONRange]
    let notes: [JSONNote]
    let fixIts: [JSONFixIt]
  }
  struct JSONReport: Encodable {
    let tool: String
    let version: String
    let diagnostics: [JSONDiagnostic]
    let errors: Int
    let warnings: Int
  }

  private func jsonRange(_ r: SourceRange, _ sources: SourceManager) -> JSONRange? {
    guard let f = sources[r.file] else { return nil }
    let s = f.location(of: r.start)
    let e = f.location(of: r.end)
    return JSONRange(
      file: f.path, start: JSONPosition(line: s.line, column: s.column, offset: s.offset),
      end: JSONPosition(line: e.line, column: e.column, offset: e.offset))
  }

  public func json(_ diagnostics: [Diagnostic], sources: SourceManager) -> String {
    let items = diagnostics.sortedBySource().map { d in
      JSONDiagnostic(
        code: d.code.rawValue, severity: d.severity.rawValue, message: d.message,
        range: jsonRange(d.range, sources),
        highlights: d.highlights.compactMap { jsonRange($0, sources) },
        notes: d.notes.map { JSONNote(message: $0.message, range: $0.range.flatMap { jsonRange($0, sources) }) },
        fixIts: d.fixIts.map { fix in
          JSONFixIt(
            message: fix.message,
            edits: fix.edits.compactMap { e in
              jsonRange(e.range, sources).map { JSONEdit(range: $0, replacement: e.replacement) }
            })
        })
    }
    let report = JSONReport(
      tool: toolName, version: toolVersion, diagnostics: items,
      errors: diagnostics.count { $0.severity == .error },
      warnings: diagnostics.count { $0.severity == .warning })
    return encode(report)
  }

  // MARK: SARIF 2.1.0

  struct SarifMessage: Encodable { let text: String }
  struct SarifRegion: Encodable {
    let startLine: Int
    let startColumn: Int
    let endLine: Int
    let endColumn: Int
    let charOffset: Int
    let charLength: Int
  }
  struct SarifArtifact: Encodable { let uri: String }
  struct SarifPhysical: Encodable { let artifactLocation: SarifArtifact; let region: SarifRegion }
  struct SarifLocation: Encodable {
    let physicalLocation: SarifPhysical
    let message: SarifMessage?
  }
  struct SarifReplacement: Encodable { let deletedRegion: SarifRegion; let insertedContent: SarifMessage }
  struct SarifChange: Encodable { let artifactLocation: SarifArtifact; let replacements: [SarifReplacement] }
  struct SarifFix: Encodable { let description: SarifMessage; let artifactChanges: [SarifChange] }
  struct SarifResult: Encodable {
    let ruleId: String
    let level: String
    let message: SarifMessage
    let locations: [SarifLocation]
    let relatedLocations: [SarifLocation]
    let fixes: [SarifFix]
  }
  struct SarifRule: Encodable { let id: String }
  struct SarifDriver: Encodable {
    let name: String
    let version: String
    let informationUri: String
    let rules: [SarifRule]
  }
  struct SarifTool: Encodable { let driver: SarifDriver }
  struct SarifRun: Encodable {
    let tool: SarifTool
    let columnKind: String
    let results: [SarifResult]
  }
  struct SarifLog: Encodable {
    let schema: String
    let version: String
    let runs: [SarifRun]
    enum CodingKeys: String, CodingKey {
      case schema = "$schema"
      case version, runs
    }
  }

  private func sarifRegion(_ r: SourceRange, _ f: SourceFile) -> SarifRegion {
    let s = f.location(of: r.start)
    let e = f.location(of: r.end)
    return SarifRegion(
      startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column,
      charOffset: s.offset, charLength: e.offset - s.offset)
  }

  private func sarifLocation(_ r: SourceRange, _ sources: SourceManager, message: String? = nil) -> SarifLocation? {
    guard let f = sources[r.file] else { return nil }
    return SarifLocation(
      physicalLocation: SarifPhysical(artifactLocation: SarifArtifact(uri: uri(f.path)), region: sarifRegion(r, f)),
      message: message.map(SarifMessage.init))
  }

  public func sarif(_ diagnostics: [Diagnostic], sources: SourceManager) -> String {
    let sorted = diagnostics.sortedBySource()
    let ruleIDs = Array(Set(sorted.map(\.code.rawValue))).sorted()
    let results = sorted.map { d in
      SarifResult(
        ruleId: d.code.rawValue,
        level: d.severity.rawValue,
        message: SarifMessage(text: d.message),
        locations: sarifLocation(d.range, sources).map { [$0] } ?? [],
        relatedLocations: d.notes.compactMap { n in n.range.flatMap { sarifLocation($0, sources, message: n.message) } },
        fixes: d.fixIts.map { fix in
          // SARIF groups replacements per artifact; keep the edits' own order within each file.
          var changes: [SarifChange] = []
          for edit in fix.edits {
            guard let f = sources[edit.range.file] else { continue }
            let rep = SarifReplacement(deletedRegion: sarifRegion(edit.range, f), insertedContent: SarifMessage(text: edit.replacement))
            if let i = changes.firstIndex(where: { $0.artifactLocation.uri == uri(f.path) }) {
              changes[i] = SarifChange(artifactLocation: changes[i].artifactLocation, replacements: changes[i].replacements + [rep])
            } else {
              changes.append(SarifChange(artifactLocation: SarifArtifact(uri: uri(f.path)), replacements: [rep]))
            }
          }
          return SarifFix(description: SarifMessage(text: fix.message), artifactChanges: changes)
        })
    }
    let log = SarifLog(
      schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0",
      runs: [
        SarifRun(
          tool: SarifTool(driver: SarifDriver(
            name: toolName, version: toolVersion, informationUri: "https://github.com/scn-lang/scn",
            rules: ruleIDs.map(SarifRule.init))),
          columnKind: "unicodeCodePoints", results: results)
      ])
    return encode(log)
  }

  /// SARIF wants URIs: relative paths stay relative (resolved against the repo root by
  /// code-scanning tools), with spaces and other reserved characters percent-encoded.
  private func uri(_ path: String) -> String {
    path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
  }

  // MARK: GitHub Actions

  /// One `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message` per diagnostic.
  public func github(_ diagnostics: [Diagnostic], sources: SourceManager) -> String {
    var out = ""
    for d in diagnostics.sortedBySource() {
      let command = switch d.severity {
      case .error: "error"
      case .warning: "warning"
      case .note: "notice"
      }
      var props: [String] = []
      if let f = sources[d.range.file] {
        let s = f.location(of: d.range.start)
        let e = f.location(of: d.range.end)
        props += [
          "file=\(escapeProperty(f.path))", "line=\(s.line)", "col=\(s.column)",
          "endLine=\(e.line)", "endColumn=\(e.column)",
        ]
      }
      props.append("title=\(escapeProperty("\(d.code)"))")
      var message = d.message
      for n in d.notes { message += "\nnote: \(n.message)" }
      for fix in d.fixIts { message += "\nfix-it: \(fix.message)" }
      out += "::\(command) \(props.joined(separator: ","))::\(escapeData(message))\n"
    }
    return out
  }

  private func escapeData(_ s: String) -> String {
    s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
      .replacingOccurrences(of: "\n", with: "%0A")
  }

  private func escapeProperty(_ s: String) -> String {
    escapeData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
  }

  private func encode(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(value) else { return "{}" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
