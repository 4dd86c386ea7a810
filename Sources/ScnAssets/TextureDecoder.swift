import CJPEG
import CPNG
import ScnScene

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Base-colour images of imported assets, decoded once at import (docs/assets.md,
/// "Textures"): PNG through libpng's simplified API (`CPNG`), JPEG through libjpeg-turbo
/// (`CJPEG`), told apart by their first bytes; anything else is refused (E0617). The
/// header's size is checked against `AssetLimits` (side, pixels per image, pixels left of
/// the asset's total) before any pixel memory is allocated (E0616); a corrupt or truncated
/// image is an error with the decoder's message (E0615), never a crash. The 8-bit sRGB
/// samples become linear once, here (`TexturePixels`).
public enum TextureDecoder {
  enum Format: String {
    case png = "PNG"
    case jpeg = "JPEG"
  }

  static func format(of bytes: [UInt8]) -> Format? {
    if bytes.count >= 8, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
    if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return .jpeg }
    return nil
  }

  /// One image on its own (as the importers decode each base-colour image), for the fuzzer
  /// and tools: PNG or JPEG bytes to linear texels within `limits`.
  public static func decode(_ bytes: [UInt8], limits: AssetLimits = .standard) throws(AssetImportError) -> TexturePixels {
    try decode(bytes, what: "the image", pointer: "", limits: limits, budget: limits.maxTexturePixelsTotal)
  }

  /// Decodes `bytes`, named `what` in messages (`image 0 ('checker.png')`) at `pointer`,
  /// allowing at most `budget` pixels (the asset's total still free, capped per image).
  static func decode(
    _ bytes: [UInt8], what: String, pointer: String, limits: AssetLimits, budget: UInt64
  ) throws(AssetImportError) -> TexturePixels {
    guard let format = format(of: bytes) else {
      let start = bytes.prefix(4).map { String($0, radix: 16, uppercase: true) }.joined(separator: " ")
      throw AssetImportError(
        kind: .imageUnsupported,
        message: "\(what) is neither PNG nor JPEG (it starts with bytes \(start.isEmpty ? "none" : start))",
        pointer: pointer)
    }
    let maxPixels = Swift.min(limits.maxTexturePixels, budget)
    var width: UInt32 = 0, height: UInt32 = 0
    var message = [CChar](repeating: 0, count: 256)
    var pixels: UnsafeMutablePointer<UInt8>? = nil
    var count = 0
    let code: Int32
    switch format {
    case .png:
      var out = cpng_buffer(data: nil, size: 0, capacity: 0)
      code = bytes.withUnsafeBufferPointer { b in
        message.withUnsafeMutableBufferPointer { m in
          cpng_decode_rgb8(
            b.baseAddress, b.count, limits.maxTextureSide, maxPixels, &out, &width, &height, m.baseAddress, m.count)
        }
      }
      pixels = out.data
      count = out.size
    case .jpeg:
      code = bytes.withUnsafeBufferPointer { b in
        message.withUnsafeMutableBufferPointer { m in
          cjpeg_decode_rgb8(
            b.baseAddress, b.count, limits.maxTextureSide, maxPixels, &pixels, &width, &height, m.baseAddress, m.count)
        }
      }
      count = Int(width) * Int(height) * 3
    }
    defer { free(pixels) }
    switch code {
    case 0: break
    case 2:  // CPNG_TOO_LARGE, CJPEG_TOO_LARGE
      let total = UInt64(width) * UInt64(height)
      let why =
        width > limits.maxTextureSide || height > limits.maxTextureSide
        ? "a side over the limit of \(limits.maxTextureSide) pixels"
        : total > limits.maxTexturePixels
          ? "more than the limit of \(limits.maxTexturePixels) pixels per image"
          : "more than the \(budget) pixels left of the asset's limit of \(limits.maxTexturePixelsTotal)"
      throw AssetImportError(
        kind: .imageTooLarge, message: "\(what) is \(width) × \(height) pixels, \(why)", pointer: pointer)
    default:
      throw AssetImportError(
        kind: .imageCorrupt, message: "\(what) is not a valid \(format.rawValue) image: \(GLTFImporter.string(message))",
        pointer: pointer)
    }
    guard let pixels, count == Int(width) * Int(height) * 3,
      let decoded = TexturePixels(width: Int(width), height: Int(height), srgb: UnsafeBufferPointer(start: pixels, count: count))
    else {
      throw AssetImportError(kind: .imageCorrupt, message: "\(what) decoded to no pixels", pointer: pointer)
    }
    return decoded
  }
}
