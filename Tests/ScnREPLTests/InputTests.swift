import ScnDriver
import ScnREPL
import Testing

@Suite struct CommandInputTests {
  @Test func unknownAmbiguousAndAbbreviatedCommands() {
    var session = REPLSession(driver: Driver(stdlibRoot: Paths.stdlib))
    #expect(session.handle(":smaple 3").diagnostics == "error[E0701]: unknown command ':smaple'\nnote: did you mean ':sample'?\n")
    #expect(session.handle(":zzzzzz").diagnostics == "error[E0701]: unknown command ':zzzzzz'\nnote: type :help for the commands\n")
    #expect(session.handle(":s").diagnostics.contains("it could be :scenarios, :scenario, :set, :seed, :sample"))
    #expect(session.handle(":q").quit)
    #expect(session.handle(":quit now") == REPLReply(diagnostics: "error[E0702]: :quit takes no arguments, got 'now'\n"))
    #expect(session.handle(":quit").quit)
    #expect(session.handle("width").diagnostics.hasPrefix("error[E0701]: 'width' is not a command"))
    #expect(session.handle("   ") == REPLReply())
  }

  @Test func helpHasALinePerCommand() {
    var session = REPLSession(driver: Driver(stdlibRoot: Paths.stdlib))
    let help = session.handle(":help").output
    #expect(help.split(separator: "\n").count == CommandTable.all.count)
    for command in CommandTable.all { #expect(help.contains("  :" + command.name), "\(command.name)") }
    #expect(session.handle(":help sample").output.hasPrefix("  :sample [EXPR] [N] [table|json]  the next N scenes"))
    #expect(session.handle(":help :hist").output.contains(":hist EXPR [N] [BINS]"))
  }

  @Test func openBracketsContinueTheInput() {
    #expect(Continuation.needsMoreInput(":type (1m +"))
    #expect(Continuation.needsMoreInput(":type [1m,\n  2m"))
    #expect(!Continuation.needsMoreInput(":type (1m +\n 2m)"))
    #expect(!Continuation.needsMoreInput(":type \"(\""))
    #expect(!Continuation.needsMoreInput(":type 1m // (comment"))
    #expect(!Continuation.needsMoreInput(":type 1m)"))
    #expect(!Continuation.needsMoreInput(":sample"))
  }

  @Test func theLoopJoinsContinuedLinesAndStopsAtQuit() {
    var session = REPLSession(driver: Driver(stdlibRoot: Paths.stdlib))
    let input = ScriptedLines([":type (1m +", "  2m)", "", ":quit", ":type 1m"])
    var replies: [REPLReply] = []
    REPLLoop.run(&session, input: input) { replies.append($0) }
    #expect(replies.map(\.output) == ["Length = 3 m\n", "", ""])
    #expect(replies.last?.quit == true)
    #expect(input.prompts == ["scn> ", "...  ", "scn> ", "scn> "])
  }

  @Test func theLoopEndsAtEndOfInput() {
    var session = REPLSession(driver: Driver(stdlibRoot: Paths.stdlib))
    let input = ScriptedLines([":type (1m +"])
    var replies: [REPLReply] = []
    REPLLoop.run(&session, input: input) { replies.append($0) }
    #expect(replies.count == 1)
    #expect(replies.first?.diagnostics.contains("error") == true)
  }

  @Test func historyFileLocation() {
    #expect(replHistoryFile(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/scn/history")
    #expect(replHistoryFile(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h/"]) == "/h/.scn_history")
    #expect(replHistoryFile(environment: [:]) == nil)
  }
}

@Suite struct HistogramTextTests {
  @Test func compactNumbers() {
    #expect(Histogram.compact(2.01349) == "2.013")
    #expect(Histogram.compact(15.9) == "15.9")
    #expect(Histogram.compact(12345.6) == "12346")
    #expect(Histogram.compact(0.00041234) == "0.0004123")
    #expect(Histogram.compact(-3) == "-3")
    #expect(Histogram.compact(0) == "0")
  }

  @Test func binsCountEveryValue() {
    let text = Histogram.numbers("x", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9.5], unit: "m", bins: 2, barWidth: 10)
    #expect(text == """
      x over 10 samples: min 0 m, mean 4.55 m, max 9.5 m
        sd 3.113 m; quantiles 5% 0.45, 25% 2.25, 50% 4.5, 75% 6.75, 95% 8.825 m
        [0, 4.75)    5  50.0%  ##########
        [4.75, 9.5]  5  50.0%  ##########

      """)
    #expect(Histogram.numbers("c", [2, 2], unit: "") == "c is constant over 2 samples: 2\n")
    // Extreme and non-finite values neither trap nor count.
    let extreme = Histogram.numbers("e", [-1e308, 1e308, .nan, .infinity], unit: "", bins: 4)
    #expect(extreme.hasPrefix("e over 2 samples: "))
    #expect(extreme.contains(" 1  50.0%"))
    #expect(Histogram.labels("w", ["b", "a", "b"], barWidth: 4) == "w over 3 samples: 2 distinct values\n  a  1  33.3%  ##\n  b  2  66.7%  ####\n")
  }
}
