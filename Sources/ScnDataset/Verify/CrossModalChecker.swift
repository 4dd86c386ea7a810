import Foundation
import ScnEncoding
import ScnGeometry

/// The part of `verify --labels` that decodes images: each camera image's instance and
/// semantic images against its COCO annotations, and each LiDAR sweep against the depth
/// (and instance) image of every camera that recorded at the same instant.
struct CrossModalChecker {
  /// One COCO file, already parsed by the box checks.
  struct CameraLabels: Sendable {
    var camera: String
    var cocoPath: String
    var coco: JSONValue
  }

  let store: FileStore
  /// Every path the manifest lists: only listed files are read.
  let listed: Set<String>

  private struct Lidar: Sendable {
    var name: String
    var tolerance: Double
  }

  private struct Item: Sendable {
    var labels: CameraLabels
    var image: JSONValue
    var annotations: [InstanceAgainstCOCO.Annotation]
    var maskDerived: Bool
    var categories: Set<Int>
    /// The calibration's outputs ask for a `parts` image.
    var wantsParts: Bool
  }

  private struct Outcome: Sendable {
    var problems: [(String, String)] = []
    var instanceImages = 0
    var partImages = 0
    var depthImages = 0
    var pairs = 0
    var pairsWithoutPose = 0
    var depthCompared = 0
    var depthContradicting = 0
    var depthHidden = 0
    var instancesCompared = 0
    var instancesUnresolved = 0
    var depthUnresolved = 0
  }

  func check(_ cameras: [CameraLabels], into report: inout VerificationReport) {
    func problem(_ path: String, _ detail: String) {
      report.problems.append(VerificationProblem(kind: .label, path: path, detail: detail))
    }
    // Calibrations are per sample (`calib/{sensor}/{sample:06}.json`): camera models by path,
    // the outputs a camera asked for and the LiDARs by sensor name.
    var models: [String: CalibratedCamera] = [:]
    var outputs: [String: String] = [:]
    var lidars: [Lidar] = []
    var lidarNames: Set<String> = []
    for path in listed.sorted(by: FileStore.pathOrder) where path.hasPrefix("calib/") && path.hasSuffix(".json") {
      guard let calib = try? store.readJSON(path), let name = calib["name"]?.stringValue else {
        problem(path, "not a readable calibration (JSON with a name)")
        continue
      }
      outputs[name] = calib["settings"]?["outputs"]?.stringValue
      switch calib["type"]?.stringValue {
      case "camera":
        do throws(CheckFailure) {
          models[path] = try CalibratedCamera(calibration: calib)
        } catch {
          problem(path, "cannot project LiDAR points into this camera: \(error)")
        }
      case "lidar":
        let noise = calib["settings"]?["noise_m"]?.stringValue.flatMap(Double.init) ?? 0
        guard lidarNames.insert(name).inserted else { continue }
        lidars.append(
          Lidar(name: name, tolerance: DepthTolerance.metres(rangeNoise: noise.isFinite ? max(0, noise) : 0)))
      default: continue
      }
    }
    let (poses, boxes) = readPoses(problem: problem)

    var items: [Item] = []
    for labels in cameras {
      let categories = Set((labels.coco["categories"]?.arrayValue ?? []).compactMap { $0["id"]?.intValue })
      var byImage: [Int: [InstanceAgainstCOCO.Annotation]] = [:]
      var anyMask = false
      for a in labels.coco["annotations"]?.arrayValue ?? [] {
        anyMask = anyMask || a["segmentation"] != nil
        byImage[a["image_id"]?.intValue ?? -1, default: []].append(
          InstanceAgainstCOCO.Annotation(
            id: a["id"]?.intValue ?? -1, instanceID: a["instance_id"]?.intValue, category: a["category_id"]?.intValue,
            segmentation: a["segmentation"]))
      }
      // The calibration says whether the camera asked for mask-derived 2D boxes; a dataset
      // written without that setting is judged by whether its annotations carry masks.
      let maskDerived = outputs[labels.camera].map { $0.split(separator: ",").contains("boxes2d") } ?? anyMask
      let wantsParts = outputs[labels.camera].map { $0.split(separator: ",").contains("parts") } ?? false
      for image in labels.coco["images"]?.arrayValue ?? [] {
        items.append(
          Item(
            labels: labels, image: image, annotations: byImage[image["id"]?.intValue ?? -1] ?? [],
            maskDerived: maskDerived, categories: categories, wantsParts: wantsParts))
      }
    }

    // The part-label ids the `parts/` images may hold (part_labels.json).
    var partIDs: Set<Int>?
    if listed.contains(PartLabelsFile.path) {
      if let json = try? store.readJSON(PartLabelsFile.path), let ids = PartLabelsFile.ids(json) {
        partIDs = ids
      } else {
        problem(PartLabelsFile.path, "not a part-label table ({\"part_labels\": [{\"id\": …, \"name\": …}, …]})")
      }
    }
    let frozenPartIDs = partIDs
    let work = items
    let frozenModels = models
    let frozenLidars = lidars
    let outcomes = OrderedParallelMap.map(count: work.count) { k in
      self.check(work[k], models: frozenModels, lidars: frozenLidars, poses: poses, boxes: boxes, partIDs: frozenPartIDs)
    }
    var total = Outcome()
    for outcome in outcomes {
      for (path, detail) in outcome.problems { problem(path, detail) }
      total.instanceImages += outcome.instanceImages
      total.partImages += outcome.partImages
      total.depthImages += outcome.depthImages
      total.pairs += outcome.pairs
      total.pairsWithoutPose += outcome.pairsWithoutPose
      total.depthCompared += outcome.depthCompared
      total.depthContradicting += outcome.depthContradicting
      total.depthHidden += outcome.depthHidden
      total.instancesCompared += outcome.instancesCompared
      total.instancesUnresolved += outcome.instancesUnresolved
      total.depthUnresolved += outcome.depthUnresolved
    }
    report.instanceImagesChecked += total.instanceImages
    report.partImagesChecked += total.partImages
    report.depthPointsCompared += total.depthCompared
    report.depthPointsContradicting += total.depthContradicting
    report.depthPointsHidden += total.depthHidden
    report.lidarInstancesCompared += total.instancesCompared
    report.lidarInstancesUnresolved += total.instancesUnresolved
    report.depthPointsBetweenPixels += total.depthUnresolved

    if total.instanceImages == 0 {
      report.notes.append("instance masks were not compared with instance images: no camera writes instance images")
    }
    let gap = "depth at LiDAR points was not compared with LiDAR ranges"
    if lidars.isEmpty {
      report.notes.append("\(gap): the dataset has no LiDAR")
    } else if total.depthImages == 0 {
      report.notes.append("\(gap): no camera writes depth images")
    } else if total.pairs == 0 {
      report.notes.append("\(gap): no frame has both a depth image and a LiDAR sweep")
    }
    if total.pairsWithoutPose > 0 {
      report.notes.append(
        "\(total.pairsWithoutPose) of \(total.pairs) camera/LiDAR frame pairs were not compared: "
          + "frames.jsonl lacks the camera's or the LiDAR's pose"
      )
    }
  }

  /// frames.jsonl as stem → sensor → pose (body → world), and stem → the instances' size
  /// boxes in the world (sizes from samples.jsonl).
  private func readPoses(
    problem: (String, String) -> Void
  ) -> (poses: [String: [String: Transform]], boxes: [String: InstanceBoxes]) {
    guard listed.contains("frames.jsonl"), let bytes = try? store.read("frames.jsonl") else { return ([:], [:]) }
    let sizes = listed.contains("samples.jsonl")
      ? (try? store.read("samples.jsonl")).map { InstanceBoxes.sizes(samplesJSONL: $0) } ?? [:] : [:]
    var poses: [String: [String: Transform]] = [:]
    var boxes: [String: InstanceBoxes] = [:]
    for (number, line) in bytes.split(separator: UInt8(ascii: "\n")).enumerated() {
      guard let frame = try? JSONValue.parse(bytes: Array(line)), let sample = frame["sample"]?.intValue,
        let index = frame["frame"]?.intValue
      else {
        problem("frames.jsonl", "line \(number + 1) is not a frame record")
        continue
      }
      var sensors: [String: Transform] = [:]
      for (name, pose) in frame["sensors"]?.objectMembers ?? [] {
        sensors[name] = Transform(datasetPose: pose)
      }
      let stem = SampleEncoder.stem(sample: sample, frame: index)
      poses[stem] = sensors
      boxes[stem] = InstanceBoxes(frame: frame, sizes: sizes[sample] ?? [:])
    }
    return (poses, boxes)
  }

  private func check(
    _ item: Item, models: [String: CalibratedCamera], lidars: [Lidar], poses: [String: [String: Transform]],
    boxes: [String: InstanceBoxes], partIDs: Set<Int>?
  ) -> Outcome {
    var outcome = Outcome()
    let camera = item.labels.camera
    guard let fileName = item.image["file_name"]?.stringValue, let width = item.image["width"]?.intValue,
      let height = item.image["height"]?.intValue, width > 0, height > 0
    else { return outcome }  // The box checks report an image without these.
    let stem = LabelChecker.stem(of: fileName)
    let instancePath = "instance/\(camera)/\(stem).png"
    let semanticPath = "semantic/\(camera)/\(stem).png"
    let depthPath = "depth/\(camera)/\(stem).png"

    func image(_ path: String, depth16: Bool, width: Int, height: Int) -> [UInt16]? {
      guard listed.contains(path), let bytes = try? store.read(path) else { return nil }
      do throws(PNGReadError) {
        let png = try PNGImage(decoding: bytes)
        guard png.isGray, !depth16 || png.layout == .gray16 else {
          outcome.problems.append(
            (path, "is \(png.layout.rawValue), expected \(depth16 ? "16-bit" : "8- or 16-bit") grey"))
          return nil
        }
        guard png.width == width, png.height == height else {
          outcome.problems.append((path, "is \(png.width)×\(png.height), expected \(width)×\(height)"))
          return nil
        }
        return png.samples
      } catch {
        outcome.problems.append((path, error.description))
        return nil
      }
    }

    let instance = image(instancePath, depth16: false, width: width, height: height)
    if let instance {
      outcome.instanceImages += 1
      let semantic = image(semanticPath, depth16: false, width: width, height: height)
      let checker = InstanceAgainstCOCO(
        cocoPath: item.labels.cocoPath, instancePath: instancePath, semanticPath: semanticPath, width: width,
        height: height, maskDerived: item.maskDerived, categories: item.categories)
      let unannotated = Set((item.image["unannotated_instance_ids"]?.arrayValue ?? []).compactMap(\.intValue))
      outcome.problems += checker.check(
        annotations: item.annotations, instance: instance, semantic: semantic, unannotated: unannotated)
    }

    let partsPath = "parts/\(camera)/\(stem).png"
    if listed.contains(partsPath) {
      if let parts = image(partsPath, depth16: true, width: width, height: height) {
        outcome.partImages += 1
        if let problem = PartImageCheck.check(parts: parts, instance: instance, ids: partIDs, width: width) {
          outcome.problems.append((partsPath, problem))
        }
      }
    } else if item.wantsParts {
      outcome.problems.append((partsPath, "missing: camera \(camera) writes parts images (its calibration's outputs)"))
    }

    guard listed.contains(depthPath) else { return outcome }
    outcome.depthImages += 1
    let sweeps = lidars.filter { listed.contains("lidar/\($0.name)/\(stem).ply") }
    guard !sweeps.isEmpty else { return outcome }
    let calibPath = "calib/\(camera)/\(stem.prefix(6)).json"
    guard let model = models[calibPath] else {
      outcome.problems.append((depthPath, "no calibration \(calibPath) to project LiDAR points with"))
      return outcome
    }
    guard model.width == width, model.height == height else {
      outcome.problems.append(
        (
          item.labels.cocoPath,
          "image \(fileName) is \(width)×\(height), \(calibPath) says \(model.width)×\(model.height)"
        ))
      return outcome
    }
    guard let depth = image(depthPath, depth16: true, width: width, height: height) else { return outcome }
    for lidar in sweeps {
      outcome.pairs += 1
      guard let cameraPose = poses[stem]?[camera], let lidarPose = poses[stem]?[lidar.name] else {
        outcome.pairsWithoutPose += 1
        continue
      }
      let plyPath = "lidar/\(lidar.name)/\(stem).ply"
      let points: PLYPoints
      do throws(CheckFailure) {
        guard let bytes = try? store.read(plyPath) else { continue }
        points = try PLYPoints(bytes)
      } catch {
        outcome.problems.append((plyPath, error.description))
        continue
      }
      let result = DepthComparison(
        points: points, lidarToCamera: cameraPose.inverse * lidarPose, camera: model, depth: depth,
        instance: instance, tolerance: lidar.tolerance, lidarToWorld: lidarPose, boxes: boxes[stem] ?? InstanceBoxes())
      outcome.depthCompared += result.compared
      outcome.depthContradicting += result.contradicting
      outcome.depthUnresolved += result.contradictingBetweenPixels
      outcome.depthHidden += result.hidden
      outcome.instancesCompared += result.instanceCompared
      outcome.instancesUnresolved += result.instanceAtContacts + result.instanceBetweenPixels
      let pair = "camera \(camera), LiDAR \(lidar.name), frame \(stem)"
      if DepthTolerance.isExcessive(
        result.contradicting, of: result.compared, share: DepthTolerance.maxContradictingShare)
      {
        var detail = "\(pair): the depth image lies beyond the LiDAR's surface for \(result.contradicting) of "
        detail += "\(result.compared) points (\(percent(result.contradicting, result.compared)); at most "
        detail += "\(percent(DepthTolerance.maxContradictingShare)) may, tolerance \(metres(lidar.tolerance)))"
        if let median = result.medianContradiction { detail += "; median LiDAR − image \(metres(median))" }
        if let w = result.worstContradiction {
          detail += "; worst at pixel (\(w.pixel.x), \(w.pixel.y)): LiDAR depth \(metres(w.lidar)), image "
          detail += w.imageLow == w.imageHigh ? metres(w.imageLow) : "\(metres(w.imageLow))…\(metres(w.imageHigh))"
        }
        outcome.problems.append((depthPath, detail))
      } else if DepthTolerance.isExcessive(result.hidden, of: result.compared, share: DepthTolerance.maxHiddenShare) {
        var detail = "\(pair): the depth image is nearer than the LiDAR's surface for \(result.hidden) of "
        detail += "\(result.compared) points (\(percent(result.hidden, result.compared)); parallax explains at most "
        detail += "\(percent(DepthTolerance.maxHiddenShare)))"
        if let median = result.medianHidden { detail += "; median LiDAR − image \(metres(median))" }
        outcome.problems.append((depthPath, detail))
      }
      if DepthTolerance.isExcessive(
        result.instanceMismatches, of: result.instanceCompared, share: DepthTolerance.maxInstanceMismatchShare)
      {
        var detail =
          "\(pair): \(result.instanceMismatches) of \(result.instanceCompared) LiDAR points whose depth agrees "
        detail +=
          "hit an instance absent from the 3×3 pixels around them, away from any contact between instances "
          + "(\(percent(result.instanceMismatches, result.instanceCompared)))"
        if let m = result.firstInstanceMismatch {
          detail += "; first at pixel (\(m.pixel.x), \(m.pixel.y)): LiDAR instance \(m.lidar), image \(m.image)"
        }
        outcome.problems.append((instancePath, detail))
      }
    }
    return outcome
  }

  private func percent(_ part: Int, _ whole: Int) -> String { percent(Double(part) / Double(max(whole, 1))) }
  private func percent(_ share: Double) -> String { String(format: "%.1f %%", share * 100) }
  private func metres(_ x: Double) -> String { String(format: "%.3f m", x) }
}
