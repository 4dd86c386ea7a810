/// "Did you mean" suggestions shared by every stage (names, fields, units, annotations, flags).

/// The candidate closest to `name` by edit distance after folding case and underscores,
/// if it is close enough to be a plausible typo (at most a third of the name's length,
/// and at most 3 edits). Ties go to the alphabetically first, so output is deterministic.
public func nearest(_ name: String, in candidates: some Sequence<String>) -> String? {
  let folded = fold(name)
  let limit = min(3, max(1, folded.count / 3))
  var best: (distance: Int, name: String)?
  for candidate in candidates where candidate != name {
    let d = editDistance(folded, fold(candidate), limit: limit)
    guard d <= limit else { continue }
    if let b = best, (b.distance, b.name) <= (d, candidate) { continue }
    best = (d, candidate)
  }
  return best?.name
}

private func fold(_ s: String) -> [Unicode.Scalar] {
  s.lowercased().unicodeScalars.filter { $0 != "_" }
}

/// Levenshtein distance with early exit once every entry of a row exceeds `limit`.
public func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int = .max) -> Int {
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  if abs(a.count - b.count) > limit { return limit + 1 }
  var previous = Array(0...b.count)
  var current = [Int](repeating: 0, count: b.count + 1)
  for i in 1...a.count {
    current[0] = i
    var rowMin = current[0]
    for j in 1...b.count {
      let cost = a[i - 1] == b[j - 1] ? 0 : 1
      current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      rowMin = min(rowMin, current[j])
    }
    if rowMin > limit { return limit + 1 }
    swap(&previous, &current)
  }
  return previous[b.count]
}
