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
