import ScnEncoding
import ScnGeometry

extension Trace {
  /// The trace as JSON, key order fixed: `step`, `end_time`, `terminated`, `frames` (each
  /// with `step`, `time`, per actor `position`/`heading`/`rotation` (w, x, y, z)/`speed`,
  /// per sensor `position`/`rotation`/`due`, `absent`, the actors not created yet, and
  /// `idle`, the sensors of sub-scenarios not running, when any), `collisions` (actor
  /// indices, -1 = the ground, -2 = a map's traffic light).
  public func json() -> JSONValue {
    func vec(_ v: Vec3) -> JSONValue { .array([.number(v.x), .number(v.y), .number(v.z)]) }
    func quat(_ q: Quaternion) -> JSONValue { .array([.number(q.w), .number(q.x), .number(q.y), .number(q.z)]) }
    return .object([
      ("step", .number(step)),
      ("end_time", .number(endTime)),
      ("terminated", .bool(terminated)),
      ("frames", .array(frames.map { f in
        var fields: [(String, JSONValue)] = [
          ("step", .int(Int64(f.stepIndex))),
          ("time", .number(f.time)),
          ("actors", .array(f.actors.map { a in
            .object([("position", vec(a.position)), ("heading", .number(a.heading)), ("rotation", quat(a.rotation)),
                     ("speed", .number(a.speed))])
          })),
          ("sensors", .array(f.sensors.map { s in
            .object([("position", vec(s.position)), ("rotation", quat(s.rotation)), ("due", .bool(s.due))])
          })),
        ]
        // Actors of sub-scenarios not started yet (only when there are any).
        if !f.absent.isEmpty { fields.append(("absent", .array(f.absent.map { .int(Int64($0)) }))) }
        if !f.idle.isEmpty { fields.append(("idle", .array(f.idle.map { .int(Int64($0)) }))) }
        return .object(fields)
      })),
      ("collisions", .array(collisions.map { c in
        .object([("time", .number(c.time)), ("first", .int(Int64(c.first))), ("second", .int(Int64(c.second))),
                 ("began", .bool(c.began)), ("position", vec(c.position))])
      })),
    ])
  }
}
