import Foundation
import Testing

/// The command line after issue 17: `--force` and inputs, the output lock, kills at any
/// point, Slurm arrays, and the messages that replaced the bad ones.
@Suite struct HardeningCLITests {
  @Test func forceNeverDeletesTheScenario() throws {
    let source = try Fixture.file()
    let folder = source.deletingLastPathComponent()
    defer { try? FileManager.default.removeItem(at: folder) }
    // A dataset generated into the scenario's own folder (`--out .`), then --force.
    let base = ["generate", source.path, "--count", "1", "--out", folder.path]
    let first = try SCNProcess.run(base + ["--force"])
    #expect(first.status == 1)
    #expect(first.stderr.contains("an input of this run") || first.stderr.contains("refusing to replace"), "\(first.stderr)")
    #expect(FileManager.default.fileExists(atPath: source.path))
    // Even when the folder provably holds an scn dataset.
    let sub = folder.appendingPathComponent("data")
    #expect(try SCNProcess.run(["generate", source.path, "--count", "1", "--out", sub.path]).status == 0)
    try FileManager.default.moveItem(at: source, to: sub.appendingPathComponent("boxes.scn"))
    let moved = sub.appendingPathComponent("boxes.scn")
    let forced = try SCNProcess.run(["generate", moved.path, "--count", "1", "--out", sub.path, "--force"])
    #expect(forced.status == 1)
    #expect(forced.stderr.contains("it contains '\(moved.path)', an input of this run"), "\(forced.stderr)")
    #expect(FileManager.default.fileExists(atPath: moved.path))
  }

  @Test func aSecondRunOnTheSameFolderIsRefusedAndAKilledOneResumes() throws {
    let source = try Fixture.file()
    let out = Paths.temporary("lock")
    let reference = Paths.temporary("lock-reference")
    defer { for u in [out, reference, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let base = ["generate", source.path, "--count", "40", "--jobs", "1"]
    let running = try SCNProcess.start(base + ["--out", out.path])
    let partials = out.appendingPathComponent(".scn-work/samples")
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline, running.isRunning,
      ((try? FileManager.default.contentsOfDirectory(atPath: partials.path)) ?? []).count < 2
    {
      usleep(2_000)
    }
    #expect(running.isRunning, "the run finished before the second one could start")
    for flag in ["--resume", "--force"] {
      let second = try SCNProcess.run(base + ["--out", out.path, flag])
      #expect(second.status == 1, "\(flag): \(second.stderr)")
      #expect(second.stderr.contains("another scn process is writing to \(out.path)"), "\(flag): \(second.stderr)")
    }
    kill(running.processIdentifier, SIGKILL)
    running.waitUntilExit()
    let resumed = try SCNProcess.run(base + ["--out", out.path, "--resume"])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(try SCNProcess.run(["verify", out.path]).status == 0)
    #expect(try SCNProcess.run(base + ["--out", reference.path]).status == 0)
    #expect(differences(try snapshot(reference), try snapshot(out)) == [])
  }

  @Test func slurmArraysGiveTheirShards() throws {
    let source = try Fixture.file()
    let root = Paths.temporary("slurm")
    defer { for u in [root, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    // --array=1-3: tasks 1, 2, 3 are shards 0, 1, 2 of 3.
    var shards: [String] = []
    for id in 1...3 {
      let out = root.appendingPathComponent("shard-\(id)").path
      let env = [
        "SLURM_ARRAY_TASK_ID": "\(id)", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "3",
        "SLURM_ARRAY_TASK_STEP": "1", "SLURM_ARRAY_TASK_COUNT": "3",
      ]
      let r = try SCNProcess.run(["generate", source.path, "--count", "4", "--out", out, "--resume"], environment: env)
      #expect(r.status == 0, "\(r.stderr)")
      #expect(r.stderr.contains("shard \(id - 1)/3"), "\(r.stderr)")
      // A requeued task runs the same command again: it resumes and changes nothing.
      let before = try snapshot(URL(fileURLWithPath: out))
      let again = try SCNProcess.run(["generate", source.path, "--count", "4", "--out", out, "--resume"], environment: env)
      #expect(again.status == 0, "\(again.stderr)")
      #expect(differences(before, try snapshot(URL(fileURLWithPath: out))) == [])
      shards.append(out)
    }
    let merged = root.appendingPathComponent("merged").path
    #expect(try SCNProcess.run(["merge", "--out", merged] + shards).status == 0)
    let single = root.appendingPathComponent("single")
    #expect(try SCNProcess.run(["generate", source.path, "--count", "4", "--out", single.path]).status == 0)
    #expect(differences(try snapshot(single), try snapshot(URL(fileURLWithPath: merged))) == [])
    // --array=1,3,7
    let list = try SCNProcess.run(
      ["generate", source.path, "--count", "4", "--out", root.appendingPathComponent("list").path],
      environment: [
        "SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "7",
        "SLURM_ARRAY_TASK_STEP": "1", "SLURM_ARRAY_TASK_COUNT": "3",
      ])
    #expect(list.status == 2)
    #expect(list.stderr.contains("pass --shard k/N"), "\(list.stderr)")
    #expect(!list.stderr.contains("USAGE"), "\(list.stderr)")
  }

  @Test func messages() throws {
    let source = try Fixture.file()
    let root = Paths.temporary("messages")
    defer { for u in [root, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let file = root.appendingPathComponent("a-file")
    try Data("x".utf8).write(to: file)
    func generate(_ extra: [String]) throws -> SCNResult {
      try SCNProcess.run(["generate", source.path, "--count", "1"] + extra)
    }
    // --out names a file.
    let outFile = try generate(["--out", file.path])
    #expect(outFile.stderr.contains("'\(file.path)' exists and is not a directory"), "\(outFile.stderr)")
    #expect(!outFile.stderr.contains("NSCocoaErrorDomain"), "\(outFile.stderr)")
    // --out "".
    let empty = try generate(["--out", ""])
    #expect(empty.status == 2)
    #expect(empty.stderr.contains("--out must name a directory, got an empty string"), "\(empty.stderr)")
    let emptyMerge = try SCNProcess.run(["merge", "--out", "", root.path])
    #expect(emptyMerge.status == 2)
    #expect(emptyMerge.stderr.contains("--out must name a directory, got an empty string"), "\(emptyMerge.stderr)")
    // An integer param out of range.
    let integer = try SCNProcess.run(
      ["generate", try Fixture.file(Self.intParam).path, "--count", "1", "--out", root.appendingPathComponent("i").path,
       "--param", "n=99999999999999999999"])
    #expect(integer.status == 1)
    #expect(integer.stderr.contains("found 99999999999999999999, which is out of that range"), "\(integer.stderr)")
    #expect(!integer.stderr.contains("found an integer"), "\(integer.stderr)")
    // A missing folder for verify and report: the message, not the top-level usage.
    for command in ["verify", "report"] {
      let r = try SCNProcess.run([command, root.appendingPathComponent("nowhere").path])
      #expect(r.status == 2)
      #expect(r.stderr.contains("does not exist"), "\(command): \(r.stderr)")
      #expect(!r.stderr.contains("SUBCOMMANDS"), "\(command): \(r.stderr)")
    }
    // A missing scenario: its path and reason once.
    let missing = try SCNProcess.run(["generate", "/nonexistent/x.scn", "--count", "1", "--out", root.path + "/m"])
    #expect(missing.status == 2)
    #expect(missing.stderr.components(separatedBy: "cannot read").count - 1 == 1, "\(missing.stderr)")
    // --shard -1/2 is a wrong shard, not a missing value.
    let shard = try generate(["--out", root.appendingPathComponent("s").path, "--shard", "-1/2"])
    #expect(shard.status == 2)
    #expect(shard.stderr.contains("invalid shard '-1/2'"), "\(shard.stderr)")
    #expect(!shard.stderr.contains("Missing value"), "\(shard.stderr)")
  }

  @Test func mergeNamesTheFieldShardsDifferIn() throws {
    let source = try Fixture.file()
    let root = Paths.temporary("merge-field")
    defer { for u in [root, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let a = root.appendingPathComponent("a").path, b = root.appendingPathComponent("b").path
    #expect(try SCNProcess.run(["generate", source.path, "--count", "2", "--shard", "0/2", "--out", a]).status == 0)
    #expect(try SCNProcess.run(
      ["generate", source.path, "--count", "2", "--shard", "1/2", "--max-frames", "1", "--out", b]).status == 0)
    let r = try SCNProcess.run(["merge", "--out", root.appendingPathComponent("m").path, a, b])
    #expect(r.status == 1)
    #expect(r.stderr.contains("--max-frames (none vs 1)"), "\(r.stderr)")
    #expect(!r.stderr.contains("scenario, seed, count or version"), "\(r.stderr)")
  }

  @Test func licenceMustBeAnSPDXIDAtGenerate() throws {
    let source = try Fixture.file(Fixture.boxes.replacingOccurrences(of: "license: \"CC-BY-4.0\"", with: "license: \"CC0\""))
    let out = Paths.temporary("licence")
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let r = try SCNProcess.run(["generate", source.path, "--count", "1", "--out", out.path])
    #expect(r.status == 1)
    #expect(r.stderr.contains("error[E0603]") && r.stderr.contains("'CC0' is not an SPDX license id"), "\(r.stderr)")
    #expect(r.stderr.contains("boxes.scn:"), "no location: \(r.stderr)")
  }

  static let intParam = Fixture.boxes.replacingOccurrences(
    of: "    param distance: Length = uniform(4m, 8m)\n",
    with: "    param distance: Length = uniform(4m, 8m)\n    param n: Int = 3\n")
}
