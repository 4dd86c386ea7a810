/// Binary little-endian PLY for LiDAR scans.
///
/// Layout (one `vertex` element per point, 23 bytes each, no padding):
/// ```
/// ply
/// format binary_little_endian 1.0
/// comment scn lidar: sensor frame x forward, y left, z up (metres)
/// comment intensity = reflectivity * |cos incidence| * two-way transmittance in [0,1]; ring 0 = lowest channel; instance 0 = ground or particle
/// comment label: 0 surface, 1 fog, 2 rain, 3 snow
/// element vertex N
/// property float x
/// property float y
/// property float z
/// property float intensity
/// property ushort ring
/// property uint instance
/// property uchar label
/// end_header
/// ```
public enum PLYWriter {
  public static func encode(_ points: [LidarPoint]) -> [UInt8] {
    let header = """
      ply
      format binary_little_endian 1.0
      comment scn lidar: sensor frame x forward, y left, z up (metres)
      comment intensity = reflectivity * |cos incidence| * two-way transmittance in [0,1]; ring 0 = lowest channel; instance 0 = ground or particle
      comment label: 0 surface, 1 fog, 2 rain, 3 snow
      element vertex \(points.count)
      property float x
      property float y
      property float z
      property float intensity
      property ushort ring
      property uint instance
      property uchar label
      end_header

      """
    let headerBytes = Array(header.utf8)
    // Stored bytes are written straight into the preallocated buffer: appending byte by
    // byte checked capacity 23 times per point.
    return [UInt8](unsafeUninitializedCapacity: headerBytes.count + points.count * 23) { buffer, count in
      guard let base = buffer.baseAddress else { return }
      base.initialize(from: headerBytes, count: headerBytes.count)
      var out = UnsafeMutableRawPointer(base + headerBytes.count)
      for p in points {
        out.storeBytes(of: p.x.bitPattern.littleEndian, as: UInt32.self)
        (out + 4).storeBytes(of: p.y.bitPattern.littleEndian, as: UInt32.self)
        (out + 8).storeBytes(of: p.z.bitPattern.littleEndian, as: UInt32.self)
        (out + 12).storeBytes(of: p.intensity.bitPattern.littleEndian, as: UInt32.self)
        (out + 16).storeBytes(of: p.ring.littleEndian, as: UInt16.self)
        (out + 18).storeBytes(of: p.instance.littleEndian, as: UInt32.self)
        (out + 22).storeBytes(of: p.label.rawValue, as: UInt8.self)
        out += 23
      }
      count = buffer.count
    }
  }
}
