/// The points of a LiDAR PLY file: positions in the sensor frame and, when the file has an
/// `instance` property, the id of the object each beam hit. Points whose `label` property
/// (scn's LiDAR files have one) is not 0 are echoes from fog, rain or snow particles, not from
/// a surface; they are left out, since no label image shows the air.
struct PLYPoints: Sendable {
  var positions: [SIMD3<Double>]
  var instances: [UInt32]?
  /// Points left out as particle echoes.
  var particleEchoes = 0

  private enum Scalar: Sendable {
    case int8, uint8, int16, uint16, int32, uint32, float32, float64

    init?(_ name: Substring) {
      switch name {
      case "char", "int8": self = .int8
      case "uchar", "uint8": self = .uint8
      case "short", "int16": self = .int16
      case "ushort", "uint16": self = .uint16
      case "int", "int32": self = .int32
      case "uint", "uint32": self = .uint32
      case "float", "float32": self = .float32
      case "double", "float64": self = .float64
      default: return nil
      }
    }

    var size: Int {
      switch self {
      case .int8, .uint8: 1
      case .int16, .uint16: 2
      case .int32, .uint32, .float32: 4
      case .float64: 8
      }
    }

    /// The little-endian value at `offset` (the caller checked the bounds).
    func load(_ raw: UnsafeRawBufferPointer, _ offset: Int) -> Double {
      switch self {
      case .int8: Double(Int8(bitPattern: raw[offset]))
      case .uint8: Double(raw[offset])
      case .int16: Double(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int16.self)))
      case .uint16: Double(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
      case .int32: Double(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
      case .uint32: Double(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
      case .float32:
        Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))))
      case .float64:
        Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
      }
    }
  }

  /// Reads `binary_little_endian` or `ascii` PLY whose first element is `vertex` with scalar
  /// properties including `x`, `y` and `z` (what scn writes). Anything else is an error.
  init(_ bytes: [UInt8]) throws(CheckFailure) {
    let marker = Array("end_header\n".utf8)
    guard bytes.starts(with: Array("ply\n".utf8)),
      let headerEnd = PLYPoints.firstIndex(of: marker, in: bytes, limit: 65_536)
    else { throw CheckFailure("not a PLY file (no 'ply' … 'end_header' header)") }
    let bodyStart = headerEnd + marker.count
    var binary: Bool?
    var count: Int?
    var properties: [(name: Substring, type: Scalar)] = []
    var inVertex = false
    for line in String(decoding: bytes[..<headerEnd], as: UTF8.self).split(separator: "\n").dropFirst() {
      let words = line.split(separator: " ")
      guard let keyword = words.first else { continue }
      switch keyword {
      case "format":
        switch words.dropFirst().first {
        case "binary_little_endian": binary = true
        case "ascii": binary = false
        default: throw CheckFailure("unsupported PLY format '\(line)'")
        }
      case "element":
        guard count == nil else {
          inVertex = false
          continue
        }
        guard words.count == 3, words[1] == "vertex", let n = Int(words[2]), n >= 0 else {
          throw CheckFailure("the first PLY element must be 'vertex N', got '\(line)'")
        }
        count = n
        inVertex = true
      case "property" where inVertex:
        guard words.count == 3, let type = Scalar(words[1]) else {
          throw CheckFailure("unsupported vertex property '\(line)'")
        }
        properties.append((words[2], type))
      default: continue
      }
    }
    guard let binary, let count else { throw CheckFailure("the PLY header lacks 'format' or 'element vertex'") }
    func column(_ name: Substring) -> Int? { properties.firstIndex { $0.name == name } }
    guard let xi = column("x"), let yi = column("y"), let zi = column("z") else {
      throw CheckFailure("the vertices lack x, y or z")
    }
    let ii = column("instance")
    let li = column("label")
    var particleEchoes = 0
    var positions: [SIMD3<Double>] = []
    var instances: [UInt32] = []
    var rows: [[Double]] = []
    if binary {
      var offsets: [Int] = []
      var stride = 0
      for p in properties {
        offsets.append(stride)
        stride += p.type.size
      }
      let (needed, overflow) = count.multipliedReportingOverflow(by: stride)
      guard !overflow, bytes.count - bodyStart >= needed else {
        throw CheckFailure("truncated: \(count) vertices of \(stride) bytes need \(needed) bytes after the header")
      }
      positions.reserveCapacity(count)
      bytes.withUnsafeBytes { raw in
        for k in 0..<count {
          let base = bodyStart + k * stride
          func value(_ c: Int) -> Double { properties[c].type.load(raw, base + offsets[c]) }
          if let li, value(li) != 0 {
            particleEchoes += 1
            continue
          }
          positions.append(SIMD3(value(xi), value(yi), value(zi)))
          if let ii { instances.append(UInt32(clamping: Int64(exactly: value(ii).rounded()) ?? Int64(UInt32.max))) }
        }
      }
    } else {
      let lines = String(decoding: bytes[bodyStart...], as: UTF8.self).split(
        separator: "\n", omittingEmptySubsequences: true)
      guard lines.count >= count else { throw CheckFailure("truncated: \(lines.count) of \(count) vertex lines") }
      for line in lines.prefix(count) {
        let fields = line.split(separator: " ").compactMap { Double($0) }
        guard fields.count == properties.count else { throw CheckFailure("malformed vertex line '\(line)'") }
        rows.append(fields)
      }
      for row in rows {
        if let li, row[li] != 0 {
          particleEchoes += 1
          continue
        }
        positions.append(SIMD3(row[xi], row[yi], row[zi]))
        if let ii { instances.append(UInt32(clamping: Int64(exactly: row[ii].rounded()) ?? Int64(UInt32.max))) }
      }
    }
    self.positions = positions
    self.instances = ii == nil ? nil : instances
    self.particleEchoes = particleEchoes
  }

  private static func firstIndex(of marker: [UInt8], in bytes: [UInt8], limit: Int) -> Int? {
    let end = min(bytes.count, limit) - marker.count
    guard end >= 0 else { return nil }
    for start in 0...end where bytes[start] == marker[0] && bytes[start..<(start + marker.count)].elementsEqual(marker)
    {
      return start
    }
    return nil
  }
}
