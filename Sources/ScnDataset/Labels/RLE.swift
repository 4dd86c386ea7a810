/// COCO run-length encoding of a binary mask, in the column-major order pycocotools uses:
/// counts alternate background/foreground runs, starting with background.
public struct RunLengthMask: Sendable, Equatable {
  public var width: Int
  public var height: Int
  public var counts: [Int]

  public init(width: Int, height: Int, counts: [Int]) {
    self.width = width
    self.height = height
    self.counts = counts
  }

  /// The mask of the pixels equal to `instance` in a row-major id image of exactly
  /// `width × height` values (the caller checks the size).
  init(instance: UInt16, in ids: [UInt16], width: Int, height: Int) {
    self.width = width
    self.height = height
    var counts: [Int] = []
    var current = false
    var run = 0
    for x in 0..<width {
      for y in 0..<height {
        let inside = ids[y * width + x] == instance
        if inside != current {
          counts.append(run)
          run = 0
          current = inside
        }
        run += 1
      }
    }
    counts.append(run)
    self.counts = counts
  }

  /// The masks of several instances, from one column-major pass over an image of exactly
  /// `width × height` values (the caller checks the size) (one scan
  /// instead of one per object; the pixel order is the RLE order, so runs fall out directly).
  /// Each pixel holds one id, so at most one instance's run can end at any pixel: the one
  /// the previous pixel belonged to.
  ///
  /// Only the pixels whose id differs from the previous pixel's can end or start a run, so
  /// only they are visited: the image is read `stripColumns` columns at a time, row after
  /// row, comparing each row of the strip with the row above it (four ids per 64-bit word),
  /// and the rows where a column changes are listed per column (every column also lists its
  /// top row, whose previous pixel is the bottom of the column before). The listed pixels
  /// are then taken column after column, top to bottom: the pixels of the column-major scan
  /// at which anything happens, in its order, so the runs are the scan's.
  static func masks(for instances: [UInt16], in ids: [UInt16], width: Int, height: Int) -> [RunLengthMask] {
    // Slot by id, up to the largest id asked for (a pixel's id above it has no slot): a
    // table of a few entries per frame rather than one for every possible id.
    let largest = Int(instances.max() ?? 0)
    var slotOf = [Int32](repeating: -1, count: largest + 1)
    for (slot, instance) in instances.enumerated() where slotOf[Int(instance)] < 0 { slotOf[Int(instance)] = Int32(slot) }
    var counts = [[Int]](repeating: [], count: instances.count)
    var lastChange = [Int](repeating: 0, count: instances.count)
    var previousSlot: Int32 = -1
    var previousID = -1
    let strip = Self.stripColumns
    ids.withUnsafeBufferPointer { pixels in
      slotOf.withUnsafeBufferPointer { slotOf in
        // Per column of the strip, the rows where its id changes (at most `height` each).
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: Swift.max(1, strip * height)) { rows in
          withUnsafeTemporaryAllocation(of: Int.self, capacity: strip) { listed in
            guard let image = pixels.baseAddress, let rows = rows.baseAddress, let listed = listed.baseAddress,
              height > 0
            else { return }
            /// The scan's step at pixel (x, y), whose id differs from the one before it or
            /// may: ends the previous pixel's run and starts this one's where the slot changes.
            @inline(__always) func visit(_ x: Int, _ y: Int) {
              let id = Int(image[y * width + x])
              if id == previousID { return }
              previousID = id
              let slot = id <= largest ? slotOf[id] : -1
              guard slot != previousSlot else { return }
              let position = x * height + y
              if previousSlot >= 0 {
                let s = Int(previousSlot)
                counts[s].append(position - lastChange[s])
                lastChange[s] = position
              }
              if slot >= 0 {
                let s = Int(slot)
                counts[s].append(position - lastChange[s])
                lastChange[s] = position
              }
              previousSlot = slot
            }
            var x0 = 0
            while x0 < width {
              let columns = Swift.min(strip, width - x0)
              for k in 0..<columns {
                rows[k * height] = 0
                listed[k] = 1
              }
              @inline(__always) func list(_ k: Int, _ y: Int) {
                rows[k * height + listed[k]] = Int32(truncatingIfNeeded: y)
                listed[k] += 1
              }
              if columns == strip {
                // Four words of four ids a row; a row equal to the one above costs four
                // comparisons.
                let raw = UnsafeRawPointer(image)
                var above = raw + 2 * x0
                for y in 1..<Swift.max(1, height) {
                  let row = above + 2 * width
                  let d0 = row.loadUnaligned(as: UInt64.self) ^ above.loadUnaligned(as: UInt64.self)
                  let d1 = row.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                    ^ above.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                  let d2 = row.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
                    ^ above.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
                  let d3 = row.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                    ^ above.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                  if d0 | d1 | d2 | d3 != 0 {
                    // Lane l of word w (in memory order) is column 4w + l.
                    @inline(__always) func lanes(_ word: Int, _ d: UInt64) {
                      let d = UInt64(littleEndian: d)
                      for lane in 0..<4 where (d >> UInt64(16 * lane)) & 0xFFFF != 0 { list(4 * word + lane, y) }
                    }
                    if d0 != 0 { lanes(0, d0) }
                    if d1 != 0 { lanes(1, d1) }
                    if d2 != 0 { lanes(2, d2) }
                    if d3 != 0 { lanes(3, d3) }
                  }
                  above = row
                }
              } else {
                for y in 1..<Swift.max(1, height) {
                  let row = image + y * width + x0
                  for k in 0..<columns where row[k] != row[k - width] { list(k, y) }
                }
              }
              for k in 0..<columns {
                let list = rows + k * height
                for e in 0..<listed[k] { visit(x0 + k, Int(list[e])) }
              }
              x0 += columns
            }
          }
        }
      }
    }
    let position = width * height
    return instances.enumerated().map { slot, instance in
      // Duplicated ids share the first slot's runs.
      let s = Int(slotOf[Int(instance)])
      return RunLengthMask(width: width, height: height, counts: counts[s] + [position - lastChange[s]])
    }
  }

  /// Columns `masks(for:in:width:height:)` compares at a time: sixteen two-byte ids, four
  /// 64-bit words of a row.
  static let stripColumns = 16

  /// Number of foreground pixels.
  public var area: Int { stride(from: 1, to: counts.count, by: 2).reduce(0) { $0 + counts[$1] } }

  /// Pixel extent of the foreground as `[x, y, w, h]` (integers), or `nil` for an empty mask.
  public var extent: Box2D? {
    guard height > 0 else { return nil }
    var minX = Int.max, minY = Int.max, maxX = -1, maxY = -1
    var position = 0
    for (i, run) in counts.enumerated() {
      if i % 2 == 1, run > 0 {
        let first = position, last = position + run - 1
        let firstX = first / height, lastX = last / height
        minX = min(minX, firstX)
        maxX = max(maxX, lastX)
        if firstX == lastX {
          minY = min(minY, first % height)
          maxY = max(maxY, last % height)
        } else {
          // A run spanning two or more columns ends one column at the bottom row and
          // starts the next at the top row.
          minY = 0
          maxY = height - 1
        }
      }
      position += run
    }
    guard maxX >= 0 else { return nil }
    return Box2D(x: Double(minX), y: Double(minY), width: Double(maxX - minX + 1), height: Double(maxY - minY + 1))
  }

  /// The compact string form of the counts (pycocotools `rleToString`): each count, minus
  /// the count two places back from the third on, in 5-bit groups offset by 48.
  public var compressedCounts: String {
    var out: [UInt8] = []
    for i in counts.indices {
      var x = Int64(counts[i])
      if i > 2 { x -= Int64(counts[i - 2]) }
      var more = true
      while more {
        var c = UInt8(truncatingIfNeeded: x & 0x1F)
        x >>= 5
        more = (c & 0x10) != 0 ? x != -1 : x != 0
        if more { c |= 0x20 }
        out.append(c + 48)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Reads `compressedCounts` back (pycocotools `rleFrString`); `nil` on malformed text.
  public init?(compressed: String, width: Int, height: Int) {
    let bytes = Array(compressed.utf8)
    var counts: [Int] = []
    var p = 0
    while p < bytes.count {
      var x: Int64 = 0
      var k: Int64 = 0
      var more = true
      while more {
        guard p < bytes.count, bytes[p] >= 48, k < 60 else { return nil }
        let c = Int64(bytes[p]) - 48
        x |= (c & 0x1F) << (5 * k)
        more = (c & 0x20) != 0
        p += 1
        k += 1
        if !more && (c & 0x10) != 0 { x |= -1 << (5 * k) }
      }
      if counts.count > 2 { x += Int64(counts[counts.count - 2]) }
      guard x >= 0, let value = Int(exactly: x) else { return nil }
      counts.append(value)
    }
    let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
    guard width >= 0, height >= 0, !overflow else { return nil }
    var total = 0
    for count in counts {
      let (sum, overflow) = total.addingReportingOverflow(count)
      guard !overflow else { return nil }
      total = sum
    }
    guard total == pixels else { return nil }
    self.init(width: width, height: height, counts: counts)
  }
}
