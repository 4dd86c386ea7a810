import CTrace
import ScnGeometry
import ScnScene

/// A spinning multi-channel LiDAR.
///
/// Sensor frame = the world convention: +x forward, +y left, +z up; `pose` maps sensor →
/// world. Channel (ring) r has elevation `minElevation + r·(max − min)/(channels − 1)`
/// (ring 0 lowest). Azimuth step a points at `a · 2π / azimuthSteps` counter-clockwise from
/// +x. Points are emitted azimuth-major, rings ascending within a step.
public struct LidarSensor: Hashable, Sendable {
  public var channels: Int
  /// Elevation of the lowest and highest channel, radians.
  public var minElevation: Double
  public var maxElevation: Double
  public var azimuthSteps: Int
  public var minRange: Double
  public var maxRange: Double
  /// Standard deviation of Gaussian range noise, metres.
  public var rangeNoise: Double
  /// Probability that a return is dropped.
  public var dropoutProbability: Double
  public var seed: UInt64
  public var pose: Transform

  public init(
    channels: Int, minElevation: Double, maxElevation: Double, azimuthSteps: Int, minRange: Double = 0.1,
    maxRange: Double, rangeNoise: Double = 0, dropoutProbability: Double = 0, seed: UInt64 = 0,
    pose: Transform = .identity
  ) {
    self.channels = channels
    self.minElevation = minElevation
    self.maxElevation = maxElevation
    self.azimuthSteps = azimuthSteps
    self.minRange = minRange
    self.maxRange = maxRange
    self.rangeNoise = rangeNoise
    self.dropoutProbability = dropoutProbability
    self.seed = seed
    self.pose = pose
  }

  /// Elevation of ring `ring`, radians.
  public func elevation(ofRing ring: Int) -> Double {
    channels > 1 ? minElevation + Double(ring) * (maxElevation - minElevation) / Double(channels - 1) : minElevation
  }

  func validate() throws {
    guard channels >= 1, channels <= 65535 else { throw RenderError.invalidSensor("LiDAR channels must be 1…65535") }
    guard azimuthSteps >= 1, azimuthSteps <= 1 << 20 else {
      throw RenderError.invalidSensor("LiDAR azimuth steps must be 1…1048576")
    }
    guard channels * azimuthSteps <= 1 << 24 else {
      throw RenderError.invalidSensor("LiDAR sweep exceeds 16,777,216 beams")
    }
    guard minElevation <= maxElevation, abs(minElevation) < Double.pi / 2, abs(maxElevation) < Double.pi / 2 else {
      throw RenderError.invalidSensor("LiDAR elevations must satisfy −90° < min ≤ max < 90°")
    }
    guard minRange >= 0, maxRange > minRange, maxRange.isFinite else {
      throw RenderError.invalidSensor("LiDAR range must satisfy 0 ≤ min < max < ∞")
    }
    guard pose.isFinite else { throw RenderError.invalidSensor("LiDAR pose is not finite") }
    guard rangeNoise >= 0, (0...1).contains(dropoutProbability) else {
      throw RenderError.invalidSensor("LiDAR noise must be ≥ 0 and dropout in 0…1")
    }
  }
}

/// One LiDAR return, in the sensor frame.
public struct LidarPoint: Hashable, Sendable {
  public var x: Float
  public var y: Float
  public var z: Float
  /// Reflectivity × |cos(incidence)|, in 0…1.
  public var intensity: Float
  public var ring: UInt16
  /// Instance id of the object hit (0 = ground, or a particle: see `label`).
  public var instance: UInt32
  /// What returned the pulse: a surface, or fog, rain or snow particles.
  public var label: LidarReturnLabel

  public init(
    x: Float, y: Float, z: Float, intensity: Float, ring: UInt16, instance: UInt32, label: LidarReturnLabel = .surface
  ) {
    self.x = x
    self.y = y
    self.z = z
    self.intensity = intensity
    self.ring = ring
    self.instance = instance
    self.label = label
  }
}

/// A LiDAR sweep.
public struct LidarScan: Sendable {
  public var points: [LidarPoint]
  public var seconds: Double
}

extension SceneIntersector {
  /// Casts every beam of `lidar`, skipping `excludedInstance` (the actor it is mounted on).
  public func scan(_ lidar: LidarSensor, excludedInstance: UInt32? = nil, threads: Int = CameraRenderOptions.allCores)
    throws
    -> LidarScan
  {
    try scan(lidar, excludedInstance: excludedInstance, threads: threads, tracePath: Int32(CTRACE_PATH_AUTO))
  }

  /// `scan` with the `CTrace` path of its beams' slab tests forced, or with `tracePath` nil
  /// each beam cast alone with its part's list (`closestHit(…, candidates:)`), as the scan
  /// did before its beams were prepared: tests compare every path with that.
  func scan(_ lidar: LidarSensor, excludedInstance: UInt32?, threads: Int, tracePath: Int32?) throws -> LidarScan {
    try lidar.validate()
    let clock = ContinuousClock()
    let start = clock.now
    let excluded = excludedInstance.flatMap { objectIndex(ofInstance: $0) }
    let ringDirections = (0..<lidar.channels).map { ring -> (cosine: Double, sine: Double) in
      let e = lidar.elevation(ofRing: ring)
      return (e.cosine, e.sine)
    }
    let returns = LidarReturns(self, lidar: lidar, excluded: excluded)
    // Each block of azimuth steps compacts its returns in beam order (azimuth-major, rings
    // ascending) into a list of its own; the lists are joined in block order: the same points
    // for any thread count. (One optional slot per beam of the sweep, filled with nil and
    // compacted at the end, cost a pass over 1.6 MB per 32-channel sweep.)
    let chunk = Self.lidarChunk
    let blockCount = (lidar.azimuthSteps + chunk - 1) / chunk
    var blockPoints = [[LidarPoint]](repeating: [], count: blockCount)
    blockPoints.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      let out = SharedBuffer(base: base)
      let ringGroups = Self.lidarRingGroups(lidar)
      Parallel.forEach(count: blockCount, threads: threads) { block in
        let steps = (block * chunk)..<Swift.min(lidar.azimuthSteps, (block + 1) * chunk)
        let channels = lidar.channels
        self.withTraversalStack { stack in
          CandidateList.withScratch { candidates in
            TileRays.withScratch { rays in
              LidarReturnBatch.withScratch { returnBatch in
                rays.path = tracePath ?? Int32(CTRACE_PATH_AUTO)
                returnBatch.path = rays.path
                // Each step's azimuth cosine and sine, worked out once per block, and a slot per
                // beam of the block (every beam is cast exactly once below, so every slot is set).
                withUnsafeTemporaryAllocation(of: (cosine: Double, sine: Double).self, capacity: chunk) { scratch in
                  withUnsafeTemporaryAllocation(of: LidarPoint?.self, capacity: steps.count * channels) { slotScratch in
                    guard let azimuths = scratch.baseAddress, let slots = slotScratch.baseAddress else { return }
                    for step in steps {
                      let azimuth = Double(step) * 2 * Double.pi / Double(lidar.azimuthSteps)
                      azimuths[step - steps.lowerBound] = (azimuth.cosine, azimuth.sine)
                    }
                    // The block's rings in groups (`lidarRingGroups`), each culled on its own. A
                    // part whose candidate list overflows is halved along the azimuth until it is
                    // `minimumLidarBlock` steps wide, then along its rings down to one ring (then
                    // its beams walk the BVH).
                    var pending: [(steps: Range<Int>, rings: Range<Int>)] = ringGroups.reversed().map { (steps, $0) }
                    while let part = pending.popLast() {
                      self.collectCandidates(
                        forBlock: part.steps, rings: part.rings, of: lidar, ringDirections: ringDirections,
                        azimuths: azimuths, firstStep: steps.lowerBound, excluded: excluded, into: &candidates,
                        stack: stack)
                      if candidates.overflowed && part.steps.count > Self.minimumLidarBlock {
                        let middle = (part.steps.lowerBound + part.steps.upperBound) / 2
                        pending.append((middle..<part.steps.upperBound, part.rings))
                        pending.append((part.steps.lowerBound..<middle, part.rings))
                        continue
                      }
                      if candidates.overflowed && part.rings.count > 1 {
                        let middle = (part.rings.lowerBound + part.rings.upperBound) / 2
                        pending.append((part.steps, middle..<part.rings.upperBound))
                        pending.append((part.steps, part.rings.lowerBound..<middle))
                        continue
                      }
                      self.castPart(
                        steps: part.steps, rings: part.rings, of: lidar, returns: returns, firstStep: steps.lowerBound,
                        azimuths: azimuths, ringDirections: ringDirections, candidates: candidates,
                        prepare: tracePath != nil, rays: &rays, returnBatch: returnBatch, slots: slots, stack: stack)
                    }
                    // Counts stay below the block's beams (< 2²⁴, `validate`): no overflow to check.
                    let beams = steps.count &* channels
                    var count = 0
                    for k in 0..<beams where slots[k] != nil { count &+= 1 }
                    // Written in place into an array of exactly that many points (appending
                    // checked the capacity and the count per point).
                    out.base[block] = [LidarPoint](unsafeUninitializedCapacity: count) { buffer, written in
                      written = 0
                      guard let base = buffer.baseAddress else { return }
                      for k in 0..<beams {
                        if let point = slots[k] {
                          (base + written).initialize(to: point)
                          written &+= 1
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    let elapsed = clock.now - start
    // Joined into an array allocated once at its final size.
    var points: [LidarPoint] = []
    points.reserveCapacity(blockPoints.reduce(0) { $0 + $1.count })
    for part in blockPoints { points.append(contentsOf: part) }
    return LidarScan(points: points, seconds: elapsed.seconds)
  }

  /// Casts the beams of one part of a block (azimuth steps `partSteps`, rings `rings`, at most
  /// `lidarRingGroup` of them) with the part's `candidates`, into `slots` (beam b at
  /// b − `firstStep` · channels, `firstStep` the block's first step, whose cosine and sine are
  /// `azimuths[0]`).
  ///
  /// The beams go a batch of whole azimuth steps at a time (at most `TileRays.capacity`
  /// beams), their directions made and rotated from the sensor frame to the world all at
  /// once in C (`TileRays.setLidarBeams`, `Quaternion.rotate`'s bits). With `prepare` and
  /// candidates to test, a batch is slab-tested against the list before any beam is cast
  /// (`TileRays.prepare(from:…)`, the C kernel, as a camera tile's primary rays are); the
  /// beams that enter a candidate's box then test only the candidates they enter, all of
  /// them before the returns are made (`enteredSurfaces`: in packets of up to eight through
  /// a mesh instance where that is their nearest box, as a camera tile's rays), and one that
  /// enters none meets the ground or nothing without a walk (its surface made here from the
  /// kernel's answer: `groundSurface`). The kernel works out the same boxes, entry distances and ground cut as
  /// `closestHit(…, candidates:)` per beam, so each beam gets the same hit. Otherwise each
  /// beam is cast alone with the list (an overflowed one: the whole BVH). In clear air the
  /// batch's surface returns are listed in `returnBatch` and made together in C at the end of
  /// the batch (`LidarReturnBatch.flush`, `surfaceReturn`'s bits); in murky air each beam's
  /// return is made as it is cast (`surfaceReturn`, `missReturn`: particle echoes).
  @inline(__always)
  fileprivate func castPart(
    steps partSteps: Range<Int>, rings: Range<Int>, of lidar: LidarSensor, returns: LidarReturns, firstStep: Int,
    azimuths: UnsafePointer<(cosine: Double, sine: Double)>, ringDirections: [(cosine: Double, sine: Double)],
    candidates: CandidateList, prepare: Bool, rays: inout TileRays, returnBatch: LidarReturnBatch,
    slots: UnsafeMutablePointer<LidarPoint?>, stack: UnsafeMutablePointer<UInt32>
  ) {
    let origin = lidar.pose.translation
    let channels = lidar.channels
    let ringCount = rings.count
    guard ringCount > 0 else { return }
    assert(ringCount <= TileRays.capacity, "a part's rings fill at most one batch")
    let prepared = prepare && candidates.count > 0 && !candidates.overflowed
    let clear = returns.atmosphere.isClear
    let firstBeam = firstStep * channels
    let stepsPerBatch = Swift.max(1, TileRays.capacity / ringCount)
    withUnsafeTemporaryAllocation(of: UInt16.self, capacity: TileRays.capacity) { walkScratch in
      withUnsafeTemporaryAllocation(of: LidarSurface?.self, capacity: TileRays.capacity) { surfaceScratch in
        guard let walks = walkScratch.baseAddress, let surfaces = surfaceScratch.baseAddress else { return }
        var batch = partSteps.lowerBound
        while batch < partSteps.upperBound {
          let batchEnd = Swift.min(partSteps.upperBound, batch + stepsPerBatch)
          ringDirections.withUnsafeBufferPointer { directions in
            rays.setLidarBeams(
              rotation: lidar.pose.rotation, azimuths: azimuths + (batch - firstStep), steps: batchEnd - batch,
              rings: UnsafeBufferPointer(rebasing: directions[rings]))
          }
          if prepared {
            rays.prepare(
              from: origin, tMin: lidar.minRange, tMax: lidar.maxRange, includeGround: true, list: candidates)
            enteredSurfaces(
              prepared: rays, count: (batchEnd &- batch) &* ringCount, returns: returns, list: candidates, stack: stack,
              walks: walks, into: surfaces)
          }
          var r = 0
          var listed = 0
          for step in batch..<batchEnd {
            let (ca, sa) = azimuths[step - firstStep]
            for ring in rings {
              let (ce, se) = ringDirections[ring]
              let local = Vec3(ce * ca, ce * sa, se)
              let direction = rays.vector(r)
              // Beam numbers stay below channels · azimuthSteps ≤ 2²⁴ (`validate`): no overflow to check.
              let beam = step &* channels &+ ring
              let surface: LidarSurface?
              if prepared {
                // A beam that enters no candidate's box meets the ground or nothing: its surface
                // straight from the kernel's answer, as `closestHit(prepared:…)` gives it; the
                // others' surfaces are worked out already (`enteredSurfaces`).
                let entered = rays.entered[r]
                if entered & ~TileRays.groundBit == 0 {
                  surface =
                    entered & TileRays.groundBit != 0
                    ? returns.groundSurface(direction: direction, t: rays.limit[r]) : nil
                } else {
                  surface = surfaces[r]
                }
              } else {
                surface = returns.surface(
                  of: returns.hit(direction: direction, stack: stack, candidates: candidates), direction: direction)
              }
              let slot = slots + (beam &- firstBeam)
              if clear {
                if let surface {
                  returnBatch.set(
                    listed, offset: beam &- firstBeam, ring: ring, local: local, t: surface.t,
                    cosine: LidarReturns.incidence(normal: surface.normal, direction: direction),
                    reflectivity: surface.reflectivity, instance: surface.instance)
                  listed &+= 1
                } else {
                  slot.initialize(to: nil)
                }
              } else if let surface {
                slot.initialize(
                  to: returns.surfaceReturn(
                    local: local, direction: direction, t: surface.t, normal: surface.normal,
                    reflectivity: surface.reflectivity, instance: surface.instance, beam: beam, ring: ring))
              } else {
                slot.initialize(to: returns.missReturn(local: local, beam: beam, ring: ring))
              }
              r &+= 1
            }
          }
          returnBatch.flush(count: listed, noise: returns.noise, firstBeam: firstBeam, into: slots)
          batch = batchEnd
        }
      }
    }
  }

  /// The surface (`returns.surface(of: closestHit(prepared: rays, ray: r, …, surfacePoint:
  /// false), direction:)`) of each of the first `count` beams of `rays` (prepared from the
  /// sensor against `list`) that enters a candidate's box, stored at `surfaces + r`: the beams
  /// listed in `walks` in a first pass, then walked in packets where their nearest box entered
  /// is one mesh instance's (`walkEntered`, `packetHits`), else one by one.
  @inline(never)
  fileprivate func enteredSurfaces(
    prepared rays: TileRays, count: Int, returns: LidarReturns, list: CandidateList,
    stack: UnsafeMutablePointer<UInt32>, walks: UnsafeMutablePointer<UInt16>,
    into surfaces: UnsafeMutablePointer<LidarSurface?>
  ) {
    let origin = returns.lidar.pose.translation
    let tMin = returns.lidar.minRange
    // Every beam's index stored at the next free index, kept only for a beam that enters a box.
    var walkCount = 0
    for r in 0..<count {
      walks[walkCount] = UInt16(truncatingIfNeeded: r)
      walkCount &+= rays.entered[r] & ~TileRays.groundBit != 0 ? 1 : 0
    }
    walkEntered(
      prepared: rays, walks: walks, count: walkCount, list: list, slot: { $0 },
      single: { r, _ in
        surfaces[r] = returns.surface(
          of: closestHit(
            prepared: rays, ray: r, origin: origin, tMin: tMin, list: list, stack: stack, surfacePoint: false),
          direction: rays.vector(r))
      },
      packet: { indices, _, n, position in
        packetHits(
          prepared: rays, indices: indices, count: n, position: position, origin: origin, tMin: tMin, list: list,
          stack: stack, surfacePoint: false
        ) { k, direction, hit in
          surfaces[Int(indices[k])] = returns.surface(of: hit, direction: direction)
        }
      })
  }

  /// Azimuth steps per work item of `scan`.
  static let lidarChunk = 64
  /// Rings culled together in `scan`: a group of neighbouring rings spans a few degrees of
  /// elevation, so its pyramid reaches less of the scene than the whole fan would.
  static let lidarRingGroup = 8
  /// The rings in groups culled together: runs of at most `lidarRingGroup` rings, a new one
  /// begun where the elevation turns from falling to climbing, so that a group holds only
  /// falling or only climbing beams in the sensor frame (for a level sensor, then, its region
  /// is cut at the sensor's height: the group just above the horizon keeps only what stands
  /// higher than the sensor, instead of the whole range around the horizon).
  static func lidarRingGroups(_ lidar: LidarSensor) -> [Range<Int>] {
    var groups: [Range<Int>] = []
    var start = 0
    for ring in 1..<Swift.max(1, lidar.channels) {
      let full = ring - start == lidarRingGroup
      let turns = (lidar.elevation(ofRing: ring) >= 0) != (lidar.elevation(ofRing: start) >= 0)
      if full || turns {
        groups.append(start..<ring)
        start = ring
      }
    }
    groups.append(start..<lidar.channels)
    return groups
  }
  /// The narrowest block of azimuth steps that `scan` splits further along the azimuth when
  /// its candidate list overflows.
  static let minimumLidarBlock = 16

  /// Culls the scene to the region a part's beams sweep: the pyramid around the part (its
  /// middle azimuth as the axis, its rings' elevations), cut off where the farthest segment
  /// ends (the ground or the maximum range) and, when every beam climbs or every beam falls,
  /// at the sensor's height. A part too wide to have every beam in front of that axis is left
  /// to the BVH (an overflowing list). `azimuths[step - firstStep]` holds a step's cosine and sine.
  ///
  /// The bounds need not be the beams' own bits, only to contain them with room to spare
  /// (`LidarPartRegion` widens them by far more than rounding): the pyramid's sides come from
  /// the part's end steps and its extreme rings (the slope across the axis, tan of the
  /// azimuth off it, is monotonic in the step; the slope up, tan(elevation) / cos(azimuth off
  /// the axis), is monotonic in the ring and largest in size at the end steps), and each
  /// beam's climb from the sensor's up axis in the sensor frame.
  private func collectCandidates(
    forBlock steps: Range<Int>, rings: Range<Int>, of lidar: LidarSensor,
    ringDirections: [(cosine: Double, sine: Double)], azimuths: UnsafePointer<(cosine: Double, sine: Double)>,
    firstStep: Int, excluded: Int?, into candidates: inout CandidateList, stack: UnsafeMutablePointer<UInt32>
  ) {
    let origin = lidar.pose.translation
    let rotation = lidar.pose.rotation
    let middle = Double(steps.lowerBound + steps.upperBound - 1) / 2 * 2 * Double.pi / Double(lidar.azimuthSteps)
    let (cm, sm) = (middle.cosine, middle.sine)
    // The end steps' azimuths off the axis (the steps are symmetric about it).
    let first = Double(steps.lowerBound) * 2 * Double.pi / Double(lidar.azimuthSteps) - middle
    let last = Double(steps.upperBound - 1) * 2 * Double.pi / Double(lidar.azimuthSteps) - middle
    let (cFirst, cLast) = (first.cosine, last.cosine)
    guard cFirst > 0.01, cLast > 0.01 else {
      candidates.count = CandidateList.capacity + 1
      return
    }
    let dy = (lower: first.sine / cFirst, upper: last.sine / cLast)
    // The lowest and highest ring's slope, over the smallest and largest cosine off the axis.
    let cMin = Swift.min(cFirst, cLast)
    let low = ringDirections[rings.lowerBound]
    let high = ringDirections[rings.upperBound - 1]
    let lowSlope = low.sine / low.cosine
    let highSlope = high.sine / high.cosine
    let dz = (
      lower: Swift.min(lowSlope, lowSlope / cMin), upper: Swift.max(highSlope, highSlope / cMin)
    )
    // Each beam's climb: the world up axis in the sensor frame, dotted with the beam.
    let up = rotation.conjugate.rotate(.unitZ)
    var lowest = Double.infinity
    var highest = -Double.infinity
    for step in steps {
      let (ca, sa) = azimuths[step - firstStep]
      let across = up.x * ca + up.y * sa
      for ring in rings {
        let (ce, se) = ringDirections[ring]
        let climb = across * ce + up.z * se
        lowest = Swift.min(lowest, climb)
        highest = Swift.max(highest, climb)
      }
    }
    // `closestHit` ends a falling beam at the ground when that lies beyond the minimum range
    // and within the maximum; otherwise the beam keeps its full range. When every beam of the
    // part ends at the ground, the one falling least ends farthest. (The minimum range is
    // compared with room for rounding: a beam whose ground may lie within it keeps its range.)
    var reach = lidar.maxRange
    if highest < 0, origin.z > 0 {
      let nearest = -origin.z / lowest
      let farthest = -origin.z / highest
      if nearest > lidar.minRange * (1 + 1e-6) + 1e-9 && farthest < lidar.maxRange { reach = farthest }
    }
    let (climbing, falling) = (lowest >= 0, highest <= 0)
    let forward = rotation.rotate(Vec3(cm, sm, 0))
    let region = LidarPartRegion(
      pyramid: RayPyramid(
        origin: origin, forward: forward, left: rotation.rotate(Vec3(-sm, cm, 0)), up: rotation.rotate(Vec3(0, 0, 1)),
        y0: dy.lower, y1: dy.upper, z0: dz.lower, z1: dz.upper),
      origin: origin, forward: forward, reach: reach, vertical: climbing ? 1 : falling ? -1 : 0)
    collectCandidates(
      region, exclude: excluded.map { UInt32(truncatingIfNeeded: $0) } ?? UInt32.max, into: &candidates,
      stack: stack)
  }
}

extension TileRays {
  /// Sets the rays to a LiDAR batch's beams in the world: `steps` azimuth steps from
  /// `azimuths` (each step's cosine and sine), of `rings.count` rings each (each ring's
  /// elevation's cosine and sine), beam s · rings.count + k the direction (ce·ca, ce·sa, se)
  /// in the sensor frame rotated by `rotation`, four beams at a time in C
  /// (`ctrace_lidar_beams`: the bits of `rotation.rotate(Vec3(ce * ca, ce * sa, se))`). The
  /// caller keeps steps · rings within `capacity`.
  mutating func setLidarBeams(
    rotation: Quaternion, azimuths: UnsafePointer<(cosine: Double, sine: Double)>, steps: Int,
    rings: UnsafeBufferPointer<(cosine: Double, sine: Double)>
  ) {
    guard let ringBase = rings.baseAddress else {
      count = 0
      return
    }
    var q = (rotation.x, rotation.y, rotation.z, rotation.w)
    // A (cosine, sine) tuple is laid out as two Doubles.
    let azimuthPairs = UnsafeRawPointer(azimuths).assumingMemoryBound(to: Double.self)
    let ringPairs = UnsafeRawPointer(ringBase).assumingMemoryBound(to: Double.self)
    withUnsafeMutablePointer(to: &q) { q in
      q.withMemoryRebound(to: Double.self, capacity: 4) { q in
        ctrace_lidar_beams(q, azimuthPairs, steps, ringPairs, rings.count, x, y, z, path)
      }
    }
    count = steps * rings.count
  }
}

/// The region a part of a LiDAR sweep reaches: its rays' pyramid, the half-space
/// `forward · (q − origin) ≤ reach` (no segment is longer than `reach`, and `forward` and the
/// beams are unit vectors), and with `vertical` +1 (every beam climbs) or −1 (every beam
/// falls) the half-space above or below the origin. Conservative, as `BundleRegion` requires:
/// each cut is widened by a margin relative to the box's and the reach's size, in the manner
/// of `RayPyramid`'s (far more than the rounding of `collectCandidates`' bounds).
struct LidarPartRegion: BundleRegion {
  let pyramid: RayPyramid
  let origin: Vec3
  let forward: Vec3
  let reach: Double
  let vertical: Int

  @inline(__always)
  func mayIntersect(center: Vec3, halfExtent: Vec3) -> Bool {
    let c = center - origin
    let margin = 1e-9 * (1 + Swift.max(abs(c.x), abs(c.y), abs(c.z)) + halfExtent.max() + reach)
    let nearest =
      forward.dot(c) - (abs(forward.x) * halfExtent.x + abs(forward.y) * halfExtent.y + abs(forward.z) * halfExtent.z)
    if nearest > reach + 2 * margin { return false }
    if vertical > 0 && c.z + halfExtent.z < -margin { return false }
    if vertical < 0 && c.z - halfExtent.z > margin { return false }
    return pyramid.mayIntersect(center: center, halfExtent: halfExtent)
  }
}

/// What `scan` needs per beam, set up once per sweep: the sensor, the atmosphere and each
/// material slot's reflectivity (a `Material` read per beam copied its reference-counted
/// fields).
struct LidarReturns: Sendable {
  let intersector: SceneIntersector
  let lidar: LidarSensor
  let excluded: Int?
  let atmosphere: LidarAtmosphere
  let slotReflectivity: [Double]
  let stuffReflectivity: [Double]
  let asphaltReflectivity = Stuff.material(of: .asphalt).reflectivity
  let markingReflectivity = Stuff.material(of: .marking).reflectivity
  /// Per object, its instance id and its own material's reflectivity; the scene's stuff
  /// (for the ground's paint) and plain ground's reflectivity: read per beam without going
  /// through the scene (a `RenderScene` read per beam retained its arrays).
  let objectInstance: [UInt32]
  let objectReflectivity: [Double]
  let stuff: Stuff
  let groundReflectivity: Double
  /// The sensor's seed, range noise and dropout, for `LidarReturnBatch.flush`.
  let noise: ctrace_lidar_noise

  init(_ intersector: SceneIntersector, lidar: LidarSensor, excluded: Int?) {
    self.intersector = intersector
    self.lidar = lidar
    self.excluded = excluded
    let scene = intersector.scene
    atmosphere = scene.environment.lidarAtmosphere
    slotReflectivity = intersector.table.materials.map(\.reflectivity)
    stuffReflectivity = scene.stuff.solids.map(\.material.reflectivity)
    objectInstance = scene.objects.map(\.instanceID)
    objectReflectivity = scene.objects.map(\.material.reflectivity)
    stuff = scene.stuff
    groundReflectivity = scene.environment.groundReflectivity
    noise = ctrace_lidar_noise(seed: lidar.seed, range_noise: lidar.rangeNoise, dropout: lidar.dropoutProbability)
  }

  /// `closestHit`'s answer when no primitive is hit: the ground, where a falling beam from
  /// above it meets z = 0 within (minimum range, maximum range).
  @inline(__always)
  func groundHit(direction: Vec3) -> RayHit? {
    let origin = lidar.pose.translation
    guard direction.z < 0, origin.z > 0 else { return nil }
    let t = -origin.z / direction.z
    guard t > lidar.minRange && t < lidar.maxRange else { return nil }
    return RayHit(t: t, surface: .ground, normal: .unitZ)
  }

  /// What one beam along `direction` (in the world) hits first, with its part's
  /// `candidates` (an overflowed list: the whole BVH).
  @inline(__always)
  func hit(direction: Vec3, stack: UnsafeMutablePointer<UInt32>, candidates: CandidateList) -> RayHit? {
    // A part whose list is empty reaches no object or stuff solid: only the ground can
    // answer, worked out as `closestHit` does it (which, for an empty list, tests nothing).
    candidates.count == 0
      ? groundHit(direction: direction)
      : intersector.closestHit(
        origin: lidar.pose.translation, direction: direction, tMin: lidar.minRange, tMax: lidar.maxRange,
        excluding: excluded, includeGround: true, stack: stack, candidates: candidates)
  }

  /// The surface of a beam's first hit `hit` along `direction` (in the world), nil without a
  /// hit: its distance and normal, and the surface's reflectivity and instance
  /// (`groundSurface` for the ground).
  @inline(__always)
  func surface(of hit: RayHit?, direction: Vec3) -> LidarSurface? {
    guard let hit else { return nil }
    switch hit.surface {
    case .object(let index):
      // The slot's material (each object's own material has a slot; see `PrimitiveTable`).
      let reflectivity =
        slotReflectivity.indices.contains(hit.materialSlot)
        ? slotReflectivity[hit.materialSlot] : objectReflectivity[index]
      return LidarSurface(t: hit.t, normal: hit.normal, reflectivity: reflectivity, instance: objectInstance[index])
    case .stuff(let index):
      let reflectivity = stuffReflectivity.indices.contains(index) ? stuffReflectivity[index] : groundReflectivity
      return LidarSurface(t: hit.t, normal: hit.normal, reflectivity: reflectivity, instance: 0)
    case .ground:
      return groundSurface(direction: direction, t: hit.t)
    }
  }

  /// The surface of a beam that meets the ground at `t` (`closestHit`'s ground hit: normal
  /// +z): the paint under the point decides the reflectivity. `scan`'s prepared beams that
  /// enter no candidate's box and meet the ground come here directly, without a `RayHit`.
  @inline(__always)
  func groundSurface(direction: Vec3, t: Double) -> LidarSurface {
    let point = lidar.pose.translation + direction * t
    let reflectivity =
      switch stuff.groundPaint(atX: point.x, y: point.y) {
      case .asphalt?: asphaltReflectivity
      case .marking?: markingReflectivity
      case nil: groundReflectivity
      }
    return LidarSurface(t: t, normal: .unitZ, reflectivity: reflectivity, instance: 0)
  }

  /// The return of a beam that hits nothing within range: a particle echo, or none.
  @inline(__always)
  func missReturn(local: Vec3, beam: Int, ring: Int) -> LidarPoint? {
    if atmosphere.isClear { return nil }
    return particleReturn(local: local, limit: lidar.maxRange, beam: beam, ring: ring)
  }

  /// A particle echo before `limit` (the surface's t, or the maximum range without one), or
  /// nil (the atmosphere is not clear).
  @inline(never)
  func particleReturn(local: Vec3, limit: Double, beam: Int, ring: Int) -> LidarPoint? {
    let key = Hash.combine(lidar.seed, UInt64(beam))
    guard
      let echo = atmosphere.particleEcho(
        limit: limit, u: Hash.unit(Hash.mix(key ^ 0x2545_F491_4F6C_DD1D)),
        v: Hash.unit(Hash.mix(key ^ 0x9E6C_63D0_676A_9A99)), w: Hash.unit(Hash.mix(key ^ 0x7A3B_2C1D_0E9F_8A7B))),
      echo.range >= lidar.minRange
    else { return nil }
    let strength: Double =
      switch echo.label {
      case .snow: 0.2 + 0.4 * Hash.unit(Hash.mix(key ^ 0x51))
      case .rain: 0.05 + 0.15 * Hash.unit(Hash.mix(key ^ 0x52))
      default: 0.02 + 0.06 * Hash.unit(Hash.mix(key ^ 0x53))
      }
    let p = local * echo.range
    return LidarPoint(
      x: Float(p.x), y: Float(p.y), z: Float(p.z), intensity: Float(strength), ring: UInt16(ring), instance: 0,
      label: echo.label)
  }

  /// The return of a beam whose first hit is a surface at `t` with `normal` (facing the
  /// beam), `reflectivity` and `instance`: a particle echo before it when the air is not
  /// clear, the seeded dropout and range noise, the intensity from the incidence and, in
  /// murky air, the extinction (which may lose the return).
  @inline(__always)
  func surfaceReturn(
    local: Vec3, direction: Vec3, t: Double, normal: Vec3, reflectivity: Double, instance: UInt32, beam: Int,
    ring: Int
  ) -> LidarPoint? {
    if !atmosphere.isClear, let echo = particleReturn(local: local, limit: t, beam: beam, ring: ring) { return echo }
    if lidar.dropoutProbability > 0 || lidar.rangeNoise > 0 {
      return noisyReturn(
        local: local, direction: direction, t: t, normal: normal, reflectivity: reflectivity, instance: instance,
        beam: beam, ring: ring)
    }
    guard let intensity = returnIntensity(t: t, normal: normal, direction: direction, reflectivity: reflectivity)
    else { return nil }
    let p = local * Swift.max(0, t)
    return LidarPoint(
      x: Float(p.x), y: Float(p.y), z: Float(p.z), intensity: Float(intensity), ring: UInt16(ring), instance: instance)
  }

  /// `surfaceReturn` past the particle echo with dropout or range noise: the beam's key
  /// drops it or moves its range.
  @inline(never)
  func noisyReturn(
    local: Vec3, direction: Vec3, t: Double, normal: Vec3, reflectivity: Double, instance: UInt32, beam: Int,
    ring: Int
  ) -> LidarPoint? {
    let key = Hash.combine(lidar.seed, UInt64(beam))
    if lidar.dropoutProbability > 0, Hash.unit(Hash.mix(key ^ 0xD1B5_4A32_D192_ED03)) < lidar.dropoutProbability {
      return nil
    }
    var range = t
    if lidar.rangeNoise > 0 { range += lidar.rangeNoise * Hash.gaussian(key) }
    range = Swift.max(0, range)
    guard let intensity = returnIntensity(t: t, normal: normal, direction: direction, reflectivity: reflectivity)
    else { return nil }
    let p = local * range
    return LidarPoint(
      x: Float(p.x), y: Float(p.y), z: Float(p.z), intensity: Float(intensity), ring: UInt16(ring), instance: instance)
  }

  /// A surface return's intensity at distance `t`: the reflectivity times the incidence's
  /// cosine, clamped to 0…1, and in murky air dimmed by the extinction both ways; nil when
  /// the murky air loses the return (`LidarAtmosphere.surfaceSurvives`).
  @inline(__always)
  func returnIntensity(t: Double, normal: Vec3, direction: Vec3, reflectivity: Double) -> Double? {
    let cosIncidence = Self.incidence(normal: normal, direction: direction)
    var intensity = Swift.min(1, Swift.max(0, reflectivity * cosIncidence))
    if !atmosphere.isClear {
      guard
        atmosphere.surfaceSurvives(
          reflectivity: reflectivity, cosine: cosIncidence, range: Swift.max(t, 1e-3), maxRange: lidar.maxRange)
      else { return nil }
      intensity *= expDouble(-2 * atmosphere.extinction * t)
    }
    return intensity
  }

  /// The incidence's |cosine| for a surface with `normal` met along `direction`.
  @inline(__always)
  static func incidence(normal: Vec3, direction: Vec3) -> Double { abs(normal.dot(direction)) }
}

/// What a LiDAR beam's first hit returns from: the distance, the normal (facing the beam),
/// the surface's reflectivity and the instance (0 for the ground and stuff).
struct LidarSurface {
  var t: Double
  var normal: Vec3
  var reflectivity: Double
  var instance: UInt32
}

/// The surface returns of a LiDAR batch in clear air (`castPart`), listed as their beams are
/// cast and made all at once in C by `flush` (`ctrace_lidar_returns`: `surfaceReturn`'s
/// bits, the beams' range noise and dropout in lanes instead of a call and a chain of
/// dependent multiplies and a division per return). Per listed return: its slot's offset
/// from the block's first beam, its ring and instance, and the kernel's input and output
/// columns (`ctrace_lidar_batch`), `capacity` of each.
struct LidarReturnBatch {
  static let capacity = TileRays.capacity
  let offset: UnsafeMutablePointer<Int32>
  let ring: UnsafeMutablePointer<UInt16>
  let instance: UnsafeMutablePointer<UInt32>
  /// The inputs: the sensor-frame direction's x, y, z, then t, cosine and reflectivity.
  let inputs: UnsafeMutablePointer<Double>
  /// The outputs: x, y, z and intensity, and whether the dropout keeps the return.
  let outputs: UnsafeMutablePointer<Float>
  let kept: UnsafeMutablePointer<UInt8>
  /// The `CTrace` path `flush` runs (`CTRACE_PATH_AUTO`, or one forced by a test).
  var path = Int32(CTRACE_PATH_AUTO)

  static func withScratch<R>(_ body: (inout LidarReturnBatch) -> R) -> R {
    var batch = LidarReturnBatch(
      offset: .allocate(capacity: capacity), ring: .allocate(capacity: capacity),
      instance: .allocate(capacity: capacity), inputs: .allocate(capacity: 6 * capacity),
      outputs: .allocate(capacity: 4 * capacity), kept: .allocate(capacity: capacity))
    defer {
      batch.offset.deallocate()
      batch.ring.deallocate()
      batch.instance.deallocate()
      batch.inputs.deallocate()
      batch.outputs.deallocate()
      batch.kept.deallocate()
    }
    return body(&batch)
  }

  /// Lists return `i` (below `capacity`): its slot at `offset` from the first beam `flush` is
  /// given, `ring`, the beam `local` in the sensor frame, and its surface's distance `t`,
  /// incidence `cosine` (`LidarReturns.incidence`), `reflectivity` and `instance`.
  @inline(__always)
  func set(
    _ i: Int, offset slot: Int, ring: Int, local: Vec3, t: Double, cosine: Double, reflectivity: Double,
    instance: UInt32
  ) {
    // Column k of return i at k · capacity + i (below 6 · capacity: no overflow to check).
    let c = Self.capacity
    offset[i] = Int32(truncatingIfNeeded: slot)
    self.ring[i] = UInt16(truncatingIfNeeded: ring)
    self.instance[i] = instance
    inputs[i] = local.x
    inputs[c &+ i] = local.y
    inputs[2 &* c &+ i] = local.z
    inputs[3 &* c &+ i] = t
    inputs[4 &* c &+ i] = cosine
    inputs[5 &* c &+ i] = reflectivity
  }

  /// Makes the first `count` listed returns with `noise` (slot offsets from beam
  /// `firstBeam`) and stores each into its slot (nil when the dropout loses it).
  func flush(count: Int, noise: ctrace_lidar_noise, firstBeam: Int, into slots: UnsafeMutablePointer<LidarPoint?>) {
    guard count > 0 else { return }
    let c = Self.capacity
    var columns = ctrace_lidar_batch(
      first_beam: UInt64(truncatingIfNeeded: firstBeam), offset: offset, lx: inputs, ly: inputs + c,
      lz: inputs + 2 * c, t: inputs + 3 * c, cosine: inputs + 4 * c, reflectivity: inputs + 5 * c, x: outputs,
      y: outputs + c, z: outputs + 2 * c, intensity: outputs + 3 * c, kept: kept)
    var noise = noise
    ctrace_lidar_returns(&noise, &columns, count, path)
    for i in 0..<count {
      (slots + Int(offset[i])).initialize(
        to: kept[i] != 0
          ? LidarPoint(
            x: outputs[i], y: outputs[c &+ i], z: outputs[2 &* c &+ i], intensity: outputs[3 &* c &+ i],
            ring: ring[i], instance: instance[i])
          : nil)
    }
  }
}
