import ScnRuntime
import ScnSource
import Testing

/// Simulation errors name and point at the actor or behavior step concerned, never the
/// scenario's first line.
@Suite struct SimulationErrorTests {
  /// The failure of sample 0 with the simulation on, and the line (1-based) it points at.
  func failure(_ source: String) throws -> (Diagnostic, line: Int) {
    let compiled = try SamplerSupport.compile(source)
    let program = try #require(compiled.program)
    let run = try Sampler(program: program, options: SimulationSupport.options(maxAttempts: 10)).run(start: 0, count: 1)
    let d = try #require(run.failure).diagnostic
    let file = try #require(compiled.sources[d.range.file])
    let line = file.bytes[0..<d.range.start].filter { $0 == UInt8(ascii: "\n") }.count + 1
    return (d, line)
  }

  @Test(arguments: ["Car", "Pedestrian"])
  func negativeStartingSpeedIsRejectedAtTheActor(_ type: String) throws {
    let source = """
      import std.vehicles
      import std.pedestrians
      scenario S {
          ego car = Car at (0m, 0m, 0m)
          let reversing = \(type) { speed: -3m/s } at (20m, 10m, 0m)
          simulate 1s at 10Hz
      }
      """
    let (d, line) = try failure(source)
    #expect(d.code.rawValue == "E0510")
    #expect(d.message.contains("actor 'reversing' has a negative starting speed (-3.0 m/s)"), "\(d.message)")
    #expect(line == 5)
  }

  @Test func zeroAndPositiveSpeedsStillRun() throws {
    let source = """
      import std.vehicles
      scenario S {
          ego car = Car { speed: 0m/s } at (0m, 0m, 0m)
          let other = Car { speed: 5m/s } at (20m, 10m, 0m)
          simulate 1s at 10Hz
      }
      """
    let (_, trace) = try SimulationSupport.trace(source)
    #expect(trace.frames.count == 11)
  }

  @Test func behaviorErrorPointsAtItsStep() throws {
    let source = """
      import std.pedestrians
      behavior Nap() {
          wait 1s
          wait uniform(1e308s, 1.5e308s) * 10
      }
      scenario S {
          ego p = Pedestrian at (0m, 0m, 0m) with behavior Nap()
          simulate 3s at 10Hz
      }
      """
    let (d, line) = try failure(source)
    #expect(d.code.rawValue == "E0509", "\(d.message)")
    #expect(line == 4)
  }

  /// A behavior that always runs itself again is a check-time error at the behavior
  /// (E0320), not a run that fails at some depth.
  @Test func runawayBehaviorIsACheckError() throws {
    let source = """
      import std.pedestrians
      behavior Spin() {
          either { wait 0s } or { wait 0s }
          do Spin()
      }
      scenario S {
          ego p = Pedestrian at (0m, 0m, 0m) with behavior Spin()
          simulate 1s at 10Hz
      }
      """
    #expect(throws: (any Error).self) { try SamplerSupport.compile(source) }
    do {
      _ = try SamplerSupport.compile(source)
    } catch {
      #expect("\(error)".contains("main.scn:2:10: error[E0320]"), "\(error)")
    }
  }

  /// Recursion under an `if` is allowed; one that nests too deep stops at the `do` (E0531).
  @Test func deepRecursionPointsAtTheDo() throws {
    let source = """
      import std.pedestrians
      behavior Down(n: Int) {
          if n > 0 {
              do Down(n - 1)
          }
      }
      scenario S {
          ego p = Pedestrian at (0m, 0m, 0m) with behavior Down(100)
          simulate 1s at 10Hz
      }
      """
    let (d, line) = try failure(source)
    #expect(d.code.rawValue == "E0531", "\(d.message)")
    #expect(d.message.contains("nested more than 64 deep"), "\(d.message)")
    #expect(line == 4, "\(d.message)")
  }
}
