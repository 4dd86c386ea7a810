import ScnEncoding
import ScnDataset

/// What an evaluation needs from a dataset directory: one camera's COCO ground truth, the
/// samples' params, cover buckets and splits, the failure modes' buckets and the identity.
/// Read through an injected function so the module never touches the file system itself.
public struct EvalDataset: Sendable {
  public struct Image: Sendable {
    public var id: Int
    public var sample: Int
    public var frame: Int
    /// The image's path in the dataset (COCO `file_name`).
    public var fileName: String = ""
  }
  public struct Object: Sendable {
    public var image: Int
    public var category: Int
    public var box: (Double, Double, Double, Double)
    public var area: Double
    public var crowd: Bool
    /// Hidden fraction in [0, 1], when the dataset records it.
    public var occlusion: Double?
    /// Distance of the 3D box centre from the camera in metres, when known.
    public var distance: Double?
  }
  public struct Sample: Sendable {
    public var index: Int
    public var split: String
    /// Numeric params: value in the unit the scenario writes the param in (coverage.json's
    /// `parameters`), else in the unit samples.jsonl records (base units), with that unit.
    public var params: [(name: String, value: Double, unit: String)]
    public var cover: [(point: String, bucket: String)]
  }
  public struct Category: Sendable {
    public var id: Int
    public var name: String
  }

  public var camera: String
  /// Images in id order (the COCO file's order).
  public var images: [Image]
  public var objects: [Object]
  public var categories: [Category]
  /// Samples in index order; only those with an image of the camera.
  public var samples: [Sample]
  /// Cover points in the coverage file's order with their planned buckets.
  public var coverPoints: [(name: String, buckets: [String])]
  public var failureModes: [FailureMode]
  public var splits: [String]
  /// `identity_sha256` of the manifest: the dataset's identity.
  public var identityHash: String
  /// The IR hash of the scenario.
  public var irHash: String
  public var scenario: String

  /// Image index by COCO id.
  public func imageIndex(of id: Int) -> Int? {
    // Ids count from 1 in order (the writer's contract); fall back to a search otherwise.
    if id >= 1, id <= images.count, images[id - 1].id == id { return id - 1 }
    return images.firstIndex { $0.id == id }
  }

  /// Reads `manifest.json`, `coverage.json`, `samples.jsonl` and
  /// `annotations/coco_{camera}.json` through `read` (relative paths). Without a camera,
  /// the dataset must have exactly one COCO file, found through the manifest.
  public static func load(camera: String?, read: (String) throws -> [UInt8]) throws(EvalError) -> EvalDataset {
    func json(_ path: String) throws(EvalError) -> JSONValue {
      let bytes: [UInt8]
      do { bytes = try read(path) } catch { throw .dataset(path: path, reason: "cannot be read (\(error))") }
      do { return try JSONValue.parse(bytes: bytes) } catch { throw .dataset(path: path, reason: error.description) }
    }
    let manifest = try json("manifest.json")
    guard let identityHash = manifest["identity_sha256"]?.stringValue, let identity = manifest["identity"] else {
      throw .dataset(path: "manifest.json", reason: "no identity_sha256 or identity: not an scn dataset")
    }
    let cocoFiles = (manifest["files"]?.arrayValue ?? []).compactMap { $0["path"]?.stringValue }
      .filter { $0.hasPrefix("annotations/coco_") && $0.hasSuffix(".json") }
      .map { String($0.dropFirst("annotations/coco_".count).dropLast(".json".count)) }
    let chosen: String
    if let camera {
      guard cocoFiles.contains(camera) else {
        throw .dataset(
          path: "annotations/coco_\(camera).json",
          reason: "the dataset has no COCO file for camera '\(camera)' (cameras: \(cocoFiles.joined(separator: ", ")))")
      }
      chosen = camera
    } else {
      guard cocoFiles.count == 1, let only = cocoFiles.first else {
        throw .dataset(
          path: "annotations/",
          reason: cocoFiles.isEmpty
            ? "the dataset has no COCO file (no camera with boxes2d)"
            : "several cameras (\(cocoFiles.joined(separator: ", "))): choose one with --camera")
      }
      chosen = only
    }
    let cocoPath = "annotations/coco_\(chosen).json"
    let coco = try json(cocoPath)
    var images: [Image] = []
    var seenImages: Set<Int> = []
    for image in coco["images"]?.arrayValue ?? [] {
      guard let id = image["id"]?.intValue, let sample = image["sample"]?.intValue,
        let frame = image["frame"]?.intValue, seenImages.insert(id).inserted
      else { throw .dataset(path: cocoPath, reason: "an image without a unique id, sample and frame") }
      images.append(Image(id: id, sample: sample, frame: frame, fileName: image["file_name"]?.stringValue ?? ""))
    }
    var categories: [Category] = []
    for c in coco["categories"]?.arrayValue ?? [] {
      guard let id = c["id"]?.intValue else { throw .dataset(path: cocoPath, reason: "a category without an id") }
      categories.append(Category(id: id, name: c["name"]?.stringValue ?? String(id)))
    }
    categories.sort { $0.id < $1.id }
    var dataset = EvalDataset(
      camera: chosen, images: images, objects: [], categories: categories, samples: [], coverPoints: [],
      failureModes: [], splits: [], identityHash: identityHash, irHash: identity["ir_sha256"]?.stringValue ?? "",
      scenario: identity["scenario"]?.stringValue ?? "")
    for a in coco["annotations"]?.arrayValue ?? [] {
      guard let imageID = a["image_id"]?.intValue, let image = dataset.imageIndex(of: imageID),
        let category = a["category_id"]?.intValue,
        let b = a["bbox"]?.arrayValue?.compactMap(\.doubleValue), b.count == 4
      else { throw .dataset(path: cocoPath, reason: "an annotation without image_id, category_id or bbox") }
      var distance: Double?
      if let c = a["box_3d"]?["center"]?.arrayValue?.compactMap(\.doubleValue), c.count == 3 {
        distance = (c[0] * c[0] + c[1] * c[1] + c[2] * c[2]).squareRoot()
      }
      dataset.objects.append(
        Object(
          image: image, category: category, box: (b[0], b[1], b[2], b[3]), area: a["area"]?.doubleValue ?? b[2] * b[3],
          crowd: (a["iscrowd"]?.intValue ?? 0) != 0, occlusion: a["occlusion"]?.doubleValue, distance: distance))
    }
    let coverage = try json("coverage.json")
    dataset.coverPoints = (coverage["cover_points"]?.arrayValue ?? []).compactMap { p in
      guard let name = p["name"]?.stringValue else { return nil }
      // Planned buckets only: values no plan foresaw are slices too (`Slices`), but they are
      // not part of the scenario's identity that a gaps file is checked against.
      let planned = (p["buckets"]?.arrayValue ?? []).filter { $0["planned"] != .bool(false) }
      return (name, planned.compactMap { $0["bucket"]?.stringValue })
    }
    dataset.failureModes = (coverage["failure_modes"]?.arrayValue ?? []).compactMap { m in
      guard let id = m["id"]?.stringValue else { return nil }
      let covers = (m["covers"]?.arrayValue ?? []).compactMap { c -> FailureModeCover? in
        guard let point = c["point"]?.stringValue else { return nil }
        return FailureModeCover(point: point, buckets: (c["buckets"]?.arrayValue ?? []).compactMap(\.stringValue))
      }
      return FailureMode(id: id, text: m["text"]?.stringValue ?? "", covers: covers)
    }
    dataset.splits = (coverage["splits"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
    // The unit each param's literals use (`km/h`), when the dataset records it: param slices
    // are labelled in it.
    var displayUnits: [String: (symbol: String, scale: Double)] = [:]
    for p in coverage["parameters"]?.arrayValue ?? [] {
      guard let name = p["name"]?.stringValue, let symbol = p["unit"]?["symbol"]?.stringValue,
        let scale = p["unit"]?["scale"]?.doubleValue, scale > 0, scale.isFinite
      else { continue }
      displayUnits[name] = (symbol, scale)
    }
    let samplesBytes: [UInt8]
    do { samplesBytes = try read("samples.jsonl") } catch {
      throw .dataset(path: "samples.jsonl", reason: "cannot be read (\(error))")
    }
    let wanted = Set(images.map(\.sample))
    var lineNumber = 0
    for line in samplesBytes.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
      lineNumber += 1
      let record: JSONValue
      do { record = try JSONValue.parse(bytes: Array(line)) } catch {
        throw .dataset(path: "samples.jsonl", reason: "line \(lineNumber): \(error.description)")
      }
      guard let index = record["index"]?.intValue else {
        throw .dataset(path: "samples.jsonl", reason: "line \(lineNumber): no index")
      }
      guard wanted.contains(index) else { continue }
      var params: [(String, Double, String)] = []
      for (name, value) in record["params"]?.objectMembers ?? [] {
        if let x = value.doubleValue {
          params.append((name, x, ""))
        } else if let x = value["value"]?.doubleValue {
          if let shown = displayUnits[name] {
            params.append((name, x / shown.scale, shown.symbol))
          } else {
            params.append((name, x, value["unit"]?.stringValue ?? ""))
          }
        }
      }
      let cover = (record["cover"]?.objectMembers ?? []).compactMap { p, b in b.stringValue.map { (p, $0) } }
      dataset.samples.append(
        Sample(index: index, split: record["split"]?.stringValue ?? "", params: params, cover: cover))
    }
    dataset.samples.sort { $0.index < $1.index }
    return dataset
  }
}
