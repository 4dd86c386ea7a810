import ArgumentParser
import Foundation
import ScnDriver

// swift-argument-parser exits 64 on usage errors; scn promises 2 (README.md, "Command line"), so the entry
// point parses and dispatches itself to control the exit status:
// 0 success, 1 the input has errors (commands throw ExitCode(1)), 2 usage or I/O errors.
func standardError(_ text: String) {
  FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}

let parsed: Result<ParsableCommand, Error> = Result { try SCN.parseAsRoot() }
do {
  var command = try parsed.get()
  // The C kernels' CPU path cap (docs/architecture.md, "CPU paths"): an unknown value is an
  // error of the run's input, refused before any command starts.
  do {
    try checkCPUPathSetting()
  } catch {
    standardError("scn: error: \(error)")
    exit(1)
  }
  do {
    try command.run()
  } catch let error as ValidationError {
    // Thrown while running, after parsing succeeded: the arguments were well formed, so the
    // message alone is shown, not the top-level usage text.
    standardError("scn: error: \(error.message)")
    exit(2)
  }
} catch let code as ExitCode {
  exit(code.rawValue)
} catch let error as FileSystemError {
  standardError("scn: error: \(error)")
  exit(2)
} catch {
  // Help and version requests arrive here too, as "errors" with a success status.
  if SCN.exitCode(for: error) == .success {
    print(SCN.fullMessage(for: error))
    exit(0)
  }
  standardError(SCN.fullMessage(for: error))
  exit(2)
}
