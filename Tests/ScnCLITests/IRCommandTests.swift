import Foundation
import Testing

@Suite struct IRCommandTests {
  static let scenario = """
    // A comment that must not affect the hash.
    scenario S {
        param w: Length = uniform(2m, 4m)
        let b = Box at (w, 0m, 0m)
        require w > 2.5m
    }

    """

  @Test func firstLineIsTheHash() throws {
    let dir = try temporaryDirectory(files: ["s.scn": Self.scenario])
    let r = try SCNProcess.run(["ir", "s.scn"], in: dir)
    #expect(r.status == 0)
    let first = r.stdout.split(separator: "\n").first.map(String.init) ?? ""
    #expect(first.hasPrefix("ir-hash: "))
    #expect(first.dropFirst("ir-hash: ".count).count == 64)
    #expect(r.stdout.contains("scenario S {"))
  }

  @Test func hashIgnoresLayoutAndCommentsButNotMeaning() throws {
    let relaid = Self.scenario.replacingOccurrences(of: "// A comment that must not affect the hash.\n", with: "")
      .replacingOccurrences(of: "uniform(2m, 4m)", with: "uniform( 2m,4m )   // range")
    let changed = Self.scenario.replacingOccurrences(of: "4m", with: "5m")
    let dir = try temporaryDirectory(files: ["a.scn": Self.scenario, "b.scn": relaid, "c.scn": changed])
    func hash(_ f: String) throws -> String {
      String(try SCNProcess.run(["ir", f], in: dir).stdout.split(separator: "\n").first ?? "")
    }
    #expect(try hash("a.scn") == hash("b.scn"))
    #expect(try hash("a.scn") != hash("c.scn"))
    // `fmt` never changes the hash.
    #expect(try SCNProcess.run(["fmt", "b.scn"], in: dir).status == 0)
    #expect(try hash("a.scn") == hash("b.scn"))
  }

  /// `fmt` keeps the hash of pitch and roll: orientations, oriented points with them, and
  /// `facing directly toward`/`away from`, laid out badly and across lines.
  @Test func formattingOrientationsKeepsTheHash() throws {
    let messy = """
      scenario S {
          ego car = Box at (0m,0m,0m) facing ( 90deg,-10deg , 5deg )
          let op = ( 1m, 2m, 0m )facing(0deg,10deg,0deg)
          let a = Box ahead of op   facing directly toward car.position
          let b = Box at (0m, 5m, 0m)
              facing directly away from (0m, 0m, 3m)
          let c = Box offset along (90deg, 0deg, 90deg) by (1m, 0m, 0m)
          let p = op.pitch+op.roll
      }

      """
    let dir = try temporaryDirectory(files: ["a.scn": messy, "b.scn": messy])
    func hash(_ f: String) throws -> String {
      String(try SCNProcess.run(["ir", f], in: dir).stdout.split(separator: "\n").first ?? "")
    }
    let before = try hash("a.scn")
    #expect(before.hasPrefix("ir-hash: "))
    #expect(try SCNProcess.run(["fmt", "b.scn"], in: dir).status == 0)
    let formatted = try String(contentsOf: dir.appendingPathComponent("b.scn"), encoding: .utf8)
    #expect(formatted != messy)
    #expect(try hash("b.scn") == before)
  }

  /// `fmt` keeps the hash of Scenic's vector operators `P offset by V` and
  /// `P offset along H by V` (a heading, an orientation or a field), top-level `var`s and
  /// their assignment, `resample`, `require c as name` and `terminate simulation when`,
  /// laid out badly.
  @Test func formattingOffsetOperatorsKeepsTheHash() throws {
    let messy = """
      var   count:Int=0
      behavior Tick() {
          do set_speed( 1m/s ) for 1s
          count=count+1
      }
      fn f(p: Position) -> Angle = 3deg*(p.x/1m)
      scenario S {
          let x = uniform(0m,1m)
          let b = Box at (x,resample( x ),0m)  with behavior Tick()
          require   b.position.x>=0m   as   nonNegative
          require[ 0.9 ] x < 2m as "soft"
          terminate   simulation   when count>=2
          simulate 3s at 1Hz
          ego car = Box at ( (3m,2m,0m)offset by(-4m, 10m, 0m) )
          let p = (1m, 1m, 0m)   offset along 45deg by ( 1m,0m,0m )
          let q = p offset along ( 90deg,0deg,90deg ) by (4m, 10m, 5m)
          let r = (15m, 7m, 0m) offset along heading_field(f)   by (2m, -3m, 0m)
          let c = Box at r
      }

      """
    let dir = try temporaryDirectory(files: ["a.scn": messy, "b.scn": messy])
    func hash(_ f: String) throws -> String {
      String(try SCNProcess.run(["ir", f], in: dir).stdout.split(separator: "\n").first ?? "")
    }
    let before = try hash("a.scn")
    #expect(before.hasPrefix("ir-hash: "))
    #expect(try SCNProcess.run(["fmt", "b.scn"], in: dir).status == 0)
    let formatted = try String(contentsOf: dir.appendingPathComponent("b.scn"), encoding: .utf8)
    #expect(formatted != messy)
    #expect(try hash("b.scn") == before)
  }

  /// `fmt` keeps the hash of a scenario that runs sub-scenarios (`compose { do … }`).
  @Test func formattingComposeKeepsTheHash() throws {
    let messy = """
      scenario Sub( x:Length=0m ,gap : Length = 1m ) { let b = Box at (x,0m,0m)
      }
      scenario S {
          let y = 2m
          compose {   do Sub( y ) ,Sub(x:y+1m,gap:2m)   for 2s
          do Sub   }
      }

      """
    let dir = try temporaryDirectory(files: ["a.scn": messy, "b.scn": messy])
    func ir(_ f: String) throws -> String { try SCNProcess.run(["ir", f], in: dir).stdout }
    // The one-step form, then the two steps (run in sequence): both keep their hash.
    let oneStep = messy.replacingOccurrences(of: "\n    do Sub   }", with: " }")
    #expect(oneStep != messy)
    try oneStep.write(to: dir.appendingPathComponent("c.scn"), atomically: true, encoding: .utf8)
    try oneStep.write(to: dir.appendingPathComponent("d.scn"), atomically: true, encoding: .utf8)
    let before = String(try ir("c.scn").split(separator: "\n").first ?? "")
    #expect(before.hasPrefix("ir-hash: "))
    #expect(try SCNProcess.run(["fmt", "d.scn"], in: dir).status == 0)
    let formatted = try String(contentsOf: dir.appendingPathComponent("d.scn"), encoding: .utf8)
    #expect(formatted != oneStep)
    #expect(String(try ir("d.scn").split(separator: "\n").first ?? "") == before)
    let twoSteps = String(try ir("a.scn").split(separator: "\n").first ?? "")
    #expect(twoSteps.hasPrefix("ir-hash: "))
    #expect(try SCNProcess.run(["fmt", "b.scn"], in: dir).status == 0)
    let steps = try String(contentsOf: dir.appendingPathComponent("b.scn"), encoding: .utf8)
    #expect(steps.contains("    compose { do Sub(y), Sub(x: y + 1m, gap: 2m) for 2s\n        do Sub }\n"))
    #expect(String(try ir("b.scn").split(separator: "\n").first ?? "") == twoSteps)
  }

  @Test func jsonFormCarriesTheSameHashAndNoRanges() throws {
    let dir = try temporaryDirectory(files: ["s.scn": Self.scenario])
    let text = try SCNProcess.run(["ir", "s.scn"], in: dir)
    let json = try SCNProcess.run(["ir", "--json", "s.scn"], in: dir)
    #expect(json.status == 0)
    let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let hash = try #require(obj["hash"] as? String)
    #expect(text.stdout.hasPrefix("ir-hash: \(hash)\n"))
    let ir = try #require(obj["ir"] as? [String: Any])
    #expect(ir["entry"] as? String == "S")
    #expect(!json.stdout.contains("\"range\""))
  }

  @Test func errorsExitOneAndMissingFileTwo() throws {
    let dir = try temporaryDirectory(files: ["bad.scn": "scenario S {\n    let x = 1m + 1s\n}\n"])
    let bad = try SCNProcess.run(["ir", "bad.scn"], in: dir)
    #expect(bad.status == 1)
    #expect(bad.stderr.contains("E0203"))
    #expect(try SCNProcess.run(["ir", "missing.scn"], in: dir).status == 2)
    #expect(try SCNProcess.run(["ir", "bad.scn", "--scenario", "Nope"], in: dir).status == 1)
  }
}

@Suite struct CardCommandTests {
  @Test func previewPrintsTheCardFromTheAnnotationsWithoutRendering() throws {
    let source = """
      import std.warehouse

      @dataset(name: "card-preview", version: "1.2.3", license: "CC-BY-4.0")
      @description("Boxes for a card preview.")
      @intended_use("Checking scn card.")
      @out_of_scope("Anything real.")
      @failure_mode(id: "FM-1", "box too far away")
      scenario Boxes {
          @doc("How far the box is")
          param d: Length = uniform(3m, 8m)
          ego mast = Forklift at (0m, 0m, 0m) facing 0deg
          let b = Box at (d, 0m, 0m)
          sensor cam = Camera { mount: mast, offset: (0m, 0m, 1m), resolution: (64, 48), fov: 90deg }
          cover distance: d buckets [3m, 5m, 8m]
      }

      """
    let dir = try temporaryDirectory(files: ["b.scn": source])
    let r = try SCNProcess.run(["card", "b.scn", "--count", "20"], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.hasPrefix("---\n"))
    #expect(r.stdout.contains("license: cc-by-4.0"))
    #expect(r.stdout.contains("Checking scn card."))
    #expect(r.stdout.contains("FM-1"))
    #expect(r.stdout.contains("How far the box is"))
    #expect(r.stderr.contains("no frames rendered"))
    // Nothing is left behind in the working directory.
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["b.scn"])
    // A scenario without the required annotations cannot have a card.
    let bare = try temporaryDirectory(files: ["n.scn": "scenario N {\n    let x = 1m\n}\n"])
    #expect(try SCNProcess.run(["card", "n.scn"], in: bare).status == 1)
  }
}
