import Foundation
import Testing

@testable import ScnDataset

@Suite struct DatasetWriterTests {
  @Test func sameBytesWhateverTheOrderAndThreads() throws {
    let a = Fixture.temporaryDirectory("ordered")
    let b = Fixture.temporaryDirectory("threaded")
    defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
    let summary = try Fixture.write(to: a, order: Array(0..<6))
    #expect(summary.samples == 6 && summary.frames == 12 && summary.images == 12 && summary.annotations == 24)

    let writer = try DatasetWriter(outputDirectory: b, description: Fixture.description(), options: Fixture.options())
    let order = [4, 1, 5, 0, 3, 2]
    let failures = Locked<[String]>([])
    DispatchQueue.concurrentPerform(iterations: order.count) { i in
      do { try writer.write(sample: Fixture.sample(order[i])) } catch { failures.withLock { $0.append("\(error)") } }
    }
    #expect(failures.withLock { $0 }.isEmpty)
    _ = try writer.finalize()
    let first = Fixture.snapshot(a)
    #expect(first == Fixture.snapshot(b))
    #expect(first.keys.contains("manifest.json") && !first.keys.contains { $0.hasPrefix(".scn-work") })
    #expect(first.keys.contains("images/front/000005_0001.png"))
    #expect(first.keys.contains("annotations/kitti/front/000003_0000.txt"))
    // No absolute path of the run reaches any file.
    for (path, bytes) in first where !path.hasSuffix(".png") {
      #expect(!String(decoding: bytes, as: UTF8.self).contains(a.path), "\(path) mentions the output directory")
    }
  }

  @Test func resumeAfterAKillGivesTheSameBytes() throws {
    let baseline = Fixture.temporaryDirectory("baseline")
    let resumed = Fixture.temporaryDirectory("resumed")
    defer { try? FileManager.default.removeItem(at: baseline); try? FileManager.default.removeItem(at: resumed) }
    try Fixture.write(to: baseline, order: Array(0..<6))

    do {
      let writer = try DatasetWriter(outputDirectory: resumed, description: Fixture.description(), options: Fixture.options())
      for i in [0, 2, 4] { try writer.write(sample: Fixture.sample(i)) }
      // Dropped without finalize. Simulate a kill in the middle of sample 5: one of its files
      // is in place, a temp file is left behind, and its partial record was never written.
      let store = FileStore(root: resumed)
      try store.write(Fixture.camera(sample: 5, frame: 0).rgbPNG ?? [], to: "images/front/000005_0000.png")
      try Data([1, 2, 3]).write(to: store.workURL.appendingPathComponent("tmp/images%front%000005_0001.png"))
    }
    #expect(throws: DatasetError.self) {
      _ = try DatasetWriter(outputDirectory: resumed, description: Fixture.description(), options: Fixture.options())
    }
    // Each writer in its own scope: a writer holds the folder's lock until it is released.
    do {
      let writer = try DatasetWriter(outputDirectory: resumed, description: Fixture.description(), options: Fixture.options(.resume))
      #expect(writer.pendingSampleIndices == [1, 3, 5])
      #expect(throws: DatasetError.incomplete(missing: [1, 3, 5], total: 6)) { _ = try writer.finalize() }
      for i in writer.pendingSampleIndices { try writer.write(sample: Fixture.sample(i)) }
      _ = try writer.finalize()
    }
    #expect(Fixture.snapshot(baseline) == Fixture.snapshot(resumed))

    // Resuming a finished dataset is a no-op that still reports its counts.
    do {
      let again = try DatasetWriter(outputDirectory: resumed, description: Fixture.description(), options: Fixture.options(.resume))
      #expect(again.pendingSampleIndices.isEmpty)
      guard case .dataset(let summary) = try again.finalize() else { Issue.record("not a dataset"); return }
      #expect(summary.samples == 6)
    }
    // Killed before anything was committed: resuming starts afresh.
    let early = Fixture.temporaryDirectory("early-kill")
    defer { try? FileManager.default.removeItem(at: early) }
    try FileManager.default.createDirectory(at: early.appendingPathComponent(".scn-work/tmp"), withIntermediateDirectories: true)
    let fresh = try DatasetWriter(outputDirectory: early, description: Fixture.description(), options: Fixture.options(.resume))
    #expect(fresh.pendingSampleIndices == Array(0..<6))
    // A different dataset may not resume into it.
    var other = Fixture.description()
    other.identity.seed = 8
    #expect(throws: DatasetError.differentDataset(resumed.path, [])) {
      _ = try DatasetWriter(outputDirectory: resumed, description: other, options: Fixture.options(.resume))
    }
  }

  /// Files are not synced one by one, so a power loss can leave a sample recorded as done
  /// while its data never reached the disk (an empty or truncated file): resuming must notice
  /// and render that sample again.
  @Test func resumeAfterAPowerLossRedoesSamplesWhoseFilesDidNotSurvive() throws {
    let baseline = Fixture.temporaryDirectory("baseline-power")
    let resumed = Fixture.temporaryDirectory("resumed-power")
    defer { try? FileManager.default.removeItem(at: baseline); try? FileManager.default.removeItem(at: resumed) }
    try Fixture.write(to: baseline, order: Array(0..<6))
    do {
      let writer = try DatasetWriter(outputDirectory: resumed, description: Fixture.description(), options: Fixture.options())
      for i in [0, 1, 2, 3] { try writer.write(sample: Fixture.sample(i)) }
    }
    // Sample 1 lost its image data, sample 3 a file altogether; 0 and 2 survived.
    let image = resumed.appendingPathComponent("images/front/000001_0000.png")
    try Data().write(to: image)
    let lost = try #require(
      FileManager.default.subpathsOfDirectory(atPath: resumed.path).sorted().first {
        $0.contains("000003") && !$0.hasPrefix(".scn-work")
      })
    try FileManager.default.removeItem(at: resumed.appendingPathComponent(lost))
    let writer = try DatasetWriter(outputDirectory: resumed, description: Fixture.description(), options: Fixture.options(.resume))
    #expect(writer.pendingSampleIndices == [1, 3, 4, 5])
    for i in writer.pendingSampleIndices { try writer.write(sample: Fixture.sample(i)) }
    _ = try writer.finalize()
    let (expected, actual) = (Fixture.snapshot(baseline), Fixture.snapshot(resumed))
    let differing = Set(expected.keys).union(actual.keys).filter { expected[$0] != actual[$0] }.sorted()
    #expect(differing.isEmpty)
  }

  @Test func shardsMergeIntoTheSingleRunBytes() throws {
    let single = Fixture.temporaryDirectory("single")
    let merged = Fixture.temporaryDirectory("merged")
    let one = Fixture.temporaryDirectory("one-shard")
    let shards = (0..<3).map { Fixture.temporaryDirectory("shard\($0)") }
    defer {
      for url in [single, merged, one] + shards { try? FileManager.default.removeItem(at: url) }
    }
    try Fixture.write(to: single, order: Array(0..<6))
    for (k, url) in shards.enumerated() {
      let shard = try Shard(index: k, count: 3)
      let writer = try DatasetWriter(outputDirectory: url, description: Fixture.description(), options: Fixture.options(shard: shard))
      #expect(writer.pendingSampleIndices == [k, k + 3])
      #expect(throws: DatasetError.self) { try writer.write(sample: Fixture.sample((k + 1) % 3)) }
      for i in writer.pendingSampleIndices.reversed() { try writer.write(sample: Fixture.sample(i)) }
      #expect(try writer.finalize() == .shard(shard, samples: 2))
    }
    #expect(throws: DatasetError.incomplete(missing: [2, 5], total: 6)) {
      _ = try DatasetMerger.merge(shards: Array(shards.prefix(2)), into: merged, options: Fixture.options())
    }
    try? FileManager.default.removeItem(at: merged)
    let summary = try DatasetMerger.merge(shards: shards.reversed(), into: merged, options: Fixture.options())
    #expect(summary.samples == 6)
    #expect(Fixture.snapshot(single) == Fixture.snapshot(merged))

    let oneShard = try DatasetWriter(
      outputDirectory: one, description: Fixture.description(), options: Fixture.options(shard: try Shard(parsing: "0/1")))
    for i in 0..<6 { try oneShard.write(sample: Fixture.sample(i)) }
    _ = try oneShard.finalize()
    let mergedOne = Fixture.temporaryDirectory("merged-one")
    defer { try? FileManager.default.removeItem(at: mergedOne) }
    _ = try DatasetMerger.merge(shards: [one], into: mergedOne, options: Fixture.options())
    #expect(Fixture.snapshot(single) == Fixture.snapshot(mergedOne))
  }

  @Test func refusesNonEmptyOutputAndReplacesOnlyDatasets() throws {
    let url = Fixture.temporaryDirectory("refuse")
    defer { try? FileManager.default.removeItem(at: url) }
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    try Data("mine".utf8).write(to: url.appendingPathComponent("notes.txt"))
    #expect(throws: DatasetError.outputNotEmpty(url.path)) {
      _ = try DatasetWriter(outputDirectory: url, description: Fixture.description(), options: Fixture.options())
    }
    #expect(throws: DatasetError.refusingToReplace(url.path)) {
      _ = try DatasetWriter(outputDirectory: url, description: Fixture.description(), options: Fixture.options(.replace))
    }
    #expect(FileManager.default.fileExists(atPath: url.appendingPathComponent("notes.txt").path))
    try FileManager.default.removeItem(at: url.appendingPathComponent("notes.txt"))
    try Fixture.write(to: url, order: [0, 1], count: 2)
    let writer = try DatasetWriter(outputDirectory: url, description: Fixture.description(count: 2), options: Fixture.options(.replace))
    #expect(writer.pendingSampleIndices == [0, 1])
    #expect(!FileManager.default.fileExists(atPath: url.appendingPathComponent("manifest.json").path))
  }

  @Test func sourceDateEpochIsTheOnlyTimestamp() throws {
    #expect(try DatasetTimestamp.resolve(environment: ["SOURCE_DATE_EPOCH": "1790000000"], now: { Date(timeIntervalSince1970: 5) }) == 1_790_000_000)
    #expect(try DatasetTimestamp.resolve(environment: [:], now: { Date(timeIntervalSince1970: 42.9) }) == 42)
    for bad in ["", "yesterday", "-1", "1e9", "99999999999999"] {
      #expect(throws: DatasetError.invalidSourceDateEpoch(bad)) {
        _ = try DatasetTimestamp.resolve(environment: ["SOURCE_DATE_EPOCH": bad], now: { Date() })
      }
    }
    #expect(DatasetTimestamp.iso8601(Int64.min) == "1970-01-01T00:00:00Z")
    #expect(DatasetTimestamp.iso8601(Int64.max) == "9999-12-31T23:59:59Z")
    #expect(DatasetTimestamp.iso8601(0) == "1970-01-01T00:00:00Z")
    #expect(DatasetTimestamp.iso8601(1_790_000_000) == "2026-09-21T14:13:20Z")
    #expect(DatasetTimestamp.iso8601(951_782_400) == "2000-02-29T00:00:00Z")

    let a = Fixture.temporaryDirectory("epoch-a")
    let b = Fixture.temporaryDirectory("epoch-b")
    defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
    try Fixture.write(to: a, order: [0, 1], count: 2)
    try Fixture.write(to: b, order: [0, 1], count: 2, epoch: Fixture.epoch + 86_400)
    let (first, second) = (Fixture.snapshot(a), Fixture.snapshot(b))
    let differing = first.keys.filter { first[$0] != second[$0] }.sorted()
    #expect(differing == ["croissant.json", "lineage.json", "manifest.json"])
    #expect(String(decoding: first["croissant.json"] ?? [], as: UTF8.self).contains("\"datePublished\": \"2026-09-21T14:13:20Z\""))
    #expect(String(decoding: second["lineage.json"] ?? [], as: UTF8.self).contains("\"eventTime\": \"2026-09-22T14:13:20Z\""))
  }

  @Test func rejectsSamplesItCannotLabel() throws {
    let url = Fixture.temporaryDirectory("reject")
    defer { try? FileManager.default.removeItem(at: url) }
    let writer = try DatasetWriter(outputDirectory: url, description: Fixture.description(), options: Fixture.options())
    var unknownCamera = Fixture.sample(0)
    unknownCamera.cameras[0].camera = "rear"
    #expect(throws: DatasetError.self) { try writer.write(sample: unknownCamera) }
    var badMask = Fixture.sample(0)
    badMask.cameras[0].instanceIDs = [0, 1]
    #expect(throws: DatasetError.self) { try writer.write(sample: badMask) }
    var unknownClass = Fixture.sample(0)
    unknownClass.cameras[0].objects[0].semanticID = 9
    #expect(throws: DatasetError.self) { try writer.write(sample: unknownClass) }
    var sharedInstance = Fixture.sample(0)
    sharedInstance.cameras[0].objects[1].instanceID = 2
    #expect(throws: DatasetError.self) { try writer.write(sample: sharedInstance) }
    var wrongSize = Fixture.sample(0)
    wrongSize.cameras[0].width = 24
    wrongSize.cameras[0].height = 32
    #expect(throws: DatasetError.self) { try writer.write(sample: wrongSize) }
    var sharedFrame = Fixture.sample(0)
    sharedFrame.frames[1].index = 0
    #expect(throws: DatasetError.self) { try writer.write(sample: sharedFrame) }
    #expect(throws: DatasetError.sampleOutOfRange(index: 6, count: 6)) { try writer.write(sample: Fixture.sample(6)) }
    // The failed attempts did not mark sample 0 as written.
    try writer.write(sample: Fixture.sample(0))
    #expect(throws: DatasetError.sampleAlreadyWritten(0)) { try writer.write(sample: Fixture.sample(0)) }
  }
}

@Suite struct FinalizeInterruptionTests {
  /// A kill after the manifest was written but before `.scn-work/` was removed: the resumed
  /// run must redo the finalisation and end with the same bytes.
  @Test func killDuringFinalizationResumes() throws {
    let baseline = Fixture.temporaryDirectory("final-baseline")
    let killed = Fixture.temporaryDirectory("final-killed")
    defer { try? FileManager.default.removeItem(at: baseline); try? FileManager.default.removeItem(at: killed) }
    try Fixture.write(to: baseline, order: Array(0..<3), count: 3)
    do {
      let writer = try DatasetWriter(outputDirectory: killed, description: Fixture.description(count: 3), options: Fixture.options())
      for i in 0..<3 { try writer.write(sample: Fixture.sample(i)) }
      _ = try Finalizer(store: writer.store, description: writer.dataset, timestamp: Fixture.epoch).run()
      // …and a half-written aggregate from a second, also killed, finalisation.
      try Data("{".utf8).write(to: killed.appendingPathComponent("coverage.json"))
    }
    #expect(DatasetVerifier.verify(directory: killed).problems.contains { $0.kind == .unfinished })
    let writer = try DatasetWriter(outputDirectory: killed, description: Fixture.description(count: 3), options: Fixture.options(.resume))
    #expect(!FileManager.default.fileExists(atPath: killed.appendingPathComponent("manifest.json").path))
    #expect(writer.pendingSampleIndices.isEmpty)
    _ = try writer.finalize()
    #expect(Fixture.snapshot(baseline) == Fixture.snapshot(killed))
  }
}
