import Foundation
import ScnSensors

/// `SCN_CPU_PATH` set to a value the C kernels do not know (docs/architecture.md, "CPU
/// paths"). The kernels themselves would cap such a value at the portable code; the driver
/// refuses it instead, before any kernel runs, so that a typo never goes unnoticed.
public struct CPUPathSettingError: Error, Sendable, CustomStringConvertible {
  public let value: String

  public var description: String {
    "\(CPUPath.environmentVariable)='\(Self.shown(value))' is not a CPU path; accepted values: "
      + CPUPath.acceptedValues.joined(separator: ", ")
      + " (unset or 'auto': the best the processor has)"
  }

  /// The value as the diagnostic shows it: control characters escaped (`\u{1b}`), so a
  /// value never drives the terminal, and at most 64 characters of it.
  static func shown(_ value: String) -> String {
    var out = ""
    for (i, s) in value.unicodeScalars.enumerated() {
      guard i < 64 else { return out + "…" }
      out += s.value < 0x20 || (0x7F...0x9F).contains(s.value) ? "\\u{\(String(s.value, radix: 16))}" : String(s)
    }
    return out
  }
}

/// Checks `SCN_CPU_PATH` and fixes the level the C kernels run at for this process (the
/// kernels read the variable once, so a check made before any work starts is the value
/// they use).
public func checkCPUPathSetting(environment: [String: String] = ProcessInfo.processInfo.environment) throws(CPUPathSettingError) {
  let value = environment[CPUPath.environmentVariable]
  guard CPUPath.cap(named: value) != nil else { throw CPUPathSettingError(value: value ?? "") }
  _ = CPUPath.inEffect
}

/// The level the C kernels run at in this process ("portable", "sse", "avx2", "avx512"):
/// `scn generate` names it in its closing line.
public var cpuPathInEffect: String { CPUPath.inEffect.description }
