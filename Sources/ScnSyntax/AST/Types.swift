import ScnSource

/// A type as written: `Length`, `[Car]`, `(Int, Int)`, and in `type` declarations dimension
/// expressions such as `Length / Time^2` or `1 / Time`.
public final class TypeExpr: Sendable {
  public let kind: TypeExprKind
  public let range: SourceRange

  public init(_ kind: TypeExprKind, range: SourceRange) {
    self.kind = kind
    self.range = range
  }
}

public enum TypeExprKind: Sendable {
  /// `Length`, or a qualified `std.vehicles.Car` (parts in order).
  case name([Identifier])
  /// `[T]`
  case list(TypeExpr)
  /// `(T, U)`; `()` is the empty tuple.
  case tuple([TypeExpr])
  /// `A * B` (dimension expressions only).
  case product(TypeExpr, TypeExpr)
  /// `A / B` (dimension expressions only).
  case quotient(TypeExpr, TypeExpr)
  /// `A^n`, `A^-n` (dimension expressions only); `exponentText` keeps the digits as written.
  case power(TypeExpr, exponentText: String)
  /// The literal `1` in `1 / Time` (dimension expressions only).
  case one
  /// Placeholder after a syntax error.
  case missing
}
