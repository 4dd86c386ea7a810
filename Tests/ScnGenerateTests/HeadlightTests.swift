import Foundation
import ScnDataset
import ScnEncoding
import Testing

/// At night, a pedestrian in a car's dipped beam is brighter in the rendered image than one
/// at the same distance outside it (measured through the instance masks), and a street lamp
/// lights the person standing under it.
@Suite struct HeadlightTests {
  static let scenario = """
    import std.vehicles
    import std.pedestrians
    import std.lighting

    @dataset(name: "headlights", version: "0.1.0", license: "CC-BY-4.0")
    @description("Two people at night, one in a car's headlamp beam, one outside it.")
    @intended_use("Testing scn's lamps.")
    @out_of_scope("Training anything.")
    scenario Headlights {
        ego car = Car { headlights: 15000cd } at (0m, 0m, 0m) facing 0deg
        // Both 15 m from the camera: straight ahead (in the beam) and 40° to the left.
        let lit = Pedestrian { color: rgb(0.5, 0.5, 0.5), shirt_color: rgb(0.6, 0.6, 0.6), trousers_color: rgb(0.5, 0.5, 0.5), class: "lit" } at (15.5m, 0m, 0m) facing 0deg
        let unlit = Pedestrian { color: rgb(0.5, 0.5, 0.5), shirt_color: rgb(0.6, 0.6, 0.6), trousers_color: rgb(0.5, 0.5, 0.5), class: "unlit" } at (0.5m + 15m * 0.766, 15m * 0.643, 0m) facing 0deg

        // Both 9.5 m from the camera, 47° either side of the heading (outside the beam): one
        // 3.6 m from a street lamp, on the camera's side of it, the other 12 m away.
        let lamp = StreetLamp at (4m, -5m, 0m) facing 0deg
        let under = Pedestrian { color: rgb(0.5, 0.5, 0.5), shirt_color: rgb(0.6, 0.6, 0.6), trousers_color: rgb(0.5, 0.5, 0.5), class: "under" } at (7.5m, -7m, 0m) facing 0deg
        let dark = Pedestrian { color: rgb(0.5, 0.5, 0.5), shirt_color: rgb(0.6, 0.6, 0.6), trousers_color: rgb(0.5, 0.5, 0.5), class: "dark" } at (7.5m, 7m, 0m) facing 0deg
        environment { light: 2lx, sun_elevation: -20deg }
        sensor cam = Camera { mount: car, offset: (0.5m, 0m, 1.3m), resolution: (640, 360), fov: 120deg,
                              outputs: [rgb, instance, semantic, boxes2d] }
    }

    """

  /// Mean 8-bit green value over the pixels of each instance.
  static func means(rgb: PNGImage, instance: PNGImage) -> [Int: Double] {
    var sum: [Int: Double] = [:], count: [Int: Int] = [:]
    for p in 0..<(instance.width * instance.height) {
      let id = Int(instance.samples[p])
      guard id > 0 else { continue }
      sum[id, default: 0] += Double(rgb.samples[p * 3 + 1])
      count[id, default: 0] += 1
    }
    return sum.reduce(into: [:]) { out, e in out[e.key] = e.value / Double(count[e.key] ?? 1) }
  }

  @Test func peopleInTheBeamOrUnderALampAreBrighter() throws {
    let source = try Fixture.file(Self.scenario, name: "headlights.scn")
    let out = Paths.temporary("headlights")
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let run = try SCNProcess.run(["generate", source.path, "--count", "1", "--seed", "1", "--out", out.path])
    #expect(run.status == 0, "\(run.stderr)")
    let rgb = try PNGImage(decoding: Array(Data(contentsOf: out.appendingPathComponent("images/cam/000000_0000.png"))))
    let instance = try PNGImage(
      decoding: Array(Data(contentsOf: out.appendingPathComponent("instance/cam/000000_0000.png"))))
    // Instance ids follow the actors' order in the scene: read them from samples.jsonl.
    let record = try JSONValue.parse(
      bytes: Array(Data(contentsOf: out.appendingPathComponent("samples.jsonl")).prefix { $0 != UInt8(ascii: "\n") }))
    var ids: [String: Int] = [:]
    for actor in record["actors"]?.arrayValue ?? [] {
      if let name = actor["name"]?.stringValue, let id = actor["instance_id"]?.intValue { ids[name] = id }
    }
    let m = Self.means(rgb: rgb, instance: instance)
    let lit = try #require(ids["lit"].flatMap { m[$0] }), unlit = try #require(ids["unlit"].flatMap { m[$0] })
    let under = try #require(ids["under"].flatMap { m[$0] }), dark = try #require(ids["dark"].flatMap { m[$0] })
    #expect(lit > 1.3 * unlit + 10, "in the beam \(lit), outside it \(unlit)")
    #expect(under > 1.3 * dark + 10, "under the lamp \(under), away from it \(dark)")
  }
}
