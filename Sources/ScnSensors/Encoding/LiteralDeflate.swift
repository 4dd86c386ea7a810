import CPNG

/// The PNG writer of `PNGStrategy.huffman` for 8-bit images: the Sub filter, then a zlib
/// stream of dynamic-Huffman deflate blocks holding literals only (RFC 1950, RFC 1951), the
/// same kind of stream zlib's Z_HUFFMAN_ONLY writes. A camera image with sensor noise has
/// almost no repeats, so entropy-coding the filtered bytes is all that pays; zlib spends
/// about 20 cycles a byte on that (one symbol at a time through its match-finding loop),
/// this writer about 5 (a histogram, a code per 64 KiB block, a table lookup per byte).
/// The checksums (CRC-32 of the chunks, Adler-32 of the stream) are libdeflate's vectorised
/// ones, the values zlib computes (`cpng_crc32`, `cpng_adler32`).
enum LiteralPNG {
  /// Filtered bytes per deflate block, about (whole rows; each block has a code of its own,
  /// built from its histogram, so the code follows the image from sky to road).
  static let blockBytes = 1 << 16
  /// Largest IDAT chunk written.
  static let chunkBytes = 1 << 20

  /// The PNG file of `height` rows of `width` pixels of `channels` (1 or 3) 8-bit samples,
  /// `samples.count == width · height · channels` (the caller checks). Rows are filtered a
  /// block at a time: the memory used beyond the file is one block.
  static func encode(_ samples: UnsafeBufferPointer<UInt8>, width: Int, height: Int, channels: Int) -> [UInt8] {
    // Room for the filtered bytes, one more per row (the filter byte) and the blocks' code
    // tables: a literal-only stream of a noisy image is a little smaller than that, so the
    // buffer is allocated once instead of doubled up from 64 KiB (each step a copy and
    // fresh pages to fault in).
    var stream = DeflateWriter(capacity: samples.count + height + (samples.count / blockBytes + 2) * 512)
    stream.writeZlibStream(rows: samples, rowBytes: width * channels, height: height, channels: channels)

    var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    png.reserveCapacity(stream.count + 64 + (stream.count / chunkBytes + 1) * 12)
    var header = [UInt8]()
    header.appendBigEndian(UInt32(width))
    header.appendBigEndian(UInt32(height))
    header += [8, channels == 3 ? 2 : 0, 0, 0, 0]  // depth, colour type, deflate, filter set 0, no interlace
    appendChunk("IHDR", header[...], to: &png)
    stream.withBytes { data in
      var start = 0
      repeat {
        let end = Swift.min(data.count, start + chunkBytes)
        appendChunk("IDAT", data[start..<end], to: &png)
        start = end
      } while start < data.count
    }
    appendChunk("IEND", ArraySlice<UInt8>(), to: &png)
    return png
  }

  private static func appendChunk<C: Collection<UInt8>>(_ type: String, _ data: C, to png: inout [UInt8]) {
    png.appendBigEndian(UInt32(data.count))
    let start = png.count
    png += Array(type.utf8)
    png += data
    let crc = png[start...].withContiguousStorageIfAvailable { bytes in
      cpng_crc32(0, bytes.baseAddress, bytes.count)
    } ?? 0
    png.appendBigEndian(crc)
  }
}

/// A zlib stream of literal-only dynamic-Huffman blocks, written into memory it grows.
struct DeflateWriter: ~Copyable {
  private var base: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  private(set) var count = 0
  /// Bits not yet written, least significant first (deflate's bit order).
  private var bits: UInt64 = 0
  private var bitCount = 0

  /// `capacity`: the bytes to allocate at first (it grows as needed).
  init(capacity: Int = 1 << 16) {
    self.capacity = Swift.max(1 << 12, capacity)
    base = .allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    body(UnsafeBufferPointer(start: base, count: count))
  }

  /// Header (deflate, 32 KiB window, fastest level), the blocks of Sub-filtered rows,
  /// Adler-32 of the filtered bytes.
  mutating func writeZlibStream(rows samples: UnsafeBufferPointer<UInt8>, rowBytes: Int, height: Int, channels: Int) {
    guard let s = samples.baseAddress, rowBytes >= channels, channels > 0 else { return }
    reserve(2)
    base[count] = 0x78
    base[count + 1] = 0x01
    count += 2
    let line = rowBytes + 1
    let rowsPerBlock = Swift.max(1, LiteralPNG.blockBytes / line)
    let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: rowsPerBlock * line)
    defer { scratch.deallocate() }
    var adler: UInt32 = 1
    var y0 = 0
    repeat {
      let y1 = Swift.min(height, y0 + rowsPerBlock)
      for y in y0..<y1 {
        let row = s + y * rowBytes
        let out = scratch + (y - y0) * line
        out[0] = 1  // Sub: each byte minus the byte `channels` before it in the row
        let filtered = out + 1
        filtered.update(from: row, count: channels)
        let ahead = row + channels
        for i in 0..<(rowBytes - channels) { filtered[channels &+ i] = ahead[i] &- row[i] }
      }
      let block = UnsafeBufferPointer(start: UnsafePointer(scratch), count: (y1 - y0) * line)
      adler = cpng_adler32(adler, block.baseAddress, block.count)
      writeBlock(block, final: y1 == height)
      y0 = y1
    } while y0 < height
    flushToByte()
    reserve(4)
    for k in 0..<4 { base[count + k] = UInt8(truncatingIfNeeded: adler >> (24 - 8 * UInt32(k))) }
    count += 4
  }

  /// One block (BTYPE 2): its literal/length code from the histogram (symbol 256, the end of
  /// the block, counted once), two one-bit distance codes that are never used (a complete
  /// distance code, as zlib writes one), the code lengths coded with a code of their own,
  /// then the bytes and the end-of-block symbol.
  private mutating func writeBlock(_ block: UnsafeBufferPointer<UInt8>, final: Bool) {
    var frequency = [Int](repeating: 0, count: 257)
    Self.histogram(block, into: &frequency)
    frequency[256] = 1
    let lengths = HuffmanCode.lengths(frequency, limit: 15)
    // The lengths sent: 257 literal/length codes, then 2 distance codes of one bit.
    let sent = lengths + [1, 1]
    var lengthFrequency = [Int](repeating: 0, count: 19)
    for l in sent { lengthFrequency[Int(l)] += 1 }
    let lengthLengths = HuffmanCode.lengths(lengthFrequency, limit: 7)
    let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
    var lengthCodes = order.count
    while lengthCodes > 4 && lengthLengths[order[lengthCodes - 1]] == 0 { lengthCodes -= 1 }
    let lengthCode = HuffmanCode.canonical(lengthLengths)
    let code = HuffmanCode.canonical(lengths)

    // The block's exact size, so the bytes below need no capacity checks.
    var blockBits = 3 + 5 + 5 + 4 + 3 * lengthCodes
    for l in sent { blockBits += Int(lengthLengths[Int(l)]) }
    for s in 0..<257 { blockBits += frequency[s] * Int(lengths[s]) }
    reserve(blockBits / 8 + 16)

    put((final ? 1 : 0) | 2 << 1, 3)
    put(UInt64(257 - 257), 5)  // HLIT
    put(UInt64(2 - 1), 5)  // HDIST
    put(UInt64(lengthCodes - 4), 4)  // HCLEN
    for k in 0..<lengthCodes { put(UInt64(lengthLengths[order[k]]), 3) }
    for l in sent { put(UInt64(lengthCode[Int(l)]), Int(lengthLengths[Int(l)])) }
    // Per byte: code in the low 16 bits, length above.
    var table = [UInt32](repeating: 0, count: 256)
    for s in 0..<256 { table[s] = code[s] | UInt32(lengths[s]) << 16 }
    // The bytes' codes, in C (`cpng_huffman_literals`): whole bytes go straight to the
    // buffer (the block's `reserve` leaves room for its 8-byte stores), the < 8 bits left
    // stay pending.
    table.withUnsafeBufferPointer { t in
      guard let t = t.baseAddress, let input = block.baseAddress else { return }
      var bits = self.bits
      var bitCount = UInt32(self.bitCount)
      count += cpng_huffman_literals(input, block.count, t, base + count, &bits, &bitCount)
      self.bits = bits
      self.bitCount = Int(bitCount)
    }
    put(UInt64(code[256]), Int(lengths[256]))
  }

  /// Byte counts of `block` (`cpng_byte_histogram`: four interleaved tables, so repeated
  /// bytes do not wait on one counter).
  private static func histogram(_ block: UnsafeBufferPointer<UInt8>, into frequency: inout [Int]) {
    var counts = [UInt32](repeating: 0, count: 256)
    counts.withUnsafeMutableBufferPointer { c in
      guard let c = c.baseAddress, let input = block.baseAddress else { return }
      cpng_byte_histogram(input, block.count, c)
    }
    for s in 0..<256 { frequency[s] = Int(counts[s]) }
  }

  /// Appends the low `length` bits of `value` (already in deflate's bit order).
  private mutating func put(_ value: UInt64, _ length: Int) {
    bits |= value << UInt64(bitCount)
    bitCount += length
    while bitCount >= 8 {
      reserve(1)
      base[count] = UInt8(truncatingIfNeeded: bits)
      count += 1
      bits >>= 8
      bitCount -= 8
    }
  }

  private mutating func flushToByte() {
    if bitCount > 0 { put(0, 8 - bitCount) }
  }

  private mutating func reserve(_ extra: Int) {
    guard count + extra > capacity else { return }
    var grown = capacity
    while grown < count + extra { grown *= 2 }
    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
    bigger.update(from: base, count: count)
    base.deallocate()
    base = bigger
    capacity = grown
  }
}

/// Length-limited canonical Huffman codes for deflate.
enum HuffmanCode {
  /// Code lengths (0 for an unused symbol) of a Huffman code for `frequency`, at most `limit`
  /// bits: the two-queue construction over the symbols sorted by frequency (ties by symbol,
  /// so the result is a pure function of the counts), then, if a length exceeds the limit,
  /// the counts per length are folded back under it keeping the code complete (miniz's
  /// method) and given to the symbols again, the most frequent the shortest. A lone used
  /// symbol gets one bit.
  static func lengths(_ frequency: [Int], limit: Int) -> [UInt8] {
    var lengths = [UInt8](repeating: 0, count: frequency.count)
    let used = frequency.indices.filter { frequency[$0] > 0 }.sorted {
      frequency[$0] != frequency[$1] ? frequency[$0] < frequency[$1] : $0 < $1
    }
    guard used.count > 1 else {
      if let only = used.first { lengths[only] = 1 }
      return lengths
    }
    // Nodes 0..<n are the leaves in `used` order, n... the internal nodes in creation
    // order (their weights never decrease).
    let n = used.count
    var weight = used.map { frequency[$0] } + [Int](repeating: 0, count: n - 1)
    var parent = [Int](repeating: 0, count: 2 * n - 1)
    var leaf = 0
    var inner = n
    for next in n..<(2 * n - 1) {
      var pair = (0, 0)
      for k in 0..<2 {
        let pick: Int
        if leaf < n && (inner >= next || weight[leaf] <= weight[inner]) {
          pick = leaf
          leaf += 1
        } else {
          pick = inner
          inner += 1
        }
        if k == 0 { pair.0 = pick } else { pair.1 = pick }
      }
      weight[next] = weight[pair.0] + weight[pair.1]
      parent[pair.0] = next
      parent[pair.1] = next
    }
    // Depths from the root (the last node) down: a parent always comes after its children.
    var depth = [Int](repeating: 0, count: 2 * n - 1)
    for node in stride(from: 2 * n - 3, through: 0, by: -1) { depth[node] = depth[parent[node]] + 1 }
    var perLength = [Int](repeating: 0, count: Swift.max(limit, n) + 1)
    for k in 0..<n { perLength[depth[k]] += 1 }
    if perLength.count > limit + 1 {
      for l in (limit + 1)..<perLength.count {
        perLength[limit] += perLength[l]
        perLength[l] = 0
      }
      var total = 0
      for l in 1...limit { total += perLength[l] << (limit - l) }
      while total != 1 << limit {
        perLength[limit] -= 1
        for l in stride(from: limit - 1, through: 1, by: -1) where perLength[l] > 0 {
          perLength[l] -= 1
          perLength[l + 1] += 2
          break
        }
        total -= 1
      }
    }
    // The shortest lengths to the most frequent symbols (the end of `used`).
    var k = n
    for l in 1...limit {
      for _ in 0..<perLength[l] {
        k -= 1
        lengths[used[k]] = UInt8(l)
      }
    }
    return lengths
  }

  /// The canonical codes of `lengths` (RFC 1951, 3.2.2), bit-reversed for deflate's
  /// least-significant-first bit order.
  static func canonical(_ lengths: [UInt8]) -> [UInt32] {
    var perLength = [UInt32](repeating: 0, count: 17)
    for l in lengths where l > 0 { perLength[Int(l)] += 1 }
    var next = [UInt32](repeating: 0, count: 17)
    var code: UInt32 = 0
    for l in 1...16 {
      code = (code + perLength[l - 1]) << 1
      next[l] = code
    }
    return lengths.map { l in
      guard l > 0 else { return 0 }
      let c = next[Int(l)]
      next[Int(l)] += 1
      var reversed: UInt32 = 0
      for b in 0..<UInt32(l) { reversed |= ((c >> b) & 1) << (UInt32(l) - 1 - b) }
      return reversed
    }
  }
}

extension Array where Element == UInt8 {
  fileprivate mutating func appendBigEndian(_ value: UInt32) {
    append(contentsOf: [
      UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8),
      UInt8(truncatingIfNeeded: value),
    ])
  }
}
