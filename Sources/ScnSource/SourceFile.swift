/// Identifies a file loaded into a `SourceManager`. Small and `Hashable` so AST and IR
/// nodes can carry it in every `SourceRange` cheaply.
public struct FileID: Hashable, Sendable, Comparable, CustomStringConvertible {
  public let raw: UInt32
  public init(_ raw: UInt32) { self.raw = raw }
  public static func < (a: FileID, b: FileID) -> Bool { a.raw < b.raw }
  public var description: String { "file#\(raw)" }

  /// The file of a diagnostic that concerns no construct of any loaded file (a file that
  /// cannot be read at all, a missing StdLib): no `SourceManager` ever hands out this id, so
  /// every renderer shows such a diagnostic without a location, its message naming the path.
  public static let unlocated = FileID(UInt32.max)
}

/// A file's text with a line table, so byte offsets (used everywhere in the core) can be
/// turned into 1-based line/column only at the edge, when a diagnostic is rendered.
public struct SourceFile: Sendable {
  public let id: FileID
  /// The path shown to users (as given on the command line, or relative to the main file).
  public let path: String
  /// The bytes as read. Invalid UTF-8 is kept byte-exact here; the lexer reports it.
  public let bytes: [UInt8]
  /// Byte offset at which each line starts; `lineStarts[0] == 0`.
  public let lineStarts: [Int]

  public init(id: FileID, path: String, bytes: [UInt8]) {
    self.id = id
    self.path = path
    self.bytes = bytes
    var starts = [0]
    for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
    self.lineStarts = starts
  }

  public init(id: FileID, path: String, text: String) {
    self.init(id: id, path: path, bytes: Array(text.utf8))
  }

  /// 1-based line and column for a byte offset; the column counts Unicode scalars so a
  /// caret under `é` lines up in a terminal. Offsets past the end clamp to the end.
  public func location(of offset: Int) -> SourceLocation {
    let clamped = max(0, min(offset, bytes.count))
    var lo = 0
    var hi = lineStarts.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if lineStarts[mid] <= clamped { lo = mid } else { hi = mid - 1 }
    }
    let lineStart = lineStarts[lo]
    // Columns count scalar starts (bytes that are not UTF-8 continuation bytes).
    var column = 1
    for i in lineStart..<clamped where bytes[i] & 0xC0 != 0x80 { column += 1 }
    return SourceLocation(line: lo + 1, column: column, offset: clamped)
  }

  /// The byte range of 1-based line `line`, without its line break (`\n` or `\r\n`);
  /// empty for a line number outside the file.
  public func lineBounds(_ line: Int) -> Range<Int> {
    guard line >= 1, line <= lineStarts.count else { return bytes.count..<bytes.count }
    let start = lineStarts[line - 1]
    var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
    if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return start..<max(start, end)
  }

  /// The text of 1-based line `line`, without its newline (lossy for invalid UTF-8).
  public func lineText(_ line: Int) -> String {
    String(decoding: bytes[lineBounds(line)], as: UTF8.self)
  }

  public var lineCount: Int { lineStarts.count }

  /// The source text of a range (lossy for invalid UTF-8).
  public func text(of range: SourceRange) -> String {
    let s = max(0, min(range.start, bytes.count))
    let e = max(s, min(range.end, bytes.count))
    return String(decoding: bytes[s..<e], as: UTF8.self)
  }
}

/// A human-facing position: 1-based line and column (in Unicode scalars), plus the byte offset.
public struct SourceLocation: Hashable, Sendable {
  public let line: Int
  public let column: Int
  public let offset: Int
}
