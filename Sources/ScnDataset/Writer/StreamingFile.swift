import CSystem
import Crypto
import Foundation
import ScnEncoding

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

  func append(_ bytes: UnsafeRawBufferPointer) throws(DatasetError) {
    buffer.append(contentsOf: bytes)
    if buffer.count >= Self.flushThreshold { try flush() }
  }

  /// Writes what is buffered, closes the file and renames it into place.
  func finish() throws(DatasetError) -> FileEntry {
    try flush()
    // The file's writeback starts now, as `FileStore.write`'s does (a hint; `flushToDisk`
    // is what makes it durable).
    _ = csystem_start_writeback(fd)
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

/// Bytes set aside to be appended to a `StreamingFile` later, in order (the COCO annotation
/// list, which follows the image list but is made in the same walk): in memory up to
/// `memoryLimit` bytes, then in a temporary file under `.scn-work/tmp/` that is unlinked as
/// soon as it is opened, so nothing of it outlives the process, whatever ends it.
final class SpoolFile {
  private let store: FileStore
  private let name: String
  private var buffer: [UInt8] = []
  /// The temporary file once the bytes outgrew memory, else -1.
  private var fd: Int32 = -1
  /// Bytes held in memory before they go to the temporary file.
  let memoryLimit: Int
  static let defaultMemoryLimit = 4 << 20

  /// `name`: the temporary file's name in `.scn-work/tmp/`, unique per spool.
  init(store: FileStore, name: String, memoryLimit: Int = SpoolFile.defaultMemoryLimit) {
    self.store = store
    self.name = name
    self.memoryLimit = memoryLimit
  }

  deinit {
    if fd >= 0 { close(fd) }
  }

  func append(_ text: String) throws(DatasetError) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= memoryLimit { try spill() }
  }

  /// Appends everything spooled to `file` and empties the spool.
  func drain(into file: StreamingFile) throws(DatasetError) {
    if fd >= 0 {
      try spill()
      guard lseek(fd, 0, SEEK_SET) == 0 else { throw failure("cannot read back") }
      let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
      defer { chunk.deallocate() }
      while true {
        guard let base = chunk.baseAddress else { break }
        let got = read(fd, base, chunk.count)
        if got < 0 {
          if errno == EINTR { continue }
          throw failure("cannot read back")
        }
        if got == 0 { break }
        try file.append(UnsafeRawBufferPointer(rebasing: chunk[0..<got]))
      }
      close(fd)
      fd = -1
      return
    }
    var failed: DatasetError?
    buffer.withUnsafeBytes { bytes in
      do throws(DatasetError) { try file.append(bytes) } catch { failed = error }
    }
    if let failed { throw failed }
    buffer.removeAll()
  }

  /// Writes what is in memory to the temporary file (opening it the first time).
  private func spill() throws(DatasetError) {
    if fd < 0 {
      let directory = store.workURL.appendingPathComponent("tmp", isDirectory: true)
      try store.makeDirectory(directory)
      let path = directory.appendingPathComponent(name).path
      fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
      guard fd >= 0 else { throw failure("cannot write") }
      unlink(path)
    }
    if let error = writeAll(fd, buffer) { throw failure("cannot write", errno: error) }
    buffer.removeAll(keepingCapacity: true)
  }

  private func failure(_ what: String, errno code: Int32 = errno) -> DatasetError {
    .io(path: FileStore.workDirectory + "/tmp/" + name, reason: "\(what): \(String(cString: strerror(code)))")
  }
}
