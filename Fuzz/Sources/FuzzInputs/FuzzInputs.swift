import Foundation
import ScnAssets
import ScnData
import ScnMap
import ScnScene

/// The readers of a scenario's input files, on arbitrary bytes: the first byte picks one.
/// - even: an OpenDRIVE map (`map("…")`): read, built into lanes, indexed, summarised and
///   rasterised as `scn check`, `scn sample` and `scn map` do, then queried at a few points;
/// - 1 modulo 8: a CSV file of real data (`empirical("…", column: …)`), the column named by
///   the first header cell;
/// - 5 modulo 8: a base-colour texture image of an asset (PNG or JPEG), decoded as the
///   importers do, within 2^20 pixels (a smaller bound than scn's, for speed under ASan),
///   then sampled;
/// - 3 modulo 4: a Wavefront OBJ asset (`@asset(…, file: "….obj")`), imported as `scn check`
///   does, from the current folder, with every MTL file it names refused unread.
/// Crashes, traps, sanitizer reports, timeouts and running out of memory are the failures;
/// a reader's error is a normal outcome (the caller turns it into a diagnostic).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzInputs(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
  if data[0] % 2 == 0 {
    guard let network = try? OpenDriveReader.read(data: Data(bytes)) else { return 0 }
    let lanes = LaneNetwork(network)
    _ = MapSummary(lanes)
    // A 1024-pixel picture exercises the same drawing code as `scn map --png`'s 8192 at a
    // 64th of the pixels: a map spanning thousands of kilometres fills its whole picture,
    // which under AddressSanitizer took over 10 s per input (a libFuzzer "slow unit").
    _ = MapRaster(lanes, pixelsPerMetre: 0.5, maximumSide: 1024)
    let index = LaneIndex(lanes)
    for point in [SIMD2<Double>(0, 0), SIMD2(10, -3), SIMD2(-250, 80), SIMD2(1e6, 1e6)] {
      _ = index.lane(containing: point)
      _ = index.nearestLane(to: point)
      _ = index.direction(at: point)
      _ = index.lanes(containing: point)
    }
  } else if data[0] % 4 == 3 {
    let refuse = AssetFileReader { path, _ in throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: path]) }
    if let (asset, _) = try? OBJImporter.load(bytes: bytes, folder: ".", name: "fuzz", files: refuse) {
      _ = ActorShapes.parts(ShapeRequest(kind: "asset", size: SIMD3<Double>(1, 1, 1), asset: asset))
    }
  } else if data[0] % 8 == 5 {
    var limits = AssetLimits.standard
    limits.maxTexturePixels = 1 << 20
    limits.maxTexturePixelsTotal = 1 << 20
    if let pixels = try? TextureDecoder.decode(bytes, limits: limits) {
      let texture = TextureImage(pixels, wrapU: .mirrored, wrapV: .clamp)
      for uv in [SIMD2<Double>(0, 0), SIMD2(0.5, 0.5), SIMD2(-3.2, 7.9), SIMD2(1e12, -1e12)] { _ = texture.sample(uv) }
    }
  } else {
    let text = String(decoding: bytes.prefix(256), as: UTF8.self)
    let first = text.split(whereSeparator: { $0 == "," || $0 == "\n" || $0 == "\r" }).first.map(String.init) ?? ""
    if let column = try? CSVColumn(csv: bytes, column: first) {
      _ = CSVColumn.silvermanBandwidth(column.values)
      let sorted = column.values.sorted()
      if !sorted.isEmpty { _ = CSVColumn.quantile(sorted, 0.5) }
    }
  }
  return 0
}
