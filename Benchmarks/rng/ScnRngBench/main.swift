import Foundation
import ScnRuntime

// Draws per second for the hot paths of the sampler. Each benchmark folds its draws into a
// checksum that is printed, so the optimiser cannot drop the work. Rates are per second of
// this thread's CPU time (the build machine is shared, so wall time mostly measures the
// neighbours); wall time is printed alongside.

func threadCPUSeconds() -> Double {
  var t = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
  return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func measure(_ name: String, draws: Int, _ body: (inout RandomStream) -> Double) {
  var stream = RandomStream(seed: 2026, sample: 0, attempt: 0, site: 1)
  var checksum = 0.0
  for _ in 0..<(draws / 10) { checksum += body(&stream) }  // warm-up
  let wallStart = DispatchTime.now().uptimeNanoseconds
  let cpuStart = threadCPUSeconds()
  for _ in 0..<draws { checksum += body(&stream) }
  let cpu = threadCPUSeconds() - cpuStart
  let wall = Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9
  let rate = Double(draws) / cpu
  let padded = name.padding(toLength: 32, withPad: " ", startingAt: 0)
  print(
    "\(padded) \(String(format: "%7.1f", rate / 1e6)) M draws/s  \(String(format: "%7.2f", 1e9 / rate)) ns/draw"
      + "  (wall \(String(format: "%6.2f", 1e9 * wall / Double(draws))) ns; checksum \(checksum))")
}

let count = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 20_000_000

do {
  let normal = try NormalDistribution(mean: 0, sd: 1)
  let body = try TruncatedNormalDistribution(mean: 0, sd: 1, lower: -1, upper: 2)
  let tail = try TruncatedNormalDistribution(mean: 0, sd: 1, lower: 5, upper: 6)
  let farTail = try TruncatedNormalDistribution(mean: 0, sd: 1, lower: 40, upper: 41)
  let uniformInt = try UniformIntDistribution(lower: 0, upper: 2)

  measure("nextUInt64", draws: count) { Double($0.nextUInt64() >> 11) }
  measure("nextDouble", draws: count) { $0.nextDouble() }
  measure("uniformInt 0...2", draws: count) { Double(uniformInt.sample(using: &$0)) }
  measure("normal(0, 1)", draws: count) { normal.sample(using: &$0) }
  measure("truncnormal [-1σ, 2σ]", draws: count) { body.sample(using: &$0) }
  measure("truncnormal [5σ, 6σ]", draws: count) { tail.sample(using: &$0) }
  measure("truncnormal [40σ, 41σ]", draws: count / 4) { farTail.sample(using: &$0) }
  measure("normal via Distributions.normal", draws: count) { (try? Distributions.normal(mean: 0, sd: 1, using: &$0)) ?? 0 }
} catch {
  print("benchmark setup failed: \(error)")
}
