import CTinyGLTF
import ScnGeometry
import ScnScene

/// Size limits for one imported asset, checked before anything is allocated for it.
public struct AssetLimits: Sendable, Hashable {
  /// Largest file read: the asset itself and each buffer or image it names.
  public var maxFileBytes: UInt64
  /// Vertices over all the asset's meshes.
  public var maxVertices: UInt64
  /// Triangles over all the asset's meshes (the ray caster's per-mesh limit,
  /// `MeshLimits.maxTrianglesPerMesh`, is the same 2^20).
  public var maxTriangles: UInt64
  /// Mesh instances (node × primitive) the asset's scene places.
  public var maxInstances: UInt64
  /// Width or height of one base-colour texture image, in pixels.
  public var maxTextureSide: UInt32
  /// Pixels of one base-colour texture image (2^24: 4096 × 4096, 96 MiB decoded).
  public var maxTexturePixels: UInt64
  /// Pixels of all the asset's decoded base-colour images together.
  public var maxTexturePixelsTotal: UInt64

  public init(
    maxFileBytes: UInt64, maxVertices: UInt64, maxTriangles: UInt64, maxInstances: UInt64,
    maxTextureSide: UInt32 = 16384, maxTexturePixels: UInt64 = 1 << 24, maxTexturePixelsTotal: UInt64 = 1 << 25
  ) {
    self.maxFileBytes = maxFileBytes
    self.maxVertices = maxVertices
    self.maxTriangles = maxTriangles
    self.maxInstances = maxInstances
    self.maxTextureSide = maxTextureSide
    self.maxTexturePixels = maxTexturePixels
    self.maxTexturePixelsTotal = maxTexturePixelsTotal
  }

  public static let standard = AssetLimits(
    maxFileBytes: 64 << 20, maxVertices: 1 << 20, maxTriangles: 1 << 20, maxInstances: 4096)
}

/// Why an asset could not be imported: a message and, where it lies inside the file, a JSON
/// pointer to the offending value (`/meshes/0/primitives/0/indices`).
public struct AssetImportError: Error, Hashable, Sendable {
  public enum Kind: String, Sendable {
    /// A URI in the asset that is absolute, has a `..` component or leaves its folder.
    case pathRefused = "path refused"
    case tooLarge = "too large"
    case malformed
    case unreadable
    /// A base-colour image that does not decode (E0615).
    case imageCorrupt = "image corrupt"
    /// A base-colour image over the pixel limits (E0616).
    case imageTooLarge = "image too large"
    /// A base-colour image neither PNG nor JPEG (E0617).
    case imageUnsupported = "image format unsupported"
    /// A textured material on a mesh without texture coordinates (E0618).
    case noTextureCoordinates = "no texture coordinates"
  }
  public var kind: Kind
  public var message: String
  public var pointer: String

  public init(kind: Kind, message: String, pointer: String = "") {
    self.kind = kind
    self.message = message
    self.pointer = pointer
  }

  /// `message (at /pointer)`.
  public var description: String { pointer.isEmpty ? message : "\(message) (at \(pointer))" }
}

/// Which way is up in the file. glTF 2.0 is y-up with the front along +z; `zUp` reads a file
/// exported z-up with the front along +x as it is.
public enum AssetUpAxis: String, Sendable, Hashable {
  case y
  case z
}

/// What the file held besides geometry, for the card and the diagnostics.
public struct ImportSummary: Sendable, Hashable {
  public var meshInstances: Int
  public var triangles: Int
  public var vertices: Int
  public var materials: Int
  /// Base-colour texture images decoded (PNG or JPEG), each counted once.
  public var textures: Int
  /// Files read besides the asset itself (buffers, images), relative to its folder, in the
  /// order read.
  public var files: [String]
}

/// glTF 2.0 importer: `.gltf` (JSON with external, embedded or data: buffers) and `.glb`.
public enum GLTFImporter {
  /// Reads `path` into an `ImportedAsset` named `name`. Geometry is converted to the scene's
  /// axes (z up, front along +x) and multiplied by `scale`; each mesh instance becomes one
  /// `Part` with its node's hierarchy baked into the vertices, its material (base colour
  /// factor, metallic, roughness, emissive factor) and its node's name as part label.
  public static func load(
    path: String, name: String, scale: Double = 1, up: AssetUpAxis = .y, limits: AssetLimits = .standard
  ) throws(AssetImportError) -> (asset: ImportedAsset, summary: ImportSummary) {
    guard scale.isFinite, scale > 0 else { throw AssetImportError(kind: .malformed, message: "scale \(scale) is not positive") }
    var cLimits = cLimits(limits)
    var scene = scn_gltf_scene()
    var message = [CChar](repeating: 0, count: 512)
    var pointer = [CChar](repeating: 0, count: 256)
    let code = message.withUnsafeMutableBufferPointer { m in
      pointer.withUnsafeMutableBufferPointer { p in
        scn_gltf_load(path, &cLimits, &scene, m.baseAddress, m.count, p.baseAddress, p.count)
      }
    }
    defer { scn_gltf_free(&scene) }
    try check(code, message: message, pointer: pointer)
    return try convert(&scene, name: name, scale: scale, up: up, limits: limits)
  }

  /// Reads an asset whose bytes were already read (at most `limits.maxFileBytes`): every
  /// buffer and image it names goes through `files` (after the URI checks: relative, no
  /// `..`, inside `folder` once symbolic links are resolved), so the caller reads each file
  /// once and sees every byte the asset depends on. `folder` is the asset's folder.
  public static func load(
    bytes: [UInt8], folder: String, name: String, scale: Double = 1, up: AssetUpAxis = .y,
    limits: AssetLimits = .standard, files: AssetFileReader
  ) throws(AssetImportError) -> (asset: ImportedAsset, summary: ImportSummary) {
    guard scale.isFinite, scale > 0 else { throw AssetImportError(kind: .malformed, message: "scale \(scale) is not positive") }
    guard UInt64(bytes.count) <= limits.maxFileBytes else {
      throw AssetImportError(kind: .tooLarge, message: "the asset has \(bytes.count) bytes, more than the limit of \(limits.maxFileBytes)")
    }
    var cLimits = cLimits(limits)
    var scene = scn_gltf_scene()
    var message = [CChar](repeating: 0, count: 512)
    var pointer = [CChar](repeating: 0, count: 256)
    let context = Unmanaged.passRetained(files)
    defer { context.release() }
    let code = message.withUnsafeMutableBufferPointer { m in
      pointer.withUnsafeMutableBufferPointer { p in
        bytes.withUnsafeBufferPointer { b in
          scn_gltf_load_memory(
            b.baseAddress, b.count, folder, { user, path, maxBytes, out, size, why, whyCapacity in
              guard let user, let path, let out, let size else { return Int32(SCN_GLTF_IO) }
              let reader = Unmanaged<AssetFileReader>.fromOpaque(user).takeUnretainedValue()
              return reader.deliver(String(cString: path), maxBytes: maxBytes, into: out, size: size, why: why, capacity: whyCapacity)
            }, context.toOpaque(), &cLimits, &scene, m.baseAddress, m.count, p.baseAddress, p.count)
        }
      }
    }
    defer { scn_gltf_free(&scene) }
    try check(code, message: message, pointer: pointer)
    return try convert(&scene, name: name, scale: scale, up: up, limits: limits)
  }

  private static func cLimits(_ limits: AssetLimits) -> scn_gltf_limits {
    scn_gltf_limits(
      max_file_bytes: limits.maxFileBytes, max_vertices: limits.maxVertices, max_triangles: limits.maxTriangles,
      max_instances: limits.maxInstances)
  }

  private static func check(_ code: Int32, message: [CChar], pointer: [CChar]) throws(AssetImportError) {
    guard code == Int32(SCN_GLTF_OK) else {
      let kind: AssetImportError.Kind
      switch code {
      case Int32(SCN_GLTF_PATH_REFUSED): kind = .pathRefused
      case Int32(SCN_GLTF_TOO_LARGE): kind = .tooLarge
      case Int32(SCN_GLTF_IO): kind = .unreadable
      default: kind = .malformed
      }
      throw AssetImportError(kind: kind, message: string(message), pointer: string(pointer))
    }
  }

  private static func convert(
    _ scene: inout scn_gltf_scene, name: String, scale: Double, up: AssetUpAxis, limits: AssetLimits
  ) throws(AssetImportError) -> (asset: ImportedAsset, summary: ImportSummary) {
    guard (scene.primitive_count == 0 || scene.primitives != nil), (scene.instance_count == 0 || scene.instances != nil),
      (scene.material_count == 0 || scene.materials != nil), (scene.file_count == 0 || scene.files != nil)
    else { throw AssetImportError(kind: .malformed, message: "the reader returned an incomplete scene") }
    // Base-colour images, each decoded once (whichever materials use it), in image order.
    var decoded: [Int32: TexturePixels] = [:]
    var budget = limits.maxTexturePixelsTotal
    for i in 0..<Int(scene.material_count) {
      let index = scene.materials[i].base_color_image
      guard index >= 0, decoded[index] == nil else { continue }
      guard Int(index) < Int(scene.image_count), scene.images != nil else {
        throw AssetImportError(kind: .malformed, message: "image \(index) does not exist", pointer: "/materials/\(i)")
      }
      let image = scene.images[Int(index)]
      let bytes = image.bytes.map { Array(UnsafeBufferPointer(start: $0, count: image.size)) } ?? []
      let uri = image.uri.map { String(cString: $0) } ?? ""
      let pixels = try TextureDecoder.decode(
        bytes, what: uri.isEmpty ? "image \(index) (embedded)" : "image \(index) ('\(uri)')", pointer: "/images/\(index)",
        limits: limits, budget: budget)
      budget -= UInt64(pixels.width * pixels.height)
      decoded[index] = pixels
    }
    let materials = (0..<Int(scene.material_count)).map { i -> Material in
      let m = scene.materials[i]
      let texture = decoded[m.base_color_image].map { pixels in
        TextureImage(
          pixels, wrapU: TextureImage.Wrap(gltf: m.wrap_s), wrapV: TextureImage.Wrap(gltf: m.wrap_t),
          filter: m.mag_filter == 9728 ? .nearest : .bilinear)
      }
      return Material(
        baseColour: RGB(clamp(m.base_color.0), clamp(m.base_color.1), clamp(m.base_color.2)),
        roughness: clamp(m.roughness), metallic: clamp(m.metallic),
        emissive: RGB(Swift.max(0, m.emissive.0), Swift.max(0, m.emissive.1), Swift.max(0, m.emissive.2)),
        baseColourTexture: texture)
    }
    let textures = decoded.count

    // Mesh-frame vertices and normals once per primitive.
    var vertexTotal = 0
    let primitives = (0..<Int(scene.primitive_count)).map {
      i -> (v: [Vec3], n: [Vec3]?, uv: [SIMD2<Float>]?, idx: [UInt32], material: Int32) in
      let p = scene.primitives[i]
      // The reader allocates both for every primitive it returns; an absent one is an
      // empty primitive rather than a trap.
      guard let positions = p.positions, let indexData = p.indices else { return ([], nil, nil, [], -1) }
      let count = Int(p.vertex_count)
      vertexTotal += count
      let vs = vectors(positions, count: count)
      let ns: [Vec3]? = p.normals.map { vectors($0, count: count) }
      let uvs: [SIMD2<Float>]? = p.texcoords.map { t in (0..<count).map { SIMD2(t[2 * $0], t[2 * $0 + 1]) } }
      let idx = Array(UnsafeBufferPointer(start: indexData, count: Int(p.index_count)))
      return (vs, ns, uvs, idx, p.material)
    }

    var parts: [Part] = []
    var triangles = 0
    for i in 0..<Int(scene.instance_count) {
      let instance = scene.instances[i]
      guard Int(instance.primitive) < primitives.count else { continue }
      let primitive = primitives[Int(instance.primitive)]
      if primitive.uv == nil, primitive.material >= 0, Int(primitive.material) < materials.count,
        materials[Int(primitive.material)].baseColourTexture != nil
      {
        throw AssetImportError(
          kind: .noTextureCoordinates,
          message: "material \(primitive.material) has a baseColorTexture, but a mesh of node \(instance.node) that uses it has no TEXCOORD_0",
          pointer: "/nodes/\(instance.node)/mesh")
      }
      let m = withUnsafeBytes(of: instance.matrix) { Array($0.bindMemory(to: Double.self)) }
      func point(_ v: Vec3) -> Vec3 {
        let x = m[0] * v.x + m[4] * v.y + m[8] * v.z + m[12]
        let y = m[1] * v.x + m[5] * v.y + m[9] * v.z + m[13]
        let z = m[2] * v.x + m[6] * v.y + m[10] * v.z + m[14]
        return axes(Vec3(x, y, z), up) * scale
      }
      // Normals transform by the inverse transpose of the upper 3 × 3 (cofactor matrix,
      // which differs from it by the determinant's factor only: renormalised below).
      let c0 = Vec3(m[0], m[1], m[2]), c1 = Vec3(m[4], m[5], m[6]), c2 = Vec3(m[8], m[9], m[10])
      let r0 = cross(c1, c2), r1 = cross(c2, c0), r2 = cross(c0, c1)
      let det = dot(c0, r0)
      func normal(_ n: Vec3) -> Vec3 {
        var w = r0 * n.x + r1 * n.y + r2 * n.z
        if det < 0 { w = -w }
        let len = (w * w).sum().squareRoot()
        return len > 0 && len.isFinite ? axes(w / len, up) : Vec3(0, 0, 1)
      }
      // A mirroring node matrix flips the winding; keep triangles counter-clockwise.
      var indices = primitive.idx
      if det < 0 {
        var t = 0
        while t + 2 < indices.count {
          indices.swapAt(t + 1, t + 2)
          t += 3
        }
      }
      // Texture coordinates are kept only where an image is drawn with them (memory:
      // docs/scene-model.md).
      let textured = primitive.material >= 0 && Int(primitive.material) < materials.count
        && materials[Int(primitive.material)].baseColourTexture != nil
      let mesh = TriangleMesh(
        vertices: primitive.v.map(point), indices: indices, normals: primitive.n.map { $0.map(normal) },
        uvs: textured ? primitive.uv : nil)
      triangles += mesh.triangleCount
      let label = instance.node_name.map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
      let material = primitive.material >= 0 && Int(primitive.material) < materials.count ? materials[Int(primitive.material)] : nil
      parts.append(Part(.mesh(mesh), material: material, label: label))
    }
    let summary = ImportSummary(
      meshInstances: parts.count, triangles: triangles, vertices: vertexTotal, materials: materials.count, textures: textures,
      files: (0..<Int(scene.file_count)).compactMap { i in scene.files[i].map { String(cString: $0) } })
    return (ImportedAsset(name: name, parts: parts), summary)
  }

  /// glTF (y up, front +z) to the scene (z up, front +x): a cyclic permutation of the axes,
  /// so handedness is kept.
  static func axes(_ v: Vec3, _ up: AssetUpAxis) -> Vec3 {
    switch up {
    case .y: return Vec3(v.z, v.x, v.y)
    case .z: return v
    }
  }

  /// `count` triples of floats as vectors.
  private static func vectors(_ floats: UnsafeMutablePointer<Float>, count: Int) -> [Vec3] {
    var out: [Vec3] = []
    out.reserveCapacity(count)
    for k in 0..<count {
      let x = Double(floats[3 * k]), y = Double(floats[3 * k + 1]), z = Double(floats[3 * k + 2])
      out.append(Vec3(x, y, z))
    }
    return out
  }

  private static func clamp(_ x: Double) -> Double { x.isFinite ? Swift.min(1, Swift.max(0, x)) : 0 }

  private static func cross(_ a: Vec3, _ b: Vec3) -> Vec3 {
    Vec3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
  }

  private static func dot(_ a: Vec3, _ b: Vec3) -> Double { (a * b).sum() }

  static func string(_ buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
  }
}
