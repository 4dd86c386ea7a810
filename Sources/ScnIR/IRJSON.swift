import Foundation

/// `scn ir --json`: the IR as JSON with sorted keys, semantics only (no source ranges), so
/// like the canonical text it is stable under reformatting. Tuples in the IR get small named
/// wrappers here because JSON has no tuples.
extension ProgramIR {
  public func json() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Encoding cannot fail: every value is a string, number, bool or container of them;
    // non-finite doubles (never produced by lowering) are written as strings.
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    guard let data = try? encoder.encode(self) else { return "{}" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}

struct JSONKey: CodingKey {
  let stringValue: String
  var intValue: Int? { nil }
  init(_ s: String) { stringValue = s }
  init?(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}

struct LabeledValue: Encodable { let label: String; let value: IRValue }
struct TypedName: Encodable { let name: String; let type: IRType }
struct PlacedRequirement: Encodable { let after: Int; let requirement: RequirementIR }
struct WeightedInclude: Encodable { let scenario: String; let weight: Double }
struct EnumIR: Encodable { let name: String; let cases: [String] }
