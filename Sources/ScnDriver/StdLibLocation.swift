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
