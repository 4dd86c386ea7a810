/// Binary little-endian PLY for LiDAR scans.
///
/// Layout (one `vertex` element per point, 22 bytes each, no padding):
/// ```
/// ply
/// format binary_little_endian 1.0
/// comment scn lidar: sensor frame x forward, y left, z up (metres)
/// comment intensity = reflectivity * |cos incidence| in [0,1]; ring 0 = lowest channel; instance 0 = ground
/// element vertex N
/// property float x
/// property float y
/// property float z
/// property float intensity
/// property ushort ring
/// property uint instance
/// end_header
/// ```
public enum PLYWriter {
  public static func encode(_ points: [LidarPoint]) -> [UInt8] {
    let header = """
      ply
      format binary_little_endian 1.0
      comment scn lidar: sensor frame x forward, y left, z up (metres)
      comment intensity = reflectivity * |cos incidence| in [0,1]; ring 0 = lowest channel; instance 0 = ground
      element vertex \(points.count)
      property float x
      property float y
      property float z
      property float intensity
      property ushort ring
      property uint instance
      end_header

      """
    var bytes = Array(header.utf8)
    bytes.reserveCapacity(bytes.count + points.count * 22)
    func put32(_ v: UInt32) {
      bytes.append(UInt8(truncatingIfNeeded: v))
      bytes.append(UInt8(truncatingIfNeeded: v >> 8))
      bytes.append(UInt8(truncatingIfNeeded: v >> 16))
      bytes.append(UInt8(truncatingIfNeeded: v >> 24))
    }
    for p in points {
      put32(p.x.bitPattern)
      put32(p.y.bitPattern)
      put32(p.z.bitPattern)
      put32(p.intensity.bitPattern)
      bytes.append(UInt8(truncatingIfNeeded: p.ring))
      bytes.append(UInt8(truncatingIfNeeded: p.ring >> 8))
      put32(p.instance)
    }
    return bytes
  }
}
