import Crypto

/// Lowercase hex SHA-256, the one spelling of a digest anywhere scn writes one (IR hashes,
/// dataset file entries, source provenance, name-based UUIDs).
public enum SHA256Hex {
  public static func of(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

  public static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
    let digits: StaticString = "0123456789abcdef"
    var out: [UInt8] = []
    out.reserveCapacity(64)
    digits.withUTF8Buffer { table in
      for byte in digest {
        out.append(table[Int(byte >> 4)])
        out.append(table[Int(byte & 0x0F)])
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
