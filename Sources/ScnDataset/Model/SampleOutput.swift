import ScnEncoding
import ScnGeometry

/// A named JSON value, kept in declaration order (parameters, calibration extras).
public struct NamedValue: Sendable, Equatable {
  public var name: String
  public var value: JSONValue
  public init(_ name: String, _ value: JSONValue) {
    self.name = name
    self.value = value
  }
}

/// The bucket a sample fell into for one cover point.
public struct CoverHit: Sendable, Equatable {
  public var point: String
  public var bucket: String
  public init(point: String, bucket: String) {
    self.point = point
    self.bucket = bucket
  }
}

/// How many attempts one requirement rejected while drawing a sample.
public struct RequirementRejections: Sendable, Equatable {
  public var requirement: String
  public var count: Int
  public init(requirement: String, count: Int) {
    self.requirement = requirement
    self.count = count
  }
}

/// One actor of a sample as placed at the start (t = 0): what `samples.jsonl` lists so that
/// every label can be traced to the object that made it.
public struct ActorRecord: Sendable, Equatable {
  public var name: String
  /// The declared type (`Pedestrian`).
  public var type: String
  /// The semantic class (COCO category name).
  public var className: String
  /// The value of the actor's pixels in instance images (its position in the scene + 1).
  public var instanceID: Int
  /// World pose of the actor's bottom centre, heading about z.
  public var pose: Pose
  /// (length, width, height) in metres.
  public var size: Vec3
  /// Colour and every other field, as `samples.jsonl` writes values (quantities with their unit).
  public var fields: [NamedValue]
  /// The behaviour's name, when it has one.
  public var behavior: String?
  public init(
    name: String, type: String, className: String, instanceID: Int, pose: Pose, size: Vec3, fields: [NamedValue] = [],
    behavior: String? = nil
  ) {
    self.name = name
    self.type = type
    self.className = className
    self.instanceID = instanceID
    self.pose = pose
    self.size = size
    self.fields = fields
    self.behavior = behavior
  }

  var json: JSONValue {
    .object([
      ("name", .string(name)), ("type", .string(type)), ("class", .string(className)),
      ("instance_id", .integer(instanceID)), ("pose", pose.json), ("size_lwh", size.json),
      ("fields", .object(fields.map { ($0.name, $0.value) })), ("behavior", behavior.map(JSONValue.string) ?? .null),
    ])
  }
}

/// An actor's world pose at one frame (`frames.jsonl`), for tracking labels.
public struct ActorPose: Sendable, Equatable {
  public var name: String
  public var instanceID: Int
  public var pose: Pose
  public init(name: String, instanceID: Int, pose: Pose) {
    self.name = name
    self.instanceID = instanceID
    self.pose = pose
  }

  var json: JSONValue {
    .object([("name", .string(name)), ("instance_id", .integer(instanceID)), ("pose", pose.json)])
  }
}

/// One accepted sample as the runtime describes it.
///
/// Coverage and rejections travel with each sample (rather than as a run-wide summary) so
/// that `coverage.json` is a pure function of the samples, whichever shard or thread made them.
public struct SampleRecord: Sendable, Equatable {
  public var index: Int
  public var split: String
  /// The member scenario, for mixtures; `nil` for a single scenario.
  public var scenario: String?
  public var params: [NamedValue]
  public var seed: UInt64
  public var attempts: Int
  public var coverHits: [CoverHit]
  public var rejections: [RequirementRejections]
  /// How `--focus` drew the sample, with its weight; nil in an unfocused run.
  public var guidance: JSONValue?
  /// Every environment field (set or default), values as `params` writes them.
  public var environment: [NamedValue]
  /// Every actor at the start of the sample.
  public var actors: [ActorRecord]
  /// Each cover point's value, quantities in the unit its bucket edges are written in.
  public var coverValues: [NamedValue]
  /// The values drawn from real-data columns, in draw order (written only when there are any).
  public var empirical: [RealDataDraw] = []
  /// The scenario's `record` values by name (written only when it records any): a list of
  /// `{step, time, value}` for `record e`, the value alone for `record initial`/`final`.
  public var records: [NamedValue] = []
  public init(
    index: Int, split: String, scenario: String? = nil, params: [NamedValue], seed: UInt64, attempts: Int,
    coverHits: [CoverHit] = [], rejections: [RequirementRejections] = [], guidance: JSONValue? = nil,
    environment: [NamedValue] = [], actors: [ActorRecord] = [], coverValues: [NamedValue] = []
  ) {
    self.guidance = guidance
    self.environment = environment
    self.actors = actors
    self.coverValues = coverValues
    self.index = index
    self.split = split
    self.scenario = scenario
    self.params = params
    self.seed = seed
    self.attempts = attempts
    self.coverHits = coverHits
    self.rejections = rejections
  }
}

/// A sensor's world pose at one frame.
public struct SensorPose: Sendable, Equatable {
  public var sensor: String
  public var pose: Pose
  public init(sensor: String, pose: Pose) {
    self.sensor = sensor
    self.pose = pose
  }
}

/// One simulated instant of a sample.
public struct FrameRecord: Sendable, Equatable {
  public var index: Int
  /// Seconds since the start of the sample.
  public var time: Double
  /// The ego actor's world pose; nil (`null` in `frames.jsonl`) when the scenario has no ego
  /// or it does not exist at this instant (docs/architecture.md, "Dataset layout").
  public var ego: Pose?
  public var sensors: [SensorPose]
  /// Every actor's world pose at this instant, in scene order.
  public var actors: [ActorPose]
  public init(index: Int, time: Double, ego: Pose?, sensors: [SensorPose], actors: [ActorPose] = []) {
    self.index = index
    self.time = time
    self.ego = ego
    self.sensors = sensors
    self.actors = actors
  }
}

/// One object seen (or hidden) in a camera frame.
public struct ObjectLabel: Sendable, Equatable {
  /// Value of the object's pixels in the instance image; 0 is background.
  public var instanceID: UInt16
  public var className: String
  public var semanticID: Int
  /// Visible extent; used only when the frame carries no instance image (the mask's extent wins).
  public var modalBox: Box2D?
  /// Extent of the whole projected object, occluded parts included, clipped to the image.
  public var amodalBox: Box2D?
  /// Share of the object's projected area hidden by other objects, 0…1.
  public var occlusion: Double
  /// Share of the object's projected area outside the image, 0…1.
  public var truncation: Double
  public var box3D: Box3D?
  public init(
    instanceID: UInt16, className: String, semanticID: Int, modalBox: Box2D? = nil, amodalBox: Box2D? = nil,
    occlusion: Double, truncation: Double, box3D: Box3D? = nil
  ) {
    self.instanceID = instanceID
    self.className = className
    self.semanticID = semanticID
    self.modalBox = modalBox
    self.amodalBox = amodalBox
    self.occlusion = occlusion
    self.truncation = truncation
    self.box3D = box3D
  }
}

/// One camera's output at one frame: encoded PNGs (any may be absent when disabled) and labels.
public struct CameraFrame: Sendable, Equatable {
  public var camera: String
  public var frame: Int
  public var width: Int
  public var height: Int
  public var rgbPNG: [UInt8]?
  public var depthPNG: [UInt8]?
  public var instancePNG: [UInt8]?
  public var semanticPNG: [UInt8]?
  /// 16-bit part-label ids (`parts/`; the dataset's `part_labels.json` names them).
  public var partsPNG: [UInt8]?
  /// The raw instance image, row-major, `width × height` values: the source of the COCO masks.
  public var instanceIDs: [UInt16]?
  public var objects: [ObjectLabel]
  /// Instances in the image that are deliberately not annotated (actors whose `annotated`
  /// field is false, e.g. distractors), ascending: the COCO image record lists them as
  /// `unannotated_instance_ids` so that `verify --labels` does not miss their annotations.
  public var unannotatedInstances: [UInt16]
  public init(
    camera: String, frame: Int, width: Int, height: Int, rgbPNG: [UInt8]? = nil, depthPNG: [UInt8]? = nil,
    instancePNG: [UInt8]? = nil, semanticPNG: [UInt8]? = nil, partsPNG: [UInt8]? = nil, instanceIDs: [UInt16]? = nil,
    objects: [ObjectLabel], unannotatedInstances: [UInt16] = []
  ) {
    self.partsPNG = partsPNG
    self.unannotatedInstances = unannotatedInstances
    self.camera = camera
    self.frame = frame
    self.width = width
    self.height = height
    self.rgbPNG = rgbPNG
    self.depthPNG = depthPNG
    self.instancePNG = instancePNG
    self.semanticPNG = semanticPNG
    self.instanceIDs = instanceIDs
    self.objects = objects
  }
}

/// One LiDAR sweep, already encoded as PLY (x y z intensity ring).
public struct LidarFrame: Sendable, Equatable {
  public var sensor: String
  public var frame: Int
  public var ply: [UInt8]
  public init(sensor: String, frame: Int, ply: [UInt8]) {
    self.sensor = sensor
    self.frame = frame
    self.ply = ply
  }
}

/// Everything one sample contributes to the dataset.
public struct SampleOutput: Sendable, Equatable {
  public var record: SampleRecord
  public var frames: [FrameRecord]
  public var cameras: [CameraFrame]
  public var lidars: [LidarFrame]
  public init(record: SampleRecord, frames: [FrameRecord], cameras: [CameraFrame] = [], lidars: [LidarFrame] = []) {
    self.record = record
    self.frames = frames
    self.cameras = cameras
    self.lidars = lidars
  }
}

/// A sensor's description in one sample, written to `calib/{name}/{sample:06}.json`.
public struct SensorCalibration: Sendable, Codable, Equatable {
  public enum Kind: String, Sendable, Codable { case camera, lidar }
  public var name: String
  public var kind: Kind
  /// The body the sensor is mounted on (usually `ego`).
  public var mount: String
  /// Sensor pose relative to the mount, scn axes (x forward, y left, z up).
  public var extrinsics: Pose
  public var width: Int?
  public var height: Int?
  /// Row-major 3×3 intrinsic matrix (pixels), cameras only.
  public var intrinsics: [Double]?
  /// The camera model (`model` in the file): a pinhole, or a Kannala–Brandt fisheye
  /// (docs/scene-model.md, "Cameras").
  public enum LensModel: String, Sendable, Codable { case pinhole, fisheye }
  public var lensModel: LensModel
  /// Pinhole: distortion coefficients in OpenCV order (k1, k2, p1, p2, k3), empty for an
  /// ideal pinhole. Fisheye: (k1, k2, k3, k4) of θ (1 + k1 θ² + k2 θ⁴ + k3 θ⁶ + k4 θ⁸).
  public var distortion: [Double]
  public var rateHz: Double
  /// Further settings (LiDAR channels, ranges, FOV…) as label/value text pairs.
  public var settings: [String: String]?
  public init(
    name: String, kind: Kind, mount: String = "ego", extrinsics: Pose, width: Int? = nil, height: Int? = nil,
    intrinsics: [Double]? = nil, lensModel: LensModel = .pinhole, distortion: [Double] = [], rateHz: Double,
    settings: [String: String]? = nil
  ) {
    self.lensModel = lensModel
    self.name = name
    self.kind = kind
    self.mount = mount
    self.extrinsics = extrinsics
    self.width = width
    self.height = height
    self.intrinsics = intrinsics
    self.distortion = distortion
    self.rateHz = rateHz
    self.settings = settings
  }

  var json: JSONValue {
    var members: [(String, JSONValue)] = [
      ("name", .string(name)), ("type", .string(kind.rawValue)), ("mount", .string(mount)),
      ("extrinsics_to_mount", extrinsics.json),
      ("axes", .string("x forward, y left, z up (sensor body); camera optical frame: x right, y down, z forward")),
    ]
    if let width, let height { members.append(("resolution", .array([.integer(width), .integer(height)]))) }
    if let intrinsics { members.append(("K", .array(intrinsics.map(JSONValue.double)))) }
    if kind == .camera {
      members.append(("model", .string(lensModel.rawValue)))
      let distortionModel = lensModel == .fisheye ? "kannala_brandt" : (distortion.isEmpty ? "none" : "opencv")
      members.append(("distortion_model", .string(distortionModel)))
      members.append(("distortion", .array(distortion.map(JSONValue.double))))
    }
    members.append(("rate_hz", .double(rateHz)))
    if let settings {
      // Sorted: a dictionary's own order must never reach a file.
      members.append(("settings", .object(settings.keys.sorted().map { ($0, .string(settings[$0] ?? "")) })))
    }
    return .object(members)
  }
}
