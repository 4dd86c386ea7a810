import ScnSource

/// Expands command-line paths into the `.scn` files to process: a file is taken as is
/// (whatever its extension, since the user named it), a directory contributes every `.scn`
/// file below it in sorted order, so output order never depends on the file system.
public func collectScenarioFiles(_ paths: [String], fileSystem: FileSystem) throws -> [String] {
  var out: [String] = []
  for path in paths {
    if fileSystem.isDirectory(path) {
      out += try fileSystem.listFiles(path).filter { $0.hasSuffix(".scn") }.sorted()
    } else {
      out.append(path)
    }
  }
  // A file named twice (directly and through its folder) is checked once.
  var seen = Set<String>()
  return out.filter { seen.insert($0).inserted }
}
