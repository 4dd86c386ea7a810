import Crypto
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file written piece by piece, for the aggregate files (JSON Lines, COCO) that would
/// otherwise be built whole in memory: pieces go through a buffer to the same temporary file
/// `FileStore.write` uses while their SHA-256 is computed, and `finish` renames the file into
/// place. A stream dropped without `finish` removes its temporary file.
final class StreamingFile {
  let relativePath: String
  private let temp: String
  private let target: String
  private var fd: Int32
  private var buffer: [UInt8] = []
  private var hasher = SHA256()
  private var count = 0
  private static let flushThreshold = 1 << 20

  init(store: FileStore, relativePath: String) throws(DatasetError) {
    self.relativePath = relativePath
    let tempURL = store.workURL.appendingPathComponent("tmp", isDirectory: true)
      .appendingPathComponent(relativePath.replacingOccurrences(of: "/", with: "%"))
    let targetURL = try store.checkedURL(relativePath, followingLast: false)
    try store.makeDirectory(tempURL.deletingLastPathComponent())
    try store.makeDirectory(targetURL.deletingLastPathComponent())
    temp = tempURL.path
    target = targetURL.path
    fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw .io(path: relativePath, reason: "cannot write: \(String(cString: strerror(errno)))")
    }
    buffer.reserveCapacity(Self.flushThreshold + 4096)
  }

  deinit {
    if fd >= 0 {
      close(fd)
      unlink(temp)
    }
  }

  func append(_ text: String) throws(DatasetError) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= Self.flushThreshold { try flush() }
  }

  /// Writes what is buffered, closes the file and renames it into place.
  func finish() throws(DatasetError) -> FileEntry {
    try flush()
    let closed = close(fd)
    fd = -1
    guard closed == 0 else {
      unlink(temp)
      throw .io(path: relativePath, reason: "cannot write: \(String(cString: strerror(errno)))")
    }
    guard rename(temp, target) == 0 else {
      throw .io(path: relativePath, reason: "cannot move into place: \(String(cString: strerror(errno)))")
    }
    return FileEntry(path: relativePath, bytes: count, sha256: SHA256Hex.hex(hasher.finalize()))
  }

  private func flush() throws(DatasetError) {
    guard !buffer.isEmpty else { return }
    hasher.update(data: buffer)
    count += buffer.count
    let failure = writeAll(fd, buffer)
    buffer.removeAll(keepingCapacity: true)
    if let failure { throw .io(path: relativePath, reason: "cannot write: \(String(cString: strerror(failure)))") }
  }
}
