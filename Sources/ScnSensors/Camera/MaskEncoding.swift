extension CameraFrame {
  /// The pixels of instance `id` as COCO uncompressed RLE counts: the mask is read
  /// column-major (down each column, columns left to right), and the counts alternate runs
  /// of background and foreground, starting with background (possibly a zero-length run).
  public func cocoRunLengths(ofInstance id: UInt16) -> [Int] {
    var counts: [Int] = []
    var current = false
    var run = 0
    for x in 0..<width {
      for y in 0..<height {
        let inside = instance[y * width + x] == id
        if inside == current {
          run += 1
        } else {
          counts.append(run)
          current = inside
          run = 1
        }
      }
    }
    counts.append(run)
    return counts
  }
}
