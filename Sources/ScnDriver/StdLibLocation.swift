import Foundation

/// The StdLib the CLI uses: `$SCN_STDLIB`, else the nearest `StdLib/` holding `prelude.scn`
/// in the executable's folder or above it (a checkout's `.build/release/scn` finds the
/// repository's StdLib), else `StdLib/` in the current directory. See `StdLibLocator`.
public func locateStdLib(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
  // The running binary's real path (`/proc/self/exe` on Linux): `argv[0]` is only a name
  // when scn is found through PATH.
  let executable = Bundle.main.executablePath.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
    ?? URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().path
  return StdLibLocator.locate(
    environment: environment, executablePath: executable,
    currentDirectory: FileManager.default.currentDirectoryPath,
    exists: { FileManager.default.fileExists(atPath: $0) })
}

/// Where the StdLib is: `SCN_STDLIB`, else a `StdLib/` with a `prelude.scn` in the
/// executable's folder or any folder above it (the package checkout it was built in),
/// else `StdLib/` in the current directory.
public enum StdLibLocator {
  public static func locate(environment: [String: String], executablePath: String, currentDirectory: String,
                            exists: (String) -> Bool) -> String
  {
    if let explicit = environment["SCN_STDLIB"], !explicit.isEmpty { return explicit }
    var dir = executablePath
    while let slash = dir.lastIndex(of: "/") {
      dir = String(dir[..<slash])
      let candidate = (dir.isEmpty ? "" : dir) + "/StdLib"
      if exists(candidate + "/prelude.scn") { return candidate }
      if dir.isEmpty { break }
    }
    return currentDirectory.hasSuffix("/") ? currentDirectory + "StdLib" : currentDirectory + "/StdLib"
  }
}
