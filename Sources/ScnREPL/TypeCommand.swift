import ScnDriver
import ScnLowering
import ScnSource

extension REPLSession {
  /// The main file `:type` checks against when none is loaded: empty, so an expression
  /// sees the StdLib only.
  static let scratchFile = "<repl>"

  /// `:type EXPR`: the expression checked by the compiler inside the current scenario
  /// (seeing its params and definitions), with its type, and its value when constant.
  func typeOf(_ text: String) -> REPLReply {
    let fs = driver.fileSystem
    let main = path ?? Self.scratchFile
    let readFile: (String) throws -> [UInt8] = { file in
      file == Self.scratchFile ? [] : try fs.readFile(file)
    }
    let result = Compilation.checkExpression(
      text, mainFile: main, readFile: readFile, stdlibRoot: driver.stdlibRoot,
      scenario: path == nil ? nil : currentScenarioName)
    if result.programDiagnostics.hasErrors, path != nil {
      return .error(.nothingLoaded, "\(main) has errors, so names in it cannot be typed", note: "fix it and :reload")
    }
    guard result.diagnostics.isEmpty, let type = result.type else {
      var reply = REPLReply(diagnostics: renderer.render(result.diagnostics, sources: result.sources, summary: false))
      if result.diagnostics.isEmpty { reply.diagnostics += "error: '\(text)' has no type\n" }
      return reply
    }
    if let constant = result.constant {
      return REPLReply(output: "\(type) = \(ConstantText.text(constant))\n")
    }
    return REPLReply(output: type + (result.isRandom ? " (random)" : "") + "\n")
  }
}
