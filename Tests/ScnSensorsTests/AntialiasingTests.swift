import ScnScene
import ScnGeometry
import ScnSensors
import Testing

/// Several rays per pixel smooth the RGB image's edges; the label images stay those of the
/// pixel centres.
@Suite struct AntialiasingTests {
  static func render(samples: Int, threads: Int = 2) throws -> CameraFrame {
    let camera = try TestScenes.camera(width: 96, height: 72, fovDegrees: 70, at: Vec3(0, 0, 1.2))
    return try SceneIntersector(scene: TestScenes.primitives()).render(
      camera, options: CameraRenderOptions(threads: threads, noiseSeed: 5, samplesPerPixel: samples))
  }

  @Test(arguments: [4, 9, 16])
  func labelsComeFromPixelCentres(samples: Int) throws {
    let one = try Self.render(samples: 1)
    let many = try Self.render(samples: samples)
    #expect(many.depth == one.depth)
    #expect(many.instance == one.instance)
    #expect(many.semantic == one.semantic)
    #expect(many.objects.map(\.modalBox) == one.objects.map(\.modalBox))
    #expect(many.rgb != one.rgb)
  }

  @Test func edgesGetIntermediateValuesAndFlatAreasStay() throws {
    let one = try Self.render(samples: 1)
    let four = try Self.render(samples: 4)
    // Pixels whose 4-neighbourhood mixes instances lie on an edge.
    var edgeDifference = 0.0
    var flatDifference = 0.0
    var edges = 0
    var flats = 0
    let w = one.width
    for y in 1..<(one.height - 1) {
      for x in 1..<(w - 1) {
        let i = y * w + x
        let id = one.instance[i]
        let edge = [i - 1, i + 1, i - w, i + w].contains { one.instance[$0] != id || one.semantic[$0] != one.semantic[i] }
        var d = 0.0
        for c in 0..<3 { d += abs(Double(one.rgb[3 * i + c]) - Double(four.rgb[3 * i + c])) }
        if edge {
          edgeDifference += d
          edges += 1
        } else {
          flatDifference += d
          flats += 1
        }
      }
    }
    #expect(edges > 50 && flats > 1000)
    // Edge pixels change a lot more than flat ones (which change only by texture detail).
    #expect(edgeDifference / Double(edges) > 4 * flatDifference / Double(flats))
  }

  @Test func sameBytesForAnyThreadCount() throws {
    #expect(try Self.render(samples: 4, threads: 1).rgb == Self.render(samples: 4, threads: 2).rgb)
  }
}
