import ScnGeometry

/// A convex region that contains every ray of a bundle (the primary rays of an image tile,
/// or the shadow rays leaving it). Culling the scene against it once per bundle leaves a few
/// candidate primitives per ray instead of a walk of the whole BVH, and none at all where a
/// tile sees only sky or bare ground.
///
/// `mayIntersect` must be conservative: it may keep a box no ray reaches, but it must never
/// drop one a ray of the bundle hits, or the image would change.
protocol BundleRegion {
  func mayIntersect(center: Vec3, halfExtent: Vec3) -> Bool
}

/// The pyramid of rays from one origin through a rectangle of body-frame directions
/// (1, dy, dz), dy ∈ [y0, y1], dz ∈ [z0, z1]: a camera tile's primary rays.
struct RayPyramid: BundleRegion {
  let origin: Vec3
  /// Outward normals of the four side planes and the plane behind the origin.
  let planes: (Vec3, Vec3, Vec3, Vec3, Vec3)

  /// `forward`, `left`, `up` are the camera body axes in the world.
  init(origin: Vec3, forward: Vec3, left: Vec3, up: Vec3, y0: Double, y1: Double, z0: Double, z1: Double) {
    self.origin = origin
    // A point q (relative to the origin) is on a ray of the bundle iff q = t·(forward +
    // dy·left + dz·up) with t > 0, i.e. y0·(q·f) ≤ q·l ≤ y1·(q·f) and likewise for up.
    planes = (left - forward * y1, forward * y0 - left, up - forward * z1, forward * z0 - up, -forward)
  }

  /// A bundle no plane bounds: every candidate may be hit (a fisheye tile whose rays spread
  /// over more than a half-space).
  init(everythingFrom origin: Vec3) {
    self.origin = origin
    planes = (.zero, .zero, .zero, .zero, .zero)
  }

  @inline(__always)
  func mayIntersect(center: Vec3, halfExtent: Vec3) -> Bool {
    let c = center - origin
    // Rounding in the corner values is far below this; see `BundleRegion`.
    let margin = 1e-9 * (1 + absolute(c).max() + halfExtent.max())
    @inline(__always) func outside(_ n: Vec3) -> Bool {
      n.dot(c) - (absolute(n) * halfExtent).sum() > margin * (1 + absolute(n).max())
    }
    return !(outside(planes.0) || outside(planes.1) || outside(planes.2) || outside(planes.3) || outside(planes.4))
  }
}

/// A box of ray origins swept along one direction to infinity: the shadow rays from a tile's
/// surface points towards the sun.
struct SweptBox: BundleRegion {
  let center: Vec3
  let halfExtent: Vec3
  let direction: Vec3

  init(lower: Vec3, upper: Vec3, direction: Vec3) {
    center = (lower + upper) * 0.5
    halfExtent = (upper - lower) * 0.5
    self.direction = direction
  }

  /// Separating-axis test, exact for a box against a swept box: the candidate axes are the
  /// coordinate axes and each axis crossed with the sweep direction (the faces of both and
  /// the cross products of their edges).
  @inline(__always)
  func mayIntersect(center p: Vec3, halfExtent h: Vec3) -> Bool {
    let d = p - center
    let margin = 1e-9 * (1 + absolute(p).max() + absolute(center).max() + h.max() + halfExtent.max())
    let reach = h + halfExtent + margin
    // Along a coordinate axis the sweep extends the origin box to infinity on the side the
    // direction points to.
    for axis in 0..<3 {
      if d[axis] > reach[axis] && direction[axis] <= 0 { return false }
      if d[axis] < -reach[axis] && direction[axis] >= 0 { return false }
    }
    let s = direction
    for axis in [Vec3(0, -s.z, s.y), Vec3(s.z, 0, -s.x), Vec3(-s.y, s.x, 0)] {
      let radius = (absolute(axis) * (h + halfExtent)).sum()
      if abs(axis.dot(d)) > radius + margin * (1 + absolute(axis).sum()) { return false }
    }
    return true
  }
}

/// What blocked the last shadow ray cast with a candidate list: the candidate (its position
/// in the list and its primitive, so a hint outlived by its list's contents is never used)
/// and, on a mesh instance, the triangle's leaf slot. Neighbouring shadow rays of a bundle
/// are mostly blocked by the same surface, so the next tests that candidate first (seeding
/// its mesh walk with the triangle) and often stops at once. Any hit answers an any-hit
/// query, so answers do not depend on it; closest-hit queries do not use it
/// (`Traversal.runList`).
struct RayHint {
  var position: Int32 = -1
  var primitive: UInt32 = .max
  var slot: Int32 = -1
}

/// A short list of primitives to test one by one, with Float32 bounds for a cheap first
/// rejection (the same conservative rounding as the BVH's nodes), four at a time.
struct CandidateList {
  /// A multiple of `lanes`.
  static let capacity = 24
  /// Candidates per group of bounds, tested together (`FloatRay.slab4`).
  static let lanes = 4
  /// Floats of `bounds`: six per candidate.
  static let boundsFloats = capacity * 6

  /// Primitive indices; `count` > `capacity` means the bundle reaches too much of the scene
  /// and the caller should walk the BVH instead.
  let primitives: UnsafeMutablePointer<UInt32>
  /// Per group of four candidates, structure of arrays: lower x of the four, lower y, lower
  /// z, upper x, upper y, upper z (24 floats; candidate k is lane k % 4 of group k / 4).
  let bounds: UnsafeMutablePointer<Float>
  var count = 0
  /// What blocked the last shadow ray cast with this list, tested first by the next
  /// (`RayHint`); nil for a list that keeps none. `collectCandidates` clears it.
  var hint: UnsafeMutablePointer<RayHint>? = nil

  var overflowed: Bool { count > Self.capacity }

  static func withScratch<R>(_ body: (inout CandidateList) -> R) -> R {
    let primitives = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
    let bounds = UnsafeMutablePointer<Float>.allocate(capacity: boundsFloats)
    let hint = UnsafeMutablePointer<RayHint>.allocate(capacity: 1)
    hint.initialize(to: RayHint())
    defer {
      primitives.deallocate()
      bounds.deallocate()
      hint.deallocate()
    }
    var list = CandidateList(primitives: primitives, bounds: bounds, hint: hint)
    return body(&list)
  }

  /// The hinted candidate, when the hint names one the list still holds at that position:
  /// its position, primitive and the triangle slot to seed a mesh walk with (−1: none).
  @inline(__always)
  func hinted() -> (position: Int, primitive: Int, slot: Int)? {
    guard let hint else { return nil }
    let h = hint.pointee
    let position = Int(h.position)
    guard position >= 0, position < count, position < Self.capacity, primitives[position] == h.primitive else {
      return nil
    }
    return (position, Int(h.primitive), Int(h.slot))
  }

  /// Candidate `position`'s six bounds (lower x, y, z, upper x, y, z) out of its group.
  @inline(__always)
  func box(at position: Int) -> (lower: (Float, Float, Float), upper: (Float, Float, Float)) {
    let b = bounds + (position / Self.lanes) * 6 * Self.lanes + position % Self.lanes
    let l = Self.lanes
    return ((b[0], b[l], b[2 * l]), (b[3 * l], b[4 * l], b[5 * l]))
  }

  /// Appends `primitive` with its six bounds (lower x, y, z, upper x, y, z); the caller
  /// checks `count < capacity`.
  @inline(__always)
  mutating func append(_ primitive: UInt32, bounds box: UnsafePointer<Float>) {
    primitives[count] = primitive
    let group = bounds + (count / Self.lanes) * 6 * Self.lanes
    let lane = count % Self.lanes
    // A new group starts zeroed: the four-wide test reads every lane (those past the end
    // are masked off), so none may be left uninitialised.
    if lane == 0 { group.initialize(repeating: 0, count: 6 * Self.lanes) }
    for k in 0..<6 { group[k * Self.lanes + lane] = box[k] }
    count += 1
  }
}

extension SceneIntersector {
  /// Fills `list` with the primitives (other than those of object `exclude`) whose bounds
  /// `region` may intersect, in BVH order; stops early once there are too many.
  func collectCandidates<Region: BundleRegion>(
    _ region: Region, exclude: UInt32, into list: inout CandidateList, stack: UnsafeMutablePointer<UInt32>
  ) {
    list.count = 0
    list.hint?.pointee = RayHint()
    guard bvh.nodeCount > 0 else { return }
    let nodes = bvh.nodes
    var stackSize = 0
    var node = 0
    while true {
      let base = nodes + node * BVH.nodeBytes
      // A root over a handful of primitives names the same leaf in both lanes.
      let sameLeafTwice =
        base.load(fromByteOffset: 48, as: UInt32.self) == base.load(fromByteOffset: 52, as: UInt32.self)
        && base.load(fromByteOffset: 56, as: UInt32.self) == base.load(fromByteOffset: 60, as: UInt32.self)
        && base.load(fromByteOffset: 56, as: UInt32.self) > 0
      for lane in 0..<(sameLeafTwice ? 1 : 2) {
        let lower = Vec3(
          Double(base.load(fromByteOffset: lane * 4, as: Float.self)),
          Double(base.load(fromByteOffset: 8 + lane * 4, as: Float.self)),
          Double(base.load(fromByteOffset: 16 + lane * 4, as: Float.self)))
        let upper = Vec3(
          Double(base.load(fromByteOffset: 24 + lane * 4, as: Float.self)),
          Double(base.load(fromByteOffset: 32 + lane * 4, as: Float.self)),
          Double(base.load(fromByteOffset: 40 + lane * 4, as: Float.self)))
        guard region.mayIntersect(center: (lower + upper) * 0.5, halfExtent: (upper - lower) * 0.5) else { continue }
        let child = Int(base.load(fromByteOffset: 48 + lane * 4, as: UInt32.self))
        let count = Int(base.load(fromByteOffset: 56 + lane * 4, as: UInt32.self))
        if count == 0 {
          stack[stackSize] = UInt32(child)
          stackSize += 1
          continue
        }
        for slot in child..<(child + count) {
          let primitive = Int(bvh.leaves[slot])
          if primitives.objects[primitive] == exclude { continue }
          let box = table.bounds[primitive]
          guard region.mayIntersect(center: box.center, halfExtent: box.extent * 0.5) else { continue }
          if list.count == CandidateList.capacity {
            list.count += 1
            return
          }
          list.append(UInt32(primitive), bounds: primitives.bounds + primitive * 6)
        }
      }
      if stackSize == 0 { break }
      stackSize -= 1
      node = Int(stack[stackSize])
    }
  }
}

/// Component-wise magnitude.
@inline(__always) private func absolute(_ v: Vec3) -> Vec3 { Vec3(abs(v.x), abs(v.y), abs(v.z)) }

/// The segments from a box of points to one point: a tile's shadow rays towards a lamp. The
/// region is the convex hull of the box and the point; it is tested on the coordinate axes
/// and on each axis crossed with the direction from the box's centre to the point, projecting
/// the hull exactly on each (so a separating axis found is a true one, and boxes the test
/// keeps may still miss: conservative, as `BundleRegion` requires).
struct SegmentsToPoint: BundleRegion {
  let center: Vec3
  let halfExtent: Vec3
  let target: Vec3
  /// The three separating axes e_i × (target − centre).
  let axes: (Vec3, Vec3, Vec3)

  init(lower: Vec3, upper: Vec3, target: Vec3) {
    center = (lower + upper) * 0.5
    halfExtent = (upper - lower) * 0.5
    self.target = target
    let s = target - center
    axes = (Vec3(0, -s.z, s.y), Vec3(s.z, 0, -s.x), Vec3(-s.y, s.x, 0))
  }

  @inline(__always)
  func mayIntersect(center p: Vec3, halfExtent h: Vec3) -> Bool {
    let margin =
      1e-9 * (1 + absolute(p).max() + absolute(center).max() + absolute(target).max() + h.max() + halfExtent.max())
    // On an axis a the hull projects to [min(a·c − r, a·L), max(a·c + r, a·L)].
    @inline(__always) func separated(_ a: Vec3, _ slack: Double) -> Bool {
      let mid = a.dot(center)
      let r = (absolute(a) * halfExtent).sum()
      let end = a.dot(target)
      let low = Swift.min(mid - r, end)
      let high = Swift.max(mid + r, end)
      let q = a.dot(p)
      let qr = (absolute(a) * h).sum()
      return q - qr > high + slack || q + qr < low - slack
    }
    if separated(Vec3(1, 0, 0), margin) || separated(Vec3(0, 1, 0), margin) || separated(Vec3(0, 0, 1), margin) {
      return false
    }
    @inline(__always) func slack(_ a: Vec3) -> Double { margin * (1 + absolute(a).sum()) }
    if separated(axes.0, slack(axes.0)) || separated(axes.1, slack(axes.1)) || separated(axes.2, slack(axes.2)) {
      return false
    }
    return true
  }
}
