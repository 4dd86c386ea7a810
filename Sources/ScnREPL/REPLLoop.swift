/// The read-eval-print loop: reads an input (continuing while brackets are open), runs it
/// and hands the reply to `write`, until `:quit` or end of input.
public enum REPLLoop {
  public static let prompt = "scn> "
  public static let continuationPrompt = "...  "

  public static func run(
    _ session: inout REPLSession, input: some LineInput, prompt: String = prompt,
    continuationPrompt: String = continuationPrompt, write: (REPLReply) -> Void
  ) {
    while true {
      // Tab completes against the session as it is now (names, fields, units, commands).
      let snapshot = session
      input.setCompletion { line, start, end in snapshot.complete(line: line, start: start, end: end) }
      guard var text = input.readLine(prompt: prompt) else { return }
      while Continuation.needsMoreInput(text), let more = input.readLine(prompt: continuationPrompt) {
        text += "\n" + more
      }
      // One history entry per input: a history file holds one line per entry.
      if !text.trimmingWhitespace.isEmpty { input.remember(text.split(separator: "\n").joined(separator: " ")) }
      let reply = session.handle(text)
      write(reply)
      if reply.quit { return }
    }
  }
}
