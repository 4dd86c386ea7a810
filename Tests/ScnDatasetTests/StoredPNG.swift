/// A minimal PNG encoder for tests: zlib "stored" (uncompressed) deflate blocks, so it needs
/// no compression library. Real datasets get their PNGs from the renderer.
enum StoredPNG {
  enum Pixels {
    case rgb8([UInt8])
    case gray8([UInt8])
    case gray16([UInt16])
  }

  static func encode(width: Int, height: Int, _ pixels: Pixels) -> [UInt8] {
    var raw: [UInt8] = []
    let (bitDepth, colorType): (UInt8, UInt8)
    switch pixels {
    case .rgb8(let values):
      (bitDepth, colorType) = (8, 2)
      for y in 0..<height {
        raw.append(0)
        raw += values[(y * width * 3)..<((y + 1) * width * 3)]
      }
    case .gray8(let values):
      (bitDepth, colorType) = (8, 0)
      for y in 0..<height {
        raw.append(0)
        raw += values[(y * width)..<((y + 1) * width)]
      }
    case .gray16(let values):
      (bitDepth, colorType) = (16, 0)
      for y in 0..<height {
        raw.append(0)
        for v in values[(y * width)..<((y + 1) * width)] { raw += [UInt8(v >> 8), UInt8(v & 0xFF)] }
      }
    }
    var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    png += chunk("IHDR", be32(UInt32(width)) + be32(UInt32(height)) + [bitDepth, colorType, 0, 0, 0])
    png += chunk("IDAT", zlibStored(raw))
    png += chunk("IEND", [])
    return png
  }

  static func zlibStored(_ data: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x78, 0x01]
    var offset = 0
    repeat {
      let length = min(65_535, data.count - offset)
      let final: UInt8 = offset + length == data.count ? 1 : 0
      out.append(final)
      out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
      out += data[offset..<(offset + length)]
      offset += length
    } while offset < data.count
    var a: UInt32 = 1, b: UInt32 = 0
    for byte in data {
      a = (a + UInt32(byte)) % 65_521
      b = (b + a) % 65_521
    }
    return out + be32((b << 16) | a)
  }

  static func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
    let typed = Array(type.utf8) + body
    return be32(UInt32(body.count)) + typed + be32(crc32(typed))
  }

  static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }

  static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
  }
}
