import ScnEncoding
import ScnRuntime
import Testing

/// A record built by a construction shares the construction's field array and reads its pose
/// fields (position, heading, an actor's pitch and roll) from its pose (`FieldValues` in
/// `Interpreter/Record.swift`): every reader must still see each record's own pose.
@Suite struct RecordFieldsTests {
  /// Three boxes of one construction with drawn yaw and pitch: a field read in the program
  /// (`boxes[1].heading`, `boxes[2].pitch`), the scene's `pitch` field entries and the
  /// actors' poses agree record by record, and differ between records.
  @Test func recordsOfOneConstructionReadTheirOwnPose() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario Poses {
          ego robot = Box at (0m, 0m, 0m) facing 0deg
          let boxes = [Box at (5m * i + 5m, uniform(-10m, 10m), 0m) facing (uniform(0deg, 90deg), uniform(0deg, 20deg), 0deg)
                       for i in 0..<3]
          cover h: boxes[1].heading buckets [0deg, 45deg, 90deg]
          cover p: boxes[2].pitch buckets [0deg, 10deg, 20deg]
          allow overlap
      }
      """, count: 50, SamplerOptions(seed: 7))
    #expect(scenes.count == 50)
    var distinctPitches = 0
    for scene in scenes {
      let boxes = scene.actors.filter { $0.name.hasPrefix("boxes[") }
      try #require(boxes.count == 3)
      for a in boxes {
        let pitch = try #require(a.fields.first { $0.name == "pitch" })
        #expect(pitch.value == .real(a.pitch))
        let roll = try #require(a.fields.first { $0.name == "roll" })
        #expect(roll.value == .real(0))
      }
      #expect(scene.covers.first { $0.name == "h" }?.value == .real(boxes[1].heading))
      #expect(scene.covers.first { $0.name == "p" }?.value == .real(boxes[2].pitch))
      if boxes[0].pitch != boxes[1].pitch, boxes[1].pitch != boxes[2].pitch { distinctPitches += 1 }
      // The JSON prints each box's own pose.
      let json = scene.json()
      let printed = json["actors"]?.arrayValue ?? []
      for a in boxes {
        let p = try #require(printed.first { $0["name"]?.stringValue == a.name })
        #expect(p["heading"]?["rad"]?.doubleValue == a.heading)
        #expect(p["fields"]?["pitch"]?["value"]?.doubleValue == a.pitch)
        #expect(p["position"]?.arrayValue?.compactMap(\.doubleValue) == [a.position.x, a.position.y, a.position.z])
      }
    }
    #expect(distinctPitches == 50)
  }
}
