import ScnIR
import ScnLowering
import ScnSource
import ScnUnits
import Testing

/// `Compilation.checkExpression`: what the REPL's `:type` and `:hist` build on.
@Suite struct ExpressionTests {
  static let main = Support.programs.appendingPathComponent("language_example.scn").path

  func check(_ text: String, scenario: String? = "PalletAisle") -> ExpressionResult {
    Compilation.checkExpression(
      text, mainFile: Self.main, readFile: Support.readFile, stdlibRoot: Support.stdlibRoot,
      scenario: scenario)
  }

  @Test func seesTheScenarioMembers() throws {
    let r = check("aisle_width / 2 + forklift.radius")
    #expect(r.diagnostics.isEmpty)
    #expect(r.type == "Length")
    #expect(r.isRandom)
    let ir = try #require(r.ir)
    // The same slots as the compiled scenario: aisle_width is param %0, forklift a definition.
    #expect(IRPrinter.expr(ir).hasPrefix("(add~ (div~ %0 2.0) (. $"))
  }

  @Test func foldsConstants() {
    let r = check("30km/h")
    #expect(r.type == "Speed")
    #expect(!r.isRandom)
    #expect(r.constant == .real(25.0 / 3.0, Dimension(base: "Length") / Dimension(base: "Time")))
  }

  @Test func reportsErrorsInTheExpressionOnly() {
    let r = check("3m + 2s")
    #expect(r.diagnostics.map(\.code.rawValue) == ["E0203"])
    #expect(r.ir == nil)
    let rendered = DiagnosticRenderer().render(r.diagnostics, sources: r.sources)
    #expect(rendered.hasPrefix("<expression>:1:4: error[E0203]: cannot add 'Length' and 'Time'"))
  }

  @Test func suggestsMemberNames() {
    let r = check("aisle_widht * 2")
    #expect(r.diagnostics.first?.notes.first?.message == "did you mean 'aisle_width'?")
  }

  @Test func defaultsToTheLastScenario() {
    let r = check("1m", scenario: nil)
    #expect(r.scenario == "Suite")
  }
}

/// `--param NAME=VALUE` overrides checked against the param's type.
@Suite struct ParamOverrideTests {
  func override(_ text: String, _ param: String) -> ExpressionResult {
    Compilation.checkExpression(
      text, mainFile: ExpressionTests.main, readFile: Support.readFile, stdlibRoot: Support.stdlibRoot,
      scenario: "PalletAisle", asValueOfParam: param)
  }

  @Test func acceptsAValueOfTheParamsType() throws {
    let r = override("300lx", "light")
    #expect(r.diagnostics.isEmpty)
    #expect(r.constant == .real(300, Dimension(base: "Illuminance")))
    let random = override("uniform(5lx, 50lx)", "light")
    #expect(random.diagnostics.isEmpty)
    #expect(random.isRandom)
    #expect(random.ir != nil)
  }

  @Test func rejectsAnotherDimension() {
    #expect(override("3m", "light").diagnostics.map(\.code.rawValue) == ["E0204"])
  }

  @Test func rejectsAnUnknownParam() {
    let r = override("300lx", "lght")
    #expect(r.diagnostics.map(\.code.rawValue) == ["E0256"])
    #expect(r.diagnostics.first?.notes.first?.message == "did you mean 'light'?")
  }

  @Test func rejectsReadingADefinition() {
    #expect(override("n * 1lx", "light").diagnostics.map(\.code.rawValue) == ["E0254"])
  }
}
