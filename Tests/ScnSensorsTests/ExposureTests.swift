import Foundation
import ScnGeometry
import ScnScene
import Testing

@testable import ScnSensors

/// Exposure, sensor noise and the BRDF obey their documented laws (docs/scene-model.md,
/// "Shading" and "Exposure, tone curve and noise"), measured on rendered pixels where the law
/// is about the image.
@Suite struct ExposureTests {
  /// Sky light only (no sun, black sky): a wall facing the camera is lit evenly.
  static func environment(illuminance: Double) -> Environment {
    Environment(
      sunDirection: Vec3(0, 0.2, -1), illuminance: illuminance, skyColour: RGB(0, 0, 0),
      groundColour: RGB(0, 0, 0), ambientFraction: 1)
  }

  /// A fully rough wall of `albedo` filling a 32 × 32 view.
  static func wall(_ albedo: Double) -> SceneObject {
    SceneObject(
      instanceID: 1, semanticClass: 2, className: "wall",
      material: Material(baseColour: RGB(albedo, albedo, albedo), roughness: 1),
      parts: [Part(.box(size: Vec3(0.2, 200, 200)))], transform: Transform(translation: Vec3(10, 0, 0)))
  }

  static func linear(_ v: UInt8) -> Double {
    let s = Double(v) / 255
    return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
  }

  /// The linear green values of every pixel (the tone curve is the identity below 0.8).
  static func greens(
    albedo: Double, illuminance: Double = 1000, exposure: CameraExposure, noise: SensorNoise? = nil
  ) throws -> [Double] {
    let scene = RenderScene(objects: [wall(albedo)], environment: environment(illuminance: illuminance))
    let camera = try TestScenes.camera(width: 32, height: 32, fovDegrees: 10, at: Vec3(0, 0, 1.5))
    let frame = try SceneIntersector(scene: scene).render(
      camera, options: CameraRenderOptions(threads: 1, exposure: exposure, noise: noise, noiseSeed: 7))
    return (0..<(32 * 32)).map { linear(frame.rgb[$0 * 3 + 1]) }
  }

  static func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
  static func variance(_ xs: [Double]) -> Double {
    let m = mean(xs)
    return xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)
  }

  @Test func oneMoreEVHalvesTheLinearSignal() throws {
    // At 1000 lx, EV 7.5 puts the wall at a signal of about 0.7, EV 9.5 at about 0.18.
    for ev in [7.5, 8.5] {
      let brighter = Self.mean(try Self.greens(albedo: 0.5, exposure: .fixed(ev100: ev)))
      let darker = Self.mean(try Self.greens(albedo: 0.5, exposure: .fixed(ev100: ev + 1)))
      #expect(brighter > 0.1 && brighter < 0.8, "keep off the shoulder and the bottom: \(brighter)")
      #expect(abs(brighter / darker - 2) < 0.06, "EV \(ev) against \(ev + 1): ratio \(brighter / darker)")
    }
  }

  @Test func aFixedExposureMatchesTheSaturationLuminance() throws {
    // A white diffuse wall under E lux has luminance E/π; at EV100 it reads E/π / (1.2·2^EV).
    let ev = 8.0
    let value = Self.mean(try Self.greens(albedo: 0.5, exposure: .fixed(ev100: ev)))
    let noiseless = CameraExposure.fixed(ev100: ev).scale(illuminance: 1000) ?? 0
    #expect(abs(noiseless - 1000 / (Double.pi * 1.2 * pow(2, ev))) < 1e-12)
    // Sky light on a vertical face is 0.75 of the horizontal illuminance; the rough dielectric
    // keeps 1 − (f0·A + B) of it as diffuse and reflects the black sky.
    let expected = 0.5 * 0.75 * noiseless
    #expect(abs(value - expected) / expected < 0.08, "\(value) against \(expected)")
  }

  @Test func shotNoiseGrowsWithTheSignalAndReadNoiseIsTheFloor() throws {
    // EV 3.9 is 3 EV below the sensor's base: gain 8, so the noise spans several 8-bit levels.
    // At 30 lx that exposure puts walls of albedo 0.25 and 0.9 at signals near 0.1 and 0.35.
    let exposure = CameraExposure.fixed(ev100: 3.9)
    let sensor = SensorNoise()
    let gain = sensor.gain(ev100: 3.9)
    #expect(abs(gain - 8) < 1e-9)
    var variances: [Double] = []
    for albedo in [0.25, 0.9] {
      // The wall's texture varies too: compare each pixel with its noiseless value.
      let cleanImage = try Self.greens(albedo: albedo, illuminance: 30, exposure: exposure)
      let clean = Self.mean(cleanImage)
      let noisy = try Self.greens(albedo: albedo, illuminance: 30, exposure: exposure, noise: sensor)
      let measured = Self.variance(zip(noisy, cleanImage).map { $0 - $1 })
      let model = pow(sensor.sigma(signal: clean, gain: gain), 2)
      #expect(abs(measured - model) / model < 0.25, "albedo \(albedo): signal \(clean), variance \(measured), model \(model)")
      #expect(abs(Self.mean(noisy) - clean) / clean < 0.05)
      variances.append(measured)
    }
    #expect(variances[1] > 2 * variances[0], "shot noise grows with the signal: \(variances)")
    // No signal: read noise alone lifts about half the pixels above zero (the other half is
    // clipped at black); without read noise a black wall stays black.
    let dark = try Self.greens(albedo: 0, illuminance: 30, exposure: exposure, noise: sensor)
    let lifted = Double(dark.filter { $0 > 0 }.count) / Double(dark.count)
    #expect(lifted > 0.35 && lifted < 0.65, "\(lifted)")
    let silent = try Self.greens(albedo: 0, illuminance: 30, exposure: exposure, noise: SensorNoise(readNoise: 0))
    #expect(silent.allSatisfy { $0 == 0 })
  }

  @Test func noiseIsTheSameForTheSameSeedAndDiffersAcrossSeeds() throws {
    let scene = RenderScene(objects: [Self.wall(0.3)], environment: Self.environment(illuminance: 100))
    let camera = try TestScenes.camera(width: 32, height: 32, fovDegrees: 10, at: Vec3(0, 0, 1.5))
    let intersector = try SceneIntersector(scene: scene)
    func render(_ seed: UInt64) throws -> [UInt8] {
      try intersector.render(
        camera, options: CameraRenderOptions(threads: 2, noise: SensorNoise(), noiseSeed: seed)
      ).rgb
    }
    #expect(try render(1) == render(1))
    #expect(try render(1) != render(2))
  }

  @Test func automaticExposureBringsDarkAndBrightScenesToASimilarMean() throws {
    let dim = try Self.greens(albedo: 0.08, illuminance: 20, exposure: .automatic)
    let bright = try Self.greens(albedo: 0.7, illuminance: 80_000, exposure: .automatic)
    let (a, b) = (Self.mean(dim), Self.mean(bright))
    #expect(abs(a - b) / b < 0.1, "auto: \(a) against \(b)")
    // The same pair at one fixed exposure differs by orders of magnitude.
    let fixedDim = Self.mean(try Self.greens(albedo: 0.08, illuminance: 20, exposure: .fixed(ev100: 12)))
    let fixedBright = Self.mean(try Self.greens(albedo: 0.7, illuminance: 80_000, exposure: .fixed(ev100: 12)))
    #expect(fixedBright > 50 * Swift.max(fixedDim, 1e-4))
    // The metered frame's EV is reported: brighter scene, higher EV.
    let scene = RenderScene(objects: [Self.wall(0.7)], environment: Self.environment(illuminance: 80_000))
    let camera = try TestScenes.camera(width: 32, height: 32, fovDegrees: 10, at: Vec3(0, 0, 1.5))
    let frame = try SceneIntersector(scene: scene).render(camera, options: CameraRenderOptions(exposure: .automatic))
    let darkScene = RenderScene(objects: [Self.wall(0.08)], environment: Self.environment(illuminance: 20))
    let darkFrame = try SceneIntersector(scene: darkScene).render(
      camera, options: CameraRenderOptions(exposure: .automatic))
    #expect(frame.ev100 > darkFrame.ev100 + 10)
  }

  @Test func theToneCurveIsTheIdentityBelowTheKneeAndSmoothAboveIt() {
    for v in stride(from: 0.0, through: 0.8, by: 0.05) { #expect(ToneCurve.apply(v) == v) }
    var previous = ToneCurve.apply(0.8)
    for k in 1...400 {
      let v = 0.8 + Double(k) * 0.05
      let t = ToneCurve.apply(v)
      #expect(t >= previous)
      if v < 2 { #expect(t > previous) }
      #expect(t <= 1)
      previous = t
    }
    let slope = (ToneCurve.apply(0.8 + 1e-7) - ToneCurve.apply(0.8)) / 1e-7
    #expect(abs(slope - 1) < 1e-5)
  }
}

/// The metallic-roughness BRDF (`SurfaceBRDF`): reciprocity, energy, Fresnel and metals.
@Suite struct BRDFTests {
  static func direction(theta: Double, phi: Double) -> Vec3 {
    Vec3(theta.sine * phi.cosine, theta.sine * phi.sine, theta.cosine)
  }

  @Test func reflectanceIsReciprocal() {
    for roughness in [0.1, 0.4, 0.9] {
      for metallic in [0.0, 1.0] {
        for (a, b) in [((0.3, 0.2), (1.1, 2.5)), ((0.9, 1.0), (0.2, 4.0)), ((1.3, 0.0), (1.2, 3.0))] {
          let v = Self.direction(theta: a.0, phi: a.1)
          let l = Self.direction(theta: b.0, phi: b.1)
          let base = SIMD3(0.8, 0.5, 0.2)
          let n = Vec3(0, 0, 1)
          let forward = SurfaceBRDF(base: base, roughness: roughness, metallic: metallic, normal: n, view: v)
            .reflectance(toward: l)
          let backward = SurfaceBRDF(base: base, roughness: roughness, metallic: metallic, normal: n, view: l)
            .reflectance(toward: v)
          for c in 0..<3 { #expect(abs(forward[c] - backward[c]) <= 1e-9 * Swift.max(1, abs(forward[c]))) }
        }
      }
    }
  }

  /// ∫ f cos θ_l dω over the hemisphere: the share of light reflected.
  static func albedo(_ brdf: SurfaceBRDF) -> SIMD3<Double> {
    var sum = SIMD3<Double>.zero
    let steps = 400
    for i in 0..<steps {
      // Uniform in cos θ: dω = d(cos θ) dφ.
      let cosine = (Double(i) + 0.5) / Double(steps)
      let theta = acos(cosine)
      for j in 0..<steps {
        let phi = (Double(j) + 0.5) / Double(steps) * 2 * Double.pi
        // reflectance = π f, so f cos dω = reflectance · cos / π · dω.
        sum += brdf.reflectance(toward: direction(theta: theta, phi: phi)) * cosine
      }
    }
    return sum * (2 * Double.pi / Double(steps * steps)) / Double.pi
  }

  /// A white surface reflects no more light than arrives, seen up to 40° from the normal;
  /// at steeper views (57°, 75°) the (1 − F) coupling of diffuse and specular lets a smooth
  /// dielectric return up to 15 % more (docs/scene-model.md states this limit). Rough metals
  /// lose energy, as single-scattering GGX does (about 70 % at roughness 1).
  @Test func aWhiteSurfaceReflectsNoMoreLightThanArrives() {
    for roughness in [0.3, 0.6, 1.0] {
      for view in [0.1, 0.7, 1.0, 1.3] {
        for metallic in [0.0, 1.0] {
          let brdf = SurfaceBRDF(
            base: SIMD3(repeating: 1), roughness: roughness, metallic: metallic, normal: Vec3(0, 0, 1),
            view: Self.direction(theta: view, phi: 0.3))
          let a = Self.albedo(brdf).x
          let label = "roughness \(roughness) view \(view) metallic \(metallic): \(a)"
          #expect(a <= (view <= 0.7 ? 1.01 : 1.15), "\(label)")
          #expect(a >= (metallic == 0 ? 0.95 : 0.3), "\(label)")
        }
      }
    }
  }

  @Test func specularRisesTowardsGrazingAndMetalsTintTheirReflection() {
    let n = Vec3(0, 0, 1)
    func mirror(_ theta: Double, base: SIMD3<Double>, metallic: Double) -> SIMD3<Double> {
      let v = Self.direction(theta: theta, phi: 0)
      let l = Self.direction(theta: theta, phi: .pi)
      return SurfaceBRDF(base: base, roughness: 0.3, metallic: metallic, normal: n, view: v).reflectance(toward: l)
    }
    // A black dielectric reflects only specularly, the same in every channel (white highlights).
    let grazing = mirror(1.4, base: .zero, metallic: 0)
    let steep = mirror(0.2, base: .zero, metallic: 0)
    #expect(grazing.x > 3 * steep.x)
    #expect(grazing.x == grazing.z && steep.x == steep.y)
    let metal = SurfaceBRDF(
      base: SIMD3(0.9, 0.6, 0.3), roughness: 1, metallic: 1, normal: n, view: Self.direction(theta: 0.2, phi: 0))
    #expect(metal.diffuse == .zero)
    let reflected = metal.reflectance(toward: Self.direction(theta: 0.3, phi: 2))
    #expect(reflected.x > reflected.y && reflected.y > reflected.z)
    // The analytic environment term keeps the same order: f0 = 0.04 for a dielectric.
    let dielectric = SurfaceBRDF(base: SIMD3(repeating: 0.5), roughness: 0.2, metallic: 0, normal: n, view: n)
    #expect(abs(dielectric.environmentSpecular.x - 0.04) < 0.02)
  }
}
