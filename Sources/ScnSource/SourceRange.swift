/// A half-open byte range `[start, end)` in one file. Every AST node, IR node and
/// diagnostic carries one; line and column are computed only when rendering.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible {
  public let file: FileID
  public let start: Int
  public let end: Int

  public init(file: FileID, start: Int, end: Int) {
    self.file = file
    self.start = start
    self.end = max(start, end)
  }

  /// An empty range at `offset`, used for "expected X here" diagnostics.
  public static func point(_ file: FileID, _ offset: Int) -> SourceRange {
    SourceRange(file: file, start: offset, end: offset)
  }

  public var length: Int { end - start }
  public var isEmpty: Bool { start == end }

  /// The smallest range covering both (same file assumed; a different file keeps `self`).
  public func union(_ other: SourceRange) -> SourceRange {
    guard other.file == file else { return self }
    return SourceRange(file: file, start: min(start, other.start), end: max(end, other.end))
  }

  public func contains(_ offset: Int) -> Bool { offset >= start && offset < end }

  public var description: String { "\(file):\(start)..<\(end)" }
}
