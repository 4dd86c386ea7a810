import Foundation
import ScnAssets
import ScnGeometry
import ScnScene
import Testing

/// Wavefront OBJ with MTL colours through tinyobjloader (Sources/ScnAssets/README.md).
@Suite struct OBJImporterTests {
  /// A unit cube (y up) in two groups: `top` (one quad, material `red`) and `sides` (five
  /// quads, material `blue`), with a normal per face.
  static let cube = """
    # a unit cube
    mtllib cube.mtl
    v 0 0 0
    v 1 0 0
    v 1 1 0
    v 0 1 0
    v 0 0 1
    v 1 0 1
    v 1 1 1
    v 0 1 1
    vn 0 1 0
    vn 0 -1 0
    vn 1 0 0
    vn -1 0 0
    vn 0 0 1
    vn 0 0 -1
    g top
    usemtl red
    f 4//1 8//1 7//1 3//1
    g sides
    usemtl blue
    f 1//2 2//2 6//2 5//2
    f 2//3 3//3 7//3 6//3
    f 1//4 5//4 8//4 4//4
    f 5//5 6//5 7//5 8//5
    f 1//6 4//6 3//6 2//6

    """
  static let mtl = """
    newmtl red
    Kd 0.8 0.1 0.05
    Ke 0.5 0.25 0
    Ns 250
    newmtl blue
    Kd 0.05 0.1 0.8
    Pr 0.3
    Pm 1

    """

  /// Reads files from disk, counting reads per path.
  final class CountingReader: @unchecked Sendable {
    var reads: [String: Int] = [:]
    var limits: [UInt64] = []
    func read(_ path: String, _ maxBytes: UInt64) throws -> [UInt8] {
      reads[path, default: 0] += 1
      limits.append(maxBytes)
      guard let data = FileManager.default.contents(atPath: path) else { throw CocoaError(.fileNoSuchFile) }
      guard UInt64(data.count) <= maxBytes else { throw CocoaError(.fileReadTooLarge) }
      return [UInt8](data)
    }
  }

  func load(_ obj: String, files: [String: String] = [:], limits: AssetLimits = .standard, up: AssetUpAxis = .y)
    throws -> (ImportedAsset, ImportSummary, CountingReader)
  {
    let folder = try TempFolder()
    defer { folder.cleanup() }
    for (name, text) in files { _ = try folder.write(name, text) }
    let counter = CountingReader()
    let reader = AssetFileReader { try counter.read($0, $1) }
    let (asset, summary) = try OBJImporter.load(
      bytes: Array(obj.utf8), folder: folder.url.path, name: "cube", up: up, limits: limits, files: reader)
    return (asset, summary, counter)
  }

  func close(_ a: Vec3, _ b: Vec3, _ tolerance: Double = 1e-6) -> Bool {
    abs(a.x - b.x) <= tolerance && abs(a.y - b.y) <= tolerance && abs(a.z - b.z) <= tolerance
  }

  @Test func cubeWithMaterials() throws {
    let (asset, summary, counter) = try load(Self.cube, files: ["cube.mtl": Self.mtl])
    #expect(summary.files == ["cube.mtl"])
    #expect(counter.reads.count == 1 && counter.reads.values.allSatisfy { $0 == 1 }, "\(counter.reads)")
    #expect(summary.meshInstances == 2)
    #expect(summary.triangles == 12)
    // Corners merged per (position, normal): 4 per face.
    #expect(summary.vertices == 24)
    #expect(asset.parts.map(\.label) == ["top", "sides"])
    guard asset.parts.count == 2, case .mesh(let top) = asset.parts[0].shape else {
      Issue.record("expected two mesh parts")
      return
    }
    // y up → the scene's z: the top quad lies at scene z = 1 and faces +z.
    #expect(close(top.bounds.lower, Vec3(0, 0, 1)) && close(top.bounds.upper, Vec3(1, 1, 1)), "\(top.bounds)")
    #expect(top.normals?.allSatisfy { close($0, Vec3(0, 0, 1)) } == true)
    let red = asset.parts[0].material, blue = asset.parts[1].material
    func near(_ a: RGB?, _ b: RGB) -> Bool {
      guard let a else { return false }
      return abs(a.red - b.red) < 1e-6 && abs(a.green - b.green) < 1e-6 && abs(a.blue - b.blue) < 1e-6
    }
    #expect(near(red?.baseColour, RGB(0.8, 0.1, 0.05)))
    #expect(near(red?.emissive, RGB(0.5, 0.25, 0)))
    #expect(abs((red?.roughness ?? 0) - (1 - 0.25.squareRoot())) < 1e-9)
    #expect(near(blue?.baseColour, RGB(0.05, 0.1, 0.8)))
    #expect(abs((blue?.roughness ?? 0) - 0.3) < 1e-6)
    #expect(blue?.metallic == 1)
    // Every triangle faces out of the cube (counter-clockwise seen from outside).
    for part in asset.parts {
      guard case .mesh(let m) = part.shape else { continue }
      for t in 0..<m.triangleCount {
        let a = m.vertices[Int(m.indices[3 * t])], b = m.vertices[Int(m.indices[3 * t + 1])]
        let c = m.vertices[Int(m.indices[3 * t + 2])]
        let u = b - a, v = c - a
        let n = Vec3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
        let centre = (a + b + c) / 3 - Vec3(0.5, 0.5, 0.5)
        #expect((n * centre).sum() > 0, "triangle \(t) of \(part.label ?? "") faces in")
      }
    }
  }

  @Test func withoutMaterialsOrNormals() throws {
    let (asset, summary, _) = try load("v 0 0 0\nv 1 0 0\nv 0 1 0\nv 0 0 1\nf 1 2 3\nf 1 3 4\n")
    #expect(summary.triangles == 2)
    #expect(asset.parts.count == 1)
    #expect(asset.parts.first?.material == nil)
    guard case .mesh(let m)? = asset.parts.first?.shape else {
      Issue.record("no mesh")
      return
    }
    #expect(m.normals == nil)
  }

  @Test func negativeIndicesAndPolygons() throws {
    // A pentagon written with relative indices: a fan of three triangles.
    let (_, summary, _) = try load("v 0 0 0\nv 1 0 0\nv 1.5 1 0\nv 0.5 2 0\nv -0.5 1 0\nf -5 -4 -3 -2 -1\n")
    #expect(summary.triangles == 3)
  }

  func refusal(_ obj: String, files: [String: String] = [:], limits: AssetLimits = .standard) -> AssetImportError? {
    do {
      _ = try load(obj, files: files, limits: limits)
      return nil
    } catch let e as AssetImportError {
      return e
    } catch {
      return AssetImportError(kind: .unreadable, message: "\(error)")
    }
  }

  @Test func badFilesAreErrorsNotCrashes() {
    let cases: [(String, [String: String], AssetImportError.Kind, String)] = [
      ("v 0 0 0\nv 1 0 0\nf 1 2 3\n", [:], .malformed, "names vertex 3 of 2"),
      ("v 0 0 0\nv 1 0 0\nv 0 1 0\nvn 0 0 1\nf 1//1 2//2 3//1\n", [:], .malformed, "names normal 2 of 1"),
      ("v 0 0 0\nv 1 0 1e999\nv 0 1 0\nf 1 2 3\n", [:], .malformed, "finite"),
      // tinyobjloader alone reads these as 0 (the vertex would move to the origin).
      ("v 0 0 0\nv nan 0 1\nv 0 1 0\nf 1 2 3\n", [:], .malformed, "line 2: 'nan' is not a finite number"),
      ("v 0 0 0\nv 1 0 0\nv 0 abc 0 # c\nf 1 2 3\n", [:], .malformed, "line 3: 'abc'"),
      ("v 0 0 0\nv 1 0 0\nv 0 1 0\nvn 0 0 0x1p0\nf 1//1 2//1 3//1\n", [:], .malformed, "line 4: '0x1p0'"),
      ("v 0 0 0\nv 1 0 0\nv 0 1 0\nvt 0.5 inf\nf 1 2 3\n", [:], .malformed, "'inf'"),
      ("mtllib m.mtl\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n", ["m.mtl": "newmtl a\nKd 0.5 nan 0.5\n"], .malformed,
       "material file 'm.mtl', line 2: 'nan' is not a finite number"),
      ("# nothing\n", [:], .malformed, "no faces"),
      ("\u{0}\u{1}\u{2}garbage\u{ff}", [:], .malformed, "no faces"),
      ("mtllib ../up.mtl\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n", [:], .pathRefused, "'..'"),
      ("mtllib /etc/passwd\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n", [:], .pathRefused, "absolute"),
      ("mtllib absent.mtl\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n", [:], .unreadable, "does not exist"),
    ]
    for (obj, files, kind, text) in cases {
      let e = refusal(obj, files: files)
      #expect(e?.kind == kind, "\(obj.debugDescription): \(String(describing: e))")
      #expect(e?.message.contains(text) == true, "\(obj.debugDescription): \(String(describing: e))")
    }
  }

  /// The number check reads each token in place: a decimal number is finite as a double up
  /// to DBL_MAX (≈ 1.797 69e308) however it is written, and one that underflows is 0. A
  /// coordinate beyond a float's range passes that check and is refused by the next one.
  @Test func numbersAreCheckedAgainstTheDoubleRangeInPlace() {
    let triangle = { (z: String) in "v 0 0 0\nv 1 0 \(z)\nv 0 1 0\nf 1 2 3\n" }
    for finite in ["1.7976931348623157e308", "179769313486231570e291", "0.00017976931348623157e312", "-1.7976931348623157E+308"] {
      let e = refusal(triangle(finite))
      #expect(e?.message.contains("a vertex coordinate is not a finite number") == true, "\(finite): \(String(describing: e))")
    }
    for infinite in ["1.7976931348623159e308", "1.8e308", "18e307", "0.001e312", "1e999999999999999999999", "-2e308"] {
      let e = refusal(triangle(infinite))
      #expect(e?.message.contains("line 2: '\(infinite)' is not a finite number") == true, "\(infinite): \(String(describing: e))")
    }
    for tiny in ["1e-400", "-0.000001e-320", "123456789e-300"] {
      #expect(refusal(triangle(tiny)) == nil, "\(tiny)")
    }
    // Zero is finite whatever its exponent: the number check lets it through (tinyobjloader
    // may then read 0 × 10^999999 as NaN, which the vertex check refuses).
    for zero in ["0e999999", "0000.0000e400"] {
      let e = refusal(triangle(zero))
      #expect(e?.message.contains("line 2:") != true, "\(zero): \(String(describing: e))")
    }
    // The last token of a file without a final newline is read within the file's bytes.
    #expect(refusal("v 0 0 0\nv 1 0 0\nf 1 2 3\nv 0 1 1.8e308")?.message.contains("line 4: '1.8e308'") == true)
    #expect(refusal("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\nv 0 1 1.5e308")?.message.contains("line 5") != true)
  }

  @Test func limitsAreCheckedBeforeBuilding() {
    var few = AssetLimits.standard
    few.maxTriangles = 11
    #expect(refusal(Self.cube, files: ["cube.mtl": Self.mtl], limits: few)?.kind == .tooLarge)
    var small = AssetLimits.standard
    small.maxFileBytes = 16
    #expect(refusal(Self.cube, files: ["cube.mtl": Self.mtl], limits: small)?.kind == .tooLarge)
    // The MTL is read with the limit: the reader is asked for at most that many bytes.
    var mtlLimit = AssetLimits.standard
    mtlLimit.maxFileBytes = UInt64(Self.cube.utf8.count)
    let e = refusal(Self.cube, files: ["cube.mtl": Self.mtl + String(repeating: "# pad\n", count: 200)], limits: mtlLimit)
    #expect(e?.kind == .unreadable || e?.kind == .tooLarge, "\(String(describing: e))")
  }
}
