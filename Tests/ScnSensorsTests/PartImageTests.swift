import ScnGeometry
import ScnScene
import ScnSensors
import Testing

/// The `parts` image: per pixel centre, the part-label id of the part hit (docs/scene-model.md,
/// "Part labels"), exact like the instance image and absent unless asked for.
@Suite struct PartImageTests {
  static let table = PartLabelTable(extra: ["left", "right"])

  /// `PartMaterialTests.twoToned` plus an unlabelled top part.
  static func scene() -> RenderScene {
    var object = PartMaterialTests.twoToned()
    object.parts.append(Part(.box(size: Vec3(0.5, 2, 0.6)), transform: Transform(translation: Vec3(0, 0, 4.3))))
    return RenderScene(objects: [object])
  }

  @Test func eachPixelHoldsTheIdOfThePartThroughItsCentre() throws {
    let intersector = try SceneIntersector(scene: Self.scene())
    let camera = try TestScenes.camera(width: 64, height: 48, fovDegrees: 40, at: Vec3(0, 0, 2))
    let frame = try intersector.render(camera, options: CameraRenderOptions(shadows: false, partLabels: Self.table))
    let parts = try #require(frame.parts)
    #expect(parts.count == 64 * 48)
    let left = Self.table.id(of: "left"), right = Self.table.id(of: "right")
    #expect(left != 0 && right != 0 && left != right)
    for k in parts.indices {
      switch parts[k] {
      case 0: break
      case left, right: #expect(frame.instance[k] == 7, "pixel \(k) is labelled but shows instance \(frame.instance[k])")
      default: Issue.record("pixel \(k) holds id \(parts[k])")
      }
    }
    // Image left is the object's +y side: the left part; each id where the rays hit it.
    #expect(parts[24 * 64 + 20] == left)
    #expect(parts[24 * 64 + 44] == right)
    // Sky and ground are 0, and so is the unlabelled top part of the object.
    let background = parts.indices.filter { frame.instance[$0] == 0 }
    #expect(background.contains { frame.semantic[$0] == 0 } && background.contains { frame.semantic[$0] == 1 })
    #expect(background.allSatisfy { parts[$0] == 0 })
    #expect(parts.indices.contains { frame.instance[$0] == 7 && parts[$0] == 0 && $0 < 64 * 8 }, "top part")
  }

  @Test func theImageIsOnlyMadeWhenAskedForAndChangesNothingElse() throws {
    let intersector = try SceneIntersector(scene: Self.scene())
    let camera = try TestScenes.camera(width: 32, height: 24, fovDegrees: 40, at: Vec3(0, 0, 2))
    let plain = try intersector.render(camera, options: CameraRenderOptions(threads: 2, shadows: false))
    let with = try intersector.render(camera, options: CameraRenderOptions(threads: 3, shadows: false, partLabels: Self.table))
    #expect(plain.parts == nil)
    #expect(with.parts != nil)
    #expect(plain.rgb == with.rgb)
    #expect(plain.instance == with.instance)
    #expect(plain.depth == with.depth)
    #expect(plain.semantic == with.semantic)
    // Several rays per pixel: the part image still comes from the centre ray alone.
    let aa = try intersector.render(
      camera, options: CameraRenderOptions(threads: 1, shadows: false, samplesPerPixel: 4, partLabels: Self.table))
    #expect(aa.parts == with.parts)
  }
}
