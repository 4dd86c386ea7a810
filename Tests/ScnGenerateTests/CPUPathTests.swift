import Foundation
import ScnEncoding
import ScnSensors
import Testing

/// The same dataset whichever CPU path the C kernels run (docs/architecture.md, "CPU paths"):
/// `Tests/Fixtures/cpu_paths.scn` (mesh cars and people, drawn roads on the textured ground,
/// rain, a noisy camera with every output, a LiDAR) generated with `SCN_CPU_PATH` at each level
/// the processor has must give the portable run's `manifest.json`, which hashes every file.
/// A level this processor lacks is skipped, never passed: it would only run a lower level's
/// code again. Each kernel's own tests compare its paths on synthetic inputs; this one proves
/// that nothing else (a path-dependent choice in Swift, a kernel without such a test) moves a
/// byte end to end.
@Suite struct CPUPathTests {
  struct Run: Sendable {
    let status: Int32
    let stderr: String
    let manifestSHA256: String?
  }

  static let processor = CPUPath.processorBest

  static func generate(_ path: String) -> Run {
    let out = Paths.temporary("cpu-path-\(path)")
    defer { try? FileManager.default.removeItem(at: out) }
    let scenario = Paths.repository.appendingPathComponent("Tests/Fixtures/cpu_paths.scn").path
    do {
      let r = try SCNProcess.run(
        ["generate", scenario, "--count", "2", "--seed", "5", "--jobs", "2", "--out", out.path],
        environment: ["SCN_CPU_PATH": path])
      let manifest = try? Data(contentsOf: out.appendingPathComponent("manifest.json"))
      return Run(status: r.status, stderr: r.stderr, manifestSHA256: manifest.map { SHA256Hex.of([UInt8]($0)) })
    } catch {
      return Run(status: -1, stderr: "\(error)", manifestSHA256: nil)
    }
  }

  /// The reference, generated once for every test that compares with it.
  static let portable = generate("portable")

  static func expectSameAsPortable(_ path: CPUPath) {
    let reference = portable
    #expect(reference.status == 0, "\(reference.stderr)")
    #expect(reference.stderr.contains("(CPU path portable)"), "\(reference.stderr)")
    let run = generate(path.description)
    #expect(run.status == 0, "\(run.stderr)")
    // The level really in effect: what was asked for, since the processor has it.
    #expect(run.stderr.contains("(CPU path \(path))"), "\(run.stderr)")
    #expect(reference.manifestSHA256 != nil)
    #expect(
      run.manifestSHA256 == reference.manifestSHA256,
      "SCN_CPU_PATH=\(path) gives manifest \(run.manifestSHA256 ?? "none"), portable \(reference.manifestSHA256 ?? "none")")
  }

  @Test(.enabled(if: processor >= .sse, "the processor has no SSE (not x86-64)"))
  func sseGivesThePortableBytes() { Self.expectSameAsPortable(.sse) }

  @Test(.enabled(if: processor >= .avx2, "the processor has no AVX2"))
  func avx2GivesThePortableBytes() { Self.expectSameAsPortable(.avx2) }

  @Test(.enabled(if: processor >= .avx512, "the processor has no AVX-512 (F, DQ, VL)"))
  func avx512GivesThePortableBytes() { Self.expectSameAsPortable(.avx512) }

  /// A level above the processor's is capped to what it has.
  @Test(.enabled(if: processor < .avx512, "the processor has AVX-512: no level above it to cap"))
  func aLevelAboveTheProcessorsIsCapped() throws {
    let out = Paths.temporary("cpu-path-capped")
    defer { try? FileManager.default.removeItem(at: out) }
    let scenario = Paths.repository.appendingPathComponent("Tests/Fixtures/tiny_boxes.scn").path
    let r = try SCNProcess.run(
      ["generate", scenario, "--count", "1", "--out", out.path], environment: ["SCN_CPU_PATH": "avx512"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("(CPU path \(Self.processor))"), "\(r.stderr)")
  }

  /// An unknown value is refused by every command before it starts: exit status 1 and a
  /// diagnostic naming the variable, the value and the accepted values.
  @Test(arguments: ["AVX2", "avx-512", "sse4", " ", "neon"])
  func anUnknownValueIsRefused(value: String) throws {
    let out = Paths.temporary("cpu-path-refused")
    defer { try? FileManager.default.removeItem(at: out) }
    let scenario = Paths.repository.appendingPathComponent("Tests/Fixtures/tiny_boxes.scn").path
    for arguments in [["generate", scenario, "--count", "1", "--out", out.path], ["check", scenario]] {
      let r = try SCNProcess.run(arguments, environment: ["SCN_CPU_PATH": value])
      #expect(r.status == 1, "\(arguments[0]): \(r.stderr)")
      #expect(
        r.stderr.contains("SCN_CPU_PATH='\(value)' is not a CPU path; accepted values: auto, portable, sse, avx2, avx512"),
        "\(r.stderr)")
      let written = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
      #expect(written.isEmpty, "nothing is written: \(written)")
    }
  }

  /// A value's control characters are shown escaped, never sent to the terminal, and a long
  /// value is cut.
  @Test func anUnknownValueIsShownEscapedAndCut() throws {
    let scenario = Paths.repository.appendingPathComponent("Tests/Fixtures/tiny_boxes.scn").path
    let r = try SCNProcess.run(["check", scenario], environment: ["SCN_CPU_PATH": "avx2\u{1B}[31m\t"])
    #expect(r.status == 1)
    #expect(r.stderr.contains("SCN_CPU_PATH='avx2\\u{1b}[31m\\u{9}' is not a CPU path"), "\(r.stderr)")
    #expect(!r.stderr.unicodeScalars.contains("\u{1B}"))
    let long = String(repeating: "x", count: 500)
    let l = try SCNProcess.run(["check", scenario], environment: ["SCN_CPU_PATH": long])
    #expect(l.status == 1)
    #expect(l.stderr.contains("SCN_CPU_PATH='\(String(repeating: "x", count: 64))…' is not a CPU path"), "\(l.stderr)")
  }

  /// "auto" and an empty value mean no cap.
  @Test(arguments: ["auto", ""])
  func autoIsTheProcessorsBest(value: String) throws {
    let out = Paths.temporary("cpu-path-auto")
    defer { try? FileManager.default.removeItem(at: out) }
    let scenario = Paths.repository.appendingPathComponent("Tests/Fixtures/tiny_boxes.scn").path
    let r = try SCNProcess.run(["generate", scenario, "--count", "1", "--out", out.path], environment: ["SCN_CPU_PATH": value])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("(CPU path \(Self.processor))"), "\(r.stderr)")
  }
}
