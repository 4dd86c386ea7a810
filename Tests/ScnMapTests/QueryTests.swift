import Foundation
import ScnTestSupport
import Testing

@testable import ScnMap

@Suite struct LaneNetworkTests {
  static let town = Result { LaneNetwork(try MapFixtures.load("Town01")) }

  /// Following a lane's successors in the direction of travel never jumps: a lane's last centre
  /// point (in travel order) is within 1 cm of each successor's first.
  @Test func successorsContinueTheLane() throws {
    let lanes = try Self.town.get()
    var links = 0
    for lane in lanes.lanes where lane.type == .driving {
      guard let last = lane.travelsAlongS ? lane.centre.last : lane.centre.first else { continue }
      for next in lane.successors {
        let other = lanes.lanes[next]
        guard let first = other.travelsAlongS ? other.centre.first : other.centre.last else { continue }
        let d = ((last - first) * (last - first)).sum().squareRoot()
        #expect(d < 0.01, "lane \(lane.road)/\(lane.laneId) -> \(other.road)/\(other.laneId): \(d) m")
        #expect(other.predecessors.contains(lanes.lanes.firstIndex { $0.road == lane.road && $0.section == lane.section && $0.laneId == lane.laneId } ?? -1))
        links += 1
      }
    }
    #expect(links > 100)
    // Town01 is a closed network: every driving lane goes somewhere and comes from somewhere.
    let driving = lanes.lanes.filter { $0.type == .driving }
    #expect(driving.allSatisfy { !$0.successors.isEmpty && !$0.predecessors.isEmpty })
    // Lanes of connecting roads know their junction.
    #expect(lanes.lanes.contains { $0.junction != nil })
  }

  @Test func neighboursAndDirections() throws {
    let lanes = try Self.town.get()
    let road0 = try #require(lanes.network.roadIndex(id: "0"))
    let right1 = try #require(lanes.laneIndex(road: road0, section: 0, lane: -1))
    let left1 = try #require(lanes.laneIndex(road: road0, section: 0, lane: 1))
    let right2 = try #require(lanes.laneIndex(road: road0, section: 0, lane: -2))
    #expect(lanes.lanes[right1].travelsAlongS && !lanes.lanes[left1].travelsAlongS)
    // Driving along lane -1, lane 1 (the opposite carriageway) is on the left, the shoulder on the right.
    #expect(lanes.lanes[right1].left == left1 && lanes.lanes[right1].right == right2)
    #expect(lanes.lanes[left1].left == right1)
    // Road 0 heads west (hdg ≈ π): lane -1 travels west, lane 1 east.
    #expect(abs(cos(lanes.lanes[right1].travelHeading(segment: 3)) + 1) < 1e-3)
    #expect(abs(cos(lanes.lanes[left1].travelHeading(segment: 3)) - 1) < 1e-3)
  }
}

func lanes(_ index: LaneIndex) -> [MapLane] { index.network.lanes }

@Suite struct LaneIndexTests {
  static let index = Result { LaneIndex(LaneNetwork(try MapFixtures.load("Town01"))) }

  /// Point-in-lane and nearest-lane agree with a search of every strip segment.
  @Test func agreesWithBruteForce() throws {
    let index = try Self.index.get()
    var random = SplitMix64(7)
    let lo = SIMD2(-40.0, -370.0)
    let hi = SIMD2(440.0, 40.0)
    var inside = 0
    for _ in 0..<400 {
      let p = lo + (hi - lo) * SIMD2(random.unit(), random.unit())
      let expected = index.quads.indices.first { index.quads[$0].hasArea && index.contains(index.quads[$0], p) }
      let got = index.lane(containing: p)
      #expect(got?.lane == expected.map { Int(index.quads[$0].lane) }, "\(p)")
      if got != nil { inside += 1 }
      let nearestSpan = index.spans.map { $0.distance(p) }.min() ?? .infinity
      let hit = index.nearestLane(to: p, maxDistance: 1000)
      #expect(abs((hit?.distance ?? .infinity) - nearestSpan) < 1e-9, "\(p)")
      // Spans follow the sampled centre lines within 0.1 mm.
      let nearestSegment = index.quads.map { q in
        let d = q.q - q.p
        let f = min(max(((p - q.p) * d).sum() / max((d * d).sum(), 1e-300), 0), 1)
        return ((q.p + d * f - p) * (q.p + d * f - p)).sum().squareRoot()
      }.min() ?? .infinity
      #expect(abs(nearestSegment - nearestSpan) < 1e-4)
      if let hit {
        let filtered = index.nearestLane(to: p, .type(lanes(index)[hit.lane].type), maxDistance: 1000)
        #expect(filtered?.lane == hit.lane && abs((filtered?.distance ?? -1) - hit.distance) < 1e-9)
      }
    }
    #expect(inside > 60)  // the test points do land in lanes
  }

  @Test func pointsOnLaneCentresFindTheirLane() throws {
    let index = try Self.index.get()
    let lanes = index.network
    for (i, lane) in lanes.lanes.enumerated() where lane.type == .driving && lane.junction == nil {
      // The middle of the centre segment k lies in quad k only.
      let k = lane.centre.count / 2
      let p = SIMD2(lane.centre[k].x + lane.centre[k + 1].x, lane.centre[k].y + lane.centre[k + 1].y) / 2
      let hit = try #require(index.lane(containing: p, .drivable))
      #expect(hit.lane == i)
      #expect(abs(hit.s - (lane.s[k] + lane.s[k + 1]) / 2) < 1e-6)
      let heading = try #require(index.direction(at: p))
      #expect(abs(angleDifference(heading, lane.travelHeading(segment: k))) < 1e-9)
    }
  }

  @Test func farPointsFindNothing() throws {
    let index = try Self.index.get()
    #expect(index.lane(containing: SIMD2(5000, 5000)) == nil)
    #expect(index.nearestLane(to: SIMD2(5000, 5000)) == nil)
    #expect(index.direction(at: SIMD2(-1e6, 0)) == nil)
    #expect(index.lane(containing: SIMD2(.nan, 0)) == nil)
  }

  @Test func rasterShowsLanes() throws {
    let lanes = try LaneIndexTests.index.get().network
    let raster = MapRaster(lanes, pixelsPerMetre: 1)
    #expect(raster.pixels.count == raster.width * raster.height * 3)
    #expect(raster.width > 400 && raster.width < 440 && raster.height > 340 && raster.height < 370)
    // A sidewalk point of road 0 (lane 3 centre at s = 20: t = 6.3) has the sidewalk colour.
    let road0 = try #require(lanes.network.road(id: "0"))
    let p = try #require(road0.laneCenter(section: 0, lane: 3, at: 20))
    let x = Int((p.x - raster.origin.x) / raster.metresPerPixel)
    let y = raster.height - 1 - Int((p.y - raster.origin.y) / raster.metresPerPixel)
    let i = 3 * (y * raster.width + x)
    let c = MapRaster.color(.sidewalk)
    #expect(raster.pixels[i] == c.0 && raster.pixels[i + 1] == c.1 && raster.pixels[i + 2] == c.2)
  }
}

@Suite struct ManeuverAndFollowingTests {
  @Test func town01JunctionsOfferTurns() throws {
    let lanes = try LaneNetworkTests.town.get()
    var kinds: [Maneuver.Kind: Int] = [:]
    var total = 0
    for j in lanes.network.junctions.indices {
      let maneuvers = lanes.maneuvers(junction: j)
      #expect(!maneuvers.isEmpty)
      for m in maneuvers {
        kinds[m.kind, default: 0] += 1
        total += 1
        // The path is linked end to end and leaves the junction.
        #expect(lanes.lanes[m.incoming].successors.contains(m.connecting[0]))
        let outgoing = try #require(m.outgoing)
        #expect(lanes.lanes[outgoing].junction == nil)
        #expect(m.kind == Maneuver.kind(turn: m.turn))
      }
    }
    // Town01's junctions are T-junctions: each of the 3 arms offers 2 ways on, 6 per junction,
    // driving lanes only (connections of sidewalks and shoulders are not maneuvers of cars, but
    // the file links them too).
    #expect((kinds[.leftTurn] ?? 0) > 0 && (kinds[.rightTurn] ?? 0) > 0 && (kinds[.straight] ?? 0) > 0)
    #expect(total >= 72)
    #expect(Maneuver.kind(turn: 0.1) == .straight && Maneuver.kind(turn: 1.5) == .leftTurn)
    #expect(Maneuver.kind(turn: -1.5) == .rightTurn && Maneuver.kind(turn: 3.0) == .uTurn)
  }

  /// Ten cars on random driving lanes of Town01 follow the network for 20 s at 10 m/s, taking a
  /// random way at every junction; every centre position, every 0.05 s, lies in a driving lane.
  @Test func followersStayInDrivingLanes() throws {
    let index = try LaneIndexTests.index.get()
    let lanes = index.network
    let driving = lanes.lanes.indices.filter { lanes.lanes[$0].type == .driving && lanes.lanes[$0].junction == nil }
    var random = SplitMix64(42)
    var cars = (0..<10).map { _ in
      let lane = driving[min(Int(random.unit() * Double(driving.count)), driving.count - 1)]
      return LaneFollower(lane: lane, distance: random.unit() * lanes.lanes[lane].length)
    }
    var junctionsCrossed = Set<Int>()
    var samples = 0
    for _ in 0..<400 {
      for i in cars.indices {
        cars[i].advance(0.5, in: lanes) { successors in
          successors[min(Int(random.unit() * Double(successors.count)), successors.count - 1)]
        }
        #expect(cars[i].moving)
        let lane = lanes.lanes[cars[i].lane]
        #expect(lane.type == .driving)
        if let j = lane.junction { junctionsCrossed.insert(j) }
        let (p, heading) = cars[i].pose(in: lanes)
        let hit = index.lane(containing: SIMD2(p.x, p.y), .drivable)
        #expect(hit != nil, "car \(i) left the driving lanes at (\(p.x), \(p.y))")
        // It faces along its lane: the road-direction field agrees within 10°.
        if let h = hit?.heading, lanes.lanes[hit?.lane ?? 0].junction == nil {
          #expect(abs(angleDifference(h, heading)) < 0.18)
        }
        samples += 1
      }
    }
    #expect(samples == 4000)
    #expect(junctionsCrossed.count >= 3)
  }
}

@Suite struct RasterRoadMarkTests {
  /// The fill tests only the columns `rowSpan` gives: every pixel the exact per-pixel test
  /// accepts over the quad's whole bounding box must lie in that span (random convex,
  /// concave, crossed and degenerate quads, some huge), so the picture is unchanged.
  @Test func rowSpanCoversEveryPixelInsideTheQuad() {
    var random = SplitMix64(7)
    for round in 0..<400 {
      let scale = round % 5 == 0 ? 5000.0 : 40.0
      var quad = (0..<4).map { _ in SIMD2(random.unit() * scale - scale / 4, random.unit() * 40) }
      if round % 7 == 0 { quad[2] = quad[1] }  // a degenerate edge
      if round % 11 == 0 { quad = [SIMD2(0, 0), SIMD2(30, 0), SIMD2(30, 0), SIMD2(0, 0)] }  // flat
      let x0 = 0
      let x1 = 199
      for y in 0..<40 {
        let yc = Double(y) + 0.5
        let span = MapRaster.rowSpan(quad, y: yc, x0: x0, x1: x1)
        for x in x0...x1 {
          let p = SIMD2(Double(x) + 0.5, yc)
          var positive = true
          var negative = true
          for k in 0..<4 {
            let cr = LaneIndex.cross(quad[(k + 1) % 4] - quad[k], p - quad[k])
            if cr < 0 { positive = false }
            if cr > 0 { negative = false }
          }
          guard positive || negative else { continue }
          let inside = span.map { x >= $0.0 && x <= $0.1 } ?? false
          #expect(inside, "round \(round) row \(y) column \(x): \(quad)")
          if !inside { return }
        }
      }
    }
  }

  /// A lane that widens cubically to thousands of kilometres (found by FuzzInputs: it took
  /// minutes to draw, each thin strip scanning the whole picture) is drawn with work bounded by the picture.
  @Test func aHugeSlantedLaneIsDrawnQuickly() throws {
    let xodr = """
      <?xml version="1.0" encoding="UTF-8"?>
      <OpenDRIVE><header revMajor="1" revMinor="6" name="huge"/>
      <road name="r" length="300.0" id="1" junction="-1">
      <planView><geometry s="0.0" x="0.0" y="0.0" hdg="1.0" length="300.0"><line/></geometry></planView>
      <lanes><laneSection s="0.0"><center><lane id="0" type="none"/></center>
      <right><lane id="-1" type="driving"><width sOffset="0.0" a="3.5" b="0.0" c="0.0" d="0.3"/></lane></right>
      </laneSection></lanes></road></OpenDRIVE>
      """
    let network = try OpenDriveReader.read(data: Data(xodr.utf8))
    let lanes = LaneNetwork(network)
    // Before the row spans this took minutes in a debug build (the suite's time shows it);
    // no clock is asserted here, the figure is not a test's business.
    let raster = MapRaster(lanes, pixelsPerMetre: 0.5)
    #expect(raster.width == MapRaster.maximumSide || raster.height == MapRaster.maximumSide)
    #expect(raster.pixels.contains(70), "the lane is drawn")
  }

  /// Town01's centre lines are broken yellow: on for 3 m of every 9, asphalt between.
  @Test func brokenYellowCentreLine() throws {
    let lanes = try LaneIndexTests.index.get().network
    let raster = MapRaster(lanes, pixelsPerMetre: 2)
    let road0 = try #require(lanes.network.road(id: "0"))
    func color(atS s: Double) -> [UInt8] {
      let p = road0.point(s: s, t: 0)
      let x = Int((p.x - raster.origin.x) / raster.metresPerPixel)
      let y = Int(Double(raster.height) - (p.y - raster.origin.y) / raster.metresPerPixel)
      let i = 3 * (y * raster.width + x)
      return Array(raster.pixels[i..<(i + 3)])
    }
    #expect(color(atS: 19.5) == [230, 190, 40])  // 19.5 mod 9 = 1.5: a dash
    let asphalt = MapRaster.color(.driving)
    #expect(color(atS: 24) == [asphalt.0, asphalt.1, asphalt.2])  // 24 mod 9 = 6: a gap
  }
}
