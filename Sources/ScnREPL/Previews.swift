import Foundation
import ScnDriver
import ScnIR
import ScnRuntime
import ScnSource

extension REPLSession {
  /// `:render CAMERA [FILE.png]`: the current sample (the last one `:sample` printed, else
  /// sample 0) from a camera, as `scn generate` renders the camera's first frame (no noise).
  func renderCamera(_ arguments: String, _ command: CommandInfo) -> REPLReply {
    let words = arguments.split(whereSeparator: \.isWhitespace).map(String.init)
    guard let camera = words.first, words.count <= 2 else { return usage(command) }
    guard let sampling else { return noSampler() }
    let index = nextSample == 0 ? 0 : nextSample - 1
    let file = words.count == 2 ? words[1] : "\(camera)-\(index).png"
    guard file.hasSuffix(".png") else {
      return .error(.badArguments, "':render \(arguments)': the image file must end in .png, got '\(file)'")
    }
    let run = sampling.sampler.run(start: index, count: 1)
    if let failure = run.failure { return explainFailure(failure, in: sampling) }
    guard let scene = run.scenes.first else { return .error(.badArguments, "sample \(index) produced no scene") }
    let png: [UInt8]
    do throws(GenerateError) {
      png = try sampling.renderPNG(scene, camera: camera, threads: jobs)
    } catch {
      return .error(.badArguments, error.description)
    }
    do { try driver.fileSystem.writeFile(file, png) } catch { return .error(.unreadableFile, "\(error)") }
    return REPLReply(output: "sample \(index) from \(camera): \(file) (\(png.count) bytes)\n")
  }

  /// `:card [N]`: the dataset card `scn generate` would write with this scenario, seed and
  /// overrides, measured on N sampled scenes (`scn card`).
  func card(_ arguments: String) -> REPLReply {
    let n: Int
    switch optionalCount(arguments, "card", counting: "scene", fallback: 100, limit: 100_000) {
    case .failure(let reply): return reply
    case .success(let value): n = value
    }
    guard sampling != nil, let path else { return noSampler() }
    // `previewCard` writes into a temporary folder of its own.
    var request = GenerateRequest(path: path, count: n, output: URL(fileURLWithPath: "/"))
    request.scenario = scenario
    request.seed = seed
    request.params = overrides.map(\.argument)
    request.maxAttempts = maxAttempts
    request.limits = limits
    request.jobs = jobs
    do throws(GenerateError) {
      return REPLReply(output: try driver.previewCard(request).card)
    } catch {
      if case .input(let sources, let diagnostics) = error { return render(diagnostics, sources: sources) }
      return .error(.badArguments, error.description)
    }
  }

  /// `:ir`: the program as `scn ir` prints it: its hash, then the canonical text.
  func printIR() -> REPLReply {
    guard let sampling else { return noSampler() }
    return REPLReply(output: "ir-hash: \(sampling.program.hash)\n" + IRPrinter.print(sampling.program))
  }

  /// `:cover [N]`: per cover point, how samples `0 ..< N` fill its buckets.
  func cover(_ arguments: String) -> REPLReply {
    let n: Int
    switch optionalCount(arguments, "cover", counting: "sample", fallback: 1000) {
    case .failure(let reply): return reply
    case .success(let value): n = value
    }
    guard let sampling else { return noSampler() }
    guard !sampling.sampler.coverSpecs.isEmpty else {
      return REPLReply(output: "scenario \(currentScenarioName ?? "") declares no cover point\n")
    }
    let run = sampling.sampler.run(start: 0, count: n, jobs: jobs)
    var report = CoverageReport(specs: sampling.sampler.coverSpecs)
    for scene in run.scenes { report.record(scene) }
    var reply = REPLReply(output: report.table())
    if let failure = run.failure { reply.append(explainFailure(failure, in: sampling)) }
    return reply
  }
}
