import ScnGeometry
import ScnScene
import Testing

@testable import ScnSensors

/// `LidarAtmosphere`'s shortcuts give the answers of the plain formulas (docs/weather.md):
/// the link budget's logarithm skipped where its bounds decide, and the echo probability over
/// the whole 25 m worked out once.
@Suite struct LidarAtmosphereShortcutTests {
  /// The plain link budget: the return survives while 2σr ≤ ln(1 + M).
  static func survives(_ a: LidarAtmosphere, reflectivity: Double, cosine: Double, range: Double, maxRange: Double)
    -> Bool
  {
    guard a.extinction > 0 else { return true }
    let margin =
      reflectivity * cosine / LidarAtmosphere.referenceReflectivity * (maxRange / range) * (maxRange / range)
    guard margin > 0 else { return false }
    return 2 * a.extinction * range <= logDouble(1 + margin)
  }

  @Test func theLinkBudgetMatchesTheLogarithmAtAndAroundItsEdge() {
    var state: UInt64 = 0x1234_5678
    func unit() -> Double {
      state = Hash.mix(state)
      return Hash.unit(state)
    }
    var checked = 0
    var survived = 0
    for _ in 0..<20_000 {
      let reflectivity = unit() * unit()
      let cosine = unit()
      let maxRange = 20 + 180 * unit()
      let range = 1e-3 + maxRange * 1.2 * unit()
      let margin =
        reflectivity * cosine / LidarAtmosphere.referenceReflectivity * (maxRange / range) * (maxRange / range)
      // The extinction at which this return is just lost, and its neighbours a few ulps
      // apart, and random ones.
      var extinctions = [1e-4 + 0.2 * unit()]
      if margin > 0, margin.isFinite {
        var edge = logDouble(1 + margin) / (2 * range)
        extinctions.append(edge)
        var below = edge
        for _ in 0..<3 {
          edge = edge.nextUp
          below = below.nextDown
          extinctions += [edge, below]
        }
        // Just inside and outside the shortcut's bounds.
        extinctions += [margin / (1 + margin) / (2 * range), margin / (2 * range), margin * (1 + 2e-9) / (2 * range)]
      }
      for sigma in extinctions where sigma > 0 && sigma.isFinite {
        let atmosphere = LidarAtmosphere(fogExtinction: sigma, precipitation: .none)
        let expected = Self.survives(
          atmosphere, reflectivity: reflectivity, cosine: cosine, range: range, maxRange: maxRange)
        #expect(
          atmosphere.surfaceSurvives(reflectivity: reflectivity, cosine: cosine, range: range, maxRange: maxRange)
            == expected)
        checked += 1
        if expected { survived += 1 }
      }
    }
    // Both answers were exercised, many times each.
    #expect(survived > checked / 10 && survived < checked * 9 / 10)
  }

  @Test func theLinkBudgetMatchesTheLogarithmAtExtremeRanges() {
    // Margins near and past the largest double (a `range:` a scenario may write), and tiny.
    for maxRange in [1e-3, 1.0, 1e100, 1e150, 3.2e150, 4e150, 1e154, 1e155, 1e200] {
      for range in [1e-3, 0.5, 3_540.0, 1e6] {
        for sigma in [1e-9, 0.1, 1.0, 1e3, 1e300] {
          let a = LidarAtmosphere(fogExtinction: sigma, precipitation: .none)
          for (reflectivity, cosine) in [(1.0, 1.0), (0.05, 0.01), (0.0, 1.0)] {
            #expect(
              a.surfaceSurvives(reflectivity: reflectivity, cosine: cosine, range: range, maxRange: maxRange)
                == Self.survives(a, reflectivity: reflectivity, cosine: cosine, range: range, maxRange: maxRange))
          }
        }
      }
    }
  }

  @Test(arguments: [Precipitation.rain(millimetresPerHour: 4), .snow(millimetresPerHour: 2), .none])
  func echoesMatchThePlainDraw(_ precipitation: Precipitation) {
    for fog in [0.0, 0.02] {
      let a = LidarAtmosphere(fogExtinction: fog, precipitation: precipitation)
      let rate = a.fogEchoRate + a.precipitationEchoRate
      var state: UInt64 = 99
      for i in 0..<5_000 {
        state = Hash.mix(state)
        let (u, v, w) = (Hash.unit(state), Hash.unit(Hash.mix(state ^ 1)), Hash.unit(Hash.mix(state ^ 2)))
        let limit = i % 3 == 0 ? 25.0 : 40 * Hash.unit(Hash.mix(state ^ 3))
        let echo = a.particleEcho(limit: limit, u: u, v: v, w: w)
        // The draw without the shortcut.
        let span = Swift.min(limit, LidarAtmosphere.particleEchoRange)
        guard rate > 0, span > 0 else {
          #expect(echo == nil)
          continue
        }
        let reach = 1 - expDouble(-rate * span)
        guard u < reach else {
          #expect(echo == nil)
          continue
        }
        let range = Swift.min(-logDouble(1 - v * reach) / rate, span)
        #expect(echo?.range == range)
        #expect(echo?.label == (w * rate < a.fogEchoRate ? .fog : precipitation.returnLabel))
      }
    }
  }
}
