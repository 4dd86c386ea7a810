import CDevelop
import CMesh
import CTrace
import Foundation
import Testing

@testable import ScnSensors

/// The cap on the C kernels' CPU path (docs/architecture.md, "CPU paths"): how a value of
/// `SCN_CPU_PATH` reads, and that every kernel's automatic choice is the one level CDevelop
/// finds, within what the processor has. (A whole dataset under each level is
/// ScnGenerateTests' `CPUPathTests`.)
@Suite struct CPUPathCapTests {
  @Test func valuesRead() {
    #expect(CPUPath.cap(named: nil) == .avx512)
    #expect(CPUPath.cap(named: "") == .avx512)
    #expect(CPUPath.cap(named: "auto") == .avx512)
    #expect(CPUPath.cap(named: "portable") == .portable)
    #expect(CPUPath.cap(named: "sse") == .sse)
    #expect(CPUPath.cap(named: "avx2") == .avx2)
    #expect(CPUPath.cap(named: "avx512") == .avx512)
    for bad in ["AVX2", "Auto", "avx", "avx-512", "avx512f", "sse2", " avx2", "avx2 ", "neon", "1"] {
      #expect(CPUPath.cap(named: bad) == nil, "\(bad)")
    }
    // Every accepted value reads, and every level has a name that reads back to it.
    for value in CPUPath.acceptedValues { #expect(CPUPath.cap(named: value) != nil, "\(value)") }
    for level in CPUPath.allCases { #expect(CPUPath.cap(named: level.description) == level) }
  }

  /// The level in effect is the processor's best capped by this process's `SCN_CPU_PATH`
  /// (an unknown value caps at portable), and each kernel's automatic choice follows it.
  @Test func everyKernelFollowsTheOneLevel() {
    let value = ProcessInfo.processInfo.environment[CPUPath.environmentVariable]
    let cap = CPUPath.cap(named: value) ?? .portable
    let level = CPUPath.inEffect
    #expect(level == min(cap, CPUPath.processorBest))
    let develop = cdevelop_resolve_path(Int32(CDEVELOP_PATH_AUTO))
    let trace = ctrace_resolve_path(Int32(CTRACE_PATH_AUTO))
    let mesh = cmesh_resolve_path(Int32(CMESH_PATH_AUTO))
    switch level {
    case .avx512:
      #expect(develop == CDEVELOP_PATH_AVX512 && trace == CTRACE_PATH_AVX512 && mesh == CMESH_PATH_AVX2)
    case .avx2:
      #expect(develop == CDEVELOP_PATH_AVX2 && trace == CTRACE_PATH_AVX2 && mesh == CMESH_PATH_AVX2)
    case .sse:
      #expect(develop == CDEVELOP_PATH_PORTABLE && trace == CTRACE_PATH_PORTABLE && mesh == CMESH_PATH_SSE)
    case .portable:
      #expect(develop == CDEVELOP_PATH_PORTABLE && trace == CTRACE_PATH_PORTABLE && mesh == CMESH_PATH_PORTABLE)
    }
  }

  /// A forced path (the kernels' own tests) is bounded by the processor only.
  @Test func forcedPathsFollowTheProcessor() {
    let best = CPUPath.processorBest
    #expect(cdevelop_resolve_path(Int32(CDEVELOP_PATH_AVX512)) == (best >= .avx512 ? CDEVELOP_PATH_AVX512 : CDEVELOP_PATH_PORTABLE))
    #expect(cdevelop_resolve_path(Int32(CDEVELOP_PATH_AVX2)) == (best >= .avx2 ? CDEVELOP_PATH_AVX2 : CDEVELOP_PATH_PORTABLE))
    #expect(cdevelop_resolve_path(Int32(CDEVELOP_PATH_PORTABLE)) == CDEVELOP_PATH_PORTABLE)
    #expect(cmesh_resolve_path(Int32(CMESH_PATH_AVX2)) == (best >= .avx2 ? CMESH_PATH_AVX2 : best >= .sse ? CMESH_PATH_SSE : CMESH_PATH_PORTABLE))
    #expect(cmesh_resolve_path(Int32(CMESH_PATH_SSE)) == (best >= .sse ? CMESH_PATH_SSE : CMESH_PATH_PORTABLE))
    #expect(cmesh_resolve_path(Int32(CMESH_PATH_PORTABLE)) == CMESH_PATH_PORTABLE)
    #if arch(x86_64)
    #expect(best >= .sse)
    #endif
  }
}
