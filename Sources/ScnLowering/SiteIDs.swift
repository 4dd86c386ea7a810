/// 32-bit FNV-1a of a string's UTF-8 bytes.
func fnv1a32(_ s: String) -> UInt32 {
  var h: UInt32 = 0x811C_9DC5
  for b in s.utf8 {
    h ^= UInt32(b)
    h = h &* 0x0100_0193
  }
  return h
}

/// Hands out draw site ids: FNV-1a of `"<owner>/<index>"`, where the owner names the
/// definition (`"<scenario>/<definition>"`) and the index counts draws in pre-order inside
/// it. A collision with an id already handed out is resolved by hashing `"<key>#1"`,
/// `"<key>#2"`, … until free; owners are visited in a fixed (name-sorted) order, so the
/// resolution is deterministic too.
struct SiteAllocator {
  private var used: Set<UInt32> = []

  mutating func site(for key: String) -> UInt32 {
    var candidate = fnv1a32(key)
    var attempt = 0
    while used.contains(candidate) {
      attempt += 1
      candidate = fnv1a32("\(key)#\(attempt)")
    }
    used.insert(candidate)
    return candidate
  }
}

/// The draws inside one definition, numbered in pre-order as lowering visits them.
struct SiteCounter {
  let owner: String
  var next = 0

  init(owner: String) { self.owner = owner }

  mutating func nextKey() -> String {
    defer { next += 1 }
    return "\(owner)/\(next)"
  }
}
