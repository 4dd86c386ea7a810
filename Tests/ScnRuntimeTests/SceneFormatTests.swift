import ScnEncoding
import ScnRuntime
import Testing

@Suite struct SceneFormatTests {
  /// Pins the output contract: key order, units, number format and the draws themselves
  /// (uniform draws use no libm, so these bytes are the same on every platform).
  @Test func sceneLineIsStable() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario Golden {
          param gap: Length = uniform(1m, 2m)
          let box = Box at (gap, 0m, 0m) facing 90deg
          cover g: gap buckets [1m, 1.5m, 2m]
      }
      """, count: 1, SamplerOptions(seed: 42))
    let line = scenes[0].json().compact
    let gap = try #require(SamplerSupport.number(scenes[0], param: "gap"))
    let g = JSONValue.spell(gap)
    let bucket = gap < 1.5 ? "[1m, 1.5m)" : "[1.5m, 2m)"
    #expect(line == #"{"sample":0,"scenario":"Golden","seed":42,"attempts":1,"params":{"gap":{"value":\#(g),"unit":"m"}},"actors":[{"name":"box","type":"Box","class":"box","position":[\#(g),0.0,0.0],"heading":{"rad":1.5707963267948966,"deg":90.0},"size":[0.4,0.4,0.4],"color":[0.65,0.5,0.32],"fields":{"pitch":{"value":0.0,"unit":"rad"},"roll":{"value":0.0,"unit":"rad"},"mass":{"value":2.0,"unit":"kg"},"speed":{"value":0.0,"unit":"m/s"},"shape":"box","material":{"material":"ShapeMaterial"},"part_materials":[],"annotated":true,"max_speed":{"value":2.0,"unit":"m/s"},"max_acceleration":{"value":1.0,"unit":"m/s^2"},"max_deceleration":{"value":2.0,"unit":"m/s^2"},"view_angle":{"value":6.283185307179586,"unit":"rad"},"view_distance":{"value":50.0,"unit":"m"},"fixed":false},"behavior":null}],"sensors":[],"environment":{"light":{"value":100000.0,"unit":"lx"},"indoor":false,"sun_elevation":{"value":1.0471975511965976,"unit":"rad"},"sun_azimuth":{"value":3.141592653589793,"unit":"rad"},"fog":0.0,"weather":"clear","precipitation":{"value":0.0,"unit":"m/s"}},"covers":{"g":{"value":{"value":\#(g),"unit":"m"},"bucket":"\#(bucket)"}},"guidance":{"mode":"natural","weight":1.0}}"#)
    // The draw itself is part of the reproducibility contract.
    #expect(g == "1.8905514972523476")
  }

  /// `--format table` is line-based: a string with a line break or a terminal escape cannot
  /// add a line or reach the terminal raw.
  @Test func tableEscapesControlCharactersOfStrings() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario T {
          param label: String = "a\\nsample 9  forged\\u{1B}[2J"
          let box = Box at (1m, 0m, 0m)
      }
      """, count: 1, SamplerOptions(seed: 1))
    let table = scenes[0].table()
    #expect(table.split(separator: "\n").count == 3, "\(table)")
    #expect(!table.unicodeScalars.contains { $0.value == 0x1B })
    #expect(table.contains(#"params: label = "a\nsample 9  forged\u{1b}[2J""#), "\(table)")
  }

  @Test func concavePolygonSamplesStayInside() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario L {
          let shape = polygon([(0m, 0m, 0m), (4m, 0m, 0m), (4m, 1m, 0m), (1m, 1m, 0m), (1m, 4m, 0m), (0m, 4m, 0m)])
          let b = Box on shape
          require b.position in shape
      }
      """, count: 300, SamplerOptions(seed: 8))
    for s in scenes {
      let p = s.actors[0].position
      #expect(s.attempts == 1)
      #expect(p.x >= 0 && p.y >= 0 && (p.x <= 1 || p.y <= 1) && p.x <= 4 && p.y <= 4)
    }
    // Both arms get samples in proportion to their area (3 m² each, 1 m² corner).
    let armX = scenes.filter { $0.actors[0].position.x > 1 }.count
    let armY = scenes.filter { $0.actors[0].position.y > 1 }.count
    #expect(abs(armX - armY) < 60)
  }
}
