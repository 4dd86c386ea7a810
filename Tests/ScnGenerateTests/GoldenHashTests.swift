import ScnEncoding
import Foundation
import Testing

@testable import ScnDataset

/// One small dataset's manifest, pinned: the manifest lists every file's SHA-256, so its own
/// hash covers every byte of the dataset. A change in any output byte (a renderer, a label
/// format, the card, the sampler's streams) fails here and is a decision recorded by updating
/// the hash, never an accident. SOURCE_DATE_EPOCH is fixed by `SCNProcess`.
@Suite struct GoldenHashTests {
  static let pinnedManifestSHA256 = "5d644b1961124d5e6f3b9ed33aafe65293d76712e5b5b63ab5a8c7712a2896aa"

  @Test func tinyBoxesManifestMatchesItsPinnedHash() throws {
    let out = Paths.temporary("golden")
    defer { try? FileManager.default.removeItem(at: out) }
    let scenario = Paths.repository.appendingPathComponent("Tests/Fixtures/tiny_boxes.scn").path
    let r = try SCNProcess.run(["generate", scenario, "--count", "3", "--seed", "11", "--jobs", "2", "--out", out.path])
    #expect(r.status == 0, "\(r.stderr)")
    let manifest = try [UInt8](Data(contentsOf: out.appendingPathComponent("manifest.json")))
    #expect(SHA256Hex.of(manifest) == Self.pinnedManifestSHA256, "manifest.json is now \(SHA256Hex.of(manifest))")
  }
}
