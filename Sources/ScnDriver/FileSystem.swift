import Foundation

/// The file effects the driver needs, injected so tests (and the REPL) can run on an
/// in-memory tree and so nothing below the driver touches the disk.
public struct FileSystem: Sendable {
  public var readFile: @Sendable (String) throws -> [UInt8]
  public var writeFile: @Sendable (String, [UInt8]) throws -> Void
  public var isDirectory: @Sendable (String) -> Bool
  /// Every file below a directory, recursively, as paths that start with the directory.
  public var listFiles: @Sendable (String) throws -> [String]

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
  }

  /// The real disk. Writes are atomic (temporary file + rename), so an interrupted
  /// `scn fmt` never leaves a half-written scenario behind.
  public static let disk = FileSystem(
    readFile: { path in
      guard let data = FileManager.default.contents(atPath: path) else {
        throw FileSystemError.unreadable(path, reason: readFailureReason(path))
      }
      return [UInt8](data)
    },
    writeFile: { path, bytes in
      do {
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
      } catch {
        throw FileSystemError.unwritable(path, reason: "\(error.localizedDescription)")
      }
    },
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

private func readFailureReason(_ path: String) -> String {
  var isDir: ObjCBool = false
  if !FileManager.default.fileExists(atPath: path, isDirectory: &isDir) { return "no such file" }
  if isDir.boolValue { return "is a directory" }
  return "permission denied or not readable"
}

public enum FileSystemError: Error, Sendable, CustomStringConvertible {
  case unreadable(String, reason: String)
  case unwritable(String, reason: String)

  public var description: String {
    switch self {
    case .unreadable(let p, let r): "cannot read '\(p)': \(r)"
    case .unwritable(let p, let r): "cannot write '\(p)': \(r)"
    }
  }
}
