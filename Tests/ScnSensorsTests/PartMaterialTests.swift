import ScnGeometry
import ScnScene
import ScnSensors
import Testing

/// A part with a material of its own is drawn and ranged with it, while it stays one
/// instance of its object's class (docs/scene-model.md).
@Suite struct PartMaterialTests {
  /// A grey object whose left half is a white part and right half a black part of its own.
  static func twoToned() -> SceneObject {
    let white = Material(baseColour: RGB(0.9, 0.9, 0.9), lidarReflectivity: 0.9)
    let black = Material(baseColour: RGB(0.02, 0.02, 0.02), lidarReflectivity: 0.05)
    return SceneObject(
      instanceID: 7, semanticClass: 3, className: "panel", baseColour: RGB(0.5, 0.5, 0.5),
      parts: [
        Part(.box(size: Vec3(0.5, 4, 4)), transform: Transform(translation: Vec3(0, 2, 2)), material: white, label: "left"),
        Part(.box(size: Vec3(0.5, 4, 4)), transform: Transform(translation: Vec3(0, -2, 2)), material: black, label: "right"),
      ],
      transform: Transform(translation: Vec3(10, 0, 0)))
  }

  @Test func eachPartIsShadedWithItsOwnMaterial() throws {
    let intersector = try SceneIntersector(scene: RenderScene(objects: [Self.twoToned()]))
    let camera = try TestScenes.camera(width: 64, height: 48, fovDegrees: 40, at: Vec3(0, 0, 2))
    let frame = try intersector.render(camera, options: CameraRenderOptions(shadows: false))
    // Pixels left and right of the centre column (y left = image left), same row.
    let row = 24
    let left = row * 64 + 20, right = row * 64 + 44
    #expect(frame.instance[left] == 7 && frame.instance[right] == 7)
    #expect(frame.semantic[left] == 3 && frame.semantic[right] == 3)
    let l = Int(frame.rgb[left * 3 + 1]), r = Int(frame.rgb[right * 3 + 1])
    // The black part is a dielectric (F0 = 0.04): it still mirrors a few per cent of the
    // bright sky, so it reads well above zero but far below the white part.
    #expect(l > 100 && l > 3 * r, "white part reads \(l), black \(r)")
    #expect(r < 55, "black part reads \(r)")
    // One object label covering both parts.
    #expect(frame.objects.count == 1)
    #expect(frame.objects.first?.visiblePixels == frame.instance.filter { $0 == 7 }.count)
  }

  @Test func lidarIntensityFollowsThePartMaterial() throws {
    let intersector = try SceneIntersector(scene: RenderScene(objects: [Self.twoToned()]))
    let lidar = LidarSensor(
      channels: 4, minElevation: -0.05, maxElevation: 0.05, azimuthSteps: 720, minRange: 0.5, maxRange: 50,
      pose: Transform(translation: Vec3(0, 0, 2)))
    let scan = try intersector.scan(lidar, threads: 1)
    let left = scan.points.filter { $0.instance == 7 && $0.y > 0.3 }
    let right = scan.points.filter { $0.instance == 7 && $0.y < -0.3 }
    #expect(!left.isEmpty && !right.isEmpty)
    let meanLeft = left.map { Double($0.intensity) }.reduce(0, +) / Double(left.count)
    let meanRight = right.map { Double($0.intensity) }.reduce(0, +) / Double(right.count)
    #expect(meanLeft > 0.7 && meanRight < 0.1, "left \(meanLeft), right \(meanRight)")
  }

  @Test func anUnlabelledPartRepeatingTheObjectMaterialSharesItsSlot() throws {
    var object = Self.twoToned()
    object.parts[0].material = object.material
    object.parts[0].label = nil
    let intersector = try SceneIntersector(scene: RenderScene(objects: [object]))
    let hit = try #require(intersector.closestHit(origin: Vec3(0, 2, 2), direction: Vec3(1, 0, 0)))
    #expect(hit.materialSlot == 0)
    let other = try #require(intersector.closestHit(origin: Vec3(0, -2, 2), direction: Vec3(1, 0, 0)))
    #expect(other.materialSlot == 1)
    #expect(intersector.material(ofSlot: 1)?.material.baseColour == RGB(0.02, 0.02, 0.02))
  }

  /// A labelled part gets a slot of its own (the `parts` images read the label through it),
  /// holding the object's material when the part has none of its own.
  @Test func aLabelledPartHasItsOwnSlotWithTheObjectMaterial() throws {
    var object = Self.twoToned()
    object.parts[0].material = nil
    let intersector = try SceneIntersector(scene: RenderScene(objects: [object]))
    let hit = try #require(intersector.closestHit(origin: Vec3(0, 2, 2), direction: Vec3(1, 0, 0)))
    #expect(hit.materialSlot == 1)
    #expect(intersector.material(ofSlot: 1)?.material == object.material)
    #expect(intersector.material(ofSlot: 1)?.object == 0)
  }
}
