import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Standard output as a file descriptor: bytes go straight to `write(2)`, without the copy
/// into `Data` that `FileHandle` needs.
enum StandardOutput {
  struct WriteError: Error, CustomStringConvertible {
    let errno: Int32
    var description: String { "cannot write to standard output: \(String(cString: strerror(errno)))" }
  }

  static func send(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { buffer in
      guard var p = buffer.baseAddress else { return }
      var left = buffer.count
      while left > 0 {
        let n = write(STDOUT_FILENO, p, left)
        if n < 0 {
          if errno == EINTR { continue }
          throw WriteError(errno: errno)
        }
        p += n
        left -= n
      }
    }
  }
}
