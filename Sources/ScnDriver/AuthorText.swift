import Foundation
import ScnDataset
import ScnIR
import ScnSource
import ScnUnits

/// What the author wrote, for the card and the dataset files: an expression's source text
/// instead of its IR, a param's type as declared (`Speed`, not `Quantity<Length / Time>`),
/// and the unit its literals use (`km/h`), so values can be shown in it.
struct AuthorText {
  let sources: SourceManager
  let units: UnitTable?

  /// The source text of `range`, whitespace runs as one space; nil when the range is not
  /// in a loaded file or is empty.
  func text(_ range: SourceRange) -> String? {
    guard let file = sources[range.file], range.end > range.start else { return nil }
    let raw = file.text(of: range)
    let collapsed = raw.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    return collapsed.isEmpty ? nil : collapsed
  }

  /// The type a `param` declaration writes (`param speed: Speed = …` gives `Speed`); nil
  /// when it declares none or its value is not written inside the declaration.
  func declaredType(of param: ParamIR) -> String? {
    let decl = param.range, value = param.value.range
    guard decl.file == value.file, value.start > decl.start, value.start <= decl.end,
      let head = text(SourceRange(file: decl.file, start: decl.start, end: value.start))
    else { return nil }
    // `param NAME: TYPE =` (or `:=`): the type lies between the first colon after the name
    // and the equals sign before the value.
    // The declaration's range starts at its annotations (`@doc("…")`), which may mention the
    // name too: the last `param NAME` is the declaration's own.
    guard let nameRange = head.range(of: "param " + param.name, options: .backwards),
      let colon = head[nameRange.upperBound...].firstIndex(of: ":")
    else { return nil }
    var type = head[head.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    if type.hasSuffix("=") { type.removeLast() }
    if type.hasSuffix(":") { type.removeLast() }
    type = type.trimmingCharacters(in: .whitespaces)
    return type.isEmpty ? nil : type
  }

  /// The first literal `<number><unit>` in `text` whose unit has `dimension`, as a unit the
  /// dataset can show values in (`km/h`, 1 km/h = 0.2777… m/s); nil when there is none.
  func authorUnit(in text: String, dimension: ScnUnits.Dimension) -> DisplayUnit? {
    guard let units, !dimension.isDimensionless else { return nil }
    for suffix in AuthorText.unitSuffixes(in: text) {
      guard case .success(let resolved) = units.resolve(suffix), resolved.dimension == dimension,
        resolved.doubleFactor.isFinite, resolved.doubleFactor > 0
      else { continue }
      return DisplayUnit(symbol: suffix, scale: resolved.doubleFactor)
    }
    return nil
  }

  /// The unit suffixes of the number literals in `text`, in order: `uniform(30km/h, 50km/h)`
  /// gives `km/h`, `km/h`; a digit inside a name (`x2`) starts no literal.
  static func unitSuffixes(in text: String) -> [String] {
    let b = Array(text.utf8)
    func isLetter(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F || c >= 0x80 }
    func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    var out: [String] = []
    var i = 0
    while i < b.count {
      guard isDigit(b[i]), i == 0 || !(isLetter(b[i - 1]) || isDigit(b[i - 1]) || b[i - 1] == 0x2E) else {
        i += 1
        continue
      }
      while i < b.count, isDigit(b[i]) || b[i] == 0x2E || b[i] == 0x5F { i += 1 }
      let start = i
      guard i < b.count, isLetter(b[i]) else { continue }
      while i < b.count, isLetter(b[i]) || isDigit(b[i]) { i += 1 }
      while i + 1 < b.count {
        if b[i] == 0x2F, isLetter(b[i + 1]) {  // `/name`
          i += 1
          while i < b.count, isLetter(b[i]) || isDigit(b[i]) { i += 1 }
        } else if b[i] == 0x5E, isDigit(b[i + 1]) || (b[i + 1] == 0x2D && i + 2 < b.count && isDigit(b[i + 2])) {  // `^2`, `^-1`
          i += 2
          while i < b.count, isDigit(b[i]) { i += 1 }
        } else {
          break
        }
      }
      out.append(String(decoding: b[start..<i], as: UTF8.self))
    }
    return out
  }

  /// A param's law, when it is one draw with constant arguments, possibly times a positive
  /// constant (`1m/s * lognormal(0.3, 0.2)`): the distribution before requirements, which
  /// `scn report` draws against the accepted samples. Arguments and scale in base units.
  static func declaredLaw(_ e: IRExpr) -> DeclaredLaw? {
    func constant(_ e: IRExpr) -> Double? {
      switch e.kind {
      case .constant(.real(let x, _)): return x.isFinite ? x : nil
      case .constant(.int(let i)): return Double(i)
      default: return nil
      }
    }
    switch e.kind {
    case .draw(let law, _, let args):
      let xs = args.compactMap(constant)
      guard xs.count == args.count else { return nil }
      switch (law, xs.count) {
      case (.uniform, 2), (.uniformInt, 2), (.normal, 2), (.truncnormal, 4), (.lognormal, 2):
        return DeclaredLaw(law: law.rawValue, parameters: xs, scale: 1)
      default: return nil
      }
    case .binary(.mul, let a, let b):
      if let c = constant(a), c > 0, var law = declaredLaw(b) {
        law.scale *= c
        return law
      }
      if let c = constant(b), c > 0, var law = declaredLaw(a) {
        law.scale *= c
        return law
      }
      return nil
    default: return nil
    }
  }
}
