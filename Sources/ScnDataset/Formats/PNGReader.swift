import CPNG

/// Why a PNG could not be decoded: corrupt or truncated bytes, or a layout scn never writes.
public struct PNGReadError: Error, Sendable, Equatable, CustomStringConvertible {
  public var reason: String
  public var description: String { "cannot decode PNG: \(reason)" }
}

/// A decoded PNG in one of the layouts scn writes (RGB images, 16-bit depth and instance
/// images, 8-bit semantic images). `verify --labels` reads the label images through it.
public struct PNGImage: Sendable, Equatable {
  public enum Layout: String, Sendable {
    case gray8, gray16, rgb8
  }

  public var width: Int
  public var height: Int
  public var layout: Layout
  /// Samples row-major, channels interleaved; 8-bit samples are widened, 16-bit ones are
  /// the stored values (PNG's big-endian bytes already turned into numbers).
  public var samples: [UInt16]

  public var channels: Int { layout == .rgb8 ? 3 : 1 }
  public var isGray: Bool { layout != .rgb8 }

  /// Decodes `bytes` through libpng. Images larger than `maxDimension` pixels on a side are
  /// refused before their pixels are allocated (the renderer's own limit is 16384).
  public init(decoding bytes: [UInt8], maxDimension: Int = 16384) throws(PNGReadError) {
    var buffer = cpng_buffer(data: nil, size: 0, capacity: 0)
    defer { cpng_buffer_free(&buffer) }
    var message = [CChar](repeating: 0, count: 256)
    var width: UInt32 = 0
    var height: UInt32 = 0
    var channels: Int32 = 0
    var depth: Int32 = 0
    let limit = UInt32(clamping: max(1, maxDimension))
    let status = bytes.withUnsafeBufferPointer { input in
      message.withUnsafeMutableBufferPointer { text in
        cpng_decode_samples(
          input.baseAddress, input.count, limit, limit, &buffer, &width, &height, &channels, &depth, text.baseAddress,
          text.count)
      }
    }
    guard status == 0, let data = buffer.data else {
      let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      throw PNGReadError(reason: reason.isEmpty ? "libpng status \(status)" : reason)
    }
    let layout: Layout
    switch (channels, depth) {
    case (1, 8): layout = .gray8
    case (1, 16): layout = .gray16
    case (3, 8): layout = .rgb8
    default: throw PNGReadError(reason: "unexpected layout: \(channels) channels of \(depth) bits")
    }
    let count = Int(width) * Int(height) * (layout == .rgb8 ? 3 : 1)
    let byteCount = layout == .gray16 ? count * 2 : count
    guard buffer.size == byteCount else {
      throw PNGReadError(
        reason: "decoder returned \(buffer.size) bytes for a \(width)×\(height) \(layout.rawValue) image")
    }
    let samples: [UInt16]
    if layout == .gray16 {
      samples = [UInt16](unsafeUninitializedCapacity: count) { out, initialized in
        UnsafeMutableRawBufferPointer(out).copyMemory(from: UnsafeRawBufferPointer(start: data, count: byteCount))
        initialized = count
      }
    } else {
      let bytes = UnsafeBufferPointer(start: data, count: count)
      samples = bytes.map(UInt16.init)
    }
    self.width = Int(width)
    self.height = Int(height)
    self.layout = layout
    self.samples = samples
  }
}
