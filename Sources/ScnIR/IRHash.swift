import Crypto

extension ProgramIR {
  /// SHA-256 of the canonical form, lowercase hex: the scenario's identity in manifests,
  /// cards and `scn ir`'s first line.
  public var hash: String {
    let digest = SHA256.hash(data: Array(IRPrinter.print(self).utf8))
    return digest.map { byte in
      let s = String(byte, radix: 16)
      return s.count == 1 ? "0" + s : s
    }.joined()
  }
}
