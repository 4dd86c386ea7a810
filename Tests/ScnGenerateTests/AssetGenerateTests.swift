import Foundation
import ScnAssets
import ScnData
import ScnDataset
import ScnDriver
import ScnEncoding
import ScnSensors
import ScnTestSupport
import Testing

/// Imported glTF assets end to end (docs/assets.md): drawn, labelled and credited.
@Suite struct AssetGenerateTests {
  static let folder = Paths.repository.appendingPathComponent("Tests/Fixtures/gltf")

  /// `scn` run from the repository root, so diagnostics name repository-relative paths.
  static func runInRepository(_ arguments: [String]) throws -> SCNResult {
    let process = Process()
    process.executableURL = SCNProcess.binary
    process.arguments = arguments
    process.environment = SCNProcess.environment([:])
    process.currentDirectoryURL = Paths.repository
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return SCNResult(
      status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
  }

  /// The crate (crate.gltf: a unit cube under a translated, scaled and turned node, fitted
  /// to a 1 m size box) is labelled exactly like a plain 1 m box at the mirror-image pose:
  /// same COCO box size, mirrored position, same mask area; and it is drawn in its glTF
  /// material's red.
  @Test func importedCrateIsLabelledLikeItsBox() throws {
    let out = Paths.temporary("crates")
    defer { try? FileManager.default.removeItem(at: out) }
    let run = try Self.runInRepository([
      "generate", "Tests/Fixtures/gltf/crates.scn", "--count", "1", "--seed", "3", "--out", out.path,
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let coco = try JSONValue.parse(bytes: Array(Data(contentsOf: out.appendingPathComponent("annotations/coco_camera.json"))))
    var category: [Int: String] = [:]
    for c in coco["categories"]?.arrayValue ?? [] {
      if let id = c["id"]?.intValue, let name = c["name"]?.stringValue { category[id] = name }
    }
    var boxes: [String: [Double]] = [:], areas: [String: Double] = [:], ids: [String: Int] = [:]
    for a in coco["annotations"]?.arrayValue ?? [] {
      guard let c = a["category_id"]?.intValue, let name = category[c] else { continue }
      boxes[name] = (a["bbox"]?.arrayValue ?? []).compactMap(\.doubleValue)
      areas[name] = a["area"]?.doubleValue
      ids[name] = a["instance_id"]?.intValue
    }
    let crate = try #require(boxes["crate"]), box = try #require(boxes["box"])
    try #require(crate.count == 4 && box.count == 4)
    let width = 160.0
    #expect(abs(crate[2] - box[2]) <= 1, "widths \(crate[2]) vs \(box[2])")
    #expect(abs(crate[3] - box[3]) <= 1, "heights \(crate[3]) vs \(box[3])")
    #expect(abs(crate[1] - box[1]) <= 1, "tops \(crate[1]) vs \(box[1])")
    #expect(abs((crate[0] + crate[2]) - (width - box[0])) <= 1, "crate \(crate) is not the mirror image of box \(box)")
    let crateArea = try #require(areas["crate"]), boxArea = try #require(areas["box"])
    #expect(abs(crateArea - boxArea) <= 0.03 * boxArea, "mask areas \(crateArea) vs \(boxArea)")

    // Drawn in the material's base colour (linear 0.8, 0.05, 0.02): red over green.
    let rgb = try PNGImage(decoding: Array(Data(contentsOf: out.appendingPathComponent("images/camera/000000_0000.png"))))
    let instance = try PNGImage(
      decoding: Array(Data(contentsOf: out.appendingPathComponent("instance/camera/000000_0000.png"))))
    let crateID = try #require(ids["crate"])
    var red = 0.0, green = 0.0, n = 0.0
    for p in 0..<(instance.width * instance.height) where Int(instance.samples[p]) == crateID {
      red += Double(rgb.samples[3 * p])
      green += Double(rgb.samples[3 * p + 1])
      n += 1
    }
    #expect(n > 100)
    #expect(red > 2 * green + 10, "crate mean red \(red / n), green \(green / n)")

    let verify = try SCNProcess.run(["verify", "--labels", out.path])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
  }

  /// The card's Assets table, Croissant's `isBasedOn` and the manifest's inputs name the
  /// asset with its hash; the buffer it names is an input too.
  @Test func cardCreditsTheAsset() throws {
    let out = Paths.temporary("crates-card")
    defer { try? FileManager.default.removeItem(at: out) }
    let run = try Self.runInRepository([
      "generate", "Tests/Fixtures/gltf/crates.scn", "--count", "1", "--out", out.path,
    ])
    try #require(run.status == 0, "\(run.stderr)")
    let gltfHash = SHA256Hex.of(Array(try Data(contentsOf: Self.folder.appendingPathComponent("crate.gltf"))))
    let binHash = SHA256Hex.of(Array(try Data(contentsOf: Self.folder.appendingPathComponent("crate.bin"))))
    let card = String(decoding: try Data(contentsOf: out.appendingPathComponent("README.md")), as: UTF8.self)
    #expect(card.contains("## Assets"))
    #expect(
      card.contains(
        "| `crate` | `crate.gltf` | `\(gltfHash)` | CC0-1.0 | scn test fixture (Tests/Fixtures/gltf/NOTICE.md) | `crate` |"),
      "\(card)")
    let croissant = try JSONValue.parse(bytes: Array(Data(contentsOf: out.appendingPathComponent("croissant.json"))))
    let based = croissant["isBasedOn"]?.arrayValue ?? []
    #expect(based.count == 1)
    #expect(based.first?["sha256"]?.stringValue == gltfHash)
    #expect(based.first?["license"]?.stringValue == "https://spdx.org/licenses/CC0-1.0.html")
    let manifest = String(decoding: try Data(contentsOf: out.appendingPathComponent("manifest.json")), as: UTF8.self)
    #expect(manifest.contains(gltfHash))
    #expect(manifest.contains(binHash))
    let lineage = String(decoding: try Data(contentsOf: out.appendingPathComponent("lineage.json")), as: UTF8.self)
    #expect(lineage.contains("sha256:" + gltfHash))
  }

  /// A textured asset (textured.scn: the checker sign of textured.gltf facing the camera,
  /// docs/assets.md "Textures"): the image is an input file (listed by `scn ir`, a changed
  /// pixel changes the IR hash), and the camera draws its four quadrants.
  @Test func texturedSignIsDrawnAndItsImageHashed() throws {
    let dir = try Self.copiedFixture(["textured.scn", "textured.gltf", "quad.bin", "checker.png"])
    defer { try? FileManager.default.removeItem(at: dir) }
    let scenario = dir.appendingPathComponent("textured.scn")
    let ir = try SCNProcess.run(["ir", scenario.path])
    #expect(ir.stdout.contains("input \"checker.png\" sha256="), "\(ir.stdout.prefix(600))")
    let original = try Self.irHash(scenario)

    let out = dir.appendingPathComponent("out")
    let run = try SCNProcess.run(["generate", scenario.path, "--count", "1", "--out", out.path])
    try #require(run.status == 0, "\(run.stderr)")
    let rgb = try PNGImage(decoding: Array(Data(contentsOf: out.appendingPathComponent("images/camera/000000_0000.png"))))
    let instance = try PNGImage(
      decoding: Array(Data(contentsOf: out.appendingPathComponent("instance/camera/000000_0000.png"))))
    // The sign spans the middle of the 64 × 48 image; a quadrant's centre lies 7 px from
    // the image centre (32, 24) each way.
    func pixel(_ x: Int, _ y: Int) -> (Int, Int, Int) {
      let p = y * rgb.width + x
      #expect(instance.samples[p] != 0, "(\(x), \(y)) is not on the sign")
      return (Int(rgb.samples[3 * p]), Int(rgb.samples[3 * p + 1]), Int(rgb.samples[3 * p + 2]))
    }
    let red = pixel(25, 17), green = pixel(39, 17), blue = pixel(25, 31), white = pixel(39, 31)
    #expect(red.0 > 2 * red.1 + 20 && red.0 > 2 * red.2 + 20, "red \(red)")
    #expect(green.1 > 2 * green.0 + 20 && green.1 > 2 * green.2 + 20, "green \(green)")
    #expect(blue.2 > 2 * blue.0 + 20 && blue.2 > 2 * blue.1 + 20, "blue \(blue)")
    #expect(min(white.0, white.1, white.2) > red.1 + 40, "white \(white)")

    // One pixel of the image changed (white to grey): a new IR hash.
    let changed = try PNGEncoder().encodeRGB([255, 0, 0, 0, 255, 0, 0, 0, 255, 128, 128, 128], width: 2, height: 2)
    try Data(changed).write(to: dir.appendingPathComponent("checker.png"))
    #expect(try Self.irHash(scenario) != original)
  }

  /// The fixture's files (by default the crate's three) copied to a fresh folder (a test may
  /// change them).
  static func copiedFixture(_ names: [String] = ["crates.scn", "crate.gltf", "crate.bin"]) throws -> URL {
    let dir = Paths.temporary("crates-copy")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for name in names {
      try FileManager.default.copyItem(at: folder.appendingPathComponent(name), to: dir.appendingPathComponent(name))
    }
    return dir
  }

  static func irHash(_ scenario: URL) throws -> String {
    let run = try SCNProcess.run(["ir", scenario.path])
    try #require(run.status == 0, "\(run.stderr)")
    let line = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("ir-hash: ") })
    return String(line.dropFirst("ir-hash: ".count))
  }

  /// An asset and the buffer it names are input files of the program (docs/assets.md): `scn
  /// ir` lists them, a change to either changes the IR hash, and the manifest records the
  /// hash `scn ir` prints.
  @Test func changedAssetChangesTheIRHash() throws {
    let dir = try Self.copiedFixture()
    defer { try? FileManager.default.removeItem(at: dir) }
    let scenario = dir.appendingPathComponent("crates.scn")
    let ir = try SCNProcess.run(["ir", scenario.path])
    #expect(ir.stdout.contains("input \"crate.gltf\" sha256="), "\(ir.stdout.prefix(400))")
    #expect(ir.stdout.contains("input \"crate.bin\" sha256="), "\(ir.stdout.prefix(400))")
    let original = try Self.irHash(scenario)
    #expect(try Self.irHash(scenario) == original)

    let out = dir.appendingPathComponent("out")
    let run = try SCNProcess.run(["generate", scenario.path, "--count", "1", "--out", out.path])
    try #require(run.status == 0, "\(run.stderr)")
    let manifest = try JSONValue.parse(bytes: Array(Data(contentsOf: out.appendingPathComponent("manifest.json"))))
    #expect(manifest["ir_sha256"]?.stringValue == original, "\(String(describing: manifest["ir_sha256"]))")

    // The glTF's material colour changed: a new hash.
    let gltf = dir.appendingPathComponent("crate.gltf")
    let text = String(decoding: try Data(contentsOf: gltf), as: UTF8.self)
    try #require(text.contains("0.8"))
    try Data(text.replacingOccurrences(of: "0.8", with: "0.7").utf8).write(to: gltf)
    let recoloured = try Self.irHash(scenario)
    #expect(recoloured != original)

    // A vertex of the buffer moved (the low byte of the first float): another new hash.
    let bin = dir.appendingPathComponent("crate.bin")
    var bytes = [UInt8](try Data(contentsOf: bin))
    bytes[0] ^= 1
    try Data(bytes).write(to: bin)
    let moved = try Self.irHash(scenario)
    #expect(moved != original && moved != recoloured)
  }

  /// Reads through the driver's file system, counting them and the limits asked for.
  final class CountingFiles: @unchecked Sendable {
    let lock = NSLock()
    var reads: [String: Int] = [:]
    var limits: [String: UInt64] = [:]
    func count(_ path: String, limit: UInt64?) {
      lock.lock()
      defer { lock.unlock() }
      reads[(path as NSString).lastPathComponent, default: 0] += 1
      if let limit { limits[(path as NSString).lastPathComponent] = limit }
    }
  }

  /// Preparing a run reads the asset and its buffer once each, through the bounded reader
  /// (with the asset size limit), never through the unbounded one.
  @Test func assetFilesAreReadOnceAndBounded() throws {
    let counter = CountingFiles()
    var fs = FileSystem.disk
    let plain = fs.readFile, limited = fs.readFileLimited
    fs.readFile = { path in
      counter.count(path, limit: nil)
      return try plain(path)
    }
    fs.readFileLimited = { path, limit in
      counter.count(path, limit: limit)
      return try limited(path, limit)
    }
    let driver = Driver(fileSystem: fs, stdlibRoot: Paths.repository.appendingPathComponent("StdLib").path)
    let path = Self.folder.appendingPathComponent("crates.scn").path
    guard case .success(let session) = try driver.prepareSampling(SamplingRequest(path: path)) else {
      Issue.record("the fixture does not prepare")
      return
    }
    #expect(counter.reads["crate.gltf"] == 1, "\(counter.reads)")
    #expect(counter.reads["crate.bin"] == 1, "\(counter.reads)")
    #expect(counter.limits["crate.gltf"] == AssetLimits.standard.maxFileBytes)
    #expect(counter.limits["crate.bin"] == AssetLimits.standard.maxFileBytes)
    #expect(session.program.inputs.map(\.path) == ["crate.bin", "crate.gltf"])
  }

  /// The disk's bounded reader refuses a file over the limit before reading it.
  @Test func boundedReaderRefusesLargeFiles() throws {
    let path = Self.folder.appendingPathComponent("crate.bin").path
    let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    #expect(try FileSystem.disk.readFileLimited(path, UInt64(size)).count == size)
    #expect(throws: FileSystemError.self) { try FileSystem.disk.readFileLimited(path, UInt64(size - 1)) }
  }

  /// A real-data file (`empirical(...)`) over the data-file limit is refused by its size,
  /// before any byte is read: a sparse file of 64 MiB + 1 byte.
  @Test func dataFilesAreBoundedBeforeReading() throws {
    let dir = Paths.temporary("big-data")
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("big.csv").path
    #expect(FileManager.default.createFile(atPath: path, contents: Data("x\n1\n".utf8)))
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.truncate(atOffset: UInt64(CSVColumn.maximumFileSize) + 1)
    try handle.close()
    do {
      _ = try FileSystem.disk.readFileInside(path, dir.path)
      Issue.record("a data file over the limit was read")
    } catch let FileSystemError.tooLarge(_, size, limit) {
      #expect(size == UInt64(CSVColumn.maximumFileSize) + 1)
      #expect(limit == UInt64(CSVColumn.maximumFileSize))
    }
  }

  /// An OBJ crate (a unit cube with its MTL's red, Tests/Fixtures/obj) is labelled like the
  /// plain box of the same size at the mirror-image pose and drawn red; its MTL is an input.
  @Test func importedOBJCrateIsLabelledLikeItsBox() throws {
    let out = Paths.temporary("obj-crates")
    defer { try? FileManager.default.removeItem(at: out) }
    let run = try Self.runInRepository([
      "generate", "Tests/Fixtures/obj/crates.scn", "--count", "1", "--seed", "3", "--out", out.path,
    ])
    try #require(run.status == 0, "\(run.stderr)")
    let coco = try JSONValue.parse(bytes: Array(Data(contentsOf: out.appendingPathComponent("annotations/coco_camera.json"))))
    var category: [Int: String] = [:]
    for c in coco["categories"]?.arrayValue ?? [] {
      if let id = c["id"]?.intValue, let name = c["name"]?.stringValue { category[id] = name }
    }
    var boxes: [String: [Double]] = [:], areas: [String: Double] = [:], ids: [String: Int] = [:]
    for a in coco["annotations"]?.arrayValue ?? [] {
      guard let c = a["category_id"]?.intValue, let name = category[c] else { continue }
      boxes[name] = (a["bbox"]?.arrayValue ?? []).compactMap(\.doubleValue)
      areas[name] = a["area"]?.doubleValue
      ids[name] = a["instance_id"]?.intValue
    }
    let crate = try #require(boxes["crate"]), box = try #require(boxes["box"])
    try #require(crate.count == 4 && box.count == 4)
    #expect(abs(crate[2] - box[2]) <= 1 && abs(crate[3] - box[3]) <= 1, "crate \(crate) box \(box)")
    #expect(abs((crate[0] + crate[2]) - (160 - box[0])) <= 1, "crate \(crate) is not the mirror image of box \(box)")
    let crateArea = try #require(areas["crate"]), boxArea = try #require(areas["box"])
    #expect(abs(crateArea - boxArea) <= 0.03 * boxArea, "mask areas \(crateArea) vs \(boxArea)")
    let rgb = try PNGImage(decoding: Array(Data(contentsOf: out.appendingPathComponent("images/camera/000000_0000.png"))))
    let instance = try PNGImage(
      decoding: Array(Data(contentsOf: out.appendingPathComponent("instance/camera/000000_0000.png"))))
    let crateID = try #require(ids["crate"])
    var red = 0.0, green = 0.0, n = 0.0
    for p in 0..<(instance.width * instance.height) where Int(instance.samples[p]) == crateID {
      red += Double(rgb.samples[3 * p])
      green += Double(rgb.samples[3 * p + 1])
      n += 1
    }
    #expect(n > 100)
    #expect(red > 2 * green + 10, "crate mean red \(red / n), green \(green / n)")
    let mtlHash = SHA256Hex.of(Array(try Data(contentsOf: Paths.repository.appendingPathComponent("Tests/Fixtures/obj/crate.mtl"))))
    let manifest = String(decoding: try Data(contentsOf: out.appendingPathComponent("manifest.json")), as: UTF8.self)
    #expect(manifest.contains(mtlHash))
    let verify = try SCNProcess.run(["verify", "--labels", out.path])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
  }

  @Test func badOBJIsALocatedDiagnostic() throws {
    let run = try Self.runInRepository(["check", "Tests/Fixtures/obj/bad.scn"])
    #expect(run.status == 1)
    #expect(
      run.stderr.contains(
        "Tests/Fixtures/obj/bad.scn:2:24: error[E0605]: @asset 'broken': cannot import 'bad.obj': face 1 names vertex 4 of 3"),
      "\(run.stderr)")
  }

  /// The independent readers (pycocotools, mlcroissant with the `isBasedOn` credits, the
  /// OpenLineage client, …) accept a dataset with an imported asset.
  @Test(.enabled(if: Readers.python != nil, Readers.skipReason))
  func assetDatasetPassesTheReaders() throws {
    let out = Paths.temporary("crates-readers")
    defer { try? FileManager.default.removeItem(at: out) }
    let run = try Self.runInRepository(["generate", "Tests/Fixtures/gltf/crates.scn", "--count", "2", "--out", out.path])
    try #require(run.status == 0, "\(run.stderr)")
    let (status, output) = try Readers.check(out)
    #expect(status == 0, "\(output)")
    #expect(output.contains("PASS croissant:mlcroissant"), "\(output)")
  }

  /// Every bad `@asset` gets its own located diagnostic (golden: bad_files.expected;
  /// SCN_RECORD=1 rewrites it), and `check` exits 1.
  @Test func badAssetsAreLocatedDiagnostics() throws {
    let run = try Self.runInRepository(["check", "Tests/Fixtures/gltf/bad_files.scn"])
    #expect(run.status == 1)
    let golden = Self.folder.appendingPathComponent("bad_files.expected")
    if ProcessInfo.processInfo.environment["SCN_RECORD"] == "1" {
      try Data(run.stderr.utf8).write(to: golden)
    }
    let expected = String(decoding: try Data(contentsOf: golden), as: UTF8.self)
    #expect(run.stderr == expected)
    for code in ["E0605", "E0606", "E0607", "E0615", "E0616", "E0617", "E0618"] {
      #expect(run.stderr.contains("[\(code)]"), "no \(code)")
    }
  }

  @Test func fileOutsideTheScenarioFolderIsRefused() throws {
    let run = try Self.runInRepository(["check", "Tests/Fixtures/gltf/escape.scn"])
    #expect(run.status == 1)
    #expect(run.stderr.contains("[E0604]"), "\(run.stderr)")
    #expect(run.stderr.contains("escape.scn:2:"), "\(run.stderr)")
  }

  @Test func licenseIsRequired() throws {
    let source = try Fixture.file(
      """
      @asset("crate", file: "crate.glb")
      scenario NoLicense {
          let a = Actor at (1m, 0m, 0m)
      }

      """, name: "nolicense.scn")
    defer { try? FileManager.default.removeItem(at: source.deletingLastPathComponent()) }
    let run = try SCNProcess.run(["check", source.path])
    #expect(run.status == 1)
    #expect(run.stderr.contains("'license'"), "\(run.stderr)")
  }

  @Test func licensePolicy() {
    #expect(AssetLicensePolicy.check(asset: "CC0-1.0", dataset: "MIT") == .allowed)
    #expect(AssetLicensePolicy.check(asset: "CC-BY-4.0", dataset: "CC-BY-4.0") == .allowed)
    #expect(AssetLicensePolicy.check(asset: "CC-BY-4.0", dataset: nil) == .allowed)
    #expect(AssetLicensePolicy.check(asset: "CC-BY-ND-4.0", dataset: "CC-BY-ND-4.0") != .allowed)
    #expect(AssetLicensePolicy.check(asset: "CC-BY-NC-4.0", dataset: "CC-BY-4.0") != .allowed)
    #expect(AssetLicensePolicy.check(asset: "CC-BY-NC-4.0", dataset: "CC-BY-NC-SA-4.0") == .allowed)
    #expect(AssetLicensePolicy.check(asset: "CC-BY-SA-4.0", dataset: "CC-BY-4.0") != .allowed)
    #expect(AssetLicensePolicy.check(asset: "CC-BY-SA-4.0", dataset: "CC-BY-SA-4.0") == .allowed)
  }
}
