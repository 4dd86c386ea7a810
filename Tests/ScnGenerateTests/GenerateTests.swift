import Foundation
import ScnDataset
import ScnDriver
import ScnRuntime
import Testing

@Suite struct GenerateCommandTests {
  @Test func jobsDoNotChangeABite() throws {
    let source = try Fixture.file()
    let one = Paths.temporary("jobs1")
    let two = Paths.temporary("jobs2")
    defer { for u in [one, two, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let base = ["generate", source.path, "--count", "8", "--seed", "7", "--split", "train=0.5,val=0.25,test=0.25"]
    let a = try SCNProcess.run(base + ["--out", one.path, "--jobs", "1"])
    let b = try SCNProcess.run(base + ["--out", two.path, "--jobs", "2"])
    #expect(a.status == 0, "\(a.stderr)")
    #expect(b.status == 0, "\(b.stderr)")
    let left = try snapshot(one)
    #expect(left.keys.contains("manifest.json"))
    #expect(left.keys.contains("images/cam/000007_0000.png"))
    #expect(left.keys.contains("lidar/lidar/000007_0000.ply"))
    #expect(left.keys.contains("annotations/kitti/cam/000000_0000.txt"))
    #expect(differences(left, try snapshot(two)) == [])
    // Splits come from a hash of the index: all three appear in 8 samples with this seed.
    let samples = String(decoding: left["samples.jsonl"] ?? Data(), as: UTF8.self)
    #expect(samples.split(separator: "\n").count == 8)
    #expect(samples.contains("\"split\":\"train\"") && samples.contains("\"split\":\"val\""))
  }

  @Test func shardsMergeIntoTheSingleRun() throws {
    let source = try Fixture.file()
    let whole = Paths.temporary("whole")
    let shards = (0..<3).map { Paths.temporary("shard\($0)") }
    let merged = Paths.temporary("merged")
    defer {
      for u in [whole, merged, source.deletingLastPathComponent()] + shards { try? FileManager.default.removeItem(at: u) }
    }
    let base = ["generate", source.path, "--count", "7", "--seed", "3", "--jobs", "2"]
    #expect(try SCNProcess.run(base + ["--out", whole.path]).status == 0)
    for (k, dir) in shards.enumerated() {
      // Shard 1 takes its index from Slurm's array variables, the others from --shard.
      let result = k == 1
        ? try SCNProcess.run(
          base + ["--out", dir.path],
          environment: [
            "SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MIN": "0",
            "SLURM_ARRAY_TASK_MAX": "2", "SLURM_ARRAY_TASK_STEP": "1",
          ])
        : try SCNProcess.run(base + ["--out", dir.path, "--shard", "\(k)/3"])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("manifest.json").path))
    }
    try FileManager.default.removeItem(at: merged)
    _ = try DatasetMerger.merge(shards: shards, into: merged, options: DatasetWriterOptions(timestamp: 1_700_000_000))
    #expect(differences(try snapshot(whole), try snapshot(merged)) == [])
  }

  @Test func killedRunResumesToTheSameBytes() throws {
    let source = try Fixture.file()
    let reference = Paths.temporary("reference")
    let killed = Paths.temporary("killed")
    defer { for u in [reference, killed, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let base = ["generate", source.path, "--count", "60", "--jobs", "1"]
    let process = try SCNProcess.start(base + ["--out", killed.path])
    let partials = killed.appendingPathComponent(".scn-work/samples")
    let deadline = Date().addingTimeInterval(60)
    var written = 0
    while Date() < deadline, process.isRunning {
      written = ((try? FileManager.default.contentsOfDirectory(atPath: partials.path)) ?? []).count
      if written >= 3 { break }
      usleep(2_000)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(written >= 3, "the run finished or stalled before it could be killed")
    #expect(!FileManager.default.fileExists(atPath: killed.appendingPathComponent("manifest.json").path))
    let refused = try SCNProcess.run(base + ["--out", killed.path])
    #expect(refused.status == 2)
    let resumed = try SCNProcess.run(base + ["--out", killed.path, "--resume"])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(try SCNProcess.run(base + ["--out", reference.path]).status == 0)
    #expect(differences(try snapshot(reference), try snapshot(killed)) == [])
  }

  @Test func nonEmptyOutputIsRefusedAndForceReplaces() throws {
    let source = try Fixture.file()
    let out = Paths.temporary("refuse")
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    try Data("keep me".utf8).write(to: out.appendingPathComponent("notes.txt"))
    let base = ["generate", source.path, "--count", "2", "--out", out.path]
    let refused = try SCNProcess.run(base)
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("not empty") && refused.stderr.contains("--force"))
    #expect(try snapshot(out).keys.sorted() == ["notes.txt"])
    // --force replaces only a dataset, never a folder of unrelated files.
    #expect(try SCNProcess.run(base + ["--force"]).status == 1)
    try FileManager.default.removeItem(at: out.appendingPathComponent("notes.txt"))
    #expect(try SCNProcess.run(base).status == 0)
    let first = try snapshot(out)
    let again = try SCNProcess.run(["generate", source.path, "--count", "3", "--out", out.path, "--force"])
    #expect(again.status == 0, "\(again.stderr)")
    let second = try snapshot(out)
    #expect(second.keys.contains("images/cam/000002_0000.png"))
    #expect(first["manifest.json"] != second["manifest.json"])
  }

  @Test func coverTargetSpreadsSamplesAndIsRecorded() throws {
    let source = try Fixture.file()
    let out = Paths.temporary("cover")
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let result = try SCNProcess.run(["generate", source.path, "--count", "4", "--out", out.path, "--cover-target", "near"])
    #expect(result.status == 0, "\(result.stderr)")
    let files = try snapshot(out)
    let samples = String(decoding: files["samples.jsonl"] ?? Data(), as: UTF8.self)
    // Stratified: two buckets, four samples, two in each.
    #expect(samples.components(separatedBy: "\"near\":\"[4m, 6m)\"").count - 1 == 2, "\(samples)")
    #expect(samples.components(separatedBy: "\"near\":\"[6m, 8m)\"").count - 1 == 2, "\(samples)")
    let manifest = String(decoding: files["manifest.json"] ?? Data(), as: UTF8.self)
    #expect(manifest.contains("\"cover_target\"") && manifest.contains("\"near\""))
  }

  @Test func missingDatasetAnnotationsAreAnError() throws {
    let text = Fixture.boxes.replacingOccurrences(of: "@intended_use(\"Testing the scn generate pipeline.\")\n", with: "")
    let source = try Fixture.file(text)
    let out = Paths.temporary("missing")
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let result = try SCNProcess.run(["generate", source.path, "--count", "1", "--out", out.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains("@intended_use"))
    #expect(try snapshot(out).isEmpty)
  }

  @Test func usageErrorsExitWithTwo() throws {
    let source = try Fixture.file()
    let out = Paths.temporary("usage")
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let base = ["generate", source.path, "--count", "1", "--out", out.path]
    #expect(try SCNProcess.run(base + ["--split", "train=0.5,val=0.2"]).status == 2)
    #expect(try SCNProcess.run(base + ["--shard", "3/3"]).status == 2)
    #expect(try SCNProcess.run(base, environment: ["JOB_COMPLETION_INDEX": "0"]).status == 2)
    #expect(try SCNProcess.run(["generate", "/nonexistent/x.scn", "--count", "1", "--out", out.path]).status == 2)
    #expect(try SCNProcess.run(base + ["--param", "distance=3kg"]).status == 1)
  }
}

@Suite struct GenerateTraceTests {
  /// With `simulate`, every sensor records at its own rate along the trace; frame indices are
  /// trace positions, so a 20 Hz LiDAR and a 10 Hz camera share frame 0 and then alternate.
  @Test func sensorsRecordAtTheirRatesAlongTheTrace() throws {
    let text = Fixture.boxes
      .replacingOccurrences(of: "channels: 4,", with: "channels: 4, rate: 20Hz,")
      .replacingOccurrences(of: "cover near:", with: "simulate 0.2s at 100Hz\n    cover near:")
    let source = try Fixture.file(text)
    let out = Paths.temporary("trace")
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let result = try SCNProcess.run(["generate", source.path, "--count", "1", "--out", out.path])
    #expect(result.status == 0, "\(result.stderr)")
    let files = try snapshot(out)
    let cameraFrames = files.keys.filter { $0.hasPrefix("images/cam/") }.sorted()
    let lidarFrames = files.keys.filter { $0.hasPrefix("lidar/lidar/") }.sorted()
    #expect(cameraFrames.count == 2 || cameraFrames.count == 3, "\(cameraFrames)")
    #expect(lidarFrames.count >= 2 * cameraFrames.count - 1, "\(lidarFrames)")
    #expect(cameraFrames.first == "images/cam/000000_0000.png")
    let frames = String(decoding: files["frames.jsonl"] ?? Data(), as: UTF8.self).split(separator: "\n")
    #expect(frames.count == lidarFrames.count)
    #expect(frames.last?.contains("\"time\":0.0") == false)
  }
}

@Suite struct GenerateLibraryTests {
  @Test func splitsParseAndMustSumToOne() throws {
    let s = try GenerateRequest.parseSplits("train=0.8,val=0.1,test=0.1")
    #expect(s.map(\.name) == ["train", "val", "test"])
    #expect(throws: GenerateError.self) { try GenerateRequest.parseSplits("train=0.8,train=0.2") }
    #expect(throws: GenerateError.self) { try GenerateRequest.parseSplits("train=1.5") }
    #expect(throws: GenerateError.self) { try GenerateRequest.parseSplits("train") }
  }

  @Test func classIDsAreSortedAndStable() {
    let table = ClassTable(names: ["van", "car", "pedestrian"])
    #expect(table.id(of: "car") == 2)
    #expect(table.id(of: "pedestrian") == 3)
    #expect(table.id(of: "van") == 4)
    #expect(table.id(of: "tram") == nil)
  }

  @Test func classTableReadsTypeDefaultsAndLiterals() throws {
    let source = try Fixture.file()
    defer { try? FileManager.default.removeItem(at: source.deletingLastPathComponent()) }
    let driver = Driver(stdlibRoot: Paths.repository.appendingPathComponent("StdLib").path)
    let result = driver.compile(source.path)
    let program = try #require(result.program)
    let table = ClassTable(program: program)
    // Every Box the fixture builds names its class, so Box's default "box" cannot occur; nor
    // can the classes of StdLib types it never builds, nor road stuff without a road.
    #expect(table.names == ["crate", "robot", "target"])
    for name in ["box", "car", "forklift", "road", "lane_marking"] { #expect(table.id(of: name) == nil, "\(name)") }
  }

  @Test func classTableHoldsStuffClassesOfTheSurfacesTheProgramBuilds() throws {
    let driver = Driver(stdlibRoot: Paths.repository.appendingPathComponent("StdLib").path)
    func table(_ text: String) throws -> ClassTable {
      let source = try Fixture.file(text, name: "roads.scn")
      defer { try? FileManager.default.removeItem(at: source.deletingLastPathComponent()) }
      let result = driver.compile(source.path)
      return ClassTable(program: try #require(result.program, "\(result.diagnostics)"))
    }
    let roadOnly = try table(RoadDatasetTests.scene
      .replacingOccurrences(of: "    let walk = sidewalk(street, 0.5m, 2m)\n", with: "")
      .replacingOccurrences(of: "    let people = [Pedestrian on walk facing 0deg for _ in 0..<2]\n", with: ""))
    #expect(roadOnly.names == ["car", "lane_marking", "road"])
    let withWalk = try table(RoadDatasetTests.scene)
    #expect(withWalk.names == ["car", "curb", "lane_marking", "pedestrian", "road", "sidewalk"])
    let stuff = withWalk.stuff
    #expect([stuff.road, stuff.laneMarking, stuff.sidewalk, stuff.curb, stuff.wall] == [6, 4, 7, 3, 0])
    #expect(try table(RoadDatasetTests.hall).names == ["forklift", "pallet", "wall"])
  }
}
