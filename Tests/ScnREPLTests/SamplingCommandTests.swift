import ScnEncoding
import Foundation
import ScnDriver
import ScnREPL
import Testing

@Suite struct SampleCommandTests {
  @Test func continuesWhereTheLastCallStopped() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var a = makeSession(folder: folder)
    var b = makeSession(folder: folder)
    let split = a.handle(":sample 2 json").output + a.handle(":sample json").output
    #expect(split == b.handle(":sample 3 json").output)
    #expect(try jsonLines(split).map { $0["sample"] as? Int } == [0, 1, 2])
  }

  @Test func printsWhatScnSamplePrints() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var session = makeSession(seed: 9, folder: folder)
    _ = session.handle(":set n = 2")
    let request = SamplingRequest(path: folder.path("small.scn"), seed: 9, maxAttempts: 200, params: ["n=2"])
    guard case .success(let direct) = try Driver(stdlibRoot: Paths.stdlib).prepareSampling(request) else {
      Issue.record("the fixture does not sample")
      return
    }
    let scenes = direct.sampler.run(start: 0, count: 3).scenes
    #expect(session.handle(":sample 3 json").output == scenes.map { $0.json().compact + "\n" }.joined())
    #expect(session.handle(":sample table").output == direct.sampler.run(start: 3, count: 1).scenes.map { $0.table() }.joined())
  }

  @Test func rejectsABadCount() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var session = makeSession(folder: folder)
    for bad in [":sample 0", ":sample -3", ":sample 100001"] {
      let r = session.handle(bad)
      #expect(r.output == "")
      #expect(r.diagnostics.contains("expected a count from 1 to 100000"), "\(bad)")
    }
    // Anything else is an expression, checked by the compiler.
    let unknown = session.handle(":sample x")
    #expect(unknown.output == "")
    #expect(unknown.diagnostics.contains("error[E0200]: unknown name 'x'"), "\(unknown.diagnostics)")
  }

  @Test func anImpossibleScenarioIsExplained() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var session = makeSession(folder: folder)
    _ = session.handle(":scenario Impossible")
    let r = session.handle(":sample")
    #expect(r.output == "")
    #expect(r.diagnostics.contains("error[E0506]: scenario 'Impossible' is impossible or too unlikely"))
    #expect(r.diagnostics.contains("require x - y > 0.999m"))
  }
}

@Suite struct HistogramCommandTests {
  @Test func histogramOfAQuantityParamHonoursTheRequirements() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var session = makeSession(folder: folder)
    let text = session.handle(":hist width 300").output
    let lines = text.split(separator: "\n")
    #expect(lines.first?.hasPrefix("width over 300 samples: min 2.2") == true, "\(text)")
    #expect(lines.first?.hasSuffix(" m") == true)
    #expect(lines.count == 12)
    #expect(lines[1].hasPrefix("  sd "), "\(text)")
    // Counts add up to the sample count; every bin is near 30 for a uniform draw.
    let counts = lines.dropFirst(2).compactMap { line in
      line.split(separator: " ").first { Int($0) != nil }.flatMap { Int($0) }
    }
    #expect(counts.reduce(0, +) == 300)
    #expect(counts.allSatisfy { $0 > 10 && $0 < 55 })
  }

  @Test func integersGetABinPerValueAndLabelsABinPerCase() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var session = makeSession(folder: folder)
    let ints = session.handle(":hist n 200").output.split(separator: "\n")
    #expect(ints.first?.hasPrefix("n over 200 samples: min 1, mean ") == true)
    #expect(ints.dropFirst(2).map { $0.split(separator: " ").first.map(String.init) } == ["1", "2", "3"])
    let sky = session.handle(":hist sky 200").output
    #expect(sky.hasPrefix("sky over 200 samples: 2 distinct values\n  clear  "))
    #expect(sky.contains("\n  rain   "))
    // The environment field and the cover point are reachable too.
    #expect(session.handle(":hist weather 200").output.hasPrefix("weather over 200 samples: 2 distinct values"))
    #expect(session.handle(":hist count 200").output.hasPrefix("count over 200 samples: min 1"))
    #expect(session.handle(":hist forklift.x 20").output == "forklift.x is constant over 20 samples: 0 m\n")
  }

  @Test func constantAndOverriddenParamsSaySo() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var session = makeSession(folder: folder)
    #expect(session.handle(":hist height").output == "height is constant: 2m\n")
    _ = session.handle(":set width = 3m")
    #expect(session.handle(":hist width").output == "width is constant: fixed by :set width = 3m\n")
  }

  @Test func anUnknownNameGetsADidYouMean() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var session = makeSession(folder: folder)
    let r = session.handle(":hist widthh 10")
    #expect(r.output == "")
    #expect(r.diagnostics.hasPrefix("error[E0705]: no param, cover point, environment field or actor value named 'widthh'"))
    #expect(r.diagnostics.hasSuffix("note: did you mean 'width'?\n"))
    #expect(session.handle(":hist").diagnostics.contains("usage: :hist EXPR [N] [BINS]"))
    #expect(session.handle(":hist width 0").diagnostics.contains("whole number from 1 to 1000000"))
  }
}

@Suite struct ExplainAndTypeTests {
  @Test func explainShowsEachRequirementsAcceptance() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var session = makeSession(folder: folder)
    let r = session.handle(":explain 50")
    #expect(r.output.hasPrefix("50 of 50 scenes sampled\nscenario Small: "))
    #expect(r.output.contains("require width > 2.2m"))
    #expect(r.output.contains("expected attempts per scene: "))
    // Narrowing the distribution with :set changes the acceptance: every attempt passes.
    _ = session.handle(":set width = 3m")
    #expect(session.handle(":explain 50").output.contains("scenario Small: 50 attempts, 50 accepted"))
    #expect(session.handle(":explain many").diagnostics.contains("whole number from 1 to 1000000"))
  }

  @Test func typeChecksInTheScenariosScope() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var session = makeSession(folder: folder)
    #expect(session.handle(":type width * 2").output == "Length (random)\n")
    #expect(session.handle(":type 2m + 50cm").output == "Length = 2.5 m\n")
    // A param is random to the checker even with a constant default: :set may change it.
    #expect(session.handle(":type height").output == "Length (random)\n")
    #expect(session.handle(":type boxes").output == "[Box] (random)\n")
    let bad = session.handle(":type width + 1s")
    #expect(bad.output == "")
    #expect(bad.diagnostics.hasPrefix("<expression>:1:7: error[E0203]: cannot add 'Length' and 'Time'"))
    let unknown = session.handle(":type widthh")
    #expect(unknown.diagnostics.contains("did you mean 'width'?"))
    _ = session.handle(":scenario Tiny")
    #expect(session.handle(":type k").output == "Int (random)\n")
  }

  @Test func typeWorksWithoutAFile() {
    var session = REPLSession(driver: Driver(stdlibRoot: Paths.stdlib))
    #expect(session.handle(":type 30km/h").output == "Speed = 8.333 m/s\n")
    #expect(session.handle(":type uniform(1m, 2m)").output == "Length (random)\n")
  }
}

@Suite struct ExpressionCommandTests {
  @Test func histOfAnExpressionGivesMeanSdAndQuantilesInItsUnit() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var session = makeSession(folder: folder)
    let text = session.handle(":hist uniform(0m, 10m) 4000 8").output
    let lines = text.split(separator: "\n")
    #expect(lines.count == 10, "\(text)")  // summary, sd line, 8 bins
    let first = try #require(lines.first)
    #expect(first.hasPrefix("uniform(0m, 10m) over 4000 samples: min 0"), "\(text)")
    let mean = try #require(first.range(of: "mean ").flatMap { Double(first[$0.upperBound...].prefix { $0 != " " }) })
    #expect(mean > 4.8 && mean < 5.2)
    // sd of U(0, 10) is 10/√12 ≈ 2.887.
    let sd = try #require(lines[1].range(of: "sd ").flatMap { Double(lines[1][$0.upperBound...].prefix { $0 != " " }) })
    #expect(sd > 2.75 && sd < 3.02 && lines[1].hasSuffix(" m"), "\(text)")
    // A `let`-free expression over params, in the scenario's scope and unit.
    let ratio = session.handle(":hist width * 2 200").output
    #expect(ratio.hasPrefix("width * 2 over 200 samples: min 4.4"), "\(ratio)")
    // A constant is said to be one.
    #expect(session.handle(":hist 2m + 50cm").output == "2m + 50cm is constant: 2.5 m\n")
  }

  @Test func sampleOfAnExpressionFollowsTheScenes() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var session = makeSession(folder: folder)
    let values = session.handle(":sample width 3").output.split(separator: "\n")
    #expect(values.count == 3)
    // The same samples as :sample prints, in order.
    var again = makeSession(folder: folder)
    let scenes = again.handle(":sample 3 json").output.split(separator: "\n")
    for (line, scene) in zip(values, scenes) {
      let value = try #require(line.split(separator: " ").dropFirst(2).first)
      #expect(scene.contains("\"width\":{\"value\":\(value),"), "\(line) vs \(scene)")
    }
  }

  @Test func setRejectsAValueThatFailsWhenDrawn() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var session = makeSession(folder: folder)
    // Type-correct, but no scene can satisfy `require width > 2.2m` with it.
    let r = session.handle(":set width = 1m")
    #expect(r.output == "")
    #expect(r.diagnostics.contains("':set width = 1m' was not kept"), "\(r.diagnostics)")
    #expect(session.overrides.isEmpty)
  }

  @Test func previewsOfTheCurrentScenario() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var session = makeSession(folder: folder)
    #expect(session.handle(":ir").output.hasPrefix("ir-hash: "))
    let cover = session.handle(":cover 50").output
    #expect(cover.hasPrefix("50 samples\ncover count: 3 buckets"), "\(cover)")
    // The fixture has no sensor, so there is no dataset to describe; a file with one has a card.
    #expect(session.handle(":card 5").diagnostics.contains("declares no sensor"))
    _ = session.handle(":load " + Paths.repository.appendingPathComponent("Tests/Fixtures/tiny_boxes.scn").path)
    #expect(session.handle(":card 3").output.contains("# tiny-boxes"))
  }

  @Test func completionOffersNamesFieldsUnitsAndCommands() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var session = makeSession(folder: folder)
    func complete(_ line: String) -> CompletionAnswer {
      let word = line.split(separator: " ", omittingEmptySubsequences: false).last.map(String.init) ?? ""
      return session.complete(line: line, start: line.utf8.count - word.utf8.count, end: line.utf8.count)
    }
    #expect(complete(":hist unifo") == .candidates(["uniform", "uniform_int"]))
    #expect(complete(":sam") == .candidates([":sample"]))
    #expect(complete(":load Ex") == .fileNames)
    #expect(complete(":set wi") == .candidates(["width"]))
    #expect(complete(":scenario Ti") == .candidates(["Tiny"]))
    guard case .candidates(let fields) = complete(":type forklift.max_") else { return }
    #expect(fields == ["forklift.max_acceleration", "forklift.max_deceleration", "forklift.max_speed"])
    guard case .candidates(let units) = complete(":type 3k") else { return }
    #expect(units.contains("3km") && units.contains("3kg") && !units.contains("3m"))
    #expect(complete(":type wid") == .candidates(["width"]))
  }
}
