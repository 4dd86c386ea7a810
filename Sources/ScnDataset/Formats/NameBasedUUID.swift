import Crypto
import ScnEncoding

/// RFC 9562 version-5 (SHA-1, name-based) UUIDs: the same name always gives the same id,
/// which is what a reproducible run id needs. SHA-1 is used only as the RFC defines it here,
/// not for security.
public enum NameBasedUUID {
  /// The RFC's URL namespace, 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
  public static let urlNamespace: [UInt8] = [
    0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
  ]

  public static func v5(namespace: [UInt8] = urlNamespace, name: String) -> String {
    var bytes = Array(Insecure.SHA1.hash(data: namespace + Array(name.utf8)).prefix(16))
    bytes[6] = (bytes[6] & 0x0F) | 0x50
    bytes[8] = (bytes[8] & 0x3F) | 0x80
    let hex = SHA256Hex.hex(bytes)
    let chars = Array(hex)
    return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(chars[$0]) }.joined(separator: "-")
  }
}
