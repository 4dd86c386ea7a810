import Foundation
import ScnAssets
import ScnGeometry
import ScnScene
import ScnSensors
import Testing

/// Texture coordinates and base-colour images of imported assets (docs/assets.md,
/// "Textures"): read, decoded, carried by ray hits and drawn by the camera.
@Suite struct TextureTests {
  func near(_ a: SIMD2<Double>?, _ b: SIMD2<Double>, _ tolerance: Double = 1e-6) -> Bool {
    guard let a else { return false }
    return abs(a.x - b.x) <= tolerance && abs(a.y - b.y) <= tolerance
  }

  func near(_ a: SIMD3<Double>, _ b: SIMD3<Double>, _ tolerance: Double = 1e-3) -> Bool {
    abs(a.x - b.x) <= tolerance && abs(a.y - b.y) <= tolerance && abs(a.z - b.z) <= tolerance
  }

  /// Imports `gltf` (with `files` beside it) from a temporary folder.
  func load(_ gltf: String, files: [String: Data] = [:], limits: AssetLimits = .standard)
    throws(AssetImportError) -> (ImportedAsset, ImportSummary)
  {
    let folder: TempFolder
    do {
      folder = try TempFolder()
      for (name, data) in files { _ = try folder.write(name, data) }
    } catch { throw AssetImportError(kind: .unreadable, message: "\(error)") }
    defer { folder.cleanup() }
    let reader = AssetFileReader { path, maxBytes in
      guard let data = FileManager.default.contents(atPath: path), UInt64(data.count) <= maxBytes else {
        throw CocoaError(.fileReadUnknown)
      }
      return [UInt8](data)
    }
    return try GLTFImporter.load(
      bytes: Array(gltf.utf8), folder: folder.url.path, name: "quad", limits: limits, files: reader)
  }

  func failure(_ gltf: String, files: [String: Data] = [:], limits: AssetLimits = .standard) -> AssetImportError? {
    do {
      _ = try load(gltf, files: files, limits: limits)
      return nil
    } catch { return error }
  }

  // MARK: Texture coordinates

  @Test func gltfTexcoordsReachTheMesh() throws {
    let (asset, summary) = try load(TexturedQuad.gltf(image: .uri("checker.png")), files: ["checker.png": try TexturedQuad.png()])
    #expect(summary.textures == 1)
    #expect(summary.files == ["checker.png"])
    guard case .mesh(let mesh) = asset.parts.first?.shape else {
      Issue.record("no mesh part")
      return
    }
    #expect(mesh.uvs == [SIMD2(0, 1), SIMD2(1, 1), SIMD2(1, 0), SIMD2(0, 0)])
    // Fitting the asset to an actor's size box keeps them.
    let parts = ActorShapes.parts(ShapeRequest(kind: "asset", size: Vec3(0.1, 2, 2), asset: asset))
    guard case .mesh(let fitted) = parts.first?.shape else {
      Issue.record("no fitted mesh part")
      return
    }
    #expect(fitted.uvs == mesh.uvs)
    let texture = try #require(parts.first?.material?.baseColourTexture)
    #expect(texture.width == 2 && texture.height == 2)
    #expect(texture.wrapU == .repeating && texture.wrapV == .repeating && texture.filter == .bilinear)
  }

  /// A mesh without TEXCOORD_0 has none; a textured material on it is an error.
  @Test func texturedMaterialNeedsTexcoords() throws {
    let error = failure(
      TexturedQuad.gltf(image: .uri("checker.png"), texcoords: false), files: ["checker.png": try TexturedQuad.png()])
    #expect(error?.kind == .noTextureCoordinates, "\(String(describing: error))")
    #expect(error?.pointer == "/nodes/0/mesh")
  }

  /// The sign of textured.gltf: a 2 m quad facing the scene's +x once imported, fitted to a
  /// 0.1 × 2 × 2 m box, standing at x = 4 m turned to face the origin (so the texture's left
  /// edge, u = 0, is on the world's +y side and its top, v = 0, at z = 2 m).
  func sign(_ asset: ImportedAsset) -> SceneObject {
    SceneObject(
      instanceID: 5, semanticClass: 4, className: "sign", material: .neutral,
      parts: ActorShapes.parts(ShapeRequest(kind: "asset", size: Vec3(0.1, 2, 2), asset: asset)),
      transform: Transform(position: Vec3(4, 0, 0), yaw: .pi))
  }

  /// A ray hit on a mesh carries the triangle, its barycentric weights and the interpolated
  /// texture coordinates; a hit on a box carries none.
  @Test func hitsCarryTriangleBarycentricsAndUV() throws {
    let (asset, _) = try load(TexturedQuad.gltf(image: .uri("checker.png")), files: ["checker.png": try TexturedQuad.png()])
    let box = SceneObject.box(
      instanceID: 6, semanticClass: 4, className: "box", baseColour: RGB(0.5, 0.5, 0.5), size: Vec3(1, 1, 1),
      transform: Transform(translation: Vec3(0, 5, 0)))
    let intersector = try SceneIntersector(scene: RenderScene(objects: [sign(asset), box]))
    for (y, z, uv) in [(0.5, 1.5, SIMD2(0.25, 0.25)), (-0.5, 0.5, SIMD2(0.75, 0.75)), (0.9, 0.2, SIMD2(0.05, 0.9))] {
      let hit = try #require(intersector.closestHit(origin: Vec3(0, y, z), direction: Vec3(1, 0, 0)))
      #expect(abs(hit.t - 4) < 1e-9)
      #expect(near(hit.uv, uv), "at y \(y), z \(z): \(String(describing: hit.uv))")
      #expect(hit.triangle == 0 || hit.triangle == 1)
      let b = hit.barycentric
      #expect(b.x >= 0 && b.y >= 0 && b.x + b.y <= 1 + 1e-12)
    }
    let onBox = try #require(intersector.closestHit(origin: Vec3(0, 5, 0.5), direction: Vec3(1, 0, 0)))
    #expect(onBox.triangle == -1 && onBox.uv == nil)
  }

  // MARK: Sampling

  func checkerTexture(_ wrap: TextureImage.Wrap, _ filter: TextureImage.Filter) throws -> TextureImage {
    let pixels = try #require(
      TexturedQuad.checker.withUnsafeBufferPointer { TexturePixels(width: 2, height: 2, srgb: $0) })
    return TextureImage(pixels, wrapU: wrap, wrapV: wrap, filter: filter)
  }

  static let red = SIMD3<Double>(1, 0, 0), green = SIMD3<Double>(0, 1, 0)
  static let blue = SIMD3<Double>(0, 0, 1), white = SIMD3<Double>(1, 1, 1)

  @Test func wrapModes() throws {
    let repeating = try checkerTexture(.repeating, .nearest)
    let clamp = try checkerTexture(.clamp, .nearest)
    let mirrored = try checkerTexture(.mirrored, .nearest)
    // Inside 0…1 all agree: the quadrants.
    for t in [repeating, clamp, mirrored] {
      #expect(near(t.sample(SIMD2(0.25, 0.25)), Self.red))
      #expect(near(t.sample(SIMD2(0.75, 0.25)), Self.green))
      #expect(near(t.sample(SIMD2(0.25, 0.75)), Self.blue))
      #expect(near(t.sample(SIMD2(0.75, 0.75)), Self.white))
    }
    // u = 1.75 and −0.25 on the top row.
    #expect(near(repeating.sample(SIMD2(1.75, 0.25)), Self.green))
    #expect(near(repeating.sample(SIMD2(-0.25, 0.25)), Self.green))
    #expect(near(clamp.sample(SIMD2(1.75, 0.25)), Self.green))
    #expect(near(clamp.sample(SIMD2(-0.25, 0.25)), Self.red))
    #expect(near(mirrored.sample(SIMD2(1.75, 0.25)), Self.red))
    #expect(near(mirrored.sample(SIMD2(-0.25, 0.25)), Self.red))
    #expect(near(mirrored.sample(SIMD2(2.25, 0.25)), Self.red))
    // v likewise: 1.25 repeats to the top row, mirrors to the bottom one.
    #expect(near(repeating.sample(SIMD2(0.25, 1.25)), Self.red))
    #expect(near(mirrored.sample(SIMD2(0.25, 1.25)), Self.blue))
    // Far and non-finite coordinates read a texel, never trap.
    for t in [repeating, clamp, mirrored] {
      for c in [1e300, -1e300, Double.infinity, Double.nan] {
        let s = t.sample(SIMD2(c, c))
        #expect(s.x.isFinite && s.y.isFinite && s.z.isFinite)
      }
    }
  }

  @Test func bilinearFilterAndLinearValues() throws {
    let t = try checkerTexture(.clamp, .bilinear)
    // Texel centres read exactly; halfway between red and green is their linear mean.
    #expect(near(t.sample(SIMD2(0.25, 0.25)), Self.red))
    #expect(near(t.sample(SIMD2(0.5, 0.25)), SIMD3(0.5, 0.5, 0)))
    #expect(near(t.sample(SIMD2(0.5, 0.5)), SIMD3(0.5, 0.5, 0.5)))
    // Clamped: past the edge the edge texels hold.
    #expect(near(t.sample(SIMD2(0.05, 0.25)), Self.red))
    // sRGB 128 is linear 0.2158 (IEC 61966-2-1), converted once at load.
    let grey = try #require([UInt8](repeating: 128, count: 3).withUnsafeBufferPointer { TexturePixels(width: 1, height: 1, srgb: $0) })
    let g = TextureImage(grey).sample(SIMD2(0.5, 0.5))
    #expect(abs(g.x - 0.21586) < 1e-4, "\(g)")
  }

  @Test func samplerIsRead() throws {
    let sampler = "{\"magFilter\": 9728, \"minFilter\": 9728, \"wrapS\": 33648, \"wrapT\": 33071}"
    let (asset, _) = try load(
      TexturedQuad.gltf(image: .uri("checker.png"), sampler: sampler), files: ["checker.png": try TexturedQuad.png()])
    let texture = try #require(asset.parts.first?.material?.baseColourTexture)
    #expect(texture.wrapU == .mirrored && texture.wrapV == .clamp && texture.filter == .nearest)
  }

  // MARK: Drawn by the camera

  /// Renders the sign through a 64 × 48 camera at (0, 0, 1) looking along +x and returns the
  /// colour at the four quadrants' centres (top-left, top-right, bottom-left, bottom-right).
  func quadrants(_ asset: ImportedAsset) throws -> [SIMD3<Double>] {
    let intersector = try SceneIntersector(scene: RenderScene(objects: [sign(asset)]))
    let camera = try Camera(
      width: 64, height: 48, horizontalFOV: 60 * .pi / 180, pose: Transform(position: Vec3(0, 0, 1), yaw: 0))
    let frame = try intersector.render(camera, options: CameraRenderOptions(shadows: false))
    // The sign spans about columns 18…46 and rows 10…38.
    return [(25, 17), (39, 17), (25, 31), (39, 31)].map { x, y in
      let i = y * 64 + x
      #expect(frame.instance[i] == 5, "pixel (\(x), \(y)) is not on the sign")
      return SIMD3(Double(frame.rgb[3 * i]), Double(frame.rgb[3 * i + 1]), Double(frame.rgb[3 * i + 2]))
    }
  }

  func expectChecker(_ q: [SIMD3<Double>], _ context: String) {
    let (red, green, blue, white) = (q[0], q[1], q[2], q[3])
    #expect(red.x > 2 * red.y + 20 && red.x > 2 * red.z + 20, "\(context) red quadrant \(red)")
    #expect(green.y > 2 * green.x + 20 && green.y > 2 * green.z + 20, "\(context) green quadrant \(green)")
    #expect(blue.z > 2 * blue.x + 20 && blue.z > 2 * blue.y + 20, "\(context) blue quadrant \(blue)")
    #expect(white.min() > 0.8 * white.max() && white.min() > red.y + 40, "\(context) white quadrant \(white)")
  }

  @Test func checkerPNGQuadrantsAreDrawn() throws {
    // External file, nearest sampling.
    let sampler = "{\"magFilter\": 9728}"
    let (external, _) = try load(
      TexturedQuad.gltf(image: .uri("checker.png"), sampler: sampler), files: ["checker.png": try TexturedQuad.png()])
    expectChecker(try quadrants(external), "external PNG")
    // Embedded in the buffer (a bufferView), bilinear: texel centres fall on the quadrant
    // centres of a 2 × 2 image.
    let (embedded, summary) = try load(TexturedQuad.gltf(image: .bufferView(try TexturedQuad.png(), mime: "image/png")))
    #expect(summary.textures == 1 && summary.files.isEmpty)
    expectChecker(try quadrants(embedded), "embedded PNG")
  }

  @Test func checkerJPEGQuadrantsAreDrawn() throws {
    let jpeg = TexturedQuad.jpeg()
    try #require(jpeg.count > 100)
    let uri = "data:image/jpeg;base64,\(jpeg.base64EncodedString())"
    let (asset, _) = try load(TexturedQuad.gltf(image: .uri(uri)))
    expectChecker(try quadrants(asset), "JPEG")
  }

  /// baseColorFactor multiplies the image: half the factor, a darker white quadrant.
  @Test func factorMultipliesTheImage() throws {
    let png = try TexturedQuad.png()
    let (full, _) = try load(TexturedQuad.gltf(image: .bufferView(png, mime: "image/png")))
    let (half, _) = try load(TexturedQuad.gltf(image: .bufferView(png, mime: "image/png"), factor: "[0.25, 0.25, 0.25, 1]"))
    #expect(half.parts.first?.material?.baseColour == RGB(0.25, 0.25, 0.25))
    let a = try quadrants(full)[3], b = try quadrants(half)[3]
    #expect(b.x < 0.8 * a.x && b.y < 0.8 * a.y && b.z < 0.8 * a.z, "full \(a), quarter \(b)")
  }

  // MARK: Bad images

  @Test func corruptImagesAreErrors() throws {
    var png = [UInt8](try TexturedQuad.png())
    png = Array(png.prefix(png.count - 20))  // cut inside the pixel data
    let corruptPNG = failure(TexturedQuad.gltf(image: .uri("checker.png")), files: ["checker.png": Data(png)])
    #expect(corruptPNG?.kind == .imageCorrupt, "\(String(describing: corruptPNG))")
    #expect(corruptPNG?.pointer == "/images/0")
    #expect(corruptPNG?.message.contains("'checker.png'") == true)

    let jpeg = [UInt8](TexturedQuad.jpeg())
    let truncated = Data(jpeg.prefix(jpeg.count / 2))
    let corruptJPEG = failure(TexturedQuad.gltf(image: .bufferView(truncated, mime: "image/jpeg")))
    #expect(corruptJPEG?.kind == .imageCorrupt, "\(String(describing: corruptJPEG))")
    #expect(corruptJPEG?.message.contains("JPEG") == true)

    // A few bytes of each with the right signature, and garbage.
    for bytes in [[0xFF, 0xD8, 0xFF, 0x00], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0]] as [[UInt8]] {
      let e = failure(TexturedQuad.gltf(image: .bufferView(Data(bytes), mime: "image/png")))
      #expect(e?.kind == .imageCorrupt, "\(String(describing: e))")
    }
    let gif = failure(TexturedQuad.gltf(image: .bufferView(Data("GIF89a\u{2}\0\u{2}\0".utf8), mime: "image/gif")))
    #expect(gif?.kind == .imageUnsupported, "\(String(describing: gif))")
  }

  @Test func oversizeImagesAreRefusedBeforeDecoding() throws {
    let png = try TexturedQuad.png()
    var limits = AssetLimits.standard
    limits.maxTexturePixels = 3
    let perImage = failure(TexturedQuad.gltf(image: .bufferView(png, mime: "image/png")), limits: limits)
    #expect(perImage?.kind == .imageTooLarge, "\(String(describing: perImage))")
    #expect(perImage?.message.contains("2 × 2") == true)
    limits = .standard
    limits.maxTextureSide = 8
    let side = failure(TexturedQuad.gltf(image: .uri("data:image/jpeg;base64,\(TexturedQuad.jpeg().base64EncodedString())")), limits: limits)
    #expect(side?.kind == .imageTooLarge, "\(String(describing: side))")
    #expect(side?.message.contains("16 × 16") == true)
  }

  // MARK: OBJ

  @Test func objVtAndMapKd() throws {
    let obj = """
      mtllib sign.mtl
      v -1 -1 0
      v 1 -1 0
      v 1 1 0
      v -1 1 0
      vt 0 0
      vt 1 0
      vt 1 1
      vt 0 1
      usemtl checker
      f 1/1 2/2 3/3 4/4

      """
    let mtl = "newmtl checker\nKd 1 1 1\nmap_Kd -clamp on checker.png\n"
    let folder = try TempFolder()
    defer { folder.cleanup() }
    _ = try folder.write("sign.mtl", mtl)
    _ = try folder.write("checker.png", try TexturedQuad.png())
    var read: [String] = []
    let reader = AssetFileReader { path, _ in
      read.append((path as NSString).lastPathComponent)
      return [UInt8](FileManager.default.contents(atPath: path) ?? Data())
    }
    let (asset, summary) = try OBJImporter.load(bytes: Array(obj.utf8), folder: folder.url.path, name: "sign", files: reader)
    #expect(summary.files == ["sign.mtl", "checker.png"])
    #expect(read == ["sign.mtl", "checker.png"])
    #expect(summary.textures == 1)
    guard case .mesh(let mesh) = asset.parts.first?.shape else {
      Issue.record("no mesh")
      return
    }
    // OBJ's v grows upwards: flipped to the scene model's (glTF's) convention.
    #expect(mesh.uvs == [SIMD2(0, 1), SIMD2(1, 1), SIMD2(1, 0), SIMD2(0, 0)])
    let texture = try #require(asset.parts.first?.material?.baseColourTexture)
    #expect(texture.wrapU == .clamp && texture.wrapV == .clamp)
    expectChecker(try quadrants(asset), "OBJ")

    // Without map_Kd the coordinates are not kept (nothing would read them).
    _ = try folder.write("sign.mtl", "newmtl checker\nKd 1 1 1\n")
    let (plain, _) = try OBJImporter.load(
      bytes: Array(obj.utf8), folder: folder.url.path, name: "sign", files: AssetFileReader { p, _ in
        [UInt8](FileManager.default.contents(atPath: p) ?? Data())
      })
    guard case .mesh(let untextured) = plain.parts.first?.shape else {
      Issue.record("no mesh")
      return
    }
    #expect(untextured.uvs == nil)
    _ = try folder.write("sign.mtl", mtl)

    // A face without vt under a textured material.
    let bare = obj.replacingOccurrences(of: "f 1/1 2/2 3/3 4/4", with: "f 1 2 3 4")
    do {
      _ = try OBJImporter.load(
        bytes: Array(bare.utf8), folder: folder.url.path, name: "sign", files: AssetFileReader { p, _ in
          [UInt8](FileManager.default.contents(atPath: p) ?? Data())
        })
      Issue.record("a textured face without vt was accepted")
    } catch { #expect(error.kind == .noTextureCoordinates, "\(error)") }

    // A map_Kd that leaves the folder.
    let escaping = "newmtl checker\nKd 1 1 1\nmap_Kd ../checker.png\n"
    _ = try folder.write("sign.mtl", escaping)
    do {
      _ = try OBJImporter.load(
        bytes: Array(obj.utf8), folder: folder.url.path, name: "sign", files: AssetFileReader { p, _ in
          [UInt8](FileManager.default.contents(atPath: p) ?? Data())
        })
      Issue.record("a map_Kd leaving the folder was accepted")
    } catch { #expect(error.kind == .pathRefused, "\(error)") }
  }
}
