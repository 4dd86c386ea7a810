import Foundation
import Testing

@testable import ScnMap

@Suite struct FresnelTests {
  /// Tabulated values (Abramowitz & Stegun, table 7.7; DLMF 7.3).
  @Test func tabulatedValues() {
    let cases: [(x: Double, c: Double, s: Double)] = [
      (0.5, 0.4923442258714464, 0.06473243285999929),
      (1.0, 0.7798934003768228, 0.4382591473903548),
      (1.5, 0.4452611760398215, 0.6975049600820930),
      (2.0, 0.4882534060753408, 0.34341567836369824),
      (3.0, 0.6057207892976856, 0.4963129989673750),
      (10.0, 0.4998986942055157, 0.4681699785848822),
    ]
    for t in cases {
      let (c, s) = Fresnel.integrals(t.x)
      #expect(abs(c - t.c) < 1e-13, "C(\(t.x)) = \(c)")
      #expect(abs(s - t.s) < 1e-13, "S(\(t.x)) = \(s)")
      let (cn, sn) = Fresnel.integrals(-t.x)
      #expect(cn == -c && sn == -s)
    }
    let (cInf, sInf) = Fresnel.integrals(1e6)
    #expect(abs(cInf - 0.5) < 1e-6 && abs(sInf - 0.5) < 1e-6)
  }

  /// Simpson's rule on the integrand agrees on both sides of the series/continued-fraction switch.
  @Test func agreesWithQuadrature() {
    for x in stride(from: 0.1, through: 4.0, by: 0.3) {
      let n = 20_000
      let h = x / Double(n)
      var c = 0.0
      var s = 0.0
      for i in 0...n {
        let t = Double(i) * h
        let w: Double = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2)
        c += w * cos(Double.pi / 2 * t * t)
        s += w * sin(Double.pi / 2 * t * t)
      }
      let (fc, fs) = Fresnel.integrals(x)
      #expect(abs(fc - c * h / 3) < 1e-10 && abs(fs - s * h / 3) < 1e-10, "x = \(x)")
    }
  }
}

@Suite struct PlanGeometryTests {
  /// A clothoid from curvature 0 with rate π/L² ends at L·(C(1), S(1)) with heading π/2 (the
  /// closed form), from tabulated Fresnel values rather than the reader's own.
  @Test func spiralEndMatchesClosedForm() {
    for (length, hdg) in [(50.0, 0.0), (120.0, 0.7), (8.0, -2.0)] {
      let rate = Double.pi / (length * length)
      let g = PlanGeometry(
        s: 0, x: 10, y: -5, hdg: hdg, length: length, shape: .spiral(curvStart: 0, curvEnd: rate * length))
      let end = g.pose(at: length)
      let lx = length * 0.7798934003768228
      let ly = length * 0.4382591473903548
      let ex = 10 + lx * cos(hdg) - ly * sin(hdg)
      let ey = -5 + lx * sin(hdg) + ly * cos(hdg)
      #expect(hypot(end.x - ex, end.y - ey) < 1e-3, "length \(length): off by \(hypot(end.x - ex, end.y - ey)) m")
      #expect(abs(angleDifference(end.heading, hdg + Double.pi / 2)) < 1e-12)
      // Mirror image: turning right.
      let mirrored = PlanGeometry(
        s: 0, x: 10, y: -5, hdg: hdg, length: length, shape: .spiral(curvStart: 0, curvEnd: -rate * length))
      let m = mirrored.pose(at: length)
      let mx = 10 + lx * cos(hdg) + ly * sin(hdg)
      let my = -5 + lx * sin(hdg) - ly * cos(hdg)
      #expect(hypot(m.x - mx, m.y - my) < 1e-3)
    }
  }

  /// Spirals that start curved (the common transition), and almost-arcs where the reader
  /// switches to quadrature, against a fine Simpson integration of (cos θ, sin θ).
  @Test func generalSpiralsAgreeWithQuadrature() {
    let cases: [(k0: Double, k1: Double, length: Double)] = [
      (0.02, 0.1, 30), (0.1, -0.05, 40), (-0.2, 0, 12), (0.05, 0.05 + 1e-9, 80), (0.3, 0.29, 5), (0, 1e-12, 100),
    ]
    for c in cases {
      let g = PlanGeometry(s: 0, x: 0, y: 0, hdg: 0.3, length: c.length, shape: .spiral(curvStart: c.k0, curvEnd: c.k1))
      let dk = (c.k1 - c.k0) / c.length
      let n = 40_000
      let h = c.length / Double(n)
      var x = 0.0
      var y = 0.0
      for i in 0...n {
        let t = Double(i) * h
        let theta = 0.3 + c.k0 * t + 0.5 * dk * t * t
        let w: Double = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2)
        x += w * cos(theta)
        y += w * sin(theta)
      }
      let end = g.pose(at: c.length)
      #expect(hypot(end.x - x * h / 3, end.y - y * h / 3) < 1e-6, "\(c)")
    }
  }

  @Test func arcEndsOnItsCircle() {
    let g = PlanGeometry(s: 0, x: 1, y: 2, hdg: 0, length: Double.pi * 10, shape: .arc(curvature: 0.1))
    let end = g.pose(at: g.length)  // half a circle of radius 10, turning left
    #expect(abs(end.x - 1) < 1e-9 && abs(end.y - 22) < 1e-9)
    #expect(abs(angleDifference(end.heading, Double.pi)) < 1e-12)
  }

  /// poly3 is parameterised by arc length: consecutive poses 1 cm apart are 1 cm apart.
  @Test func poly3IsArcLengthParameterised() {
    let g = PlanGeometry(s: 0, x: 0, y: 0, hdg: 0, length: 20, shape: .poly3(a: 0, b: 0.1, c: 0.01, d: -0.0003))
    var total = 0.0
    var previous = g.pose(at: 0)
    for i in 1...2000 {
      let p = g.pose(at: Double(i) * 0.01)
      total += hypot(p.x - previous.x, p.y - previous.y)
      previous = p
    }
    #expect(abs(total - 20) < 1e-3, "chord length \(total)")
    // v(u) holds at the end point.
    let u = previous.x
    #expect(abs(previous.y - (0.1 * u + 0.01 * u * u - 0.0003 * u * u * u)) < 1e-6)
  }

  @Test func paramPoly3BothRanges() {
    // A straight line written as a parametric cubic, in both parameter ranges.
    let arc = PlanGeometry(s: 0, x: 0, y: 0, hdg: Double.pi / 2, length: 10, shape: .paramPoly3(u: [0, 1, 0, 0], v: [0, 0, 0, 0], normalized: false))
    let norm = PlanGeometry(s: 0, x: 0, y: 0, hdg: Double.pi / 2, length: 10, shape: .paramPoly3(u: [0, 10, 0, 0], v: [0, 0, 0, 0], normalized: true))
    for g in [arc, norm] {
      let p = g.pose(at: 10)
      #expect(abs(p.x) < 1e-12 && abs(p.y - 10) < 1e-12)
      #expect(abs(p.heading - Double.pi / 2) < 1e-12)
    }
    // A quarter curve: heading follows the derivative.
    let curve = PlanGeometry(s: 0, x: 0, y: 0, hdg: 0, length: 1, shape: .paramPoly3(u: [0, 1, 0, 0], v: [0, 0, 1, 0], normalized: true))
    #expect(abs(curve.pose(at: 1).heading - atan2(2, 1)) < 1e-12)
  }
}

@Suite struct EveryShapeTests {
  /// every_shape.xodr chains line, spiral, arc, spirals, paramPoly3 and poly3; each piece's
  /// start was computed from the previous one by SciPy's adaptive quadrature, so the reader's
  /// end of each piece must land on the next start.
  @Test func piecesMeetWhereTheFileSays() throws {
    let network = try MapFixtures.load("every_shape")
    let road = try #require(network.road(id: "7"))
    #expect(road.planView.count == 8)
    for (g, next) in zip(road.planView, road.planView.dropFirst()) {
      let end = g.pose(at: g.length)
      #expect(hypot(end.x - next.x, end.y - next.y) < 1e-3, "piece at s = \(g.s): off by \(hypot(end.x - next.x, end.y - next.y)) m")
      #expect(abs(angleDifference(end.heading, next.hdg)) < 1e-6, "piece at s = \(g.s)")
    }
    let end = road.referencePose(at: road.length)
    #expect(hypot(end.x - 46.308795893940754, end.y - -23.045335950832865) < 1e-3)
    #expect(abs(angleDifference(end.heading, 3.2668531344865746)) < 1e-6)
    #expect(network.diagnostics.isEmpty, "\(network.diagnostics)")
  }
}
