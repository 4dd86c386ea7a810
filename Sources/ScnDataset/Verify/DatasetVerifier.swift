import Foundation
import ScnEncoding

/// One thing `verify` found wrong, with the dataset-relative path it concerns.
public struct VerificationProblem: Sendable, Equatable, CustomStringConvertible {
  public enum Kind: String, Sendable {
    case missing, extra, changed, unfinished, unreadable, label
  }
  public var kind: Kind
  public var path: String
  public var detail: String
  public var description: String { "\(kind.rawValue): \(path): \(detail)" }
}

/// The outcome of `DatasetVerifier.verify`.
public struct VerificationReport: Sendable, Equatable {
  public var problems: [VerificationProblem]
  public var filesChecked: Int
  public var labelsChecked: Int
  /// `--labels`: camera images whose instance (and semantic) image was compared with their COCO annotations.
  public var instanceImagesChecked = 0
  /// `--labels`: part-label images checked against `part_labels.json` and the instance image.
  public var partImagesChecked = 0
  /// `--labels`: LiDAR points compared with the depth image of a camera at the same instant;
  /// of them, those the image contradicts (it lies beyond the LiDAR's surface) and those it
  /// hides (something nearer, usually parallax between the sensors). See `DepthTolerance`.
  public var depthPointsCompared = 0
  public var depthPointsContradicting = 0
  public var depthPointsHidden = 0
  /// Points on a part of an instance thinner than the camera's pixel pitch, which no pixel
  /// centre around them hit (`DepthComparison.contradictingBetweenPixels`); not contradictions.
  public var depthPointsBetweenPixels = 0
  /// `--labels`: LiDAR points, among those whose depth agrees, whose instance id was looked
  /// up in the instance image.
  public var lidarInstancesCompared = 0
  /// Of those, the ones whose id the camera cannot resolve (a contact between instances or a
  /// sliver between pixel centres; `DepthComparison`), not counted as mismatches.
  public var lidarInstancesUnresolved = 0
  /// Checks that were skipped and why.
  public var notes: [String]
  /// No problems found (the CLI exits 0).
  public var isClean: Bool { problems.isEmpty }
}

/// Re-checks a dataset directory against its manifest and, optionally, its labels against each other.
public enum DatasetVerifier {
  public static func verify(directory: URL, labels: Bool = false) -> VerificationReport {
    let store = FileStore(root: directory)
    var report = VerificationReport(problems: [], filesChecked: 0, labelsChecked: 0, notes: [])
    func problem(_ kind: VerificationProblem.Kind, _ path: String, _ detail: String) {
      report.problems.append(VerificationProblem(kind: kind, path: path, detail: detail))
    }
    if store.exists(FileStore.workDirectory) {
      problem(
        .unfinished, FileStore.workDirectory,
        "work area of an unfinished run or shard; finish it with --resume or scn merge")
    }
    guard store.exists("manifest.json") else {
      problem(.missing, "manifest.json", "no manifest: the dataset was never finalised")
      return report
    }
    let manifest: JSONValue
    do {
      manifest = try store.readJSON("manifest.json")
    } catch {
      problem(.unreadable, "manifest.json", error.description)
      return report
    }
    var listed: Set<String> = ["manifest.json"]
    for item in manifest["files"]?.arrayValue ?? [] {
      guard let entry = try? FileEntry(json: item, in: "manifest.json") else {
        problem(.unreadable, "manifest.json", "a file entry lacks path, bytes or sha256")
        continue
      }
      listed.insert(entry.path)
      report.filesChecked += 1
      do {
        _ = try store.checkedURL(entry.path)
      } catch {
        if case .unsafePath(_, let reason) = error {
          problem(.unreadable, entry.path, "path leaves the dataset directory (\(reason))")
        } else {
          problem(.unreadable, entry.path, error.description)
        }
        continue
      }
      guard store.exists(entry.path), let bytes = try? store.read(entry.path) else {
        problem(.missing, entry.path, "listed in the manifest but absent")
        continue
      }
      if bytes.count != entry.bytes {
        problem(.changed, entry.path, "\(bytes.count) bytes, manifest says \(entry.bytes)")
      } else if SHA256Hex.of(bytes) != entry.sha256 {
        problem(.changed, entry.path, "sha256 differs from the manifest")
      }
    }
    for path in store.listFiles(skipping: [FileStore.workDirectory]) where !listed.contains(path) {
      problem(.extra, path, "not listed in the manifest")
    }
    if labels {
      let checker = LabelChecker(store: store, listed: listed)
      checker.check(manifest: manifest, into: &report)
    }
    return report
  }
}
