import ScnSource

/// A parsed `.scn` file: its top-level declarations in source order.
public final class SourceFileSyntax: Sendable {
  public let file: FileID
  public let declarations: [Decl]
  public let range: SourceRange

  public init(file: FileID, declarations: [Decl], range: SourceRange) {
    self.file = file
    self.declarations = declarations
    self.range = range
  }
}

/// A top-level declaration with its annotations and `///` documentation.
public final class Decl: Sendable {
  public let kind: DeclKind
  public let annotations: [Annotation]
  public let documentation: Documentation?
  public let range: SourceRange

  public init(_ kind: DeclKind, annotations: [Annotation] = [], documentation: Documentation? = nil,
              range: SourceRange) {
    self.kind = kind
    self.annotations = annotations
    self.documentation = documentation
    self.range = range
  }

  /// The declared name, if the declaration has one.
  public var name: Identifier? {
    switch kind {
    case .importModule, .importFile, .error: nil
    case .const(let n, _, _), .variable(let n, _, _), .enumeration(let n, _), .actor(let n, _, _), .sensor(let n, _, _), .material(let n, _, _),
      .function(let n, _, _, _), .nativeFunction(let n, _, _), .nativeAction(let n, _), .behavior(let n, _, _, _), .monitor(let n, _, _),
      .scenario(let n, _, _), .dimension(let n), .unit(let n, _), .typeAlias(let n, _):
      n
    }
  }
}

/// `name: Type = default` in a function, action or behavior signature.
public struct Parameter: Sendable {
  public let name: Identifier
  public let type: TypeExpr?
  public let defaultValue: Expr?
  public let range: SourceRange

  public init(name: Identifier, type: TypeExpr?, defaultValue: Expr?, range: SourceRange) {
    self.name = name
    self.type = type
    self.defaultValue = defaultValue
    self.range = range
  }
}

/// `name: Type = default` in an actor or sensor body; either part may be omitted, not both
/// (a field without a type overrides an inherited default).
public struct FieldDecl: Sendable {
  public let name: Identifier
  /// Declared `var name: …`: a behavior of the actor may assign it (`self.name = v`).
  public var isVar = false
  public let type: TypeExpr?
  public let defaultValue: Expr?
  public let annotations: [Annotation]
  public let documentation: Documentation?
  public let range: SourceRange

  public init(name: Identifier, type: TypeExpr?, defaultValue: Expr?, annotations: [Annotation],
              documentation: Documentation?, range: SourceRange) {
    self.name = name
    self.type = type
    self.defaultValue = defaultValue
    self.annotations = annotations
    self.documentation = documentation
    self.range = range
  }
}

public struct EnumCase: Sendable {
  public let name: Identifier
  public let documentation: Documentation?
  public let range: SourceRange

  public init(name: Identifier, documentation: Documentation?, range: SourceRange) {
    self.name = name
    self.documentation = documentation
    self.range = range
  }
}

/// How a `unit` is defined.
public enum UnitDefinition: Sendable {
  /// `unit m: Length`: the base unit of a dimension.
  case base(dimension: Identifier)
  /// `unit cm = 0.01m`: a multiple of other units.
  case derived(Expr)
}

public enum DeclKind: Sendable {
  /// `import std.vehicles`
  case importModule([Identifier])
  /// `import "./lib/aisle.scn"`: the decoded path and the literal's range.
  case importFile(path: String, pathRange: SourceRange)
  /// `const NAME: Type = value` (type optional).
  case const(Identifier, type: TypeExpr?, value: Expr)
  /// `var name: Type = value` at the top level: a mutable global that behaviors and
  /// monitors may assign during a simulation (docs/language-tour.md, "Mutable globals").
  case variable(Identifier, type: TypeExpr?, value: Expr)
  /// `enum Weather { clear, rain, fog }`
  case enumeration(Identifier, cases: [EnumCase])
  /// `actor Car : Vehicle { fields }`
  case actor(Identifier, base: Identifier?, fields: [FieldDecl])
  /// `sensor Camera : Base { fields }`
  case sensor(Identifier, base: Identifier?, fields: [FieldDecl])
  /// `material Paint : Material { fields }`: a record type that is not an actor; its values
  /// are plain values (docs/scene-model.md, "Materials").
  case material(Identifier, base: Identifier?, fields: [FieldDecl])
  /// `fn name(params) -> Type = body` (return type optional).
  case function(Identifier, parameters: [Parameter], returnType: TypeExpr?, body: Expr)
  /// `native fn name(params) -> Type`
  case nativeFunction(Identifier, parameters: [Parameter], returnType: TypeExpr)
  /// `native action name(params)`
  case nativeAction(Identifier, parameters: [Parameter])
  /// `behavior Name(params) for Type { body }` (parameter list and `for Type` optional):
  /// `for Type` makes `self` a `Type`, so the body may read and assign its fields.
  case behavior(Identifier, parameters: [Parameter], actor: Identifier?, body: [BehaviorStmt])
  /// `monitor Name(params) { body }`: a behavior without an actor, run by `require monitor`.
  case monitor(Identifier, parameters: [Parameter], body: [BehaviorStmt])
  /// `scenario Name extends Base { body }`
  case scenario(Identifier, base: Identifier?, body: [Stmt])
  /// `dimension Length`
  case dimension(Identifier)
  /// `unit m: Length` or `unit cm = 0.01m`
  case unit(Identifier, UnitDefinition)
  /// `type Speed = Length / Time`
  case typeAlias(Identifier, TypeExpr)
  /// Placeholder for a declaration that could not be parsed.
  case error
}
