import ScnGeometry
import ScnScene
import Testing

@Suite struct LightTests {
  static func direction(azimuthDegrees a: Double, elevationDegrees e: Double) -> Vec3 {
    let (ar, er) = (a * .pi / 180, e * .pi / 180)
    return Vec3(er.cosine * ar.cosine, er.cosine * ar.sine, er.sine)
  }

  @Test func coneBeamIsFullInsideSmoothAtTheEdgeAndDarkOutside() {
    let spot = Light(position: .zero, direction: Vec3(1, 0, 0), intensity: 100, innerAngle: 0.2, outerAngle: 0.4)
    #expect(spot.beam(toward: Vec3(1, 0, 0)) == 1)
    #expect(spot.beam(toward: Self.direction(azimuthDegrees: 0.19 * 180 / .pi, elevationDegrees: 0)) == 1)
    let edge = spot.beam(toward: Self.direction(azimuthDegrees: 0.3 * 180 / .pi, elevationDegrees: 0))
    #expect(edge > 0 && edge < 1)
    #expect(spot.beam(toward: Self.direction(azimuthDegrees: 0.41 * 180 / .pi, elevationDegrees: 0)) == 0)
    #expect(Light(position: .zero, intensity: 1).beam(toward: Vec3(0, 0, 1)) == 1)
  }

  @Test func lowBeamIsCutOffAtTheHorizonAndFallsOffBelow() {
    let dipped = Light(
      position: .zero, direction: Vec3(1, 0, 0), intensity: 15_000, innerAngle: 12 * .pi / 180,
      outerAngle: 25 * .pi / 180, lowBeam: true)
    #expect(dipped.beam(toward: Self.direction(azimuthDegrees: 0, elevationDegrees: 2)) == 0)
    #expect(dipped.beam(toward: Self.direction(azimuthDegrees: 0, elevationDegrees: -2)) == 1)
    #expect(dipped.beam(toward: Self.direction(azimuthDegrees: 10, elevationDegrees: -2)) == 1)
    #expect(dipped.beam(toward: Self.direction(azimuthDegrees: 30, elevationDegrees: -2)) == 0)
    let six = dipped.beam(toward: Self.direction(azimuthDegrees: 0, elevationDegrees: -6))
    #expect(abs(six - 0.25) < 1e-9, "(3°/6°)² = 0.25, got \(six)")
    // Illuminance on the road from a 15 000 cd lamp 0.65 m up: tens of lux just ahead of the
    // car, as measured under real dipped beams, not the thousands a round cone would give,
    // and still about a lux 20 m ahead.
    func road(_ x: Double) -> Double {
      let toward = Vec3(x, 0, -0.65)
      let d2 = toward.dot(toward)
      let cosine = 0.65 / d2.squareRoot()
      return dipped.intensity * dipped.beam(toward: toward.normalized) * cosine / d2
    }
    #expect(road(2) < 60 && road(5) < 40, "2 m: \(road(2)) lx, 5 m: \(road(5)) lx")
    #expect(road(20) > 0.5, "20 m: \(road(20)) lx")
  }

  @Test func invalidValuesAreClamped() {
    let l = Light(position: .zero, direction: .zero, intensity: -.infinity, colour: RGB(0, 0, 0), innerAngle: .nan, outerAngle: 9)
    #expect(l.intensity == 0)
    #expect(l.direction == Vec3(0, 0, -1))
    #expect(l.outerAngle == .pi && l.innerAngle == .pi)
    #expect(l.colour == RGB(1, 1, 1))
  }
}
