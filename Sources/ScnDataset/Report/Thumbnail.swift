import CPNG

/// A small PNG of a dataset image for `scn report`'s contact sheet: the image box-filtered
/// down (which also averages the sensor noise away) and its channels quantised, so that the
/// PNG fits a byte budget. Deterministic: the same image and budget give the same bytes.
struct Thumbnail {
  var width: Int
  var height: Int
  var png: [UInt8]

  /// The first try is `maxWidth` with 32 levels per channel; when that is too large, the
  /// width its size predicts for the budget (bytes grow with the pixel count), then widths
  /// down by a fifth each step, each with 32, 16 and 8 levels per channel, until the PNG fits
  /// `budget` bytes; the smallest try when none fits. Nil when the PNG cannot be decoded or
  /// is not RGB or grey 8-bit.
  static func make(png bytes: [UInt8], maxWidth: Int, budget: Int) -> Thumbnail? {
    guard let image = try? PNGImage(decoding: bytes), image.layout != .gray16, image.width > 0, image.height > 0
    else { return nil }
    var width = min(maxWidth, image.width)
    func height(_ w: Int) -> Int { max(1, Int((Double(image.height) * Double(w) / Double(image.width)).rounded())) }
    guard let first = encode(quantise(downscale(image, width: width, height: height(width)), shift: 3), width: width, height: height(width))
    else { return nil }
    if first.count <= budget { return Thumbnail(width: width, height: height(width), png: first) }
    let predicted = Double(width) * (Double(budget) / Double(first.count)).squareRoot() * 0.95
    width = max(16, min(width - 1, Int(predicted)))
    var last: Thumbnail?
    while true {
      let height = max(1, Int((Double(image.height) * Double(width) / Double(image.width)).rounded()))
      let small = downscale(image, width: width, height: height)
      for shift in [3, 4, 5] {
        guard let png = encode(quantise(small, shift: shift), width: width, height: height) else { return last }
        last = Thumbnail(width: width, height: height, png: png)
        if png.count <= budget { return last }
      }
      let next = width * 4 / 5
      if next < 16 || next == width { return last }
      width = next
    }
  }

  /// Mean of the source pixels each thumbnail pixel covers, RGB out.
  static func downscale(_ image: PNGImage, width: Int, height: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: width * height * 3)
    let channels = image.channels
    for ty in 0..<height {
      let y0 = ty * image.height / height, y1 = max(y0 + 1, (ty + 1) * image.height / height)
      for tx in 0..<width {
        let x0 = tx * image.width / width, x1 = max(x0 + 1, (tx + 1) * image.width / width)
        var sum = (0, 0, 0)
        for y in y0..<min(y1, image.height) {
          var i = (y * image.width + x0) * channels
          for _ in x0..<min(x1, image.width) {
            if channels == 3 {
              sum.0 += Int(image.samples[i])
              sum.1 += Int(image.samples[i + 1])
              sum.2 += Int(image.samples[i + 2])
            } else {
              let v = Int(image.samples[i])
              sum.0 += v
              sum.1 += v
              sum.2 += v
            }
            i += channels
          }
        }
        let n = max(1, (min(y1, image.height) - y0) * (min(x1, image.width) - x0))
        let o = (ty * width + tx) * 3
        out[o] = UInt8(clamping: (sum.0 + n / 2) / n)
        out[o + 1] = UInt8(clamping: (sum.1 + n / 2) / n)
        out[o + 2] = UInt8(clamping: (sum.2 + n / 2) / n)
      }
    }
    return out
  }

  /// Keeps the top `8 - shift` bits of each sample, centred in the dropped range.
  static func quantise(_ rgb: [UInt8], shift: Int) -> [UInt8] {
    let mask = UInt8(truncatingIfNeeded: 0xFF << shift)
    let half = UInt8(truncatingIfNeeded: (1 << shift) >> 1)
    return rgb.map { ($0 & mask) | half }
  }

  static func encode(_ rgb: [UInt8], width: Int, height: Int) -> [UInt8]? {
    var buffer = cpng_buffer(data: nil, size: 0, capacity: 0)
    defer { cpng_buffer_free(&buffer) }
    let status = rgb.withUnsafeBufferPointer { rows in
      cpng_encode(
        rows.baseAddress, width * 3, UInt32(width), UInt32(height), 3, 8, 9, Int32(CPNG_FILTER_ALL), &buffer, nil, 0)
    }
    guard status == 0, let data = buffer.data else { return nil }
    return Array(UnsafeBufferPointer(start: data, count: buffer.size))
  }
}
