extension String {
  /// The string as a double-quoted literal for dumps (AST dump, canonical IR): quotes,
  /// backslashes, `\n`, `\t`, `\r` escaped; other control characters and DEL as `\u{…}`.
  /// One definition, so every textual form of a string in the toolchain agrees.
  public var quotedForDump: String {
    var out = "\""
    for scalar in unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          out += "\\u{\(String(scalar.value, radix: 16))}"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
