import ScnScene
import CPNG

/// PNG row filters to try (libpng picks per row among those allowed).
public struct PNGFilter: OptionSet, Hashable, Sendable {
  public let rawValue: Int32
  public init(rawValue: Int32) { self.rawValue = rawValue }

  public static let none = PNGFilter(rawValue: Int32(CPNG_FILTER_NONE))
  public static let sub = PNGFilter(rawValue: Int32(CPNG_FILTER_SUB))
  public static let up = PNGFilter(rawValue: Int32(CPNG_FILTER_UP))
  public static let average = PNGFilter(rawValue: Int32(CPNG_FILTER_AVG))
  public static let paeth = PNGFilter(rawValue: Int32(CPNG_FILTER_PAETH))
  public static let all: PNGFilter = [.none, .sub, .up, .average, .paeth]
}

/// How zlib looks for repeats (`PNGEncoder.strategy`).
public enum PNGStrategy: Hashable, Sendable {
  /// zlib's default: matches of any length at any distance in its window.
  case matches
  /// Runs of one repeated byte only (zlib's Z_RLE): faster than `matches` where repeats are
  /// mostly runs; flat label images compress better with `matches`.
  case runs
  /// No search for repeats at all, only the Huffman coding of the filtered bytes (zlib's
  /// Z_HUFFMAN_ONLY). A camera image with sensor noise has almost no repeats, so this is the
  /// fastest and in our measurements also the smallest (docs/scene-model.md, "Exposure, tone
  /// curve and noise"): 640×480 street frames with noise, Sub filter, 367 KB against 369 KB
  /// for `runs` and 444 KB for `matches`, in 0.8× the time of `runs`. 8-bit images with the
  /// Sub filter alone (the camera's RGB) are written by `LiteralPNG`, the same kind of
  /// stream as zlib's in less than half its time (366 KB for those frames); other images
  /// through zlib (`PNGEncoder.encodeWithLibpng`).
  case huffman
}

/// Encodes images to PNG bytes in memory: libpng's files, written by `LiteralPNG`, by CPNG's
/// direct writer (Sub-filtered images, byte for byte libpng's file) or by libpng. Stateless
/// and thread-safe: frames may be encoded in parallel.
public struct PNGEncoder: Hashable, Sendable {
  /// zlib level 0 (store) … 9 (smallest).
  public var compressionLevel: Int
  public var filter: PNGFilter
  public var strategy: PNGStrategy

  public init(compressionLevel: Int = 1, filter: PNGFilter = .sub, strategy: PNGStrategy = .matches) {
    self.compressionLevel = compressionLevel
    self.filter = filter
    self.strategy = strategy
  }

  /// 8-bit RGB, `pixels.count == width · height · 3`.
  public func encodeRGB(_ pixels: [UInt8], width: Int, height: Int) throws -> [UInt8] {
    try check(pixels.count, width * height * 3, width, height)
    return try pixels.withUnsafeBufferPointer { try encode($0, rowBytes: width * 3, width, height, 3, 8) }
  }

  /// 8-bit greyscale.
  public func encodeGray(_ pixels: [UInt8], width: Int, height: Int) throws -> [UInt8] {
    try check(pixels.count, width * height, width, height)
    return try pixels.withUnsafeBufferPointer { try encode($0, rowBytes: width, width, height, 1, 8) }
  }

  /// 16-bit greyscale (stored big-endian, as PNG requires: libpng swaps each row as it
  /// writes it, so the image is not copied).
  public func encodeGray16(_ pixels: [UInt16], width: Int, height: Int) throws -> [UInt8] {
    try check(pixels.count, width * height, width, height)
    return try pixels.withUnsafeBytes { raw in
      try encode(raw.bindMemory(to: UInt8.self), rowBytes: width * 2, width, height, 1, 16)
    }
  }

  private func check(_ count: Int, _ expected: Int, _ width: Int, _ height: Int) throws {
    guard width > 0, height > 0, width <= 1 << 24, height <= 1 << 24 else {
      throw RenderError.encodingFailed("image size \(width)×\(height) is out of range")
    }
    guard count == expected else {
      throw RenderError.encodingFailed("expected \(expected) samples for \(width)×\(height), got \(count)")
    }
  }

  private func encode(
    _ samples: UnsafeBufferPointer<UInt8>, rowBytes: Int, _ width: Int, _ height: Int, _ channels: Int32,
    _ depth: Int32
  ) throws -> [UInt8] {
    if strategy == .huffman, depth == 8, filter == .sub, compressionLevel > 0, samples.baseAddress != nil {
      return LiteralPNG.encode(samples, width: width, height: height, channels: Int(channels))
    }
    return try encodeWithLibpng(samples, rowBytes: rowBytes, width, height, channels, depth)
  }

  /// The image through zlib, whatever the strategy (`encode` sends 8-bit Huffman-only Sub
  /// images to `LiteralPNG` instead): `cpng_encode_samples` writes Sub-filtered images of
  /// more than 16 KiB itself, the same bytes libpng writes, and hands the rest to libpng;
  /// `libpngOnly` sends every image to libpng (the reference the tests compare with).
  func encodeWithLibpng(
    _ samples: UnsafeBufferPointer<UInt8>, rowBytes: Int, _ width: Int, _ height: Int, _ channels: Int32,
    _ depth: Int32, libpngOnly: Bool = false
  ) throws -> [UInt8] {
    guard let base = samples.baseAddress else { throw RenderError.encodingFailed("empty image") }
    var buffer = cpng_buffer(data: nil, size: 0, capacity: 0)
    defer { cpng_buffer_free(&buffer) }
    var message = [CChar](repeating: 0, count: 256)
    let level = Int32(Swift.min(9, Swift.max(0, compressionLevel)))
    let filters = filter.isEmpty ? PNGFilter.sub.rawValue : filter.rawValue
    let zlibStrategy: Int32
    switch strategy {
    case .matches: zlibStrategy = Int32(CPNG_STRATEGY_DEFAULT)
    case .runs: zlibStrategy = Int32(CPNG_STRATEGY_RLE)
    case .huffman: zlibStrategy = Int32(CPNG_STRATEGY_HUFFMAN)
    }
    // Samples are in the host's byte order (16-bit ones are swapped inside libpng).
    let status = message.withUnsafeMutableBufferPointer { text in
      (libpngOnly ? cpng_encode_samples_libpng : cpng_encode_samples)(
        base, rowBytes, UInt32(width), UInt32(height), channels, depth, level, filters, zlibStrategy, 1, &buffer,
        text.baseAddress, text.count)
    }
    guard status == 0, let data = buffer.data else {
      let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      throw RenderError.encodingFailed(reason.isEmpty ? "libpng status \(status)" : reason)
    }
    return Array(UnsafeBufferPointer(start: data, count: buffer.size))
  }
}

extension CameraFrame {
  /// The four images of this frame as PNG files: RGB, depth (16-bit), instance (16-bit),
  /// semantic (8-bit), encoded in parallel on up to `threads` threads.
  public func encodePNGs(with encoder: PNGEncoder = PNGEncoder(), threads: Int = 4) throws -> EncodedFrame {
    let frame = self
    var results = [Result<[UInt8], Error>](repeating: .success([]), count: 4)
    results.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      let out = SharedBuffer(base: base)
      Parallel.forEach(count: 4, threads: threads) { k in
        out.base[k] = Result {
          switch k {
          case 0: try encoder.encodeRGB(frame.rgb, width: frame.width, height: frame.height)
          case 1: try encoder.encodeGray16(frame.depth, width: frame.width, height: frame.height)
          case 2: try encoder.encodeGray16(frame.instance, width: frame.width, height: frame.height)
          default: try encoder.encodeGray(frame.semantic, width: frame.width, height: frame.height)
          }
        }
      }
    }
    return EncodedFrame(
      rgb: try results[0].get(), depth: try results[1].get(), instance: try results[2].get(),
      semantic: try results[3].get())
  }
}

/// PNG bytes of one camera frame.
public struct EncodedFrame: Hashable, Sendable {
  public var rgb: [UInt8]
  public var depth: [UInt8]
  public var instance: [UInt8]
  public var semantic: [UInt8]
}
