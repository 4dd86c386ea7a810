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
  /// there, so the id must be among the nine pixels' unless both images are wrong, or the
  /// camera cannot resolve what the LiDAR hit (see `DepthComparison.init`).
  static let maxInstanceMismatchShare = 0.01
  /// Pixel footprints, at the point's depth, within which a camera cannot tell two
  /// instances apart: the 3×3 neighbourhood reaches 1.5 pixels from the point.
  static let contactPixels = 1.5
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
  /// Points the image lies beyond that hit a thin part of an instance the camera shows
  /// elsewhere in the frame but at none of the nine pixels, within reach of that instance's
  /// box: a part narrower than the pixel pitch falls between pixel centres (aliasing, not a
  /// wrong depth image); not counted in `contradicting`.
  var contradictingBetweenPixels = 0
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
  /// Id mismatches the camera cannot resolve, not counted as mismatches: the point lies
  /// within reach (tolerance + 1.5 pixel footprints) of both its own instance's box and the
  /// box of an instance the nine pixels show (a contact: bays end to end, an object on the
  /// ground), or its depth lies between the nine pixels' depths and equals none of them (a
  /// sliver between two pixel centres at a depth edge).
  var instanceAtContacts = 0
  var instanceBetweenPixels = 0
  var firstInstanceMismatch: (pixel: (x: Int, y: Int), lidar: UInt32, image: UInt16)?

  /// Projects every point (`lidarToCamera` maps the LiDAR frame to the camera body frame)
  /// and compares it with `depth` (16-bit millimetres) and, where the depth agrees and both
  /// are given, its instance id with the ids in the same 3×3 neighbourhood of `instance`.
  ///
  /// A camera samples the scene at pixel centres, a LiDAR at its own, finer or coarser,
  /// angles from another point: where two instances touch (rack bays placed end to end, a
  /// pallet on the floor) a beam can hit a sliver of one that no pixel centre nearby hits,
  /// at a depth within tolerance of the other. Such a point is a mismatch the camera cannot
  /// resolve, not a labelling error; `boxes` (the instances' size boxes in the world) and
  /// `lidarToWorld` tell it apart: see `instanceAtContacts` and `instanceBetweenPixels`.
  /// (This is why rack runs could fail `verify --labels`: issue 17; docs/architecture.md.)
  /// Points behind the camera, outside the image, beyond the encoding's range or on a no-hit
  /// pixel are skipped. The images must be `camera.width × camera.height` (the caller checks).
  init(
    points: PLYPoints, lidarToCamera: Transform, camera: CalibratedCamera, depth: [UInt16],
    instance: [UInt16]?, tolerance: Double, lidarToWorld: Transform = .identity, boxes: InstanceBoxes = InstanceBoxes()
  ) {
    let pixelAngle = 1 / min(camera.fx, camera.fy)
    let width = camera.width
    let height = camera.height
    let saturated = UInt16.max
    let farthest = (Double(saturated) - 0.5) / 1000
    var worstExcess = 0.0
    var contradictions: [Double] = []
    var hiddenOffsets: [Double] = []
    // Instances the camera shows anywhere in this frame: a thin part of one of them (a rack
    // upright narrower than the pixel pitch) can fall between pixel centres.
    var shownAnywhere = Set<UInt16>()
    if let instance { for id in instance { shownAnywhere.insert(id) } }
    for (k, p) in points.positions.enumerated() {
      guard p.x.isFinite, p.y.isFinite, p.z.isFinite else { continue }
      let body = lidarToCamera.apply(toPoint: p)
      guard let (u, v) = camera.pixel(ofBody: body), u >= 0, v >= 0, u < Double(width), v < Double(height) else {
        continue
      }
      let z = camera.depth(ofBody: body)
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
        if let instance, let ids = points.instances, k < ids.count, ids[k] != 0, ids[k] <= UInt32(UInt16.max),
          shownAnywhere.contains(UInt16(ids[k])),
          (boxes.distance(from: lidarToWorld.apply(toPoint: p), to: ids[k]) ?? .infinity)
            <= tolerance + DepthTolerance.contactPixels * z * pixelAngle
        {
          var inNine = false
          for y in max(0, j - 1)...min(height - 1, j + 1) where !inNine {
            for x in max(0, i - 1)...min(width - 1, i + 1) where instance[y * width + x] == UInt16(ids[k]) {
              inNine = true
            }
          }
          if !inNine {
            contradictingBetweenPixels += 1
            continue
          }
        }
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
        var agreesWithAPixel = false
        var shown: [UInt16] = []
        for y in max(0, j - 1)...min(height - 1, j + 1) {
          for x in max(0, i - 1)...min(width - 1, i + 1) {
            let d = depth[y * width + x]
            if d != 0, d != saturated, abs(Double(d) / 1000 - z) <= tolerance { agreesWithAPixel = true }
            if !shown.contains(instance[y * width + x]) { shown.append(instance[y * width + x]) }
          }
        }
        let world = lidarToWorld.apply(toPoint: p)
        let reach = tolerance + DepthTolerance.contactPixels * z * pixelAngle
        let near = { (id: UInt32) in (boxes.distance(from: world, to: id) ?? .infinity) <= reach }
        if near(ids[k]) && shown.contains(where: { near(UInt32($0)) }) {
          instanceAtContacts += 1
        } else if !agreesWithAPixel {
          instanceBetweenPixels += 1
        } else {
          instanceMismatches += 1
          if firstInstanceMismatch == nil { firstInstanceMismatch = ((i, j), ids[k], instance[j * width + i]) }
        }
      }
    }
    medianContradiction = DepthComparison.median(contradictions)
    medianHidden = DepthComparison.median(hiddenOffsets)
  }

  private static func median(_ values: [Double]) -> Double? {
    values.isEmpty ? nil : values.sorted()[values.count / 2]
  }
}
