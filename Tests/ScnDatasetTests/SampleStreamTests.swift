import Foundation
import Testing

@testable import ScnDataset

/// `generate` hands frames to the writer one at a time; the dataset must not depend on the
/// order they arrive in, and an abandoned stream must leave its sample pending.
@Suite struct SampleStreamTests {
  @Test func framesInAnyOrderGiveTheWholeSampleBytes() throws {
    let whole = Fixture.temporaryDirectory("stream-whole")
    let streamed = Fixture.temporaryDirectory("stream-frames")
    defer { try? FileManager.default.removeItem(at: whole); try? FileManager.default.removeItem(at: streamed) }
    try Fixture.write(to: whole, order: Array(0..<6))

    let writer = try DatasetWriter(outputDirectory: streamed, description: Fixture.description(), options: Fixture.options())
    for index in 0..<6 {
      let sample = Fixture.sample(index)
      let stream = try writer.beginSample(index)
      // LiDAR first, cameras last-frame-first: the opposite of the order `generate` uses.
      for lidar in sample.lidars.reversed() { try stream.write(lidar: lidar) }
      for camera in sample.cameras.reversed() { try stream.write(camera: camera) }
      try stream.finish(record: sample.record, frames: sample.frames)
    }
    _ = try writer.finalize()
    let (expected, actual) = (Fixture.snapshot(whole), Fixture.snapshot(streamed))
    #expect(Set(expected.keys) == Set(actual.keys))
    #expect(expected.keys.filter { expected[$0] != actual[$0] }.sorted() == [])
  }

  @Test func anAbandonedStreamLeavesItsSamplePending() throws {
    let directory = Fixture.temporaryDirectory("stream-abandoned")
    defer { try? FileManager.default.removeItem(at: directory) }
    let writer = try DatasetWriter(outputDirectory: directory, description: Fixture.description(), options: Fixture.options())
    let sample = Fixture.sample(2)
    do {
      let stream = try writer.beginSample(2)
      try stream.write(camera: sample.cameras[0])
      // A second claim on a sample in flight is refused.
      #expect(throws: DatasetError.sampleAlreadyWritten(2)) { _ = try writer.beginSample(2) }
      // The same frame twice is an error, not a silent overwrite.
      #expect(throws: DatasetError.self) { try stream.write(camera: sample.cameras[0]) }
    }
    // Dropped without `finish`: the sample is pending again and can be written whole.
    #expect(writer.pendingSampleIndices.contains(2))
    try writer.write(sample: sample)
    #expect(!writer.pendingSampleIndices.contains(2))
    let stream = try writer.beginSample(3)
    #expect(throws: DatasetError.self) { try stream.finish(record: Fixture.sample(4).record, frames: []) }
  }
}

/// The finaliser writes each COCO file in one walk over the partial records, the annotation
/// list set aside in a spool until the image list is done.
@Suite struct SpoolFileTests {
  /// Pieces appended to a spool reach the file whole and in order, whether they stayed in
  /// memory or went through the (unlinked) temporary file, and the spool leaves no file.
  @Test func spooledBytesArriveInOrderFromMemoryOrDisk() throws {
    let directory = Fixture.temporaryDirectory("spool")
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let store = FileStore(root: directory)
    let pieces = (0..<500).map { "{\"id\":\($0),\"text\":\"" + String(repeating: "x", count: $0 % 37) + "\"}," }
    for (limit, name) in [(SpoolFile.defaultMemoryLimit, "memory"), (64, "disk"), (1, "tiny")] {
      let file = try StreamingFile(store: store, relativePath: "\(name).json")
      let spool = SpoolFile(store: store, name: "\(name).spool", memoryLimit: limit)
      try file.append("[")
      for piece in pieces { try spool.append(piece) }
      try spool.drain(into: file)
      try file.append("]")
      let entry = try file.finish()
      let written = try String(contentsOf: directory.appendingPathComponent("\(name).json"), encoding: .utf8)
      #expect(written == "[" + pieces.joined() + "]")
      #expect(entry.bytes == written.utf8.count)
    }
    let left = (try? FileManager.default.contentsOfDirectory(atPath: store.workURL.appendingPathComponent("tmp").path)) ?? []
    #expect(left.isEmpty)
  }
}
