import Foundation
import Testing

/// Runs the built `scn` executable as a user would.
struct SCNResult {
  let status: Int32
  let stdout: String
  let stderr: String
}

enum SCNProcess {
  /// The `scn` binary next to the test runner, or `SCN_BINARY` when set.
  static var binary: URL {
    if let path = ProcessInfo.processInfo.environment["SCN_BINARY"] { return URL(fileURLWithPath: path) }
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("scn").path), dir.path != "/" {
      dir = dir.deletingLastPathComponent()
    }
    return dir.appendingPathComponent("scn")
  }

  static func environment(_ extra: [String: String]) -> [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    env["SOURCE_DATE_EPOCH"] = "1700000000"
    for key in [
      "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX",
      "SLURM_ARRAY_TASK_STEP", "JOB_COMPLETION_INDEX", "SCN_SHARDS",
    ] {
      env.removeValue(forKey: key)
    }
    env["SCN_STDLIB"] = Paths.repository.appendingPathComponent("StdLib").path
    for (k, v) in extra { env[k] = v }
    return env
  }

  static func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Process {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.environment = environment(extra)
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
  }

  static func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> SCNResult {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.environment = environment(extra)
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes before waiting so a large output cannot deadlock the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return SCNResult(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}

enum Paths {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func temporary(_ name: String) -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("scn-generate-\(name)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

/// A small scenario that renders in milliseconds: a robot, a target box, a crate, an 80 × 60
/// camera with every output and a 4-channel LiDAR.
enum Fixture {
  static let boxes = """
    @dataset(name: "generate-test", version: "0.1.0", license: "CC-BY-4.0")
    @description("Boxes in front of a small robot, for the tests of scn generate.")
    @intended_use("Testing the scn generate pipeline.")
    @out_of_scope("Training anything.")
    @owner("scn tests")
    scenario Boxes {
        @doc("Distance to the target box")
        param distance: Length = uniform(4m, 8m)
        ego robot = Box { size: (0.5m, 0.5m, 0.5m), class: "robot" } at (0m, 0m, 0m) facing 0deg
        let target = Box { size: (1m, 1m, 1m), class: "target", color: RED } at (distance, uniform(-1m, 1m), 0m) facing uniform(0deg, 90deg)
        let crate = Box { size: (0.8m, 0.8m, 1.5m), class: "crate" } at (distance + 2.5m, uniform(-2m, 2m), 0m) facing 0deg
        require visible(target, from: cam)
        sensor cam = Camera { mount: robot, offset: (0m, 0m, 1m), resolution: (80, 60), fov: 90deg,
                              outputs: [rgb, depth, instance, semantic, boxes2d, boxes3d] }
        sensor lidar = Lidar { mount: robot, offset: (0m, 0m, 1m), channels: 4, horizontal_resolution: 2deg, range: 30m }
        cover near: distance buckets [4m, 6m, 8m]
    }

    """

  /// Writes `text` as `name` in a fresh folder and returns the file's path.
  static func file(_ text: String = boxes, name: String = "boxes.scn") throws -> URL {
    let dir = Paths.temporary("src")
    let url = dir.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url
  }
}

/// Every regular file under `root` by relative path, with its bytes.
func snapshot(_ root: URL) throws -> [String: Data] {
  var files: [String: Data] = [:]
  let base = root.standardizedFileURL.path
  guard let walker = FileManager.default.enumerator(atPath: base) else { return files }
  while let relative = walker.nextObject() as? String {
    let path = base + "/" + relative
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
      files[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
    }
  }
  return files
}

/// The relative paths whose bytes differ (or exist on one side only).
func differences(_ a: [String: Data], _ b: [String: Data]) -> [String] {
  Set(a.keys).union(b.keys).sorted().filter { a[$0] != b[$0] }
}
