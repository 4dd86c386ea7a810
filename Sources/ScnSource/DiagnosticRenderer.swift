/// Renders diagnostics as human-readable text with source lines and carets:
///
/// ```
/// Examples/aisle.scn:14:31: error[E0203]: cannot add 'Length' and 'Time'
///    |
/// 14 |     let reach = forklift.length + 2s
///    |                 ~~~~~~~~~~~~~~~ ^ ~~
///    = note: 'forklift.length' is Length (m); '2s' is Time (s)
/// ```
/// Primary range `^`, highlights `~`, notes on the same line `-`. Notes elsewhere get their
/// own `-->` snippet; fix-its show the line as it would read after the edit.
public struct DiagnosticRenderer: Sendable {
  public var useColor: Bool

  public init(useColor: Bool = false) { self.useColor = useColor }

  /// All diagnostics in source order, each followed by a blank line, then a summary line
  /// (`2 errors, 1 warning`) when there is anything to summarise.
  public func render(_ diagnostics: [Diagnostic], sources: SourceManager, summary: Bool = true) -> String {
    var out = ""
    for d in diagnostics.sortedBySource() {
      out += render(d, sources: sources)
      out += "\n"
    }
    if summary, let line = Self.summaryLine(diagnostics) { out += line + "\n" }
    return out
  }

  /// `1 error, 2 warnings`, or nil when there are none of either.
  public static func summaryLine(_ diagnostics: [Diagnostic]) -> String? {
    let errors = diagnostics.count { $0.severity == .error }
    let warnings = diagnostics.count { $0.severity == .warning }
    var parts: [String] = []
    if errors > 0 { parts.append("\(errors) error\(errors == 1 ? "" : "s")") }
    if warnings > 0 { parts.append("\(warnings) warning\(warnings == 1 ? "" : "s")") }
    return parts.isEmpty ? nil : parts.joined(separator: ", ")
  }

  public func render(_ d: Diagnostic, sources: SourceManager) -> String {
    guard let file = sources[d.range.file] else {
      // No location (`FileID.unlocated`): the message, then its notes and fix-its' messages.
      var out = "\(paint("\(d.severity.rawValue)[\(d.code)]", d.severity)): \(terminalSafe(d.message))\n"
      for note in d.notes { out += "  = " + paint("note", .note) + ": \(terminalSafe(note.message))\n" }
      for fix in d.fixIts { out += "  = " + paint("fix-it", .note) + ": \(terminalSafe(fix.message))\n" }
      return out
    }
    let start = file.location(of: d.range.start)
    var out = "\(terminalSafe(file.path)):\(start.line):\(start.column): "
    out += paint("\(d.severity.rawValue)[\(d.code)]", d.severity) + bold(": \(terminalSafe(d.message))") + "\n"

    // Everything marked on the primary line: the primary range, highlights, and notes there.
    var marks: [Mark] = [Mark(range: d.range, symbol: "^", severity: d.severity)]
    for h in d.highlights where h.file == d.range.file {
      marks.append(Mark(range: h, symbol: "~", severity: d.severity))
    }
    var remoteNotes: [Note] = []
    for note in d.notes {
      if let r = note.range, r.file == d.range.file, file.location(of: r.start).line == start.line {
        marks.append(Mark(range: r, symbol: "-", severity: .note))
      } else if note.range != nil {
        remoteNotes.append(note)
      }
    }
    let gutter = max(
      String(start.line).count,
      d.notes.compactMap { $0.range }.compactMap { sources[$0.file]?.location(of: $0.start).line }
        .map { String($0).count }.max() ?? 0)
    out += snippet(file: file, line: start.line, marks: marks, gutter: gutter)

    for note in d.notes {
      guard let r = note.range else {
        out += pad(gutter) + " = " + paint("note", .note) + ": \(terminalSafe(note.message))\n"
        continue
      }
      if remoteNotes.contains(note), let nf = sources[r.file] {
        let loc = nf.location(of: r.start)
        out += pad(gutter) + " = " + paint("note", .note) + ": \(terminalSafe(note.message))\n"
        out += pad(gutter) + "--> \(nf.path):\(loc.line):\(loc.column)\n"
        out += snippet(file: nf, line: loc.line, marks: [Mark(range: r, symbol: "-", severity: .note)], gutter: gutter)
      } else {
        out += pad(gutter) + " = " + paint("note", .note) + ": \(terminalSafe(note.message))\n"
      }
    }
    for fix in d.fixIts {
      out += pad(gutter) + " = " + paint("fix-it", .note) + ": \(terminalSafe(fix.message))\n"
      if let preview = fixItPreview(fix, sources: sources) {
        out += pad(gutter) + " |\n"
        out += String(preview.line).leftPadded(to: gutter) + " | " + preview.text + "\n"
      }
    }
    return out
  }

  // MARK: - Snippets

  private struct Mark {
    let range: SourceRange
    let symbol: Character
    let severity: Severity
  }

  /// Lines longer than this many bytes are shown as a window around the primary mark, so a
  /// diagnostic in a megabyte-long line stays a few lines long.
  static let maxSnippetBytes = 240

  private func snippet(file: SourceFile, line: Int, marks: [Mark], gutter: Int) -> String {
    let bounds = file.lineBounds(line)
    var lineStart = bounds.lowerBound
    var lineEndOffset = bounds.upperBound
    if lineEndOffset - lineStart > Self.maxSnippetBytes {
      let anchor = min(max(marks.first?.range.start ?? lineStart, lineStart), lineEndOffset)
      lineStart = max(bounds.lowerBound, anchor - Self.maxSnippetBytes / 3)
      while lineStart > bounds.lowerBound, file.bytes[lineStart] & 0xC0 == 0x80 { lineStart -= 1 }
      lineEndOffset = min(bounds.upperBound, lineStart + Self.maxSnippetBytes)
      while lineEndOffset < bounds.upperBound, file.bytes[lineEndOffset] & 0xC0 == 0x80 { lineEndOffset += 1 }
    }
    let clippedStart = lineStart > bounds.lowerBound
    let clippedEnd = lineEndOffset < bounds.upperBound
    let lineBytes = file.bytes[lineStart..<lineEndOffset]
    let text = String(decoding: lineBytes, as: UTF8.self)
    let display = (clippedStart ? "…" : "") + expandTabs(text) + (clippedEnd ? "…" : "")
    var out = pad(gutter) + " |\n"
    out += String(line).leftPadded(to: gutter) + " | " + display + "\n"
    // Carets are drawn for the shown bytes and shifted past the leading "…".
    let shift = clippedStart ? 1 : 0
    var caretLine = [Character](repeating: " ", count: displayWidth(text) + 1 + shift)
    var colorAt = [Severity?](repeating: nil, count: caretLine.count)
    // Later marks must not overwrite the primary caret, so draw in reverse priority.
    for mark in marks.reversed() {
      let s = min(max(mark.range.start, lineStart), lineEndOffset)
      let e = min(max(mark.range.end, s), lineEndOffset)
      let from = displayColumn(lineBytes, upTo: s) + shift
      var to = displayColumn(lineBytes, upTo: e) + shift
      if to <= from { to = from + 1 }  // empty ranges still get one caret
      for c in from..<to {
        if c >= caretLine.count {
          caretLine.append(" ")
          colorAt.append(nil)
        }
        caretLine[c] = mark.symbol
        colorAt[c] = mark.severity
      }
    }
    while let last = caretLine.last, last == " " {
      caretLine.removeLast()
      colorAt.removeLast()
    }
    var rendered = ""
    for (i, ch) in caretLine.enumerated() {
      if let sev = colorAt[i] { rendered += paint(String(ch), sev) } else { rendered.append(ch) }
    }
    out += pad(gutter) + " | " + rendered + "\n"
    return out
  }

  private func fixItPreview(_ fix: FixIt, sources: SourceManager) -> (line: Int, text: String)? {
    guard let first = fix.edits.first, let file = sources[first.range.file] else { return nil }
    let line = file.location(of: first.range.start).line
    let bounds = file.lineBounds(line)
    let lineStart = bounds.lowerBound
    let lineEnd = bounds.upperBound
    // Only single-line edits get a preview; a multi-line preview would mislead more than help.
    guard fix.edits.allSatisfy({ $0.range.file == first.range.file && $0.range.start >= lineStart
      && $0.range.end <= lineEnd && !$0.replacement.contains("\n") })
    else { return nil }
    var bytes = Array(file.bytes[lineStart..<lineEnd])
    for edit in fix.edits.sorted(by: { $0.range.start > $1.range.start }) {
      bytes.replaceSubrange((edit.range.start - lineStart)..<(edit.range.end - lineStart), with: Array(edit.replacement.utf8))
    }
    var text = String(decoding: bytes, as: UTF8.self)
    if text.hasSuffix("\r") { text.removeLast() }
    return (line, expandTabs(text))
  }

  // MARK: - Text helpers

  private func pad(_ width: Int) -> String { String(repeating: " ", count: width) }

  private func paint(_ s: String, _ severity: Severity) -> String {
    guard useColor else { return s }
    let code = switch severity {
    case .error: "\u{1B}[1;31m"
    case .warning: "\u{1B}[1;33m"
    case .note: "\u{1B}[1;36m"
    }
    return code + s + "\u{1B}[0m"
  }

  private func bold(_ s: String) -> String { useColor ? "\u{1B}[1m" + s + "\u{1B}[0m" : s }
}

private let tabWidth = 4

/// A source line as it may be shown on a terminal: tabs expanded, and every other control
/// character (ESC starting a terminal escape sequence, BEL, backspace, carriage return, DEL,
/// the C1 controls) and every bidirectional override shown as one visible stand-in: the
/// Unicode control picture for C0 and DEL (`␛` for ESC), U+FFFD otherwise. One scalar stays
/// one scalar, so carets computed from the raw line stay under the right column.
private func expandTabs(_ s: String) -> String {
  terminalSafe(s).replacingTabs(width: tabWidth)
}

func terminalSafe(_ s: String) -> String {
  guard s.unicodeScalars.contains(where: needsStandIn) else { return s }
  var out = ""
  for scalar in s.unicodeScalars {
    guard needsStandIn(scalar) else {
      out.unicodeScalars.append(scalar)
      continue
    }
    let picture: UInt32? = scalar.value < 0x20 ? 0x2400 + scalar.value : (scalar.value == 0x7F ? 0x2421 : nil)
    out.unicodeScalars.append(picture.flatMap(Unicode.Scalar.init) ?? "\u{FFFD}")
  }
  return out
}

private func needsStandIn(_ scalar: Unicode.Scalar) -> Bool {
  switch scalar.value {
  case 0x09: false
  case 0x00..<0x20, 0x7F...0x9F: true
  case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true
  default: false
  }
}

/// Display width of a line: one cell per scalar, tabs to `tabWidth`.
private func displayWidth(_ s: String) -> Int {
  s.unicodeScalars.reduce(0) { $0 + ($1 == "\t" ? tabWidth : 1) }
}

/// Display column (0-based) of byte offset `offset` in a line's bytes: the width of the
/// prefix decoded the same lossy way as the displayed line, so carets stay under the right
/// character even when the line holds invalid UTF-8.
private func displayColumn(_ line: ArraySlice<UInt8>, upTo offset: Int) -> Int {
  let end = min(max(offset, line.startIndex), line.endIndex)
  return displayWidth(String(decoding: line[line.startIndex..<end], as: UTF8.self))
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }

  fileprivate func replacingTabs(width: Int) -> String {
    guard contains("\t") else { return self }
    var out = ""
    for ch in self {
      if ch == "\t" { out += String(repeating: " ", count: width) } else { out.append(ch) }
    }
    return out
  }
}
