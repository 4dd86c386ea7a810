import ScnEncoding
import Foundation
import ScnDataset
import ScnTestSupport

/// A dataset directory holding only what `scn eval` reads (manifest, coverage, samples, one
/// COCO file), made from a seeded generator so every test sees the same boxes, plus
/// detections derived from its ground truth.
struct SyntheticDataset {
  struct Box {
    var image: Int
    var category: Int
    var box: [Double]
    var crowd: Bool
    var occlusion: Double
    var distance: Double
  }
  var samples: Int
  var framesPerSample: Int
  var objects: [Box] = []
  /// Per sample: `light` (lx) and its cover bucket, `speed` (m/s), split.
  var light: [Double] = []
  var speed: [Double] = []
  static let lightEdges: [Double] = [0, 5, 10, 20, 30]

  init(samples: Int, framesPerSample: Int = 2, objectsPerImage: ClosedRange<Int> = 1...6, seed: UInt64 = 1) {
    self.samples = samples
    self.framesPerSample = framesPerSample
    var rng = SplitMix64(seed)
    for _ in 0..<samples {
      light.append(rng.uniform(0, 30))
      speed.append(rng.uniform(8, 14))
    }
    for image in 0..<(samples * framesPerSample) {
      let n = Int(rng.uniform(Double(objectsPerImage.lowerBound), Double(objectsPerImage.upperBound) + 1))
      for _ in 0..<n {
        let w = rng.uniform(4, 180), h = rng.uniform(4, 160)
        objects.append(
          Box(
            image: image + 1, category: rng.uniform(0, 1) < 0.6 ? 2 : 3,
            box: [rng.uniform(0, 600).rounded(), rng.uniform(0, 400).rounded(), w.rounded() + 1, h.rounded() + 1],
            crowd: rng.uniform(0, 1) < 0.03, occlusion: rng.uniform(0, 1), distance: rng.uniform(2, 60)))
      }
    }
  }

  func lightBucket(_ x: Double) -> String {
    let e = Self.lightEdges
    if x < e[0] { return "< 0" }
    for i in 0..<(e.count - 1) where x < e[i + 1] { return "[\(Int(e[i])), \(Int(e[i + 1])))" }
    return ">= 30"
  }

  func sampleOf(image: Int) -> Int { (image - 1) / framesPerSample }

  /// Writes the four files; `identity` varies the dataset's identity hash.
  func write(to url: URL, identity: String = "synthetic") throws {
    let fm = FileManager.default
    try? fm.removeItem(at: url)
    try fm.createDirectory(at: url.appendingPathComponent("annotations"), withIntermediateDirectories: true)
    let images: [JSONValue] = (0..<(samples * framesPerSample)).map { i in
      .object([
        ("id", .integer(i + 1)), ("file_name", .string(String(format: "images/front/%06d_%04d.png", i / framesPerSample, i % framesPerSample))),
        ("width", .integer(800)), ("height", .integer(600)), ("sample", .integer(i / framesPerSample)),
        ("frame", .integer(i % framesPerSample)), ("split", .string(i / framesPerSample % 4 == 3 ? "val" : "train")),
      ])
    }
    let annotations: [JSONValue] = objects.enumerated().map { k, o in
      .object([
        ("id", .integer(k + 1)), ("image_id", .integer(o.image)), ("category_id", .integer(o.category)),
        ("bbox", .array(o.box.map(JSONValue.double))), ("area", .double(o.box[2] * o.box[3] * 0.8)),
        ("iscrowd", .integer(o.crowd ? 1 : 0)), ("occlusion", .double(o.occlusion)),
        ("box_3d", .object([("center", .array([.double(o.distance), .double(0), .double(0)]))])),
      ])
    }
    let coco: JSONValue = .object([
      ("images", .array(images)), ("annotations", .array(annotations)),
      ("categories", .array([
        .object([("id", .integer(2)), ("name", .string("person")), ("supercategory", .string("object"))]),
        .object([("id", .integer(3)), ("name", .string("car")), ("supercategory", .string("object"))]),
      ])),
    ])
    try Data(coco.compact.utf8).write(to: url.appendingPathComponent("annotations/coco_front.json"))
    let identityJSON: JSONValue = .object([
      ("scenario", .string("Synthetic")), ("ir_sha256", .string(String(repeating: "ab", count: 32))),
      ("name", .string(identity)),
    ])
    let manifest: JSONValue = .object([
      ("identity_sha256", .string(Self.sha(identityJSON.compact))), ("identity", identityJSON),
      ("files", .array([.object([("path", .string("annotations/coco_front.json"))])])),
    ])
    try Data(manifest.pretty.utf8).write(to: url.appendingPathComponent("manifest.json"))
    let buckets = ["< 0", "[0, 5)", "[5, 10)", "[10, 20)", "[20, 30)", ">= 30"]
    let coverage: JSONValue = .object([
      ("cover_points", .array([
        .object([("name", .string("lighting")), ("buckets", .array(buckets.map { .object([("bucket", .string($0))]) }))])
      ])),
      ("failure_modes", .array([
        .object([
          ("id", .string("FM-22")), ("text", .string("dark")),
          ("covers", .array([.object([("point", .string("lighting")), ("buckets", .array([.string("[0, 5)"), .string("[5, 10)")]))])])),
        ])
      ])),
      ("splits", .array([.object([("name", .string("train"))]), .object([("name", .string("val"))])])),
    ])
    try Data(coverage.pretty.utf8).write(to: url.appendingPathComponent("coverage.json"))
    var lines = ""
    for s in 0..<samples {
      let record: JSONValue = .object([
        ("index", .integer(s)), ("split", .string(s % 4 == 3 ? "val" : "train")),
        ("params", .object([
          ("light", .object([("value", .double(light[s])), ("unit", .string("lx"))])), ("speed", .double(speed[s])),
        ])),
        ("cover", .object([("lighting", .string(lightBucket(light[s])))])),
      ])
      lines += record.compact + "\n"
    }
    try Data(lines.utf8).write(to: url.appendingPathComponent("samples.jsonl"))
  }

  /// Detections: each object found with jittered box and score (missed with probability
  /// `miss`, or always when `drop` says so), plus false positives; a few scores tie.
  func detections(
    seed: UInt64 = 2, miss: Double = 0.15, jitter: Double = 0.12, drop: (Box) -> Bool = { _ in false }
  ) -> String {
    var rng = SplitMix64(seed)
    var records: [String] = []
    func record(_ image: Int, _ category: Int, _ b: [Double], _ score: Double) {
      records.append(
        "{\"image_id\":\(image),\"category_id\":\(category),\"bbox\":[\(b.map { JSONValue.double($0).compact }.joined(separator: ","))],\"score\":\(JSONValue.double(score).compact)}")
    }
    for o in objects {
      if drop(o) || rng.uniform(0, 1) < miss { continue }
      let j = { (x: Double) in x + rng.uniform(-jitter, jitter) * x }
      let score = rng.uniform(0, 1) < 0.1 ? 0.5 : (rng.uniform(0.05, 1) * 1000).rounded() / 1000
      let dx = rng.uniform(-jitter, jitter) * o.box[2], dy = rng.uniform(-jitter, jitter) * o.box[3]
      record(o.image, o.category, [o.box[0] + dx, o.box[1] + dy, j(o.box[2]), j(o.box[3])], score)
    }
    for image in 1...(samples * framesPerSample) where rng.uniform(0, 1) < 0.5 {
      record(image, rng.uniform(0, 1) < 0.5 ? 2 : 3, [rng.uniform(0, 600), rng.uniform(0, 400), rng.uniform(5, 100), rng.uniform(5, 100)], (rng.uniform(0, 0.6) * 1000).rounded() / 1000)
    }
    return "[" + records.joined(separator: ",\n") + "]\n"
  }

  static func sha(_ text: String) -> String {
    // Any stable function of the text will do for a test identity.
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return String(repeating: String(h, radix: 16), count: 4)
  }
}
