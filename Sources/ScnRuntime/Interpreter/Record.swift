import ScnEncoding
import ScnGeometry
import ScnIR
import ScnScene
import ScnUnits

/// One actor or sensor built during an attempt. Fields are stored in the type's flattened
/// field order; `parts` caches the boxes overlap and visibility tests use.
///
/// The fields are held as `FieldValues`: a record built by a construction shares the array
/// its construction laid out (`FieldTemplate`) and reads its pose fields from its pose, so
/// building one copies no array of values. `field(_:)` reads one field; `fields` is the
/// whole array (made on each read for such a record; setting it gives the record its own).
public struct Record: Sendable {
  public let typeIndex: Int
  var values: FieldValues
  public var behavior: BehaviorCall?
  /// Copy of the `size` field (zero when the type lacks it), fixed at construction, which
  /// geometry reads without a field lookup.
  public let size: Vec3
  /// The definition whose evaluation built it (-1 outside definitions).
  public let definition: Int
  var cachedShapes: [Part]?
  var cachedParts: [OrientedBox]?
  var cachedBounds: [AABB]?

  init(typeIndex: Int, values: FieldValues, behavior: BehaviorCall?, size: Vec3, definition: Int) {
    self.typeIndex = typeIndex
    self.values = values
    self.behavior = behavior
    self.size = size
    self.definition = definition
  }

  /// A record holding `fields` as they are (no construction's template).
  init(typeIndex: Int, fields: [Value], behavior: BehaviorCall?, position: Vec3, heading: Double, size: Vec3,
       definition: Int, cachedParts: [OrientedBox]?, cachedBounds: [AABB]?, pitch: Double = 0, roll: Double = 0) {
    self.init(typeIndex: typeIndex,
              values: FieldValues(base: fields, template: nil, position: position, heading: heading, pitch: pitch, roll: roll),
              behavior: behavior, size: size, definition: definition)
    self.cachedParts = cachedParts
    self.cachedBounds = cachedBounds
  }

  /// Every field, in the type's order. Setting it drops the construction's template (the
  /// record no longer holds the construction's constants for sure).
  public var fields: [Value] {
    get { values.array }
    set { values = FieldValues(base: newValue, template: nil, position: position, heading: heading, pitch: pitch, roll: roll) }
  }

  /// The number of fields (the type's).
  public var fieldCount: Int { values.count }

  /// Field `i` (an index of the type's layout), without building the whole array.
  @inline(__always)
  public func field(_ i: Int) -> Value { values[i] }

  /// The constant fields of the construction that built this record (nil when unknown or
  /// after `fields` changed).
  var template: FieldTemplate? { values.template }

  /// The `position` and `heading` fields (zero when the type lacks them), fixed at construction.
  public var position: Vec3 { values.position }
  public var heading: Double { values.heading }
  /// The `pitch` and `roll` fields of an actor (0 for sensors, whose `pitch` and `roll` are
  /// their own mounting angles, and for types without them).
  public var pitch: Double { values.pitch }
  public var roll: Double { values.roll }

  /// The full orientation: yaw `heading`, then `pitch` about the turned y axis, then `roll`
  /// about the resulting x axis (`Quaternion(yaw:pitch:roll:)`, docs/scene-model.md).
  public var rotation: Quaternion {
    pitch == 0 && roll == 0 ? Quaternion(yaw: heading) : Quaternion(yaw: heading, pitch: pitch, roll: roll)
  }
}

/// The field values of a record (and of the scene's actor or sensor it becomes): `base`,
/// with, when `template` is set, the pose fields the template names (`position`, `heading`,
/// and an actor's `pitch` and `roll`) read from the pose beside it instead of from `base`.
/// For a construction that evaluates no field `base` is the template's own array, shared
/// by every record the construction builds.
struct FieldValues: Sendable {
  var base: [Value]
  /// The construction's constants and pose layout; nil: `base` holds every field.
  var template: FieldTemplate?
  let position: Vec3
  let heading: Double
  let pitch: Double
  let roll: Double

  /// Field `i`: from the pose when `template` writes it there, else from `base`.
  @inline(__always)
  subscript(i: Int) -> Value {
    if let t = template {
      if i == t.position { return .vector(position) }
      if i == t.heading { return .real(heading) }
      if i == t.pitch { return .real(pitch) }
      if i == t.roll { return .real(roll) }
    }
    return base[i]
  }

  var count: Int { base.count }

  /// Every field as one array (`base` itself when no pose is laid over it).
  var array: [Value] {
    guard let t = template else { return base }
    var out = base
    if t.position >= 0, t.position < out.count { out[t.position] = .vector(position) }
    if t.heading >= 0, t.heading < out.count { out[t.heading] = .real(heading) }
    if t.pitch >= 0, t.pitch < out.count { out[t.pitch] = .real(pitch) }
    if t.roll >= 0, t.roll < out.count { out[t.roll] = .real(roll) }
    return out
  }

  /// No fields (a placeholder).
  static let empty = FieldValues(base: [], template: nil, position: .zero, heading: 0, pitch: 0, roll: 0)

  /// Whether every field but `p` and `h` prints the same in `self` and `other`: when both
  /// were built by the same construction, only the fields it does not fix are compared.
  func printSame(_ other: FieldValues, except p: Int, _ h: Int) -> Bool {
    guard base.count == other.base.count else { return false }
    if let t = template, t === other.template, base.count == t.count {
      // The list read in place (iterating it copied it out of the class, a retain and release).
      return t.varying.withUnsafeBufferPointer { varying in
        for i in varying where i != p && i != h {
          if !printsSame(other, at: i) { return false }
        }
        return true
      }
    }
    for i in 0..<base.count where i != p && i != h {
      if !printsSame(other, at: i) { return false }
    }
    return true
  }

  /// Whether field `i` prints the same in `self` and `other` (`Value.printsSame`), read in
  /// place: pose fields by bit pattern, others without copying them out of `base`.
  func printsSame(_ other: FieldValues, at i: Int) -> Bool {
    if let t = template, t === other.template {
      if i == t.position {
        return position.x.bitPattern == other.position.x.bitPattern && position.y.bitPattern == other.position.y.bitPattern
          && position.z.bitPattern == other.position.z.bitPattern
      }
      if i == t.heading { return heading.bitPattern == other.heading.bitPattern }
      if i == t.pitch { return pitch.bitPattern == other.pitch.bitPattern }
      if i == t.roll { return roll.bitPattern == other.roll.bitPattern }
      return base.withUnsafeBufferPointer { x in other.base.withUnsafeBufferPointer { y in x[i].printsSame(y[i]) } }
    }
    return self[i].printsSame(other[i])
  }
}

/// The field values one construction (`Type { fields } specifiers` in the program) gives
/// every record it builds, fixed when the program is compiled, and the fields that may
/// differ from them per record: those evaluated per record (a drawn or computed field, a
/// default that draws) and the pose the specifiers write (position, heading, pitch, roll).
/// The scene writer's memo compares only the varying fields of two records built by the
/// same construction (`SceneJSONMemo`).
///
/// A record built by the construction holds `values` (or its own copy with the evaluated
/// fields written) and reads the pose fields named here from its pose (`FieldValues`).
final class FieldTemplate: Sendable {
  let values: [Value]
  /// `values.count`, kept apart so that comparing it does not retain `values`.
  let count: Int
  let varying: [Int]
  /// The fields read from a record's pose instead of its array (-1: none): position and
  /// heading, and for an actor (not a sensor) pitch and roll.
  let position: Int, heading: Int, pitch: Int, roll: Int

  init(values: [Value], varying: [Int], position: Int = -1, heading: Int = -1, pitch: Int = -1, roll: Int = -1) {
    self.values = values
    self.count = values.count
    self.varying = varying
    self.position = position
    self.heading = heading
    self.pitch = pitch
    self.roll = roll
  }
}

/// A record type with its field layout resolved, plus the indices of the fields the runtime
/// reads itself (position, size …); -1 when the type lacks one.
final class CompiledType: Sendable {
  let name: String
  let isSensor: Bool
  let bases: [String]
  let fieldNames: [String]
  let fieldTypes: [IRType]
  let fieldIndex: [String: Int]
  let position: Int, heading: Int, size: Int, color: Int, className: Int, shape: Int, levels: Int
  let mount: Int, offset: Int, yaw: Int, pitch: Int, roll: Int, fov: Int, resolution: Int
  let range: Int, minRange: Int, horizontalFov: Int, fovLower: Int, fovUpper: Int, channels: Int
  let horizontalResolution: Int
  /// The program's imported assets by `@asset` name (the same table for every type).
  let assets: [String: ImportedAsset]
  /// Scene JSON pieces worked out once (`Scene.write(into:)`): the type's name quoted, and
  /// per field `"name":` and, for a quantity or vector with a unit, `,"unit":"…"}`.
  let nameJSON: [UInt8]
  let fieldKeyJSON: [[UInt8]]
  let fieldUnitJSON: [[UInt8]]
  /// Per field, how `fieldUnitJSON` applies: 1 a quantity, 2 a vector, 0 none (no unit).
  let fieldUnitKind: [UInt8]
  /// The fields a scene prints under `fields`: for an actor all but position, heading, size,
  /// colour and class; for a sensor all but the mount.
  let listedFields: [Int]

  init(name: String, isSensor: Bool, bases: [String], fieldNames: [String], fieldTypes: [IRType],
       assets: [String: ImportedAsset] = [:], units: UnitNames = .prelude) {
    self.assets = assets
    self.name = name
    self.isSensor = isSensor
    self.bases = bases
    self.fieldNames = fieldNames
    self.fieldTypes = fieldTypes
    var index: [String: Int] = [:]
    for (i, n) in fieldNames.enumerated() where index[n] == nil { index[n] = i }
    self.fieldIndex = index
    func at(_ n: String) -> Int { index[n] ?? -1 }
    position = at("position"); heading = at("heading"); size = at("size"); color = at("color")
    className = at("class"); shape = at("shape"); levels = at("levels")
    mount = at("mount"); offset = at("offset"); yaw = at("yaw"); pitch = at("pitch"); roll = at("roll")
    fov = at("fov"); resolution = at("resolution"); range = at("range"); minRange = at("min_range")
    horizontalFov = at("horizontal_fov"); fovLower = at("fov_lower"); fovUpper = at("fov_upper")
    channels = at("channels"); horizontalResolution = at("horizontal_resolution")
    func json(_ write: (inout JSONBytes) -> Void) -> [UInt8] {
      var out = JSONBytes()
      write(&out)
      return out.bytes
    }
    nameJSON = json { $0.string(name) }
    fieldKeyJSON = fieldNames.map { n in json { $0.key(n) } }
    func unit(_ d: Dimension) -> [UInt8] {
      json { out in
        out.raw(",\"unit\":")
        out.string(units.spell(d))
        out.byte(UInt8(ascii: "}"))
      }
    }
    fieldUnitJSON = fieldTypes.map { t in
      switch t {
      case .quantity(let d) where !d.isDimensionless, .vector(let d) where !d.isDimensionless: unit(d)
      default: []
      }
    }
    fieldUnitKind = fieldTypes.map { t in
      switch t {
      case .quantity(let d) where !d.isDimensionless: 1
      case .vector(let d) where !d.isDimensionless: 2
      default: 0
      }
    }
    let skipped = isSensor ? [mount] : [position, heading, size, color, className]
    listedFields = fieldNames.indices.filter { !skipped.contains($0) }
  }
}

