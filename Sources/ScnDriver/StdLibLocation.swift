import Foundation

/// The StdLib the CLI uses: `$SCN_STDLIB`, else the nearest `StdLib/` holding `prelude.scn`
/// in the executable's folder or above it (a checkout's `.build/release/scn` finds the
/// repository's StdLib), else `StdLib/` in the current directory. See `StdLibLocator`.
public func locateStdLib(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
  let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().path
  return StdLibLocator.locate(
    environment: environment, executablePath: executable,
    currentDirectory: FileManager.default.currentDirectoryPath,
    exists: { FileManager.default.fileExists(atPath: $0) })
}
