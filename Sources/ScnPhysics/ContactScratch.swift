import ScnGeometry

/// A body's pose as the narrow phase wants it: origin plus rotation matrix.
@usableFromInline struct BodyPose: Sendable {
  @usableFromInline var position: Vec3
  @usableFromInline var axes: Mat3

  @inlinable init(position: Vec3, axes: Mat3) {
    self.position = position
    self.axes = axes
  }
}

/// Reusable buffers the narrow phase writes one pair's contacts into. Kept in the world
/// and cleared per pair so that stepping allocates nothing once the buffers have grown.
@usableFromInline struct ContactScratch: Sendable {
  /// Per point: world position (midway between the surfaces), normal from body A to body
  /// B, signed separation (negative = penetration) and a feature key that stays the same
  /// while the same pair of features touches, for warm starting.
  @usableFromInline var positions: [Vec3] = []
  @usableFromInline var normals: [Vec3] = []
  @usableFromInline var separations: [Double] = []
  @usableFromInline var features: [UInt32] = []
  // Ping-pong polygons for face clipping.
  @usableFromInline var polygon: [Vec3] = []
  @usableFromInline var polygonKeys: [UInt32] = []
  @usableFromInline var clipped: [Vec3] = []
  @usableFromInline var clippedKeys: [UInt32] = []
  /// A hull's face normals in the world, negated (its Gauss map turned inside out, for the
  /// edge–edge axes of `ConvexContact.separatingAxis`).
  @usableFromInline var gaussNormals: [Vec3] = []

  init() {
    for _ in 0..<2 {
      positions.reserveCapacity(16)
      normals.reserveCapacity(16)
      separations.reserveCapacity(16)
      features.reserveCapacity(16)
      polygon.reserveCapacity(16)
      polygonKeys.reserveCapacity(16)
      clipped.reserveCapacity(16)
      clippedKeys.reserveCapacity(16)
    }
  }

  @inlinable var count: Int { positions.count }

  @inlinable mutating func reset() {
    positions.removeAll(keepingCapacity: true)
    normals.removeAll(keepingCapacity: true)
    separations.removeAll(keepingCapacity: true)
    features.removeAll(keepingCapacity: true)
  }

  @inlinable mutating func add(position: Vec3, normal: Vec3, separation: Double, feature: UInt32) {
    positions.append(position)
    normals.append(normal)
    separations.append(separation)
    features.append(feature)
  }

  @inlinable mutating func flipNormals() {
    for i in normals.indices { normals[i] = -normals[i] }
  }

  @inlinable mutating func remove(at i: Int) {
    positions.remove(at: i)
    normals.remove(at: i)
    separations.remove(at: i)
    features.remove(at: i)
  }

  /// Keeps at most four points that span the contact patch: the deepest, the one farthest
  /// from it, then the two that add the most area on either side of that line. Four
  /// well-spread points are enough for a stable resting manifold, and a fixed rule keeps
  /// the choice deterministic.
  mutating func reduceToFour(normal n: Vec3) {
    // Past 64 points (a polytope's vertices against a plane) the shallowest go first.
    while count > 64 {
      var shallowest = 0
      for i in 1..<count where separations[i] >= separations[shallowest] { shallowest = i }
      remove(at: shallowest)
    }
    let c = count
    guard c > 4 else { return }
    var deepest = 0
    for i in 1..<c where separations[i] < separations[deepest] { deepest = i }
    var far = deepest == 0 ? 1 : 0
    var farDist = -1.0
    for i in 0..<c where i != deepest {
      let d = (positions[i] - positions[deepest]).lengthSquared
      if d > farDist {
        farDist = d
        far = i
      }
    }
    let a = positions[deepest]
    let b = positions[far]
    var left = -1
    var right = -1
    var leftArea = 0.0
    var rightArea = 0.0
    for i in 0..<c where i != deepest && i != far {
      let area = (b - a).cross(positions[i] - a).dot(n)
      if area > leftArea {
        leftArea = area
        left = i
      }
      if area < rightArea {
        rightArea = area
        right = i
      }
    }
    // A bit mask instead of an array keeps this allocation-free (c ≤ 64 here).
    var keep: UInt64 = 1 << UInt64(deepest) | 1 << UInt64(far)
    if left >= 0 { keep |= 1 << UInt64(left) }
    if right >= 0 { keep |= 1 << UInt64(right) }
    for i in stride(from: c - 1, through: 0, by: -1) where keep & (1 << UInt64(i)) == 0 { remove(at: i) }
  }
}
