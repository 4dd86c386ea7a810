import Foundation
import ScnAssets
import ScnGeometry
import ScnScene
import ScnSensors
import Testing

@Suite struct GLTFImporterTests {
  let fixture = GLTFFixture()

  func close(_ a: Vec3, _ b: Vec3, _ tolerance: Double = 1e-6) -> Bool {
    abs(a.x - b.x) <= tolerance && abs(a.y - b.y) <= tolerance && abs(a.z - b.z) <= tolerance
  }

  /// The fixture's scene in scene axes: the scaled cube at glTF (1, 2, 3) and the turned one
  /// at glTF x = 10, glTF (x, y, z) → scene (z, x, y).
  func checkFixture(_ asset: ImportedAsset, _ summary: ImportSummary) {
    #expect(summary.meshInstances == 2)
    #expect(summary.triangles == 24)
    #expect(summary.vertices == 24)
    #expect(summary.materials == 1)
    #expect(summary.textures == 0)
    #expect(asset.parts.map(\.label) == ["cube", "turned"])
    #expect(close(asset.bounds.lower, Vec3(-0.5, 0, -0.5)))
    #expect(close(asset.bounds.upper, Vec3(4, 10.5, 3)))
    guard asset.parts.count == 2, case .mesh(let cube) = asset.parts[0].shape, case .mesh(let turned) = asset.parts[1].shape
    else {
      Issue.record("expected two mesh parts")
      return
    }
    // The scaled cube: glTF [0, 2] × [1, 3] × [2, 4].
    #expect(close(cube.bounds.lower, Vec3(2, 0, 1)))
    #expect(close(cube.bounds.upper, Vec3(4, 2, 3)))
    #expect(cube.triangleCount == 12)
    // Face normals: the first face is glTF +x, the scene's +y; turned 90° about glTF y it
    // faces glTF −z, the scene's −x. Normals stay unit length under the node's scale.
    #expect(close(cube.normals?[0] ?? .zero, Vec3(0, 1, 0)))
    #expect(close(turned.normals?[0] ?? .zero, Vec3(-1, 0, 0)))
    let material = asset.parts[0].material
    #expect(material?.baseColour == RGB(0.8, 0.1, 0.05))
    #expect(material?.metallic == 0.25)
    #expect(material?.roughness == 0.75)
    #expect(material?.emissive == RGB(0.5, 0.25, 0))
  }

  @Test func externalBuffer() throws {
    let folder = try TempFolder()
    defer { folder.cleanup() }
    _ = try folder.write("data/cube.bin", fixture.buffer)
    let path = try folder.write("cube.gltf", fixture.json(bufferURI: "data/cube.bin"))
    let (asset, summary) = try GLTFImporter.load(path: path, name: "cube")
    checkFixture(asset, summary)
    #expect(asset.name == "cube")
    #expect(summary.files == ["data/cube.bin"])
  }

  @Test func embeddedDataURI() throws {
    let folder = try TempFolder()
    defer { folder.cleanup() }
    let uri = "data:application/octet-stream;base64," + fixture.buffer.base64EncodedString()
    let path = try folder.write("cube.gltf", fixture.json(bufferURI: uri))
    let (asset, summary) = try GLTFImporter.load(path: path, name: "cube")
    checkFixture(asset, summary)
  }

  @Test func binaryGLB() throws {
    let folder = try TempFolder()
    defer { folder.cleanup() }
    let path = try folder.write("cube.glb", fixture.glb())
    let (asset, summary) = try GLTFImporter.load(path: path, name: "cube")
    checkFixture(asset, summary)
  }

  @Test func scaleAndZUp() throws {
    let folder = try TempFolder()
    defer { folder.cleanup() }
    let path = try folder.write("cube.glb", fixture.glb())
    let (asset, _) = try GLTFImporter.load(path: path, name: "cube", scale: 0.5, up: .z)
    // As written (glTF x [0, 10.5], y [-0.5, 3], z [-0.5, 4]) times 0.5.
    #expect(close(asset.bounds.lower, Vec3(0, -0.25, -0.25)))
    #expect(close(asset.bounds.upper, Vec3(5.25, 1.5, 2)))
  }

  @Test func nodeMatrixAndMirroring() throws {
    let folder = try TempFolder()
    defer { folder.cleanup() }
    // A column-major matrix mirroring glTF x and translating by (0, 5, 0).
    let nodes = """
      [{"name": "mirrored", "mesh": 0, "matrix": [-1,0,0,0, 0,1,0,0, 0,0,1,0, 0,5,0,1]}]
      """
    let json = fixture.json(bufferURI: "cube.bin", nodes: nodes).replacingOccurrences(of: "[0, 2]", with: "[0]")
    _ = try folder.write("cube.bin", fixture.buffer)
    let path = try folder.write("m.gltf", json)
    let (asset, _) = try GLTFImporter.load(path: path, name: "m")
    guard case .mesh(let m)? = asset.parts.first?.shape else {
      Issue.record("no mesh")
      return
    }
    #expect(close(m.bounds.lower, Vec3(-0.5, -0.5, 4.5)))
    #expect(close(m.bounds.upper, Vec3(0.5, 0.5, 5.5)))
    // Every triangle's winding still agrees with its normal (outward, counter-clockwise).
    for t in 0..<m.triangleCount {
      let a = m.vertices[Int(m.indices[3 * t])], b = m.vertices[Int(m.indices[3 * t + 1])], c = m.vertices[Int(m.indices[3 * t + 2])]
      let e1 = b - a, e2 = c - a
      let n = Vec3(e1.y * e2.z - e1.z * e2.y, e1.z * e2.x - e1.x * e2.z, e1.x * e2.y - e1.y * e2.x)
      let vertexNormal = m.normals?[Int(m.indices[3 * t])] ?? .zero
      #expect((n * vertexNormal).sum() > 0, "triangle \(t) winds against its normal")
    }
  }

  // MARK: Paths

  func refused(_ uri: String, in folder: TempFolder) throws -> AssetImportError? {
    let path = try folder.write("asset/cube.gltf", fixture.json(bufferURI: uri))
    do {
      _ = try GLTFImporter.load(path: path, name: "x")
      return nil
    } catch {
      return error
    }
  }

  @Test func parentPathRefused() throws {
    let folder = try TempFolder()
    defer { folder.cleanup() }
    _ = try folder.write("cube.bin", fixture.buffer)  // exists, one level up
    let error = try refused("../cube.bin", in: folder)
    #expect(error?.kind == .pathRefused)
    #expect(error?.message.contains("'..'") == true)
    let inner = try refused("sub/../../cube.bin", in: folder)
    #expect(inner?.kind == .pathRefused)
  }

  @Test func absolutePathRefused() throws {
    let folder = try TempFolder()
    defer { folder.cleanup() }
    let binary = try folder.write("cube.bin", fixture.buffer)
    let error = try refused(binary, in: folder)
    #expect(error?.kind == .pathRefused)
    let scheme = try refused("file:///etc/passwd", in: folder)
    #expect(scheme?.kind == .pathRefused)
  }

  @Test func symlinkEscapeRefused() throws {
    let folder = try TempFolder()
    defer { folder.cleanup() }
    let outside = try folder.write("cube.bin", fixture.buffer)
    try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("asset"), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: folder.url.appendingPathComponent("asset/link.bin").path, withDestinationPath: outside)
    let error = try refused("link.bin", in: folder)
    #expect(error?.kind == .pathRefused)
    #expect(error?.message.contains("symbolic link") == true)
  }

  @Test func missingBuffer() throws {
    let folder = try TempFolder()
    defer { folder.cleanup() }
    let error = try refused("absent.bin", in: folder)
    #expect(error?.kind == .unreadable)
  }

  // MARK: Malformed and oversized input

  func failure(_ name: String, _ data: Data, limits: AssetLimits = .standard) throws -> AssetImportError? {
    let folder = try TempFolder()
    defer { folder.cleanup() }
    _ = try folder.write("cube.bin", fixture.buffer)
    let path = try folder.write(name, data)
    do {
      _ = try GLTFImporter.load(path: path, name: "x", limits: limits)
      return nil
    } catch {
      return error
    }
  }

  @Test func notAWholeNumberOfTriangles() throws {
    let error = try failure("a.gltf", Data(fixture.json(bufferURI: "cube.bin", indexCount: 35).utf8))
    #expect(error?.kind == .malformed)
    #expect(error?.pointer == "/meshes/0/primitives/0")
  }

  @Test func accessorPastItsBufferView() throws {
    let error = try failure("a.gltf", Data(fixture.json(bufferURI: "cube.bin", indexCount: 72).utf8))
    #expect(error?.kind == .malformed)
    #expect(error?.pointer == "/accessors/2/count")
  }

  @Test func nodeCycle() throws {
    let nodes = """
      [{"name": "a", "children": [1]}, {"name": "b", "children": [0], "mesh": 0}, {"name": "c"}]
      """
    let error = try failure("a.gltf", Data(fixture.json(bufferURI: "cube.bin", nodes: nodes).utf8))
    #expect(error?.kind == .malformed)
    #expect(error?.pointer == "/nodes/0")
  }

  @Test func indexOutOfRange() throws {
    var bad = fixture
    bad.indices[5] = 200
    let folder = try TempFolder()
    defer { folder.cleanup() }
    _ = try folder.write("cube.bin", bad.buffer)
    let path = try folder.write("a.gltf", bad.json(bufferURI: "cube.bin"))
    #expect(throws: AssetImportError.self) { try GLTFImporter.load(path: path, name: "x") }
    do {
      _ = try GLTFImporter.load(path: path, name: "x")
    } catch {
      #expect(error.pointer == "/accessors/2")
      #expect(error.message.contains("out of range"))
    }
  }

  @Test func notJSON() throws {
    let error = try failure("a.gltf", Data("{\"asset\": {\"version\": \"2.0\"".utf8))
    #expect(error?.kind == .malformed)
  }

  @Test func wrongVersion() throws {
    let json = fixture.json(bufferURI: "cube.bin").replacingOccurrences(of: "\"2.0\"", with: "\"1.0\"")
    let error = try failure("a.gltf", Data(json.utf8))
    #expect(error?.kind == .malformed)
  }

  @Test func requiredExtension() throws {
    let error = try failure(
      "a.gltf", Data(fixture.json(bufferURI: "cube.bin", extra: ", \"extensionsRequired\": [\"KHR_draco_mesh_compression\"], \"extensionsUsed\": [\"KHR_draco_mesh_compression\"]").utf8))
    #expect(error?.kind == .malformed)
    #expect(error?.pointer == "/extensionsRequired")
  }

  /// Every prefix of a valid .glb is refused with an error, never a crash.
  @Test func truncatedGLB() throws {
    let glb = fixture.glb()
    for length in stride(from: 0, to: glb.count, by: 7) {
      let error = try failure("t.glb", glb.prefix(length))
      #expect(error != nil, "prefix of \(length) bytes was accepted")
    }
  }

  /// Flipping any byte of the .glb's binary header or JSON chunk gives a result or an
  /// error, never a crash.
  @Test func corruptedGLB() throws {
    let glb = fixture.glb()
    for offset in stride(from: 0, to: Swift.min(glb.count, 400), by: 3) {
      var bad = glb
      bad[offset] ^= 0x5A
      _ = try failure("c.glb", bad)
    }
  }

  @Test func limits() throws {
    let json = Data(fixture.json(bufferURI: "cube.bin").utf8)
    let triangles = try failure(
      "a.gltf", json, limits: AssetLimits(maxFileBytes: 1 << 20, maxVertices: 1000, maxTriangles: 10, maxInstances: 10))
    #expect(triangles?.kind == .tooLarge)
    let vertices = try failure(
      "a.gltf", json, limits: AssetLimits(maxFileBytes: 1 << 20, maxVertices: 10, maxTriangles: 100, maxInstances: 10))
    #expect(vertices?.kind == .tooLarge)
    let instances = try failure(
      "a.gltf", json, limits: AssetLimits(maxFileBytes: 1 << 20, maxVertices: 100, maxTriangles: 100, maxInstances: 1))
    #expect(instances?.kind == .tooLarge)
    let bytes = try failure(
      "a.gltf", json, limits: AssetLimits(maxFileBytes: 100, maxVertices: 100, maxTriangles: 100, maxInstances: 10))
    #expect(bytes?.kind == .tooLarge)
    #expect(AssetLimits.standard.maxTriangles == UInt64(MeshLimits.maxTrianglesPerMesh))
  }

  // MARK: As an actor's shape

  @Test func fitsTheSizeBox() throws {
    let folder = try TempFolder()
    defer { folder.cleanup() }
    let path = try folder.write("cube.glb", fixture.glb())
    let (asset, _) = try GLTFImporter.load(path: path, name: "cube")
    let size = Vec3(2, 3, 1)
    let parts = ActorShapes.parts(ShapeRequest(kind: "asset", size: size, asset: asset))
    #expect(parts.count == 2)
    var box: AABB?
    for p in parts {
      guard case .mesh(let m) = p.shape else { continue }
      for v in m.vertices {
        let w = p.transform.apply(toPoint: v)
        box = box.map { $0.union(w) } ?? AABB(lower: w, upper: w)
      }
    }
    // Bounds 4.5 × 10.5 × 3.5 scaled by min(2 / 4.5, 3 / 10.5, 1 / 3.5) = 2 / 7.
    let s = 2.0 / 7.0
    #expect(close(box?.lower ?? .zero, Vec3(-4.5 * s / 2, -10.5 * s / 2, 0)))
    #expect(close(box?.upper ?? .zero, Vec3(4.5 * s / 2, 10.5 * s / 2, 3.5 * s)))
    #expect(parts[0].material?.baseColour == RGB(0.8, 0.1, 0.05))
    #expect(parts.map(\.label) == ["cube", "turned"])
  }
}
