import CSystem
import Crypto
import Foundation
import ScnEncoding

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file the dataset lists in its manifest.
struct FileEntry: Sendable, Equatable {
  var path: String
  var bytes: Int
  var sha256: String

  var json: JSONValue {
    .object([("path", .string(path)), ("bytes", .integer(bytes)), ("sha256", .string(sha256))])
  }

  init(path: String, bytes: Int, sha256: String) {
    self.path = path
    self.bytes = bytes
    self.sha256 = sha256
  }

  init(json: JSONValue, in file: String) throws(DatasetError) {
    guard let path = json["path"]?.stringValue, let bytes = json["bytes"]?.intValue,
      let sha = json["sha256"]?.stringValue
    else { throw .corrupt(path: file, reason: "file entry lacks path, bytes or sha256") }
    self.init(path: path, bytes: bytes, sha256: sha)
  }
}

/// Reads and writes files under a dataset root. Every write goes to a temporary file under
/// `.scn-work/tmp/` (same file system, so `rename` is atomic) and is then renamed into place:
/// a killed run leaves whole files or none, and no debris among the dataset's own files.
struct FileStore: Sendable {
  let root: URL
  static let workDirectory = ".scn-work"

  var workURL: URL { root.appendingPathComponent(FileStore.workDirectory, isDirectory: true) }

  func url(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }

  func exists(_ relativePath: String) -> Bool { FileManager.default.fileExists(atPath: url(relativePath).path) }

  /// Writes `bytes` at `relativePath` atomically and returns its manifest entry.
  @discardableResult
  func write(_ bytes: [UInt8], to relativePath: String) throws(DatasetError) -> FileEntry {
    let target = url(relativePath)
    // The temp name is the target path flattened: unique per target, and each target is
    // written by one sample only, so concurrent writers never share a temp file.
    let tempName = relativePath.replacingOccurrences(of: "/", with: "%")
    let temp = workURL.appendingPathComponent("tmp", isDirectory: true).appendingPathComponent(tempName)
    try makeDirectory(temp.deletingLastPathComponent())
    try makeDirectory(target.deletingLastPathComponent())
    try FileStore.writeWhole(bytes, to: temp.path, reporting: relativePath)
    guard rename(temp.path, target.path) == 0 else {
      throw .io(path: relativePath, reason: "cannot move into place: \(String(cString: strerror(errno)))")
    }
    return FileEntry(path: relativePath, bytes: bytes.count, sha256: SHA256Hex.of(bytes))
  }

  /// Writes a whole file with plain POSIX calls. No fsync per file: a killed process loses
  /// nothing the kernel already holds, and durability against power loss is bought once,
  /// with `flushToDisk()` before the manifest, instead of once per file (an fsync per
  /// file cost ~10 ms of blocking per labelled frame).
  private static func writeWhole(_ bytes: [UInt8], to path: String, reporting relativePath: String)
    throws(DatasetError)
  {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw .io(path: relativePath, reason: "cannot write: \(String(cString: strerror(errno)))")
    }
    let failure = writeAll(fd, bytes)
    let closed = close(fd)
    if let failure {
      throw .io(path: relativePath, reason: "cannot write: \(String(cString: strerror(failure)))")
    }
    guard closed == 0 else {
      throw .io(path: relativePath, reason: "cannot write: \(String(cString: strerror(errno)))")
    }
  }

  /// Makes everything written under the root durable: one `syncfs` of the file system that
  /// holds it (not a global `sync`, which would also wait for every other disk and mount).
  func flushToDisk() throws(DatasetError) {
    let fd = open(root.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw .io(path: root.path, reason: "cannot open: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    guard csystem_syncfs(fd) == 0 else {
      throw .io(path: root.path, reason: "cannot sync: \(String(cString: strerror(errno)))")
    }
  }

  @discardableResult
  func write(_ text: String, to relativePath: String) throws(DatasetError) -> FileEntry {
    try write(Array(text.utf8), to: relativePath)
  }

  func read(_ relativePath: String) throws(DatasetError) -> [UInt8] {
    do {
      return [UInt8](try Data(contentsOf: url(relativePath)))
    } catch {
      throw .io(path: relativePath, reason: "cannot read: \(error.localizedDescription)")
    }
  }

  func readJSON(_ relativePath: String) throws(DatasetError) -> JSONValue {
    let bytes = try read(relativePath)
    do {
      return try JSONValue.parse(bytes: bytes)
    } catch {
      throw .corrupt(path: relativePath, reason: error.description)
    }
  }

  func makeDirectory(_ directory: URL) throws(DatasetError) {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue {
      return
    }
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      // Another thread may have created it between the check and the call.
      if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue {
        return
      }
      throw .io(path: directory.path, reason: "cannot create directory: \(error.localizedDescription)")
    }
  }

  func remove(_ relativePath: String) throws(DatasetError) {
    let target = url(relativePath)
    guard FileManager.default.fileExists(atPath: target.path) else { return }
    do {
      try FileManager.default.removeItem(at: target)
    } catch {
      throw .io(path: relativePath, reason: "cannot remove: \(error.localizedDescription)")
    }
  }

  /// Relative paths of every regular file under the root, sorted byte-wise, skipping
  /// the directories named in `skipping`.
  func listFiles(skipping: Set<String> = []) -> [String] {
    var out: [String] = []
    func walk(_ directory: URL, _ prefix: String) {
      let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
      for name in names {
        let relative = prefix.isEmpty ? name : prefix + "/" + name
        if skipping.contains(relative) { continue }
        let child = directory.appendingPathComponent(name)
        // Symbolic links are listed, never followed: a link loop must not hang `verify`.
        let type = (try? FileManager.default.attributesOfItem(atPath: child.path))?[.type] as? FileAttributeType
        if type == .typeDirectory { walk(child, relative) } else if type != nil { out.append(relative) }
      }
    }
    walk(root, "")
    return out.sorted(by: FileStore.pathOrder)
  }

  /// Byte-wise order of UTF-8 paths: the manifest's order, independent of locale.
  static func pathOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}

/// A value guarded by a lock, for the little state writers share across threads.
final class Locked<Value>: @unchecked Sendable {
  private var value: Value
  private let lock = NSLock()
  init(_ value: Value) { self.value = value }
  func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
    lock.lock()
    defer { lock.unlock() }
    return try body(&value)
  }
}

/// Writes all of `bytes` to `fd`, retrying short and interrupted writes; the errno of a
/// failure, or nil.
func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
  bytes.withUnsafeBytes { buffer -> Int32? in
    var offset = 0
    while offset < buffer.count {
      guard let base = buffer.baseAddress else { return nil }
      let written = posixWrite(fd, base + offset, buffer.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        return errno
      }
      offset += written
    }
    return nil
  }
}

/// The C library's `write(2)` (the name is taken by `FileStore.write` inside the type).
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
  #else
    Darwin.write(fd, buffer, count)
  #endif
}
