import ScnScene
import ScnGeometry

/// Every part of every object flattened into world-space primitives, one fixed-size record
/// each, so the intersection loop reads one contiguous array: the top level of the two-level
/// hierarchy. A mesh part becomes one instance record naming a mesh built once in `meshStore`
/// (the bottom level; see Instances.swift and MeshBVH.swift).
struct PrimitiveTable: Sendable {
  enum Kind: UInt8, Sendable {
    case box, sphere, cylinder, instance
  }

  /// Doubles per record. Box and cylinder: rows 0–8 the world→local rotation, 9–11 the
  /// centre, 12–14 the half extents (cylinder: radius, half height). Sphere: 9–11 centre,
  /// 12 radius. Mesh instance: rows 0–8 and 9–11 as a box (the part's frame), 12 the index
  /// of the mesh in `meshStore`.
  static let stride = 16

  private(set) var kinds: [Kind] = []
  private(set) var data: [Double] = []
  /// Index into the scene's object list.
  private(set) var objectIndex: [UInt32] = []
  /// Per primitive, its material slot: slot k < objects.count is object k's own material;
  /// a part with a material or a part label of its own gets a slot after those (`materials`).
  private(set) var materialSlot: [UInt32] = []
  /// Material of every slot, the object each slot belongs to, and the part label of its part
  /// (nil for an object's own slot): what the `parts` images read.
  private(set) var materials: [Material] = []
  private(set) var materialOwner: [UInt32] = []
  private(set) var materialLabel: [String?] = []
  private(set) var bounds: [AABB] = []
  /// For each object, the indices of its primitives (ascending).
  private(set) var primitivesOfObject: [[UInt32]] = []
  /// The distinct meshes the instance records name.
  private(set) var meshStore = MeshStore()

  var count: Int { kinds.count }

  init(objects: [SceneObject]) throws {
    primitivesOfObject.reserveCapacity(objects.count)
    materials = objects.map(\.material)
    materialOwner = objects.indices.map { UInt32($0) }
    materialLabel = Array(repeating: nil, count: objects.count)
    for (index, object) in objects.enumerated() {
      var mine: [UInt32] = []
      for part in object.parts {
        let placed = object.transform * part.transform
        var slot = UInt32(index)
        let own = part.material.flatMap { $0 != object.material ? $0 : nil }
        if own != nil || part.label != nil {
          slot = UInt32(materials.count)
          materials.append(own ?? object.material)
          materialOwner.append(UInt32(index))
          materialLabel.append(part.label)
        }
        let first = kinds.count
        try append(part.shape, placed: placed, object: UInt32(index), instanceID: object.instanceID, into: &mine)
        materialSlot.append(contentsOf: repeatElement(slot, count: kinds.count - first))
      }
      primitivesOfObject.append(mine)
    }
  }

  private mutating func append(
    _ shape: PartShape, placed: Transform, object: UInt32, instanceID: UInt32, into mine: inout [UInt32]
  ) throws {
    func finite(_ values: Double...) -> Bool { values.allSatisfy { $0.isFinite } }
    let axes = placed.rotation.normalized.basis
    let c = placed.translation
    guard finite(c.x, c.y, c.z) else {
      throw RenderError.invalidPart(instanceID: instanceID, reason: "non-finite pose")
    }
    switch shape {
    case .box(let size):
      guard finite(size.x, size.y, size.z), size.minComponent > 0 else {
        throw RenderError.invalidPart(instanceID: instanceID, reason: "box size must be positive")
      }
      let h = size / 2
      push(
        .box, axes: axes, centre: c, own: (h.x, h.y, h.z),
        OrientedBox(center: c, halfExtents: h, rotation: placed.rotation.normalized).bounds, object, &mine)
    case .sphere(let radius):
      guard finite(radius), radius > 0 else {
        throw RenderError.invalidPart(instanceID: instanceID, reason: "sphere radius must be positive")
      }
      push(
        .sphere, axes: axes, centre: c, own: (radius, 0, 0),
        AABB(lower: c - Vec3(repeating: radius), upper: c + Vec3(repeating: radius)), object, &mine)
    case .cylinder(let radius, let height):
      guard finite(radius, height), radius > 0, height > 0 else {
        throw RenderError.invalidPart(instanceID: instanceID, reason: "cylinder radius and height must be positive")
      }
      let az = axes.z
      // Bounds of a disc of radius r on axis a: ±r·sqrt(1 − a_i²) per world axis.
      let capRadius = Vec3(
        radius * Swift.max(0, 1 - az.x * az.x).squareRoot(), radius * Swift.max(0, 1 - az.y * az.y).squareRoot(),
        radius * Swift.max(0, 1 - az.z * az.z).squareRoot())
      let top = c + az * (height / 2)
      let bottom = c - az * (height / 2)
      let box = AABB(lower: top - capRadius, upper: top + capRadius)
        .union(AABB(lower: bottom - capRadius, upper: bottom + capRadius))
      push(.cylinder, axes: axes, centre: c, own: (radius, height / 2, 0), box, object, &mine)
    case .mesh(let mesh):
      // One instance record; the triangles live once in the shared mesh BVH (Instances.swift).
      let index = try meshStore.mesh(mesh, instanceID: instanceID)
      let built = meshStore.meshes[index]
      if built.triangleCount == 0 { return }  // only degenerate triangles: invisible
      let frame = Transform(rotation: placed.rotation.normalized, translation: c)
      push(
        .instance, axes: axes, centre: c, own: (Double(index), 0, 0), Self.instanceBounds(built, placed: frame),
        object, &mine)
    }
  }

  /// Appends a record: rows 0–8 the world→local rotation (its rows are the part's local axes
  /// expressed in the world), 9–11 the centre, then the kind's own values (`stride`'s list)
  /// from 12 on, the rest zero.
  private mutating func push(
    _ kind: Kind, axes: (x: Vec3, y: Vec3, z: Vec3), centre c: Vec3, own: (Double, Double, Double), _ box: AABB,
    _ object: UInt32, _ mine: inout [UInt32]
  ) {
    mine.append(UInt32(kinds.count))
    kinds.append(kind)
    let start = data.count
    data.append(contentsOf: repeatElement(0, count: Self.stride))
    data.withUnsafeMutableBufferPointer { data in
      let r = data.baseAddress.map { $0 + start }
      guard let r else { return }
      let (ax, ay, az) = axes
      (r[0], r[1], r[2]) = (ax.x, ax.y, ax.z)
      (r[3], r[4], r[5]) = (ay.x, ay.y, ay.z)
      (r[6], r[7], r[8]) = (az.x, az.y, az.z)
      (r[9], r[10], r[11]) = (c.x, c.y, c.z)
      (r[12], r[13], r[14]) = own
    }
    objectIndex.append(object)
    bounds.append(box)
  }
}

/// The primitive table copied into raw memory for the hot loops: plain pointer loads, no
/// array bounds checks and no reference counting shared between threads.
final class FlatPrimitives: @unchecked Sendable {
  // @unchecked: written only in `init`, read-only afterwards.
  let data: UnsafeMutablePointer<Double>
  let kinds: UnsafeMutablePointer<PrimitiveTable.Kind>
  let objects: UnsafeMutablePointer<UInt32>
  /// Per primitive, its material slot (`PrimitiveTable.materialSlot`).
  let materialSlots: UnsafeMutablePointer<UInt32>
  /// Per primitive, its bounds rounded outwards to Float32 (`BVH.conservative`): lower x, y,
  /// z, upper x, y, z. A `FloatRay` slab test on them rejects most misses before the exact test.
  let bounds: UnsafeMutablePointer<Float>
  /// The bottom level: views of `table.meshStore`'s meshes, which `meshOwners` keeps alive.
  let meshes: UnsafeMutablePointer<MeshView>
  private let meshOwners: [MeshBVH]
  /// Per mesh, what a hit needs once found (triangle index, texture coordinates), apart
  /// from `meshes` so the traversal's views stay small.
  let meshHitData: UnsafeMutablePointer<MeshHitData>
  /// Stack entries the deepest mesh's walk needs.
  let meshStackDepth: Int

  init(_ table: PrimitiveTable) {
    meshOwners = table.meshStore.meshes
    meshes = .allocate(capacity: Swift.max(1, meshOwners.count))
    meshes.initialize(from: meshOwners.map(\.view), count: meshOwners.count)
    meshStackDepth = meshOwners.reduce(0) { Swift.max($0, $1.stackDepth) }
    meshHitData = .allocate(capacity: Swift.max(1, meshOwners.count))
    meshHitData.initialize(
      from: meshOwners.map {
        MeshHitData(triangleIndex: UnsafePointer($0.topology.triangleOfSlot), uvs: $0.uvs.map { UnsafePointer($0) }, count: $0.triangleCount)
      }, count: meshOwners.count)
    data = .allocate(capacity: Swift.max(1, table.data.count))
    data.initialize(from: table.data, count: table.data.count)
    kinds = .allocate(capacity: Swift.max(1, table.kinds.count))
    kinds.initialize(from: table.kinds, count: table.kinds.count)
    objects = .allocate(capacity: Swift.max(1, table.objectIndex.count))
    objects.initialize(from: table.objectIndex, count: table.objectIndex.count)
    materialSlots = .allocate(capacity: Swift.max(1, table.materialSlot.count))
    materialSlots.initialize(from: table.materialSlot, count: table.materialSlot.count)
    bounds = .allocate(capacity: Swift.max(1, table.bounds.count * 6))
    for (primitive, box) in table.bounds.enumerated() {
      let (lower, upper) = BVH.conservative(box)
      let b = bounds + primitive * 6
      (b[0], b[1], b[2], b[3], b[4], b[5]) = (lower.x, lower.y, lower.z, upper.x, upper.y, upper.z)
    }
  }

  deinit {
    data.deallocate()
    kinds.deallocate()
    objects.deallocate()
    materialSlots.deallocate()
    bounds.deallocate()
    meshes.deallocate()
    meshHitData.deallocate()
  }

  /// The triangle index and texture coordinates of a hit on mesh instance `primitive` at
  /// leaf slot `slot`, barycentric (u, v) (`MeshHitScratch`).
  @inline(__always)
  func surfacePoint(_ primitive: Int, slot: Int, u: Double, v: Double) -> (triangle: Int, uv: SIMD2<Double>?) {
    let mesh = Int(record(primitive)[12])
    guard mesh >= 0, mesh < meshOwners.count else { return (-1, nil) }
    return meshHitData[mesh].surfacePoint(slot: slot, u: u, v: v)
  }

  /// Whether `ray` may enter primitive `primitive`'s bounds within its parameter window.
  @inline(__always)
  func mayHit(_ primitive: Int, _ ray: FloatRay, lowerLimit: Float, upperLimit: Float) -> Bool {
    let b = bounds + primitive * 6
    let (near, far) = ray.slab(
      lower: (b[0], b[1], b[2]), upper: (b[3], b[4], b[5]), lowerLimit: lowerLimit, upperLimit: upperLimit)
    return near <= far
  }

  @inline(__always) func record(_ primitive: Int) -> UnsafePointer<Double> {
    UnsafePointer(data + primitive * PrimitiveTable.stride)
  }
}

/// Plain pointers into a `MeshBVH` for what a hit needs once found (see `MeshBVH.uvs`).
struct MeshHitData {
  let triangleIndex: UnsafePointer<UInt32>
  let uvs: UnsafePointer<Float>?
  let count: Int

  /// The triangle's index in its mesh and the texture coordinates interpolated at
  /// barycentric (u, v), the weights of its second and third vertex (nil: no coordinates).
  @inline(__always)
  func surfacePoint(slot: Int, u: Double, v: Double) -> (triangle: Int, uv: SIMD2<Double>?) {
    guard slot >= 0, slot < count else { return (-1, nil) }
    let triangle = Int(triangleIndex[slot])
    guard let uvs else { return (triangle, nil) }
    let t = uvs + slot * 6
    let w = 1 - u - v
    return (
      triangle,
      SIMD2(
        w * Double(t[0]) + u * Double(t[2]) + v * Double(t[4]), w * Double(t[1]) + u * Double(t[3]) + v * Double(t[5]))
    )
  }
}

/// Ray–primitive tests in double precision. `origin`/`direction` are world space; the
/// direction need not be unit length. Each returns the smallest t in (tMin, tMax) or nil
/// (a mesh instance with `anyHit`: the first hit its walk finds).
enum PrimitiveIntersection {
  @inline(__always)
  static func intersect(
    _ kind: PrimitiveTable.Kind, _ p: UnsafePointer<Double>, origin o: Vec3, direction d: Vec3, tMin: Double,
    tMax: Double, meshes: UnsafePointer<MeshView>, anyHit: Bool, scratch: UnsafeMutablePointer<MeshHitScratch>
  ) -> Double? {
    switch kind {
    case .box: return box(p, o, d, tMin, tMax)
    case .sphere: return sphere(p, o, d, tMin, tMax)
    case .cylinder: return cylinder(p, o, d, tMin, tMax)
    case .instance: return instance(p, o, d, tMin, tMax, meshes: meshes, anyHit: anyHit, scratch: scratch)
    }
  }

  @inline(__always)
  static func toLocal(_ p: UnsafePointer<Double>, _ o: Vec3, _ d: Vec3) -> (Vec3, Vec3) {
    let r = o - Vec3(p[9], p[10], p[11])
    let lo = Vec3(
      p[0] * r.x + p[1] * r.y + p[2] * r.z, p[3] * r.x + p[4] * r.y + p[5] * r.z,
      p[6] * r.x + p[7] * r.y + p[8] * r.z)
    let ld = Vec3(
      p[0] * d.x + p[1] * d.y + p[2] * d.z, p[3] * d.x + p[4] * d.y + p[5] * d.z,
      p[6] * d.x + p[7] * d.y + p[8] * d.z)
    return (lo, ld)
  }

  @inline(__always)
  static func toWorld(_ p: UnsafePointer<Double>, _ v: Vec3) -> Vec3 {
    Vec3(
      p[0] * v.x + p[3] * v.y + p[6] * v.z, p[1] * v.x + p[4] * v.y + p[7] * v.z,
      p[2] * v.x + p[5] * v.y + p[8] * v.z)
  }

  static func box(_ p: UnsafePointer<Double>, _ o: Vec3, _ d: Vec3, _ tMin: Double, _ tMax: Double) -> Double? {
    let (lo, ld) = toLocal(p, o, d)
    var near = -Double.infinity
    var far = Double.infinity
    // Unrolled slabs: SIMD3 subscripts in a loop cost more than the arithmetic.
    @inline(__always) func slab(_ origin: Double, _ direction: Double, _ half: Double) -> Bool {
      if direction == 0 { return origin >= -half && origin <= half }
      let inv = 1 / direction
      let t0 = (-half - origin) * inv
      let t1 = (half - origin) * inv
      let (a, b) = t0 < t1 ? (t0, t1) : (t1, t0)
      if a > near { near = a }
      if b < far { far = b }
      return true
    }
    guard slab(lo.x, ld.x, p[12]), slab(lo.y, ld.y, p[13]), slab(lo.z, ld.z, p[14]), near <= far else { return nil }
    if near > tMin && near < tMax { return near }
    if far > tMin && far < tMax { return far }  // ray starts inside
    return nil
  }

  static func sphere(_ p: UnsafePointer<Double>, _ o: Vec3, _ d: Vec3, _ tMin: Double, _ tMax: Double) -> Double? {
    let oc = o - Vec3(p[9], p[10], p[11])
    let r = p[12]
    let a = d.dot(d)
    let halfB = oc.dot(d)
    let c = oc.dot(oc) - r * r
    let disc = halfB * halfB - a * c
    if disc < 0 { return nil }
    let s = disc.squareRoot()
    let t0 = (-halfB - s) / a
    if t0 > tMin && t0 < tMax { return t0 }
    let t1 = (-halfB + s) / a
    if t1 > tMin && t1 < tMax { return t1 }
    return nil
  }

  static func cylinder(_ p: UnsafePointer<Double>, _ o: Vec3, _ d: Vec3, _ tMin: Double, _ tMax: Double) -> Double? {
    let (lo, ld) = toLocal(p, o, d)
    let r = p[12]
    let hh = p[13]
    var best = tMax
    var found = false
    // Side: x² + y² = r² with |z| ≤ hh.
    let a = ld.x * ld.x + ld.y * ld.y
    if a > 0 {
      let halfB = lo.x * ld.x + lo.y * ld.y
      let c = lo.x * lo.x + lo.y * lo.y - r * r
      let disc = halfB * halfB - a * c
      if disc >= 0 {
        let s = disc.squareRoot()
        // The nearer root, then the farther one (written out: an array literal here was a
        // heap allocation per test).
        func side(_ t: Double) {
          guard t > tMin && t < best else { return }
          let z = lo.z + t * ld.z
          if z >= -hh && z <= hh {
            best = t
            found = true
          }
        }
        side((-halfB - s) / a)
        side((-halfB + s) / a)
      }
    }
    // Caps: z = ±hh with x² + y² ≤ r², the lower cap first.
    if ld.z != 0 {
      func cap(_ capZ: Double) {
        let t = (capZ - lo.z) / ld.z
        if t > tMin && t < best {
          let x = lo.x + t * ld.x
          let y = lo.y + t * ld.y
          if x * x + y * y <= r * r {
            best = t
            found = true
          }
        }
      }
      cap(-hh)
      cap(hh)
    }
    return found ? best : nil
  }

  /// The outward unit normal of the primitive at a surface point; for a mesh instance, the
  /// normal of the hit `scratch` recorded, already facing the ray `direction`.
  static func normal(
    _ kind: PrimitiveTable.Kind, _ p: UnsafePointer<Double>, at point: Vec3, direction: Vec3,
    meshes: UnsafePointer<MeshView>, scratch: MeshHitScratch
  ) -> Vec3 {
    switch kind {
    case .instance:
      return instanceNormal(p, direction: direction, meshes: meshes, scratch: scratch)
    case .sphere:
      return (point - Vec3(p[9], p[10], p[11])).normalized
    case .box:
      let (local, _) = toLocal(p, point, .zero)
      let h = Vec3(p[12], p[13], p[14])
      let q = Vec3(abs(local.x) / h.x, abs(local.y) / h.y, abs(local.z) / h.z)
      var n = Vec3.zero
      if q.x >= q.y && q.x >= q.z {
        n.x = local.x < 0 ? -1 : 1
      } else if q.y >= q.z {
        n.y = local.y < 0 ? -1 : 1
      } else {
        n.z = local.z < 0 ? -1 : 1
      }
      return toWorld(p, n)
    case .cylinder:
      let (local, _) = toLocal(p, point, .zero)
      let r = p[12]
      let hh = p[13]
      let radial = (local.x * local.x + local.y * local.y).squareRoot() / r
      let axial = abs(local.z) / hh
      if axial >= radial || radial == 0 { return toWorld(p, Vec3(0, 0, local.z < 0 ? -1 : 1)) }
      return toWorld(p, Vec3(local.x, local.y, 0).normalized)
    }
  }
}
