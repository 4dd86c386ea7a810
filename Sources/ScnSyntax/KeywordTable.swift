/// Maps a word's bytes to its keyword without creating a `String`: an open-addressing table
/// hashed on length and first/last byte, then a byte comparison. Built once.
struct KeywordTable: Sendable {
  private struct Entry: Sendable {
    let bytes: [UInt8]
    let kind: TokenKind
    let contextual: ContextualKeyword
  }

  private static let slotCount = 256
  private let slots: [Entry?]

  static let shared = KeywordTable()

  private init() {
    var slots = [Entry?](repeating: nil, count: Self.slotCount)
    var entries: [Entry] = []
    for kind in TokenKind.allCases where kind.isKeyword {
      entries.append(Entry(bytes: Array(kind.spelling.utf8), kind: kind, contextual: .none))
    }
    for word in ContextualKeyword.allCases where word != .none {
      entries.append(Entry(bytes: Array(word.spelling.utf8), kind: .name, contextual: word))
    }
    for entry in entries {
      var slot = Self.hash(length: entry.bytes.count, first: entry.bytes[0], last: entry.bytes[entry.bytes.count - 1])
      while slots[slot] != nil { slot = (slot + 1) & (Self.slotCount - 1) }
      slots[slot] = entry
    }
    self.slots = slots
  }

  @inline(__always)
  private static func hash(length: Int, first: UInt8, last: UInt8) -> Int {
    (length &* 37 &+ Int(first) &* 7 &+ Int(last) &* 13) & (slotCount - 1)
  }

  /// The keyword spelled by `buffer[start..<end]`, or `(.name, .none)` for an ordinary name.
  @inline(__always)
  func lookup(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (TokenKind, ContextualKeyword) {
    let length = end - start
    guard length >= 2, length <= 12 else { return (.name, .none) }
    var slot = Self.hash(length: length, first: buffer[start], last: buffer[end - 1])
    while let entry = slots[slot] {
      if entry.bytes.count == length {
        var same = true
        for k in 0..<length where entry.bytes[k] != buffer[start + k] {
          same = false
          break
        }
        if same { return (entry.kind, entry.contextual) }
      }
      slot = (slot + 1) & (Self.slotCount - 1)
    }
    return (.name, .none)
  }
}
