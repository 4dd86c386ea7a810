import ScnGeometry

/// How to render a camera frame.
public struct CameraRenderOptions: Hashable, Sendable {
  /// Worker threads; the output is identical for every value.
  public var threads: Int
  /// Cast shadow rays towards the sun.
  public var shadows: Bool
  /// Standard deviation of additive Gaussian sensor noise, in 8-bit levels (0 = none).
  public var noiseStandardDeviation: Double
  /// Seed of the sensor noise (the noise of pixel i channel c is a pure function of both).
  public var noiseSeed: UInt64
  /// The actor the camera is mounted on: invisible to the camera (it still casts shadows).
  public var excludedInstance: UInt32?
  /// Compute per-object labels (boxes, occlusion, 3D boxes).
  public var labels: Bool

  public init(
    threads: Int = CameraRenderOptions.allCores, shadows: Bool = true, noiseStandardDeviation: Double = 0,
    noiseSeed: UInt64 = 0, excludedInstance: UInt32? = nil, labels: Bool = true
  ) {
    self.threads = threads
    self.shadows = shadows
    self.noiseStandardDeviation = noiseStandardDeviation
    self.noiseSeed = noiseSeed
    self.excludedInstance = excludedInstance
    self.labels = labels
  }

  /// Number of online cores.
  public static var allCores: Int { Parallel.coreCount }
}

/// One rendered camera frame: the RGB image and every label image from the same rays.
public struct CameraFrame: Sendable {
  public var width: Int
  public var height: Int
  /// 8-bit sRGB, row-major, 3 bytes per pixel.
  public var rgb: [UInt8]
  /// Depth along the viewing axis in millimetres (0 = no hit; clamped at 65535).
  public var depth: [UInt16]
  /// Instance id per pixel (0 = ground or sky).
  public var instance: [UInt16]
  /// Semantic class per pixel (0 = sky, 1 = ground, objects their own class).
  public var semantic: [UInt8]
  /// Labels of every object whose projection touches the image, in scene order.
  public var objects: [ObjectLabel]
  /// Wall-clock seconds for the ray pass and for the labels (not part of the output).
  public var renderSeconds: Double
  public var labelSeconds: Double

  public init(
    width: Int, height: Int, rgb: [UInt8], depth: [UInt16], instance: [UInt16], semantic: [UInt8],
    objects: [ObjectLabel], renderSeconds: Double, labelSeconds: Double
  ) {
    self.width = width
    self.height = height
    self.rgb = rgb
    self.depth = depth
    self.instance = instance
    self.semantic = semantic
    self.objects = objects
    self.renderSeconds = renderSeconds
    self.labelSeconds = labelSeconds
  }
}

extension SceneIntersector {
  /// Renders `camera` over this scene. Throws only for a non-finite camera pose.
  public func render(_ camera: Camera, options: CameraRenderOptions = CameraRenderOptions()) throws -> CameraFrame {
    guard camera.pose.isFinite else { throw RenderError.invalidSensor("camera pose is not finite") }
    let clock = ContinuousClock()
    let start = clock.now
    let width = camera.intrinsics.width
    let height = camera.intrinsics.height
    let pixels = width * height
    var rgb = [UInt8](repeating: 0, count: pixels * 3)
    var depth = [UInt16](repeating: 0, count: pixels)
    var instance = [UInt16](repeating: 0, count: pixels)
    var semantic = [UInt8](repeating: 0, count: pixels)
    let excluded = options.excludedInstance.flatMap { objectIndex(ofInstance: $0) }
    let shader = Shader(environment: scene.environment)
    let surfaces = ObjectSurfaces(scene.objects)
    let basis = RotationBasis(camera.pose.rotation)
    let tile = 32
    let tilesX = (width + tile - 1) / tile
    let tilesY = (height + tile - 1) / tile

    rgb.withUnsafeMutableBufferPointer { rgbBuffer in
      depth.withUnsafeMutableBufferPointer { depthBuffer in
        instance.withUnsafeMutableBufferPointer { instanceBuffer in
          semantic.withUnsafeMutableBufferPointer { semanticBuffer in
            guard let r = rgbBuffer.baseAddress, let d = depthBuffer.baseAddress,
              let i = instanceBuffer.baseAddress, let s = semanticBuffer.baseAddress
            else { return }
            let out = PixelOutputs(
              rgb: SharedBuffer(base: r), depth: SharedBuffer(base: d), instance: SharedBuffer(base: i),
              semantic: SharedBuffer(base: s))
            Parallel.forEach(count: tilesX * tilesY, threads: options.threads) { tileIndex in
              let x0 = (tileIndex % tilesX) * tile
              let y0 = (tileIndex / tilesX) * tile
              self.withTraversalStack { stack in
                for y in y0..<Swift.min(y0 + tile, height) {
                  for x in x0..<Swift.min(x0 + tile, width) {
                    self.shadePixel(
                      y * width + x, camera: camera, basis: basis, shader: shader, surfaces: surfaces,
                      options: options,
                      excluded: excluded,
                      out: out, stack: stack)
                  }
                }
              }
            }
          }
        }
      }
    }
    let rendered = clock.now
    let objects =
      options.labels
      ? labelObjects(camera: camera, instanceImage: instance, excluded: excluded, threads: options.threads) : []
    let done = clock.now
    return CameraFrame(
      width: width, height: height, rgb: rgb, depth: depth, instance: instance, semantic: semantic, objects: objects,
      renderSeconds: (rendered - start).seconds, labelSeconds: (done - rendered).seconds)
  }

  @inline(__always)
  private func shadePixel(
    _ index: Int, camera: Camera, basis: RotationBasis, shader: Shader, surfaces: ObjectSurfaces,
    options: CameraRenderOptions,
    excluded: Int?, out: PixelOutputs,
    stack: UnsafeMutablePointer<UInt32>
  ) {
    let direction = camera.worldDirection(pixel: index, basis: basis)
    let origin = camera.pose.translation
    let hit = closestHit(
      origin: origin, direction: direction, tMin: camera.nearClip, tMax: camera.farClip, excluding: excluded,
      includeGround: true, stack: stack)
    let length = direction.length
    var colour: SIMD3<Double>
    if let hit {
      let point = origin + direction * hit.t
      let albedo: SIMD3<Double>
      switch hit.surface {
      case .object(let objectIndex):
        let surface = surfaces.base[objectIndex]
        albedo = shader.objectAlbedo(surface, at: point)
        out.instance.base[index] = surface.instanceID
        out.semantic.base[index] = surface.semanticClass
      case .ground:
        albedo = shader.groundAlbedo(at: point)
        out.instance.base[index] = 0
        out.semantic.base[index] = SemanticClass.ground
      }
      var sunVisible = false
      let sun = shader.sunDirection
      if shader.sunStrength > 0, hit.normal.dot(sun) > 0 {
        sunVisible = true
        if options.shadows {
          // Lift the start off the surface so the shadow ray cannot re-hit it.
          let lift = 1e-6 * (1 + Swift.max(abs(point.x), Swift.max(abs(point.y), abs(point.z))))
          sunVisible = !occluded(
            origin: point + hit.normal * lift, direction: sun, tMin: 0, tMax: .infinity, stack: stack)
        }
      }
      colour = shader.surface(albedo: albedo, normal: hit.normal, sunVisible: sunVisible)
      colour = shader.fogged(colour, distance: hit.t * length)
      let millimetres = (hit.t * 1000).rounded()
      out.depth.base[index] = millimetres >= 65535 ? 65535 : UInt16(Swift.max(0, millimetres))
    } else {
      colour = shader.sky(direction / length)
      out.depth.base[index] = 0
      out.instance.base[index] = 0
      out.semantic.base[index] = SemanticClass.sky
    }
    let bytes = shader.srgbTable.withUnsafeBufferPointer { table in
      (shader.encode(colour.x, table), shader.encode(colour.y, table), shader.encode(colour.z, table))
    }
    let pixel = out.rgb.base + index * 3
    pixel[0] = bytes.0
    pixel[1] = bytes.1
    pixel[2] = bytes.2
    if options.noiseStandardDeviation > 0 {
      for channel in 0..<3 {
        let key = Hash.combine(options.noiseSeed, UInt64(index * 3 + channel))
        let noisy = (Double(pixel[channel]) + options.noiseStandardDeviation * Hash.gaussian(key)).rounded()
        pixel[channel] = UInt8(Swift.min(255, Swift.max(0, noisy)))
      }
    }
  }
}

struct PixelOutputs: Sendable {
  let rgb: SharedBuffer<UInt8>
  let depth: SharedBuffer<UInt16>
  let instance: SharedBuffer<UInt16>
  let semantic: SharedBuffer<UInt8>
}

extension Duration {
  var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
