import Foundation

/// Where the StdLib (`prelude.scn`, `std/*.scn`) lives, in order of preference:
/// 1. `$SCN_STDLIB`;
/// 2. `StdLib/` next to the executable, or `../share/scn/StdLib` (an installed layout);
/// 3. the nearest `StdLib/` holding `prelude.scn` above the executable (running from a
///    checkout: `.build/release/scn` finds the repository's StdLib);
/// 4. `StdLib/` in the current directory.
public func locateStdLib(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
  if let explicit = environment["SCN_STDLIB"], !explicit.isEmpty { return explicit }
  let fm = FileManager.default
  func hasPrelude(_ dir: URL) -> Bool { fm.fileExists(atPath: dir.appendingPathComponent("prelude.scn").path) }
  let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
  var dir = executable.deletingLastPathComponent()
  for candidate in [dir.appendingPathComponent("StdLib"), dir.appendingPathComponent("../share/scn/StdLib")]
  where hasPrelude(candidate) {
    return candidate.standardized.path
  }
  while dir.path != "/" {
    let candidate = dir.appendingPathComponent("StdLib")
    if hasPrelude(candidate) { return candidate.path }
    dir = dir.deletingLastPathComponent()
  }
  return fm.currentDirectoryPath + "/StdLib"
}
