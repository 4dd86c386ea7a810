import Testing

@testable import ScnSyntax

/// Random expression trees are printed with the fewest parentheses the precedence table
/// allows; parsing the text must give back exactly the tree. This checks precedence,
/// associativity, chaining and grouping together.
@Suite struct RoundTripTests {
  /// A generated expression: its source, the dump the parser must produce, and the
  /// precedence of its outermost operator (higher binds tighter).
  struct Generated {
    let source: String
    let dump: String
    let precedence: Int
  }

  // Mirrors `Precedence`: or 1, and 2, not 3, comparison 4, range 5, additive 6,
  // multiplicative 7, prefix 8, postfix/atom 9; quantifiers 0 (they extend rightwards).
  struct Generator {
    var state: UInt64

    mutating func next(_ n: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(truncatingIfNeeded: state >> 33) % n
    }

    /// `child` as an operand that must bind at least as tightly as `minimum`.
    func operand(_ child: Generated, _ minimum: Int) -> Generated {
      child.precedence >= minimum ? child : Generated(source: "(\(child.source))", dump: child.dump, precedence: 9)
    }

    mutating func atom() -> Generated {
      switch next(4) {
      case 0:
        let n = ["a", "b", "speed", "left", "x1"][next(5)]
        return Generated(source: n, dump: "(Name \(n))", precedence: 9)
      case 1:
        let v = String(next(100))
        return Generated(source: v, dump: "(Int \(v))", precedence: 9)
      case 2:
        let q = ["3m", "2.5m/s", "90deg", "1e3m"][next(4)]
        let split = q.firstIndex { $0.isLetter && $0 != "e" } ?? q.endIndex
        let number = q[..<split] == "1e3" ? "1e3" : String(q[..<split])
        return Generated(source: q, dump: "(Quantity \(number) \(q[split...]))", precedence: 9)
      default:
        return Generated(source: "self", dump: "Self", precedence: 9)
      }
    }

    mutating func expression(depth: Int) -> Generated {
      if depth == 0 { return atom() }
      switch next(11) {
      case 0:
        let (op, p) = [("+", 6), ("-", 6), ("*", 7), ("/", 7), ("%", 7), ("and", 2), ("or", 1)][next(7)]
        let l = operand(expression(depth: depth - 1), p)
        let r = operand(expression(depth: depth - 1), p + 1)
        return Generated(source: "\(l.source) \(op) \(r.source)", dump: "(Binary \(op) \(l.dump) \(r.dump))",
                         precedence: p)
      case 1:
        let x = operand(expression(depth: depth - 1), 8)
        return Generated(source: "-\(x.source)", dump: "(Unary - \(x.dump))", precedence: 8)
      case 2:
        let x = operand(expression(depth: depth - 1), 3)
        return Generated(source: "not \(x.source)", dump: "(Unary not \(x.dump))", precedence: 3)
      case 3:
        var source = operand(expression(depth: depth - 1), 5)
        var dump = "(Compare \(source.dump)"
        for _ in 0...next(2) {
          let op = ["==", "!=", "<", "<=", ">", ">=", "in", "not in"][next(8)]
          let r = operand(expression(depth: depth - 1), 5)
          source = Generated(source: "\(source.source) \(op) \(r.source)", dump: "", precedence: 4)
          dump += " \(op) \(r.dump)"
        }
        return Generated(source: source.source, dump: dump + ")", precedence: 4)
      case 4:
        let halfOpen = next(2) == 0
        let l = operand(expression(depth: depth - 1), 6)
        let r = operand(expression(depth: depth - 1), 6)
        return Generated(source: "\(l.source)\(halfOpen ? "..<" : "..")\(r.source)",
                         dump: "(Range \(halfOpen ? "..<" : "..") \(l.dump) \(r.dump))", precedence: 5)
      case 5:
        let base = operand(expression(depth: depth - 1), 9)
        let name = ["x", "left", "class", "type"][next(4)]
        return Generated(source: "\(base.source).\(name)", dump: "(Member \(base.dump) \(name))", precedence: 9)
      case 6:
        var arguments: [Generated] = []
        for _ in 0..<next(3) { arguments.append(expression(depth: depth - 1)) }
        return Generated(source: "f(\(arguments.map(\.source).joined(separator: ", ")))",
                         dump: "(Call (Name f)\(arguments.map { " " + $0.dump }.joined()))", precedence: 9)
      case 7:
        let sequence = operand(expression(depth: depth - 1), 5)
        let body = expression(depth: depth - 1)
        let q = next(2) == 0 ? "all" : "any"
        return Generated(source: "\(q) v in \(sequence.source): \(body.source)",
                         dump: "(\(q == "all" ? "All" : "Any") v \(sequence.dump) \(body.dump))", precedence: 0)
      case 8:
        let elements = (0..<(1 + next(3))).map { _ in expression(depth: depth - 1) }
        return Generated(source: "[\(elements.map(\.source).joined(separator: ", "))]",
                         dump: "(List\(elements.map { " " + $0.dump }.joined()))", precedence: 9)
      case 9:
        let base = operand(expression(depth: depth - 1), 9)
        let index = expression(depth: depth - 1)
        return Generated(source: "\(base.source)[\(index.source)]", dump: "(Index \(base.dump) \(index.dump))",
                         precedence: 9)
      default:
        return atom()
      }
    }
  }

  @Test func printedTreesParseBackToThemselves() {
    var generator = Generator(state: 7)
    for _ in 0..<3_000 {
      let g = generator.expression(depth: 4)
      #expect(expr(g.source) == g.dump, "\(g.source)")
    }
  }
}
