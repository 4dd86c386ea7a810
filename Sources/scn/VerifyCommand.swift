import ArgumentParser
import Foundation
import ScnDataset

struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Re-hash and re-check a generated dataset against its manifest.",
    discussion: """
      Names every missing, extra or changed file. With --labels it also checks that the labels agree with \
      each other: COCO boxes against their masks, KITTI against COCO, every COCO mask against the instance \
      image, the semantic image against the categories, and the LiDAR points against the depth and \
      instance images of the cameras that recorded at the same instant. Exit status 1 on any problem.
      """)

  @Argument(help: "The dataset directory (the --out of scn generate or scn merge).")
  var directory: String

  @Flag(help: "Also check that the labels agree with each other.")
  var labels = false

  func run() throws {
    try requireDirectory(directory)
    let report = DatasetVerifier.verify(directory: URL(fileURLWithPath: directory), labels: labels)
    for problem in report.problems { print(problem) }
    for note in report.notes { standardError("note: \(note)") }
    var summary = "\(report.filesChecked) files"
    if labels {
      summary += ", \(report.labelsChecked) labels, \(report.instanceImagesChecked) instance images"
      if report.partImagesChecked > 0 { summary += ", \(report.partImagesChecked) part images" }
      summary += ", \(report.depthPointsCompared) LiDAR points against depth"
      summary += " (\(report.depthPointsContradicting) contradicted, \(report.depthPointsHidden) hidden by parallax"
      if report.depthPointsBetweenPixels > 0 {
        summary += ", \(report.depthPointsBetweenPixels) on parts thinner than a pixel"
      }
      summary += "; \(report.lidarInstancesCompared) instance ids, \(report.lidarInstancesUnresolved) of them "
        + "unresolvable at the camera's pixels)"
    }
    summary += " checked"
    if report.isClean {
      standardError("verify: OK: \(summary)")
    } else {
      standardError("verify: \(report.problems.count) problem\(report.problems.count == 1 ? "" : "s"); \(summary)")
      throw ExitCode(1)
    }
  }
}

/// A path named on the command line must be an existing directory (exit 2 otherwise).
func requireDirectory(_ path: String) throws {
  var isDirectory: ObjCBool = false
  guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
    throw ValidationError("'\(path)' does not exist")
  }
  guard isDirectory.boolValue else { throw ValidationError("'\(path)' is not a directory") }
}
