import Foundation
import ScnDriver
import ScnREPL
import Testing

@Suite struct LoadingTests {
  @Test func loadsTheLastScenarioAndListsTheOthers() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var session = REPLSession(driver: Driver(stdlibRoot: Paths.stdlib))
    let loaded = session.load(folder.path("small.scn"))
    #expect(loaded.diagnostics == "")
    #expect(loaded.output == "loaded \(folder.path("small.scn")): scenario Small, seed 0\n")
    #expect(session.handle(":scenarios").output == "  Tiny\n  Impossible\n* Small\n")
    let switched = session.handle(":scenario Tiny")
    #expect(switched.output.contains("scenario Tiny, seed 0"))
    #expect(session.handle(":scenarios").output == "* Tiny\n  Impossible\n  Small\n")
    #expect(session.handle(":params").output.contains("k     Int   uniform_int(1, 6)"))
  }

  @Test func suggestsAScenarioName() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var session = makeSession(folder: folder)
    let r = session.handle(":scenario Smal")
    #expect(r.diagnostics.contains("error[E0705]: no scenario named 'Smal'"))
    #expect(r.diagnostics.contains("note: did you mean 'Small'?"))
    #expect(session.handle(":scenarios").output.contains("* Small"))
  }

  @Test func aMissingFileIsAnErrorAndKeepsTheLoadedOne() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var session = makeSession(folder: folder)
    let r = session.handle(":load \(folder.path("nope.scn"))")
    #expect(r.diagnostics == "error[E0704]: cannot read '\(folder.path("nope.scn"))': no such file\n")
    #expect(r.output == "")
    #expect(session.path == folder.path("small.scn"))
    #expect(session.handle(":sample").output.hasPrefix("sample 0  scenario Small"))
  }

  @Test func rendersCompileErrorsLikeCheckAndReloadsAfterAFix() throws {
    let folder = try TemporaryFolder(["small.scn": fixture, "bad.scn": annotations + "\nscenario Bad {\n    param w: Length = 3m + 2s\n}\n"])
    var session = makeSession(folder: folder)
    let bad = folder.path("bad.scn")
    let r = session.handle(":load \(bad)")
    #expect(r.diagnostics.hasPrefix("\(bad):5:26: error[E0203]: cannot add 'Length' and 'Time'"))
    #expect(r.diagnostics.contains("1 error\nnote: fix the errors and :reload\n"))
    #expect(session.handle(":sample").diagnostics.contains("error[E0703]: \(bad) did not compile"))
    try folder.write("bad.scn", annotations + "\nscenario Bad {\n    param w: Length = 3m + 2m\n}\n")
    let fixed = session.handle(":reload")
    #expect(fixed.diagnostics == "")
    #expect(fixed.output == "loaded \(bad): scenario Bad, seed 0\n")
    #expect(session.handle(":hist w").output == "w is constant: 3m + 2m\n")
  }

  @Test func commandsNeedAFile() {
    var session = REPLSession(driver: Driver(stdlibRoot: Paths.stdlib))
    for command in [":sample", ":params", ":hist x", ":explain", ":reload", ":scenarios", ":set a = 1"] {
      #expect(session.handle(command).diagnostics.hasPrefix("error[E0703]: no file loaded"), "\(command)")
    }
  }
}

@Suite struct ParamCommandTests {
  @Test func paramsShowTypeValueAsWrittenAndOverride() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var session = makeSession(folder: folder)
    #expect(session.handle(":params").output == """
      name    type     value                override
      width   Length   uniform(2m, 4m)
      n       Int      uniform_int(1, 3)
      sky     Weather  one_of(clear, rain)
      height  Length   2m

      """)
    #expect(session.handle(":set width = 300cm").output == "width = 300cm\n")
    #expect(session.handle(":params").output.contains("\nwidth   Length   uniform(2m, 4m)      300cm\n"))
  }

  @Test func setChangesTheSampledValues() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var session = makeSession(folder: folder)
    let before = try jsonLines(session.handle(":sample 20 json").output)
    #expect(Set(before.compactMap { paramValue($0, "width") }).count == 20)
    #expect(session.handle(":set width=350cm").diagnostics == "")
    #expect(session.handle(":set sky = rain").diagnostics == "")
    let after = try jsonLines(session.handle(":sample 20 json").output)
    #expect(after.count == 20)
    #expect(after.allSatisfy { paramValue($0, "width") == 3.5 })
    #expect(after.allSatisfy { ($0["params"] as? [String: Any])?["sky"] as? String == "rain" })
    // Setting starts again at sample 0; unset restores the distribution.
    #expect(after.first?["sample"] as? Int == 0)
    #expect(session.handle(":unset width").output == "width unset\n")
    let restored = try jsonLines(session.handle(":sample 20 json").output)
    #expect(restored.map { paramValue($0, "width") } == before.map { paramValue($0, "width") })
  }

  @Test func aBadValueIsDiagnosedAsGenerateParamWouldAndChangesNothing() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var session = makeSession(folder: folder)
    let r = session.handle(":set width = 3s")
    #expect(r.output == "")
    #expect(r.diagnostics.contains("error[E0507]: :set width=3s: param 'width' expects Length (m), found Time (s)"))
    #expect(session.overrides.isEmpty)
    let unknownUnit = session.handle(":set width = 3mm2")
    #expect(unknownUnit.diagnostics.contains("unknown unit 'mm2'"))
    let notAValue = session.handle(":set width = (1m")
    #expect(notAValue.diagnostics.contains("is not a number with an optional unit"))
    #expect(session.handle(":set width").diagnostics.contains("usage: :set NAME = VALUE"))
  }

  @Test func anUnknownParamGetsADidYouMean() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var session = makeSession(folder: folder)
    let r = session.handle(":set widthh = 3m")
    #expect(r.diagnostics.contains("scenario 'Small' has no param 'widthh'"))
    #expect(r.diagnostics.hasSuffix("note: did you mean 'width'?\n"))
    let unset = session.handle(":unset width")
    #expect(unset.diagnostics == "error[E0705]: 'width' has no override\nnote: nothing is :set\n")
  }

  @Test func overridesSurviveAReloadAndAreDroppedWhenTheyNoLongerFit() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var session = makeSession(folder: folder)
    _ = session.handle(":set n = 2")
    #expect(session.handle(":reload").output.contains("seed 0, n=2"))
    try folder.write("small.scn", fixture.replacingOccurrences(of: "param n: Int", with: "param count_n: Int")
      .replacingOccurrences(of: "0..<n]", with: "0..<count_n]").replacingOccurrences(of: "cover count: n", with: "cover count: count_n"))
    let r = session.handle(":reload")
    #expect(r.diagnostics.contains("has no param 'n'"))
    #expect(r.diagnostics.contains("note: dropped the overrides n=2"))
    #expect(session.overrides.isEmpty)
    #expect(r.output.contains("scenario Small, seed 0\n"))
  }

  @Test func theSameSeedGivesTheSameScenes() throws {
    let folder = try TemporaryFolder(["small.scn": fixture])
    var a = makeSession(seed: 4, folder: folder)
    var b = makeSession(seed: 4, folder: folder)
    var c = makeSession(seed: 0, folder: folder)
    let first = a.handle(":sample 5").output
    #expect(first == b.handle(":sample 5").output)
    #expect(first != c.handle(":sample 5").output)
    #expect(c.handle(":seed 4").output == "seed 4\n")
    #expect(c.handle(":sample 5").output == first)
    #expect(c.handle(":seed").output == "seed 4\n")
    #expect(c.handle(":seed -1").diagnostics.hasPrefix("error[E0702]: seed must be a whole number"))
  }
}

@Suite struct ExampleMixtureTests {
  @Test func aMixtureListsEachComponentsParamsAndKeepsFittingOverrides() {
    var session = REPLSession(driver: Driver(stdlibRoot: Paths.stdlib))
    let example = Paths.repository.appendingPathComponent("Examples/warehouse_suite.scn").path
    #expect(session.load(example).output.contains("scenario Suite, seed 0"))
    let params = session.handle(":params").output
    #expect(params.contains("\nPalletAisle.light "))
    #expect(params.contains("\nNightAisle.light "))
    #expect(session.handle(":set light = 20lx").diagnostics == "")
    let night = session.handle(":scenario NightAisle")
    #expect(night.output.hasSuffix("scenario NightAisle, seed 0, light=20lx\n"))
    // NightAisle refines `light` without writing its type: the dimension names it.
    #expect(session.handle(":params").output.contains("\nlight         Illuminance  uniform(5lx, 50lx)       20lx\n"))
  }
}
