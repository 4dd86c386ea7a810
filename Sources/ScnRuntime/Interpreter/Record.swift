import ScnEncoding
import ScnGeometry
import ScnIR
import ScnScene
import ScnUnits

/// One actor or sensor built during an attempt. Fields are stored in the type's flattened
/// field order; `parts` caches the boxes overlap and visibility tests use.
public struct Record: Sendable {
  public let typeIndex: Int
  /// Any change to the fields after construction drops `template` (the record no longer
  /// holds the construction's constants for sure).
  public var fields: [Value] {
    didSet { template = nil }
  }
  /// The constant fields of the construction that built this record (nil when unknown or
  /// after `fields` changed): `fields[i] == template.values[i]` for every `i` outside
  /// `template.varying`, so two records with the same template differ at most there.
  var template: FieldTemplate?
  public var behavior: BehaviorCall?
  /// Copies of the `position`, `heading` and `size` fields (zero when the type lacks them),
  /// fixed at construction, which geometry reads without a field lookup.
  public let position: Vec3
  public let heading: Double
  public let size: Vec3
  /// The definition whose evaluation built it (-1 outside definitions).
  public let definition: Int
  var cachedShapes: [Part]?
  var cachedParts: [OrientedBox]?
  var cachedBounds: [AABB]?
  /// Copies of the `pitch` and `roll` fields of an actor (0 for sensors, whose `pitch` and
  /// `roll` are their own mounting angles, and for types without them).
  public var pitch: Double = 0
  public var roll: Double = 0

  /// The full orientation: yaw `heading`, then `pitch` about the turned y axis, then `roll`
  /// about the resulting x axis (`Quaternion(yaw:pitch:roll:)`, docs/scene-model.md).
  public var rotation: Quaternion {
    pitch == 0 && roll == 0 ? Quaternion(yaw: heading) : Quaternion(yaw: heading, pitch: pitch, roll: roll)
  }
}

/// The field values one construction (`Type { fields } specifiers` in the program) gives
/// every record it builds, fixed when the program is compiled, and the fields that may
/// differ from them per record: those evaluated per record (a drawn or computed field, a
/// default that draws) and the pose the specifiers write (position, heading, pitch, roll).
/// The scene writer's memo compares only the varying fields of two records built by the
/// same construction (`SceneJSONMemo`).
final class FieldTemplate: Sendable {
  let values: [Value]
  let varying: [Int]

  init(values: [Value], varying: [Int]) {
    self.values = values
    self.varying = varying
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

