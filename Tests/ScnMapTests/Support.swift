import Foundation
import ScnMap

/// The OpenDRIVE fixtures (Tests/Fixtures/opendrive, with their licence notices).
enum MapFixtures {
  static let directory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/opendrive")

  static let all = [
    "Town01", "Town02", "Issue274", "shoulders", "suspect_geometries", "zero_width", "every_shape", "four_lanes",
  ]

  static func url(_ name: String) -> URL { directory.appendingPathComponent("\(name).xodr") }

  static func load(_ name: String) throws -> RoadNetwork { try OpenDriveReader.read(contentsOf: url(name)) }

  /// Reads a document written inline (tests of the reader's handling of odd input).
  static func parse(_ text: String) throws -> RoadNetwork { try OpenDriveReader.read(data: Data(text.utf8)) }

  /// A one-road document with `planView` as the road's plan view.
  static func road(planView: String, lanes: String? = nil, extra: String = "") -> String {
    """
    <?xml version="1.0"?>
    <OpenDRIVE>
      <header revMajor="1" revMinor="6"/>
      <road id="1" length="10" junction="-1">
        <planView>\(planView)</planView>
        \(extra)
        <lanes>
          <laneSection s="0">
            <center><lane id="0" type="none"/></center>
            <right>\(lanes ?? #"<lane id="-1" type="driving"><width sOffset="0" a="3.5" b="0" c="0" d="0"/></lane>"#)</right>
          </laneSection>
        </lanes>
      </road>
    </OpenDRIVE>
    """
  }
}

func distance(_ a: RoadPoint, _ b: RoadPoint) -> Double {
  ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y) + (a.z - b.z) * (a.z - b.z)).squareRoot()
}
