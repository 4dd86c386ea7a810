import Foundation

/// Runs the built `scn` executable as a user would, capturing its exit status and output.
struct SCNResult {
  let status: Int32
  let stdout: String
  let stderr: String
}

enum SCNProcess {
  /// The `scn` binary next to the test runner (SwiftPM puts every product of a build in one
  /// folder), or `SCN_BINARY` when set.
  static var binary: URL {
    if let path = ProcessInfo.processInfo.environment["SCN_BINARY"] { return URL(fileURLWithPath: path) }
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    // On Linux the runner is `<bin>/scnPackageTests.xctest`; on macOS it sits inside a bundle.
    while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("scn").path), dir.path != "/" {
      dir = dir.deletingLastPathComponent()
    }
    return dir.appendingPathComponent("scn")
  }

  static func run(_ arguments: [String], stdin: String? = nil, in directory: URL? = nil) throws -> SCNResult {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    // Read both pipes at once before waiting, so a large output on either cannot fill its
    // pipe and block the child.
    let errReader = PipeReader(err.fileHandleForReading)
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = errReader.wait()
    process.waitUntilExit()
    return SCNResult(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}

/// A fresh temporary directory holding the given files.
func temporaryDirectory(files: [String: String]) throws -> URL {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scn-cli-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  for (name, text) in files {
    let url = dir.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
  }
  return dir
}

/// Reads a pipe to its end on its own thread.
final class PipeReader: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  private var data = Data()

  init(_ handle: FileHandle) {
    Thread.detachNewThread { [self] in
      data = handle.readDataToEndOfFile()
      done.signal()
    }
  }

  func wait() -> Data {
    done.wait()
    return data
  }
}
