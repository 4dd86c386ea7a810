import Foundation
import ScnTestSupport
import Testing

/// The benchmark scripts that time `scn` (or a bench harness) take an existing release
/// build instead of building into `.build`: `SCN=path/to/scn` names the binary (for the
/// meshes harness, `ScnMeshBench` next to it), as `Benchmarks/generate/run_people_roads.sh`
/// does. Run here with stand-ins: a `swift` on `PATH` that records being called and fails,
/// and a binary that records being called and fails, so the script stops at its first use
/// of the binary (nothing is timed and no Scenic or Embree is needed).
@Suite struct BenchmarkScriptTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// Runs `script` with `SCN` set to a stand-in in a folder of stand-ins; returns which of
  /// them ran (`swift`, `scn`, `ScnMeshBench`).
  static func run(_ script: String) throws -> (ran: Set<String>, status: Int32, output: String) {
    let fm = FileManager.default
    let folder = fm.temporaryDirectory.appendingPathComponent("scn-bench-script-\(UUID().uuidString)")
    let bin = folder.appendingPathComponent("bin"), release = folder.appendingPathComponent("release")
    defer { try? fm.removeItem(at: folder) }
    for dir in [bin, release] { try fm.createDirectory(at: dir, withIntermediateDirectories: true) }
    let log = folder.appendingPathComponent("ran.log")
    func standIn(_ url: URL, name: String, status: Int) throws {
      try Data("#!/bin/sh\necho \(name) >> '\(log.path)'\nexit \(status)\n".utf8).write(to: url)
      try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }
    try standIn(bin.appendingPathComponent("swift"), name: "swift", status: 1)
    try standIn(bin.appendingPathComponent("gcc"), name: "gcc", status: 0)
    try standIn(release.appendingPathComponent("scn"), name: "scn", status: 1)
    try standIn(release.appendingPathComponent("ScnMeshBench"), name: "ScnMeshBench", status: 1)

    var env = ProcessInfo.processInfo.environment
    env["PATH"] = bin.path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
    env["SCN"] = release.appendingPathComponent("scn").path
    let (status, output) = try runProcess(
      URL(fileURLWithPath: "/bin/bash"), [repository.appendingPathComponent(script).path, "1"], environment: env)
    let ran = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    return (Set(ran.split(separator: "\n").map(String.init)), status, output)
  }

  @Test(arguments: [
    ("Benchmarks/sampler/sample_end_to_end.sh", "scn"), ("Benchmarks/meshes/run.sh", "ScnMeshBench"),
    ("Benchmarks/generate/run_people_roads.sh", "scn"),
  ])
  func anExistingBuildIsUsedAndNothingIsBuilt(script: String, binary: String) throws {
    let (ran, status, output) = try Self.run(script)
    #expect(!ran.contains("swift"), "\(script) ran swift with SCN set: \(output)")
    #expect(ran.contains(binary), "\(script) did not run $SCN's \(binary): \(output)")
    #expect(status != 0)  // the stand-in fails, and the script stops there
  }

  /// Each script says so in its header.
  @Test(arguments: ["Benchmarks/sampler/sample_end_to_end.sh", "Benchmarks/meshes/run.sh"])
  func theHeaderDocumentsTheOverride(script: String) throws {
    let text = try String(contentsOf: Self.repository.appendingPathComponent(script), encoding: .utf8)
    let header = text.split(separator: "\n").prefix { $0.hasPrefix("#") }.joined(separator: "\n")
    #expect(header.contains("SCN="), "\(header)")
  }
}
