import CDevelop

/// The instruction-set level the C kernels (CDevelop, CTrace, CShade, CMesh) may use
/// (docs/architecture.md, "CPU paths"): the best the processor has, capped by the environment
/// variable `SCN_CPU_PATH`. Every level gives the same bytes; the cap exists to prove that
/// and to measure what each level buys. The parsing and the choice are CDevelop's
/// (`cdevelop_cpu_cap`, `cdevelop_cpu_level`), the one place every kernel reads.
public enum CPUPath: Int, CaseIterable, Sendable, Comparable, CustomStringConvertible {
  case portable = 0, sse = 1, avx2 = 2, avx512 = 3

  /// The environment variable that caps the level.
  public static let environmentVariable = "SCN_CPU_PATH"

  /// The values `SCN_CPU_PATH` accepts, in the order a diagnostic lists them.
  public static let acceptedValues = ["auto", "portable", "sse", "avx2", "avx512"]

  public var description: String {
    switch self {
    case .portable: "portable"
    case .sse: "sse"
    case .avx2: "avx2"
    case .avx512: "avx512"
    }
  }

  public static func < (a: CPUPath, b: CPUPath) -> Bool { a.rawValue < b.rawValue }

  /// The cap a value of `SCN_CPU_PATH` names (`nil`, empty and "auto": no cap, `.avx512`), or
  /// `nil` when the value is not one of `acceptedValues`.
  public static func cap(named value: String?) -> CPUPath? {
    let level = value.map { cdevelop_cpu_cap($0) } ?? cdevelop_cpu_cap(nil)
    return CPUPath(rawValue: Int(level))
  }

  /// The best level this processor has, whatever `SCN_CPU_PATH` says.
  public static var processorBest: CPUPath { CPUPath(rawValue: Int(cdevelop_cpu_processor())) ?? .portable }

  /// The level the kernels run at in this process (read from the environment once).
  public static var inEffect: CPUPath { CPUPath(rawValue: Int(cdevelop_cpu_level())) ?? .portable }
}
