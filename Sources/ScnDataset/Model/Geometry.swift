import ScnEncoding
import ScnGeometry

extension Vec3 {
  /// `[x, y, z]`, the form every vector takes in the dataset's JSON.
  var json: JSONValue { .array([.double(x), .double(y), .double(z)]) }
}

/// A rigid pose: position and unit quaternion (w, x, y, z), in the world frame unless a
/// field says otherwise. Axes follow the scn world: x forward, y left, z up.
public struct Pose: Sendable, Codable, Equatable {
  public var position: Vec3
  public var rotation: [Double]
  public init(position: Vec3, rotation: [Double] = [1, 0, 0, 0]) {
    self.position = position
    self.rotation = rotation
  }
  var json: JSONValue {
    .object([("position", position.json), ("rotation_wxyz", .array(rotation.map(JSONValue.double)))])
  }
}

/// An axis-aligned image rectangle in pixels: left, top, width, height.
public struct Box2D: Sendable, Codable, Equatable {
  public var x: Double
  public var y: Double
  public var width: Double
  public var height: Double
  public init(x: Double, y: Double, width: Double, height: Double) {
    self.x = x
    self.y = y
    self.width = width
    self.height = height
  }
  var json: JSONValue { .array([.double(x), .double(y), .double(width), .double(height)]) }
}

/// A 3D box in the camera's body frame (x forward along the optical axis, y left, z up):
/// `center` is the box centre, `size` is (length, width, height) and `yaw` turns the box's
/// length axis counter-clockwise about z, from the camera's forward axis, in radians.
/// The KITTI writer converts to KITTI's camera axes (x right, y down, z forward).
public struct Box3D: Sendable, Codable, Equatable {
  public var center: Vec3
  public var size: Vec3
  public var yaw: Double
  /// The full object → camera-body rotation `[w, x, y, z]` (pitched and rolled objects);
  /// nil writes none. `yaw` is its heading alone (all KITTI can hold).
  public var rotation: [Double]?
  public init(center: Vec3, size: Vec3, yaw: Double, rotation: [Double]? = nil) {
    self.center = center
    self.size = size
    self.yaw = yaw
    self.rotation = rotation
  }
  var json: JSONValue {
    var members: [(String, JSONValue)] = [("center", center.json), ("size_lwh", size.json), ("yaw", .double(yaw))]
    if let rotation { members.append(("rotation_wxyz", .array(rotation.map(JSONValue.double)))) }
    members.append(("frame", .string("camera body: x forward, y left, z up")))
    return .object(members)
  }
}
