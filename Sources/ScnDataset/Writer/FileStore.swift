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
  /// Paths of the directories this store has made or found, so that a sample's files (a
  /// few per frame, each into its own directory and through the temp directory) do not
  /// stat both directories again for every file. `remove` forgets them all, so a directory
  /// removed through the store is made again.
  private let directories = Locked<Set<String>>([])

  var workURL: URL { root.appendingPathComponent(FileStore.workDirectory, isDirectory: true) }

  func url(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }

  func exists(_ relativePath: String) -> Bool { FileManager.default.fileExists(atPath: url(relativePath).path) }

  /// The one check every dataset-relative path goes through before anything reads or writes
  /// it, whether it is one of scn's own names or was read from a dataset file (a manifest
  /// entry, a partial record, a COCO `file_name`, a shard record): it must be relative, made
  /// of plain components (no empty, `.` or `..` component, no NUL), and no symbolic link on
  /// the way may lead out of the dataset root. `followingLast: false` is for writes and
  /// removals, which replace or delete a final symbolic link itself rather than its target.
  /// Returns the absolute URL.
  func checkedURL(_ relativePath: String, followingLast: Bool = true) throws(DatasetError) -> URL {
    func unsafe(_ reason: String) -> DatasetError { .unsafePath(path: relativePath, reason: reason) }
    guard !relativePath.isEmpty else { throw unsafe("empty path") }
    guard relativePath.utf8.count <= 1024 else { throw unsafe("longer than 1024 bytes") }
    guard !relativePath.hasPrefix("/") else { throw unsafe("absolute path") }
    guard !relativePath.utf8.contains(0) else { throw unsafe("contains a NUL byte") }
    let components = relativePath.split(separator: "/", omittingEmptySubsequences: false)
    for component in components where component.isEmpty || component == "." || component == ".." {
      throw unsafe(component.isEmpty ? "empty path component" : "'\(component)' component")
    }
    // Each existing prefix is looked at without following it; a symbolic link must resolve
    // to a place inside the root.
    var prefix = root.path
    var rootReal: String?
    for (position, component) in components.enumerated() {
      prefix += "/" + component
      var info = stat()
      guard lstat(prefix, &info) == 0 else { break }  // the rest does not exist yet
      guard (info.st_mode & S_IFMT) == S_IFLNK, followingLast || position < components.count - 1 else { continue }
      if rootReal == nil { rootReal = FileStore.realPath(root.path) }
      guard let rootReal, let target = FileStore.realPath(prefix),
        target == rootReal || target.hasPrefix(rootReal == "/" ? "/" : rootReal + "/")
      else { throw unsafe("a symbolic link leads out of the dataset directory") }
    }
    return url(relativePath)
  }

  /// `realpath(3)`, or nil when the path does not resolve.
  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// Writes `bytes` at `relativePath` atomically and returns its manifest entry.
  @discardableResult
  func write(_ bytes: [UInt8], to relativePath: String) throws(DatasetError) -> FileEntry {
    let target = try checkedURL(relativePath, followingLast: false)
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
  /// file cost ~10 ms of blocking per labelled frame). The file's writeback is started as
  /// soon as it is written (`csystem_start_writeback`, without waiting for it), so the
  /// disk writes while the run renders instead of all at once in the final `syncfs`.
  private static func writeWhole(_ bytes: [UInt8], to path: String, reporting relativePath: String)
    throws(DatasetError)
  {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw .io(path: relativePath, reason: "cannot write: \(String(cString: strerror(errno)))")
    }
    let failure = writeAll(fd, bytes)
    // Only a hint: its failure (a file system without it) changes nothing `flushToDisk` promises.
    if failure == nil { _ = csystem_start_writeback(fd) }
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
    let target = try checkedURL(relativePath)
    do {
      return [UInt8](try Data(contentsOf: target))
    } catch {
      throw .io(path: relativePath, reason: "cannot read: \(error.localizedDescription)")
    }
  }

  func readJSON(_ relativePath: String) throws(DatasetError) -> JSONValue {
    try Self.parseJSON(read(relativePath), path: relativePath)
  }

  /// `bytes` as JSON; a file that is not is corrupt, under `path`.
  static func parseJSON(_ bytes: [UInt8], path: String) throws(DatasetError) -> JSONValue {
    do {
      return try JSONValue.parse(bytes: bytes)
    } catch {
      throw .corrupt(path: path, reason: error.description)
    }
  }

  func makeDirectory(_ directory: URL) throws(DatasetError) {
    let path = directory.path
    if directories.withLock({ $0.contains(path) }) { return }
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
      directories.withLock { _ = $0.insert(path) }
      return
    }
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      // Another thread may have created it between the check and the call.
      if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
        directories.withLock { _ = $0.insert(path) }
        return
      }
      throw .io(path: path, reason: "cannot create directory: \(error.localizedDescription)")
    }
    directories.withLock { _ = $0.insert(path) }
  }

  func remove(_ relativePath: String) throws(DatasetError) {
    let target = try checkedURL(relativePath, followingLast: false)
    directories.withLock { $0.removeAll() }
    var info = stat()
    guard lstat(target.path, &info) == 0 else { return }  // a dangling link is removed too
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

/// An exclusive `flock(2)` on an output directory, held until deinit: two scn processes
/// (two `--resume`, a run and a `--force`, two merges) never write to the same directory at
/// once. The lock is on the directory itself, not on a file in it, so emptying the directory
/// (`--force`) cannot drop it; the kernel releases it when the process dies, even by `kill -9`.
final class DirectoryLock: Sendable {
  private let fd: Int32

  /// Creates the directory if needed, then takes the lock without waiting.
  init(_ directory: URL) throws(DatasetError) {
    let path = directory.path
    var info = stat()
    if stat(path, &info) == 0 {
      guard (info.st_mode & S_IFMT) == S_IFDIR else { throw .outputNotDirectory(path) }
    } else {
      try DirectoryLock.makeDirectories(path)
    }
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw .io(path: path, reason: "cannot open: \(String(cString: strerror(errno)))") }
    if flock(fd, LOCK_EX | LOCK_NB) != 0 {
      let failure = errno
      // A file system without flock support (some network and parallel file systems mounted
      // without it) gives no lock at all: the run goes on unguarded, as before locks existed.
      if failure != ENOLCK && failure != ENOSYS && failure != EOPNOTSUPP && failure != EINVAL {
        close(fd)
        if failure == EWOULDBLOCK { throw .outputBusy(path) }
        throw .io(path: path, reason: "cannot lock: \(String(cString: strerror(failure)))")
      }
    }
    self.fd = fd
  }

  deinit { close(fd) }

  /// `mkdir -p` with the reason of a failure in plain words.
  private static func makeDirectories(_ path: String) throws(DatasetError) {
    var prefix = path.hasPrefix("/") ? "" : "."
    for component in path.split(separator: "/") {
      prefix += "/" + component
      if mkdir(prefix, 0o755) == 0 || errno == EEXIST {
        var info = stat()
        guard stat(prefix, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
          throw .outputNotDirectory(prefix.hasPrefix("./") ? String(prefix.dropFirst(2)) : prefix)
        }
        continue
      }
      throw .io(path: path, reason: "cannot create the directory: \(String(cString: strerror(errno)))")
    }
  }
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
