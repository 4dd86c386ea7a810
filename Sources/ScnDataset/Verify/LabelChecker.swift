import Foundation
import ScnEncoding

/// `verify --labels`: the labels must agree with each other. COCO boxes must equal their RLE
/// masks' extents and areas, each image's KITTI file must list the same objects with the same
/// boxes, and the record counts must match the manifest. Then `CrossModalChecker` compares
/// the annotations with the instance and semantic images and the LiDAR with the depth images.
struct LabelChecker {
  let store: FileStore
  /// The paths the manifest lists.
  let listed: Set<String>

  func check(manifest: JSONValue, into report: inout VerificationReport) {
    func problem(_ path: String, _ detail: String) {
      report.problems.append(VerificationProblem(kind: .label, path: path, detail: detail))
    }
    let files = (manifest["files"]?.arrayValue ?? []).compactMap { $0["path"]?.stringValue }
    let cocoPaths = files.filter { $0.hasPrefix("annotations/coco_") && $0.hasSuffix(".json") }
    var annotationTotal = 0
    var cameras: [CrossModalChecker.CameraLabels] = []
    for path in cocoPaths {
      guard listed.contains(path), let coco = try? store.readJSON(path) else {
        problem(path, "not readable as JSON")
        continue
      }
      let camera = String(path.dropFirst("annotations/coco_".count).dropLast(".json".count))
      cameras.append(CrossModalChecker.CameraLabels(camera: camera, cocoPath: path, coco: coco))
      let categories = Set((coco["categories"]?.arrayValue ?? []).compactMap { $0["id"]?.intValue })
      var byImage: [Int: [JSONValue]] = [:]
      for annotation in coco["annotations"]?.arrayValue ?? [] {
        annotationTotal += 1
        report.labelsChecked += 1
        let id = annotation["id"]?.intValue ?? -1
        if let category = annotation["category_id"]?.intValue, !categories.contains(category) {
          problem(path, "annotation \(id): unknown category \(category)")
        }
        byImage[annotation["image_id"]?.intValue ?? -1, default: []].append(annotation)
        checkMask(annotation, id: id, path: path, problem: problem)
      }
      for image in coco["images"]?.arrayValue ?? [] {
        guard let imageID = image["id"]?.intValue, let fileName = image["file_name"]?.stringValue else {
          problem(path, "an image lacks id or file_name")
          continue
        }
        let stem = LabelChecker.stem(of: fileName)
        let kittiPath = "annotations/kitti/\(camera)/\(stem).txt"
        checkKITTI(kittiPath, against: byImage[imageID] ?? [], problem: problem)
      }
    }
    checkSplitFiles(files, cameras: cameras, manifest: manifest, problem: problem)
    if let expected = manifest["counts"]?["annotations"]?.intValue, expected != annotationTotal {
      problem("manifest.json", "counts \(expected) annotations, the COCO files hold \(annotationTotal)")
    }
    if let expected = manifest["counts"]?["samples"]?.intValue, listed.contains("samples.jsonl"),
      let bytes = try? store.read("samples.jsonl")
    {
      let lines = bytes.split(separator: UInt8(ascii: "\n")).count
      if lines != expected { problem("samples.jsonl", "\(lines) records, the manifest counts \(expected) samples") }
    }
    CrossModalChecker(store: store, listed: listed).check(cameras, into: &report)
  }

  /// Each `annotations/splits/{split}/coco_{camera}.json` must hold exactly the records of the
  /// camera's whole file whose image is in that split, with the same ids and categories; and
  /// every split the identity names has one per camera.
  private func checkSplitFiles(
    _ files: [String], cameras: [CrossModalChecker.CameraLabels], manifest: JSONValue,
    problem: (String, String) -> Void
  ) {
    let prefix = "annotations/splits/"
    let splitPaths = files.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".json") }
    let splits = (manifest["identity"]?["splits"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
    for split in splits {
      for camera in cameras where !splitPaths.contains("\(prefix)\(split)/coco_\(camera.camera).json") {
        problem("\(prefix)\(split)/coco_\(camera.camera).json", "missing: split '\(split)' has no COCO file for camera \(camera.camera)")
      }
    }
    for path in splitPaths {
      let parts = path.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false)
      guard parts.count == 2, parts[1].hasPrefix("coco_"),
        let whole = cameras.first(where: { "coco_\($0.camera).json" == parts[1] })
      else {
        problem(path, "not a split COCO file of a camera (annotations/splits/{split}/coco_{camera}.json)")
        continue
      }
      let split = String(parts[0])
      guard listed.contains(path), let coco = try? store.readJSON(path) else {
        problem(path, "not readable as JSON")
        continue
      }
      let images = (whole.coco["images"]?.arrayValue ?? []).filter { $0["split"]?.stringValue == split }
      let ids = Set(images.compactMap { $0["id"]?.intValue })
      let annotations = (whole.coco["annotations"]?.arrayValue ?? []).filter {
        ids.contains($0["image_id"]?.intValue ?? -1)
      }
      let found = (images: coco["images"]?.arrayValue ?? [], annotations: coco["annotations"]?.arrayValue ?? [])
      if found.images != images {
        problem(path, "\(found.images.count) images; the split's images in \(whole.cocoPath) are \(images.count) (records must be equal)")
      }
      if found.annotations != annotations {
        problem(
          path,
          "\(found.annotations.count) annotations; the split's annotations in \(whole.cocoPath) are \(annotations.count) (records must be equal)")
      }
      if coco["categories"] != whole.coco["categories"] { problem(path, "categories differ from \(whole.cocoPath)") }
    }
  }

  /// `000003_0001` from `images/front/000003_0001.png`: the name every file of that frame shares.
  static func stem(of fileName: String) -> String {
    let last = fileName.split(separator: "/").last.map(String.init) ?? fileName
    return last.hasSuffix(".png") ? String(last.dropLast(".png".count)) : last
  }

  private func checkMask(_ annotation: JSONValue, id: Int, path: String, problem: (String, String) -> Void) {
    guard let box = annotation["bbox"]?.arrayValue?.compactMap(\.doubleValue), box.count == 4 else {
      problem(path, "annotation \(id): bbox is not four numbers")
      return
    }
    guard let segmentation = annotation["segmentation"] else { return }
    guard let size = segmentation["size"]?.arrayValue?.compactMap(\.intValue), size.count == 2,
      let counts = segmentation["counts"]?.stringValue,
      let mask = RunLengthMask(compressed: counts, width: size[1], height: size[0])
    else {
      problem(path, "annotation \(id): segmentation is not a readable RLE mask")
      return
    }
    guard let extent = mask.extent else {
      problem(path, "annotation \(id): mask is empty")
      return
    }
    if [extent.x, extent.y, extent.width, extent.height] != box {
      problem(
        path,
        "annotation \(id): bbox \(box) differs from the mask's extent \([extent.x, extent.y, extent.width, extent.height])"
      )
    }
    if let area = annotation["area"]?.doubleValue, area != Double(mask.area) {
      problem(path, "annotation \(id): area \(area) differs from the mask's \(mask.area) pixels")
    }
  }

  private func checkKITTI(_ path: String, against annotations: [JSONValue], problem: (String, String) -> Void) {
    // Only listed files are read (the name is built from a COCO `file_name`).
    guard listed.contains(path), let bytes = try? store.read(path) else {
      problem(path, "KITTI label file missing for a COCO image")
      return
    }
    let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
    guard lines.count == annotations.count else {
      problem(path, "\(lines.count) KITTI objects, COCO has \(annotations.count)")
      return
    }
    for (line, annotation) in zip(lines, annotations) {
      let fields = line.split(separator: " ")
      let box = annotation["bbox"]?.arrayValue?.compactMap(\.doubleValue) ?? []
      guard fields.count == 15, box.count == 4 else {
        problem(path, "malformed line '\(line)'")
        continue
      }
      let kitti = fields[4...7].compactMap { Double($0) }
      let coco = [box[0], box[1], box[0] + box[2], box[1] + box[3]]
      if kitti.count != 4 || zip(kitti, coco).contains(where: { abs($0 - $1) > 0.005 }) {
        problem(
          path,
          "KITTI box \(fields[4...7].joined(separator: " ")) differs from COCO annotation \(annotation["id"]?.intValue ?? -1)"
        )
      }
      if let className = annotation["class"]?.stringValue, String(fields[0]) != KITTILabel.typeName(className) {
        problem(path, "KITTI type \(fields[0]) differs from COCO class \(className)")
      }
    }
  }
}
