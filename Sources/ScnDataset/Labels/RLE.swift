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
  /// The image is read a strip of `stripColumns` columns at a time, row after row (whole
  /// cache lines instead of one pixel per line down a column), into a column-major copy of
  /// the strip; each column of the copy is then scanned in order, four pixels at a time
  /// while they all hold the previous pixel's id. The same pixels in the same order as a
  /// scan down each column of the image, so the same runs.
  static func masks(for instances: [UInt16], in ids: [UInt16], width: Int, height: Int) -> [RunLengthMask] {
    // Slot by id, up to the largest id asked for (a pixel's id above it has no slot): a
    // table of a few entries per frame rather than one for every possible id.
    let largest = Int(instances.max() ?? 0)
    var slotOf = [Int32](repeating: -1, count: largest + 1)
    for (slot, instance) in instances.enumerated() where slotOf[Int(instance)] < 0 { slotOf[Int(instance)] = Int32(slot) }
    var counts = [[Int]](repeating: [], count: instances.count)
    var lastChange = [Int](repeating: 0, count: instances.count)
    var previousSlot: Int32 = -1
    var position = 0
    // A pixel with the previous pixel's id continues its run: no look-up (most pixels).
    var previousID = -1
    let strip = Swift.max(1, Swift.min(Self.stripColumns, width))
    ids.withUnsafeBufferPointer { pixels in
      slotOf.withUnsafeBufferPointer { slotOf in
        withUnsafeTemporaryAllocation(of: UInt16.self, capacity: Swift.max(1, strip * height)) { copy in
          guard let image = pixels.baseAddress, let columns = copy.baseAddress else { return }
          var x0 = 0
          while x0 < width {
            let stripWidth = Swift.min(strip, width - x0)
            // The strip, column-major: column k of the strip at `columns + k * height`.
            for y in 0..<height {
              let row = image + (y * width + x0)
              for k in 0..<stripWidth { columns[k * height + y] = row[k] }
            }
            for k in 0..<stripWidth {
              let column = columns + k * height
              var y = 0
              while y < height {
                // Four pixels of the previous pixel's id continue its run.
                if y + 4 <= height, previousID >= 0 {
                  let same = UInt64(truncatingIfNeeded: previousID) &* 0x0001_0001_0001_0001
                  let four = UnsafeRawPointer(column + y).loadUnaligned(as: UInt64.self)
                  if four == same {
                    y += 4
                    position += 4
                    continue
                  }
                }
                let id = Int(column[y])
                y += 1
                if id == previousID {
                  position += 1
                  continue
                }
                previousID = id
                let slot = id <= largest ? slotOf[id] : -1
                if slot != previousSlot {
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
                position += 1
              }
            }
            x0 += stripWidth
          }
        }
      }
    }
    return instances.enumerated().map { slot, instance in
      // Duplicated ids share the first slot's runs.
      let s = Int(slotOf[Int(instance)])
      return RunLengthMask(width: width, height: height, counts: counts[s] + [position - lastChange[s]])
    }
  }

  /// Columns `masks(for:in:width:height:)` copies at a time: 32 two-byte ids are one cache
  /// line of a row, and 32 columns of a 480-row image (30 KiB) stay in the first-level cache.
  static let stripColumns = 32

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
