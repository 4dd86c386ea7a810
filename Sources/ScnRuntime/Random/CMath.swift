#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The only door to the C math library for the random core. Draws that pass through these
/// functions are bit-identical on one platform but may differ in the last bit across C
/// libraries (README.md, "Platform note"); keeping every call here means a future portable,
/// correctly rounded implementation replaces one file.
enum CMath {
  static func log(_ x: Double) -> Double { cLog(x) }
  static func log1p(_ x: Double) -> Double { cLog1p(x) }
  static func exp(_ x: Double) -> Double { cExp(x) }
  static func expm1(_ x: Double) -> Double { cExpm1(x) }
  static func erf(_ x: Double) -> Double { cErf(x) }
  static func erfc(_ x: Double) -> Double { cErfc(x) }
}

// At file scope the unqualified names are the C library's (inside `CMath` they would be its
// own members).
private func cLog(_ x: Double) -> Double { log(x) }
private func cLog1p(_ x: Double) -> Double { log1p(x) }
private func cExp(_ x: Double) -> Double { exp(x) }
private func cExpm1(_ x: Double) -> Double { expm1(x) }
private func cErf(_ x: Double) -> Double { erf(x) }
private func cErfc(_ x: Double) -> Double { erfc(x) }
