/// Owns every loaded file and hands out `FileID`s. Renderers look files up here.
public struct SourceManager: Sendable {
  public private(set) var files: [SourceFile] = []

  public init() {}

  @discardableResult
  public mutating func add(path: String, bytes: [UInt8]) -> FileID {
    let id = FileID(UInt32(files.count))
    files.append(SourceFile(id: id, path: path, bytes: bytes))
    return id
  }

  @discardableResult
  public mutating func add(path: String, text: String) -> FileID {
    add(path: path, bytes: Array(text.utf8))
  }

  public subscript(id: FileID) -> SourceFile? {
    let i = Int(id.raw)
    return i < files.count ? files[i] : nil
  }
}
