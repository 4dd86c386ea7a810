// `scn eval`'s library path (EvalDataset.load + Evaluation.run) on a dataset folder and a
// predictions file, timed: what Benchmarks/eval/run.sh measures in a release build.
// Usage: ScnEvalBench DATASET PREDICTIONS
import Foundation
import ScnEval

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
  FileHandle.standardError.write(Data("usage: ScnEvalBench DATASET PREDICTIONS\n".utf8))
  exit(2)
}
let root = URL(fileURLWithPath: arguments[1])
let clock = ContinuousClock()
let start = clock.now
do {
  let predictions = Array(try Data(contentsOf: URL(fileURLWithPath: arguments[2])))
  let dataset = try EvalDataset.load(camera: nil) { Array(try Data(contentsOf: root.appendingPathComponent($0))) }
  let loaded = clock.now
  let output = try Evaluation.run(
    dataset: dataset, predictions: predictions, predictionsPath: "predictions.json", options: EvalOptions(),
    timestamp: 1_700_000_000)
  let done = clock.now
  print("frames \(dataset.images.count), objects \(dataset.objects.count), eval.json \(output.evalJSON.utf8.count) bytes")
  print("load dataset \(loaded - start), evaluate (read predictions, match, slices, bootstrap, write) \(done - loaded), total \(done - start)")
} catch {
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  exit(1)
}
