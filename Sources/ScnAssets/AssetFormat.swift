import ScnScene

/// Which importer reads an asset file: by its extension (`.gltf`, `.glb`, `.obj`; anything else is
/// refused with the list of formats read).
enum AssetFormat {
  static func load(
    bytes: [UInt8], file: String, folder: String, name: String, up: AssetUpAxis, limits: AssetLimits,
    files: AssetFileReader
  ) throws(AssetImportError) -> (asset: ImportedAsset, summary: ImportSummary) {
    let ext = (file.split(separator: "/").last.flatMap { $0.split(separator: ".").count > 1 ? $0.split(separator: ".").last : nil })
      .map { $0.lowercased() } ?? ""
    switch ext {
    case "gltf", "glb":
      return try GLTFImporter.load(bytes: bytes, folder: folder, name: name, up: up, limits: limits, files: files)
    case "obj":
      return try OBJImporter.load(bytes: bytes, folder: folder, name: name, up: up, limits: limits, files: files)
    default:
      throw AssetImportError(
        kind: .malformed, message: "'.\(ext)' is not an asset format scn reads (.gltf, .glb, .obj)")
    }
  }
}
