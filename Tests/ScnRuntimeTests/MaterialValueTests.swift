import ScnGeometry
import ScnScene
import Testing

@testable import ScnRuntime

/// Material values written in a scenario become the scene model's materials
/// (docs/scene-model.md, "Materials in the language"): an actor's `material`, one part's
/// through `part_materials` (labels, label prefixes, person groups), the shape's own finish
/// by default, random fields drawn per sample, and errors for parts that do not exist.
@Suite struct MaterialValueTests {
  static func model(_ body: String, start: UInt64 = 0) throws -> (Scene, SceneModel) {
    let source = """
      import std.vehicles
      import std.pedestrians
      scenario S {
      \(body)
      }
      """
    let scene = try #require(try SamplerSupport.scenes(source, count: 1, start: start).first)
    return (scene, try SceneModel(scene: scene, classes: ClassTable(names: ["box", "car", "pedestrian"])))
  }

  static func index(_ scene: Scene, _ name: String) throws -> Int {
    try #require(scene.actors.firstIndex { $0.name == name })
  }

  @Test func anActorsMaterialReplacesTheShapesFinish() throws {
    let (scene, model) = try Self.model("""
          let plain = Car at (0m, 0m, 0m)
          let red = Car { color: RED } at (0m, 5m, 0m)
          let chrome = Car { material: Metal { roughness: 0.05 } } at (0m, 10m, 0m)
          let glow = Box { material: Material { color: rgb(1.0, 0.0, 0.0), emissive: 200cd/m^2, lidar_reflectivity: 0.9 } } at (0m, 15m, 0m)
      """)
    let plain = model.objects[try Self.index(scene, "plain")].material
    let red = model.objects[try Self.index(scene, "red")].material
    let chrome = model.objects[try Self.index(scene, "chrome")].material
    let glow = model.objects[try Self.index(scene, "glow")].material
    // ShapeMaterial: a vehicle's clear-coated paint in its colour.
    #expect(plain.texture == .paint && plain.roughness == 0.35)
    #expect(red.texture == .paint && red.baseColour == RGB.fromSRGB(0.8, 0.1, 0.1))
    // Metal, with one default changed.
    #expect(chrome.metallic == 1 && chrome.roughness == 0.05 && chrome.texture == .plain)
    #expect(chrome.baseColour == RGB.fromSRGB(0.75, 0.75, 0.75))
    // Emission in the base colour's hue at the stated luminance; the LiDAR reflectivity.
    #expect(abs(glow.emissive.luminance - 200) < 1e-9 && glow.emissive.green == 0 && glow.emissive.red > 0)
    #expect(glow.lidarReflectivity == 0.9)
    #expect(plain.lidarReflectivity == nil)
  }

  @Test func partMaterialsFollowLabelsPrefixesAndPersonGroups() throws {
    let (scene, model) = try Self.model("""
          let p = Pedestrian { shirt_color: GREEN, part_materials: [("shirt", Fabric { color: RED }), ("upper_arm", Metal { }), ("shoes", Paint { color: BLUE })] } at (0m, 0m, 0m)
          let c = Car { part_materials: [("wheel", Metal { }), ("cabin", ShapeMaterial { })], material: Paint { color: YELLOW } } at (0m, 5m, 0m)
      """)
    let person = model.objects[try Self.index(scene, "p")]
    func material(_ label: String, of object: SceneObject) throws -> Material? {
      try #require(object.parts.first { $0.label == label }).material
    }
    let red = Material(baseColour: RGB.fromSRGB(0.8, 0.1, 0.1), roughness: 0.9, texture: .fabric)
    #expect(try material("torso", of: person) == red)
    #expect(try material("lower_arm_left", of: person) == red)
    // A later pair wins: the upper arms are metal.
    #expect(try material("upper_arm_left", of: person)?.metallic == 1)
    #expect(try material("upper_arm_right", of: person)?.metallic == 1)
    #expect(try material("foot_left", of: person)?.baseColour == RGB.fromSRGB(0.1, 0.25, 0.75))
    // Parts not named keep the shape's materials (skin).
    #expect(try material("head", of: person)?.texture == .skin)
    let car = model.objects[try Self.index(scene, "c")]
    for part in car.parts where part.label?.hasPrefix("wheel_") == true { #expect(part.material?.metallic == 1) }
    // ShapeMaterial for a part: the object's material.
    #expect(try material("cabin", of: car) == car.material)
    #expect(car.material.baseColour == RGB.fromSRGB(0.95, 0.85, 0.1))
    // A walking person keeps its part materials from frame to frame.
    let k = try Self.index(scene, "p")
    let walked = try #require(model.parts(ofObject: k, travelled: 0.7))
    #expect(walked.first { $0.label == "torso" }?.material == red)
  }

  @Test func aPartNameThatMatchesNothingIsAnError() throws {
    #expect(throws: SceneModelError.self) {
      _ = try Self.model("let p = Pedestrian { part_materials: [(\"shrt\", Fabric { })] } at (0m, 0m, 0m)")
    }
    do {
      _ = try Self.model("let c = Car { part_materials: [(\"shirt\", Fabric { })] } at (0m, 0m, 0m)")
      Issue.record("a car has no shirt")
    } catch {
      let text = String(describing: error)
      #expect(text.contains("'shirt'") && text.contains("wheel_"), "\(text)")
    }
  }

  @Test func randomFieldsAreDrawnPerSampleAndOutOfRangeDrawsStopTheScene() throws {
    var roughness: Set<Double> = []
    for seed in 0..<4 as Range<UInt64> {
      let (scene, model) = try Self.model(
        "let b = Box { material: Paint { roughness: uniform(0.2, 0.6) } } at (0m, 0m, 0m)", start: seed)
      let r = model.objects[try Self.index(scene, "b")].material.roughness
      #expect(r >= 0.2 && r <= 0.6)
      roughness.insert(r)
    }
    #expect(roughness.count == 4)
    // A drawn value outside the range (the checker only sees constant bounds).
    #expect(throws: SceneModelError.self) {
      _ = try Self.model("let x = uniform(1.5, 2.0)\n    let b = Box { material: Paint { roughness: x } } at (0m, 0m, 0m)")
    }
  }
}
