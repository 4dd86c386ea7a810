import Foundation
import Testing

/// The project's third-party reader check (`Tests/Readers/check_dataset.py`: Pillow,
/// pycocotools with COCOeval, plyfile, mlcroissant, PyYAML, the OpenLineage client, pinned in
/// `Tests/Readers/requirements.txt`) run on a dataset, with the Python named by `SCN_PYTHON`
/// (scripts/test sets it). The test suites that use it enable those tests only when it is
/// set (`.enabled(if: Readers.python != nil, Readers.skipReason)`), so they are reported as
/// skipped, never as passed, without it. A library of the tests only (Package.swift).
public enum Readers {
  public static let python = ProcessInfo.processInfo.environment["SCN_PYTHON"]
  public static let skipReason: Comment = "set SCN_PYTHON to a Python with Tests/Readers/requirements.txt (scripts/test does)"
  /// `Tests/Readers/check_dataset.py`.
  public static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Readers/check_dataset.py")

  /// Runs the check on `dataset`: its exit status and its combined output (one `PASS`/`FAIL`
  /// line per check).
  public static func check(_ dataset: URL) throws -> (status: Int32, output: String) {
    try runProcess(URL(fileURLWithPath: python ?? ""), [script.path, dataset.path])
  }
}

/// Runs `executable` with `arguments` (and `environment`, else this process's) to its end:
/// its exit status and its standard output and error, combined.
public func runProcess(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil) throws
  -> (status: Int32, output: String)
{
  let process = Process()
  process.executableURL = executable
  process.arguments = arguments
  if let environment { process.environment = environment }
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = pipe
  try process.run()
  let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  return (process.terminationStatus, output)
}
