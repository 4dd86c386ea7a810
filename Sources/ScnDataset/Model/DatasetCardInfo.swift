import ScnEncoding

/// A failure mode the scenario targets (`@failure_mode(id, "text", covers: […])`).
public struct FailureMode: Sendable, Codable, Equatable {
  public var id: String
  public var text: String
  /// The cover-point buckets that exercise it; a sample reaches it when, for every entry,
  /// its bucket of that point is one of the entry's. Empty: not tied to coverage.
  public var covers: [FailureModeCover]
  public init(id: String, text: String, covers: [FailureModeCover] = []) {
    self.id = id
    self.text = text
    self.covers = covers
  }
}

extension FailureMode {
  /// Whether a sample whose bucket of each cover point is `bucket(point)` reaches this
  /// mode; never for a mode with no `covers`.
  public func reached(by bucket: (String) -> String?) -> Bool {
    !covers.isEmpty && covers.allSatisfy { entry in bucket(entry.point).map(entry.buckets.contains) ?? false }
  }
}

/// One imported asset (`@asset`) the dataset's images are rendered from, for the card's
/// "Assets" table and Croissant's `isBasedOn`: rendered images are derivative works of it.
public struct AssetDoc: Sendable, Codable, Equatable {
  /// The `@asset` name.
  public var name: String
  /// The file as the scenario names it, relative to the scenario's folder.
  public var file: String
  public var sha256: String
  /// Canonical SPDX id.
  public var license: String
  public var attribution: String?
  /// Actor classes (`class`) whose types use it, sorted.
  public var classes: [String]

  public init(name: String, file: String, sha256: String, license: String, attribution: String?, classes: [String]) {
    self.name = name
    self.file = file
    self.sha256 = sha256
    self.license = license
    self.attribution = attribution
    self.classes = classes
  }
}

/// The card's "Focus" section: which evaluation drove `generate --focus`, which buckets it
/// aimed at and how hard.
public struct FocusDoc: Sendable, Codable, Equatable {
  public struct Point: Sendable, Codable, Equatable {
    public var point: String
    public var buckets: [String]
    /// Share of the evaluated dataset's samples in these buckets, when the gaps file says.
    public var evaluatedShare: Double?
    public init(point: String, buckets: [String], evaluatedShare: Double?) {
      self.point = point
      self.buckets = buckets
      self.evaluatedShare = evaluatedShare
    }
  }
  public var gapsPath: String
  public var gapsHash: String
  public var evaluatedDataset: String
  public var predictionsHash: String
  public var metric: String
  public var slices: [String]
  public var points: [Point]
  /// Fraction of samples aimed at the focus buckets.
  public var share: Double
  public init(
    gapsPath: String, gapsHash: String, evaluatedDataset: String, predictionsHash: String, metric: String,
    slices: [String], points: [Point], share: Double
  ) {
    self.gapsPath = gapsPath
    self.gapsHash = gapsHash
    self.evaluatedDataset = evaluatedDataset
    self.predictionsHash = predictionsHash
    self.metric = metric
    self.slices = slices
    self.points = points
    self.share = share
  }
}

/// One `covers:` entry of a failure mode: a cover point and the bucket labels it spans.
public struct FailureModeCover: Sendable, Codable, Equatable {
  public var point: String
  public var buckets: [String]
  public init(point: String, buckets: [String]) {
    self.point = point
    self.buckets = buckets
  }
}

/// A unit the author writes values in: `symbol` (`km/h`) and how many base units one of it
/// is (`scale`, 0.2777… m/s).
public struct DisplayUnit: Sendable, Codable, Equatable {
  public var symbol: String
  public var scale: Double
  public init(symbol: String, scale: Double) {
    self.symbol = symbol
    self.scale = scale
  }

  /// `{"symbol": "km/h", "scale": 0.2777…}`: a value in this unit is the base value / scale.
  var json: JSONValue { .object([("symbol", .string(symbol)), ("scale", .double(scale))]) }
}

/// A param's distribution before any requirement, when it is one draw with constant
/// arguments: `law` is the language's name (`uniform`, `uniform_int`, `normal`,
/// `truncnormal`, `lognormal`), `parameters` its arguments in base units, and the drawn value
/// is multiplied by `scale`.
public struct DeclaredLaw: Sendable, Codable, Equatable {
  public var law: String
  public var parameters: [Double]
  public var scale: Double
  public init(law: String, parameters: [Double], scale: Double) {
    self.law = law
    self.parameters = parameters
    self.scale = scale
  }
}

/// A scenario parameter as the card documents it: type and distribution as written.
public struct ParamDoc: Sendable, Codable, Equatable {
  public var name: String
  /// The type as declared (`Speed`).
  public var type: String
  /// The value as written (`uniform(30km/h, 50km/h)`).
  public var distribution: String
  public var doc: String
  /// The unit the value's literals use, for showing values (nil: base units or no unit).
  public var unit: DisplayUnit?
  /// The law before requirements, when it is a single draw (`scn report` draws it).
  public var declared: DeclaredLaw?
  public init(
    name: String, type: String, distribution: String, doc: String = "", unit: DisplayUnit? = nil,
    declared: DeclaredLaw? = nil
  ) {
    self.name = name
    self.type = type
    self.distribution = distribution
    self.doc = doc
    self.unit = unit
    self.declared = declared
  }
}

/// A sensor as the card documents it, e.g. `front`, `camera`, `640×480, 90° HFOV, 10 Hz`.
public struct SensorDoc: Sendable, Codable, Equatable {
  public var name: String
  public var type: String
  public var settings: String
  public init(name: String, type: String, settings: String) {
    self.name = name
    self.type = type
    self.settings = settings
  }
}

/// A semantic class: its id in the semantic images is also its COCO category id, so ids
/// stay stable across datasets made from the same scenario.
public struct LabelClass: Sendable, Codable, Equatable {
  public var id: Int
  public var name: String
  /// The RGB colour documented as the class's palette entry, when the renderer has one.
  public var color: [UInt8]?
  /// True for stuff (ground, road, lane_marking, sidewalk, curb): a semantic class without
  /// instances, so no COCO category or KITTI object. Nil or false: a thing (an actor class).
  public var stuff: Bool?
  public init(id: Int, name: String, color: [UInt8]? = nil, stuff: Bool? = nil) {
    self.id = id
    self.name = name
    self.color = color
    self.stuff = stuff
  }
}

/// A part label (`head`, `wheel_front_left`, …): its id is the pixel value in `parts/`
/// images (0 = no labelled part), derived from the program so shards agree.
public struct PartLabelDoc: Sendable, Codable, Equatable {
  public var id: Int
  public var name: String
  public init(id: Int, name: String) {
    self.id = id
    self.name = name
  }
}

/// A `cover` point: its buckets in declaration order and the failure mode it serves.
public struct CoverPointPlan: Sendable, Codable, Equatable {
  public var name: String
  public var buckets: [String]
  public var failureMode: String?
  /// Minimum samples wanted per bucket, when the scenario states one.
  public var targetPerBucket: Int?
  /// The unit its bucket edges are written in, for values (`cover_values` in `samples.jsonl`).
  public var unit: DisplayUnit?
  public init(
    name: String, buckets: [String], failureMode: String? = nil, targetPerBucket: Int? = nil, unit: DisplayUnit? = nil
  ) {
    self.name = name
    self.buckets = buckets
    self.failureMode = failureMode
    self.targetPerBucket = targetPerBucket
    self.unit = unit
  }
}

/// A `require` statement, named as the runtime names it in rejection counts.
public struct RequirementDoc: Sendable, Codable, Equatable {
  public var name: String
  public var text: String
  public init(name: String, text: String) {
    self.name = name
    self.text = text
  }
}

/// Everything the dataset card says beyond the identity, taken from the scenario's
/// annotations and declarations.
public struct DatasetCardInfo: Sendable, Codable, Equatable {
  public var name: String
  public var prettyName: String?
  public var version: String
  /// SPDX identifier as written (`CC-BY-4.0`); `nil` when the scenario states none.
  public var license: String?
  public var description: String
  public var intendedUse: String
  public var outOfScopeUse: String
  public var failureModes: [FailureMode]
  public var limitations: String
  public var privacy: String?
  public var owner: String
  public var homepage: String?
  public var tags: [String]
  public var citation: String?
  public var params: [ParamDoc]
  public var sensors: [SensorDoc]
  /// e.g. `2D boxes`, `instance masks`, `depth`, `3D boxes`.
  public var labelTypes: [String]
  /// Hugging Face task ids, e.g. `object-detection`, `image-segmentation`.
  public var taskCategories: [String]
  public var classes: [LabelClass]
  public var coverPoints: [CoverPointPlan]
  public var requirements: [RequirementDoc]
  /// The `environment` fields as written (field, expression); empty when the scenario sets none.
  public var environment: [ParamDoc]
  /// The light and weather effects the sensors model for the weathers this scenario can
  /// produce, one sentence each (docs/weather.md).
  public var modelledEffects: [String]
  /// Set by `generate --focus`.
  public var focus: FocusDoc?
  /// The real-data columns `empirical(...)` draws from, in the order `samples.jsonl`'s
  /// `empirical` entries index them.
  public var realData: [RealDataInput] = []
  /// `@privacy(min_record_distance:, max_share:)`, checked when the dataset is finalised.
  public var privacyPolicy: PrivacyPolicy?
  /// Imported assets (`@asset`); nil when the scenario imports none.
  public var assets: [AssetDoc]?
  /// The part-label ids of the `parts/` images (written to `part_labels.json`); nil when no
  /// camera writes them.
  public var partLabels: [PartLabelDoc]?

  public init(
    name: String, prettyName: String? = nil, version: String, license: String?, description: String,
    intendedUse: String, outOfScopeUse: String, failureModes: [FailureMode] = [], limitations: String,
    privacy: String? = nil, owner: String, homepage: String? = nil, tags: [String] = [], citation: String? = nil,
    params: [ParamDoc] = [], sensors: [SensorDoc] = [], labelTypes: [String] = [], taskCategories: [String],
    classes: [LabelClass], coverPoints: [CoverPointPlan] = [], requirements: [RequirementDoc] = [],
    environment: [ParamDoc] = [], modelledEffects: [String] = []
  ) {
    self.name = name
    self.prettyName = prettyName
    self.version = version
    self.license = license
    self.description = description
    self.intendedUse = intendedUse
    self.outOfScopeUse = outOfScopeUse
    self.failureModes = failureModes
    self.limitations = limitations
    self.privacy = privacy
    self.owner = owner
    self.homepage = homepage
    self.tags = tags
    self.citation = citation
    self.params = params
    self.sensors = sensors
    self.labelTypes = labelTypes
    self.taskCategories = taskCategories
    self.classes = classes
    self.coverPoints = coverPoints
    self.requirements = requirements
    self.environment = environment
    self.modelledEffects = modelledEffects
  }
}
