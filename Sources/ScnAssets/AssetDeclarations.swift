import Foundation
import ScnDataset
import ScnEncoding
import ScnIR
import ScnScene
import ScnSource

/// One `@asset` of the entry scenario, read, checked and imported.
public struct LoadedAsset: Sendable {
  /// The `@asset` name an actor's `asset` field refers to.
  public let name: String
  /// The file as written, relative to the scenario's folder.
  public let file: String
  /// `file` as the manifest lists inputs (relative to the scenario's folder, like the
  /// scenario files).
  public let path: String
  public let sha256: String
  /// Canonical SPDX id.
  public let license: String
  public let attribution: String?
  public let asset: ImportedAsset
  public let summary: ImportSummary
  /// Files the asset names (buffers, images), each with its hash, as manifest inputs.
  public let extraFiles: [SourceFileHash]

  /// The asset file and the files it names as the program's input files (path relative to
  /// the scenario's folder and SHA-256): they join the IR hash and the manifest's inputs
  /// like the map files `map("…")` reads.
  public var inputs: [InputFileIR] {
    [InputFileIR(path: path, sha256: sha256)] + extraFiles.map { InputFileIR(path: $0.path, sha256: $0.sha256) }
  }
}

/// Reads the entry scenario's `@asset(name, file:, license:, attribution:, up:)`
/// annotations: checks the path (relative, no `..`, inside the scenario's folder once
/// symbolic links are resolved), the licence (an SPDX id; no NoDerivatives licence; a
/// NonCommercial asset needs an NC dataset licence and a ShareAlike one the same licence as
/// the dataset), reads the file with `ScnAssets.GLTFImporter` and hashes it. Diagnostics
/// point at the annotation's file string (E0604–E0608, Sources/ScnDriver/DiagnosticCodes.md).
/// Files are read through the reader the driver injects.
public enum AssetDeclarations {
  struct Declared {
    var name: String
    var file: String
    var license: String
    var attribution: String?
    var up: String?
  }

  static func declared(_ scenario: ScenarioIR) -> [Declared] {
    scenario.annotations.filter { $0.name == "asset" }.compactMap { a in
      func text(_ label: String) -> String? {
        guard let v = a.arguments.first(where: { $0.label == label })?.value, case .string(let s) = v else { return nil }
        return s
      }
      guard let name = text(""), let file = text("file"), let license = text("license") else { return nil }
      return Declared(name: name, file: file, license: license, attribution: text("attribution"), up: text("up"))
    }
  }

  /// The `@dataset(license:)` of the scenario, if any.
  static func datasetLicense(_ scenario: ScenarioIR) -> String? {
    guard let a = scenario.annotations.first(where: { $0.name == "dataset" }),
      let v = a.arguments.first(where: { $0.label == "license" })?.value, case .string(let s) = v
    else { return nil }
    return s
  }

  /// `scenarioPath` is the scenario file's path on disk (asset files resolve against its
  /// folder); the manifest names assets relative to the scenario's folder, as it names the
  /// scenario files.
  /// Each file (the asset and every buffer and image it names) is read once, through
  /// `readFile`, which refuses a file over `limits.maxFileBytes` before reading it; the
  /// hashes are of the bytes imported.
  public static func load(
    scenario: ScenarioIR, scenarioPath: String, sources: SourceManager, limits: AssetLimits = .standard,
    readFile: @escaping AssetFileReader.Read
  ) -> Result<[LoadedAsset], AssetProblems> {
    let declared = declared(scenario)
    guard !declared.isEmpty else { return .success([]) }
    let file = sources[scenario.range.file]
    let folder = (scenarioPath as NSString).deletingLastPathComponent
    let displayFolder = file.map { ($0.path as NSString).deletingLastPathComponent } ?? ""
    func display(_ relative: String) -> String {
      displayFolder.isEmpty ? relative : (displayFolder as NSString).appendingPathComponent(relative)
    }
    var problems: [Diagnostic] = []
    var loaded: [LoadedAsset] = []
    var names: Set<String> = []
    for d in declared {
      let at = location(of: d.file, asset: d.name, in: file, fallback: scenario.range)
      let licenseAt = location(of: d.license, asset: d.name, in: file, fallback: at)
      guard names.insert(d.name).inserted else {
        problems.append(
          .error(DiagnosticCode("E0608"), "@asset '\(d.name)' is declared twice", at: location(of: d.name, asset: "", in: file, fallback: at)))
        continue
      }
      if let problem = licenseProblem(d, dataset: datasetLicense(scenario), at: licenseAt) {
        problems.append(problem)
        continue
      }
      let path: String
      switch resolve(d.file, folder: folder) {
      case .failure(let why):
        problems.append(
          .error(DiagnosticCode("E0604"), "@asset '\(d.name)': \(why)", at: at,
                 notes: [Note("asset files are named relative to the scenario's folder and must stay inside it")]))
        continue
      case .success(let p): path = p
      }
      let up: AssetUpAxis
      switch d.up {
      case nil, "y"?: up = .y
      case "z"?: up = .z
      case let other?:
        problems.append(
          .error(DiagnosticCode("E0605"), "@asset '\(d.name)': up axis '\(other)' is neither \"y\" nor \"z\"", at: at))
        continue
      }
      let reader = AssetFileReader(readFile)
      let imported: (asset: ImportedAsset, summary: ImportSummary)
      do throws(AssetImportError) {
        let bytes = try reader.bytes(path, maxBytes: limits.maxFileBytes)
        imported = try AssetFormat.load(
          bytes: bytes, file: d.file, folder: (path as NSString).deletingLastPathComponent, name: d.name, up: up,
          limits: limits, files: reader)
      } catch {
        problems.append(importProblem(error, asset: d.name, file: d.file, limits: limits, at: at))
        continue
      }
      // The reader's first file is the asset; the rest are the files it names, in the
      // order the importer read them (the summary's URIs).
      let named = reader.hashes.dropFirst()
      guard let own = reader.hashes.first, named.count == imported.summary.files.count else {
        problems.append(.error(DiagnosticCode("E0605"), "@asset '\(d.name)': the files it names were not all read", at: at))
        continue
      }
      let relativeFolder = (d.file as NSString).deletingLastPathComponent
      let extra = zip(imported.summary.files, named).map { uri, h in
        let relative = relativeFolder.isEmpty ? uri : (relativeFolder as NSString).appendingPathComponent(uri)
        return SourceFileHash(path: display(relative), sha256: h.sha256)
      }
      loaded.append(
        LoadedAsset(
          name: d.name, file: d.file, path: display(d.file), sha256: own.sha256,
          license: SPDXLicenses.canonical(d.license) ?? d.license, attribution: d.attribution, asset: imported.asset,
          summary: imported.summary, extraFiles: extra))
    }
    return problems.isEmpty ? .success(loaded) : .failure(AssetProblems(diagnostics: problems))
  }

  /// The diagnostic of an import that failed: E0605 for the file and its geometry, E0615–E0618
  /// for its base-colour images (docs/assets.md, "Textures").
  static func importProblem(
    _ error: AssetImportError, asset: String, file: String, limits: AssetLimits, at: SourceRange
  ) -> Diagnostic {
    let code: String
    let note: String
    switch error.kind {
    case .imageCorrupt:
      code = "E0615"
      note = "base-colour images are decoded when the asset is imported; re-export the image as PNG or baseline JPEG"
    case .imageTooLarge:
      code = "E0616"
      note = "an image may have at most \(limits.maxTexturePixels) pixels and \(limits.maxTextureSide) per side, an asset \(limits.maxTexturePixelsTotal) in all; scale the image down"
    case .imageUnsupported:
      code = "E0617"
      note = "base-colour images are read as PNG or JPEG; convert the image to one of them"
    case .noTextureCoordinates:
      code = "E0618"
      note = "a textured material needs texture coordinates on every mesh that uses it (glTF TEXCOORD_0, OBJ vt)"
    case .pathRefused, .tooLarge, .malformed, .unreadable:
      code = "E0605"
      note = "glTF 2.0 (.gltf or .glb) or Wavefront OBJ (.obj with its .mtl); limits and what is read: Sources/ScnAssets/README.md"
    }
    return .error(
      DiagnosticCode(code), "@asset '\(asset)': cannot import '\(file)': \(error.description)", at: at, notes: [Note(note)])
  }

  /// E0606 (not an SPDX id) or E0607 (does not allow this dataset's licence).
  static func licenseProblem(_ d: Declared, dataset: String?, at: SourceRange) -> Diagnostic? {
    guard let id = SPDXLicenses.canonical(d.license) else {
      return .error(
        DiagnosticCode("E0606"),
        "@asset '\(d.name)' license '\(d.license)' is not an SPDX license id (SPDX License List \(SPDXLicenses.listVersion))",
        at: at, notes: [Note("expected an id such as 'CC0-1.0' or 'CC-BY-4.0'; see https://spdx.org/licenses/")])
    }
    switch AssetLicensePolicy.check(asset: id, dataset: dataset.flatMap(SPDXLicenses.canonical)) {
    case .allowed: return nil
    case .refused(let why):
      return .error(DiagnosticCode("E0607"), "@asset '\(d.name)' (\(id)): \(why)", at: at,
                    notes: [Note("rendered images are derivative works of the assets they show (docs/assets.md)")])
    }
  }

  /// `file` joined to `folder`, refused when absolute, with a `..` component, missing, or
  /// (symbolic links resolved) outside the folder.
  static func resolve(_ file: String, folder: String) -> Result<String, Refusal> {
    if file.isEmpty || file.hasPrefix("/") || file.hasPrefix("~") {
      return .failure(Refusal("'\(file)' is not a relative path"))
    }
    if file.split(separator: "/", omittingEmptySubsequences: false).contains("..") {
      return .failure(Refusal("'\(file)' has a '..' component"))
    }
    let joined = folder.isEmpty ? file : (folder as NSString).appendingPathComponent(file)
    guard let real = realPath(joined) else { return .failure(Refusal("file '\(file)' not found")) }
    let root = realPath(folder.isEmpty ? "." : folder) ?? folder
    guard real.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
      return .failure(Refusal("'\(file)' resolves (through a symbolic link) outside the scenario's folder"))
    }
    return .success(joined)
  }

  struct Refusal: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
  }

  static func realPath(_ path: String) -> String? {
    guard let p = realpath(path, nil) else { return nil }
    defer { free(p) }
    return String(cString: p)
  }

  /// The range of the `"text"` string literal in the `@asset` annotation whose first
  /// argument is `"name"` (the first such literal in the file when no annotation matches),
  /// else `fallback`.
  static func location(of text: String, asset name: String, in file: SourceFile?, fallback: SourceRange) -> SourceRange {
    guard let file else { return fallback }
    let bytes = file.bytes
    func find(_ needle: [UInt8], from start: Int) -> Int? {
      guard !needle.isEmpty, needle.count <= bytes.count else { return nil }
      var i = start
      while i + needle.count <= bytes.count {
        if bytes[i] == needle[0], bytes[i..<(i + needle.count)].elementsEqual(needle) { return i }
        i += 1
      }
      return nil
    }
    let literal = Array("\"\(text)\"".utf8)
    let quotedName = Array("\"\(name)\"".utf8)
    var from = 0
    while let at = find(Array("@asset".utf8), from: from) {
      var i = at + 6
      while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "(") { i += 1 }
      if i + quotedName.count <= bytes.count, bytes[i..<(i + quotedName.count)].elementsEqual(quotedName),
        let hit = find(literal, from: i)
      {
        return SourceRange(file: file.id, start: hit, end: hit + literal.count)
      }
      from = at + 6
    }
    if let hit = find(literal, from: 0) { return SourceRange(file: file.id, start: hit, end: hit + literal.count) }
    return fallback
  }

  /// Actor classes whose type uses each asset: types whose `shape` defaults to `asset` and
  /// whose `asset` field defaults to the asset's name, by their `class` default.
  static func classes(using name: String, in program: ProgramIR) -> [String] {
    var out: Set<String> = []
    for t in program.types where t.kind == .actor {
      func constant(_ field: String) -> IRValue? {
        guard let e = t.fields.last(where: { $0.name == field })?.defaultValue, case .constant(let v) = e.kind else { return nil }
        return v
      }
      guard case .enumCase(_, "asset")? = constant("shape"), case .string(name)? = constant("asset") else { continue }
      if case .string(let c)? = constant("class") { out.insert(c) } else { out.insert(t.name) }
    }
    return out.sorted()
  }

  /// The card's "Assets" table.
  public static func docs(_ assets: [LoadedAsset], program: ProgramIR) -> [AssetDoc] {
    assets.map { a in
      AssetDoc(
        name: a.name, file: a.path, sha256: a.sha256, license: a.license, attribution: a.attribution,
        classes: classes(using: a.name, in: program))
    }
  }
}

/// The diagnostics of the `@asset`s that could not be loaded.
public struct AssetProblems: Error {
  public let diagnostics: [Diagnostic]
}

/// Which asset licences allow which dataset licences (docs/assets.md): rendered images
/// are derivative works of the assets they show.
public enum AssetLicensePolicy {
  public enum Verdict: Equatable, Sendable {
    case allowed
    case refused(String)
  }

  /// `asset` and `dataset` are canonical SPDX ids (`dataset` nil: the scenario states none,
  /// which `scn generate` refuses on its own, E0602).
  public static func check(asset: String, dataset: String?) -> Verdict {
    let a = asset.uppercased()
    if a.contains("-ND") {
      return .refused("a NoDerivatives licence forbids the rendered images; use another asset")
    }
    guard let dataset else { return .allowed }
    let d = dataset.uppercased()
    if a.contains("-NC"), !d.contains("-NC") {
      return .refused("a NonCommercial asset needs a NonCommercial dataset licence, not '\(dataset)'")
    }
    if a.contains("-SA"), a != d {
      return .refused("a ShareAlike asset needs the dataset under the same licence ('\(asset)'), not '\(dataset)'")
    }
    return .allowed
  }
}
