import Foundation

/// Small glTF 2.0 assets written by the tests themselves (no third-party files): a unit
/// cube mesh (24 vertices with face normals, 12 triangles, UInt16 indices) placed by a node
/// hierarchy, with two materials.
struct GLTFFixture {
  var positions: [Float] = []
  var normals: [Float] = []
  var indices: [UInt16] = []

  init() {
    // Six faces of the cube [-0.5, 0.5]^3, counter-clockwise seen from outside.
    let faces: [([Float], [Float], [Float])] = [
      ([1, 0, 0], [0, 1, 0], [0, 0, 1]), ([-1, 0, 0], [0, 0, 1], [0, 1, 0]),
      ([0, 1, 0], [0, 0, 1], [1, 0, 0]), ([0, -1, 0], [1, 0, 0], [0, 0, 1]),
      ([0, 0, 1], [1, 0, 0], [0, 1, 0]), ([0, 0, -1], [0, 1, 0], [1, 0, 0]),
    ]
    for (n, u, v) in faces {
      let base = UInt16(positions.count / 3)
      for (su, sv) in [(-1, -1), (1, -1), (1, 1), (-1, 1)] as [(Float, Float)] {
        for k in 0..<3 { positions.append(0.5 * n[k] + 0.5 * su * u[k] + 0.5 * sv * v[k]) }
        normals += n
      }
      indices += [base, base + 1, base + 2, base, base + 2, base + 3]
    }
  }

  /// positions ‖ normals ‖ indices, little-endian.
  var buffer: Data {
    var d = Data()
    for f in positions { withUnsafeBytes(of: f.bitPattern.littleEndian) { d.append(contentsOf: $0) } }
    for f in normals { withUnsafeBytes(of: f.bitPattern.littleEndian) { d.append(contentsOf: $0) } }
    for i in indices { withUnsafeBytes(of: i.littleEndian) { d.append(contentsOf: $0) } }
    return d
  }

  /// The JSON document. `bufferURI` nil: no uri (a .glb's BIN chunk). `nodes` replaces the
  /// default hierarchy (a root translated by (1, 2, 3) with a child scaled by 2 holding the
  /// mesh, plus a second root rotated 90° about y holding it again).
  func json(bufferURI: String?, nodes: String? = nil, extra: String = "", indexCount: Int? = nil, images: String = "") -> String {
    let vertexBytes = positions.count * 4
    let uri = bufferURI.map { "\"uri\": \"\($0)\", " } ?? ""
    let defaultNodes = """
      [{"name": "root", "translation": [1, 2, 3], "children": [1]},
       {"name": "cube", "mesh": 0, "scale": [2, 2, 2]},
       {"name": "turned", "mesh": 0, "rotation": [0, 0.7071067811865476, 0, 0.7071067811865476], "translation": [10, 0, 0]}]
      """
    return """
      {"asset": {"version": "2.0", "generator": "scn tests"},
       "scene": 0, "scenes": [{"nodes": [0, 2]}],
       "nodes": \(nodes ?? defaultNodes),
       "meshes": [{"primitives": [{"attributes": {"POSITION": 0, "NORMAL": 1}, "indices": 2, "material": 0}]}],
       "materials": [{"name": "red", "pbrMetallicRoughness": {"baseColorFactor": [0.8, 0.1, 0.05, 1], "metallicFactor": 0.25, "roughnessFactor": 0.75}, "emissiveFactor": [0.5, 0.25, 0]}\(images)],
       "buffers": [{\(uri)"byteLength": \(buffer.count)}],
       "bufferViews": [
         {"buffer": 0, "byteOffset": 0, "byteLength": \(vertexBytes), "target": 34962},
         {"buffer": 0, "byteOffset": \(vertexBytes), "byteLength": \(vertexBytes), "target": 34962},
         {"buffer": 0, "byteOffset": \(2 * vertexBytes), "byteLength": \(indices.count * 2), "target": 34963}],
       "accessors": [
         {"bufferView": 0, "componentType": 5126, "count": \(positions.count / 3), "type": "VEC3", "min": [-0.5, -0.5, -0.5], "max": [0.5, 0.5, 0.5]},
         {"bufferView": 1, "componentType": 5126, "count": \(normals.count / 3), "type": "VEC3"},
         {"bufferView": 2, "componentType": 5123, "count": \(indexCount ?? indices.count), "type": "SCALAR"}]\(extra)}
      """
  }

  /// A .glb: header, JSON chunk, BIN chunk (both padded to 4 bytes).
  func glb() -> Data {
    var json = Data(self.json(bufferURI: nil).utf8)
    while json.count % 4 != 0 { json.append(0x20) }
    var bin = buffer
    while bin.count % 4 != 0 { bin.append(0) }
    var d = Data()
    func u32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { d.append(contentsOf: $0) } }
    d.append(contentsOf: Array("glTF".utf8))
    u32(2)
    u32(12 + 8 + json.count + 8 + bin.count)
    u32(json.count)
    d.append(contentsOf: Array("JSON".utf8))
    d.append(json)
    u32(bin.count)
    d.append(contentsOf: [0x42, 0x49, 0x4E, 0x00])
    d.append(bin)
    return d
  }
}

/// A fresh temporary folder, removed by `cleanup`.
struct TempFolder {
  let url: URL
  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("scn-gltf-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }
  func write(_ name: String, _ data: Data) throws -> String {
    let file = url.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try data.write(to: file)
    return file.path
  }
  func write(_ name: String, _ text: String) throws -> String { try write(name, Data(text.utf8)) }
  func cleanup() { try? FileManager.default.removeItem(at: url) }
}
