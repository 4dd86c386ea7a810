import ScnGeometry

/// A base-colour texture (docs/scene-model.md, "Materials"): a decoded image and its
/// sampler (wrap modes, filter), sampled at a mesh hit's texture coordinates.
public struct TextureImage: Hashable, Sendable {

  /// What a coordinate outside 0…1 reads (glTF's sampler `wrapS`/`wrapT`).
  public enum Wrap: UInt8, Hashable, Sendable {
    /// 10497 REPEAT: the image tiles.
    case repeating
    /// 33071 CLAMP_TO_EDGE: the edge texels continue.
    case clamp
    /// 33648 MIRRORED_REPEAT: tiles, every other one mirrored.
    case mirrored

    /// The glTF sampler value's mode (an unknown value repeats, glTF's default).
    public init(gltf value: Int32) {
      switch value {
      case 33071: self = .clamp
      case 33648: self = .mirrored
      default: self = .repeating
      }
    }
  }

  /// How a point between texel centres reads (glTF's `magFilter`).
  public enum Filter: UInt8, Hashable, Sendable {
    /// Bilinear between the four nearest texels (9729 LINEAR, glTF's default).
    case bilinear
    /// The nearest texel (9728 NEAREST).
    case nearest
  }

  public let pixels: TexturePixels
  public let wrapU: Wrap
  public let wrapV: Wrap
  public let filter: Filter

  public init(_ pixels: TexturePixels, wrapU: Wrap = .repeating, wrapV: Wrap = .repeating, filter: Filter = .bilinear) {
    self.pixels = pixels
    self.wrapU = wrapU
    self.wrapV = wrapV
    self.filter = filter
  }

  public var width: Int { pixels.width }
  public var height: Int { pixels.height }

  /// The linear colour at texture coordinates (u, v) (glTF: (0, 0) the image's top-left
  /// corner, (1, 1) its bottom-right; texel centres at (i + ½) / width), through the wrap
  /// modes and the filter. A non-finite coordinate reads as 0.
  public func sample(_ uv: SIMD2<Double>) -> SIMD3<Double> {
    let width = pixels.width, height = pixels.height
    let x = Self.position(uv.x, size: width, wrap: wrapU)
    let y = Self.position(uv.y, size: height, wrap: wrapV)
    switch filter {
    case .nearest:
      let i = Self.index(Int(x.rounded(.down)), size: width, wrap: wrapU)
      let j = Self.index(Int(y.rounded(.down)), size: height, wrap: wrapV)
      return pixels.texel(i, j)
    case .bilinear:
      // Between the centres of texels floor(x − ½) and the next one.
      let fx = x - 0.5, fy = y - 0.5
      let x0 = fx.rounded(.down), y0 = fy.rounded(.down)
      let ax = fx - x0, ay = fy - y0
      let i0 = Self.index(Int(x0), size: width, wrap: wrapU), i1 = Self.index(Int(x0) + 1, size: width, wrap: wrapU)
      let j0 = Self.index(Int(y0), size: height, wrap: wrapV), j1 = Self.index(Int(y0) + 1, size: height, wrap: wrapV)
      let top = pixels.texel(i0, j0) * (1 - ax) + pixels.texel(i1, j0) * ax
      let bottom = pixels.texel(i0, j1) * (1 - ax) + pixels.texel(i1, j1) * ax
      return top * (1 - ay) + bottom * ay
    }
  }

  /// The coordinate in texels, first brought into a bounded range with the same texels
  /// (modulo 2 for the tiling modes, whose periods are 1 and 2; clamped to −1…2 otherwise),
  /// so that any finite coordinate converts to `Int` safely.
  @inline(__always)
  static func position(_ t: Double, size: Int, wrap: Wrap) -> Double {
    guard t.isFinite else { return 0 }
    let bounded: Double
    switch wrap {
    case .repeating, .mirrored: bounded = t - 2 * (t / 2).rounded(.down)
    case .clamp: bounded = Swift.min(2, Swift.max(-1, t))
    }
    return bounded * Double(size)
  }

  /// Texel index `i` (any integer near 0…size) under the wrap mode.
  @inline(__always)
  static func index(_ i: Int, size: Int, wrap: Wrap) -> Int {
    switch wrap {
    case .clamp: return Swift.min(size - 1, Swift.max(0, i))
    case .repeating: return ((i % size) + size) % size
    case .mirrored:
      let m = ((i % (2 * size)) + 2 * size) % (2 * size)
      return m < size ? m : 2 * size - 1 - m
    }
  }

}

/// The decoded texels of one image: linear RGB, converted from the file's 8-bit sRGB once
/// when the asset is imported. Immutable; compared and hashed by identity (an image is
/// decoded once and shared by every texture and part that uses it).
///
/// Stored as linear values in 16-bit fixed point (65535 = 1): 6 bytes a pixel (every 8-bit
/// sRGB level keeps a distinct value), so the largest image allowed
/// (`AssetLimits.maxTexturePixels`, 2^24) holds 96 MiB.
public final class TexturePixels: Hashable, @unchecked Sendable {
  // @unchecked: `texels` is written only in `init` and read-only afterwards.
  public let width: Int
  public let height: Int
  /// Three linear 16-bit values (red, green, blue) per texel, rows top to bottom.
  private let texels: UnsafeMutablePointer<UInt16>

  /// `srgb` holds width × height × 3 bytes of 8-bit sRGB, rows top to bottom (what the PNG
  /// and JPEG decoders return); nil when the sizes do not match.
  public init?(width: Int, height: Int, srgb: UnsafeBufferPointer<UInt8>) {
    guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else { return nil }
    let (count, overflow) = width.multipliedReportingOverflow(by: height * 3)
    guard !overflow, srgb.count == count else { return nil }
    self.width = width
    self.height = height
    texels = .allocate(capacity: count)
    let table = Self.linearTable
    for i in 0..<count { texels[i] = table[Int(srgb[i])] }
  }

  deinit { texels.deallocate() }

  /// Bytes the texels hold.
  public var byteCount: Int { width * height * 3 * MemoryLayout<UInt16>.stride }

  /// 8-bit sRGB to linear 16-bit (IEC 61966-2-1), the same curve as `RGB.fromSRGB`.
  static let linearTable: [UInt16] = (0..<256).map { level in
    let s = Double(level) / 255
    let l = s <= 0.04045 ? s / 12.92 : powDouble((s + 0.055) / 1.055, 2.4)
    return UInt16((l * 65535).rounded())
  }

  /// Texel (i, j), column i of row j (0 the top row), both in range, as linear RGB.
  @inline(__always)
  func texel(_ i: Int, _ j: Int) -> SIMD3<Double> {
    let p = texels + (j * width + i) * 3
    return SIMD3(Double(p[0]), Double(p[1]), Double(p[2])) * (1 / 65535.0)
  }

  public static func == (a: TexturePixels, b: TexturePixels) -> Bool { a === b }
  public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
