import Foundation
import ScnMap
import ScnSensors

/// `scn map`: what an OpenDRIVE file holds, as text, and a top-down picture of it as PNG.
public struct MapInspection: Sendable {
  public var summary: MapSummary
  /// The summary as the command prints it.
  public var text: String
  /// Warnings and notes of the reader.
  public var diagnostics: [MapDiagnostic]
  /// The top-down PNG, when one was asked for.
  public var png: [UInt8]?

  /// Reads `url` and summarises it; with `pixelsPerMetre`, also draws it.
  public static func inspect(url: URL, pixelsPerMetre: Double?) throws -> MapInspection {
    let network = try OpenDriveReader.read(contentsOf: url)
    let lanes = LaneNetwork(network)
    let summary = MapSummary(lanes)
    var png: [UInt8]?
    if let pixelsPerMetre {
      let raster = MapRaster(lanes, pixelsPerMetre: pixelsPerMetre)
      png = try PNGEncoder(compressionLevel: 6).encodeRGB(raster.pixels, width: raster.width, height: raster.height)
    }
    return MapInspection(
      summary: summary, text: render(summary, network: network, name: url.lastPathComponent),
      diagnostics: network.diagnostics, png: png)
  }

  static func render(_ s: MapSummary, network: RoadNetwork, name: String) -> String {
    func metres(_ v: Double) -> String { String(format: "%.1f m", v) }
    var lines: [String] = []
    let vendor = network.header.vendor.isEmpty ? "" : ", \(network.header.vendor)"
    lines.append("\(name): OpenDRIVE \(network.header.revMajor).\(network.header.revMinor)\(vendor)")
    lines.append("roads:        \(s.roads) (\(s.connectingRoads) connecting roads)")
    lines.append("junctions:    \(s.junctions)")
    lines.append("total length: \(metres(s.totalLength)) of reference line")
    lines.append("lanes by type (lane sections, centre-line length):")
    let width = s.lanesByType.map(\.type.count).max() ?? 0
    for entry in s.lanesByType {
      let pad = String(repeating: " ", count: width - entry.type.count)
      lines.append("  \(entry.type)\(pad)  \(String(format: "%5d", entry.count))  \(metres(entry.length))")
    }
    lines.append("signals:      \(s.signals)")
    lines.append("objects:      \(s.objects)")
    lines.append(
      String(
        format: "extent:       x %.1f … %.1f m, y %.1f … %.1f m", s.bounds.min.x, s.bounds.max.x, s.bounds.min.y,
        s.bounds.max.y))
    if network.localOrigin != .zero {
      lines.append(String(format: "local origin: (%.1f, %.1f) subtracted from the file's x, y", network.localOrigin.x, network.localOrigin.y))
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
