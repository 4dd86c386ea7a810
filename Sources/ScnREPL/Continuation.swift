/// Multi-line input: a line that leaves a `(`, `[` or `{` open continues on the next line.
public enum Continuation {
  /// Whether `text` has more opening than closing brackets outside string literals and
  /// `//` comments, so the REPL should read another line before running it. More closing
  /// than opening brackets does not continue: the command reports the error instead.
  public static func needsMoreInput(_ text: String) -> Bool {
    var depth = 0
    var inString = false
    var inComment = false
    var escaped = false
    var previous: Character = "\n"
    for c in text {
      defer { previous = c }
      if c == "\n" {
        inComment = false
        inString = false  // strings do not span lines in the language
        continue
      }
      if inComment { continue }
      if inString {
        if escaped {
          escaped = false
        } else if c == "\\" {
          escaped = true
        } else if c == "\"" {
          inString = false
        }
        continue
      }
      switch c {
      case "\"": inString = true
      case "(", "[", "{": depth += 1
      case ")", "]", "}": depth -= 1
      case "/" where previous == "/": inComment = true
      default: break
      }
    }
    return depth > 0
  }
}
