import ScnScene
import ScnGeometry

/// The camera's light model (docs/scene-model.md, "Shading"): every surface reflects by the
/// metallic-roughness BRDF (`SurfaceBRDF`: GGX specular, Smith masking, Schlick Fresnel,
/// Lambert diffuse) the sun (with hard shadows), the sky and every lamp; the sky's share is an
/// analytic environment term (see `ambientLight`). In rain a wet ground with puddles that
/// mirror the scene (Fresnel-weighted), in snow white ground and snow on upward faces;
/// extinction by fog and precipitation with airlight towards the horizon colour (Koschmieder).
/// Exposure, sensor noise, the tone curve and sRGB encoding follow (`Exposure.swift`).
struct Shader: Sendable {
  let environment: Environment
  let sunDirection: Vec3
  let sunStrength: Double
  let ambient: Double
  let zenith: RGB
  /// Linear 0…1 (quantised to 1/4095) → sRGB 8-bit; a table keeps `pow` out of the pixel loop.
  let srgbTable: [UInt8]
  /// Extinction coefficient of the air (fog plus precipitation), 1/m.
  let extinction: Double
  /// Rain: share of the ground under standing water, 0 without rain.
  let puddleCover: Double
  let wet: Bool
  /// Snow: how fully upward faces are covered (0…1), 0 without snow.
  let snowCover: Double
  /// The scene's lamps (`LampSet`).
  let lamps: LampSet
  /// Radiance of the ground seen in a reflection (its mean albedo under the sun and sky).
  let groundRadiance: SIMD3<Double>
  /// Mean radiance of the upper sky (the sky at 30° elevation).
  let skyMean: SIMD3<Double>
  /// The ground's texture: concrete indoors, plain outdoors.
  let groundTexture: SurfaceTexture
  /// The angle in radians one camera ray stands for (a pixel's, divided by the side of the
  /// ray grid with several rays per pixel; 0 keeps every texture detail): sets the texture
  /// level of detail (`footprint(distance:cosine:)`).
  let rayAngle: Double

  /// Roughness of the plain ground.
  static let groundRoughness = 0.9

  static let tableSize = 4096

  init(environment: Environment, lamps: LampSet, rayAngle: Double = 0) {
    self.rayAngle = rayAngle.isFinite ? Swift.max(0, rayAngle) : 0
    self.environment = environment
    self.lamps = lamps
    sunDirection = environment.sunDirection
    let sunUp = environment.sunDirection.z > 0
    // Sunlight fades in over the first few degrees of elevation instead of snapping on.
    let fade = sunUp ? Swift.min(1, environment.sunDirection.z / 0.05) : 0
    sunStrength = (1 - environment.ambientFraction) * fade
    ambient = environment.ambientFraction
    extinction = environment.extinction
    switch environment.precipitation {
    case .rain(let r):
      wet = true
      puddleCover = Swift.min(0.45, 0.08 + 0.04 * Swift.max(0, r).squareRoot())
      snowCover = 0
    case .snow(let r):
      wet = false
      puddleCover = 0
      snowCover = Swift.min(1, Swift.max(0, r) / 0.5)
    case .none:
      wet = false
      puddleCover = 0
      snowCover = 0
    }
    let sky = environment.skyColour
    zenith = RGB(sky.red * 0.55, sky.green * 0.65, sky.blue * 0.85)
    let w = 0.5.squareRoot()
    skyMean = SIMD3(
      sky.red + (zenith.red - sky.red) * w, sky.green + (zenith.green - sky.green) * w,
      sky.blue + (zenith.blue - sky.blue) * w)
    let g = environment.groundColour
    groundRadiance = SIMD3(g.red, g.green, g.blue) * (ambient + sunStrength * Swift.max(0, sunDirection.z))
    groundTexture = environment.indoor ? .concrete : .plain
    srgbTable = Self.srgbValues
  }

  /// The sRGB table's bytes (the same for every shader, so built once).
  static let srgbValues: [UInt8] = (0..<tableSize).map { i in
    let linear = Double(i) / Double(tableSize - 1)
    let encoded = linear <= 0.0031308 ? 12.92 * linear : 1.055 * powDouble(linear, 1 / 2.4) - 0.055
    return UInt8(Swift.min(255, Swift.max(0, (encoded * 255).rounded())))
  }

  /// Sky radiance seen along a unit direction: the horizon colour fading to a deeper zenith.
  func sky(_ direction: Vec3) -> SIMD3<Double> { sky(directionZ: direction.z) }

  /// `sky(_:)` of a unit direction whose z component is `z`: the sky depends on no other.
  @inline(__always)
  func sky(directionZ z: Double) -> SIMD3<Double> {
    let up = Swift.max(0, z)
    let w = up.squareRoot()
    let h = environment.skyColour
    return SIMD3(
      h.red + (zenith.red - h.red) * w, h.green + (zenith.green - h.green) * w,
      h.blue + (zenith.blue - h.blue) * w)
  }

  /// `sky(directionZ: d.z / d.length)` of two ray directions `u` and `v` at once, in
  /// SIMD2 lanes (one square root or division for both; `shadeSky` uses the C kernel
  /// `SkyKernel`, which gives the same bits eight at a time). Each lane does the scalar code's
  /// operations in its order: the length as (x² + y²) + z² and its square root, the
  /// division, `Swift.max(0, z)` as `z >= 0 ? z : 0` (NaN gives 0), the square root and the
  /// blend; so each gets the same bits as alone (`SkyLanesTests`).
  @inline(__always)
  func sky(_ u: Vec3, _ v: Vec3) -> (SIMD3<Double>, SIMD3<Double>) {
    let x = SIMD2(u.x, v.x)
    let y = SIMD2(u.y, v.y)
    let z = SIMD2(u.z, v.z)
    let unitZ = z / (x * x + y * y + z * z).squareRoot()
    let up = SIMD2<Double>(repeating: 0).replacing(with: unitZ, where: unitZ .>= 0)
    let w = up.squareRoot()
    let h = environment.skyColour
    let red = h.red + (zenith.red - h.red) * w
    let green = h.green + (zenith.green - h.green) * w
    let blue = h.blue + (zenith.blue - h.blue) * w
    return (SIMD3(red[0], green[0], blue[0]), SIMD3(red[1], green[1], blue[1]))
  }

  var horizon: SIMD3<Double> {
    SIMD3(environment.skyColour.red, environment.skyColour.green, environment.skyColour.blue)
  }

  /// The patch of surface one camera ray stands for, `distance` metres away, its normal at
  /// `cosine` to the view (docs/scene-model.md, "Texture level of detail"): distance ×
  /// `rayAngle` across the view and 1/cosine times that along it; its width is their
  /// geometric mean (the side of a square of the same area), the stretch capped at 1/√0.05
  /// for grazing views.
  @inline(__always)
  func footprint(distance: Double, cosine: Double) -> TextureFootprint {
    let across = distance * rayAngle
    return TextureFootprint(spread: across * across, cosine: Swift.max(0.05, abs(cosine)))
  }

  /// An object's base colour and roughness at world point `p`: its material's procedural
  /// texture (`ProceduralTexture`) in the object's own frame, so the pattern moves with it,
  /// at the detail of `footprint` (rigid frames keep lengths); `cells` as for
  /// `ProceduralTexture.sample`.
  @inline(__always)
  func objectMaterial(
    _ surface: ObjectSurface, at p: Vec3, normal n: Vec3, footprint: TextureFootprint,
    cells: inout TextureNoiseCells
  ) -> (colour: SIMD3<Double>, roughness: Double) {
    withUnsafePointer(to: surface) { objectMaterial($0, at: p, normal: n, footprint: footprint, cells: &cells) }
  }

  /// `objectMaterial` of the surface at `surface` (`ObjectSurfaces.base`), read in place:
  /// an `ObjectSurface` is 192 bytes, copied on the stack when passed by value. Only wood
  /// reads the normal (its grain direction), so only wood turns it into the object's frame.
  @inline(__always)
  func objectMaterial(
    _ surface: UnsafePointer<ObjectSurface>, at p: Vec3, normal n: Vec3, footprint: TextureFootprint,
    cells: inout TextureNoiseCells
  ) -> (colour: SIMD3<Double>, roughness: Double) {
    let texture = surface.pointee.texture
    let toObject = surface.pointee.worldToObject
    let roughness = surface.pointee.roughness
    let local = toObject.apply(toPoint: p)
    let t = ProceduralTexture.sample(
      texture, seed: surface.pointee.seed, at: local, normal: texture == .wood ? toObject.apply(toVector: n) : n,
      roughness: roughness, footprint: footprint, cells: &cells)
    return (surface.pointee.colour * t.tint, Swift.min(1, Swift.max(0, roughness + t.roughness)))
  }

  /// The plain (or indoor concrete) ground's albedo at `p`, at the detail of `footprint`;
  /// `cells` keeps the noise's last lattice cells
  /// (`Hash.valueNoise2D(seed:_:_:cell:)`; the same value without it).
  @inline(__always)
  func groundAlbedo(at p: Vec3, footprint: TextureFootprint = .none, cells: inout GroundNoiseCells) -> SIMD3<Double> {
    if groundTexture != .plain {
      let c = environment.groundColour
      let t = ProceduralTexture.sample(
        groundTexture, seed: 0x6A09_E667, at: p, normal: Vec3(0, 0, 1), roughness: Self.groundRoughness,
        footprint: footprint, cells: &cells.texture)
      return SIMD3(c.red, c.green, c.blue) * t.tint
    }
    let coarseDetail = ProceduralTexture.detail(frequency: 0.7, footprint: footprint)
    let coarse =
      coarseDetail > 0
      ? (Hash.valueNoise2D(seed: 0x6A09_E667, p.x * 0.7, p.y * 0.7, cell: &cells.coarse) - 0.5) * coarseDetail : 0
    let fineDetail = ProceduralTexture.detail(frequency: 6, footprint: footprint)
    let fine =
      fineDetail > 0 ? (Hash.valueNoise2D(seed: 0xBB67_AE85, p.x * 6, p.y * 6, cell: &cells.fine) - 0.5) * fineDetail : 0
    // Snow evens out the ground's texture.
    let strength = snowCover > 0 ? 0.3 : 1
    let scale = 1 + strength * (0.25 * coarse + 0.12 * fine)
    let c = environment.groundColour
    return SIMD3(c.red, c.green, c.blue) * scale
  }

  /// Standing water on the ground at `p` in rain: 0 (dry-ish wet asphalt) … 1 (puddle). The
  /// puddles are a threshold of low-frequency noise placed so that about `puddleCover` of
  /// the ground lies under water; their edges blend over a few centimetres.
  /// `cells` as for `groundAlbedo`.
  @inline(__always)
  func puddle(at p: Vec3, cells: inout GroundNoiseCells) -> Double {
    guard puddleCover > 0 else { return 0 }
    let n =
      0.7 * Hash.valueNoise2D(seed: 0x3C6E_F372, p.x * 0.3, p.y * 0.3, cell: &cells.puddleLow)
      + 0.3 * Hash.valueNoise2D(seed: 0xA54F_F53A, p.x * 1.1, p.y * 1.1, cell: &cells.puddleHigh)
    // The noise is roughly symmetric about 0.5 with a spread of about ±0.2.
    let threshold = 0.5 + 0.42 * (0.5 - puddleCover)
    let t = (n - threshold) / 0.03
    return t <= 0 ? 0 : (t >= 1 ? 1 : t * t * (3 - 2 * t))
  }

  /// Schlick's approximation of water's Fresnel reflectance (F0 = 0.02) for a ray meeting a
  /// level surface at `cosine` from the normal.
  func waterReflectance(cosine: Double) -> Double {
    let m = 1 - Swift.min(1, Swift.max(0, cosine))
    let m2 = m * m
    return 0.02 + 0.98 * m2 * m2 * m
  }

  /// An object's albedo under snow: faces turned upwards whiten with the cover.
  @inline(__always)
  func snowCovered(_ albedo: SIMD3<Double>, normal n: Vec3) -> SIMD3<Double> {
    guard snowCover > 0, n.z > 0.5 else { return albedo }
    let t = Swift.min(1, (n.z - 0.5) / 0.35)
    let s = snowCover * t * t * (3 - 2 * t)
    return albedo * (1 - s) + SIMD3(repeating: 0.82) * s
  }

  /// Radiance of a surface point lit without a shadow test (mirror images in puddles).
  func unshadowed(_ brdf: SurfaceBRDF) -> SIMD3<Double> {
    surface(brdf, sunVisible: true)
  }

  /// Radiance leaving a surface point towards the camera before fog, from the sun and the
  /// sky (lamps are added by `SceneIntersector.lampLight`).
  @inline(__always)
  func surface(_ brdf: SurfaceBRDF, sunVisible: Bool) -> SIMD3<Double> {
    var colour = ambientLight(brdf)
    if sunVisible && sunStrength > 0 {
      let cosine = brdf.normal.dot(sunDirection)
      if cosine > 0 { colour += brdf.reflectance(toward: sunDirection) * (sunStrength * cosine) }
    }
    return colour
  }

  /// The sky's share of the light, an analytic environment term without prefiltered maps:
  /// diffuse, the sky irradiance (faces turned to the sky get more of it than those facing
  /// the ground: ambient × (0.75 + 0.25 n_z)) times the diffuse albedo and the share the
  /// specular lobe leaves, 1 − (f0·A + B); specular, the environment's radiance along the
  /// mirror direction (the drawn sky above the horizon, the lit ground below it), blurred
  /// towards the mean of the hemisphere as the roughness grows, times the lobe's directional
  /// albedo f0·A + B (`SurfaceBRDF.environmentSpecular`). Nothing occludes the sky.
  @inline(__always)
  func ambientLight(_ brdf: SurfaceBRDF) -> SIMD3<Double> {
    let n = brdf.normal
    let specular = brdf.environmentSpecular
    let skyLight = ambient * (0.75 + 0.25 * n.z)
    let r = brdf.reflected
    let sharp = r.z >= 0 ? sky(r) : groundRadiance
    let up = 0.5 + 0.5 * Swift.min(1, Swift.max(-1, r.z))
    let blurred = groundRadiance + (skyMean - groundRadiance) * up
    let w = Swift.min(1, 1.5 * brdf.roughness)
    let environment = sharp + (blurred - sharp) * w
    return brdf.diffuse * (SIMD3(repeating: 1) - specular) * skyLight + specular * environment
  }

  /// Koschmieder's law: radiance from `distance` metres keeps e^(−σd) and the air adds the
  /// horizon's radiance (airlight) for the rest, so a target's contrast against the horizon
  /// falls as e^(−σd).
  @inline(__always)
  func fogged(_ colour: SIMD3<Double>, distance: Double) -> SIMD3<Double> {
    guard extinction > 0 else { return colour }
    let keep = expDouble(-extinction * distance)
    return colour * keep + horizon * (1 - keep)
  }

  /// The 8-bit sRGB value of a linear signal (already exposed, noise added): the tone
  /// curve, then the sRGB table.
  @inline(__always)
  func encode(signal v: Double, _ table: UnsafeBufferPointer<UInt8>) -> UInt8 {
    guard v > 0 else { return 0 }  // and NaN
    let toned = ToneCurve.apply(v)
    let index = toned >= 1 ? Self.tableSize - 1 : Int(toned * Double(Self.tableSize - 1) + 0.5)
    return table[index]
  }
}

/// What the shader needs of an object, as plain values: reading `SceneObject` in the pixel
/// loop would retain and release its strings and arrays from every thread.
struct ObjectSurface {
  var instanceID: UInt16
  var semanticClass: UInt8
  /// Base colour times a per-instance tint.
  var colour: SIMD3<Double>
  var roughness: Double
  var metallic: Double
  var texture: SurfaceTexture
  /// World → object frame, for textures that move with the object.
  var worldToObject: Transform
  var seed: UInt64
  /// Emitted radiance in the shader's units (the ambient illuminance): a surface of
  /// luminance L cd/m² reads as a white diffuse surface under π·L lux.
  var emission: SIMD3<Double>

  init(_ object: SceneObject, material: Material, illuminance: Double) {
    let e = material.emissive
    let scale = Double.pi / Swift.max(1e-3, illuminance)
    emission = e.red > 0 || e.green > 0 || e.blue > 0 ? SIMD3(e.red, e.green, e.blue) * scale : .zero
    instanceID = UInt16(truncatingIfNeeded: object.instanceID)
    semanticClass = object.semanticClass
    roughness = material.roughness.isFinite ? Swift.min(1, Swift.max(0, material.roughness)) : 0.5
    metallic = material.metallic.isFinite ? Swift.min(1, Swift.max(0, material.metallic)) : 0
    texture = material.texture
    worldToObject = object.transform.inverse
    seed = Hash.mix(UInt64(object.instanceID))
    let tint = 0.94 + 0.12 * Hash.unit(seed)
    let c = material.baseColour
    colour = SIMD3(c.red, c.green, c.blue) * tint
  }
}

/// Object surfaces in raw memory for the pixel loop, one per material slot (a hit's
/// `materialSlot`): each object's own material, then the parts' own materials.
final class ObjectSurfaces: @unchecked Sendable {
  // @unchecked: written only in `init`, read-only afterwards.
  let base: UnsafeMutablePointer<ObjectSurface>
  /// Base-colour images of the slots that have one (`SlotTextures`, TextureLookup.swift).
  let textures: SlotTextures
  /// The looks of the stuff solids and the road paint (`StuffLooks`, StuffShading.swift).
  let stuff: StuffLooks
  /// The slots as the object kernel reads them (`ObjectKernelSlots`, ObjectKernel.swift).
  let kernel: ObjectKernelSlots

  init(_ objects: [SceneObject], stuff: Stuff, table: PrimitiveTable, illuminance: Double) {
    self.stuff = StuffLooks(stuff)
    let surfaces = zip(table.materials, table.materialOwner).map { material, owner in
      ObjectSurface(objects[Int(owner)], material: material, illuminance: illuminance)
    }
    base = .allocate(capacity: Swift.max(1, surfaces.count))
    base.initialize(from: surfaces, count: surfaces.count)
    textures = SlotTextures(table.materials)
    kernel = ObjectKernelSlots(base, materials: Array(table.materials.prefix(surfaces.count)))
  }

  deinit { base.deallocate() }
}
