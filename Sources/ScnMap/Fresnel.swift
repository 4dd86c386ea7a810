import Foundation

/// The Fresnel integrals C(x) = ∫₀ˣ cos(πt²/2) dt and S(x) = ∫₀ˣ sin(πt²/2) dt, to about
/// 1e-15 relative: a power series for |x| ≤ 1.5 and, beyond, the continued fraction of the
/// complementary error function evaluated by the modified Lentz method (the method of
/// Numerical Recipes, §6.8). Both are odd functions; C(∞) = S(∞) = 1/2.
public enum Fresnel {
  public static func integrals(_ x: Double) -> (c: Double, s: Double) {
    let ax = abs(x)
    var c: Double
    var s: Double
    let eps = 1e-16
    let maxIterations = 200
    if ax < 1e-150 {
      c = ax
      s = 0
    } else if ax <= 1.5 {
      // Σ terms of cos (even powers) and sin (odd powers) of (π/2)x² built in one loop.
      let fact = Double.pi / 2 * ax * ax
      var sumC = ax
      var sumS = 0.0
      var term = ax
      var sign = 1.0
      var odd = true
      var n = 3.0
      var sum = 0.0
      for k in 1...maxIterations {
        term *= fact / Double(k)
        sum += sign * term / n
        let test = abs(sum) * eps
        if odd {
          sign = -sign
          sumS = sum
          sum = sumC
        } else {
          sumC = sum
          sum = sumS
        }
        if term < test { break }
        odd.toggle()
        n += 2
      }
      c = sumC
      s = sumS
    } else {
      let pix2 = Double.pi * ax * ax
      var b = Complex(1, -pix2)
      var cc = Complex(1 / 1e-300, 0)
      var d = b.reciprocal
      var h = d
      var n = -1.0
      for _ in 2...maxIterations {
        n += 2
        let a = -n * (n + 1)
        b = b + Complex(4, 0)
        d = (d.scaled(a) + b).reciprocal
        cc = b + cc.reciprocal.scaled(a)
        let del = cc * d
        h = h * del
        if abs(del.re - 1) + abs(del.im) < eps { break }
      }
      h = h * Complex(ax, -ax)
      let phase = Complex(cos(0.5 * pix2), sin(0.5 * pix2))
      let cs = Complex(0.5, 0.5) * (Complex(1, 0) - phase * h)
      c = cs.re
      s = cs.im
    }
    return x < 0 ? (-c, -s) : (c, s)
  }

  private struct Complex {
    var re: Double
    var im: Double
    init(_ re: Double, _ im: Double) {
      self.re = re
      self.im = im
    }
    static func + (l: Complex, r: Complex) -> Complex { Complex(l.re + r.re, l.im + r.im) }
    static func - (l: Complex, r: Complex) -> Complex { Complex(l.re - r.re, l.im - r.im) }
    static func * (l: Complex, r: Complex) -> Complex {
      Complex(l.re * r.re - l.im * r.im, l.re * r.im + l.im * r.re)
    }
    func scaled(_ k: Double) -> Complex { Complex(re * k, im * k) }
    var reciprocal: Complex {
      let m = re * re + im * im
      return Complex(re / m, -im / m)
    }
  }
}
