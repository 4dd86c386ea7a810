import CDevelop
import ScnScene
import ScnGeometry

/// How to render a camera frame.
public struct CameraRenderOptions: Hashable, Sendable {
  /// Worker threads; the output is identical for every value.
  public var threads: Int
  /// Cast shadow rays towards the sun.
  public var shadows: Bool
  /// How the exposure is set (`CameraExposure`; `.scene` by default).
  public var exposure: CameraExposure
  /// The sensor's shot and read noise (`SensorNoise`); nil for a noiseless image.
  public var noise: SensorNoise?
  /// Seed of the sensor noise (the noise of pixel i channel c is a pure function of both),
  /// of the stratified jitter and of the rain and snow particles.
  public var noiseSeed: UInt64
  /// The actor the camera is mounted on: invisible to the camera (it still casts shadows).
  public var excludedInstance: UInt32?
  /// Compute per-object labels (boxes, occlusion, 3D boxes).
  public var labels: Bool
  /// Rays per pixel for the RGB image: 1, 4, 9 or 16, stratified on a √n × √n grid with a
  /// jitter hashed from `noiseSeed` and the pixel (so deterministic); the depth, instance and
  /// semantic images always come from the one ray through the pixel centre, so they stay
  /// exact (one id per pixel). Other values are rounded down to the nearest of these.
  public var samplesPerPixel: Int
  /// White-balance gains per linear channel (`WhiteBalance.gains(kelvin:)`), applied after
  /// exposure and noise, before the tone curve; (1, 1, 1) for none.
  public var whiteBalance: SIMD3<Double>
  /// The dataset's part-label ids: when set, the frame has a `parts` image (the id of the
  /// part label of the part hit through each pixel centre, 0 for none); nil for no image.
  public var partLabels: PartLabelTable?

  public init(
    threads: Int = CameraRenderOptions.allCores, shadows: Bool = true, exposure: CameraExposure = .scene,
    noise: SensorNoise? = nil, noiseSeed: UInt64 = 0, excludedInstance: UInt32? = nil, labels: Bool = true,
    samplesPerPixel: Int = 1, whiteBalance: SIMD3<Double> = SIMD3(1, 1, 1), partLabels: PartLabelTable? = nil
  ) {
    self.partLabels = partLabels
    self.exposure = exposure
    self.whiteBalance = whiteBalance
    self.noise = noise
    self.samplesPerPixel = samplesPerPixel
    self.threads = threads
    self.shadows = shadows
    self.noiseSeed = noiseSeed
    self.excludedInstance = excludedInstance
    self.labels = labels
  }

  /// Number of online cores.
  public static var allCores: Int { Parallel.coreCount }

  /// The side of the stratification grid: 1, 2, 3 or 4.
  var gridSide: Int {
    switch samplesPerPixel {
    case ..<4: 1
    case 4..<9: 2
    case 9..<16: 3
    default: 4
    }
  }
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
  /// Part-label id per pixel (`CameraRenderOptions.partLabels`; 0 = no labelled part), or
  /// nil when the options ask for none.
  public var parts: [UInt16]?
  /// Labels of every object whose projection touches the image, in scene order.
  public var objects: [ObjectLabel]
  /// The exposure the frame was taken at, as EV100 (`CameraExposure.ev100`).
  public var ev100: Double = 0
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
    var parts = [UInt16](repeating: 0, count: options.partLabels == nil ? 0 : pixels)
    // The part-label id of every material slot (labelled parts have slots of their own).
    let slotPartIDs = options.partLabels.map { table in self.table.materialLabel.map { table.id(of: $0) } } ?? []
    let excluded = options.excludedInstance.flatMap { objectIndex(ofInstance: $0) }
    let exposureUsed = ExposureCell(0.0)
    // One ray's angle, for the texture level of detail: a pixel's (1/f at the image's
    // centre) over the side of the ray grid.
    let focal = (camera.intrinsics.fx * camera.intrinsics.fy).squareRoot()
    let shader = Shader(
      environment: scene.environment,
      lamps: LampSet(scene.lights, environment: scene.environment) { self.objectIndex(ofInstance: $0) },
      rayAngle: focal > 0 ? 1 / (focal * Double(options.gridSide)) : 0)
    // Stuff solids follow the objects in the table (`SceneIntersector.init`).
    let surfaces = ObjectSurfaces(
      scene.objects + scene.stuff.solids.map(\.asObject), stuff: scene.stuff, table: table,
      illuminance: scene.environment.illuminance)
    let particles = ParticleLayers(
      precipitation: scene.environment.precipitation, shader: shader, focalLength: camera.intrinsics.fx,
      seed: options.noiseSeed)
    let basis = RotationBasis(camera.pose.rotation)
    let illuminance = scene.environment.illuminance
    // A fixed exposure is known before the frame; automatic exposure meters the frame's
    // radiance, kept for a second pass.
    let fixedScale = options.exposure.scale(illuminance: illuminance)
    var frameRadiance = [SIMD3<Double>](repeating: .zero, count: fixedScale == nil ? pixels : 0)
    // With automatic exposure each pixel's ln(10⁻⁴ + Y) too, taken by the tile's thread, so
    // the meter only adds them up.
    var frameLogLuminance = [Double](repeating: 0, count: fixedScale == nil ? pixels : 0)
    let tile = RayTable.tileSide
    let tilesX = (width + tile - 1) / tile
    let tilesY = (height + tile - 1) / tile

    frameRadiance.withUnsafeMutableBufferPointer { frameBuffer in
    frameLogLuminance.withUnsafeMutableBufferPointer { logBuffer in
    rgb.withUnsafeMutableBufferPointer { rgbBuffer in
      depth.withUnsafeMutableBufferPointer { depthBuffer in
        instance.withUnsafeMutableBufferPointer { instanceBuffer in
          semantic.withUnsafeMutableBufferPointer { semanticBuffer in
          parts.withUnsafeMutableBufferPointer { partsBuffer in
          slotPartIDs.withUnsafeBufferPointer { slotPartBuffer in
            guard let r = rgbBuffer.baseAddress, let d = depthBuffer.baseAddress,
              let i = instanceBuffer.baseAddress, let s = semanticBuffer.baseAddress
            else { return }
            var partOutput: PartOutput?
            // An empty array may still have a base address: the count decides.
            if partsBuffer.count == pixels, !slotPartBuffer.isEmpty, let image = partsBuffer.baseAddress,
              let ids = slotPartBuffer.baseAddress
            {
              partOutput = PartOutput(
                image: SharedBuffer(base: image), idOfSlot: SharedBuffer(base: UnsafeMutablePointer(mutating: ids)),
                slots: slotPartBuffer.count)
            }
            let out = PixelOutputs(
              rgb: SharedBuffer(base: r), depth: SharedBuffer(base: d), instance: SharedBuffer(base: i),
              semantic: SharedBuffer(base: s), radiance: frameBuffer.baseAddress.map { SharedBuffer(base: $0) },
              logLuminance: logBuffer.baseAddress.map { SharedBuffer(base: $0) }, parts: partOutput)
            let develop = fixedScale.map { Develop(scale: $0, illuminance: illuminance, options: options) }
            // Each worker's scratch is set up once for all its tiles: every tile overwrites
            // what it reads of it (candidate lists, rays, lamp culling, hits and radiance).
            Parallel.forEachWorker(count: tilesX * tilesY, threads: options.threads) { tiles in
              self.withTraversalStack { stack in
                CandidateList.withScratch { candidates in
                 CandidateList.withScratch { mirrorCandidates in
                 TileRays.withScratch { tileRays in
                  LampShadowCulling.withScratch(lamps: shader.lamps.lamps.count, pixels: tile * tile) { lampCulling in
                    let hits = UnsafeMutablePointer<PrimaryHit>.allocate(capacity: tile * tile)
                    // Initialised once: `castPrepared` then writes only some of a record's fields.
                    hits.initialize(repeating: PrimaryHit(missing: .zero), count: tile * tile)
                    let radiance = UnsafeMutablePointer<SIMD3<Double>>.allocate(capacity: tile * tile)
                    let runs = UnsafeMutablePointer<GroundRun>.allocate(capacity: tile)
                    runs.initialize(repeating: GroundRun(), count: tile)
                    defer {
                      hits.deallocate()
                      radiance.deallocate()
                      runs.deinitialize(count: tile)
                      runs.deallocate()
                    }
                    for tileIndex in tiles {
                      let x0 = (tileIndex % tilesX) * tile
                      let y0 = (tileIndex / tilesX) * tile
                      let tileRect = PixelRect(
                        x0: x0, y0: y0, x1: Swift.min(x0 + tile, width), y1: Swift.min(y0 + tile, height))
                      self.renderTile(
                        tileRect, camera: camera, basis: basis, shader: shader, surfaces: surfaces,
                        particles: particles, options: options, develop: develop, excluded: excluded, out: out,
                        hits: hits, radiance: radiance, runs: runs, candidates: &candidates,
                        mirrorCandidates: &mirrorCandidates,
                        lampCulling: &lampCulling, tileRays: &tileRays, stack: stack)
                    }
                  }
                 }
                 }
                }
              }
            }
            guard develop == nil, let radiance = out.radiance, let logs = out.logLuminance else { return }
            // Automatic exposure: meter the whole frame in row order (one thread, so the sum
            // is the same for every thread count), then develop every row.
            var logSum = 0.0
            for y in 0..<height {
              var row = 0.0
              for x in 0..<width { row += logs.base[y * width + x] }
              logSum += row
            }
            let metered = Develop(
              scale: CameraExposure.metered(logSum: logSum, count: pixels), illuminance: illuminance, options: options)
            Parallel.forEach(count: height, threads: options.threads) { y in
              shader.srgbTable.withUnsafeBufferPointer { srgb in
                guard let srgb = srgb.baseAddress else { return }
                metered.row(radiance.base + y * width, count: width, first: y * width, srgb: srgb, rgb: out.rgb.base)
              }
            }
            exposureUsed.value = metered.scale
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
      ? labelObjects(
        camera: camera, instanceImage: instance, depthImage: depth, excluded: excluded, threads: options.threads) : []
    let done = clock.now
    var frame = CameraFrame(
      width: width, height: height, rgb: rgb, depth: depth, instance: instance, semantic: semantic, objects: objects,
      renderSeconds: (rendered - start).seconds, labelSeconds: (done - rendered).seconds)
    if options.partLabels != nil { frame.parts = parts }
    frame.ev100 = CameraExposure.ev100(scale: fixedScale ?? exposureUsed.value, illuminance: illuminance)
    return frame
  }

  /// Renders one tile: for each of its rays per pixel, a pass of primary rays and a pass of
  /// shadow rays and shading, each first culling the scene to what its bundle of rays can
  /// reach (which leaves nothing to test where the tile sees only sky or unshadowed ground).
  /// With several rays per pixel a first pass casts the centre rays for the label images.
  private func renderTile(
    _ rect: PixelRect, camera: Camera, basis: RotationBasis, shader: Shader, surfaces: ObjectSurfaces,
    particles: ParticleLayers?, options: CameraRenderOptions, develop: Develop?, excluded: Int?, out: PixelOutputs,
    hits: UnsafeMutablePointer<PrimaryHit>, radiance: UnsafeMutablePointer<SIMD3<Double>>,
    runs: UnsafeMutablePointer<GroundRun>, candidates: inout CandidateList, mirrorCandidates: inout CandidateList,
    lampCulling: inout LampShadowCulling,
    tileRays: inout TileRays, stack: UnsafeMutablePointer<UInt32>
  ) {
    let width = camera.intrinsics.width
    let origin = camera.pose.translation
    let side = options.gridSide
    let pyramid =
      camera.lens.isFisheye
      ? fisheyeTilePyramid(rect, camera: camera, basis: basis, jittered: side > 1)
      : pinholeTilePyramid(rect, camera: camera, basis: basis, jittered: side > 1)
    let exclude = excluded.map { UInt32(truncatingIfNeeded: $0) } ?? UInt32.max

    if side > 1 {
      collectCandidates(pyramid, exclude: exclude, into: &candidates, stack: stack)
      for y in rect.y0..<rect.y1 {
        for x in rect.x0..<rect.x1 {
          let index = y * width + x
          let hit = closestHit(
            origin: origin, direction: camera.worldDirection(pixel: index, basis: basis), tMin: camera.nearClip,
            tMax: camera.farClip, excluding: excluded, includeGround: true, stack: stack, candidates: candidates)
          writeLabels(
            index, hit: hit, direction: camera.worldDirection(pixel: index, basis: basis), origin: origin,
            surfaces: surfaces, out: out)
        }
      }
    }

    let sun = shader.sunDirection
    let samples = side * side
    var groundCells = GroundNoiseCells()
    let jitterSeed = Hash.mix(options.noiseSeed ^ 0xA4A5_1A5E_D5EE_D001)
    for sample in 0..<samples {
      // Culled again for each sample: the shadow pass below reuses the same list.
      collectCandidates(pyramid, exclude: exclude, into: &candidates, stack: stack)
      // The box of the shadow rays' origins and the origins stored in `tileRays`, and the
      // boxes of each row's ground hits in `runs` (`boundHits`).
      var bounds = TileHitBounds()
      for r in 0..<(rect.y1 - rect.y0) { runs[r] = GroundRun() }
      // The box of every hit point, for the lamps' culling (`cullLampShadows`).
      let tracksHits = !shader.lamps.isEmpty
      var hitLower = Vec3(repeating: .infinity)
      var hitUpper = Vec3(repeating: -.infinity)
      let tileWidth = rect.x1 - rect.x0
      // A tile whose pyramid reaches more candidates than a list holds is cast a quarter at a
      // time, each under its own pyramid's list (a quarter that still overflows walks the BVH).
      let splitPrimary = candidates.overflowed
      for quarter in 0..<(splitPrimary ? 4 : 1) {
        let part = splitPrimary ? Self.quarter(quarter, of: rect) : rect
        if splitPrimary {
          guard part.x0 < part.x1, part.y0 < part.y1 else { continue }
          collectCandidates(
            camera.lens.isFisheye
              ? fisheyeTilePyramid(part, camera: camera, basis: basis, jittered: side > 1)
              : pinholeTilePyramid(part, camera: camera, basis: basis, jittered: side > 1),
            exclude: exclude, into: &candidates, stack: stack)
        }
        // The part's directions first; with a candidate list to test, its slab tests for all
        // of them at once (`TileRays`), then each ray tests only the candidates it enters.
        tileRays.count = 0
        let table = camera.rayTable
        if side == 1, table.columns.count == width, !table.rows.isEmpty, part.x1 - part.x0 <= RayTable.tileSide {
          // A pinhole without distortion: the table's directions from its two factors,
          // basis.apply(Vec3(1, column, row)) = (x·1 + y·column) + z·row with the column's term
          // (x·1 + y·column) worked out once per column of the part and the row's once per row.
          // The column terms are kept in three columns of their own, so each row's directions
          // are three lane-wise sums of contiguous doubles.
          withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * RayTable.tileSide) { terms in
            table.columns.withUnsafeBufferPointer { columns in
              table.rows.withUnsafeBufferPointer { rows in
                guard let cx = terms.baseAddress else { return }
                let (cy, cz) = (cx + RayTable.tileSide, cx + 2 * RayTable.tileSide)
                let partWidth = part.x1 - part.x0
                for k in 0..<partWidth {
                  let term = basis.x * 1 + basis.y * columns[part.x0 + k]
                  (cx[k], cy[k], cz[k]) = (term.x, term.y, term.z)
                }
                var n = tileRays.count
                for y in part.y0..<part.y1 {
                  let rowTerm = basis.z * rows[y]
                  let (rx, ry, rz) = (tileRays.x + n, tileRays.y + n, tileRays.z + n)
                  let (tx, ty, tz) = (rowTerm.x, rowTerm.y, rowTerm.z)
                  for k in 0..<partWidth {
                    rx[k] = cx[k] + tx
                    ry[k] = cy[k] + ty
                    rz[k] = cz[k] + tz
                  }
                  n &+= partWidth
                }
                tileRays.count = n
              }
            }
          }
        } else {
          for y in part.y0..<part.y1 {
            for x in part.x0..<part.x1 {
              tileRays.append(
                side == 1
                  ? camera.worldDirection(pixel: y * width + x, basis: basis)
                  : jitteredDirection(
                    x: x, y: y, sample: sample, side: side, seed: jitterSeed, camera: camera, basis: basis))
            }
          }
        }
        // With an empty list too: the kernel then only cuts each ray at the ground.
        let prepared = !candidates.overflowed
        if prepared {
          tileRays.prepare(
            from: origin, tMin: camera.nearClip, tMax: camera.farClip, includeGround: true, list: candidates)
        }
        // The part's hits first, in a loop of their own (`castPrepared` with a candidate list
        // to test); then, in the same order, the boxes of their points (`hits` holds each hit's
        // distance, normal and direction as cast), in a second loop (`boundHits`): each loop
        // keeps fewer values live, in a function of its own so they stay in registers.
        if prepared {
          castPrepared(
            tileRays, part: part, rect: rect, origin: origin, tMin: camera.nearClip, list: candidates, hits: hits,
            stack: stack)
        } else {
          let rays = tileRays
          let list = candidates
          var ray = 0
          for y in part.y0..<part.y1 {
            var slot = (y - rect.y0) * tileWidth + (part.x0 - rect.x0)
            for _ in part.x0..<part.x1 {
              let direction = rays.vector(ray)
              hits[slot] = PrimaryHit(
                hit: closestHit(
                  origin: origin, direction: direction, tMin: camera.nearClip, tMax: camera.farClip,
                  excluding: excluded, includeGround: true, stack: stack, candidates: list),
                direction: direction, litSide: false)
              ray += 1
              slot += 1
            }
          }
        }
        // The shadow rays' origins go into `tileRays` (its directions are used up) in slot
        // order, for `shadeTile`'s shadow pass: valid when the tile is cast whole (a split
        // tile's quarters overwrite them).
        Self.boundHits(
          hits, part: part, rect: rect, origin: origin, sun: sun, sunLights: shader.sunStrength > 0,
          origins: tileRays, runs: runs, into: &bounds)
        // The box of every hit point, in a loop of its own (only with lamps).
        if tracksHits {
          for y in part.y0..<part.y1 {
            var slot = (y - rect.y0) * tileWidth + (part.x0 - rect.x0)
            for _ in part.x0..<part.x1 {
              defer { slot += 1 }
              guard let (t, _) = hits[slot].distanceAndNormal else { continue }
              let p = origin + hits[slot].direction * t
              hitLower = lanewiseMin(hitLower, p)
              hitUpper = lanewiseMax(hitUpper, p)
            }
          }
        }
      }
      let shadowLower = Vec3(bounds.shadowLowerX, bounds.shadowLowerY, bounds.shadowLowerZ)
      let shadowUpper = Vec3(bounds.shadowUpperX, bounds.shadowUpperY, bounds.shadowUpperZ)
      let seesGround = bounds.seesGround
      // `tileRays` holds the shadow rays' origins in slot order (`shadeTile`).
      tileRays.count = bounds.shadowOrigins
      let shadowOriginsReady = !splitPrimary
      let slotCount = tileWidth * (rect.y1 - rect.y0)

      // Each lamp's shadow rays from this pass's surface points, culled once for the tile.
      if !shader.lamps.isEmpty {
        cullLampShadows(
          hits: hits, count: slotCount, eye: origin, hitLower: hitLower, hitUpper: hitUpper, lamps: shader.lamps,
          into: &lampCulling, stack: stack)
      }
      // Puddles mirror the scene along the primary rays' mirror images in the ground, which
      // all leave the camera's mirror image: the tile's pyramid mirrored bounds them
      // (`wetReflection`).
      var mirror: CandidateList?
      if shader.wet && seesGround {
        collectCandidates(
          RayPyramid(mirroredInGround: pyramid), exclude: exclude, into: &mirrorCandidates, stack: stack)
        mirror = mirrorCandidates
      }
      let castShadows = options.shadows && shadowLower.x <= shadowUpper.x
      if castShadows {
        collectCandidates(
          SweptBox(lower: shadowLower, upper: shadowUpper, direction: sun), exclude: UInt32.max, into: &candidates,
          stack: stack)
      }
      // The box of the tile's ground hits, its rows' boxes in row order, and the road bands
      // they may lie on (none without a ground hit).
      var tileRun = GroundRun()
      for r in 0..<(rect.y1 - rect.y0) { tileRun.add(runs[r]) }
      let groundBands =
        seesGround
        ? scene.stuff.groundBands(
          lowerX: tileRun.lowerX, upperX: tileRun.upperX, lowerY: tileRun.lowerY, upperY: tileRun.upperY) : 0
      shadeTile(
        rect, sample: sample, hits: hits, radiance: radiance, castShadows: castShadows, shadowCandidates: candidates,
        camera: camera, shader: shader, surfaces: surfaces, excluded: excluded, out: out, labels: side == 1,
        groundBands: groundBands, runs: runs, tileRun: tileRun, stack: stack, lampCulling: lampCulling,
        mirrorCandidates: mirror,
        shadowRays: &tileRays, shadowOriginsReady: shadowOriginsReady, groundCells: &groundCells)
    }
    if samples > 1 {
      let scale = 1 / Double(samples)
      for slot in 0..<((rect.x1 - rect.x0) * (rect.y1 - rect.y0)) { radiance[slot] *= scale }
    }
    // Rain streaks and snowflakes lie in front of the surfaces: drawn over the tile's
    // radiance, before exposure, encoding and sensor noise.
    particles?.draw(over: rect, radiance: radiance, depth: out.depth, width: width)
    // Developed here with a fixed exposure, else kept for the frame's metering (the
    // optional is unwrapped once per tile, not per pixel).
    var slot = 0
    if let develop {
      shader.srgbTable.withUnsafeBufferPointer { srgb in
        guard let srgb = srgb.baseAddress else { return }
        // The tile's rows in one call (their slots follow one another in `radiance`).
        develop.rows(
          radiance, count: rect.x1 - rect.x0, rows: rect.y1 - rect.y0, first: rect.y0 * width + rect.x0, pitch: width,
          srgb: srgb, rgb: out.rgb.base)
      }
    } else if let frameRadiance = out.radiance, let logs = out.logLuminance {
      for y in rect.y0..<rect.y1 {
        for x in rect.x0..<rect.x1 {
          let c = radiance[slot]
          frameRadiance.base[y * width + x] = c
          logs.base[y * width + x] = Develop.meteredLog(c)
          slot += 1
        }
      }
    }
  }

  /// The primary hits of a part of `rect` whose rays `rays` holds prepared
  /// (`TileRays.prepare(from:…)`), each stored at its slot of `hits` (slot order over
  /// `rect`): first, in the part's row order and without a branch or a call, every ray's
  /// record as `closestHit(prepared:…)` answers a ray that enters no candidate's box (the
  /// ground or nothing: most of a street tile's rays; `PrimaryHit.setUnentered`), the rays
  /// that do enter one listed as they come; then theirs over it: from `primaryHits(prepared:…)`
  /// for eight rays at a time whose nearest box entered is one mesh instance's (a packet walk
  /// of its mesh), else from `primaryHit(prepared:…)` (from `origin`, past `tMin`, tested against
  /// `list`).
  @inline(never)
  private func castPrepared(
    _ rays: TileRays, part: PixelRect, rect: PixelRect, origin: Vec3, tMin: Double, list: CandidateList,
    hits: UnsafeMutablePointer<PrimaryHit>, stack: UnsafeMutablePointer<UInt32>
  ) {
    let (x, y, z, entered, limit) = (rays.x, rays.y, rays.z, rays.entered, rays.limit)
    let tileWidth = rect.x1 &- rect.x0
    let partWidth = part.x1 &- part.x0
    withUnsafeTemporaryAllocation(of: UInt16.self, capacity: TileRays.capacity) { buffer in
      guard let walks = buffer.baseAddress else { return }
      // Every ray's index stored at the next free index, kept only for a ray that enters a
      // box (the index moves on; it never passes the rays seen, fewer than a tile's).
      var count = 0
      var ray = 0
      for row in part.y0..<part.y1 {
        let first = hits + ((row &- rect.y0) &* tileWidth &+ (part.x0 &- rect.x0))
        for k in 0..<partWidth {
          let e = entered[ray]
          first[k].setUnentered(
            ground: e & TileRays.groundBit != 0, t: limit[ray], direction: Vec3(x[ray], y[ray], z[ray]))
          walks[count] = UInt16(truncatingIfNeeded: ray)
          count &+= e & ~TileRays.groundBit != 0 ? 1 : 0
          ray &+= 1
        }
      }
      // Ray r is pixel r % partWidth of the part's row r / partWidth.
      func slot(_ r: Int) -> Int {
        let (row, column) = r.quotientAndRemainder(dividingBy: partWidth)
        return (row &+ part.y0 &- rect.y0) &* tileWidth &+ (column &+ part.x0 &- rect.x0)
      }
      walkEntered(
        prepared: rays, walks: walks, count: count, list: list, slot: slot,
        single: { r, slot in
          primaryHit(
            prepared: rays, ray: r, origin: origin, tMin: tMin, list: list, stack: stack, into: hits + slot)
        },
        packet: { indices, slots, n, position in
          primaryHits(
            prepared: rays, indices: indices, count: n, position: position, origin: origin, tMin: tMin, list: list,
            stack: stack, into: hits, slots: slots)
        })
    }
  }

  /// Widens `bounds` and `runs` by the hits of a part of `rect` (slot order over `rect` in
  /// `hits`), in the part's row order: the plan-view box of each row's ground hits' points
  /// (row r of `rect` at `runs + r`, `GroundRun.add`; the points `shadeTile` looks the paint
  /// up at), whether any hit is on the ground, and, with `sunLights`, for each hit whose
  /// normal faces the sun, marks it `litSide` and appends its shadow ray's origin (lifted off
  /// the surface so the ray cannot re-hit it) to `origins`' columns and the box of those
  /// origins. Each bound is a scalar of its own, held in a local (a row's for the row) and
  /// widened by a select, `p < lower ? p : lower` (x86's `minsd`, no branch), point by point
  /// in the same order: a point that does not count (not a ground hit; not lit) is NaN there,
  /// which widens nothing, as a skipped point. Every hit's shadow origin is stored at the
  /// next free index and only a lit one's is kept (the index moves on), so the loop has no
  /// branch per kind of hit (`origins` holds a tile's rays; the index never passes the hits
  /// seen).
  @inline(never)
  static func boundHits(
    _ hits: UnsafeMutablePointer<PrimaryHit>, part: PixelRect, rect: PixelRect, origin: Vec3, sun: Vec3,
    sunLights: Bool, origins: TileRays, runs: UnsafeMutablePointer<GroundRun>, into bounds: inout TileHitBounds
  ) {
    var (shadowLowerX, shadowUpperX) = (bounds.shadowLowerX, bounds.shadowUpperX)
    var (shadowLowerY, shadowUpperY) = (bounds.shadowLowerY, bounds.shadowUpperY)
    var (shadowLowerZ, shadowUpperZ) = (bounds.shadowLowerZ, bounds.shadowUpperZ)
    var seesGround = bounds.seesGround
    var n = bounds.shadowOrigins
    let (ox, oy, oz) = (origins.x, origins.y, origins.z)
    let tileWidth = rect.x1 &- rect.x0
    for y in part.y0..<part.y1 {
      var hit = hits + ((y &- rect.y0) &* tileWidth &+ (part.x0 &- rect.x0))
      let run = runs + (y &- rect.y0)
      var (groundLowerX, groundUpperX) = (run.pointee.lowerX, run.pointee.upperX)
      var (groundLowerY, groundUpperY) = (run.pointee.lowerY, run.pointee.upperY)
      for _ in part.x0..<part.x1 {
        defer { hit += 1 }
        guard let (t, normal) = hit.pointee.distanceAndNormal else { continue }
        let p = origin + hit.pointee.direction * t
        var ground = false
        if case .ground = hit.pointee.surface { ground = true }
        seesGround = seesGround || ground
        let gx = ground ? p.x : .nan
        let gy = ground ? p.y : .nan
        groundLowerX = gx < groundLowerX ? gx : groundLowerX
        groundUpperX = gx > groundUpperX ? gx : groundUpperX
        groundLowerY = gy < groundLowerY ? gy : groundLowerY
        groundUpperY = gy > groundUpperY ? gy : groundUpperY
        guard sunLights else { continue }
        let lit = normal.dot(sun) > 0
        hit.pointee.litSide = hit.pointee.litSide || lit
        let o = Self.shadowOrigin(p, normal: normal)
        ox[n] = o.x
        oy[n] = o.y
        oz[n] = o.z
        n &+= lit ? 1 : 0
        let sx = lit ? o.x : .nan
        let sy = lit ? o.y : .nan
        let sz = lit ? o.z : .nan
        shadowLowerX = sx < shadowLowerX ? sx : shadowLowerX
        shadowLowerY = sy < shadowLowerY ? sy : shadowLowerY
        shadowLowerZ = sz < shadowLowerZ ? sz : shadowLowerZ
        shadowUpperX = sx > shadowUpperX ? sx : shadowUpperX
        shadowUpperY = sy > shadowUpperY ? sy : shadowUpperY
        shadowUpperZ = sz > shadowUpperZ ? sz : shadowUpperZ
      }
      (run.pointee.lowerX, run.pointee.upperX) = (groundLowerX, groundUpperX)
      (run.pointee.lowerY, run.pointee.upperY) = (groundLowerY, groundUpperY)
    }
    (bounds.shadowLowerX, bounds.shadowUpperX) = (shadowLowerX, shadowUpperX)
    (bounds.shadowLowerY, bounds.shadowUpperY) = (shadowLowerY, shadowUpperY)
    (bounds.shadowLowerZ, bounds.shadowUpperZ) = (shadowLowerZ, shadowUpperZ)
    bounds.seesGround = seesGround
    bounds.shadowOrigins = n
  }

  /// The sun's shadow rays of a tile (`rect`, its primary hits in `hits` in slot order, seen
  /// from `eye`) whose swept box reaches more candidates than a list holds: for each quarter
  /// of the tile (`quarter(_:of:)`), the box of its rays' origins swept towards the sun culls
  /// the scene into `list`, the rays are slab-tested against it all at once (`rays`, their
  /// origins appended in slot order), and each hit marked `litSide` keeps the mark unless its
  /// ray is blocked (`occluded(prepared:…)`; a quarter whose list still overflows walks the
  /// BVH per ray). `list` and `rays` are overwritten. Any hit answers a shadow ray, so the
  /// answers are those of every ray walking the whole BVH.
  @inline(never)
  func castQuarterShadows(
    _ rect: PixelRect, hits: UnsafeMutablePointer<PrimaryHit>, eye: Vec3, sun: Vec3, list: inout CandidateList,
    rays: inout TileRays, stack: UnsafeMutablePointer<UInt32>
  ) {
    // Slots and ray numbers stay below the tile's pixels: no overflow to check.
    let tileWidth = rect.x1 &- rect.x0
    for quarter in 0..<4 {
      let part = Self.quarter(quarter, of: rect)
      guard part.x0 < part.x1, part.y0 < part.y1 else { continue }
      var lower = Vec3(repeating: .infinity)
      var upper = Vec3(repeating: -.infinity)
      rays.count = 0
      for y in part.y0..<part.y1 {
        for x in part.x0..<part.x1 {
          let slot = (y &- rect.y0) &* tileWidth &+ (x &- rect.x0)
          guard hits[slot].litSide, let (t, normal) = hits[slot].distanceAndNormal else { continue }
          let o = Self.shadowOrigin(eye + hits[slot].direction * t, normal: normal)
          lower = lanewiseMin(lower, o)
          upper = lanewiseMax(upper, o)
          rays.append(o)
        }
      }
      guard rays.count > 0 else { continue }
      collectCandidates(
        SweptBox(lower: lower, upper: upper, direction: sun), exclude: UInt32.max, into: &list, stack: stack)
      guard list.count > 0 else { continue }
      let prepared = !list.overflowed
      if prepared { rays.prepare(along: sun, tMin: 0, tMax: .infinity, list: list) }
      var ray = 0
      for y in part.y0..<part.y1 {
        for x in part.x0..<part.x1 {
          let slot = (y &- rect.y0) &* tileWidth &+ (x &- rect.x0)
          guard hits[slot].litSide, hits[slot].distanceAndNormal != nil else { continue }
          defer { ray &+= 1 }
          if prepared {
            guard rays.entered[ray] != 0 else { continue }
            hits[slot].litSide = !occluded(
              prepared: rays, ray: ray, direction: sun, tMin: 0, tMax: .infinity, list: list, stack: stack)
          } else {
            hits[slot].litSide = !occluded(
              origin: rays.vector(ray), direction: sun, tMin: 0, tMax: .infinity, stack: stack, candidates: list)
          }
        }
      }
    }
  }

  /// Quarter `index` (0 top left, 1 top right, 2 bottom left, 3 bottom right) of `rect`,
  /// split at its middle column and row; empty when `rect` is one pixel wide or high.
  static func quarter(_ index: Int, of rect: PixelRect) -> PixelRect {
    let midX = (rect.x0 + rect.x1) / 2
    let midY = (rect.y0 + rect.y1) / 2
    return PixelRect(
      x0: index % 2 == 0 ? rect.x0 : midX, y0: index < 2 ? rect.y0 : midY, x1: index % 2 == 0 ? midX : rect.x1,
      y1: index < 2 ? midY : rect.y1)
  }

  /// The pyramid of a pinhole tile's rays (forward component 1: the slopes are the table's
  /// y and z, their ranges per tile kept in `RayTable.tileSlopes`), widened by three quarters
  /// of a pixel step when rays are jittered.
  private func pinholeTilePyramid(_ rect: PixelRect, camera: Camera, basis: RotationBasis, jittered: Bool) -> RayPyramid {
    let table = camera.rayTable
    let side = RayTable.tileSide
    let slopes: TileSlopes
    let width = camera.intrinsics.width
    let height = camera.intrinsics.height
    if rect.x0 % side == 0, rect.y0 % side == 0, rect.x1 == Swift.min(rect.x0 + side, width),
      rect.y1 == Swift.min(rect.y0 + side, height),
      case let index = (rect.y0 / side) * table.tilesX + rect.x0 / side, index < table.tileSlopes.count
    {
      slopes = table.tileSlopes[index]
    } else {
      slopes = TileSlopes(
        table.directions, width: width, height: height, x0: rect.x0, y0: rect.y0, x1: rect.x1, y1: rect.y1)
    }
    let dy = slopes.dy
    let dz = slopes.dz
    // Jittered rays reach half a pixel beyond the centres; widen the bundle to hold them.
    let margin = jittered ? slopes.step * 0.75 : 0
    return RayPyramid(
      origin: camera.pose.translation, forward: basis.x, left: basis.y, up: basis.z, y0: dy.lower - margin,
      y1: dy.upper + margin, z0: dz.lower - margin, z1: dz.upper + margin)
  }

  /// The pyramid of a fisheye tile's rays in a frame of the tile's own: forward through the
  /// tile's centre pixel, so the rays' slopes stay finite even where they point sideways or
  /// behind the camera. A tile whose rays leave that half-space is not culled.
  private func fisheyeTilePyramid(_ rect: PixelRect, camera: Camera, basis: RotationBasis, jittered: Bool) -> RayPyramid {
    let width = camera.intrinsics.width
    let height = camera.intrinsics.height
    let directions = camera.rayTable.directions
    let origin = camera.pose.translation
    let c = directions[((rect.y0 + rect.y1) / 2) * width + (rect.x0 + rect.x1) / 2].normalized
    // Any axis not along c makes the frame; take the one least aligned with it.
    let helper: Vec3 = abs(c.y) < 0.9 ? Vec3(0, 1, 0) : Vec3(0, 0, 1)
    let l = (helper - c * c.dot(helper)).normalized
    let u = c.cross(l)
    var dy = (lower: Double.infinity, upper: -Double.infinity)
    var dz = dy
    var step = 0.0
    for y in rect.y0..<rect.y1 {
      for x in rect.x0..<rect.x1 {
        let d = directions[y * width + x]
        let forward = d.dot(c)
        guard forward > 0.05 else { return RayPyramid(everythingFrom: origin) }
        let sy = d.dot(l) / forward
        let sz = d.dot(u) / forward
        dy = (Swift.min(dy.lower, sy), Swift.max(dy.upper, sy))
        dz = (Swift.min(dz.lower, sz), Swift.max(dz.upper, sz))
        if jittered {
          for e in [
            directions[y * width + (x + 1 < width ? x + 1 : x - Swift.min(x, 1))],
            directions[(y + 1 < height ? y + 1 : y - Swift.min(y, 1)) * width + x],
          ] {
            let fe = e.dot(c)
            guard fe > 0.05 else { return RayPyramid(everythingFrom: origin) }
            step = Swift.max(step, abs(e.dot(l) / fe - sy), abs(e.dot(u) / fe - sz))
          }
        }
      }
    }
    let margin = step * 0.75 + 1e-9
    return RayPyramid(
      origin: origin, forward: basis.apply(c), left: basis.apply(l), up: basis.apply(u), y0: dy.lower - margin,
      y1: dy.upper + margin, z0: dz.lower - margin, z1: dz.upper + margin)
  }

  /// The world direction of ray `sample` of pixel (x, y): stratum (sample mod side,
  /// sample / side) of a side × side grid over the pixel, jittered inside it by a hash of the
  /// seed, the pixel and the sample. Directions between pixel centres are interpolated
  /// linearly from the ray table (lens distortion is smooth at the scale of a pixel).
  @inline(__always)
  private func jitteredDirection(
    x: Int, y: Int, sample: Int, side: Int, seed: UInt64, camera: Camera, basis: RotationBasis
  ) -> Vec3 {
    let width = camera.intrinsics.width
    let height = camera.intrinsics.height
    let index = y * width + x
    let h = Hash.combine(seed, UInt64(index &* 16 &+ sample))
    let ox = (Double(sample % side) + Hash.unit(h)) / Double(side) - 0.5
    let oy = (Double(sample / side) + Hash.unit(Hash.mix(h))) / Double(side) - 0.5
    let directions = camera.rayTable.directions
    let d = directions[index]
    // The ray table's change per pixel (a forward difference, backward at the last column
    // or row; zero for a one-pixel image).
    let gx: Vec3 =
      x + 1 < width ? directions[index + 1] - d : (x > 0 ? d - directions[index - 1] : .zero)
    let gy: Vec3 =
      y + 1 < height ? directions[index + width] - d : (y > 0 ? d - directions[index - width] : .zero)
    let local = d + gx * ox + gy * oy
    return basis.apply(local)
  }

  /// Depth, instance and semantic values of one pixel from its centre ray's hit.
  @inline(__always)
  private func writeLabels(
    _ index: Int, hit: RayHit?, direction: Vec3, origin: Vec3, surfaces: ObjectSurfaces, out: PixelOutputs
  ) {
    var paint: GroundPaint?
    if let hit, case .ground = hit.surface {
      let point = origin + direction * hit.t
      paint = scene.stuff.groundPaint(atX: point.x, y: point.y)
    }
    writeLabels(index, hit: hit, paint: paint, surfaces: surfaces, out: out)
  }

  /// `writeLabels` with the ground's paint at a ground hit already looked up (nil for plain
  /// ground and for other hits).
  @inline(__always)
  private func writeLabels(
    _ index: Int, hit: RayHit?, paint: GroundPaint?, surfaces: ObjectSurfaces, out: PixelOutputs
  ) {
    if let hit {
      switch hit.surface {
      case .object:
        let surface = surfaces.base[hit.materialSlot]
        out.instance.base[index] = surface.instanceID
        out.semantic.base[index] = surface.semanticClass
        if let parts = out.parts { parts.write(index, slot: hit.materialSlot) }
      case .stuff(let stuffIndex):
        out.parts?.image.base[index] = 0
        out.instance.base[index] = 0
        out.semantic.base[index] =
          scene.stuff.solids.indices.contains(stuffIndex)
          ? scene.stuff.solids[stuffIndex].semanticClass : SemanticClass.ground
      case .ground:
        out.parts?.image.base[index] = 0
        out.instance.base[index] = 0
        out.semantic.base[index] = paint.map { scene.stuff.semanticClass(of: $0) } ?? SemanticClass.ground
      }
      out.depth.base[index] = Self.depthMillimetres(hit.t)
    } else {
      out.depth.base[index] = 0
      out.instance.base[index] = 0
      out.semantic.base[index] = SemanticClass.sky
      out.parts?.image.base[index] = 0
    }
  }

  /// `writeLabels(index, hit: primary.hit, paint: paint, …)` for a primary hit at distance
  /// `t` (`primary.distanceAndNormal`), read from its record without building a `RayHit`,
  /// into `images`: the same values.
  @inline(__always)
  private func writeLabels(_ index: Int, primary: PrimaryHit, t: Double, paint: GroundPaint?, images: LabelImages) {
    switch primary.surface {
    case .object:
      let surface = images.surfaces + primary.materialSlot
      images.instance[index] = surface.pointee.instanceID
      images.semantic[index] = surface.pointee.semanticClass
      if let parts = images.parts { parts.write(index, slot: primary.materialSlot) }
    case .stuff(let stuffIndex):
      images.parts?.image.base[index] = 0
      images.instance[index] = 0
      images.semantic[index] =
        scene.stuff.solids.indices.contains(stuffIndex)
        ? scene.stuff.solids[stuffIndex].semanticClass : SemanticClass.ground
    case .ground:
      images.parts?.image.base[index] = 0
      images.instance[index] = 0
      images.semantic[index] = paint.map { scene.stuff.semanticClass(of: $0) } ?? SemanticClass.ground
    }
    images.depth[index] = Self.depthMillimetres(t)
  }

  /// The shading pass of ray `sample` over a tile whose primary hits are in `hits` (slot
  /// order): first, pixel by pixel in a loop of their own, the sun's shadow rays
  /// (`shadowCandidates`, the swept box's list, when `castShadows`; their origins already in
  /// `shadowRays`, in slot order, when `shadowOriginsReady`); then the labels (with `labels`)
  /// and each pixel's surface kind (a ground hit's paint: the same for every ground hit of the
  /// tile, or of its row, where the box of their points, `tileRun` and row r's at `runs + r`
  /// as `boundHits` gathered them, lies in one band's interior away from every marking, else
  /// looked up among `groundBands`, the road bands the tile's ground hits may meet, less those
  /// the box misses, or among all bands for nil);
  /// then one loop per kind (objects, stuff solids, plain ground, each road paint,
  /// sky), each with only that kind's code, adding every pixel's radiance into `radiance`.
  /// Each pixel gets the same operations in the same order as shading it alone: only the
  /// order of the pixels changes, and no pixel's value depends on another's (`groundCells`
  /// keeps noise cells, the same values either way).
  private func shadeTile(
    _ rect: PixelRect, sample: Int, hits: UnsafeMutablePointer<PrimaryHit>,
    radiance: UnsafeMutablePointer<SIMD3<Double>>, castShadows: Bool, shadowCandidates: CandidateList, camera: Camera,
    shader: Shader, surfaces: ObjectSurfaces, excluded: Int?, out: PixelOutputs, labels: Bool, groundBands: UInt64?,
    runs: UnsafeMutablePointer<GroundRun>, tileRun: GroundRun, stack: UnsafeMutablePointer<UInt32>,
    lampCulling: LampShadowCulling, mirrorCandidates: CandidateList?, shadowRays: inout TileRays,
    shadowOriginsReady: Bool, groundCells: inout GroundNoiseCells
  ) {
    let width = camera.intrinsics.width
    let origin = camera.pose.translation
    let sun = shader.sunDirection
    let count = (rect.x1 - rect.x0) * (rect.y1 - rect.y0)
    // Scratch for the kinds' slot lists (below).
    withUnsafeTemporaryAllocation(of: UInt16.self, capacity: SurfaceKind.count * Swift.max(1, count)) { buffer in
      guard let lists = buffer.baseAddress, count <= Int(UInt16.max) + 1 else {
        return
      }
      // The shadow rays' origins first; with a candidate list to test, their slab tests all
      // at once (`TileRays`), then each ray tests only the candidates it enters, in the same
      // order as casting them one by one (so the list's hint evolves the same way).
      let preparedShadows = castShadows && shadowCandidates.count > 0 && !shadowCandidates.overflowed
      if preparedShadows {
        if !shadowOriginsReady {
          shadowRays.count = 0
          for slot in 0..<count {
            let primary = hits[slot]
            if primary.litSide, let (t, normal) = primary.distanceAndNormal {
              shadowRays.append(Self.shadowOrigin(origin + primary.direction * t, normal: normal))
            }
          }
        }
        shadowRays.prepare(along: sun, tMin: 0, tMax: .infinity, list: shadowCandidates)
      }
      // A swept box that reaches more candidates than a list holds: each quarter of the
      // tile's shadow rays is answered here under its own swept box's list
      // (`castQuarterShadows`) rather than each ray walking the whole BVH.
      if castShadows && shadowCandidates.overflowed {
        var list = shadowCandidates
        castQuarterShadows(rect, hits: hits, eye: origin, sun: sun, list: &list, rays: &shadowRays, stack: stack)
      } else if preparedShadows {
        // Each lit hit keeps its mark unless its ray is blocked, in slot order (the order of
        // the origins). A shadow ray that enters no candidate's box is lit without a call
        // (the answer `occluded(prepared:…)` gives it, the list's hint left as it is).
        var shadowRay = 0
        for slot in 0..<count where hits[slot].litSide && hits[slot].distanceAndNormal != nil {
          if shadowRays.entered[shadowRay] != 0 {
            hits[slot].litSide = !occluded(
              prepared: shadowRays, ray: shadowRay, direction: sun, tMin: 0, tMax: .infinity,
              list: shadowCandidates, stack: stack)
          }
          shadowRay &+= 1
        }
      }
      // With an empty list (not prepared) every shadow ray is lit: `occluded`'s answer for
      // it, so the marks stay as they are.
      // The paint of the tile's ground hits, worked out once for the box of their points
      // (`Stuff.groundPaint(lowerX:upperX:lowerY:upperY:bands:)`), and when that box is not
      // of one paint, once for each row's box: a run's `paint` for every point of its box,
      // else a look-up among its `bands`, the tile's bands less those no point lies in.
      let rows = rect.y1 - rect.y0
      var tileRun = tileRun
      var byRow = false
      if let mask = groundBands, mask != 0 {
        (tileRun.bands, tileRun.paint) = scene.stuff.groundPaint(
          lowerX: tileRun.lowerX, upperX: tileRun.upperX, lowerY: tileRun.lowerY, upperY: tileRun.upperY, bands: mask)
        if tileRun.paint == nil && tileRun.bands != 0 {
          byRow = true
          for r in 0..<rows {
            (runs[r].bands, runs[r].paint) = scene.stuff.groundPaint(
              lowerX: runs[r].lowerX, upperX: runs[r].upperX, lowerY: runs[r].lowerY, upperY: runs[r].upperY,
              bands: tileRun.bands)
          }
        }
      } else if let mask = groundBands {
        tileRun.bands = mask
      }
      // Kind k's slots from lists + k·count (k its raw value), each kind's count in a local of
      // its own, the slot appended where its kind is known (no look-up by kind per pixel).
      var (objects, stuffs, grounds, asphalts, markings, skies) = (0, 0, 0, 0, 0, 0)
      let objectList = lists + SurfaceKind.object.rawValue &* count
      let stuffList = lists + SurfaceKind.stuff.rawValue &* count
      let groundList = lists + SurfaceKind.ground.rawValue &* count
      let asphaltList = lists + SurfaceKind.asphalt.rawValue &* count
      let markingList = lists + SurfaceKind.marking.rawValue &* count
      let skyList = lists + SurfaceKind.sky.rawValue &* count
      var slot = 0
      // The label images' bases and the surfaces' table in locals, read once: stores into
      // the images do not reload them from `out` and `surfaces` (which, to the compiler,
      // those stores might change).
      let labelImages = LabelImages(out, surfaces: surfaces)
      for y in rect.y0..<rect.y1 {
        // The run whose box holds this row's ground hits (with `groundBands`).
        let run = byRow ? runs[y &- rect.y0] : tileRun
        for x in rect.x0..<rect.x1 {
          let primary = hits[slot]
          let index = y &* width &+ x
          let s = UInt16(truncatingIfNeeded: slot)
          slot &+= 1
          guard let (t, _) = primary.distanceAndNormal else {
            if labels { labelImages.writeSky(index) }
            skyList[skies] = s
            skies &+= 1
            continue
          }
          switch primary.surface {
          case .object:
            if labels { writeLabels(index, primary: primary, t: t, paint: nil, images: labelImages) }
            objectList[objects] = s
            objects &+= 1
          case .stuff:
            if labels { writeLabels(index, primary: primary, t: t, paint: nil, images: labelImages) }
            stuffList[stuffs] = s
            stuffs &+= 1
          case .ground:
            // The ground's paint at a ground hit, looked up once for the label and the shading.
            let paint: GroundPaint?
            let point = origin + primary.direction * t
            if groundBands != nil {
              if let runPaint = run.paint, run.holds(point) {
                paint = runPaint
              } else {
                paint = run.bands == 0 ? nil : scene.stuff.groundPaint(atX: point.x, y: point.y, bands: run.bands)
              }
            } else {
              paint = scene.stuff.groundPaint(atX: point.x, y: point.y)
            }
            if labels { writeLabels(index, primary: primary, t: t, paint: paint, images: labelImages) }
            switch paint {
            case nil:
              groundList[grounds] = s
              grounds &+= 1
            case .asphalt:
              asphaltList[asphalts] = s
              asphalts &+= 1
            case .marking:
              markingList[markings] = s
              markings &+= 1
            }
          }
        }
      }
      var counts = SurfaceKind.Counts()
      (counts[.object], counts[.stuff], counts[.ground]) = (objects, stuffs, grounds)
      (counts[.asphalt], counts[.marking], counts[.sky]) = (asphalts, markings, skies)
      let pass = ShadingPass(
        hits: hits, radiance: radiance, accumulate: sample > 0, origin: origin, shader: shader, surfaces: surfaces,
        excluded: excluded, stack: stack, lampCulling: lampCulling, mirrorCandidates: mirrorCandidates)
      shadeObjects(pass, lists, count: counts[.object], cells: &groundCells.texture)
      shadeStuff(pass, lists + SurfaceKind.stuff.rawValue * count, count: counts[.stuff], cells: &groundCells.texture)
      for kind in SurfaceKind.grounds where counts[kind] > 0 {
        shadeGround(
          pass, lists + kind.rawValue * count, count: counts[kind],
          look: kind == .ground ? nil : surfaces.stuff.paint(kind == .asphalt ? .asphalt : .marking),
          cells: &groundCells)
      }
      shadeSky(pass, lists + SurfaceKind.sky.rawValue * count, count: counts[.sky])
    }
  }

  /// Shades the tile's sky pixels at `slots` (`shadeTile`): the sky along each ray's
  /// direction, from `SkyKernel` (C, in SIMD lanes, the bits of `Shader.sky(directionZ:
  /// d.z / d.length)`) in pieces of `GroundKernel.chunk` pixels.
  @inline(never)
  private func shadeSky(_ pass: ShadingPass, _ slots: UnsafePointer<UInt16>, count: Int) {
    guard count > 0 else { return }
    let kernel = SkyKernel(shader: pass.shader)
    let chunk = GroundKernel.chunk
    withUnsafeTemporaryAllocation(of: Double.self, capacity: 6 * chunk) { columns in
      guard let x = columns.baseAddress else { return }
      let (y, z, red, green, blue) = (x + chunk, x + 2 * chunk, x + 3 * chunk, x + 4 * chunk, x + 5 * chunk)
      let hits = pass.hits
      var start = 0
      while start < count {
        let n = Swift.min(chunk, count &- start)
        let piece = slots + start
        for k in 0..<n {
          let direction = hits[Int(piece[k])].direction
          x[k] = direction.x
          y[k] = direction.y
          z[k] = direction.z
        }
        kernel.shade(x: x, y: y, z: z, count: n, red: red, green: green, blue: blue)
        for k in 0..<n { pass.add(SIMD3(red[k], green[k], blue[k]), at: Int(piece[k])) }
        start &+= chunk
      }
    }
  }

  /// Shades the tile's object hits at `slots` (`shadeTile`): those of a material slot the
  /// object kernel covers (`ObjectKernelSlots`) through `shadeInKernel`, the others with
  /// `Shader.objectSurface` in Swift.
  @inline(never)
  private func shadeObjects(
    _ pass: ShadingPass, _ slots: UnsafePointer<UInt16>, count: Int, cells: inout TextureNoiseCells
  ) {
    guard count > 0 else { return }
    let (shader, surfaces) = (pass.shader, pass.surfaces)
    let lit = !shader.lamps.isEmpty
    let table = surfaces.kernel
    shadeByTexture(pass, slots, count: count, table: table, stuff: false) {
      table.kernelTexture($0.materialSlot)
    } inSwift: { slot in
      let primary = pass.hits[slot]
      guard case .object(let objectIndex) = primary.surface, let g = primary.geometry(from: pass.origin, shader: shader)
      else { return }
      let materialSlot = primary.materialSlot
      let (colour, brdf) = shader.objectSurface(
        g, litSide: primary.litSide, surface: UnsafePointer(surfaces.base + materialSlot), slot: materialSlot,
        uv: primary.uv, textures: surfaces.textures, cells: &cells)
      addLit(
        colour, brdf: brdf, at: g.point, normal: g.normal, object: objectIndex, distance: g.t * g.length, slot: slot,
        lit: lit, pass: pass)
    }
  }

  /// Shades the tile's stuff-solid hits at `slots` (`shadeTile`): those of a solid the
  /// object kernel covers (`StuffLooks.kernel`) through `shadeInKernel`, the others with
  /// `Shader.stuffSurface` in Swift.
  @inline(never)
  private func shadeStuff(
    _ pass: ShadingPass, _ slots: UnsafePointer<UInt16>, count: Int, cells: inout TextureNoiseCells
  ) {
    guard count > 0 else { return }
    let shader = pass.shader
    let lit = !shader.lamps.isEmpty
    let table = pass.surfaces.stuff.kernel
    shadeByTexture(pass, slots, count: count, table: table, stuff: true) { primary in
      guard case .stuff(let stuffIndex) = primary.surface else { return -1 }
      return table.kernelTexture(stuffIndex)
    } inSwift: { slot in
      let primary = pass.hits[slot]
      guard case .stuff(let stuffIndex) = primary.surface, let g = primary.geometry(from: pass.origin, shader: shader)
      else { return }
      let look = pass.surfaces.stuff.solid(stuffIndex) ?? StuffLook(Material.neutral)
      let (colour, brdf) = shader.stuffSurface(g, litSide: primary.litSide, look: look, cells: &cells)
      addLit(
        colour, brdf: brdf, at: g.point, normal: g.normal, object: nil, distance: g.t * g.length, slot: slot,
        lit: lit, pass: pass)
    }
  }

  /// Shades the object (or, with `stuff`, stuff-solid) hits at `slots` by the kernel texture
  /// `texture` gives each hit (`table`'s code, -1 for none): sorted into one list per kernel
  /// texture (k's at `lists + k·count`) and one of the rest (at k = `ObjectKernelSlots.textures`),
  /// the rest shaded one by one by `inSwift` (given the slot), then the lists through
  /// `shadeInKernel`.
  @inline(__always)
  private func shadeByTexture(
    _ pass: ShadingPass, _ slots: UnsafePointer<UInt16>, count: Int, table: ObjectKernelSlots, stuff: Bool,
    texture: (PrimaryHit) -> Int32, inSwift: (Int) -> Void
  ) {
    let others = ObjectKernelSlots.textures
    withUnsafeTemporaryAllocation(of: UInt16.self, capacity: (others + 1) * count) { buffer in
      guard let lists = buffer.baseAddress else { return }
      var counts = ObjectKernelSlots.Counts(repeating: 0)
      for k in 0..<count {
        let slot = slots[k]
        let code = Int(texture(pass.hits[Int(slot)]))
        let group = code >= 0 && code < others ? code : others
        lists[group &* count &+ counts[group]] = slot
        counts[group] &+= 1
      }
      for k in 0..<counts[others] { inSwift(Int(lists[others &* count &+ k])) }
      shadeInKernel(pass, lists, stride: count, counts: counts, table: table, stuff: stuff)
    }
  }

  /// Shades the object (or, with `stuff`, stuff-solid) hits whose slots are in kernel
  /// texture k's list, `lists + k·stride`, `counts[k]` long, for each of the kernel's
  /// textures: through `ObjectKernel` (C, in SIMD lanes, the bits of `Shader.objectSurface`
  /// or `Shader.stuffSurface`) in pieces of `GroundKernel.chunk` hits, each hit's slot in
  /// `table`; the lamps and the fog are added here as `addLit` adds them.
  @inline(__always)
  private func shadeInKernel(
    _ pass: ShadingPass, _ lists: UnsafePointer<UInt16>, stride: Int, counts: ObjectKernelSlots.Counts,
    table: ObjectKernelSlots,
    stuff: Bool
  ) {
    let textures = ObjectKernelSlots.textures
    var any = false
    for texture in 0..<textures where counts[texture] > 0 { any = true }
    guard any else { return }
    let shader = pass.shader
    let lit = !shader.lamps.isEmpty
    let kernel = ObjectKernel(shader: shader, origin: pass.origin, fog: !lit, stuff: stuff)
    let chunk = GroundKernel.chunk
    HitColumns.withColumns(stride: chunk) { columns in
      withUnsafeTemporaryAllocation(of: Int32.self, capacity: chunk) { slotBuffer in
        withUnsafeTemporaryAllocation(of: UInt16.self, capacity: chunk) { keptBuffer in
          guard let slotOf = slotBuffer.baseAddress, let kept = keptBuffer.baseAddress else { return }
          for texture in 0..<textures where counts[texture] > 0 {
            let list = lists + texture * stride
            var start = 0
            while start < counts[texture] {
              // The piece's hits and their slots (every object or stuff slot has a hit). Slots
              // and counts stay below a tile's pixels: no overflow to check.
              var n = 0
              for k in start..<Swift.min(counts[texture], start &+ chunk) {
                let primary = pass.hits[Int(list[k])]
                let index: Int
                switch primary.surface {
                case .object: index = primary.materialSlot
                case .stuff(let stuffIndex): index = stuffIndex
                case .ground: continue
                }
                guard let (t, normal) = primary.distanceAndNormal else { continue }
                columns.set(n, t: t, normal: normal, direction: primary.direction, litSide: primary.litSide)
                slotOf[n] = Int32(truncatingIfNeeded: index)
                kept[n] = list[k]
                n &+= 1
              }
              kernel.shade(
                columns, slotOf: UnsafePointer(slotOf), count: n, texture: Int32(texture), slots: table, material: lit)
              for k in 0..<n {
                let slot = Int(kept[k])
                var colour = columns.colour(k)
                if lit {
                  let primary = pass.hits[slot]
                  guard let g = primary.geometry(from: pass.origin, shader: shader) else { continue }
                  var object: Int?
                  if case .object(let objectIndex) = primary.surface { object = objectIndex }
                  let brdf = SurfaceBRDF(
                    base: columns.albedo(k), roughness: columns.roughness(k),
                    metallic: table.base[Int(slotOf[k])].metallic, normal: g.normal, view: g.view)
                  colour += lampLight(
                    at: g.point, normal: g.normal, brdf: brdf, object: object, lamps: shader.lamps, stack: pass.stack,
                    culling: pass.lampCulling(slot))
                  colour = shader.fogged(colour, distance: g.t * g.length)
                }
                pass.add(colour, at: slot)
              }
              start &+= chunk
            }
          }
        }
      }
    }
  }

  /// Adds `colour` (an object's or stuff solid's sun, sky and emission), plus the lamps'
  /// light with `lit`, through the fog over `distance`, to slot `slot`'s radiance.
  @inline(__always)
  private func addLit(
    _ colour: SIMD3<Double>, brdf: SurfaceBRDF, at point: Vec3, normal n: Vec3, object: Int?, distance: Double,
    slot: Int, lit: Bool, pass: ShadingPass
  ) {
    var colour = colour
    if lit {
      colour += lampLight(
        at: point, normal: n, brdf: brdf, object: object, lamps: pass.shader.lamps, stack: pass.stack,
        culling: pass.lampCulling(slot))
    }
    pass.add(pass.shader.fogged(colour, distance: distance), at: slot)
  }

  /// Shades the tile's ground hits at `slots` (`shadeTile`): painted with `look` (a road
  /// paint's), or the plain ground for nil. The sun and sky (with the fog when no lamp and
  /// no rain add to them) come from `GroundKernel` (C, in SIMD lanes, the bits of
  /// `Shader.groundSurface`) in pieces of `GroundKernel.chunk` pixels; lamps, the wet
  /// reflection and the fog are added here with the same operations as in
  /// `shadeGroundInSwift`, which shades what the kernel does not cover.
  @inline(never)
  private func shadeGround(
    _ pass: ShadingPass, _ slots: UnsafePointer<UInt16>, count: Int, look: StuffLook?, cells: inout GroundNoiseCells
  ) {
    let (shader, origin) = (pass.shader, pass.origin)
    let lit = !shader.lamps.isEmpty
    let wet = shader.wet
    guard let kernel = GroundKernel(shader: shader, look: look, origin: origin, fog: !lit && !wet) else {
      shadeGroundInSwift(pass, slots, count: count, look: look, cells: &cells)
      return
    }
    let chunk = GroundKernel.chunk
    HitColumns.withColumns(stride: chunk) { columns in
      withUnsafeTemporaryAllocation(of: UInt16.self, capacity: chunk) { kept in
        var start = 0
        while start < count {
          // The piece's hits (a ground slot always has one). Slots and counts stay below a
          // tile's pixels: no overflow to check.
          var n = 0
          for k in start..<Swift.min(count, start &+ chunk) {
            let primary = pass.hits[Int(slots[k])]
            guard let (t, normal) = primary.distanceAndNormal else { continue }
            columns.set(n, t: t, normal: normal, direction: primary.direction, litSide: primary.litSide)
            kept[n] = slots[k]
            n &+= 1
          }
          kernel.shade(columns, count: n, material: lit || wet)
          for k in 0..<n {
            let slot = Int(kept[k])
            var colour = columns.colour(k)
            if lit || wet {
              guard let g = pass.hits[slot].geometry(from: origin, shader: shader) else { continue }
              if lit {
                let brdf = SurfaceBRDF(
                  base: columns.albedo(k), roughness: columns.roughness(k), metallic: kernel.metallic, normal: g.normal,
                  view: g.view)
                colour += lampLight(
                  at: g.point, normal: g.normal, brdf: brdf, object: nil, lamps: shader.lamps, stack: pass.stack,
                  culling: pass.lampCulling(slot))
              }
              if wet {
                colour = wetReflection(
                  colour, at: g.point, eye: origin, direction: g.direction, length: g.length, t: g.t,
                  water: columns.water(k), shader: shader, surfaces: pass.surfaces, excluded: pass.excluded,
                  stack: pass.stack, candidates: pass.mirrorCandidates, cells: &cells.texture)
              }
              colour = shader.fogged(colour, distance: g.t * g.length)
            }
            pass.add(colour, at: slot)
          }
          start &+= chunk
        }
      }
    }
  }

  /// `shadeGround` in Swift alone, pixel by pixel: the reference, and the shading of what
  /// `GroundKernel` does not cover.
  private func shadeGroundInSwift(
    _ pass: ShadingPass, _ slots: UnsafePointer<UInt16>, count: Int, look: StuffLook?, cells: inout GroundNoiseCells
  ) {
    let (shader, origin) = (pass.shader, pass.origin)
    let lit = !shader.lamps.isEmpty
    let wet = shader.wet
    for k in 0..<count {
      let slot = Int(slots[k])
      let primary = pass.hits[slot]
      guard let g = primary.geometry(from: origin, shader: shader) else { continue }
      let s = shader.groundSurface(g, litSide: primary.litSide, look: look, cells: &cells)
      var colour = s.colour
      if lit {
        colour += lampLight(
          at: g.point, normal: g.normal, brdf: s.brdf, object: nil, lamps: shader.lamps, stack: pass.stack,
          culling: pass.lampCulling(slot))
      }
      if wet {
        colour = wetReflection(
          colour, at: g.point, eye: origin, direction: g.direction, length: g.length, t: g.t, water: s.water,
          shader: shader, surfaces: pass.surfaces, excluded: pass.excluded, stack: pass.stack,
          candidates: pass.mirrorCandidates, cells: &cells.texture)
      }
      pass.add(shader.fogged(colour, distance: g.t * g.length), at: slot)
    }
  }

  /// Wet ground reflects like water (Schlick, F0 = 0.02): a film on rough asphalt mirrors
  /// only the sky, blurred to its mean; a puddle mirrors the scene along the reflected ray.
  ///
  /// The reflected ray of the primary ray `eye + s·direction` (`length` = |direction|) that
  /// meets the ground (z = 0) at s = `t` is the mirror image of that ray in the ground,
  /// `eye' + s·direction'` (z negated in both) for s > t. It is traced in that form, from
  /// just above the ground (s > t + lift / |direction.z|, lift = 10⁻⁶·(1 + max(|x|, |y|)) m),
  /// so it is a ray of the tile's mirrored pyramid, and `candidates` (that pyramid's culled
  /// list; nil to walk the BVH) holds everything it can hit. `cells` as for
  /// `ProceduralTexture.sample`.
  private func wetReflection(
    _ colour: SIMD3<Double>, at point: Vec3, eye: Vec3, direction: Vec3, length: Double, t: Double, water: Double,
    shader: Shader, surfaces: ObjectSurfaces, excluded: Int?, stack: UnsafeMutablePointer<UInt32>,
    candidates: CandidateList?, cells: inout TextureNoiseCells
  ) -> SIMD3<Double> {
    let d = direction / length
    let fresnel = shader.waterReflectance(cosine: -d.z)
    let weight = fresnel * (0.3 + 0.7 * water)
    let reflected = Vec3(d.x, d.y, -d.z)
    var mirrored = shader.sky(reflected)
    if water > 0, direction.z < 0 {
      let lift = 1e-6 * (1 + Swift.max(abs(point.x), abs(point.y)))
      let mirrorEye = Vec3(eye.x, eye.y, -eye.z)
      let mirrorDirection = Vec3(direction.x, direction.y, -direction.z)
      if let hit = closestHit(
        origin: mirrorEye, direction: mirrorDirection, tMin: t + lift / -direction.z, tMax: .infinity,
        excluding: excluded, includeGround: false, stack: stack, candidates: candidates),
        case .object = hit.surface
      {
        let p = mirrorEye + mirrorDirection * hit.t
        // Read in place, not copied (as `shadeObjects` does).
        let surface = UnsafePointer(surfaces.base + hit.materialSlot)
        let m = shader.objectMaterial(
          surface, at: p, normal: hit.normal,
          footprint: shader.footprint(distance: hit.t * length, cosine: hit.normal.dot(reflected)), cells: &cells)
        let brdf = SurfaceBRDF(
          base: shader.snowCovered(m.colour, normal: hit.normal), roughness: m.roughness,
          metallic: surface.pointee.metallic, normal: hit.normal, view: reflected * -1)
        mirrored = shader.fogged(shader.unshadowed(brdf) + surface.pointee.emission, distance: (hit.t - t) * length)
      }
    }
    // Without a puddle the film is rough: the sky it mirrors is the mean of the horizon and
    // the reflected direction.
    if water < 1 { mirrored = mirrored * (0.5 + 0.5 * water) + shader.horizon * (0.5 - 0.5 * water) }
    return colour * (1 - weight) + mirrored * weight
  }
}

/// How a frame's radiance becomes sensor values: the exposure scale, and the noise at the
/// gain that exposure needs.
struct Develop: @unchecked Sendable {
  // @unchecked: `table` points at `NoiseVariates.tableBase` and `kernel` at it and at
  // `Develop.toneBase`, all immutable and never freed.
  var scale: Double
  var noise: SensorNoise?
  var gain: Double
  /// The noise model at this gain: σ²(v) = v·shotVariance + readVariance (`SensorNoise.sigma`).
  var noisy: Bool
  var shotVariance: Double
  var readVariance: Double
  /// The frame's stream of normal variates and their table (`NoiseVariates`).
  var stream: UInt64
  var table: UnsafePointer<Float>
  /// White-balance gains; (1, 1, 1) when neutral or not finite (a multiply by 1 changes no
  /// value, so the pixel loop multiplies unconditionally).
  var whiteBalance: SIMD3<Double>
  /// Which `CDevelop` path develops a noisy row (`CDEVELOP_PATH_AUTO`: the best the
  /// processor has; tests force the others).
  var path = Int32(CDEVELOP_PATH_AUTO)

  init(scale: Double, illuminance: Double, options: CameraRenderOptions) {
    let wb = options.whiteBalance
    whiteBalance = wb.x.isFinite && wb.y.isFinite && wb.z.isFinite ? wb : SIMD3(1, 1, 1)
    let x = scale.isFinite ? scale : 1
    self.scale = x
    noise = options.noise
    let g = options.noise.map { $0.gain(ev100: CameraExposure.ev100(scale: x, illuminance: illuminance)) } ?? 1
    gain = g
    noisy = options.noise != nil
    shotVariance = options.noise.map { g / $0.fullWell } ?? 0
    readVariance = options.noise.map { let read = g * $0.readNoise / $0.fullWell; return read * read } ?? 0
    stream = NoiseVariates.stream(seed: options.noiseSeed)
    table = NoiseVariates.tableBase
  }

  /// The parameters of `cdevelop_rows` for this development: `noisyByte`'s values, rounded
  /// to single precision as it rounds them.
  var kernel: cdevelop_params {
    cdevelop_params(
      scale: Float(scale), shot: Float(shotVariance), read: Float(readVariance),
      white_balance: (Float(whiteBalance.x), Float(whiteBalance.y), Float(whiteBalance.z)), limit: Self.toneLimit,
      stream: stream, noise: table, tone: Self.toneBase)
  }

  /// Exposure, sensor noise, white balance, tone curve and sRGB encoding of `rows` rows of
  /// `count` pixels each, one after the other at `colours`, row r's first pixel being pixel
  /// first + r · `pitch` of the image, whose first byte is `rgb` (docs/scene-model.md,
  /// "Exposure, tone curve and noise"). Each pixel is developed on its own, so the bytes do
  /// not depend on how the image is cut. Noisy rows are developed by `cdevelop_rows` (C, in
  /// AVX2 lanes where the processor has them), which gives the bytes of `rowInSwift`; rows
  /// without noise by `rowInSwift`.
  @inline(__always)
  func rows(
    _ colours: UnsafePointer<SIMD3<Double>>, count: Int, rows: Int, first: Int, pitch: Int,
    srgb: UnsafePointer<UInt8>, rgb: UnsafeMutablePointer<UInt8>
  ) {
    guard noisy else {
      for r in 0..<rows {
        rowInSwift(colours + r &* count, count: count, first: first &+ r &* pitch, srgb: srgb, rgb: rgb)
      }
      return
    }
    var parameters = kernel
    // SIMD3<Double> is four doubles wide (the fourth unused), the layout the kernel reads.
    cdevelop_rows(
      &parameters, UnsafeRawPointer(colours).assumingMemoryBound(to: Double.self), count, rows, UInt64(first), pitch,
      rgb + first &* 3, path)
  }

  /// `rows` for one row of `count` pixels whose first is pixel `first`.
  @inline(__always)
  func row(
    _ colours: UnsafePointer<SIMD3<Double>>, count: Int, first: Int, srgb: UnsafePointer<UInt8>,
    rgb: UnsafeMutablePointer<UInt8>
  ) {
    rows(colours, count: count, rows: 1, first: first, pitch: 0, srgb: srgb, rgb: rgb)
  }

  /// `row` in Swift, a pixel and a channel at a time: with noise `noisyByte` (the reference
  /// `cdevelop_rows` matches), without it the exposed signal times the white balance through
  /// `srgbByte` (in double precision).
  func rowInSwift(
    _ colours: UnsafePointer<SIMD3<Double>>, count: Int, first: Int, srgb: UnsafePointer<UInt8>,
    rgb: UnsafeMutablePointer<UInt8>
  ) {
    let pixel = rgb + first &* 3
    for p in 0..<count {
      let bytes = pixel + 3 &* p
      if noisy {
        // Pixel i's variates are 3i, 3i + 1 and 3i + 2 of the frame's stream (mod 2^32).
        let n = UInt32(truncatingIfNeeded: 3 &* (first &+ p))
        bytes[0] = noisyByte(colours[p].x, n, whiteBalance.x)
        bytes[1] = noisyByte(colours[p].y, n &+ 1, whiteBalance.y)
        bytes[2] = noisyByte(colours[p].z, n &+ 2, whiteBalance.z)
      } else {
        let v = colours[p] * scale * whiteBalance
        bytes[0] = Self.srgbByte(v.x, srgb)
        bytes[1] = Self.srgbByte(v.y, srgb)
        bytes[2] = Self.srgbByte(v.z, srgb)
      }
    }
  }

  /// One channel of a noisy pixel, in single precision (docs/scene-model.md, "Exposure, tone
  /// curve and noise"): the radiance rounded to a float, v = colour · scale, the signal plus
  /// its noise v + √(max(0, v)·shot + read)·z with z variate n of the frame's stream, times
  /// the white balance, clamped to [0, `toneLimit`], and the tone table's byte at its step
  /// (`toneTable`).
  @inline(__always)
  func noisyByte(_ colour: Double, _ n: UInt32, _ balance: Double) -> UInt8 {
    let v = Float(colour) * Float(scale)
    let s = ((v > 0 ? v : 0) * Float(shotVariance) + Float(readVariance)).squareRoot()
    let x = (v + s * NoiseVariates.variate(stream, n, table)) * Float(balance)
    let y = x > 0 ? x : 0
    return Self.toneBase[Int((y < Self.toneLimit ? y : Self.toneLimit) * Float(Shader.tableSize - 1) + 0.5)]
  }

  /// The noisy development's bytes of the signal's steps: entry k is the byte of the signal
  /// k/4095 without noise (`srgbIndex`: the tone curve, then the sRGB table), up to the first
  /// step whose tone curve reaches the sRGB table's top entry (k = 9338, a signal of 2.28).
  /// A signal reads the entry of its nearest step (`noisyByte`): at or below the knee the
  /// index `srgbByte` computes, above it the tone curve evaluated at that step instead of at
  /// the signal itself, which moves its sRGB index by at most one (the curve's slope is at
  /// most 1 there). So no exponential is evaluated per pixel.
  static let toneTable: [UInt8] = {
    // Signal 0 (and below, and NaN): byte 0.
    var bytes: [UInt8] = [0]
    var index = 0
    while index < Shader.tableSize - 1 {
      index = srgbIndex(Double(bytes.count) / Double(Shader.tableSize - 1))
      bytes.append(Shader.srgbValues[index])
    }
    return bytes
  }()

  /// `toneTable` in memory that is never freed, for the pixel loops.
  nonisolated(unsafe) static let toneBase: UnsafePointer<UInt8> = {
    let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: toneTable.count)
    storage.initialize(from: toneTable, count: toneTable.count)
    return UnsafePointer(storage)
  }()

  /// The signal of `toneTable`'s last step, (count − 1)/4095, as a float: a clamped signal's
  /// step, trunc(signal · 4095 + 0.5), is at most the last.
  static let toneLimit = Float(Double(toneTable.count - 1) / Double(Shader.tableSize - 1))

  /// A pixel's term of the automatic exposure's sum (`CameraExposure.automatic`):
  /// ln(10⁻⁴ + Y), Y the Rec. 709 luminance of its radiance (0 when negative or not finite).
  @inline(__always)
  static func meteredLog(_ c: SIMD3<Double>) -> Double {
    let luminance = 0.2126 * c.x + 0.7152 * c.y + 0.0722 * c.z
    return logDouble(1e-4 + Swift.max(0, luminance.isFinite ? luminance : 0))
  }

  /// The 8-bit sRGB value of a linear signal (exposed, white-balanced, without noise): the
  /// tone curve, then `srgb` (`Shader.srgbTable`). The same byte as `Shader.encode`.
  @inline(__always)
  static func srgbByte(_ v: Double, _ srgb: UnsafePointer<UInt8>) -> UInt8 {
    guard v > 0 else { return 0 }  // and NaN
    return srgb[srgbIndex(v)]
  }

  /// The sRGB table's index of a positive signal: at or below the knee the tone curve is the
  /// identity, so only brighter signals call it.
  @inline(__always)
  static func srgbIndex(_ v: Double) -> Int {
    let top = Double(Shader.tableSize - 1)
    if v <= ToneCurve.knee { return Int(v * top + 0.5) }
    let toned = ToneCurve.apply(v)
    return toned >= 1 ? Shader.tableSize - 1 : Int(toned * top + 0.5)
  }
}

/// A value a closure may set (the metered exposure, read after the frame).
private final class ExposureCell<Value>: @unchecked Sendable {
  // @unchecked: written once by the thread that meters the frame, read after it returns.
  var value: Value
  init(_ value: Value) { self.value = value }
}

/// The lesser and the greater of each lane: a compare and a blend, where `pointwiseMin` and
/// `pointwiseMax` (`Double.minimum`, `.maximum`) also test each lane for a signalling NaN.
/// A NaN lane of `a` is kept (`pointwiseMax(.nan, 0)` gives 0; `Develop.row`'s NaN signal
/// encodes to 0 either way), and of two equal lanes, `a`'s.
@inline(__always)
func lanewiseMin(_ a: Vec3, _ b: Vec3) -> Vec3 { a.replacing(with: b, where: b .< a) }

@inline(__always)
func lanewiseMax(_ a: Vec3, _ b: Vec3) -> Vec3 { a.replacing(with: b, where: b .> a) }

/// What a tile pixel's primary ray sees, for the shading pass's loops (`shadeTile`).
/// The ground hits of a tile, or of one of its rows, in `shadeTile`: the plan-view box of
/// their points, and the paint `Stuff.groundPaint(lowerX:upperX:lowerY:upperY:bands:)` gives
/// for it (`paint` for every point of the box, else a look-up among `bands`).
struct GroundRun {
  var lowerX = Double.infinity, upperX = -Double.infinity
  var lowerY = Double.infinity, upperY = -Double.infinity
  var bands: UInt64 = 0
  var paint: GroundPaint?

  /// Widens the box to hold `p` (a NaN coordinate widens nothing).
  @inline(__always)
  mutating func add(_ p: Vec3) {
    if p.x < lowerX { lowerX = p.x }
    if p.x > upperX { upperX = p.x }
    if p.y < lowerY { lowerY = p.y }
    if p.y > upperY { upperY = p.y }
  }

  /// Widens the box to hold `run`'s.
  @inline(__always)
  mutating func add(_ run: GroundRun) {
    if run.lowerX < lowerX { lowerX = run.lowerX }
    if run.upperX > upperX { upperX = run.upperX }
    if run.lowerY < lowerY { lowerY = run.lowerY }
    if run.upperY > upperY { upperY = run.upperY }
  }

  /// Whether `p` lies in the box.
  @inline(__always)
  func holds(_ p: Vec3) -> Bool { p.x >= lowerX && p.x <= upperX && p.y >= lowerY && p.y <= upperY }
}

enum SurfaceKind: Int {
  case object, stuff, ground, asphalt, marking, sky

  static let count = 6
  /// The plain ground's and the road paints'.
  static let grounds: [SurfaceKind] = [.ground, .asphalt, .marking]

  /// A count per kind.
  struct Counts {
    private var values = (0, 0, 0, 0, 0, 0)

    subscript(kind: SurfaceKind) -> Int {
      get {
        switch kind {
        case .object: values.0
        case .stuff: values.1
        case .ground: values.2
        case .asphalt: values.3
        case .marking: values.4
        case .sky: values.5
        }
      }
      set {
        switch kind {
        case .object: values.0 = newValue
        case .stuff: values.1 = newValue
        case .ground: values.2 = newValue
        case .asphalt: values.3 = newValue
        case .marking: values.4 = newValue
        case .sky: values.5 = newValue
        }
      }
    }
  }
}

/// What the shading loops of one tile and ray share (`shadeTile`).
struct ShadingPass {
  let hits: UnsafeMutablePointer<PrimaryHit>
  let radiance: UnsafeMutablePointer<SIMD3<Double>>
  /// Add to the radiance of the pixel's earlier rays (every ray but the first).
  let accumulate: Bool
  let origin: Vec3
  let shader: Shader
  let surfaces: ObjectSurfaces
  let excluded: Int?
  let stack: UnsafeMutablePointer<UInt32>
  let lampCulling: LampShadowCulling
  let mirrorCandidates: CandidateList?

  /// The tile's lamp culling for slot `slot`'s pixel (its lamp mask, `LampShadowCulling.pixel`).
  @inline(__always)
  func lampCulling(_ slot: Int) -> LampShadowCulling {
    var culling = lampCulling
    culling.pixel = slot
    return culling
  }

  /// Stores (the first ray) or adds the radiance of slot `slot`'s ray.
  @inline(__always)
  func add(_ colour: SIMD3<Double>, at slot: Int) {
    radiance[slot] = accumulate ? radiance[slot] + colour : colour
  }
}

/// Pixels [x0, x1) × [y0, y1).
struct PixelRect {
  var x0: Int, y0: Int, x1: Int, y1: Int
}

extension RayPyramid {
  /// The mirror image of `pyramid` in the ground plane z = 0 (z negated in its origin and
  /// planes): a point is inside it exactly when its mirror image is inside `pyramid`, with
  /// the same rounding, so the mirror image of a ray of `pyramid` is a ray of this one.
  init(mirroredInGround pyramid: RayPyramid) {
    @inline(__always) func mirror(_ v: Vec3) -> Vec3 { Vec3(v.x, v.y, -v.z) }
    origin = mirror(pyramid.origin)
    let p = pyramid.planes
    planes = (mirror(p.0), mirror(p.1), mirror(p.2), mirror(p.3), mirror(p.4))
  }
}

/// A tile pixel's primary hit, kept between the two passes of `renderTile`. Kept small (112
/// bytes a hit: the direction and normal as plain doubles, not 32-byte SIMD3s, only the fields of
/// `RayHit` that shading and the labels read, and the shadow ray's origin worked out again
/// where it is cast) so that a 16 × 16 tile's hits stay in the L1 cache. The fields are read
/// from the hit one by one: copying the whole `RayHit` as `closestHit` returns it read it in
/// wider pieces than it was written, which stalled the pixel loop on store forwarding.
struct PrimaryHit {
  private var t: Double
  private var nx: Double
  private var ny: Double
  private var nz: Double
  private var dx: Double
  private var dy: Double
  private var dz: Double
  /// An object's or a stuff solid's (a ground hit's or a miss's record may hold an earlier
  /// record's: `setUnentered`).
  private(set) var materialSlot: Int
  private(set) var uv: SIMD2<Double>?
  private(set) var surface: RayHit.Surface
  private var hasHit: Bool
  /// The surface faces the sun (lit unless something blocks the shadow ray).
  var litSide: Bool

  @inline(__always)
  init(hit: RayHit?, direction: Vec3, litSide: Bool) {
    self.litSide = litSide
    dx = direction.x
    dy = direction.y
    dz = direction.z
    if let hit {
      hasHit = true
      t = hit.t
      nx = hit.normal.x
      ny = hit.normal.y
      nz = hit.normal.z
      materialSlot = hit.materialSlot
      uv = hit.uv
      surface = hit.surface
    } else {
      hasHit = false
      t = 0
      nx = 0
      ny = 0
      nz = 0
      materialSlot = -1
      uv = nil
      surface = .ground
    }
  }

  /// `init(hit: RayHit(t: t, surface: .ground, normal: .unitZ), direction:, litSide: false)`:
  /// the ground plane met at `t` (`SceneIntersector.closestHit(prepared:…)`'s answer for a ray
  /// that enters no candidate's box).
  @inline(__always)
  init(groundAt t: Double, direction: Vec3) {
    self.init(missing: direction)
    setUnentered(ground: true, t: t, direction: direction)
  }

  /// `init(hit: nil, direction:, litSide: false)`: a ray that meets nothing.
  @inline(__always)
  init(missing direction: Vec3) {
    self.init(hit: nil, direction: direction, litSide: false)
  }

  /// Stores `init(groundAt: t, direction:)` when `ground`, else `init(missing: direction)`,
  /// in the fields their readers read (`castPrepared`'s record of a ray that enters no
  /// candidate's box), with no branch between the two: a miss keeps `t` and the ground's
  /// normal and surface (read only through a hit), and neither writes `materialSlot` or
  /// `uv`, which only an object's or a stuff solid's readers read.
  @inline(__always)
  mutating func setUnentered(ground: Bool, t: Double, direction: Vec3) {
    self.t = t
    nx = 0
    ny = 0
    nz = 1
    dx = direction.x
    dy = direction.y
    dz = direction.z
    surface = .ground
    hasHit = ground
    litSide = false
  }

  /// The hit, with the fields shading reads (no triangle or barycentric weights; a ground
  /// hit's material slot and texture coordinates are those of `RayHit(t:surface:normal:)`).
  var hit: RayHit? {
    guard hasHit else { return nil }
    if case .ground = surface { return RayHit(t: t, surface: .ground, normal: Vec3(nx, ny, nz)) }
    return RayHit(t: t, surface: surface, normal: Vec3(nx, ny, nz), materialSlot: materialSlot, uv: uv)
  }

  /// The ray's world direction (forward component 1 in the camera body frame).
  var direction: Vec3 { Vec3(dx, dy, dz) }

  /// What shading a hit starts from, seen from the camera at `origin`: nil for no hit.
  @inline(__always)
  func geometry(from origin: Vec3, shader: Shader) -> HitGeometry? {
    guard hasHit else { return nil }
    let normal = Vec3(nx, ny, nz)
    let direction = Vec3(dx, dy, dz)
    let length = direction.length
    let view = direction * (-1 / length)
    // The texture level of detail (docs/scene-model.md, "Texture level of detail").
    return HitGeometry(
      t: t, normal: normal, direction: direction, length: length, point: origin + direction * t, view: view,
      footprint: shader.footprint(distance: t * length, cosine: normal.dot(view)))
  }

  /// The hit's distance along `direction` and its normal, nil for no hit: what the shadow
  /// rays' origins need, without building the whole `RayHit`.
  @inline(__always)
  var distanceAndNormal: (t: Double, normal: Vec3)? { hasHit ? (t, Vec3(nx, ny, nz)) : nil }
}

/// What `renderTile` gathers from a tile's primary hits (`SceneIntersector.boundHits`), with
/// the boxes of each row's ground hits (`GroundRun`): the box of its sun shadow rays' origins
/// (empty: none), whether it has any ground hit, and how many shadow origins it stored.
struct TileHitBounds {
  var shadowLowerX = Double.infinity, shadowLowerY = Double.infinity, shadowLowerZ = Double.infinity
  var shadowUpperX = -Double.infinity, shadowUpperY = -Double.infinity, shadowUpperZ = -Double.infinity
  var seesGround = false
  var shadowOrigins = 0
}

/// A primary hit as the shading loops read it (`PrimaryHit.geometry`): its distance along
/// the ray (in units of the direction's length), normal, the ray's direction and length, the
/// point, the unit direction towards the camera and the texture footprint.
struct HitGeometry {
  var t: Double
  var normal: Vec3
  var direction: Vec3
  var length: Double
  var point: Vec3
  var view: Vec3
  var footprint: TextureFootprint
}

extension SceneIntersector {
  /// Depth in whole millimetres, rounded half away from zero and clamped to 0…65535: the same
  /// value as `(t * 1000).rounded()`, without the call to libm's `round` that baseline
  /// x86-64 makes for it, nor a conversion to `Int` with its range checks.
  @inline(__always)
  static func depthMillimetres(_ t: Double) -> UInt16 {
    let millimetres = t * 1000
    guard millimetres > 0 else { return 0 }  // and NaN, as `Swift.max(0, .nan)` gives
    guard millimetres < 65534.5 else { return 65535 }
    // 0 < millimetres < 2^52: adding 2^52 rounds it to the nearest integer, ties to even;
    // that integer is the low bits of the sum's significand, and the sum less 2^52 is it
    // exactly, as is the difference from it. Only a tie rounded down leaves the integer half a
    // unit below: one more then rounds half away from zero (without a branch: the fraction is
    // as likely below a half as above).
    let shifted = millimetres + 0x1p52
    let nearest = Int(truncatingIfNeeded: shifted.bitPattern & 0xF_FFFF_FFFF_FFFF)
    let up = millimetres - (shifted - 0x1p52) >= 0.5 ? 1 : 0
    return UInt16(truncatingIfNeeded: nearest &+ up)
  }
}

/// The label images of `PixelOutputs` and the surfaces' table (`ObjectSurfaces.base`) as
/// plain pointers held in locals for a tile's label writes (`shadeTile`).
struct LabelImages {
  let depth: UnsafeMutablePointer<UInt16>
  let instance: UnsafeMutablePointer<UInt16>
  let semantic: UnsafeMutablePointer<UInt8>
  let parts: PartOutput?
  let surfaces: UnsafeMutablePointer<ObjectSurface>

  @inline(__always)
  init(_ out: PixelOutputs, surfaces: ObjectSurfaces) {
    depth = out.depth.base
    instance = out.instance.base
    semantic = out.semantic.base
    parts = out.parts
    self.surfaces = surfaces.base
  }

  /// `writeLabels(index, hit: nil, …)`: a pixel that sees the sky.
  @inline(__always)
  func writeSky(_ index: Int) {
    depth[index] = 0
    instance[index] = 0
    semantic[index] = SemanticClass.sky
    parts?.image.base[index] = 0
  }
}

struct PixelOutputs: Sendable {
  let rgb: SharedBuffer<UInt8>
  let depth: SharedBuffer<UInt16>
  let instance: SharedBuffer<UInt16>
  let semantic: SharedBuffer<UInt8>
  /// The frame's radiance for automatic exposure (nil when the exposure is fixed).
  let radiance: SharedBuffer<SIMD3<Double>>?
  /// Each pixel's term of the automatic exposure's sum (`Develop.meteredLog`; nil when fixed).
  let logLuminance: SharedBuffer<Double>?
  /// The part-label image and the id of each material slot (nil: no `parts` output).
  var parts: PartOutput? = nil
}

/// Where `writeLabels` puts a pixel's part-label id: the id of the hit's material slot.
struct PartOutput: Sendable {
  let image: SharedBuffer<UInt16>
  let idOfSlot: SharedBuffer<UInt16>
  let slots: Int

  @inline(__always)
  func write(_ index: Int, slot: Int) {
    image.base[index] = slot >= 0 && slot < slots ? idOfSlot.base[slot] : 0
  }
}

extension Duration {
  var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
