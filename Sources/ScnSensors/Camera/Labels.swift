import ScnScene
import ScnGeometry

/// An axis-aligned box in continuous pixel coordinates: pixel (i, j) spans [i, i+1) × [j, j+1).
public struct PixelBox: Hashable, Sendable {
  public var xMin: Double
  public var yMin: Double
  public var xMax: Double
  public var yMax: Double

  public init(xMin: Double, yMin: Double, xMax: Double, yMax: Double) {
    self.xMin = xMin
    self.yMin = yMin
    self.xMax = xMax
    self.yMax = yMax
  }

  public var width: Double { Swift.max(0, xMax - xMin) }
  public var height: Double { Swift.max(0, yMax - yMin) }
  public var area: Double { width * height }

  /// The part inside `[0, width] × [0, height]`, or nil when they do not overlap.
  public func clipped(width w: Int, height h: Int) -> PixelBox? {
    let c = PixelBox(
      xMin: Swift.max(0, xMin), yMin: Swift.max(0, yMin), xMax: Swift.min(Double(w), xMax),
      yMax: Swift.min(Double(h), yMax))
    return c.xMax > c.xMin && c.yMax > c.yMin ? c : nil
  }
}

/// A 3-D box in the camera's optical frame (x right, y down, z forward), metres.
public struct CameraBox3D: Hashable, Sendable {
  /// Geometric centre of the box (KITTI's "location" is the bottom centre: centre.y + size.z/2).
  public var center: Vec3
  /// Length, width, height along the object's own x, y, z.
  public var size: Vec3
  /// KITTI `rotation_y`: rotation about the optical y axis, 0 when the object's heading
  /// points along the optical +x (right), in (−π, π].
  public var rotationY: Double
  /// Full object → optical rotation.
  public var rotation: Quaternion

  /// KITTI `location`: the bottom-face centre (the optical y axis points down), exact for
  /// objects that only yaw.
  public var bottomCenter: Vec3 { Vec3(center.x, center.y + size.z / 2, center.z) }

  /// KITTI observation angle `alpha`: `rotationY` minus the viewing ray's azimuth, in (−π, π].
  public var alpha: Double { wrapAngle(rotationY - atan2Double(center.x, center.z)) }
}

/// Everything the camera knows about one object in one frame.
public struct ObjectLabel: Hashable, Sendable {
  public var instanceID: UInt32
  public var semanticClass: UInt8
  public var className: String
  /// Pixels where this object is the first hit.
  public var visiblePixels: Int
  /// Pixels (inside the image) it would cover if it were alone in the scene; the ground
  /// counts as an occluder, so a part sunk below z = 0 lowers `visibleFraction`.
  public var unoccludedPixels: Int
  /// visiblePixels / unoccludedPixels (0 when it covers none).
  public var visibleFraction: Double
  /// 1 − visibleFraction.
  public var occlusion: Double
  /// Tight box around the visible pixels; nil when none are visible.
  public var modalBox: PixelBox?
  /// Box of the projected part silhouettes (box corners, mesh vertices, sampled sphere and
  /// cylinder outlines) clipped to the image.
  public var amodalBox: PixelBox
  /// The same box before clipping (may extend past the image).
  public var unclippedAmodalBox: PixelBox
  /// 1 − clipped area / unclipped area of the amodal box.
  public var truncation: Double
  public var box3D: CameraBox3D
}

extension SceneIntersector {
  /// `depthImage` is the frame's depth image (`depthMillimetres` of each pixel's centre-ray
  /// hit, 0 for none), used to skip coverage rays that cannot reach an object
  /// (`coverageAlone`); an image of another size skips none.
  func labelObjects(
    camera: Camera, instanceImage: [UInt16], depthImage: [UInt16], excluded: Int?, threads: Int
  ) -> [ObjectLabel] {
    let width = camera.intrinsics.width
    let height = camera.intrinsics.height
    // Visible pixels and modal boxes from one pass over the instance image.
    var counts = [Int](repeating: 0, count: scene.objects.count)
    var modal = [(Int, Int, Int, Int)](repeating: (Int.max, Int.max, Int.min, Int.min), count: scene.objects.count)
    // Object index by instance id (`objectIndex(ofInstance:)`) in a flat table, not a
    // dictionary look-up per pixel: ids are 1…65535 and unique (checked by `init`).
    let maxID = scene.objects.reduce(0) { Swift.max($0, Int($1.instanceID)) }
    var objectOfID = [Int32](repeating: -1, count: maxID + 1)
    for (index, object) in scene.objects.enumerated() { objectOfID[Int(object.instanceID)] = Int32(index) }
    // Run by run along each row: a run of one id adds its length and its end columns. A run
    // is followed four pixels at a time while all four hold its id (one 64-bit compare), then
    // pixel by pixel to its end. Positions stay inside the image (rows · width pixels): no
    // overflow to check.
    let rows = width > 0 ? Swift.min(height, instanceImage.count / width) : 0
    instanceImage.withUnsafeBufferPointer { image in
      objectOfID.withUnsafeBufferPointer { objectOfID in
        counts.withUnsafeMutableBufferPointer { counts in
          modal.withUnsafeMutableBufferPointer { modal in
            guard let pixels = image.baseAddress else { return }
            let raw = UnsafeRawPointer(pixels)
            for y in 0..<rows {
              let row = y &* width
              var x = 0
              while x < width {
                let value = image[row &+ x]
                var end = x &+ 1
                let four = UInt64(value) &* 0x0001_0001_0001_0001
                while end &+ 4 <= width
                  && raw.loadUnaligned(fromByteOffset: 2 &* (row &+ end), as: UInt64.self) == four
                {
                  end &+= 4
                }
                while end < width && image[row &+ end] == value { end &+= 1 }
                let id = Int(value)
                if id != 0, id <= maxID, case let object = Int(objectOfID[id]), object >= 0 {
                  counts[object] += end - x
                  let m = modal[object]
                  modal[object] = (Swift.min(m.0, x), Swift.min(m.1, y), Swift.max(m.2, end - 1), Swift.max(m.3, y))
                }
                x = end
              }
            }
          }
        }
      }
    }
    var candidates: [(index: Int, unclipped: PixelBox, clipped: PixelBox)] = []
    for index in scene.objects.indices where index != excluded {
      guard let box = amodalBox(of: index, camera: camera), let clipped = box.clipped(width: width, height: height)
      else { continue }
      candidates.append((index, box, clipped))
    }
    // "As if alone" coverage, one object per work item.
    var alone = [Int](repeating: 0, count: candidates.count)
    alone.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      let out = SharedBuffer(base: base)
      let list = candidates
      let modalBoxes = modal
      Parallel.forEach(count: list.count, threads: threads) { k in
        let c = list[k]
        let m = modalBoxes[c.index]
        // Scan the amodal box grown by a pixel, and the modal box, so every visible pixel is
        // re-tested even where the corner projection is only approximate.
        var x0 = Swift.max(0, Int(c.clipped.xMin.rounded(.down)) - 1)
        var y0 = Swift.max(0, Int(c.clipped.yMin.rounded(.down)) - 1)
        var x1 = Swift.min(width - 1, Int(c.clipped.xMax.rounded(.up)))
        var y1 = Swift.min(height - 1, Int(c.clipped.yMax.rounded(.up)))
        if m.2 >= m.0 {
          x0 = Swift.min(x0, m.0)
          y0 = Swift.min(y0, m.1)
          x1 = Swift.max(x1, m.2)
          y1 = Swift.max(y1, m.3)
        }
        out.base[k] = self.coverageAlone(
          object: c.index, camera: camera, x0: x0, y0: y0, x1: x1, y1: y1, instanceImage: instanceImage,
          depthImage: depthImage)
      }
    }
    return candidates.enumerated().map { k, c in
      let object = scene.objects[c.index]
      let visible = counts[c.index]
      let covered = Swift.max(alone[k], visible)
      let fraction = covered > 0 ? Double(visible) / Double(covered) : 0
      let m = modal[c.index]
      let modalBox =
        visible > 0
        ? PixelBox(xMin: Double(m.0), yMin: Double(m.1), xMax: Double(m.2 + 1), yMax: Double(m.3 + 1)) : nil
      let unclippedArea = c.unclipped.area
      return ObjectLabel(
        instanceID: object.instanceID, semanticClass: object.semanticClass, className: object.className,
        visiblePixels: visible, unoccludedPixels: covered, visibleFraction: fraction, occlusion: 1 - fraction,
        modalBox: modalBox, amodalBox: c.clipped, unclippedAmodalBox: c.unclipped,
        truncation: unclippedArea > 0 ? Swift.max(0, 1 - c.clipped.area / unclippedArea) : 0,
        box3D: cameraBox(of: c.index, camera: camera))
    }
  }

  /// Pixels in the given inclusive rectangle whose ray hits object `index` alone. A pixel
  /// where the object is visible (`instanceImage`) counts without a ray: it is the first
  /// hit there, so alone it covers the pixel too.
  ///
  /// With `depthImage` (the same frame's depth, of the image's size), a pixel whose ray
  /// cannot reach the object counts as uncovered without a ray either. The pixel's centre ray
  /// (the same ray: `Camera.worldDirection`, t in (near, far)) found nothing nearer than its
  /// hit, so the object has no hit before it; the depth gives a lower bound `tLow` of that
  /// hit's t (millimetres rounded to nearest, clamped at 65535; 0 means no hit at all when
  /// the near clip is at least 1 mm, as a hit beyond it is at least 1 mm away). Where the ray
  /// from `tLow` to the far clip misses the object's bounds (widened far beyond rounding),
  /// the object has no hit in (near, far) and the ray would find none: the pixels seen past
  /// the object or beside it. Only pixels where something nearer may hide it are cast.
  func coverageAlone(
    object index: Int, camera: Camera, x0: Int, y0: Int, x1: Int, y1: Int, instanceImage: [UInt16],
    depthImage: [UInt16] = []
  ) -> Int {
    guard x1 >= x0, y1 >= y0 else { return 0 }
    let width = camera.intrinsics.width
    let id = scene.objects[index].instanceID
    let ownID: UInt16? = id > 0 && id <= UInt32(UInt16.max) ? UInt16(id) : nil
    let pixels = instanceImage.count
    let origin = camera.pose.translation
    let far = camera.farClip
    var count = 0
    let basis = RotationBasis(camera.pose.rotation)
    // The object's bounds relative to the camera, widened (see `CoverageReach`).
    let reach = depthImage.count == pixels ? CoverageReach(bounds: objectBounds(index), origin: origin) : nil
    let noHitAtZero = camera.nearClip >= 0.001
    // How far from the camera a ray's point at t lies, at least, per unit of t: a pinhole's
    // rays have forward component 1 (`CameraLens.direction`), so at least t (less a margin
    // for the rotation's rounding); a fisheye's pre-test is left to `mayHit`.
    let unitReach = camera.lens.isFisheye ? 0 : 1 - 1e-9
    // A pinhole without distortion makes pixel (x, y)'s direction from the ray table's two
    // factors (`RayTable.columns`, `rows`: the table's bits), as the renderer's tiles do,
    // instead of reading the whole table; any other lens reads the table.
    let table = camera.rayTable
    let factored = table.columns.count == width && table.rows.count > y1 && x1 < width
    @inline(__always) func rayDirection(x: Int, y: Int, pixel: Int) -> Vec3 {
      factored ? basis.apply(Vec3(1, table.columns[x], table.rows[y])) : camera.worldDirection(pixel: pixel, basis: basis)
    }
    withTraversalStack { stack in
      withAloneTarget(object: index, near: camera.nearClip, far: far) { target in
        // Whether the ray covers the object alone (`coversAlone`), with the object's boxes
        // and clip prepared once for all its rays when it has no BVH of its own.
        @inline(__always) func covers(_ direction: Vec3) -> Bool {
          if let target { return coversAlone(target, origin: origin, direction: direction, stack: stack) }
          return coversAlone(
            object: index, origin: origin, direction: direction, near: camera.nearClip, far: far, stack: stack)
        }
        instanceImage.withUnsafeBufferPointer { instanceImage in
          depthImage.withUnsafeBufferPointer { depthImage in
            for y in y0...y1 {
              for x in x0...x1 {
                let pixel = y * width + x
                if let ownID, pixel < pixels, instanceImage[pixel] == ownID {
                  count += 1
                  continue
                }
                if let reach, pixel < pixels {
                  let depth = depthImage[pixel]
                  if depth == 0 && noHitAtZero { continue }
                  let tLow = depth == 0 ? 0 : (Double(depth) - 1) / 1000 * (1 - 1e-6)
                  // Past the whole object already: no direction needed.
                  if tLow * unitReach > reach.farthest { continue }
                  let direction = rayDirection(x: x, y: y, pixel: pixel)
                  if !reach.mayHit(direction: direction, from: tLow, to: far) { continue }
                  if covers(direction) { count += 1 }
                  continue
                }
                if covers(rayDirection(x: x, y: y, pixel: pixel)) { count += 1 }
              }
            }
          }
        }
      }
    }
    return count
  }

  /// The union of object `index`'s primitives' bounds (those the tracer culls with).
  func objectBounds(_ index: Int) -> AABB {
    var box = AABB.empty
    for primitive in table.primitivesOfObject[index] { box = box.union(table.bounds[Int(primitive)]) }
    return box
  }

  /// The corners of each part's own bounding box, in the world.
  func partCorners(of index: Int) -> [[Vec3]] {
    let object = scene.objects[index]
    return object.parts.map { part in corners(of: part, placed: object.transform * part.transform) }
  }

  /// The corners of a part's own bounding box placed by `placed` (index bits x 4, y 2, z 1).
  private func corners(of part: Part, placed: Transform) -> [Vec3] {
    let (lower, upper) = localBounds(part.shape)
    var corners: [Vec3] = []
    for sx in [lower.x, upper.x] {
      for sy in [lower.y, upper.y] {
        for sz in [lower.z, upper.z] { corners.append(placed.apply(toPoint: Vec3(sx, sy, sz))) }
      }
    }
    return corners
  }

  private func localBounds(_ shape: PartShape) -> (Vec3, Vec3) {
    switch shape {
    case .box(let size): return (-size / 2, size / 2)
    case .sphere(let r): return (Vec3(repeating: -r), Vec3(repeating: r))
    case .cylinder(let r, let h): return (Vec3(-r, -r, -h / 2), Vec3(r, r, h / 2))
    case .mesh(let mesh):
      let box = mesh.bounds
      return (box.lower, box.upper)
    }
  }

  /// Points whose projections bound a part's silhouette: box corners, mesh vertices, and
  /// for curved parts a dense ring of surface points (a sphere's or cylinder's bounding-box
  /// corners would inflate the box well beyond what the object covers).
  func silhouettePoints(of part: Part, placed: Transform) -> [Vec3] {
    switch part.shape {
    case .box, .mesh:
      if case .mesh(let mesh) = part.shape { return mesh.vertices.map { placed.apply(toPoint: $0) } }
      return corners(of: part, placed: placed)
    case .sphere(let r):
      let trig = SilhouetteTrig.shared
      var points: [Vec3] = []
      points.reserveCapacity(trig.spherePolar.count * trig.sphereAzimuth.count)
      for (polarSine, polarCosine) in trig.spherePolar {
        for (azimuthSine, azimuthCosine) in trig.sphereAzimuth {
          points.append(
            placed.apply(toPoint: Vec3(r * polarSine * azimuthCosine, r * polarSine * azimuthSine, r * polarCosine)))
        }
      }
      return points
    case .cylinder(let r, let h):
      let trig = SilhouetteTrig.shared
      var points: [Vec3] = []
      points.reserveCapacity(2 * trig.cylinderAzimuth.count)
      for z in [-h / 2, h / 2] {
        for (azimuthSine, azimuthCosine) in trig.cylinderAzimuth {
          points.append(placed.apply(toPoint: Vec3(r * azimuthCosine, r * azimuthSine, z)))
        }
      }
      return points
    }
  }

  /// Box around the projections of every part's silhouette points (for a fisheye, also
  /// points along a box's edges, which the lens curves). A pinhole part reaching behind
  /// the near plane falls back to its bounding-box corners with the edges that cross the
  /// plane cut there, so parts behind the camera still bound the visible remainder.
  func amodalBox(of index: Int, camera: Camera) -> PixelBox? {
    var box: PixelBox? = nil
    func add(_ p: Vec3) {
      guard let (u, v) = camera.project(body: p) else { return }
      if let b = box {
        box = PixelBox(
          xMin: Swift.min(b.xMin, u), yMin: Swift.min(b.yMin, v), xMax: Swift.max(b.xMax, u),
          yMax: Swift.max(b.yMax, v))
      } else {
        box = PixelBox(xMin: u, yMin: v, xMax: u, yMax: v)
      }
    }
    let near = Swift.max(camera.nearClip, 1e-6)
    // Corner index bits: x (4), y (2), z (1); edges join corners differing in one bit.
    let edges = [(0, 1), (2, 3), (4, 5), (6, 7), (0, 2), (1, 3), (4, 6), (5, 7), (0, 4), (1, 5), (2, 6), (3, 7)]
    let object = scene.objects[index]
    // `camera.toBody(p)` is `camera.pose.inverse.apply(toPoint: p)`: the inverse is worked
    // out once here rather than once per point (the same value, so the same points).
    let toBody = camera.pose.inverse
    if camera.lens.isFisheye {
      // A fisheye bends straight edges, so a box's edges are sampled along their length, and
      // every point at least the near clip away projects (even one behind the camera).
      for (part, corners) in zip(object.parts, partCorners(of: index)) {
        let placed = object.transform * part.transform
        for p in silhouettePoints(of: part, placed: placed) { add(toBody.apply(toPoint: p)) }
        guard case .box = part.shape else { continue }
        for (a, b) in edges {
          for k in 1..<16 { add(toBody.apply(toPoint: corners[a] + (corners[b] - corners[a]) * (Double(k) / 16))) }
        }
      }
      return box
    }
    // A part's box corners are needed only when it reaches behind the near plane.
    for part in object.parts {
      let placed = object.transform * part.transform
      let points = silhouettePoints(of: part, placed: placed).map { toBody.apply(toPoint: $0) }
      if points.allSatisfy({ $0.x >= near }) {
        for p in points { add(p) }
        continue
      }
      let body = corners(of: part, placed: placed).map { toBody.apply(toPoint: $0) }
      for p in body where p.x >= near { add(p) }
      for (a, b) in edges {
        let pa = body[a]
        let pb = body[b]
        if (pa.x < near) != (pb.x < near) {
          let s = (near - pa.x) / (pb.x - pa.x)
          add(pa + (pb - pa) * s)
        }
      }
    }
    return box
  }

  /// The object's box (union of its parts, in its own frame) in the optical frame.
  func cameraBox(of index: Int, camera: Camera) -> CameraBox3D {
    let object = scene.objects[index]
    var local = AABB.empty
    for part in object.parts {
      let (lower, upper) = localBounds(part.shape)
      for sx in [lower.x, upper.x] {
        for sy in [lower.y, upper.y] {
          for sz in [lower.z, upper.z] { local = local.union(part.transform.apply(toPoint: Vec3(sx, sy, sz))) }
        }
      }
    }
    if local.isEmpty { local = AABB(lower: .zero, upper: .zero) }
    let centerBody = camera.toBody(object.transform.apply(toPoint: local.center))
    // Object → body rotation, then body → optical (a fixed rotation).
    let toBody = (camera.pose.rotation.conjugate * object.transform.rotation).normalized
    let bodyToOptical = Quaternion(w: 0.5, x: 0.5, y: -0.5, z: 0.5)
    let headingBody = toBody.rotate(.unitX)
    let yawBody = atan2Double(headingBody.y, headingBody.x)
    return CameraBox3D(
      center: Camera.optical(fromBody: centerBody), size: local.extent, rotationY: wrapAngle(-yawBody - Double.pi / 2),
      rotation: (bodyToOptical * toBody).normalized)
  }
}

/// An object's bounds relative to a ray origin, widened by 1e-4 of their distance and size
/// plus 1 mm: far more than the rounding of a hit point computed on a ray (a grazing hit on a
/// sphere or cylinder is off by about 1e-8 of its distance), so every hit point the tracer
/// reports for the object lies inside.
struct CoverageReach {
  let lower: Vec3
  let upper: Vec3
  let empty: Bool
  /// The largest distance from the origin of a point of the widened bounds (infinity when
  /// they are empty or not finite).
  let farthest: Double

  init(bounds: AABB, origin: Vec3) {
    empty = bounds.isEmpty || !(bounds.lower.x.isFinite && bounds.lower.y.isFinite && bounds.lower.z.isFinite
      && bounds.upper.x.isFinite && bounds.upper.y.isFinite && bounds.upper.z.isFinite)
    let lower = bounds.lower - origin
    let upper = bounds.upper - origin
    let scale = Swift.max(
      abs(lower.x), abs(lower.y), abs(lower.z), abs(upper.x), abs(upper.y), abs(upper.z))
    let margin = 1e-3 + 1e-4 * scale
    self.lower = lower - Vec3(repeating: margin)
    self.upper = upper + Vec3(repeating: margin)
    // The farthest corner, each coordinate the larger in size, with room for rounding.
    let reach = Vec3(
      Swift.max(abs(self.lower.x), abs(self.upper.x)), Swift.max(abs(self.lower.y), abs(self.upper.y)),
      Swift.max(abs(self.lower.z), abs(self.upper.z)))
    farthest = empty ? .infinity : reach.length * (1 + 1e-9) + margin
  }

  /// Whether the points `t · direction` (relative to the origin), t in [`from`, `to`], may
  /// enter the widened bounds (a slab test in double precision; an infinite `to` is fine).
  @inline(__always)
  func mayHit(direction d: Vec3, from: Double, to: Double) -> Bool {
    if empty { return true }
    var enter = from
    var exit = to
    for axis in 0..<3 {
      let lo = lower[axis]
      let hi = upper[axis]
      let di = d[axis]
      if di == 0 {
        if lo > 0 || hi < 0 { return false }
        continue
      }
      let a = lo / di
      let b = hi / di
      enter = Swift.max(enter, Swift.min(a, b))
      exit = Swift.min(exit, Swift.max(a, b))
    }
    return enter <= exit
  }
}

/// The sines and cosines of `silhouettePoints`' fixed angles: a sphere's 17 polar angles
/// (`i / 16 · π`) and 48 azimuths (`j / 48 · 2π`), a cylinder's 96 azimuths (`j / 96 · 2π`),
/// each from libm's `sin` and `cos` of the same angle as before, worked out once per process
/// instead of for every curved part of every labelled object in every frame (the same values,
/// so the same points and boxes).
private struct SilhouetteTrig: Sendable {
  let spherePolar: [(Double, Double)]
  let sphereAzimuth: [(Double, Double)]
  let cylinderAzimuth: [(Double, Double)]

  static let shared = SilhouetteTrig()

  private init() {
    spherePolar = (0...16).map { i in
      let polar = Double(i) / 16 * Double.pi
      return (polar.sine, polar.cosine)
    }
    sphereAzimuth = (0..<48).map { j in
      let azimuth = Double(j) / 48 * 2 * Double.pi
      return (azimuth.sine, azimuth.cosine)
    }
    cylinderAzimuth = (0..<96).map { j in
      let azimuth = Double(j) / 96 * 2 * Double.pi
      return (azimuth.sine, azimuth.cosine)
    }
  }
}
