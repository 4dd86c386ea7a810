import CTinyGLTF
import ScnEncoding

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one way an asset's files are read (docs/assets.md, "Input files"): each file through
/// the reader the driver injects, which refuses a file over the byte limit before reading
/// it; each file once; each file's SHA-256 recorded from the bytes that were imported, so
/// what is hashed is exactly what is drawn.
public final class AssetFileReader {
  /// Reads the file at a path, refusing one of more than the given number of bytes before
  /// reading it (the thrown error's description is the message).
  public typealias Read = (_ path: String, _ maxBytes: UInt64) throws -> [UInt8]

  let read: Read
  /// Every file read through `deliver`, in order: the path handed to `read` and the SHA-256
  /// of its bytes.
  public private(set) var hashes: [(path: String, sha256: String)] = []

  public init(_ read: @escaping Read) { self.read = read }

  /// Reads `path` (bounded by `maxBytes`) and records its hash.
  public func bytes(_ path: String, maxBytes: UInt64) throws(AssetImportError) -> [UInt8] {
    let bytes: [UInt8]
    do { bytes = try read(path, maxBytes) } catch {
      throw AssetImportError(kind: .unreadable, message: String(describing: error))
    }
    guard UInt64(bytes.count) <= maxBytes else {
      throw AssetImportError(kind: .tooLarge, message: "'\(path)' has \(bytes.count) bytes, more than the limit of \(maxBytes)")
    }
    hashes.append((path, SHA256Hex.of(bytes)))
    return bytes
  }

  /// For the C readers' callbacks: the bytes of `path` in a `malloc`ed buffer the reader
  /// frees, or a failure code with its message in `why`.
  func deliver(
    _ path: String, maxBytes: UInt64, into out: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>,
    size: UnsafeMutablePointer<Int>, why: UnsafeMutablePointer<CChar>?, capacity: Int
  ) -> Int32 {
    out.pointee = nil
    size.pointee = 0
    func fail(_ e: AssetImportError) -> Int32 {
      if let why, capacity > 0 {
        let text = Array(e.message.utf8.prefix(capacity - 1))
        for (i, b) in text.enumerated() { why[i] = CChar(bitPattern: b) }
        why[text.count] = 0
      }
      return e.kind == .tooLarge ? Int32(SCN_GLTF_TOO_LARGE) : Int32(SCN_GLTF_IO)
    }
    let bytes: [UInt8]
    do { bytes = try self.bytes(path, maxBytes: maxBytes) } catch { return fail(error) }
    guard let buffer = malloc(Swift.max(1, bytes.count))?.assumingMemoryBound(to: UInt8.self) else {
      return fail(AssetImportError(kind: .tooLarge, message: "out of memory"))
    }
    bytes.withUnsafeBufferPointer { b in
      if let base = b.baseAddress, !b.isEmpty { buffer.update(from: base, count: b.count) }
    }
    out.pointee = buffer
    size.pointee = bytes.count
    return Int32(SCN_GLTF_OK)
  }
}
