import ScnSource
import Testing

@testable import ScnSyntax

@Suite struct ExpressionTests {
  @Test(arguments: [
    ("x + 1m", "(Binary + (Name x) (Quantity 1 m))"),
    ("a + b * c - d", "(Binary - (Binary + (Name a) (Binary * (Name b) (Name c))) (Name d))"),
    ("a / b / c", "(Binary / (Binary / (Name a) (Name b)) (Name c))"),
    ("-a * b", "(Binary * (Unary - (Name a)) (Name b))"),
    ("-a.b", "(Unary - (Member (Name a) b))"),
    ("x -1m", "(Binary - (Name x) (Quantity 1 m))"),
    ("0.5m*i", "(Binary * (Quantity 0.5 m) (Name i))"),
    ("a or b and c", "(Binary or (Name a) (Binary and (Name b) (Name c)))"),
    ("not a and b", "(Binary and (Unary not (Name a)) (Name b))"),
    ("not a == b", "(Unary not (Compare (Name a) == (Name b)))"),
    ("0m < x < 5m", "(Compare (Quantity 0 m) < (Name x) < (Quantity 5 m))"),
    ("a == b != c", "(Compare (Name a) == (Name b) != (Name c))"),
    ("x in xs", "(Compare (Name x) in (Name xs))"),
    ("x not in xs and y", "(Binary and (Compare (Name x) not in (Name xs)) (Name y))"),
    ("0..<n + 1", "(Range ..< (Int 0) (Binary + (Name n) (Int 1)))"),
    ("a..b", "(Range .. (Name a) (Name b))"),
    ("x in 0..10", "(Compare (Name x) in (Range .. (Int 0) (Int 10)))"),
    ("a % b", "(Binary % (Name a) (Name b))"),
    ("f(a, from: b)", "(Call (Name f) (Name a) (from: (Name b)))"),
    ("f()", "(Call (Name f))"),
    ("xs[0].y", "(Member (Index (Name xs) (Int 0)) y)"),
    ("x.left.class", "(Member (Member (Name x) left) class)"),
    ("(a, b, c)", "(Tuple (Name a) (Name b) (Name c))"),
    ("(a)", "(Name a)"),
    ("()", "(Tuple)"),
    ("[]", "(List)"),
    ("[1, 2,]", "(List (Int 1) (Int 2))"),
    ("[e for x in xs if c]", "(Comprehension (Name e) x (Name xs) (if (Name c)))"),
    ("[0 for _ in 0..<uniform_int(1, 4)]", "(Comprehension (Int 0) _ (Range ..< (Int 0) (Call (Name uniform_int) (Int 1) (Int 4))))"),
    ("choice { 0.7: a, 0.3: b }", "(Choice ((Float 0.7) (Name a)) ((Float 0.3) (Name b)))"),
    ("Car { color: red, size: (1m, 2m, 3m) }", "(Record (Name Car) (color: (Name red)) (size: (Tuple (Quantity 1 m) (Quantity 2 m) (Quantity 3 m))))"),
    ("self.position.y > 4m", "(Compare (Member (Member Self position) y) > (Quantity 4 m))"),
    ("ego", "Ego"),
    ("true and false", "(Binary and (Bool true) (Bool false))"),
    ("any(xs)", "(Call (Name any) (Name xs))"),
    ("all", "(Name all)"),
    ("f(range: 3)", "(Call (Name f) (range: (Int 3)))"),
  ])
  func precedence(source: String, expected: String) {
    #expect(expr(source) == expected)
  }

  @Test func specifierArgumentsEndAtTheNextSpecifier() {
    #expect(expr("Car ahead of car by gap + 6m * i right of car by 2.6m")
      == "(Construct (Name Car) (ahead-of (Name car) (by (Binary + (Name gap) (Binary * (Quantity 6 m) (Name i)))))"
      + " (right-of (Name car) (by (Quantity 2.6 m))))")
    #expect(expr("Car at (1m, 2m, 0m) facing toward p behind x by 3m within r on lane(1) with behavior B(v: 1)")
      == "(Construct (Name Car) (at (Tuple (Quantity 1 m) (Quantity 2 m) (Quantity 0 m))) (facing-toward (Name p))"
      + " (behind (Name x) (by (Quantity 3 m))) (within (Name r)) (on (Call (Name lane) (Int 1)))"
      + " (with-behavior (Call (Name B) (v: (Int 1)))))")
    // A comparison ends the specifier argument; the construction is its left operand.
    #expect(expr("Car at p < 3m") == "(Compare (Construct (Name Car) (at (Name p))) < (Quantity 3 m))")
    #expect(expr("Car { color: red } at p facing 0deg")
      == "(Construct (Record (Name Car) (color: (Name red))) (at (Name p)) (facing (Quantity 0 deg)))")
    #expect(expr("Car left of x") == "(Construct (Name Car) (left-of (Name x)))")
  }

  @Test func quantifierBodyExtendsRight() {
    #expect(expr("all x in xs: a > b and c")
      == "(All x (Name xs) (Binary and (Compare (Name a) > (Name b)) (Name c)))")
    #expect(expr("ok and any p in ps: f(p)")
      == "(Binary and (Name ok) (Any p (Name ps) (Call (Name f) (Name p))))")
    #expect(expr("f(all x in xs: x > 0, y)")
      == "(Call (Name f) (All x (Name xs) (Compare (Name x) > (Int 0))) (Name y))")
    #expect(expr("[all x in xs: p(x)]") == "(List (All x (Name xs) (Call (Name p) (Name x))))")
  }

  @Test func errorsInExpressions() {
    #expect(expr("a..b..c") == "errors: E0123")
    #expect(expr("_ + 1") == "errors: E0114")
    #expect(expr("+3m") == "errors: E0115")
    #expect(expr("f(a b)") == "errors: E0131")
    #expect(expr("f(a") == "errors: E0102")
    #expect(expr("at p") == "errors: E0128")
  }
}

@Suite struct StatementTests {
  @Test func newlinesEndStatementsExceptWhereTheyCannot() {
    let p = scenarioBody("""
      let a = 1 +
          2
      let b = f(1,
                2)
      let c = Car at p
          facing 0deg
          with behavior B()
      let d = x
      -1m
      let e = [1,
      2]; let f = 3
      """)
    #expect(p.codes == ["E0129"])
    #expect(p.dump.contains("(Let a = (Binary + (Int 1) (Int 2)))"))
    #expect(p.dump.contains("(Let c = (Construct (Name Car) (at (Name p)) (facing (Quantity 0 deg)) (with-behavior (Call (Name B)))))"))
    #expect(p.dump.contains("(Let d = (Name x))"))
    #expect(p.dump.contains("(Let e = (List (Int 1) (Int 2)))\n  (Let f = (Int 3))"))
  }

  @Test func requireForms() {
    let p = scenarioBody("""
      require x > 1
      require[0.9] n >= 4
      require [p] n >= 4
      require always a
      require eventually b
      require always
      terminate when t > 3s
      """)
    #expect(p.diagnostics.isEmpty)
    #expect(p.dump == """
      (Scenario S
        (Require (Compare (Name x) > (Int 1)))
        (Require [(Float 0.9)] (Compare (Name n) >= (Int 4)))
        (Require [(Name p)] (Compare (Name n) >= (Int 4)))
        (Require always (Name a))
        (Require eventually (Name b))
        (Require (Name always))
        (Terminate (Compare (Name t) > (Quantity 3 s)))
      )

      """)
  }

  @Test func otherScenarioStatements() {
    let p = parse("""
      scenario Night extends PalletAisle {
          param light = uniform(5lx, 50lx)
          param n: Int
          ego = Car
          allow overlap
          include Other weight 3; include Third
          simulate duration
              at rate
          Car at (1m, 0m, 0m)
          let left = 3
      }
      """)
    #expect(p.diagnostics.isEmpty)
    #expect(p.dump == """
      (Scenario Night extends PalletAisle
        (Param light = (Call (Name uniform) (Quantity 5 lx) (Quantity 50 lx)))
        (Param n : Int)
        (Ego = (Name Car))
        (AllowOverlap)
        (Include Other weight (Int 3))
        (Include Third)
        (Simulate (Name duration) at (Name rate))
        (Expr (Construct (Name Car) (at (Tuple (Quantity 1 m) (Quantity 0 m) (Quantity 0 m)))))
        (Let left = (Int 3))
      )

      """)
  }

  @Test func behaviors() {
    let p = parse("""
      behavior Cross(target: Position, speed: Speed = 1m/s) {
          wait until distance(self, ego) < 20m
          do walk_to(target, speed) until self.position.y > 4m
          do stop() for 1s
          do follow_lane(10m/s) for 5s until near
          wait 2s
          either { do a() } or {
              do b()
          }
          or { wait 1s }
      }
      """)
    #expect(p.diagnostics.isEmpty)
    #expect(p.dump == """
      (Behavior Cross ((target : Position) (speed : Speed = (Quantity 1 m/s)))
        (WaitUntil (Compare (Call (Name distance) Self Ego) < (Quantity 20 m)))
        (Do (Call (Name walk_to) (Name target) (Name speed)) until (Compare (Member (Member Self position) y) > (Quantity 4 m)))
        (Do (Call (Name stop)) for (Quantity 1 s))
        (Do (Call (Name follow_lane) (Quantity 10 m/s)) for (Quantity 5 s) until (Name near))
        (Wait (Quantity 2 s))
        (Either
          (Branch
            (Do (Call (Name a)))
          )
          (Branch
            (Do (Call (Name b)))
          )
          (Branch
            (Wait (Quantity 1 s))
          )
        )
      )

      """)
  }

  @Test func declarationForms() {
    let p = parse("""
      dimension Length
      unit m: Length
      unit cm = 0.01m
      type Speed = Length / Time
      type Acceleration = Length / Time^2
      type Rate = 1 / Time
      type Freq = Time^-1
      type Position = Vec3
      const LANE_WIDTH: Length = 3.5m
      enum Weather { clear, rain
        fog }
      /// A car.
      /// Two lines.
      actor Car : Vehicle {
          size: Vec3 = (4.5m, 1.8m, 1.5m)
          @doc("label") class: String = "car", color = red
      }
      sensor Camera {
          resolution: (Int, Int) = (640, 480)
          outputs: [Output]
      }
      native fn distance(a: Actor, b: Actor) -> Length
      native action follow_lane(speed: Speed)
      fn clearance(a: Actor, b: Actor) -> Length = distance(a, b) - a.radius - b.radius
      fn twice(x: Int) = 2 * x
      import std.vehicles
      import "./lib/aisle.scn"
      """)
    #expect(p.diagnostics.isEmpty)
    #expect(p.dump == """
      (Dimension Length)
      (Unit m : Length)
      (Unit cm = (Quantity 0.01 m))
      (Type Speed = (/ Length Time))
      (Type Acceleration = (/ Length (^ Time 2)))
      (Type Rate = (/ 1 Time))
      (Type Freq = (^ Time -1))
      (Type Position = Vec3)
      (Const LANE_WIDTH : Length = (Quantity 3.5 m))
      (Enum Weather clear rain fog)
      (Doc "A car.\\nTwo lines.")
      (Actor Car : Vehicle
        (Field size : Vec3 = (Tuple (Quantity 4.5 m) (Quantity 1.8 m) (Quantity 1.5 m)))
        @doc((String "label"))
        (Field class : String = (String "car"))
        (Field color = (Name red))
      )
      (Sensor Camera
        (Field resolution : (Int, Int) = (Tuple (Int 640) (Int 480)))
        (Field outputs : [Output])
      )
      (NativeFn distance ((a : Actor) (b : Actor)) -> Length)
      (NativeAction follow_lane ((speed : Speed)))
      (Fn clearance ((a : Actor) (b : Actor)) -> Length = (Binary - (Binary - (Call (Name distance) (Name a) (Name b)) (Member (Name a) radius)) (Member (Name b) radius)))
      (Fn twice ((x : Int)) = (Binary * (Int 2) (Name x)))
      (Import std.vehicles)
      (Import "./lib/aisle.scn")

      """)
  }
}

@Suite struct RecoveryTests {
  @Test func independentErrorsAreAllReportedWithoutCascades() {
    let p = parse("""
      scenario A {
          let x = f(1, 2
          let y = 3 +
          require x = 3
          param p
          cover c n
          let ok = [1, 2, 3]
      }
      let z = 1
      fn g(a: Int) Int = a
      """)
    #expect(p.codes == ["E0102", "E0100", "E0107", "E0101", "E0101", "E0105", "E0109"])
    #expect(p.dump.contains("(Let ok = (List (Int 1) (Int 2) (Int 3)))"))
  }

  @Test func missingClosingBraceEndsTheBlockAtTheNextDeclaration() {
    let p = parse("""
      scenario A {
          let x = 1
      scenario B {
          let y = 2
      }
      """)
    #expect(p.codes == ["E0102"])
    #expect(p.ast.declarations.count == 2)
    #expect(p.rendered.contains("expected '}' to close '{' at 1:12, found newline"))
  }

  @Test func unclosedParenMessageNamesOpenerAndNewline() {
    let p = scenarioBody("    require visible(x, from: cam")
    #expect(p.codes == ["E0102"])
    let d = p.diagnostics[0]
    #expect(d.message == "expected ')' to close '(' at 2:20, found newline")
    #expect(d.notes.first?.range?.start == p.file.bytes.firstIndex(of: UInt8(ascii: "(")))
    #expect(d.fixIts.first?.edits.first?.replacement == ")")
  }

  @Test func nestingLimitGivesOneDiagnostic() {
    for (open, close) in [("(", ")"), ("[", "]"), ("R { a: ", " }"), ("-", ""), ("f(", ")"), ("x[", "]")] {
      let n = 100_000
      let source = "const x = " + String(repeating: open, count: n) + "1" + String(repeating: close, count: n)
      let p = parse(source)
      #expect(p.codes == ["E0110"], "\(open)")
    }
    let blocks = "behavior B {" + String(repeating: "either {", count: 50_000)
    #expect(parse(blocks).codes == ["E0110"])
    // A brace alone is not an expression: one ordinary error, no deep recursion.
    #expect(parse("const x = " + String(repeating: "{", count: 100_000)).codes == ["E0100"])
    let types = "fn f(a: " + String(repeating: "[", count: 100_000)
    #expect(parse(types).codes == ["E0110"])
  }
}

@Suite struct DocumentationTests {
  @Test func docCommentsAttachToDeclarationsFieldsStatementsAndCases() {
    let p = parse("""
      // not documentation

      /// The enum.
      enum E {
          /// First case.
          a, b
      }
      /// Orphaned by the blank line below.

      actor A {
          /// Field doc.
          @doc("x") size: Vec3
      }
      scenario S {
          /// Param doc.
          param p = 1
      }
      """)
    #expect(p.diagnostics.isEmpty)
    let decls = p.ast.declarations
    #expect(decls[0].documentation?.text == "The enum.")
    guard case .enumeration(_, let cases) = decls[0].kind, case .actor(_, _, let fields) = decls[1].kind,
      case .scenario(_, _, let body) = decls[2].kind
    else {
      Issue.record("unexpected declarations")
      return
    }
    #expect(cases.map { $0.documentation?.text } == ["First case.", nil])
    #expect(decls[1].documentation == nil)
    #expect(fields[0].documentation?.text == "Field doc.")
    #expect(fields[0].annotations.map(\.name.name) == ["doc"])
    #expect(body[0].documentation?.text == "Param doc.")
  }

  @Test func rangesCoverTheirSource() {
    let p = parse("scenario S {\n    let x = f(a, b) + 3m\n}\n")
    guard case .scenario(_, _, let body) = p.ast.declarations[0].kind, case .let(_, _, let value) = body[0].kind else {
      Issue.record("unexpected tree")
      return
    }
    #expect(p.file.text(of: body[0].range) == "let x = f(a, b) + 3m")
    #expect(p.file.text(of: value.range) == "f(a, b) + 3m")
    #expect(p.file.text(of: p.ast.declarations[0].range) == "scenario S {\n    let x = f(a, b) + 3m\n}")
  }
}

@Suite struct SeparatorTests {
  @Test func semicolonEqualsNewlineInBraceLists() {
    #expect(expr("Car { a: 1; b: 2 }") == "(Record (Name Car) (a: (Int 1)) (b: (Int 2)))")
    #expect(expr("choice { 1: a; 2: b }") == "(Choice ((Int 1) (Name a)) ((Int 2) (Name b)))")
    #expect(parse("enum E { a; b }").dump == "(Enum E a b)\n")
  }
}
