import Foundation
import PropertyBased
import ScnTestSupport
import Testing

@testable import ScnGeometry

/// A small deterministic stream for building test geometry from one seed.
fileprivate struct Stream {
  var random: SplitMix64
  init(state: UInt64) { random = SplitMix64(state) }
  /// A uniform double in [0, 1).
  mutating func next() -> Double { random.unit() }
  mutating func unit() -> Vec3 {
    let z = 2 * next() - 1, phi = 2 * Double.pi * next()
    let r = (1 - z * z).squareRoot()
    return Vec3(r * phi.cosine, r * phi.sine, z)
  }
  mutating func rotation() -> Quaternion {
    Quaternion(axis: unit(), angle: 2 * Double.pi * next())
  }
}

@Suite struct ConvexHullTests {
  /// Every point lies inside the hull: its support in every direction is no less than the
  /// points' (a convex set contains a point set iff this holds for all directions).
  fileprivate func expectContains(_ hull: ConvexHull, _ points: [Vec3], _ s: inout Stream, sourceLocation: SourceLocation = #_sourceLocation) {
    let scale = points.map(\.length).max() ?? 1
    for _ in 0..<300 {
      let d = s.unit()
      let want = points.map { $0.dot(d) }.max() ?? 0
      #expect(hull.support(d).dot(d) >= want - 1e-9 * scale, sourceLocation: sourceLocation)
    }
    for p in points {
      for (n, o) in zip(hull.normals, hull.offsets) {
        #expect(n.dot(p) <= o + 1e-9 * scale, sourceLocation: sourceLocation)
      }
    }
    for v in hull.vertices {
      for (n, o) in zip(hull.normals, hull.offsets) {
        #expect(n.dot(v) <= o + 1e-9 * scale, sourceLocation: sourceLocation)
      }
    }
  }

  @Test func cubeCornersAndInteriorPointsGiveTheCube() {
    var points: [Vec3] = []
    for k in 0..<8 { points.append(Vec3(k & 1 == 0 ? -1 : 1, k & 2 == 0 ? -2 : 2, k & 4 == 0 ? 0 : 3)) }
    points += [Vec3(0, 0, 1), Vec3(0.5, -1, 2), Vec3(1, 0, 1.5)]  // inside and on a face
    let hull = ConvexHull(containing: points)
    #expect(Set(hull.vertices.map { [$0.x, $0.y, $0.z] }) == Set(points.prefix(8).map { [$0.x, $0.y, $0.z] }))
    #expect(hull.normals.count == 6)
    var s = Stream(state: 1)
    expectContains(hull, points, &s)
  }

  @Test func denseSphereIsBoundedAndContained() {
    var s = Stream(state: 7)
    let points = (0..<2000).map { _ in s.unit() * 0.4 + Vec3(1, 2, 3) }
    let hull = ConvexHull(containing: points)
    #expect(hull.vertices.count <= ConvexHull.maxVertices)
    #expect(hull.vertices.count >= 20)
    expectContains(hull, points, &s)
    // Much tighter than the box: the box's corner reaches √3 r from the centre.
    let reach = hull.vertices.map { ($0 - Vec3(1, 2, 3)).length }.max() ?? 0
    #expect(reach < 0.4 * 1.25)
  }

  @Test func randomPointCloudsAreContained() async {
    await propertyCheck(count: 60, input: Gen.uint64(in: 0...UInt64.max), Gen.int(in: 4...400)) { seed, n in
      var s = Stream(state: seed)
      let stretch = Vec3(0.1 + 3 * s.next(), 0.1 + 3 * s.next(), 0.1 + 3 * s.next())
      let points = (0..<n).map { _ in (s.unit() * s.next()) * stretch }
      let hull = ConvexHull(containing: points)
      #expect(hull.vertices.count <= ConvexHull.maxVertices)
      expectContains(hull, points, &s)
    }
  }

  @Test func flatSetFallsBackToItsBoundingBox() {
    let points = (0..<100).map { k in Vec3(Double(k % 10), Double(k / 10), 0.5) }
    let hull = ConvexHull(containing: points)
    #expect(hull.vertices.count == 8)
    #expect(hull.support(.unitX).x == 9 && hull.support(-.unitY).y == 0 && hull.support(.unitZ).z == 0.5)
  }

  @Test func sameInputSameHull() {
    var s = Stream(state: 3)
    let points = (0..<500).map { _ in s.unit() * Vec3(1, 0.3, 2) }
    #expect(ConvexHull(containing: points) == ConvexHull(containing: points))
  }
}

@Suite struct ConvexSolidTests {
  let tol = 1e-6

  @Test func boxesAgreeWithTheSeparatingAxisTest() async {
    await propertyCheck(count: 400, input: Gen.uint64(in: 0...UInt64.max)) { seed in
      var s = Stream(state: seed)
      let a = OrientedBox(center: .zero, halfExtents: Vec3(0.2 + s.next(), 0.2 + s.next(), 0.2 + s.next()), rotation: s.rotation())
      let b = OrientedBox(
        center: Vec3(4 * s.next() - 2, 4 * s.next() - 2, 4 * s.next() - 2),
        halfExtents: Vec3(0.2 + s.next(), 0.2 + s.next(), 0.2 + s.next()), rotation: s.rotation())
      // Skip near-touching pairs, where the two tests' tolerances differ.
      let loose = a.overlaps(b, tolerance: -1e-4), tight = a.overlaps(b, tolerance: 1e-4)
      guard loose == tight else { return }
      #expect(ConvexSolid.box(a).overlaps(.box(b), tolerance: tol) == tight)
    }
  }

  /// Two boxes 0.1 mm and more apart on which the boolean GJK used before cycled through the
  /// same four directions without settling (found by `boxesAgreeWithTheSeparatingAxisTest`,
  /// input 9848108163230419600): the distance GJK finds them apart, both ways round.
  @Test func boxesOnWhichGJKCyclesAreApart() {
    var s = Stream(state: 9_848_108_163_230_419_600)
    let a = OrientedBox(center: .zero, halfExtents: Vec3(0.2 + s.next(), 0.2 + s.next(), 0.2 + s.next()), rotation: s.rotation())
    let b = OrientedBox(
      center: Vec3(4 * s.next() - 2, 4 * s.next() - 2, 4 * s.next() - 2),
      halfExtents: Vec3(0.2 + s.next(), 0.2 + s.next(), 0.2 + s.next()), rotation: s.rotation())
    #expect(!a.overlaps(b, tolerance: -1e-4))
    guard case .apart = ConvexSolid.box(a).separation(.box(b), tolerance: tol) else {
      Issue.record("not found apart")
      return
    }
    #expect(!ConvexSolid.box(a).overlaps(.box(b), tolerance: tol))
    #expect(!ConvexSolid.box(b).overlaps(.box(a), tolerance: tol))
  }

  /// Run to convergence, the distance GJK gives the analytic distance between two spheres and
  /// between a sphere and a box, to 10⁻⁹ m, up to 60 m from the origin.
  @Test func distancesAreAnalytic() {
    var s = Stream(state: 0x0D15_7A9C)
    var worst = 0.0
    for k in 0..<2000 {
      let origin = Vec3(120 * s.next() - 60, 120 * s.next() - 60, 3 * s.next())
      let r = 0.01 + s.next()
      let ball = ConvexSolid.sphere(center: origin, radius: r)
      // Distances from 1 µm to 1 m, log-uniform.
      let distance = pow(10, -6 + 6 * s.next())
      let want: Double
      let other: ConvexSolid
      if k % 2 == 0 {
        let q = 0.01 + s.next()
        want = distance
        other = .sphere(center: origin + s.unit() * (r + q + distance), radius: q)
      } else {
        // A box whose nearest point to the ball's centre lies on a face, an edge or a corner.
        let box = OrientedBox(center: .zero, halfExtents: Vec3(0.01 + s.next(), 0.01 + s.next(), 0.01 + s.next()), rotation: s.rotation())
        let h = box.halfExtents
        let local = Vec3((2 * s.next() - 1) * 2 * h.x, (2 * s.next() - 1) * 2 * h.y, (2 * s.next() - 1) * 2 * h.z)
        let clamped = Vec3(min(h.x, max(-h.x, local.x)), min(h.y, max(-h.y, local.y)), min(h.z, max(-h.z, local.z)))
        guard (local - clamped).length > 1e-3 else { continue }
        let toBall = box.rotation.rotate((local - clamped).normalized)
        want = distance
        let nearest = box.rotation.rotate(clamped)
        other = .box(OrientedBox(center: origin - toBall * (r + distance) - nearest, halfExtents: h, rotation: box.rotation))
      }
      let got = ball.distance(to: other)
      worst = max(worst, abs(got - want))
      #expect(abs(got - want) <= 1e-9, "pair \(k): \(got) for \(want)")
      #expect(!ball.overlaps(other, tolerance: tol) && !other.overlaps(ball, tolerance: tol))
    }
    print("distance GJK: worst error \(worst) m against the analytic distance")
  }

  /// On the property tests' pairs (`SolidPairGenerator`), the runs that `overlaps` makes end
  /// in far fewer than `ConvexSolid.maximumIterations` steps and never unsettled; prints the
  /// most steps taken and how many runs ended stalled (rounding; then the touching check
  /// along face axes decides).
  @Test func runsSettleWellWithinTheCap() {
    var most = 0, stalled = 0, runs = 0
    for (index, (ka, kb)) in SolidPairGenerator.kindPairs.enumerated() {
      var generator = SolidPairGenerator(seed: 0x6A4B_0000 + UInt64(index))
      for _ in 0..<100 {
        let (a, b) = generator.pair(ka, kb)
        let outcome = a.separation(b, tolerance: tol)
        runs += 1
        if case .unsettled = outcome { Issue.record("\(ka)/\(kb): unsettled") }
        if case .stalled = outcome { stalled += 1 }
        // The fewest steps that give the same outcome (a run is the same up to its cap).
        var low = 0, high = ConvexSolid.maximumIterations
        while low < high {
          let mid = (low + high) / 2
          if case .unsettled = a.separation(b, tolerance: tol, iterations: mid) { low = mid + 1 } else { high = mid }
        }
        most = max(most, low)
      }
    }
    print("distance GJK: \(runs) runs, at most \(most) steps, \(stalled) stalled")
    #expect(most <= ConvexSolid.maximumIterations / 4)
  }

  @Test func spheresAndCylindersAreExact() async {
    await propertyCheck(count: 300, input: Gen.uint64(in: 0...UInt64.max)) { seed in
      var s = Stream(state: seed)
      let ra = 0.1 + s.next(), rb = 0.1 + s.next()
      // The centres stay apart (distance ra + rb + gap > 0.1 m).
      let gap = 0.18 * s.next() - 0.09
      guard abs(gap) > 1e-4 else { return }
      let u = s.unit()
      let a = ConvexSolid.sphere(center: Vec3(1, 1, 1), radius: ra)
      let b = ConvexSolid.sphere(center: Vec3(1, 1, 1) + u * (ra + rb + gap), radius: rb)
      #expect(a.overlaps(b, tolerance: tol) == (gap < 0))
      // Two upright cylinders side by side: they overlap iff their axes are closer than the radii.
      let c = ConvexSolid.cylinder(center: .zero, axis: .unitZ, radius: ra, halfHeight: 1)
      let h = Vec3(u.x, u.y, 0).normalized
      guard h != .zero else { return }
      let d = ConvexSolid.cylinder(center: h * (ra + rb + gap) + Vec3(0, 0, 0.5), axis: .unitZ, radius: rb, halfHeight: 1)
      #expect(c.overlaps(d, tolerance: tol) == (gap < 0))
    }
  }

  /// A cylinder's support along its own axis is its cap's centre: the part of the direction
  /// across the axis is rounding only, and normalised it once added a rim point in any
  /// direction, along the axis too, so the extent along the axis came out short and two
  /// overlapping cylinders (these, 11.5 mm deep along the second's axis) counted as touching.
  @Test func cylindersReachTheirCapsAlongTheirAxis() {
    var s = Stream(state: 0xC7_11DE)
    for _ in 0..<500 {
      let u = s.unit(), c = Vec3(100 * s.next(), 100 * s.next(), s.next())
      let hh = 0.01 + s.next(), r = 0.01 + s.next()
      let cylinder = ConvexSolid.cylinder(center: c, axis: u, radius: r, halfHeight: hh)
      #expect(abs(cylinder.extent(u) - (c.dot(u) + hh)) <= 1e-12 * (1 + c.length))
      #expect(abs(cylinder.extent(-u) - (-c.dot(u) + hh)) <= 1e-12 * (1 + c.length))
    }
    let a = ConvexSolid.cylinder(
      center: Vec3(40.94220723317284, 12.272243002805624, 1.576026960878064), axis: Vec3(0.24733285550457582, -0.9689305746997319, 0),
      radius: 0.040060710241501915, halfHeight: 0.14445237412912856)
    let b = ConvexSolid.cylinder(
      center: Vec3(41.013075546965545, 12.895278081436878, 1.5677646400401581), axis: Vec3(-0.12125712733886879, -0.9926211306785311, 0),
      radius: 0.4535747784661045, halfHeight: 0.48941784622177026)
    #expect(a.overlaps(b, tolerance: tol) && b.overlaps(a, tolerance: tol))
  }

  @Test func touchingFacesDoNotOverlap() {
    let table = ConvexSolid.box(OrientedBox(center: Vec3(0, 0, 0.4), halfExtents: Vec3(0.6, 0.4, 0.4)))
    let can = ConvexSolid.cylinder(center: Vec3(0.1, 0, 0.86), axis: .unitZ, radius: 0.033, halfHeight: 0.06)
    #expect(!table.overlaps(can, tolerance: tol))
    let sunk = ConvexSolid.cylinder(center: Vec3(0.1, 0, 0.859), axis: .unitZ, radius: 0.033, halfHeight: 0.06)
    #expect(table.overlaps(sunk, tolerance: tol))
    // A hull (a mug's lathe) resting on the table.
    var points: [Vec3] = []
    for k in 0..<48 {
      let a = Double(k) / 48 * 2 * .pi
      points.append(Vec3(0.04 * a.cosine, 0.04 * a.sine, 0))
      points.append(Vec3(0.045 * a.cosine, 0.045 * a.sine, 0.1))
    }
    let mug = ConvexHull(containing: points)
    #expect(!table.overlaps(.hull(mug, Transform(translation: Vec3(0, 0.2, 0.8))), tolerance: tol))
    #expect(table.overlaps(.hull(mug, Transform(translation: Vec3(0, 0.2, 0.799))), tolerance: tol))
  }

  @Test func roundCornerAndBoxesThatOverlapOnlyAsBoxes() {
    // A sphere in the corner of a box's reach: their boxes overlap, the solids do not.
    let ball = ConvexSolid.sphere(center: .zero, radius: 1)
    let brick = OrientedBox(center: Vec3(0.8, 0.8, 0.8), halfExtents: Vec3(0.1, 0.1, 0.1))
    #expect(OrientedBox(center: .zero, halfExtents: Vec3(1, 1, 1)).overlaps(brick, tolerance: tol))
    #expect(!ball.overlaps(.box(brick), tolerance: tol))
    #expect(ball.overlaps(.box(OrientedBox(center: Vec3(0.5, 0.5, 0.5), halfExtents: Vec3(0.1, 0.1, 0.1))), tolerance: tol))
  }
}

/// `ConvexHull.hull` walks its faces through raw buffers; these pin it to the plain loop it
/// replaced (kept here as the reference), face for face and in order, so hulls, and with
/// them the sampler's overlap tests and physics contacts, are unchanged.
@Suite struct ConvexHullConstructionTests {
  /// The incremental construction as written before (arrays and `contains`).
  static func referenceHull(_ p: [Vec3], epsilon eps: Double) -> [(Int, Int, Int)]? {
    // The same starting tetrahedron (its construction did not change).
    guard let (first, (i0, i1, i2, i3)) = ConvexHull.initialTetrahedron(p, epsilon: eps) else { return nil }
    var faces = first
    func plane(_ f: (Int, Int, Int)) -> (Vec3, Double) {
      let n = (p[f.1] - p[f.0]).cross(p[f.2] - p[f.0])
      return (n, n.length * eps)
    }
    var planes = faces.map(plane)
    for k in p.indices where k != i0 && k != i1 && k != i2 && k != i3 {
      let q = p[k]
      var visible: [Int] = []
      for j in faces.indices {
        let (n, slack) = planes[j]
        if slack > 0 && n.dot(q - p[faces[j].0]) > slack { visible.append(j) }
      }
      guard !visible.isEmpty else { continue }
      var edges: [SIMD2<Int>] = []
      for v in visible {
        let f = faces[v]
        edges.append(SIMD2(f.0, f.1))
        edges.append(SIMD2(f.1, f.2))
        edges.append(SIMD2(f.2, f.0))
      }
      var added: [(Int, Int, Int)] = []
      for e in edges where !edges.contains(SIMD2(e.y, e.x)) { added.append((e.x, e.y, k)) }
      var keep = 0
      var next = 0
      for j in faces.indices {
        if next < visible.count && visible[next] == j {
          next += 1
          continue
        }
        faces[keep] = faces[j]
        planes[keep] = planes[j]
        keep += 1
      }
      faces.removeLast(faces.count - keep)
      planes.removeLast(planes.count - keep)
      for f in added {
        faces.append(f)
        planes.append(plane(f))
      }
    }
    return faces
  }

  static func same(_ a: [(Int, Int, Int)]?, _ b: [(Int, Int, Int)]?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 && $0.2 == $1.2 }
  }

  /// `planeNormals` passes over kept normals more than 2e-9 apart in x before the full
  /// distance test; the normals kept, and their order, are those of the full test alone:
  /// faces of hulls, and faces whose normals differ by about 1e-9 (both sides of the
  /// threshold, in x, y and z).
  @Test func planeNormalsMatchTheFullTest() {
    func reference(_ faces: [(Int, Int, Int)], _ p: [Vec3]) -> [Vec3] {
      var normals: [Vec3] = []
      for f in faces {
        let n = (p[f.1] - p[f.0]).cross(p[f.2] - p[f.0]).normalized
        guard n != .zero, !normals.contains(where: { ($0 - n).lengthSquared < 1e-18 }) else { continue }
        normals.append(n)
      }
      return normals
    }
    func bits(_ v: [Vec3]) -> [UInt64] { v.flatMap { [$0.x.bitPattern, $0.y.bitPattern, $0.z.bitPattern] } }
    var s = Stream(state: 77)
    for trial in 0..<120 {
      var points: [Vec3] = []
      var faces: [(Int, Int, Int)] = []
      if trial % 2 == 0 {
        for _ in 0..<(8 + trial % 50) { points.append(s.unit() * (1 + s.next())) }
        faces = ConvexHull.hull(points, epsilon: 1e-9) ?? []
      } else {
        // Triangles (0, a, b) whose normals are tilted from each other by small angles.
        points.append(.zero)
        for k in 0..<40 {
          let tilt = Double(k % 8) * 0.5e-9 * (k % 3 == 0 ? 1 : -1)
          let axis = [Vec3.unitX, .unitY, .unitZ][k % 3]
          let a = Vec3(1, 0, 0) + axis * tilt * Double(1 + k % 5)
          let b = Vec3(0, 1, 0) + axis * tilt * s.next()
          points.append(a)
          points.append(b)
          faces.append((0, points.count - 2, points.count - 1))
        }
      }
      #expect(bits(ConvexHull.planeNormals(faces, points)) == bits(reference(faces, points)), "trial \(trial)")
    }
  }

  /// `verified` answers the same whichever points it is told to check first (the hull of a
  /// subset of a cloud, which misses some points or none).
  @Test func verifiedDoesNotDependOnTheOrderChecked() {
    var s = Stream(state: 5)
    for trial in 0..<80 {
      let points = (0..<(10 + trial % 60)).map { _ in Vec3(s.next(), s.next(), s.next()) * 2 - Vec3(1, 1, 1) }
      let subset = trial % 3 == 0 ? points : points.enumerated().filter { $0.offset % (2 + trial % 3) == 0 }.map(\.element)
      let plain = ConvexHull.verified(subset, points, tolerance: 1e-9)
      for first in [Array(points.indices.reversed()), [3, 3, 1, -1, points.count + 5], points.indices.filter { $0 % 2 == 1 }] {
        let ordered = ConvexHull.verified(subset, points, tolerance: 1e-9, first: first)
        #expect(ordered == plain, "trial \(trial)")
      }
    }
  }

  /// `ConvexHull.extremes` (four directions per step) picks, direction by direction, the
  /// point the plain loop it replaced picked: the largest `dot`, the lowest index on ties,
  /// for clouds, spheres, repeated points (ties) and sets with NaN and infinite coordinates.
  @Test func extremesMatchThePlainLoop() {
    var s = Stream(state: 2026_12_07)
    for trial in 0..<120 {
      let count = 1 + trial * 3 % 140
      var points: [Vec3] = []
      for k in 0..<count {
        switch trial % 4 {
        case 0: points.append(Vec3(s.next(), s.next(), s.next()) * 3 - Vec3(1, 1, 1))
        case 1: points.append(s.unit())
        case 2: points.append(k % 2 == 1 ? points[k - 1] : Vec3(s.next().rounded(), s.next().rounded(), 0))
        default: points.append(k % 5 == 0 ? Vec3(.nan, s.next(), k % 10 == 0 ? .infinity : 0) : s.unit())
        }
      }
      let reference = ConvexHull.directions.map { d in
        var best = 0
        var bestValue = -Double.infinity
        for k in points.indices where points[k].dot(d) > bestValue {
          bestValue = points[k].dot(d)
          best = k
        }
        return best
      }
      #expect(ConvexHull.extremes(points) == reference, "trial \(trial)")
    }
  }

  /// Random clouds, spheres with duplicated and nearly coplanar points, and flat sets.
  @Test func facesMatchTheReferenceConstruction() {
    var s = Stream(state: 2026_12_06)
    for trial in 0..<200 {
      let count = 4 + trial % 90
      var points: [Vec3] = []
      for k in 0..<count {
        switch trial % 4 {
        case 0: points.append(Vec3(s.next(), s.next(), s.next()) * 3 - Vec3(1, 1, 1))
        case 1: points.append(s.unit() * (1 + 1e-10 * s.next()))
        case 2: points.append(k % 3 == 0 && k > 0 ? points[k - 1] : Vec3(s.next(), s.next(), 1e-11 * s.next()))
        default: points.append(Vec3(s.next().rounded(), s.next().rounded(), s.next().rounded()) + s.unit() * 1e-3)
        }
      }
      for eps in [1e-9, 1e-6] {
        #expect(Self.same(ConvexHull.hull(points, epsilon: eps), Self.referenceHull(points, epsilon: eps)), "trial \(trial)")
      }
    }
  }
}
