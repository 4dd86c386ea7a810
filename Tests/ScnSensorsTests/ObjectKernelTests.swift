import CDevelop
import CShade
import ScnGeometry
import ScnScene
import Testing

@testable import ScnSensors

/// `ObjectKernel` (the `CShade` C kernel) shades object and stuff-solid hits in SIMD lanes:
/// each of its paths (AVX2, portable, and the automatic choice; AVX-512 runs the AVX2 code)
/// must give the bits of `Shader.objectSurface` or `Shader.stuffSurface` (and
/// `Shader.fogged`), the Swift code, for every hit of a batch, over random hits, object
/// poses, materials and looks of each texture it covers, footprints, normals, sun and sky
/// settings, fog and snow.
@Suite struct ObjectKernelTests {
  static let paths = [CDEVELOP_PATH_AUTO, CDEVELOP_PATH_PORTABLE, CDEVELOP_PATH_AVX2, CDEVELOP_PATH_AVX512].map { Int32($0) }

  static func uniform(_ key: UInt64, _ lower: Double, _ upper: Double) -> Double {
    GroundKernelTests.uniform(key, lower, upper)
  }

  /// Material slots of `texture`: rough and glossy, dielectric and metal, some emissive, each
  /// on an object of its own pose (turned about every axis, anywhere near the camera).
  static func surfaces(_ texture: SurfaceTexture, seed: UInt64) -> (surfaces: [ObjectSurface], materials: [Material]) {
    var surfaces: [ObjectSurface] = []
    var materials: [Material] = []
    let roughness = [0, 0.05, 0.35, 0.6, 0.9, 1]
    let metallic = [0, 0, 0.5, 1, 0, 0.2]
    for i in 0..<6 {
      let key = Hash.combine(seed, UInt64(i))
      func u(_ c: UInt64, _ a: Double, _ b: Double) -> Double { uniform(Hash.combine(key, c), a, b) }
      let material = Material(
        baseColour: RGB(u(1, 0, 1), u(2, 0, 1), u(3, 0, 1)), roughness: roughness[i], metallic: metallic[i],
        emissive: i == 4 ? RGB(30, 20, 5) : .black, texture: texture)
      let pose = Transform(
        rotation: Quaternion(yaw: u(4, -3, 3), pitch: u(5, -1.5, 1.5), roll: u(6, -3, 3)),
        translation: Vec3(u(7, -40, 40), u(8, -40, 40), u(9, 0, 3)))
      let object = SceneObject(
        instanceID: UInt32(1 + i * 37 + Int(seed % 1000)), semanticClass: 9, className: "thing", material: material,
        parts: [], transform: pose)
      surfaces.append(ObjectSurface(object, material: material, illuminance: 20_000))
      materials.append(material)
    }
    return (surfaces, materials)
  }

  /// A hit of a camera at `origin`: random directions, distances and normals (turned towards
  /// the camera or not), near and far, and special values.
  static func hit(_ i: Int, seed: UInt64) -> (t: Double, normal: Vec3, direction: Vec3, lit: Bool, slot: Int) {
    let key = Hash.combine(seed, UInt64(i))
    func u(_ c: UInt64, _ a: Double, _ b: Double) -> Double { uniform(Hash.combine(key, c), a, b) }
    var direction = Vec3(u(1, 0.6, 1.2), u(2, -0.9, 0.9), u(3, -0.9, 0.5))
    if i % 11 == 3 { direction = Vec3(u(1, -1, 1), u(2, -1, 1), u(3, -1, 1)) }
    var t = i % 3 == 0 ? u(4, 0.2, 4) : u(4, 0.5, 120)
    var normal = Vec3(u(5, -1, 1), u(6, -1, 1), u(7, -1, 1)).normalized
    switch i % 5 {
    case 1: normal = (-direction).normalized
    case 2: normal = Vec3(u(5, -0.2, 0.2), u(6, -0.2, 0.2), 1).normalized
    default: break
    }
    if i % 29 == 7 { t *= 1e3 }
    if i % 31 == 9 { t = 1e16 }  // beyond the noise's range
    if i % 37 == 11 { direction = .zero }
    if i % 41 == 13 { t = .nan }
    return (t, normal, direction, Hash.mix(key) & 3 != 0, Int(Hash.mix(key &+ 5) % 6))
  }

  /// A 640 x 480, 70° camera's hits on a wall 2–30 m ahead, pixel `i` of every fifth row, in
  /// row order (a vector step's lanes lie together, as in a frame), of runs of slots.
  static func cameraHit(_ i: Int, seed: UInt64) -> (t: Double, normal: Vec3, direction: Vec3, lit: Bool, slot: Int) {
    let focal = 457.0
    let row = 5 * (i / 640)
    let column = i % 640
    let direction = Vec3(1, (320 - Double(column) - 0.5) / focal, (240 - Double(row) - 0.5) / focal)
    let key = Hash.combine(seed, UInt64(i))
    let distance = 2 + 28 * Double(i / 640) / 24
    let normal = Vec3(-1, 0.1, 0.05).normalized
    return (distance, normal, direction, Hash.mix(key) % 10 != 0, (column / 37) % 6)
  }

  static func same(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern }
  static func same(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Bool { same(a.x, b.x) && same(a.y, b.y) && same(a.z, b.z) }

  static let textures: [SurfaceTexture] = [.plain, .paint, .skin, .fabric, .concrete]

  /// Stuff looks of `texture` (`StuffLook`: the metallic value as given, NaN among them).
  static func looks(_ texture: SurfaceTexture, seed: UInt64) -> [StuffLook] {
    let roughness = [0, 0.05, 0.35, 0.6, 0.9, 1]
    let metallic = [0, .nan, 0.5, 1, 1.5, -0.2]
    return (0..<6).map { i in
      let key = Hash.combine(seed, UInt64(i))
      func u(_ c: UInt64, _ a: Double, _ b: Double) -> Double { uniform(Hash.combine(key, c), a, b) }
      var look = StuffLook(
        Material(baseColour: RGB(u(1, 0, 1), u(2, 0, 1), u(3, 0, 1)), roughness: roughness[i], texture: texture))
      look.metallic = metallic[i]
      return look
    }
  }

  /// Every path against the Swift code for `count` hits of each texture, with and without
  /// fog, handed over in pieces of `piece`; the number of differing hits.
  static func check(
    environment: Environment, rayAngle: Double, count: Int, piece: Int, seed: UInt64, camera: Bool = false
  ) -> Int {
    check(environment: environment, rayAngle: rayAngle, count: count, piece: piece, seed: seed, camera: camera, stuff: false)
      + check(environment: environment, rayAngle: rayAngle, count: count, piece: piece, seed: seed, camera: camera, stuff: true)
  }

  /// `check` for objects, or with `stuff` for stuff solids (`Shader.stuffSurface`).
  static func check(
    environment: Environment, rayAngle: Double, count: Int, piece: Int, seed: UInt64, camera: Bool, stuff: Bool
  ) -> Int {
    let shader = Shader(
      environment: environment, lamps: LampSet([], environment: environment) { _ in nil }, rayAngle: rayAngle)
    let origin = Vec3(uniform(seed, -5, 5), uniform(seed &+ 1, -5, 5), uniform(seed &+ 2, 0.3, 3))
    let hits = (0..<count).map { camera ? cameraHit($0, seed: seed) : hit($0, seed: seed) }
    var mismatches = 0
    for texture in textures {
      let (surfaceList, materials) = surfaces(texture, seed: seed &+ 77)
      let lookList = looks(texture, seed: seed &+ 78)
      let base = UnsafeMutablePointer<ObjectSurface>.allocate(capacity: surfaceList.count)
      base.initialize(from: surfaceList, count: surfaceList.count)
      let lookBase = UnsafeMutablePointer<StuffLook>.allocate(capacity: lookList.count)
      lookBase.initialize(from: lookList, count: lookList.count)
      defer {
        base.deallocate()
        lookBase.deallocate()
      }
      let table =
        stuff ? ObjectKernelSlots(stuff: lookBase, count: lookList.count) : ObjectKernelSlots(base, materials: materials)
      let textures = SlotTextures(materials)
      let kind = table.kernelTexture(0)
      #expect(kind >= 0)
      // The Swift reference, a hit at a time.
      var cells = TextureNoiseCells()
      let expected: [(colour: SIMD3<Double>, brdf: SurfaceBRDF)?] = hits.map { h in
        let hit = RayHit(
          t: h.t, surface: stuff ? .stuff(index: h.slot) : .object(index: 0), normal: h.normal, materialSlot: h.slot, uv: nil)
        let primary = PrimaryHit(hit: hit, direction: h.direction, litSide: h.lit)
        guard let g = primary.geometry(from: origin, shader: shader) else { return nil }
        if stuff { return shader.stuffSurface(g, litSide: h.lit, look: lookList[h.slot], cells: &cells) }
        return shader.objectSurface(
          g, litSide: h.lit, surface: UnsafePointer(base + h.slot), slot: h.slot, uv: nil, textures: textures,
          cells: &cells)
      }
      let slotOf = UnsafeMutablePointer<Int32>.allocate(capacity: piece)
      defer { slotOf.deallocate() }
      mismatches += GroundKernelTests.forEveryPath(count: count, piece: piece) { path, fog, columns, start, n in
        for k in 0..<n {
          let h = hits[start + k]
          columns.set(k, t: h.t, normal: h.normal, direction: h.direction, litSide: h.lit)
          slotOf[k] = Int32(h.slot)
        }
        var kernel = ObjectKernel(shader: shader, origin: origin, fog: fog, stuff: stuff)
        kernel.path = path
        kernel.shade(columns, slotOf: slotOf, count: n, texture: kind, slots: table, material: !fog)
      } differs: { path, fog, columns, k, i in
        guard let e = expected[i] else { return nil }
        let h = hits[i]
        let colour = fog ? shader.fogged(e.colour, distance: h.t * h.direction.length) : e.colour
        var ok = same(columns.colour(k), colour)
        if !fog {
          // The BRDF the lamps would be given, from the kernel's albedo and roughness.
          let brdf = SurfaceBRDF(
            base: columns.albedo(k), roughness: columns.roughness(k),
            metallic: stuff ? lookList[h.slot].metallic : base[h.slot].metallic, normal: e.brdf.normal,
            view: e.brdf.view)
          ok =
            ok && same(brdf.diffuse, e.brdf.diffuse) && same(brdf.f0, e.brdf.f0)
            && same(brdf.roughness, e.brdf.roughness) && same(brdf.alpha2, e.brdf.alpha2) && same(brdf.nv, e.brdf.nv)
        }
        return ok
          ? nil : "path \(path) fog \(fog) stuff \(stuff) texture \(texture) hit \(i) \(h): \(columns.colour(k)) vs \(colour)"
      }
    }
    return mismatches
  }

  @Test(arguments: 0..<7)
  func everyPathGivesTheSwiftBits(environment index: Int) {
    GroundKernelTests.expectEveryRayAngle(environment: index) {
      Self.check(environment: $0, rayAngle: $1, count: 600, piece: 256, seed: $2)
    }
  }

  /// A camera's hits on a wall in row order, near and far (the octaves' fades, and the
  /// fabric's weave, crossing them), as a frame hands them over.
  @Test(arguments: [0, 1, 4])
  func cameraRowsGiveTheSwiftBits(environment index: Int) {
    #expect(
      Self.check(
        environment: GroundKernelTests.environments[index], rayAngle: 0.0019, count: 640 * 24, piece: 256,
        seed: UInt64(800 + index), camera: true) == 0)
  }

  /// Pieces that do not fill the vector steps (1, 3, 7, 13 hits) give the same bits.
  @Test func anyPieceGivesTheSwiftBits() {
    for piece in [1, 3, 7, 13] {
      #expect(
        Self.check(environment: GroundKernelTests.environments[4], rayAngle: 0.0019, count: 40, piece: piece, seed: 98)
          == 0)
    }
  }

  /// The kernel leaves other textures and slots with a base-colour image to the Swift code.
  @Test func coversOnlyItsTextures() {
    let bytes: [UInt8] = [255, 255, 255]
    guard let pixels = bytes.withUnsafeBufferPointer({ TexturePixels(width: 1, height: 1, srgb: $0) }) else {
      Issue.record("a 1 x 1 image")
      return
    }
    let image = TextureImage(pixels)
    var materials = SurfaceTexture.allCases.map { Material(baseColour: RGB(0.5, 0.5, 0.5), texture: $0) }
    materials.append(Material(baseColour: RGB(0.5, 0.5, 0.5), baseColourTexture: image))
    let list = materials.map { m in
      ObjectSurface(
        SceneObject(instanceID: 1, semanticClass: 9, className: "thing", material: m, parts: [], transform: .identity),
        material: m, illuminance: 20_000)
    }
    let base = UnsafeMutablePointer<ObjectSurface>.allocate(capacity: list.count)
    base.initialize(from: list, count: list.count)
    defer { base.deallocate() }
    let table = ObjectKernelSlots(base, materials: materials)
    let covered = (0..<materials.count).map { table.kernelTexture($0) >= 0 }
    let expected = SurfaceTexture.allCases.map { [.plain, .paint, .skin, .fabric, .concrete].contains($0) } + [false]
    #expect(covered == expected)
    #expect(table.kernelTexture(-1) == -1 && table.kernelTexture(materials.count) == -1)
  }

  /// Every kernel texture code, and the count of the rest after them, fit in the per-texture
  /// counts `SceneIntersector.shadeByTexture` keeps (`ObjectKernelSlots.Counts`).
  @Test func textureCountsFit() {
    #expect(ObjectKernelSlots.textures + 1 <= ObjectKernelSlots.Counts.scalarCount)
    for texture in SurfaceTexture.allCases {
      let code = Int(ObjectKernelSlots.code(texture))
      #expect(code >= -1 && code < ObjectKernelSlots.textures)
    }
    #expect(Set(SurfaceTexture.allCases.map { ObjectKernelSlots.code($0) }.filter { $0 >= 0 }).count == ObjectKernelSlots.textures)
  }
}
