import Crypto
import ScnDataset
import ScnEval
import ScnIR
import ScnRuntime
import ScnSource

/// `generate --focus gaps.json`: reads the gaps file of an evaluation (ScnEval checks that it
/// belongs to this scenario) and turns it into the sampler's focus, the card's "Focus"
/// section and the identity's record of the file.
enum GenerateFocus {
  struct Plan {
    var sampler: SamplerFocus
    var card: FocusDoc
    var source: SourceFileHash
  }

  static func plan(
    _ file: (name: String, bytes: [UInt8]), program: ProgramIR, options: SamplerOptions, sources: SourceManager
  ) throws(GenerateError) -> Plan {
    guard options.coverTargets.isEmpty else { throw .usage("--focus and --cover-target cannot be combined") }
    // The scenario's cover points and buckets, as the dataset's coverage.json lists them.
    let specs: [CoverSpec]
    do throws(RuntimeError) {
      specs = try Sampler(program: program, options: options).coverSpecs
    } catch {
      throw .input(sources, [error.diagnostic])
    }
    let focus: FocusPlan
    do {
      focus = try FocusPlan.read(
        file.bytes, irHash: program.hash, scenario: program.entry,
        coverPoints: specs.map { spec in (spec.name, spec.knownKeys.map { spec.label($0) }) })
    } catch {
      throw .scene("--focus \(file.name): \(error.description)")
    }
    let source = SourceFileHash(path: "focus/" + file.name, sha256: focus.gapsHash)
    return Plan(
      sampler: SamplerFocus(
        points: focus.points.map { SamplerFocus.Point(point: $0.point, buckets: $0.buckets) }, share: FocusPlan.share),
      card: FocusDoc(
        gapsPath: file.name, gapsHash: focus.gapsHash, evaluatedDataset: focus.evaluatedDataset,
        predictionsHash: focus.predictionsHash, metric: focus.metric, slices: focus.slices,
        points: focus.points.map { FocusDoc.Point(point: $0.point, buckets: $0.buckets, evaluatedShare: $0.evaluatedShare) },
        share: FocusPlan.share),
      source: source)
  }
}
