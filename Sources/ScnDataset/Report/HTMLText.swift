/// Text for an HTML page: the one escaping of `scn report`'s page and charts and of
/// `scn eval`'s page (ScnEval), for element content and double- or single-quoted attributes.
public enum HTMLText {
  public static func escape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for c in s {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(c)
      }
    }
    return out
  }
}
