import Foundation
import ScnData

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The file effects the driver needs, injected so tests (and the REPL) can run on an
/// in-memory tree and so nothing below the driver touches the disk.
public struct FileSystem: Sendable {
  public var readFile: @Sendable (String) throws -> [UInt8]
  public var writeFile: @Sendable (String, [UInt8]) throws -> Void
  public var isDirectory: @Sendable (String) -> Bool
  /// Every file below a directory, recursively, as paths that start with the directory.
  public var listFiles: @Sendable (String) throws -> [String]
  /// Reads a file a scenario names (a real-data file) only when its resolved path, symbolic
  /// links followed, lies inside the given folder, and it is no larger than a data file may be
  /// (`CSVColumn.maximumFileSize`, checked before reading); the in-memory default just reads.
  public var readFileInside: @Sendable (_ path: String, _ folder: String) throws -> [UInt8]
  /// Reads a file only when it holds at most `maxBytes` bytes, checked before reading (an
  /// input file such as an imported asset); the in-memory default reads, then checks.
  public var readFileLimited: @Sendable (_ path: String, _ maxBytes: UInt64) throws -> [UInt8]

  public init(
    readFile: @escaping @Sendable (String) throws -> [UInt8],
    writeFile: @escaping @Sendable (String, [UInt8]) throws -> Void,
    isDirectory: @escaping @Sendable (String) -> Bool,
    listFiles: @escaping @Sendable (String) throws -> [String]
  ) {
    self.readFile = readFile
    self.writeFile = writeFile
    self.isDirectory = isDirectory
    self.listFiles = listFiles
    self.readFileInside = { path, _ in try readFile(path) }
    self.readFileLimited = { path, maxBytes in
      let bytes = try readFile(path)
      guard UInt64(bytes.count) <= maxBytes else { throw FileSystemError.tooLarge(path, size: UInt64(bytes.count), limit: maxBytes) }
      return bytes
    }
  }

  /// The real disk. Writes are atomic (see `replaceFile`), so an interrupted `scn fmt` never
  /// leaves a half-written scenario behind.
  public static let disk: FileSystem = {
    var fs = FileSystem.plainDisk
    fs.readFileInside = { path, folder in
      guard let resolved = realpath(path, nil) else {
        throw FileSystemError.unreadable(path, reason: readFailureReason(path))
      }
      defer { free(resolved) }
      guard let root = realpath(folder.isEmpty ? "." : folder, nil) else {
        throw FileSystemError.unreadable(folder, reason: readFailureReason(folder))
      }
      defer { free(root) }
      let file = String(cString: resolved), base = String(cString: root)
      guard file.hasPrefix(base.hasSuffix("/") ? base : base + "/") else {
        throw FileSystemError.unreadable(path, reason: "it resolves (through a symbolic link) outside the scenario's folder")
      }
      return try readLimited(file, maxBytes: UInt64(CSVColumn.maximumFileSize))
    }
    fs.readFileLimited = { path, maxBytes in try readLimited(path, maxBytes: maxBytes) }
    return fs
  }()

  private static let plainDisk = FileSystem(
    readFile: { path in
      guard let data = FileManager.default.contents(atPath: path) else {
        throw FileSystemError.unreadable(path, reason: readFailureReason(path))
      }
      return [UInt8](data)
    },
    writeFile: { path, bytes in try replaceFile(path, with: bytes) },
    isDirectory: { path in
      var isDir: ObjCBool = false
      return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    },
    listFiles: { dir in
      guard let e = FileManager.default.enumerator(atPath: dir) else {
        throw FileSystemError.unreadable(dir, reason: "cannot list directory")
      }
      var out: [String] = []
      while let rel = e.nextObject() as? String {
        let full = dir.hasSuffix("/") ? dir + rel : dir + "/" + rel
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue { out.append(full) }
      }
      return out.sorted()
    })
}

/// A regular file's bytes when it holds at most `maxBytes`: the size is read with `fstat` on
/// the opened file before anything is allocated for it.
private func readLimited(_ path: String, maxBytes: UInt64) throws -> [UInt8] {
  let fd = open(path, O_RDONLY | O_CLOEXEC)
  guard fd >= 0 else { throw FileSystemError.unreadable(path, reason: readFailureReason(path)) }
  defer { close(fd) }
  var st = stat()
  guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
    throw FileSystemError.unreadable(path, reason: "not a regular file")
  }
  let size = UInt64(max(0, st.st_size))
  guard size <= maxBytes else { throw FileSystemError.tooLarge(path, size: size, limit: maxBytes) }
  var bytes = [UInt8](repeating: 0, count: Int(size))
  var offset = 0
  while offset < bytes.count {
    let got = bytes.withUnsafeMutableBytes { b -> Int in
      guard let base = b.baseAddress else { return 0 }
      return read(fd, base + offset, b.count - offset)
    }
    if got < 0, errno == EINTR { continue }
    guard got > 0 else { throw FileSystemError.unreadable(path, reason: "short read (the file changed while read)") }
    offset += got
  }
  return bytes
}

private func readFailureReason(_ path: String) -> String {
  var isDir: ObjCBool = false
  if !FileManager.default.fileExists(atPath: path, isDirectory: &isDir) { return "no such file" }
  if isDir.boolValue { return "is a directory" }
  return "permission denied or not readable"
}

public enum FileSystemError: Error, Sendable, CustomStringConvertible {
  case unreadable(String, reason: String)
  case unwritable(String, reason: String)
  /// Over the byte limit of an input file, found before reading it.
  case tooLarge(String, size: UInt64, limit: UInt64)

  public var description: String {
    switch self {
    case .tooLarge(let p, let size, let limit): "'\(p)' has \(size) bytes, more than the limit of \(limit)"
    case .unreadable(let p, let r): "cannot read '\(p)': \(r)"
    case .unwritable(let p, let r): "cannot write '\(p)': \(r)"
    }
  }
}

/// Replaces a file's contents atomically, as `scn fmt` and `sample --coverage` need:
/// - a symbolic link is followed and its final target replaced (the link stays a link);
/// - the new file keeps the old one's permission bits and owner (a file whose owner cannot
///   be kept, because another user owns it, is refused rather than silently taken over);
/// - the bytes go to a temporary file beside the target, are flushed with `fsync`, and are
///   renamed over the target, so a crash leaves the old file or the new one, never a mix;
/// - a hard link is a second name of the old file: rename gives the name written a new file,
///   so the other names keep the old contents.
/// A path that does not exist yet is created with mode 0666 less the umask.
func replaceFile(_ path: String, with bytes: [UInt8]) throws {
  func fail(_ reason: String) -> FileSystemError { .unwritable(path, reason: reason) }
  func failure() -> String { String(cString: strerror(errno)) }
  var target = path
  var old = stat()
  if lstat(path, &old) == 0, (old.st_mode & S_IFMT) == S_IFLNK {
    guard let resolved = realpath(path, nil) else { throw fail("the symbolic link does not resolve: \(failure())") }
    target = String(cString: resolved)
    free(resolved)
  }
  let exists = stat(target, &old) == 0
  if exists, (old.st_mode & S_IFMT) != S_IFREG { throw fail("not a regular file") }
  let directory = (target as NSString).deletingLastPathComponent
  let base = (target as NSString).lastPathComponent
  var temp = ""
  var fd: Int32 = -1
  for attempt in 0..<100 {
    temp = (directory.isEmpty ? "" : directory + "/") + ".\(base).scn-\(getpid())-\(attempt).tmp"
    fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
    if fd >= 0 || errno != EEXIST { break }
  }
  guard fd >= 0 else { throw fail("cannot create a temporary file beside it: \(failure())") }
  var ok = false
  defer {
    if fd >= 0 { close(fd) }
    if !ok { unlink(temp) }
  }
  if exists {
    if old.st_uid != geteuid() || old.st_gid != getegid() {
      guard fchown(fd, old.st_uid, old.st_gid) == 0 else {
        throw fail("cannot keep its owner (uid \(old.st_uid), gid \(old.st_gid)): \(failure()); the file is left unchanged")
      }
    }
    guard fchmod(fd, old.st_mode & 0o7777) == 0 else { throw fail("cannot keep its permissions: \(failure())") }
  }
  var offset = 0
  while offset < bytes.count {
    let written = bytes.withUnsafeBytes { buffer -> Int in
      guard let base = buffer.baseAddress else { return 0 }
      return write(fd, base + offset, buffer.count - offset)
    }
    if written < 0 {
      if errno == EINTR { continue }
      throw fail(failure())
    }
    offset += written
  }
  guard fsync(fd) == 0 else { throw fail(failure()) }
  let closed = close(fd)
  fd = -1
  guard closed == 0 else { throw fail(failure()) }
  guard rename(temp, target) == 0 else { throw fail(failure()) }
  ok = true
}
