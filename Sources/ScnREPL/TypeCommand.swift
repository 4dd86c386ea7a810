import ScnDriver
import ScnLowering
import ScnSource

extension REPLSession {
  /// The main file expressions are checked and sampled against when none is loaded: one
  /// empty scenario, so an expression sees the StdLib only (`:hist uniform(0m, 10m)`).
  static let scratchFile = "<repl>"
  static let scratchScenario = "REPL"
  static let scratchText: [UInt8] = Array("scenario \(scratchScenario) {}\n".utf8)

  /// `:type EXPR`: the expression checked by the compiler inside the current scenario
  /// (seeing its params and definitions), with its type, and its value when constant.
  func typeOf(_ text: String) -> REPLReply {
    let expression: CheckedExpression
    switch checkExpression(text) {
    case .failure(let reply): return reply
    case .success(let e): expression = e
    }
    if let constant = expression.result.constant {
      return REPLReply(output: "\(expression.type) = \(ConstantText.text(constant))\n")
    }
    return REPLReply(output: expression.type + (expression.result.isRandom ? " (random)" : "") + "\n")
  }
}
