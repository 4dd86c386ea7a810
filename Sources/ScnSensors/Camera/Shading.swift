import ScnGeometry

/// The camera's light model: Lambertian surfaces lit by the sun (with hard shadows) and a
/// uniform sky, distance fog towards the horizon colour, then exposure and sRGB encoding.
struct Shader: Sendable {
  let environment: Environment
  let sunDirection: Vec3
  let sunStrength: Double
  let ambient: Double
  let exposure: Double
  let zenith: RGB
  /// Linear 0…1 (quantised to 1/4095) → sRGB 8-bit; a table keeps `pow` out of the pixel loop.
  let srgbTable: [UInt8]

  static let tableSize = 4096

  init(environment: Environment) {
    self.environment = environment
    sunDirection = environment.sunDirection
    let sunUp = environment.sunDirection.z > 0
    // Sunlight fades in over the first few degrees of elevation instead of snapping on.
    let fade = sunUp ? Swift.min(1, environment.sunDirection.z / 0.05) : 0
    sunStrength = (1 - environment.ambientFraction) * fade
    ambient = environment.ambientFraction
    exposure = environment.exposureScale
    let sky = environment.skyColour
    zenith = RGB(sky.red * 0.55, sky.green * 0.65, sky.blue * 0.85)
    srgbTable = (0..<Self.tableSize).map { i in
      let linear = Double(i) / Double(Self.tableSize - 1)
      let encoded = linear <= 0.0031308 ? 12.92 * linear : 1.055 * powDouble(linear, 1 / 2.4) - 0.055
      return UInt8(Swift.min(255, Swift.max(0, (encoded * 255).rounded())))
    }
  }

  /// Sky radiance seen along a unit direction: the horizon colour fading to a deeper zenith.
  func sky(_ direction: Vec3) -> SIMD3<Double> {
    let up = Swift.max(0, direction.z)
    let w = up.squareRoot()
    let h = environment.skyColour
    return SIMD3(
      h.red + (zenith.red - h.red) * w, h.green + (zenith.green - h.green) * w,
      h.blue + (zenith.blue - h.blue) * w)
  }

  var horizon: SIMD3<Double> {
    SIMD3(environment.skyColour.red, environment.skyColour.green, environment.skyColour.blue)
  }

  /// Object albedo with deterministic texture: a per-instance tint plus value noise over
  /// the surface (stronger for rougher materials).
  func objectAlbedo(_ surface: ObjectSurface, at p: Vec3) -> SIMD3<Double> {
    let noise = Hash.valueNoise(seed: surface.seed, p * 6) - 0.5
    let fine = Hash.valueNoise(seed: surface.seed ^ 0xABCD, p * 23) - 0.5
    let r = surface.roughness
    return surface.colour * (1 + (0.12 + 0.25 * r) * noise + 0.08 * r * fine)
  }

  func groundAlbedo(at p: Vec3) -> SIMD3<Double> {
    let coarse = Hash.valueNoise2D(seed: 0x6A09_E667, p.x * 0.7, p.y * 0.7) - 0.5
    let fine = Hash.valueNoise2D(seed: 0xBB67_AE85, p.x * 6, p.y * 6) - 0.5
    let scale = 1 + 0.25 * coarse + 0.12 * fine
    let c = environment.groundColour
    return SIMD3(c.red, c.green, c.blue) * scale
  }

  /// Radiance leaving a surface point towards the camera before fog.
  func surface(albedo: SIMD3<Double>, normal n: Vec3, sunVisible: Bool) -> SIMD3<Double> {
    let lambert = Swift.max(0, n.dot(environment.sunDirection))
    let direct = sunVisible ? sunStrength * lambert : 0
    // Faces turned to the sky get more of it than those facing the ground.
    let skyLight = ambient * (0.75 + 0.25 * n.z)
    return albedo * (direct + skyLight)
  }

  func fogged(_ colour: SIMD3<Double>, distance: Double) -> SIMD3<Double> {
    guard environment.fogDensity > 0 else { return colour }
    let keep = expDouble(-environment.fogDensity * distance)
    return colour * keep + horizon * (1 - keep)
  }

  @inline(__always)
  func encode(_ linear: Double, _ table: UnsafeBufferPointer<UInt8>) -> UInt8 {
    let v = linear * exposure
    guard v > 0 else { return 0 }
    let index = v >= 1 ? Self.tableSize - 1 : Int(v * Double(Self.tableSize - 1) + 0.5)
    return table[index]
  }
}

/// What the shader needs of an object, as plain values: reading `RenderObject` in the pixel
/// loop would retain and release its strings and arrays from every thread.
struct ObjectSurface {
  var instanceID: UInt16
  var semanticClass: UInt8
  /// Base colour times a per-instance tint.
  var colour: SIMD3<Double>
  var roughness: Double
  var seed: UInt64

  init(_ object: RenderObject) {
    instanceID = UInt16(truncatingIfNeeded: object.instanceID)
    semanticClass = object.semanticClass
    roughness = Swift.min(1, Swift.max(0, object.roughness ?? 0.5))
    seed = Hash.mix(UInt64(object.instanceID))
    let tint = 0.94 + 0.12 * Hash.unit(seed)
    let c = object.baseColour
    colour = SIMD3(c.red, c.green, c.blue) * tint
  }
}

/// Object surfaces in raw memory for the pixel loop.
final class ObjectSurfaces: @unchecked Sendable {
  // @unchecked: written only in `init`, read-only afterwards.
  let base: UnsafeMutablePointer<ObjectSurface>

  init(_ objects: [RenderObject]) {
    base = .allocate(capacity: Swift.max(1, objects.count))
    base.initialize(from: objects.map(ObjectSurface.init), count: objects.count)
  }

  deinit { base.deallocate() }
}
