import CTinyOBJ
import ScnGeometry
import ScnScene

/// Wavefront OBJ importer (with its MTL materials), through Debian's tinyobjloader
/// (`CTinyOBJ`). Each object or group (`o`, `g`) × material becomes one `Part` labelled with
/// the object's or group's name; polygons are fanned from their first corner (convex
/// polygons, as OBJ exporters write them); normals (`vn`) are kept where every corner of a
/// part has one. Materials: `Kd` is the base colour (linear RGB, as Blender writes it), `Ke`
/// the emissive factor, `Pm` the metallic factor, `Pr` the roughness when above 0, else
/// 1 − √(Ns / 1000) (Blender's reading of the Phong exponent). Axes as glTF: y up, front
/// along +z, unless `up` is `.z`.
public enum OBJImporter {
  public static func load(
    bytes: [UInt8], folder: String, name: String, scale: Double = 1, up: AssetUpAxis = .y,
    limits: AssetLimits = .standard, files: AssetFileReader
  ) throws(AssetImportError) -> (asset: ImportedAsset, summary: ImportSummary) {
    guard scale.isFinite, scale > 0 else { throw AssetImportError(kind: .malformed, message: "scale \(scale) is not positive") }
    guard UInt64(bytes.count) <= limits.maxFileBytes else {
      throw AssetImportError(kind: .tooLarge, message: "the asset has \(bytes.count) bytes, more than the limit of \(limits.maxFileBytes)")
    }
    var cLimits = scn_obj_limits(
      max_file_bytes: limits.maxFileBytes, max_vertices: limits.maxVertices, max_triangles: limits.maxTriangles,
      max_groups: limits.maxInstances)
    var scene = scn_obj_scene()
    var message = [CChar](repeating: 0, count: 512)
    let context = Unmanaged.passRetained(files)
    defer { context.release() }
    let code = message.withUnsafeMutableBufferPointer { m in
      bytes.withUnsafeBufferPointer { b in
        scn_obj_load_memory(
          b.baseAddress, b.count, folder, { user, path, maxBytes, out, size, why, whyCapacity in
            guard let user, let path, let out, let size else { return Int32(SCN_OBJ_IO) }
            let reader = Unmanaged<AssetFileReader>.fromOpaque(user).takeUnretainedValue()
            return reader.deliver(String(cString: path), maxBytes: maxBytes, into: out, size: size, why: why, capacity: whyCapacity)
          }, context.toOpaque(), &cLimits, &scene, m.baseAddress, m.count)
      }
    }
    defer { scn_obj_free(&scene) }
    guard code == Int32(SCN_OBJ_OK) else {
      let kind: AssetImportError.Kind
      switch code {
      case Int32(SCN_OBJ_PATH_REFUSED): kind = .pathRefused
      case Int32(SCN_OBJ_TOO_LARGE): kind = .tooLarge
      case Int32(SCN_OBJ_IO): kind = .unreadable
      default: kind = .malformed
      }
      throw AssetImportError(kind: kind, message: GLTFImporter.string(message))
    }
    guard (scene.group_count == 0 || scene.groups != nil), (scene.material_count == 0 || scene.materials != nil),
      (scene.file_count == 0 || scene.files != nil)
    else { throw AssetImportError(kind: .malformed, message: "the reader returned an incomplete scene") }

    // map_Kd images, each file decoded once whichever materials name it.
    var decoded: [String: TexturePixels] = [:]
    var budget = limits.maxTexturePixelsTotal
    var materials: [Material] = []
    for i in 0..<Int(scene.material_count) {
      let m = scene.materials[i]
      let roughness = m.roughness > 0 ? m.roughness : 1 - (Swift.min(1000, Swift.max(0, m.shininess)) / 1000).squareRoot()
      var texture: TextureImage?
      if let bytes = m.diffuse_texture_bytes {
        let file = m.diffuse_texture.map { String(cString: $0) } ?? ""
        let pixels: TexturePixels
        if let known = decoded[file] {
          pixels = known
        } else {
          let name = m.name.map { String(cString: $0) } ?? ""
          pixels = try TextureDecoder.decode(
            Array(UnsafeBufferPointer(start: bytes, count: m.diffuse_texture_size)), what: "map_Kd '\(file)'",
            pointer: "material '\(name)'", limits: limits, budget: budget)
          budget -= UInt64(pixels.width * pixels.height)
          decoded[file] = pixels
        }
        let wrap: TextureImage.Wrap = m.diffuse_texture_clamp != 0 ? .clamp : .repeating
        texture = TextureImage(pixels, wrapU: wrap, wrapV: wrap)
      }
      materials.append(
        Material(
          baseColour: RGB(unit(m.diffuse.0), unit(m.diffuse.1), unit(m.diffuse.2)),
          roughness: unit(roughness), metallic: unit(m.metallic),
          emissive: RGB(positive(m.emission.0), positive(m.emission.1), positive(m.emission.2)),
          baseColourTexture: texture))
    }
    var parts: [Part] = []
    var triangles = 0, vertexTotal = 0
    for i in 0..<Int(scene.group_count) {
      let g = scene.groups[i]
      guard let positions = g.positions, let indexData = g.indices else { continue }
      let count = Int(g.vertex_count)
      vertexTotal += count
      var vertices: [Vec3] = []
      vertices.reserveCapacity(count)
      for k in 0..<count {
        let v = Vec3(Double(positions[3 * k]), Double(positions[3 * k + 1]), Double(positions[3 * k + 2]))
        vertices.append(GLTFImporter.axes(v, up) * scale)
      }
      let normals: [Vec3]? = g.normals.map { n in
        (0..<count).map { k in
          let w = Vec3(Double(n[3 * k]), Double(n[3 * k + 1]), Double(n[3 * k + 2]))
          let len = (w * w).sum().squareRoot()
          return len > 0 && len.isFinite ? GLTFImporter.axes(w / len, up) : Vec3(0, 0, 1)
        }
      }
      // OBJ's v grows upwards from the image's bottom; the scene model's (glTF's) downwards
      // from its top.
      let uvs: [SIMD2<Float>]? = g.texcoords.map { t in (0..<count).map { SIMD2(t[2 * $0], 1 - t[2 * $0 + 1]) } }
      let indices = Array(UnsafeBufferPointer(start: indexData, count: Int(g.index_count)))
      let label = g.name.map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
      let material = g.material >= 0 && Int(g.material) < materials.count ? materials[Int(g.material)] : nil
      // Texture coordinates are kept only where an image is drawn with them.
      let mesh = TriangleMesh(
        vertices: vertices, indices: indices, normals: normals, uvs: material?.baseColourTexture == nil ? nil : uvs)
      triangles += mesh.triangleCount
      if uvs == nil, material?.baseColourTexture != nil {
        let materialName = scene.materials[Int(g.material)].name.map { String(cString: $0) } ?? ""
        throw AssetImportError(
          kind: .noTextureCoordinates,
          message: "material '\(materialName)' has a map_Kd, but a face of '\(label ?? "")' that uses it has no texture coordinate (f v/vt)")
      }
      parts.append(Part(.mesh(mesh), material: material, label: label))
    }
    let summary = ImportSummary(
      meshInstances: parts.count, triangles: triangles, vertices: vertexTotal, materials: materials.count,
      textures: decoded.count,
      files: (0..<Int(scene.file_count)).compactMap { i in scene.files[i].map { String(cString: $0) } })
    return (ImportedAsset(name: name, parts: parts), summary)
  }

  private static func unit(_ x: Double) -> Double { x.isFinite ? Swift.min(1, Swift.max(0, x)) : 0 }
  private static func positive(_ x: Double) -> Double { x.isFinite ? Swift.max(0, x) : 0 }
}
