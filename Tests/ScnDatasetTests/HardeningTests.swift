import ScnEncoding
import Foundation
import Testing

@testable import ScnDataset

/// Regression tests for paths read from dataset files, `--force`, kills, the output lock
/// and the escaping of free text (issue 17, "Escapes and data loss", "Output integrity").
@Suite struct PathCheckTests {
  @Test func relativePlainPathsPassAndEverythingElseIsRefused() throws {
    let root = Fixture.temporaryDirectory("paths")
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(at: root.appendingPathComponent("images"), withIntermediateDirectories: true)
    let store = FileStore(root: root)
    #expect(try store.checkedURL("images/front/000000_0000.png").path == root.path + "/images/front/000000_0000.png")
    for bad in ["", "/etc/passwd", "../x", "a/../../x", "a//b", "./a", "a/.", "a/", "a\u{0}b", String(repeating: "a", count: 2000)] {
      #expect(throws: DatasetError.self, "\(bad.debugDescription) passed") { _ = try store.checkedURL(bad) }
    }
  }

  /// The store remembers the directories it made; one removed through it is made again.
  @Test func aDirectoryRemovedThroughTheStoreIsMadeAgain() throws {
    let root = Fixture.temporaryDirectory("remade")
    defer { try? FileManager.default.removeItem(at: root) }
    let store = FileStore(root: root)
    try store.write("a", to: "images/front/a.txt")
    try store.write("b", to: "images/front/b.txt")
    try store.remove("images")
    #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("images").path))
    try store.remove(FileStore.workDirectory)
    try store.write("c", to: "images/front/c.txt")
    #expect(try store.read("images/front/c.txt") == Array("c".utf8))
  }

  @Test func symbolicLinksMayNotLeaveTheDataset() throws {
    let root = Fixture.temporaryDirectory("links")
    let outside = Fixture.temporaryDirectory("outside")
    defer {
      try? FileManager.default.removeItem(at: root)
      try? FileManager.default.removeItem(at: outside)
    }
    let fm = FileManager.default
    try fm.createDirectory(at: root.appendingPathComponent("images"), withIntermediateDirectories: true)
    try fm.createDirectory(at: outside, withIntermediateDirectories: true)
    try Data("secret".utf8).write(to: outside.appendingPathComponent("secret.txt"))
    try fm.createSymbolicLink(atPath: root.appendingPathComponent("out").path, withDestinationPath: outside.path)
    try fm.createSymbolicLink(
      atPath: root.appendingPathComponent("leak.txt").path, withDestinationPath: outside.appendingPathComponent("secret.txt").path)
    try fm.createSymbolicLink(atPath: root.appendingPathComponent("inside").path, withDestinationPath: "images")
    let store = FileStore(root: root)
    #expect(throws: DatasetError.self) { _ = try store.read("out/secret.txt") }
    #expect(throws: DatasetError.self) { _ = try store.read("leak.txt") }
    #expect(throws: DatasetError.self) { try store.write("x", to: "out/new.txt") }
    #expect(!fm.fileExists(atPath: outside.appendingPathComponent("new.txt").path))
    // A link inside the dataset is fine; replacing or removing a link touches the link only.
    try store.write("ok", to: "inside/ok.txt")
    #expect(try store.read("inside/ok.txt") == Array("ok".utf8))
    try store.remove("leak.txt")
    #expect(try String(contentsOf: outside.appendingPathComponent("secret.txt"), encoding: .utf8) == "secret")
  }

  @Test func verifyReportsAListedLinkThatLeaves() throws {
    let url = Fixture.temporaryDirectory("verify-link")
    let outside = Fixture.temporaryDirectory("verify-outside")
    defer {
      try? FileManager.default.removeItem(at: url)
      try? FileManager.default.removeItem(at: outside)
    }
    try Fixture.write(to: url, order: [0, 1], count: 2)
    let listed = url.appendingPathComponent("images/front/000000_0000.png")
    try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
    try FileManager.default.moveItem(at: listed, to: outside.appendingPathComponent("moved.png"))
    try FileManager.default.createSymbolicLink(
      atPath: listed.path, withDestinationPath: outside.appendingPathComponent("moved.png").path)
    let report = DatasetVerifier.verify(directory: url)
    #expect(report.problems.contains {
      $0.kind == .unreadable && $0.path == "images/front/000000_0000.png" && $0.detail.contains("leaves the dataset")
    }, "\(report.problems)")
  }

  @Test func sampleFileShapes() {
    #expect(SampleEncoder.isFile("images/front/000003_0001.png", ofSample: 3))
    #expect(SampleEncoder.isFile("annotations/kitti/front/000003_0001.txt", ofSample: 3))
    #expect(SampleEncoder.isFile("lidar/roof/000003_0000.ply", ofSample: 3))
    for bad in [
      "images/front/000004_0001.png", "manifest.json", "README.md", ".scn-work/description.json",
      "images/../000003_0001.png", "images/front/000003_0001.png/x", "calib/000003_0000.json",
      "annotations/coco_front.json", "images/.hidden/000003_0001.png", "images/front/000003_00x1.png",
    ] {
      #expect(!SampleEncoder.isFile(bad, ofSample: 3), "\(bad)")
    }
  }
}

@Suite struct MergeAndReportEscapeTests {
  /// A one-shard run whose partial record of sample 0 is rewritten by `edit`.
  static func forgedShard(_ edit: (inout [JSONValue]) -> Void) throws -> URL {
    let shard = Fixture.temporaryDirectory("forged")
    let writer = try DatasetWriter(
      outputDirectory: shard, description: Fixture.description(count: 2), options: Fixture.options(shard: try Shard(index: 0, count: 1)))
    for i in 0..<2 { try writer.write(sample: Fixture.sample(i)) }
    _ = try writer.finalize()
    let store = FileStore(root: shard)
    let partialPath = DatasetWriter.partialPath(0)
    let partial = try store.readJSON(partialPath)
    var files = partial["files"]?.arrayValue ?? []
    edit(&files)
    let members = (partial.objectMembers ?? []).map { $0.0 == "files" ? ($0.0, JSONValue.array(files)) : $0 }
    try store.write(JSONValue.object(members).compact, to: partialPath)
    return shard
  }

  @Test func mergeRefusesPartialRecordsNamingPathsOutsideTheSample() throws {
    let payload = Array("overwritten".utf8)
    for forged in ["../../escaped.txt", "/tmp/escaped.txt", "manifest.json", ".scn-work/description.json", "README.md"] {
      let shard = try Self.forgedShard { files in
        files.append(.object([
          ("path", .string(forged)), ("bytes", .integer(payload.count)), ("sha256", .string(SHA256Hex.of(payload))),
        ]))
      }
      let parent = Fixture.temporaryDirectory("merge-parent")
      let merged = parent.appendingPathComponent("a/b")
      defer {
        try? FileManager.default.removeItem(at: shard)
        try? FileManager.default.removeItem(at: parent)
      }
      #expect(throws: DatasetError.self, "\(forged) was accepted") {
        _ = try DatasetMerger.merge(shards: [shard], into: merged, options: Fixture.options())
      }
      #expect(!FileManager.default.fileExists(atPath: parent.appendingPathComponent("escaped.txt").path))
      #expect(!FileManager.default.fileExists(atPath: merged.appendingPathComponent("manifest.json").path))
    }
  }

  @Test func mergeRefusesAShardWhoseFolderLinksOutside() throws {
    let shard = try Self.forgedShard { _ in }
    let outside = Fixture.temporaryDirectory("merge-outside")
    let merged = Fixture.temporaryDirectory("merge-link")
    defer {
      for url in [shard, outside, merged] { try? FileManager.default.removeItem(at: url) }
    }
    // The shard's images folder moved elsewhere and linked back: its bytes lie outside the shard.
    try FileManager.default.moveItem(at: shard.appendingPathComponent("images"), to: outside)
    try FileManager.default.createSymbolicLink(atPath: shard.appendingPathComponent("images").path, withDestinationPath: outside.path)
    #expect {
      _ = try DatasetMerger.merge(shards: [shard], into: merged, options: Fixture.options())
    } throws: { error in
      guard case DatasetError.unsafePath = error else { return false }
      return true
    }
  }

  @Test func mergeNamesTheFieldInWhichShardsDiffer() throws {
    let a = Fixture.temporaryDirectory("differ-a")
    let b = Fixture.temporaryDirectory("differ-b")
    let out = Fixture.temporaryDirectory("differ-out")
    defer { for url in [a, b, out] { try? FileManager.default.removeItem(at: url) } }
    var other = Fixture.description()
    other.identity.overrides.append(ParamOverride(name: "--max-frames", value: "3"))
    other.identity.splits = [SplitFraction(name: "train", fraction: 1)]
    for (url, description, k) in [(a, Fixture.description(), 0), (b, other, 1)] {
      let writer = try DatasetWriter(
        outputDirectory: url, description: description, options: Fixture.options(shard: try Shard(index: k, count: 2)))
      for i in writer.pendingSampleIndices { try writer.write(sample: Fixture.sample(i)) }
      _ = try writer.finalize()
    }
    #expect {
      _ = try DatasetMerger.merge(shards: [a, b], into: out, options: Fixture.options())
    } throws: { error in
      let text = "\(error)"
      return text.contains("--max-frames (none vs 3)") && text.contains("--split (train=0.8,val=0.2 vs train=1.0)")
        && !text.contains("scenario, seed, count or version")
    }
  }

  @Test func reportEmbedsOnlyFilesTheManifestLists() throws {
    let url = Fixture.temporaryDirectory("report-escape")
    let secretDirectory = Fixture.temporaryDirectory("report-secret")
    defer {
      try? FileManager.default.removeItem(at: url)
      try? FileManager.default.removeItem(at: secretDirectory)
    }
    try Fixture.write(to: url, order: [0, 1], count: 2)
    try FileManager.default.createDirectory(at: secretDirectory, withIntermediateDirectories: true)
    let secret = Data("root:x:0:0:top secret".utf8)
    try secret.write(to: secretDirectory.appendingPathComponent("passwd"))
    let unlisted = Data("an unlisted file inside the dataset".utf8)
    try unlisted.write(to: url.appendingPathComponent("images/front/unlisted.png"))
    let cocoURL = url.appendingPathComponent("annotations/coco_front.json")
    var coco = try String(contentsOf: cocoURL, encoding: .utf8)
    let relativeSecret = String(repeating: "../", count: url.pathComponents.count) + secretDirectory.path.dropFirst() + "/passwd"
    coco = coco.replacingOccurrences(of: "\"images/front/000000_0000.png\"", with: "\"\(relativeSecret)\"")
    coco = coco.replacingOccurrences(of: "\"images/front/000000_0001.png\"", with: "\"images/front/unlisted.png\"")
    coco = coco.replacingOccurrences(of: "\"images/front/000001_0000.png\"", with: "\"\(secretDirectory.path)/passwd\"")
    try coco.write(to: cocoURL, atomically: true, encoding: .utf8)
    let html = try DatasetReport.render(directory: url)
    #expect(!html.contains(secret.base64EncodedString()))
    #expect(!html.contains(unlisted.base64EncodedString()))
    // The contact sheet shows each sample's middle frame (frame 1): sample 0's now names an
    // unlisted file and is left out; sample 1's, untouched, is still shown.
    #expect(html.components(separatedBy: "data:image/png;base64,").count - 1 == 1)
  }
}

@Suite struct ForceResumeAndLockTests {
  @Test func forceReplacesOnlyProvablyScnFolders() throws {
    let fm = FileManager.default
    // A web app's manifest.json.
    let webApp = Fixture.temporaryDirectory("webapp")
    let emptyWork = Fixture.temporaryDirectory("empty-work")
    defer { for url in [webApp, emptyWork] { try? fm.removeItem(at: url) } }
    try fm.createDirectory(at: webApp, withIntermediateDirectories: true)
    try Data(#"{"name": "My App", "start_url": "/"}"#.utf8).write(to: webApp.appendingPathComponent("manifest.json"))
    try Data("<html>".utf8).write(to: webApp.appendingPathComponent("index.html"))
    // An empty .scn-work next to a user's file.
    try fm.createDirectory(at: emptyWork.appendingPathComponent(".scn-work"), withIntermediateDirectories: true)
    try Data("mine".utf8).write(to: emptyWork.appendingPathComponent("notes.txt"))
    for url in [webApp, emptyWork] {
      #expect(throws: DatasetError.refusingToReplace(url.path)) {
        _ = try DatasetWriter(outputDirectory: url, description: Fixture.description(), options: Fixture.options(.replace))
      }
      #expect(throws: DatasetError.refusingToReplace(url.path)) {
        _ = try DatasetWriter(outputDirectory: url, description: Fixture.description(), options: Fixture.options(.resume))
      }
    }
    #expect(fm.fileExists(atPath: webApp.appendingPathComponent("index.html").path))
    #expect(fm.fileExists(atPath: emptyWork.appendingPathComponent("notes.txt").path))
  }

  @Test func forceNeverEmptiesAFolderHoldingAnInput() throws {
    let url = Fixture.temporaryDirectory("holds-input")
    defer { try? FileManager.default.removeItem(at: url) }
    try Fixture.write(to: url, order: [0, 1], count: 2)
    let scenario = url.appendingPathComponent("aisle.scn")
    try Data("scenario S {}".utf8).write(to: scenario)
    var options = Fixture.options(.replace)
    options.inputs = [scenario]
    #expect(throws: DatasetError.wouldDeleteInput(directory: url.path, input: scenario.path)) {
      _ = try DatasetWriter(outputDirectory: url, description: Fixture.description(count: 2), options: options)
    }
    #expect(FileManager.default.fileExists(atPath: scenario.path))
    #expect(FileManager.default.fileExists(atPath: url.appendingPathComponent("manifest.json").path))
  }

  @Test func mergeWithForceNeverEmptiesAFolderHoldingAShard() throws {
    let parent = Fixture.temporaryDirectory("merge-force")
    defer { try? FileManager.default.removeItem(at: parent) }
    let shard = parent.appendingPathComponent("shard-0")
    let writer = try DatasetWriter(
      outputDirectory: shard, description: Fixture.description(count: 2), options: Fixture.options(shard: try Shard(index: 0, count: 1)))
    for i in 0..<2 { try writer.write(sample: Fixture.sample(i)) }
    _ = try writer.finalize()
    // The parent provably holds scn output (a dataset written there before).
    let old = Fixture.temporaryDirectory("merge-force-old")
    defer { try? FileManager.default.removeItem(at: old) }
    try Fixture.write(to: old, order: [0, 1], count: 2)
    for name in try FileManager.default.contentsOfDirectory(atPath: old.path) {
      try FileManager.default.moveItem(at: old.appendingPathComponent(name), to: parent.appendingPathComponent(name))
    }
    #expect(throws: DatasetError.wouldDeleteInput(directory: parent.path, input: shard.path)) {
      _ = try DatasetMerger.merge(shards: [shard], into: parent, options: Fixture.options(.replace))
    }
    #expect(FileManager.default.fileExists(atPath: shard.appendingPathComponent(".scn-work/shard.json").path))
  }

  /// Every state a kill can leave between "manifest written" and ".scn-work removed", and in
  /// the middle of `--force` emptying the folder, resumes to the single run's bytes and a
  /// clean `verify`.
  @Test func killsDuringFinalisationAndReplacementResume() throws {
    let baseline = Fixture.temporaryDirectory("kill-baseline")
    defer { try? FileManager.default.removeItem(at: baseline) }
    try Fixture.write(to: baseline, order: Array(0..<6))
    let expected = Fixture.snapshot(baseline)
    let fm = FileManager.default

    for leftover in ["whole work area", "work area without description", "work area with only samples/"] {
      let url = Fixture.temporaryDirectory("kill-final")
      let saved = Fixture.temporaryDirectory("kill-saved")
      defer { try? fm.removeItem(at: url); try? fm.removeItem(at: saved) }
      do {
        let writer = try DatasetWriter(outputDirectory: url, description: Fixture.description(), options: Fixture.options())
        for i in 0..<6 { try writer.write(sample: Fixture.sample(i)) }
        try fm.copyItem(at: url.appendingPathComponent(".scn-work"), to: saved)
        _ = try writer.finalize()
      }
      // The kill: the manifest is in place, and part of .scn-work is still there.
      try fm.copyItem(at: saved, to: url.appendingPathComponent(".scn-work"))
      if leftover != "whole work area" {
        try fm.removeItem(at: url.appendingPathComponent(".scn-work/description.json"))
      }
      if leftover == "work area with only samples/" {
        try? fm.removeItem(at: url.appendingPathComponent(".scn-work/tmp"))
      }
      #expect(DatasetVerifier.verify(directory: url).problems.map(\.kind) == [.unfinished], "\(leftover)")
      let resumed = try DatasetWriter(outputDirectory: url, description: Fixture.description(), options: Fixture.options(.resume))
      for i in resumed.pendingSampleIndices { try resumed.write(sample: Fixture.sample(i)) }
      _ = try resumed.finalize()
      #expect(DatasetVerifier.verify(directory: url, labels: true).isClean, "\(leftover)")
      #expect(Fixture.snapshot(url) == expected, "\(leftover)")
    }

    // --force killed after it recorded what it replaces with, before it emptied the folder.
    let url = Fixture.temporaryDirectory("kill-force")
    defer { try? fm.removeItem(at: url) }
    var old = Fixture.description()
    old.identity.seed = 99
    do {
      let writer = try DatasetWriter(outputDirectory: url, description: old, options: Fixture.options())
      for i in 0..<6 { try writer.write(sample: Fixture.sample(i)) }
      _ = try writer.finalize()
    }
    try Data("stale".utf8).write(to: url.appendingPathComponent("images/front/999999_0000.png"))
    try FileStore(root: url).write(try DatasetWriter.encode(Fixture.description()), to: DatasetWriter.replacingFile)
    // Resuming with another description is refused; with the one being written it finishes the replacement.
    #expect(throws: DatasetError.self) {
      _ = try DatasetWriter(outputDirectory: url, description: old, options: Fixture.options(.resume))
    }
    let resumed = try DatasetWriter(outputDirectory: url, description: Fixture.description(), options: Fixture.options(.resume))
    #expect(resumed.pendingSampleIndices == Array(0..<6))
    for i in resumed.pendingSampleIndices { try resumed.write(sample: Fixture.sample(i)) }
    _ = try resumed.finalize()
    #expect(Fixture.snapshot(url) == expected)
  }

  @Test func aSecondWriterOnTheSameFolderIsRefused() throws {
    let url = Fixture.temporaryDirectory("locked")
    defer { try? FileManager.default.removeItem(at: url) }
    var first: DatasetWriter? = try DatasetWriter(
      outputDirectory: url, description: Fixture.description(), options: Fixture.options())
    for policy in [ExistingOutputPolicy.resume, .replace] {
      #expect(throws: DatasetError.outputBusy(url.path)) {
        _ = try DatasetWriter(outputDirectory: url, description: Fixture.description(), options: Fixture.options(policy))
      }
    }
    #expect(DatasetError.outputBusy(url.path).description == "another scn process is writing to \(url.path)")
    #expect(first?.pendingSampleIndices.count == 6)
    first = nil
    let second = try DatasetWriter(outputDirectory: url, description: Fixture.description(), options: Fixture.options(.resume))
    #expect(second.pendingSampleIndices.count == 6)
  }

  @Test func anOutputThatIsAFileIsNamed() throws {
    let file = Fixture.temporaryDirectory("a-file")
    defer { try? FileManager.default.removeItem(at: file) }
    try Data("x".utf8).write(to: file)
    #expect(throws: DatasetError.outputNotDirectory(file.path)) {
      _ = try DatasetWriter(outputDirectory: file, description: Fixture.description(), options: Fixture.options())
    }
    #expect(throws: DatasetError.outputNotDirectory(file.path)) {
      _ = try DatasetWriter(
        outputDirectory: file.appendingPathComponent("sub"), description: Fixture.description(), options: Fixture.options())
    }
  }
}

@Suite struct SlurmArrayTests {
  static func env(_ id: Int, min: Int, max: Int, step: Int?, count: Int) -> [String: String] {
    var e = [
      "SLURM_ARRAY_TASK_ID": String(id), "SLURM_ARRAY_TASK_MIN": String(min), "SLURM_ARRAY_TASK_MAX": String(max),
      "SLURM_ARRAY_TASK_COUNT": String(count),
    ]
    if let step { e["SLURM_ARRAY_TASK_STEP"] = String(step) }
    return e
  }

  @Test func shardsOfArithmeticArrays() throws {
    // --array=1-16
    #expect(try Shard.slurmArrayTask(environment: Self.env(1, min: 1, max: 16, step: 1, count: 16)) == Shard(index: 0, count: 16))
    #expect(try Shard.slurmArrayTask(environment: Self.env(16, min: 1, max: 16, step: 1, count: 16)) == Shard(index: 15, count: 16))
    // --array=0-4:2 gives 0, 2, 4.
    for (id, k) in [(0, 0), (2, 1), (4, 2)] {
      #expect(try Shard.slurmArrayTask(environment: Self.env(id, min: 0, max: 4, step: 2, count: 3)) == Shard(index: k, count: 3))
    }
    // --array=0-5%2: the limit changes nothing; no STEP variable means 1.
    #expect(try Shard.slurmArrayTask(environment: Self.env(5, min: 0, max: 5, step: nil, count: 6)) == Shard(index: 5, count: 6))
    #expect(try Shard.slurmArrayTask(environment: [:]) == nil)
  }

  @Test func otherArraysAskForAnExplicitShard() {
    // --array=1,3,7 (Slurm reports MIN 1, MAX 7, COUNT 3 and a step that does not fit).
    for step in [1, 2, nil] {
      #expect {
        _ = try Shard.slurmArrayTask(environment: Self.env(3, min: 1, max: 7, step: step, count: 3))
      } throws: { error in
        "\(error)".contains("pass --shard k/N")
      }
    }
    var missing = Self.env(0, min: 0, max: 2, step: 1, count: 3)
    missing["SLURM_ARRAY_TASK_MIN"] = nil
    #expect(throws: DatasetError.self) { _ = try Shard.slurmArrayTask(environment: missing) }
  }
}

@Suite struct FreeTextEscapingTests {
  @Test func kittiTypeIsOneTokenWhateverTheClassName() {
    #expect(KITTILabel.typeName("car\nCar 0.00 0 0 0 0 10 10 1 1 1 0 0 0 0") == "car_Car_0.00_0_0_0_0_10_10_1_1_1_0_0_0_0")
    #expect(KITTILabel.typeName("a\u{2028}b\u{1B}[31mc\td e") == "a_b_[31mc_d_e")
    #expect(KITTILabel.typeName(" \n ") == "Unknown")
    #expect(KITTILabel.typeName("pallet") == "pallet")
  }

  @Test func writerRejectsClassNamesThatWouldSplitALine() {
    var description = Fixture.description()
    description.card.classes[0].name = "pallet\nCar"
    #expect(throws: DatasetError.self) {
      _ = try DatasetWriter(outputDirectory: Fixture.temporaryDirectory("never"), description: description, options: Fixture.options())
    }
  }

  @Test func licenceMustBeAnSPDXID() throws {
    #expect(SPDXLicenses.canonical("cc-by-4.0") == "CC-BY-4.0")
    #expect(SPDXLicenses.canonical("MIT") == "MIT")
    #expect(SPDXLicenses.canonical("../../evil") == nil)
    #expect(SPDXLicenses.canonical("CC0") == nil)
    var description = Fixture.description()
    description.card.license = "javascript:alert(1)"
    #expect(throws: DatasetError.self) {
      _ = try DatasetWriter(outputDirectory: Fixture.temporaryDirectory("never"), description: description, options: Fixture.options())
    }
    // A lowercase id reaches Croissant in its canonical spelling.
    description.card.license = "cc-by-4.0"
    let url = Fixture.temporaryDirectory("spdx")
    defer { try? FileManager.default.removeItem(at: url) }
    let writer = try DatasetWriter(outputDirectory: url, description: description, options: Fixture.options())
    for i in 0..<6 { try writer.write(sample: Fixture.sample(i)) }
    _ = try writer.finalize()
    let croissant = try String(contentsOf: url.appendingPathComponent("croissant.json"), encoding: .utf8)
    #expect(croissant.contains("\"license\": \"https://spdx.org/licenses/CC-BY-4.0.html\""))
  }

  @Test func annotationTextCannotBreakTheCard() throws {
    var description = Fixture.description()
    description.card.description = "Intro.\n```\n# Not a heading\n<script>alert(1)</script>\n    indented code\n1. not a list"
    description.card.citation = "@misc{x}\n```\n## Injected section\n```"
    description.card.prettyName = "Pretty\u{2028}name\"\n---\nlicense: mit"
    description.card.owner = "Team | with [link](http://x) and *stars*"
    let url = Fixture.temporaryDirectory("card-escape")
    defer { try? FileManager.default.removeItem(at: url) }
    let writer = try DatasetWriter(outputDirectory: url, description: description, options: Fixture.options())
    for i in 0..<6 { try writer.write(sample: Fixture.sample(i)) }
    _ = try writer.finalize()
    let card = try String(contentsOf: url.appendingPathComponent("README.md"), encoding: .utf8)
    let lines = card.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    // The front matter is exactly the lines scn writes, with the name as one YAML scalar.
    #expect(lines.filter { $0 == "---" }.count == 2)
    #expect(card.contains("pretty_name: \"Pretty\\u2028name\\\"\\n---\\nlicense: mit\"\n"))
    // No line of annotation text starts a fence, a heading, an HTML block or a list.
    let headings = lines.prefix { $0 != "## Citation" }.filter { $0.hasPrefix("#") }
    #expect(!headings.contains { $0.contains("Not a heading") || $0.contains("Injected") }, "\(headings)")
    #expect(!card.contains("<script>"))
    #expect(card.contains("\\<script\\>alert(1)\\</script\\>"))
    #expect(card.contains("\\`\\`\\`"))
    #expect(card.contains("1\\. not a list"))
    #expect(card.contains("Team \\| with \\[link\\](http://x) and \\*stars\\*"))
    // The citation's fence is longer than any backtick run in it.
    #expect(card.contains("## Citation\n\n````\n@misc{x}\n```\n## Injected section\n```\n````\n"))
    // Every section after the description is still a section.
    for heading in ["## Intended use", "## Out-of-scope use", "## Limitations", "## Citation"] {
      #expect(lines.contains(heading), "\(heading) lost")
    }
  }
}
