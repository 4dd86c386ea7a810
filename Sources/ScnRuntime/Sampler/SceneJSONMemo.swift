import ScnEncoding
import ScnGeometry

/// Scene JSON remembered from one scene to the next by a writer of one sampler's scenes
/// (`Scene.write(into:memo:)`, one memo per worker). Most of a scene's bytes are the same
/// in every scene: an actor's size, colour and fields (a `Box`'s mass, speed limits,
/// material …) and the environment, whose values are constants of the program. The memo
/// keeps the bytes of those parts with the values they were written from; when the next
/// scene's values print the same (`Value.printsSame`), the bytes are copied instead of
/// written again, so the output is byte for byte what a writer without a memo prints.
///
/// What is remembered:
/// - per actor position in the scene, the bytes from the start of its object to its
///   position's value, keyed by its name, type and class;
/// - per actor position in the scene (the n-th actor is usually built by the same
///   definition in every scene): the bytes from `,"size":` to the end of the actor's object,
///   keyed by the actor's type (`CompiledType`, which holds the field keys and unit text),
///   its size and class and every field value but position and heading (printed on their
///   own); when both actors were built by the same construction (`FieldTemplate`), only
///   the fields it does not fix are compared; the tail of an actor with a behavior is not
///   remembered;
/// - the `environment` object, keyed by the fields the scenario sets and the unit names.
///
/// A part whose values keep changing (a random colour, say) stops being remembered for a
/// while after `missLimit` misses in a row, so it costs little more than writing.
public struct SceneJSONMemo: Sendable {
  /// The remembered tail of the n-th actor (`layout` nil: none yet).
  struct ActorPart: Sendable {
    var layout: CompiledType?
    /// The values the bytes were written from (`FieldValues.empty` while `layout` is nil).
    var values = FieldValues.empty
    var size = Vec3(0, 0, 0)
    var className = ""
    var bytes: [UInt8] = []
    var tries = Tries()
    /// The actor's head (`{"name":` to `"position":`) and the type, name and class it
    /// was written for (`headLayout` nil: none yet).
    var headLayout: CompiledType?
    var headName = ""
    var headClass = ""
    var head: [UInt8] = []

    /// Whether `a` prints the tail these bytes hold. Only the layout (a class reference) is
    /// bound out of `self`: a bound copy of `values` retained and released what it holds.
    func matches(_ a: Scene.Actor) -> Bool {
      guard let layout, layout === a.layout,
        size.x.bitPattern == a.size.x.bitPattern, size.y.bitPattern == a.size.y.bitPattern,
        size.z.bitPattern == a.size.z.bitPattern, className == a.className
      else { return false }
      return values.printSame(a.fieldValues, except: layout.position, layout.heading)
    }
  }

  /// The remembered environment object, with the fields and unit names it was written from.
  struct EnvironmentPart: Sendable {
    var given: [Scene.Entry]
    var baseUnits: [String: String]
    var bytes: [UInt8]

    func matches(_ given: [Scene.Entry], _ baseUnits: [String: String]) -> Bool {
      guard self.given.count == given.count, self.baseUnits == baseUnits else { return false }
      for (a, b) in zip(self.given, given) where a.name != b.name || a.type != b.type || !a.value.printsSame(b.value) {
        return false
      }
      return true
    }
  }

  var actors: [ActorPart] = []
  var environment: EnvironmentPart?
  var environmentTries = Tries()
  /// Parts copied from the memo so far (a measure of how much writing it saved).
  public internal(set) var hits = 0
  /// Actors per scene the memo keeps parts for (the rest are written as usual).
  static let maxActors = 4096

  public init() {}

}

extension SceneJSONMemo {
  /// Misses in a row of one remembered part, and how many scenes it sits out after
  /// `missLimit` of them (it is then written as usual, without comparing).
  struct Tries: Sendable {
    var misses = 0
    var pause = 0

    static let missLimit = 8
    static let pauseLength = 256

    /// Whether the part is tried in this scene (false while it sits out).
    mutating func begin() -> Bool {
      guard pause > 0 else { return true }
      pause -= 1
      return false
    }

    mutating func hit() { misses = 0 }

    mutating func miss() {
      misses += 1
      if misses >= Self.missLimit {
        misses = 0
        pause = Self.pauseLength
      }
    }
  }
}

extension Value {
  /// Whether two values print the same JSON under the same type, judged without writing
  /// them: numbers by bit pattern, strings and enum cases by text, lists and tuples element
  /// by element. Values whose text depends on more than the value (an actor, printed by its
  /// name in the scene) or that are costly to compare (regions, fields, behaviors) are
  /// never judged the same.
  ///
  /// Each case is matched on `self` alone and `other` tested against it, so neither value
  /// is copied (a `switch (self, other)` copies both, which cost more than the writing the
  /// memo saves).
  func printsSame(_ other: Value) -> Bool {
    switch self {
    case .real(let x):
      guard case .real(let y) = other else { return false }
      return x.bitPattern == y.bitPattern
    case .int(let x):
      guard case .int(let y) = other else { return false }
      return x == y
    case .bool(let x):
      guard case .bool(let y) = other else { return false }
      return x == y
    case .string(let x):
      guard case .string(let y) = other else { return false }
      return x == y
    case .enumCase(let x):
      guard case .enumCase(let y) = other else { return false }
      return x == y
    case .vector(let p):
      guard case .vector(let q) = other else { return false }
      return p.x.bitPattern == q.x.bitPattern && p.y.bitPattern == q.y.bitPattern && p.z.bitPattern == q.z.bitPattern
    case .list(let xs):
      guard case .list(let ys) = other else { return false }
      return Value.printSame(xs, ys)
    case .tuple(let xs):
      guard case .tuple(let ys) = other else { return false }
      return Value.printSame(xs, ys)
    case .void:
      guard case .void = other else { return false }
      return true
    case .record, .region, .field, .behavior: return false
    }
  }

  /// `printsSame` element by element, in place (no element is copied out of its array).
  static func printSame(_ xs: [Value], _ ys: [Value]) -> Bool {
    guard xs.count == ys.count else { return false }
    return xs.withUnsafeBufferPointer { px in
      ys.withUnsafeBufferPointer { py in
        for i in 0..<px.count {
          if !px[i].printsSame(py[i]) { return false }
        }
        return true
      }
    }
  }
}
