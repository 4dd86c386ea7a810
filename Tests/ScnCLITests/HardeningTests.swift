import Foundation
import Testing

/// Inputs a hostile or careless user can give: deep operator chains, non-finite values,
/// impossible scenarios, sensor settings and sizes out of range. Each must end in a located
/// diagnostic and a normal exit (never a signal, never an allocation before the check).
@Suite struct HardeningTests {
  func run(_ args: [String], _ source: String) throws -> SCNResult {
    let dir = try temporaryDirectory(files: ["a.scn": source])
    defer { try? FileManager.default.removeItem(at: dir) }
    return try SCNProcess.run(args, in: dir)
  }

  /// `scenario S { param x = <expression> }`: a param, so that it is evaluated and printed.
  func scenario(_ expression: String) -> String {
    "scenario S {\n    param x = \(expression)\n}\n"
  }

  // MARK: Deep chains

  @Test(arguments: ["check", "ir", "sample", "fmt"])
  func millionTermChainIsADiagnosticNotACrash(_ command: String) throws {
    let chain = Array(repeating: "1", count: 1_000_000).joined(separator: " + ")
    let r = try run([command, "a.scn"], scenario(chain))
    #expect(r.status == 1, "\(command): status \(r.status)\n\(r.stderr.prefix(2000))")
    #expect(r.stderr.contains("E0110"), "\(r.stderr.prefix(2000))")
    #expect(r.stderr.contains("a.scn:2:"), "\(r.stderr.prefix(2000))")
  }

  /// Every left-to-right chain form counts towards the nesting limit.
  @Test(arguments: [
    Array(repeating: "true", count: 100_000).joined(separator: " and "),
    Array(repeating: "true", count: 100_000).joined(separator: " or "),
    Array(repeating: "1", count: 100_000).joined(separator: " * "),
    Array(repeating: "1", count: 100_000).joined(separator: " < "),
    String(repeating: "- ", count: 100_000) + "1",
    String(repeating: "not ", count: 100_000) + "true",
    "ego" + String(repeating: ".position", count: 100_000),
    "len" + "([1])" + String(repeating: "[0]", count: 100_000),
    "f" + String(repeating: "()", count: 100_000),
  ])
  func everyChainFormIsBounded(_ expression: String) throws {
    for command in ["check", "fmt"] {
      let r = try run([command, "a.scn"], scenario(expression))
      #expect(r.status == 1, "\(command) \(expression.prefix(40)): status \(r.status)\n\(r.stderr.prefix(1000))")
      #expect(r.stderr.contains("E0110"), "\(command) \(expression.prefix(40)): \(r.stderr.prefix(1000))")
    }
  }

  /// A chain just inside the limit is checked, lowered, sampled and formatted normally.
  @Test func chainInsideTheLimitWorks() throws {
    let chain = Array(repeating: "1", count: 200).joined(separator: " + ")
    let source = scenario(chain)
    #expect(try run(["check", "a.scn"], source).status == 0)
    #expect(try run(["ir", "a.scn"], source).status == 0)
    let sample = try run(["sample", "a.scn"], source)
    #expect(sample.status == 0, "\(sample.stderr)")
    #expect(sample.stdout.contains(#""x":200"#), "\(sample.stdout)")
    let fmt = try run(["fmt", "a.scn"], source)
    #expect(fmt.status == 0, "\(fmt.stderr)")
  }

  /// A list is wide, not deep: a million elements check and sample.
  @Test func millionElementListIsFine() throws {
    let list = "[" + Array(repeating: "1", count: 1_000_000).joined(separator: ", ") + "]"
    let r = try run(["sample", "a.scn"], scenario("len(\(list))"))
    #expect(r.status == 0, "\(r.stderr.prefix(2000))")
    #expect(r.stdout.contains(#""x":1000000"#))
  }

  /// Chains of constants, each a long expression, add up inside the checker (E0255).
  @Test func constantChainsAreBoundedInTheChecker() throws {
    let terms = Array(repeating: "1", count: 200).joined(separator: " + ")
    var lines = (0..<50).map { "const c\($0) = c\($0 + 1) + \(terms)" }
    lines.append("const c50 = 1")
    lines.append("scenario S {\n    param x = c0\n}")
    let r = try run(["check", "a.scn"], lines.joined(separator: "\n") + "\n")
    #expect(r.status == 1, "\(r.stderr.prefix(2000))")
    #expect(r.stderr.contains("error[E0255]: this expression, with the constants and functions it reads, nests more than 768 levels deep"),
            "\(r.stderr.prefix(2000))")
  }

  /// Calls of functions whose bodies are long expressions add up at runtime (E0505); just
  /// inside the bound they evaluate, on worker threads too.
  @Test(arguments: [(7, true), (50, false)])
  func functionCallChainsAreBoundedAtRuntime(_ count: Int, _ fits: Bool) throws {
    let terms = Array(repeating: "1", count: 240).joined(separator: " + ")
    var lines = (0..<count).map { "fn f\($0)(x: Int) -> Int = f\($0 + 1)(x) + \(terms)" }
    lines.append("fn f\(count)(x: Int) -> Int = x")
    lines.append("scenario S {\n    param y: Int = uniform_int(1, 3)\n    param x = \(terms) + f0(y)\n}")
    let r = try run(["sample", "a.scn", "--count", "2", "--jobs", "2"], lines.joined(separator: "\n") + "\n")
    if fits {
      #expect(r.status == 0, "\(r.stderr.prefix(2000))")
      #expect(r.stdout.contains(#""params":{"y":2,"x":1922}"#), "\(r.stdout.prefix(300))")
    } else {
      #expect(r.status == 1)
      #expect(r.stderr.contains("error[E0505]: calls nest expressions more than 2048 levels deep"), "\(r.stderr.prefix(2000))")
    }
  }

  // MARK: Non-finite values

  @Test func foldedOverflowIsACheckError() throws {
    let r = try run(["check", "a.scn"], scenario("1e308m * 10"))
    #expect(r.status == 1)
    #expect(r.stderr.contains("error[E0257]: this constant expression overflows: expected a finite value, found inf"), "\(r.stderr)")
    #expect(r.stderr.contains("a.scn:2:15"), "\(r.stderr)")
  }

  @Test func randomOverflowStopsAtTheExpression() throws {
    let source = "scenario S {\n    param big = uniform(1e308m, 1.5e308m)\n    param x = big * 10\n}\n"
    #expect(try run(["check", "a.scn"], source).status == 0)
    let r = try run(["sample", "a.scn"], source)
    #expect(r.status == 1)
    #expect(r.stderr.contains("error[E0509]: this expression's value is not finite (inf)"), "\(r.stderr)")
    #expect(r.stderr.contains("a.scn:3:15"), "\(r.stderr)")
    #expect(!r.stdout.contains("null"))
  }

  @Test func nonFiniteDrawStopsAtTheDraw() throws {
    let r = try run(["sample", "a.scn"], scenario("lognormal(1000, 1)"))
    #expect(r.status == 1)
    #expect(r.stderr.contains("error[E0509]"), "\(r.stderr)")
    #expect(r.stderr.contains("a.scn:2:15"), "\(r.stderr)")
  }

  @Test func nonFiniteCoverValueIsNotBucketed() throws {
    let source = "scenario S {\n    let big = uniform(1e308, 1.5e308)\n    cover c: big + big buckets [0.0, 1.0]\n}\n"
    let r = try run(["sample", "a.scn", "--coverage", "c.json"], source)
    #expect(r.status == 1)
    #expect(r.stderr.contains("error[E0509]"), "\(r.stderr)")
    #expect(r.stderr.contains("a.scn:3:14"), "\(r.stderr)")
  }

  @Test func nonFiniteParamOverrideIsRejected() throws {
    // `1e308km` is E0247 in source (its value in metres is not finite); so on the command line.
    let source = "scenario S {\n    param v: Length = 1m\n}\n"
    for value in ["1e308km", "1e400", "-1e308km"] {
      let r = try run(["sample", "a.scn", "--param", "v=\(value)"], source)
      #expect(r.status == 1, "\(value)")
      #expect(r.stderr.contains("E0507"), "\(value): \(r.stderr)")
      #expect(r.stderr.contains("out of range"), "\(value): \(r.stderr)")
    }
  }

  // MARK: Where runtime errors point

  @Test func impossibleScenarioPointsAtTheRequirement() throws {
    let source = """
      @dataset(name: "t", version: "0.1.0", license: "CC-BY-4.0")
      scenario S {
          let d = uniform(0m, 1m)
          require d > 0.9999m
      }

      """
    let r = try run(["sample", "a.scn", "--max-attempts", "20"], source)
    #expect(r.status == 1)
    #expect(r.stderr.contains("error[E0506]"), "\(r.stderr)")
    #expect(r.stderr.contains("most often 'd > 0.9999m' failed"), "\(r.stderr)")
    #expect(r.stderr.contains("a.scn:4:"), "\(r.stderr)")
  }

  @Test func overlapNamesBothActors() throws {
    let source = """
      @dataset(name: "t", version: "0.1.0", license: "CC-BY-4.0")
      scenario S {
          let first = Box at (0m, 0m, 0m)
          let second = Box at (uniform(0m, 0.1m), 0m, 0m)
      }

      """
    let r = try run(["sample", "a.scn", "--max-attempts", "20"], source)
    #expect(r.status == 1)
    #expect(r.stderr.contains("most often actors 'first' and 'second' overlapped (20 times)"), "\(r.stderr)")
    #expect(r.stderr.contains("a.scn:4:"), "\(r.stderr)")
    #expect(r.stderr.contains("'first' is defined here"), "\(r.stderr)")
  }

  // MARK: Sensor settings

  @Test(arguments: [
    ("Camera { mount: ego, resolution: (0, 0) }", "resolution must be between 1×1 and 16384×16384 pixels, found 0×0"),
    ("Camera { mount: ego, resolution: (-640, 480) }", "found -640×480"),
    ("Camera { mount: ego, resolution: (16385, 480) }", "found 16385×480"),
    ("Camera { mount: ego, fov: 0deg }", "fov must be greater than 0deg and at most 360deg, found 0deg"),
    // A pinhole of 180° up to 360° is E0631 (a fisheye may reach 360°: fisheye_lens.scn).
    ("Camera { mount: ego, fov: 400deg }", "found 400deg"),
    ("Camera { mount: ego, fov: 361deg }", "found 361deg"),
    ("Camera { mount: ego, rate: 0Hz }", "rate must be positive"),
    ("Lidar { mount: ego, channels: 5000000 }", "a LiDAR needs 1 to 1024 channels, found 5000000"),
    ("Lidar { mount: ego, channels: 0 }", "found 0"),
    ("Lidar { mount: ego, horizontal_resolution: 0.0001deg }", "more than 200000 firings per sweep"),
  ])
  func constantSensorSettingsAreCheckedWithALocation(_ sensor: String, _ message: String) throws {
    let source = "scenario S {\n    ego car = Box at (0m, 0m, 0m)\n    sensor s = \(sensor)\n}\n"
    let r = try run(["check", "a.scn"], source)
    #expect(r.status == 1, "\(sensor)")
    #expect(r.stderr.contains("error[E0258]"), "\(sensor): \(r.stderr)")
    #expect(r.stderr.contains(message), "\(sensor): \(r.stderr)")
    #expect(r.stderr.contains("a.scn:3:"), "\(sensor): \(r.stderr)")
  }

  @Test func drawnSensorSettingIsCheckedAtTheField() throws {
    // Beyond any lens (a drawn pinhole fov of 180°–360° is refused by generate's sensor plan).
    let source = "scenario S {\n    ego car = Box at (0m, 0m, 0m)\n    sensor s = Camera { mount: ego, fov: uniform(370deg, 380deg) }\n}\n"
    #expect(try run(["check", "a.scn"], source).status == 0)
    let r = try run(["sample", "a.scn"], source)
    #expect(r.status == 1)
    #expect(r.stderr.contains("error[E0511]: a camera's fov must be greater than 0deg and at most 360deg"), "\(r.stderr)")
    #expect(r.stderr.contains("a.scn:3:42"), "\(r.stderr)")
  }

  // MARK: Bounds before allocation

  @Test func nestedComprehensionsAreBoundedInAll() throws {
    let r = try run(["sample", "a.scn"], scenario("[[j for j in 0..<10000000] for i in 0..<10000000]"))
    #expect(r.status == 1)
    #expect(r.stderr.contains("error[E0505]"), "\(r.stderr)")
    #expect(r.stderr.contains("more than 20000000 elements in all"), "\(r.stderr)")
    #expect(r.stderr.contains("--limit elements=N"), "\(r.stderr)")
  }

  @Test func tenMillionActorsAreRefused() throws {
    let r = try run(["sample", "a.scn"], "scenario S {\n    allow overlap\n    let xs = [Box at (1m * i, 0m, 0m) for i in 0..<10000000]\n}\n")
    #expect(r.status == 1)
    #expect(r.stderr.contains("error[E0505]"), "\(r.stderr)")
    #expect(r.stderr.contains("more than 100000 actors and sensors"), "\(r.stderr)")
    #expect(r.stderr.contains("--limit actors=N"), "\(r.stderr)")
    #expect(r.stderr.contains("a.scn:3:"), "\(r.stderr)")
  }

  @Test func hugeEstimateIsRefusedUpFront() throws {
    let r = try run(["check", "a.scn", "--estimate", "1000000000000"], scenario("1m"))
    #expect(r.status != 0)
    #expect(r.stderr.contains("more than the limit of 10000000 samples"), "\(r.stderr)")
    #expect(r.stderr.contains("--limit samples=N"), "\(r.stderr)")
  }

  static let dataset = """
    @dataset(name: "t", version: "0.1.0", license: "CC-BY-4.0")
    @intended_use("Testing.")
    @out_of_scope("Everything else.")
    scenario S {
        ego car = Box at (0m, 0m, 0m)
        sensor cam = Camera { mount: car, resolution: (RES, RES) }
    }

    """

  @Test(arguments: ["generate", "card"])
  func hugeCountIsRefusedBeforeAllocating(_ command: String) throws {
    let dir = try temporaryDirectory(files: ["a.scn": Self.dataset.replacingOccurrences(of: "RES", with: "16")])
    defer { try? FileManager.default.removeItem(at: dir) }
    let args = command == "generate" ? ["generate", "a.scn", "--count", "1000000000000", "--out", "out"]
      : ["card", "a.scn", "--count", "1000000000000"]
    let r = try SCNProcess.run(args, in: dir)
    #expect(r.status != 0)
    #expect(r.stderr.contains("more than the limit of 10000000 per run"), "\(r.stderr)")
    #expect(r.stderr.contains("--shard"), "\(r.stderr)")
    #expect(r.stderr.contains("--limit samples=N"), "\(r.stderr)")
  }

  @Test func cameraMemoryTimesJobsIsBounded() throws {
    let dir = try temporaryDirectory(files: ["a.scn": Self.dataset.replacingOccurrences(of: "RES", with: "16384")])
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try SCNProcess.run(["generate", "a.scn", "--count", "1000", "--jobs", "1000", "--out", "out"], in: dir)
    #expect(r.status != 0)
    #expect(r.stderr.contains("rendering the cameras needs about 8.0 GiB per worker"), "\(r.stderr)")
    #expect(r.stderr.contains("the limit is"), "\(r.stderr)")
    #expect(r.stderr.contains("--limit memory="), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/manifest.json").path))
  }

  // MARK: Raising and lowering limits (`--limit`)

  /// Twelve boxes in a row: `--limit actors=` below the scene's 13 records refuses the
  /// sample at the construction, at or above it samples the same bytes as no limit.
  static let row = "scenario S {\n    allow overlap\n    let xs = [Box at (2m * i, 0m, 0m) for i in 0..<12]\n}\n"

  @Test func actorsLimitRefusesAtTheConstructionAndSaysHowToRaiseIt() throws {
    let r = try run(["sample", "a.scn", "--limit", "actors=5"], Self.row)
    #expect(r.status == 1)
    #expect(r.stderr.contains("more than 5 actors and sensors"), "\(r.stderr)")
    #expect(r.stderr.contains("--limit actors=N"), "\(r.stderr)")
    #expect(r.stderr.contains("a.scn:3:"), "\(r.stderr)")
  }

  @Test func limitsDoNotChangeTheSamples() throws {
    let plain = try run(["sample", "a.scn", "--count", "3"], Self.row)
    let raised = try run(
      ["sample", "a.scn", "--count", "3", "--limit", "actors=13", "--limit", "elements=1_000_000_000",
       "--limit", "memory=1TiB"], Self.row)
    #expect(plain.status == 0, "\(plain.stderr)")
    #expect(raised.status == 0, "\(raised.stderr)")
    #expect(!plain.stdout.isEmpty)
    #expect(plain.stdout == raised.stdout)
  }

  @Test func elementsLimitCountsARangeAlone() throws {
    let ok = try run(["sample", "a.scn"], scenario("len([i for i in 0..<uniform_int(1000, 1000)])"))
    #expect(ok.status == 0, "\(ok.stderr)")
    let r = try run(["sample", "a.scn", "--limit", "elements=999"], scenario("len([i for i in 0..<uniform_int(1000, 1000)])"))
    #expect(r.status == 1)
    #expect(r.stderr.contains("range 0..<1000 has more than 999 elements"), "\(r.stderr)")
    #expect(r.stderr.contains("--limit elements=N"), "\(r.stderr)")
  }

  @Test func stepsAndTraceLimitsAreNamed() throws {
    let source = "scenario S {\n    ego a = Box at (0m, 0m, 0m)\n    let b = Box at (5m, 0m, 0m)\n    simulate 10s at 10Hz\n}\n"
    let steps = try run(["sample", "a.scn", "--limit", "steps=50"], source)
    #expect(steps.status == 1)
    #expect(steps.stderr.contains("more than 50 steps"), "\(steps.stderr)")
    #expect(steps.stderr.contains("--limit steps=N"), "\(steps.stderr)")
    let trace = try run(["sample", "a.scn", "--limit", "trace=150"], source)
    #expect(trace.status == 1)
    #expect(trace.stderr.contains("101 steps × 2 actors is more than 150 actor states"), "\(trace.stderr)")
    #expect(trace.stderr.contains("--limit trace=N"), "\(trace.stderr)")
    let fine = try run(["sample", "a.scn", "--limit", "steps=100", "--limit", "trace=202"], source)
    #expect(fine.status == 0, "\(fine.stderr)")
  }

  @Test func samplesAndMemoryLimitsApplyToGenerate() throws {
    let dir = try temporaryDirectory(files: ["a.scn": Self.dataset.replacingOccurrences(of: "RES", with: "256")])
    defer { try? FileManager.default.removeItem(at: dir) }
    let count = try SCNProcess.run(["generate", "a.scn", "--count", "3", "--limit", "samples=2", "--out", "out"], in: dir)
    #expect(count.status != 0)
    #expect(count.stderr.contains("3 samples, more than the limit of 2 per run"), "\(count.stderr)")
    // 256 × 256 pixels × 32 bytes is 2 MiB per worker.
    let memory = try SCNProcess.run(["generate", "a.scn", "--count", "1", "--limit", "memory=1MiB", "--out", "out"], in: dir)
    #expect(memory.status != 0)
    #expect(memory.stderr.contains("set by --limit memory"), "\(memory.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/manifest.json").path))
    let estimate = try SCNProcess.run(["check", "a.scn", "--estimate", "3", "--limit", "samples=2"], in: dir)
    #expect(estimate.status != 0)
    #expect(estimate.stderr.contains("more than the limit of 2 samples"), "\(estimate.stderr)")
  }

  @Test(arguments: [
    ("bogus=3", "there is no limit named 'bogus'"),
    ("actors", "expected NAME=VALUE"),
    ("actors=0", "expected a whole number from 1"),
    ("actors=many", "expected a whole number from 1"),
    ("memory=-5GiB", "expected a number of bytes"),
    ("memory=lots", "expected a number of bytes"),
  ])
  func badLimitIsAUsageError(_ value: String, _ message: String) throws {
    let r = try run(["sample", "a.scn", "--limit", value], Self.row)
    #expect(r.status != 0 && r.status != 1)
    #expect(r.stderr.contains(message), "\(r.stderr)")
  }
}
