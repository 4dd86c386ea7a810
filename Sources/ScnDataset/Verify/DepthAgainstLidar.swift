import ScnGeometry

/// How far a depth image and a LiDAR sweep of the same instant may disagree, and why.
///
/// The depth image stores, per pixel, the distance along the camera's viewing axis (its z
/// depth, not the ray length) of the surface hit through the pixel centre, in millimetres
/// rounded to the nearest, 0 for no hit and 65535 for 65.535 m or more. A LiDAR return at
/// range r is the true range plus Gaussian noise of the calibrated σ along the beam, so its
/// z depth in the camera is off by at most |noise| (the beam is never steeper than the
/// axis). A return lies between pixel centres, and on a smooth surface its depth lies
/// between the depths of the pixel centres around it; so a point *agrees* when its depth is
/// within `tolerance` of the range [min, max] of the valid depths in its 3×3 neighbourhood
/// (which also accepts every point one of whose nine pixels is within tolerance).
///
/// A point that does not agree is one of two kinds:
/// - *contradicting*: the image is farther than the LiDAR's surface at all nine pixels. The
///   camera would have seen through a surface the LiDAR hit; no viewpoint explains that, only
///   noise beyond 4σ and object edges do (at most 0.04 % of the points of any frame of a
///   780-frame urban_night_crossing dataset). More than `maxContradictingShare` is a problem.
/// - *hidden*: the image is nearer at all nine pixels. Something between the camera and the
///   LiDAR's surface hides it: the parallax between two sensors a few decimetres apart
///   (a roof LiDAR sees over a pedestrian the bumper camera sees), up to 6.5 % of a frame
///   there, and more when an obstacle is right in front of the lens. Only a majority of
///   hidden points (`maxHiddenShare`) is a problem: what a depth image shifted towards the
///   camera gives.
/// Both need at least `minDisagreeing` points, so a frame with a handful of returns cannot
/// fail on one edge.
enum DepthTolerance {
  /// Standard deviations of LiDAR range noise accepted: a false alarm rate of 3·10⁻⁵ per point.
  static let noiseSigmas = 4.0
  /// Half a millimetre of depth quantisation.
  static let quantisation = 0.0005
  /// Single-precision PLY coordinates and pose text round-trips: far below a millimetre.
  static let numericSlack = 0.001
  static let maxContradictingShare = 0.01
  static let maxHiddenShare = 0.5
  /// LiDAR instance ids looked up where the depth agrees: the camera sees the LiDAR's surface
  /// there, so the id must be among the nine pixels' unless both images are wrong.
  static let maxInstanceMismatchShare = 0.01
  static let minDisagreeing = 3

  /// The per-point tolerance in metres for a LiDAR with range noise σ (metres).
  static func metres(rangeNoise sigma: Double) -> Double { noiseSigmas * sigma + quantisation + numericSlack }

  static func isExcessive(_ count: Int, of compared: Int, share: Double) -> Bool {
    count >= minDisagreeing && Double(count) > share * Double(compared)
  }
}

/// The outcome of comparing one LiDAR sweep with one camera's depth (and instance) image.
struct DepthComparison: Sendable {
  /// One disagreeing point, for the message.
  struct Example: Sendable {
    var pixel: (x: Int, y: Int)
    var lidar: Double
    var imageLow: Double
    var imageHigh: Double
  }

  var compared = 0
  /// The image is farther than the LiDAR's surface: impossible beyond noise and edges.
  var contradicting = 0
  /// The image is nearer: the surface is hidden from the camera (parallax) or the image is wrong.
  var hidden = 0
  /// The contradicting point farthest outside its neighbourhood's range.
  var worstContradiction: Example?
  /// The median of (LiDAR depth − nearest image depth) over the contradicting points, and
  /// over the hidden ones: about −2 m and +2 m for a depth image shifted by ±2 m.
  var medianContradiction: Double?
  var medianHidden: Double?
  /// Points whose depth agrees and whose LiDAR instance id was looked up in the instance image.
  var instanceCompared = 0
  var instanceMismatches = 0
  var firstInstanceMismatch: (pixel: (x: Int, y: Int), lidar: UInt32, image: UInt16)?

  /// Projects every point (`lidarToCamera` maps the LiDAR frame to the camera body frame)
  /// and compares it with `depth` (16-bit millimetres) and, where the depth agrees and both
  /// are given, its instance id with the ids in the same 3×3 neighbourhood of `instance`.
  /// Points behind the camera, outside the image, beyond the encoding's range or on a no-hit
  /// pixel are skipped. The images must be `camera.width × camera.height` (the caller checks).
  init(
    points: PLYPoints, lidarToCamera: Transform, camera: CalibratedCamera, depth: [UInt16],
    instance: [UInt16]?, tolerance: Double
  ) {
    let width = camera.width
    let height = camera.height
    let saturated = UInt16.max
    let farthest = (Double(saturated) - 0.5) / 1000
    var worstExcess = 0.0
    var contradictions: [Double] = []
    var hiddenOffsets: [Double] = []
    for (k, p) in points.positions.enumerated() {
      guard p.x.isFinite, p.y.isFinite, p.z.isFinite else { continue }
      let body = lidarToCamera.apply(toPoint: p)
      guard let (u, v) = camera.pixel(ofBody: body), u >= 0, v >= 0, u < Double(width), v < Double(height) else {
        continue
      }
      let z = body.x
      guard z + tolerance < farthest else { continue }
      let i = min(width - 1, Int(u))
      let j = min(height - 1, Int(v))
      let centre = depth[j * width + i]
      guard centre != 0, centre != saturated else { continue }
      var low = UInt16.max
      var high = UInt16.min
      for y in max(0, j - 1)...min(height - 1, j + 1) {
        for x in max(0, i - 1)...min(width - 1, i + 1) {
          let d = depth[y * width + x]
          guard d != 0, d != saturated else { continue }
          low = min(low, d)
          high = max(high, d)
        }
      }
      compared += 1
      let lo = Double(low) / 1000
      let hi = Double(high) / 1000
      if z < lo - tolerance {
        contradicting += 1
        contradictions.append(z - lo)
        if lo - z > worstExcess {
          worstExcess = lo - z
          worstContradiction = Example(pixel: (i, j), lidar: z, imageLow: lo, imageHigh: hi)
        }
        continue
      }
      if z > hi + tolerance {
        hidden += 1
        hiddenOffsets.append(z - hi)
        continue
      }
      guard let instance, let ids = points.instances, k < ids.count, ids[k] <= UInt32(UInt16.max) else { continue }
      instanceCompared += 1
      let id = UInt16(ids[k])
      var seen = false
      for y in max(0, j - 1)...min(height - 1, j + 1) where !seen {
        for x in max(0, i - 1)...min(width - 1, i + 1) where instance[y * width + x] == id { seen = true }
      }
      if !seen {
        instanceMismatches += 1
        if firstInstanceMismatch == nil { firstInstanceMismatch = ((i, j), ids[k], instance[j * width + i]) }
      }
    }
    medianContradiction = DepthComparison.median(contradictions)
    medianHidden = DepthComparison.median(hiddenOffsets)
  }

  private static func median(_ values: [Double]) -> Double? {
    values.isEmpty ? nil : values.sorted()[values.count / 2]
  }
}
