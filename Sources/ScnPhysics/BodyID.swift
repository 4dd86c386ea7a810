/// A stable handle to a body in a `PhysicsWorld`. Ids are handed out in creation order,
/// starting at 0, and never reused; every per-body loop and every reported list follows
/// this order, which is what keeps traces deterministic.
public struct BodyID: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let rawValue: Int32

  @inlinable public init(rawValue: Int32) { self.rawValue = rawValue }

  @inlinable var index: Int { Int(rawValue) }

  @inlinable public static func < (a: BodyID, b: BodyID) -> Bool { a.rawValue < b.rawValue }

  public var description: String { "body#\(rawValue)" }
}

/// An unordered pair of bodies, stored with the smaller id first.
public struct BodyPair: Hashable, Comparable, Sendable {
  public let first: BodyID
  public let second: BodyID

  @inlinable public init(_ a: BodyID, _ b: BodyID) {
    if a <= b {
      first = a
      second = b
    } else {
      first = b
      second = a
    }
  }

  @inlinable var key: UInt64 {
    UInt64(UInt32(bitPattern: first.rawValue)) << 32 | UInt64(UInt32(bitPattern: second.rawValue))
  }

  @inlinable public static func < (a: BodyPair, b: BodyPair) -> Bool { a.key < b.key }
}
