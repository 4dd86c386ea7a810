import ScnEncoding
import Foundation
import Testing

@testable import ScnDataset

/// One small dataset's manifest, pinned: the manifest lists every file's SHA-256, so its own
/// hash covers every byte of the dataset. A change in any output byte (a renderer, a label
/// format, the card, the sampler's streams) fails here and is a decision recorded by updating
/// the hash, never an accident. SOURCE_DATE_EPOCH is fixed by `SCNProcess`.
@Suite struct GoldenHashTests {
  static let pinnedManifestSHA256 = "77a3f4d3062f883c6881165d20c33eac2043c64b9218bf6f44838dd70fd4aa61"

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
