import ScnSource

/// A name as written, with where it was written. `_` is a valid identifier only in binder
/// positions (the parser rejects it as a value).
public struct Identifier: Sendable, Hashable {
  public let name: String
  public let range: SourceRange
  /// True when the parser invented this name to keep the tree well formed after an error.
  public var isMissing: Bool { name.isEmpty }

  public init(name: String, range: SourceRange) {
    self.name = name
    self.range = range
  }
}

/// A call or annotation argument: `value` or `label: value`.
public struct Argument: Sendable {
  public let label: Identifier?
  public let value: Expr
  public let range: SourceRange

  public init(label: Identifier?, value: Expr, range: SourceRange) {
    self.label = label
    self.value = value
    self.range = range
  }
}

/// `name: value` inside a record body (`Car { color: red }`) or `environment { … }`.
public struct FieldInit: Sendable {
  public let name: Identifier
  public let value: Expr
  public let range: SourceRange

  public init(name: Identifier, value: Expr, range: SourceRange) {
    self.name = name
    self.value = value
    self.range = range
  }
}

/// `@name` or `@name(args)`; attaches to the next scenario, member or field.
public struct Annotation: Sendable {
  public let name: Identifier
  /// Nil for the bare form `@name`; empty for `@name()`.
  public let arguments: [Argument]?
  public let range: SourceRange

  public init(name: Identifier, arguments: [Argument]?, range: SourceRange) {
    self.name = name
    self.arguments = arguments
    self.range = range
  }
}

/// A `///` comment block before a declaration, field or member, prefixes stripped.
public struct Documentation: Sendable, Hashable {
  public let text: String
  public init(text: String) { self.text = text }
}
