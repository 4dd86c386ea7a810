import CJPEG
import Foundation
import ScnSensors

/// A textured quad written by the tests: a 2 m square in glTF's x-y plane (front +z, so the
/// scene's +x once imported), TEXCOORD_0 from (0, 0) at its top-left corner to (1, 1) at its
/// bottom-right, one material whose baseColorTexture is the given image, embedded in the
/// buffer (a bufferView), as a data: URI, or as an external file.
enum TexturedQuad {
  /// Top-left red, top-right green, bottom-left blue, bottom-right white.
  static let checker: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]

  static func png(_ pixels: [UInt8] = checker, width: Int = 2, height: Int = 2) throws -> Data {
    Data(try PNGEncoder().encodeRGB(pixels, width: width, height: height))
  }

  /// A JPEG of the checker scaled up to `side` × `side` pixels (quadrants of side / 2), at
  /// quality 95 without chroma subsampling.
  static func jpeg(side: Int = 16) -> Data {
    var pixels: [UInt8] = []
    for y in 0..<side {
      for x in 0..<side {
        let q = (y < side / 2 ? 0 : 2) + (x < side / 2 ? 0 : 1)
        pixels += checker[(q * 3)..<(q * 3 + 3)]
      }
    }
    var out: UnsafeMutablePointer<UInt8>? = nil
    var length: UInt = 0
    var message = [CChar](repeating: 0, count: 200)
    let code = cjpeg_encode_rgb8(pixels, UInt32(side), UInt32(side), 95, &out, &length, &message, message.count)
    defer { free(out) }
    guard code == 0, let out else { return Data() }
    return Data(bytes: out, count: Int(length))
  }

  enum Image {
    case bufferView(Data, mime: String)
    case uri(String)
  }

  /// Positions, normals, texture coordinates, indices (then the image, for `.bufferView`).
  static func buffer(image: Data? = nil, texcoords: Bool = true) -> Data {
    var d = Data()
    func f(_ v: Float) { withUnsafeBytes(of: v.bitPattern.littleEndian) { d.append(contentsOf: $0) } }
    for (x, y) in [(-1, -1), (1, -1), (1, 1), (-1, 1)] as [(Float, Float)] { f(x); f(y); f(0) }
    for _ in 0..<4 { f(0); f(0); f(1) }
    if texcoords { for (u, v) in [(0, 1), (1, 1), (1, 0), (0, 0)] as [(Float, Float)] { f(u); f(v) } }
    for i in [0, 1, 2, 0, 2, 3] as [UInt16] { withUnsafeBytes(of: i.littleEndian) { d.append(contentsOf: $0) } }
    while d.count % 4 != 0 { d.append(0) }
    if let image { d.append(image) }
    return d
  }

  /// The .gltf document, its buffer embedded as a data: URI. `sampler` is the texture's
  /// sampler object (nil: none), `texcoords` false leaves TEXCOORD_0 out.
  static func gltf(image: Image, sampler: String? = nil, texcoords: Bool = true, factor: String = "[1, 1, 1, 1]") -> String {
    var imageData: Data?
    var imageJSON: String
    let base = buffer(texcoords: texcoords).count
    switch image {
    case .bufferView(let data, let mime):
      imageData = data
      imageJSON = "{\"bufferView\": 4, \"mimeType\": \"\(mime)\"}"
    case .uri(let uri):
      imageJSON = "{\"uri\": \"\(uri)\"}"
    }
    let bytes = buffer(image: imageData, texcoords: texcoords)
    let texView = texcoords ? 32 : 0
    let attributes = texcoords ? "\"POSITION\": 0, \"NORMAL\": 1, \"TEXCOORD_0\": 2" : "\"POSITION\": 0, \"NORMAL\": 1"
    let accessors = [
      "{\"bufferView\": 0, \"componentType\": 5126, \"count\": 4, \"type\": \"VEC3\", \"min\": [-1, -1, 0], \"max\": [1, 1, 0]}",
      "{\"bufferView\": 1, \"componentType\": 5126, \"count\": 4, \"type\": \"VEC3\"}",
      texcoords ? "{\"bufferView\": 2, \"componentType\": 5126, \"count\": 4, \"type\": \"VEC2\"}" : "{\"bufferView\": 1, \"componentType\": 5126, \"count\": 4, \"type\": \"VEC3\"}",
      "{\"bufferView\": 3, \"componentType\": 5123, \"count\": 6, \"type\": \"SCALAR\"}",
    ]
    let views = [
      "{\"buffer\": 0, \"byteOffset\": 0, \"byteLength\": 48}",
      "{\"buffer\": 0, \"byteOffset\": 48, \"byteLength\": 48}",
      "{\"buffer\": 0, \"byteOffset\": 96, \"byteLength\": \(Swift.max(texView, 4))}",
      "{\"buffer\": 0, \"byteOffset\": \(96 + texView), \"byteLength\": 12}",
    ] + (imageData.map { ["{\"buffer\": 0, \"byteOffset\": \(base), \"byteLength\": \($0.count)}"] } ?? [])
    let texture = sampler == nil ? "{\"source\": 0}" : "{\"source\": 0, \"sampler\": 0}"
    return """
      {"asset": {"version": "2.0"}, "scene": 0, "scenes": [{"nodes": [0]}],
       "nodes": [{"name": "quad", "mesh": 0}],
       "meshes": [{"primitives": [{"attributes": {\(attributes)}, "indices": 3, "material": 0}]}],
       "materials": [{"name": "checker", "pbrMetallicRoughness": {"baseColorFactor": \(factor), "baseColorTexture": {"index": 0}, "metallicFactor": 0, "roughnessFactor": 1}}],
       "textures": [\(texture)],
       \(sampler.map { "\"samplers\": [\($0)]," } ?? "")
       "images": [\(imageJSON)],
       "buffers": [{"uri": "data:application/octet-stream;base64,\(bytes.base64EncodedString())", "byteLength": \(bytes.count)}],
       "bufferViews": [\(views.joined(separator: ", "))],
       "accessors": [\(accessors.joined(separator: ", "))]}
      """
  }
}
