import ScnEncoding

extension ProgramIR {
  /// SHA-256 of the canonical form, lowercase hex: the scenario's identity in manifests,
  /// cards and `scn ir`'s first line.
  public var hash: String { SHA256Hex.of(Array(IRPrinter.print(self).utf8)) }
}
