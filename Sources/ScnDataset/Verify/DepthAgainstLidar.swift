/// How far a depth image and a LiDAR sweep of the same instant may disagree, and why.
///
/// The depth image stores, per pixel, the distance along the camera's viewing axis (its z
/// depth, not the ray length) of the surface hit through the pixel centre, in millimetres
/// rounded to the nearest, 0 for no hit and 65535 for 65.535 m or more. A LiDAR return at
/// range r is the true range plus Gaussian noise of the calibrated σ along the beam, so its
/// z depth in the camera is off by at most |noise| (the beam is never steeper than the
/// axis). A return lies between pixel centres, and on a smooth surface its depth lies
/// between the depths of the pixel centres around it; so a point *agrees* when its depth is
/// within `tolerance` of the range [min, max] of the valid depths in its 3×3 neighbourhood.
/// This also accepts every point one of whose nine pixels is within tolerance.
///
/// Object edges and the parallax between the two sensors' viewpoints (a surface the LiDAR
/// sees that something nearer hides from the camera) leave a few points legitimately
/// disagreeing: well under 1 % on the examples. A frame is a problem when more than
/// `maxDisagreeingShare` of its points disagree (and at least `minDisagreeing` do, so a
/// frame with a handful of points cannot fail on one edge).
enum DepthTolerance {
  /// Standard deviations of LiDAR range noise accepted: a false alarm rate of 6·10⁻⁵ per point.
  static let noiseSigmas = 4.0
  /// Half a millimetre of depth quantisation.
  static let quantisation = 0.0005
  /// Single-precision PLY coordinates and pose text round-trips: far below a millimetre.
  static let numericSlack = 0.001
  static let maxDisagreeingShare = 0.02
  static let minDisagreeing = 3

  /// The per-point tolerance in metres for a LiDAR with range noise σ (metres).
  static func metres(rangeNoise sigma: Double) -> Double { noiseSigmas * sigma + quantisation + numericSlack }

  static func isExcessive(disagreeing: Int, of compared: Int) -> Bool {
    disagreeing >= minDisagreeing && Double(disagreeing) > maxDisagreeingShare * Double(compared)
  }
}

/// The outcome of comparing one LiDAR sweep with one camera's depth (and instance) image.
struct DepthComparison: Sendable {
  var compared = 0
  var disagreeing = 0
  /// The disagreeing point farthest outside its neighbourhood's range.
  var worst: (pixel: (Int, Int), lidar: Double, imageLow: Double, imageHigh: Double)?
  /// The median of LiDAR depth minus the nearest depth of the neighbourhood's range over the
  /// disagreeing points: about −2 m when the depth image was shifted by +2 m, say.
  var medianOffset: Double?
  var instanceCompared = 0
  var instanceDisagreeing = 0
  var firstInstanceMismatch: (pixel: (Int, Int), lidar: UInt32, image: UInt16)?

  /// Projects every point (`lidarToCamera` maps the LiDAR frame to the camera body frame)
  /// and compares it with `depth` (16-bit millimetres) and, when both are given, its
  /// instance id with the ids in the same 3×3 neighbourhood of `instance`. Points behind
  /// the camera, outside the image, beyond the encoding's range or on a no-hit pixel are
  /// skipped. The images must be `camera.width × camera.height` (the caller checks).
  init(
    points: PLYPoints, lidarToCamera: RigidTransform, camera: CalibratedCamera, depth: [UInt16],
    instance: [UInt16]?, tolerance: Double
  ) {
    let width = camera.width
    let height = camera.height
    let saturated = UInt16.max
    let farthest = (Double(saturated) - 0.5) / 1000
    var worstExcess = 0.0
    var offsets: [Double] = []
    for (k, p) in points.positions.enumerated() {
      guard p.x.isFinite, p.y.isFinite, p.z.isFinite else { continue }
      let body = lidarToCamera.apply(p)
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
      let excess = max(lo - z, z - hi) - tolerance
      if excess > 0 {
        disagreeing += 1
        offsets.append(z < lo ? z - lo : z - hi)
        if excess > worstExcess {
          worstExcess = excess
          worst = ((i, j), z, lo, hi)
        }
      }
      if let instance, let ids = points.instances, k < ids.count, ids[k] <= UInt32(UInt16.max) {
        instanceCompared += 1
        let id = UInt16(ids[k])
        var seen = false
        for y in max(0, j - 1)...min(height - 1, j + 1) where !seen {
          for x in max(0, i - 1)...min(width - 1, i + 1) where instance[y * width + x] == id { seen = true }
        }
        if !seen {
          instanceDisagreeing += 1
          if firstInstanceMismatch == nil { firstInstanceMismatch = ((i, j), ids[k], instance[j * width + i]) }
        }
      }
    }
    if !offsets.isEmpty {
      offsets.sort()
      medianOffset = offsets[offsets.count / 2]
    }
  }
}
