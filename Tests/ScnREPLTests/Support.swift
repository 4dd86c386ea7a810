import Foundation
import ScnDriver
import ScnREPL

enum Paths {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let stdlib = repository.appendingPathComponent("StdLib").path
}

/// The annotations `scn generate` requires, so the fixtures load without warnings.
let annotations = """
  @dataset(name: "repl-fixture", version: "0.1.0", license: "CC0-1.0")
  @intended_use("Testing the REPL.")
  @out_of_scope("Anything else.")
  """

/// Three scenarios: `Small` (the file's last, so the default) with a param of each kind and
/// a requirement, `Tiny`, and `Impossible`, which no attempt in a few hundred satisfies.
let fixture = """
  import std.warehouse

  \(annotations)
  scenario Tiny {
      param k: Int = uniform_int(1, 6)
  }

  \(annotations)
  scenario Impossible {
      param x: Length = uniform(0m, 1m)
      param y: Length = uniform(0m, 1m)
      require x - y > 0.999m
  }

  \(annotations)
  scenario Small {
      @doc("Aisle width: the requirement below cuts off the narrowest = 2.2m")
      param width: Length = uniform(2m, 4m)
      param n: Int = uniform_int(1, 3)
      param sky: Weather = one_of(clear, rain)
      param height: Length = 2m
      ego forklift = Forklift at (0m, 0m, 0m) facing 0deg
      let boxes = [Box at (3m * i + 4m, 0m, 0m) for i in 0..<n]
      require width > 2.2m
      environment { weather: sky }
      cover count: n
  }
  """

/// A folder with `files`, removed when the test's scope ends.
final class TemporaryFolder {
  let url: URL

  init(_ files: [String: String]) throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("scn-repl-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    for (name, text) in files { try write(name, text) }
  }

  func write(_ name: String, _ text: String) throws {
    try Data(text.utf8).write(to: url.appendingPathComponent(name))
  }

  func path(_ name: String) -> String { url.appendingPathComponent(name).path }

  deinit { try? FileManager.default.removeItem(at: url) }
}

/// A session on the fixture with few attempts (so `Impossible` fails fast).
func makeSession(seed: UInt64 = 0, folder: TemporaryFolder) -> REPLSession {
  var session = REPLSession(driver: Driver(stdlibRoot: Paths.stdlib), seed: seed, jobs: 2, maxAttempts: 200)
  _ = session.load(folder.path("small.scn"))
  return session
}

/// Runs several commands and returns the concatenated replies.
func run(_ session: inout REPLSession, _ commands: [String]) -> REPLReply {
  var all = REPLReply()
  for c in commands {
    let r = session.handle(c)
    all.output += r.output
    all.diagnostics += r.diagnostics
    all.quit = all.quit || r.quit
  }
  return all
}

/// The JSON object of each line.
func jsonLines(_ text: String) throws -> [[String: Any]] {
  try text.split(separator: "\n").map { line in
    try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
  }
}

/// `params.NAME.value` of a JSON Lines scene.
func paramValue(_ scene: [String: Any], _ name: String) -> Double? {
  let params = scene["params"] as? [String: Any]
  if let quantity = params?[name] as? [String: Any] { return quantity["value"] as? Double }
  return params?[name] as? Double
}
