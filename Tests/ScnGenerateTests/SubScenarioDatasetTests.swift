import Foundation
import ScnDataset
import ScnEncoding
import Testing

/// An actor created during the simulation, end to end (docs/language-tour.md, "Sub-scenarios
/// in sequence"): a crate whose sub-scenario starts after a `wait` is absent from the labels
/// and from `frames.jsonl` before it starts and present after, keeps its instance id, the
/// dataset passes `verify --labels`, and `--jobs 1` and `--jobs 2` write the same bytes.
@Suite struct SubScenarioDatasetTests {
  static let scene = """
    scenario Delivery(x: Length = 6m) {
        let crate = Box { size: (1m, 1m, 1m), class: "crate" } at (x, 0.8m, 0m)
        terminate after 1s
    }

    @dataset(name: "late-crate", version: "0.1.0", license: "CC-BY-4.0")
    @intended_use("Testing actors created during the simulation.")
    @out_of_scope("Everything else.")
    scenario Dock {
        ego pole = Mast at (0m, 0m, 0m)
        let post = Box { size: (0.5m, 0.5m, 1.5m), class: "post" } at (6m, -1.5m, 0m)
        sensor cam = Camera { mount: pole, offset: (0m, 0m, 1m), resolution: (64, 48), fov: 80deg,
            outputs: [rgb, depth, instance, boxes2d, boxes3d] }
        compose {
            wait 1s
            do Delivery(6m)
        }
        simulate 3s at 2Hz
    }

    """

  @Test func aLateActorIsLabelledFromItsStartOnly() throws {
    let source = try Fixture.file(Self.scene, name: "dock.scn")
    let one = Paths.temporary("late-crate-1"), two = Paths.temporary("late-crate-2")
    defer { for u in [one, two, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let first = try SCNProcess.run(["generate", source.path, "--count", "2", "--jobs", "1", "--out", one.path])
    try #require(first.status == 0, "\(first.stderr)")
    let second = try SCNProcess.run(["generate", source.path, "--count", "2", "--jobs", "2", "--out", two.path])
    try #require(second.status == 0, "\(second.stderr)")
    #expect(differences(try snapshot(one), try snapshot(two)) == [])

    let report = DatasetVerifier.verify(directory: one, labels: true)
    #expect(report.problems == [], "\(report.problems)")

    // COCO: the crate is annotated in the images of frames 2–4 (from 1 s at 2 Hz), not 0–1.
    let coco = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: one.appendingPathComponent("annotations/coco_cam.json")))
        as? [String: Any])
    let images = try #require(coco["images"] as? [[String: Any]])
    let annotations = try #require(coco["annotations"] as? [[String: Any]])
    var fileOf: [Int: String] = [:]
    for image in images { if let id = image["id"] as? Int, let f = image["file_name"] as? String { fileOf[id] = f } }
    func files(_ cls: String) -> [String] {
      annotations.filter { $0["class"] as? String == cls }.compactMap { ($0["image_id"] as? Int).flatMap { fileOf[$0] } }
    }
    let posts = files("post"), crates = files("crate")
    #expect(posts.count == images.count, "\(posts)")
    #expect(!crates.isEmpty && crates.count < images.count, "\(crates)")
    // Two samples × five frames; frames 0 and 1 of each lack the crate.
    #expect(images.count == 10)
    #expect(crates.count == 6, "\(crates)")

    // frames.jsonl lists the crate from frame 2 on, with the instance id samples.jsonl gives it.
    let frames = try String(contentsOf: one.appendingPathComponent("frames.jsonl"), encoding: .utf8)
      .split(separator: "\n").map(String.init)
    #expect(frames.count == 10)
    let withCrate = frames.filter { $0.contains("\"Delivery.crate\"") }
    #expect(withCrate.count == 6)
    let samples = try String(contentsOf: one.appendingPathComponent("samples.jsonl"), encoding: .utf8)
    #expect(samples.contains("\"name\":\"Delivery.crate\""))
  }

  /// `scn generate` of `text` (`count` samples on `jobs` threads): the dataset folder, and
  /// the folders to remove when done.
  static func generate(_ text: String, name: String, count: Int, jobs: Int) throws -> (out: URL, folders: [URL]) {
    let source = try Fixture.file(text, name: name)
    let out = Paths.temporary(name)
    let folders = [out, source.deletingLastPathComponent()]
    let run = try SCNProcess.run(["generate", source.path, "--count", String(count), "--jobs", String(jobs), "--out", out.path])
    if run.status != 0 { remove(folders) }
    try #require(run.status == 0, "\(run.stderr)")
    return (out, folders)
  }

  static func remove(_ folders: [URL]) { for u in folders { try? FileManager.default.removeItem(at: u) } }

  /// The records of one of a dataset's JSON Lines files.
  static func records(_ file: String, in dataset: URL) throws -> [JSONValue] {
    try String(contentsOf: dataset.appendingPathComponent(file), encoding: .utf8).split(separator: "\n")
      .map { try JSONValue.parse(String($0)) }
  }

  /// A scenario whose late crate carries a camera: `onlyLate` leaves the crate's camera the
  /// only sensor, else the pole's camera records every frame too.
  static func carriedCamera(onlyLate: Bool) -> String {
    let poleCamera = onlyLate ? "" : """
            sensor cam = Camera { mount: pole, offset: (0m, 0m, 1m), resolution: (32, 24), fov: 80deg,
                outputs: [rgb, instance, boxes2d] }

      """
    return """
    scenario Delivery(x: Length = 6m) {
        let crate = Box { size: (1m, 1m, 1m), class: "crate" } at (x, 0.8m, 0m) facing 180deg
        sensor cratecam = Camera { mount: crate, offset: (0m, 0m, 1.2m), resolution: (32, 24), fov: 80deg,
            outputs: [rgb, instance, boxes2d] }
        terminate after 1s
    }

    @dataset(name: "carried-camera", version: "0.1.0", license: "CC-BY-4.0")
    @intended_use("Testing a sensor mounted on an actor created during the simulation.")
    @out_of_scope("Everything else.")
    scenario Dock {
        ego pole = Mast at (0m, 0m, 0m)
        let post = Box { size: (0.5m, 0.5m, 1.5m), class: "post" } at (6m, -1.5m, 0m)
    \(poleCamera)        compose {
            wait 1s
            do Delivery(6m)
        }
        simulate 3s at 2Hz
    }

    """
  }

  /// A sensor mounted on an actor of a sub-scenario that has not started exists with its
  /// mount (docs/language-tour.md, "Sub-scenarios in sequence"): no image, label or pose
  /// before, in every file alike, and `verify --labels` accepts the dataset. Declared in
  /// that sub-scenario, it also records only while the sub-scenario runs: it ends at 2 s,
  /// with the run, so its last frame is 3.
  @Test(arguments: [false, true]) func aSensorOnALateActorRecordsFromItsStartOnly(onlyLate: Bool) throws {
    let (out, folders) = try Self.generate(Self.carriedCamera(onlyLate: onlyLate), name: "carried.scn", count: 2, jobs: 2)
    defer { Self.remove(folders) }
    let report = DatasetVerifier.verify(directory: out, labels: true)
    #expect(report.problems == [], "\(report.problems)")

    // The crate (and its camera) exists from 1 s, and the camera's sub-scenario runs until
    // 2 s: frames 2 and 3 of each sample at 2 Hz.
    let late = "Delivery.cratecam"
    let images = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("images/\(late)").path)
    #expect(images.sorted() == ["000000_0002.png", "000000_0003.png", "000001_0002.png", "000001_0003.png"])
    let coco = try JSONValue.parse(String(contentsOf: out.appendingPathComponent("annotations/coco_\(late).json"), encoding: .utf8))
    let files = (coco["images"]?.arrayValue ?? []).compactMap { $0["file_name"]?.stringValue }.sorted()
    #expect(files == images.sorted().map { "images/\(late)/\($0)" }, "\(files)")
    for sample in ["000000", "000001"] {
      #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("calib/\(late)/\(sample).json").path))
    }

    // frames.jsonl gives the crate's camera a pose only where it records; without the
    // pole's camera, the other frames are not written at all.
    let frames = try Self.records("frames.jsonl", in: out)
    #expect(frames.count == (onlyLate ? 4 : 10))
    for frame in frames {
      let index = try #require(frame["frame"]?.intValue)
      let sensors = (frame["sensors"]?.objectMembers ?? []).map(\.0)
      let actors = (frame["actors"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
      #expect(sensors.contains(late) == (2...3).contains(index), "frame \(index): \(sensors)")
      #expect(actors.contains("Delivery.crate") == (index >= 2), "frame \(index): \(actors)")
      #expect(sensors.contains("cam") == !onlyLate, "frame \(index): \(sensors)")
    }
  }

  /// The ego of a later sub-scenario (`hasEgo: true`), or none at all: `frames.jsonl`'s `ego`
  /// is the scenario's ego actor's pose where it exists and `null` where it does not (or
  /// when the scenario has none), never another actor's pose or the sampled pose of an
  /// actor not created yet (docs/architecture.md, "Dataset layout"). The late crate's own
  /// camera comes first, so its mount decides nothing.
  static func lateEgo(hasEgo: Bool) -> String {
    """
    scenario Arrive {
        \(hasEgo ? "ego" : "let") crate = Box { size: (1m, 1m, 1m), class: "crate" } at (6m, 0.8m, 0m) facing 180deg
        sensor cratecam = Camera { mount: crate, offset: (0m, 0m, 1.2m), resolution: (32, 24), fov: 80deg, outputs: [rgb] }
        terminate after 1s
    }

    @dataset(name: "late-ego", version: "0.1.0", license: "CC-BY-4.0")
    @intended_use("Testing the ego pose of frames.jsonl.")
    @out_of_scope("Everything else.")
    scenario Dock {
        let pole = Mast at (0m, 0m, 0m)
        sensor cam = Camera { mount: pole, offset: (0m, 0m, 1m), resolution: (32, 24), fov: 80deg, outputs: [rgb] }
        compose {
            wait 1s
            do Arrive()
        }
        simulate 3s at 2Hz
    }

    """
  }

  @Test(arguments: [true, false]) func theEgoOfFramesIsNullWhileItDoesNotExist(hasEgo: Bool) throws {
    let (out, folders) = try Self.generate(Self.lateEgo(hasEgo: hasEgo), name: "late_ego.scn", count: 1, jobs: 1)
    defer { Self.remove(folders) }
    let frames = try Self.records("frames.jsonl", in: out)
    #expect(frames.count == 5)
    for frame in frames {
      let index = try #require(frame["frame"]?.intValue)
      let ego = try #require(frame["ego"], "frame \(index) has no ego member")
      let crate = (frame["actors"]?.arrayValue ?? []).first { $0["name"]?.stringValue == "Arrive.crate" }
      #expect((crate != nil) == (index >= 2), "frame \(index)")
      if hasEgo, let crate {
        #expect(ego == crate["pose"], "frame \(index): ego \(ego), crate \(String(describing: crate["pose"]))")
      } else {
        #expect(ego == .null, "frame \(index): ego \(ego)")
      }
    }
  }

  /// A sensor declared in a later sub-scenario records only while that sub-scenario runs,
  /// as its `record` statements do, even when it is mounted on an actor that exists all
  /// along (the ego): here from 1 s to 2 s, frames 2 and 3 at 2 Hz, not before the step
  /// that runs it nor in the `wait` after it ends (docs/language-tour.md, "Sub-scenarios
  /// in sequence").
  static let lateSensorOnEgo = """
    scenario Inspect {
        sensor late = Camera { mount: ego, offset: (0m, 0m, 1.5m), resolution: (32, 24), fov: 80deg,
            outputs: [rgb, instance, boxes2d] }
        record initial sim_time() as started
        terminate after 1s
    }

    @dataset(name: "late-sensor", version: "0.1.0", license: "CC-BY-4.0")
    @intended_use("Testing a sensor of a later sub-scenario.")
    @out_of_scope("Everything else.")
    scenario Dock {
        ego pole = Mast at (0m, 0m, 0m)
        let post = Box { size: (0.5m, 0.5m, 1.5m), class: "post" } at (6m, -1.5m, 0m)
        sensor cam = Camera { mount: pole, offset: (0m, 0m, 1m), resolution: (32, 24), fov: 80deg,
            outputs: [rgb, instance, boxes2d] }
        compose {
            wait 1s
            do Inspect()
            wait 1s
        }
        simulate 3s at 2Hz
    }

    """

  @Test func aSensorOfALaterSubScenarioRecordsWhileItRuns() throws {
    let (out, folders) = try Self.generate(Self.lateSensorOnEgo, name: "late_sensor.scn", count: 2, jobs: 2)
    defer { Self.remove(folders) }
    let report = DatasetVerifier.verify(directory: out, labels: true)
    #expect(report.problems == [], "\(report.problems)")

    let late = "Inspect.late"
    let images = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("images/\(late)").path)
    #expect(images.sorted() == ["000000_0002.png", "000000_0003.png", "000001_0002.png", "000001_0003.png"])
    let cam = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("images/cam").path)
    #expect(cam.count == 14, "\(cam.sorted())")
    let frames = try Self.records("frames.jsonl", in: out)
    #expect(frames.count == 14)
    for frame in frames {
      let index = try #require(frame["frame"]?.intValue)
      let sensors = (frame["sensors"]?.objectMembers ?? []).map(\.0)
      #expect(sensors.contains(late) == (2...3).contains(index), "frame \(index): \(sensors)")
      #expect(sensors.contains("cam"), "frame \(index): \(sensors)")
    }
    // The sub-scenario's `record initial` agrees: it started at 1 s.
    for sample in try Self.records("samples.jsonl", in: out) {
      #expect(sample["records"]?["Inspect.started"]?["value"]?.doubleValue == 1, "\(String(describing: sample["records"]))")
    }
  }
}
