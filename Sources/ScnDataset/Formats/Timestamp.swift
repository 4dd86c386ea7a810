import Foundation

/// The one timestamp a dataset carries (Croissant `datePublished`, OpenLineage `eventTime`).
public enum DatasetTimestamp {
  /// Latest representable instant: 9999-12-31T23:59:59Z.
  static let latest: Int64 = 253_402_300_799

  /// `SOURCE_DATE_EPOCH` when set (the reproducible-builds convention), otherwise the
  /// injected clock, in whole seconds. A set but malformed value is an error, as the
  /// convention asks, rather than a silent fall back to the clock.
  public static func resolve(environment: [String: String], now: () -> Date) throws(DatasetError) -> Int64 {
    if let text = environment["SOURCE_DATE_EPOCH"] {
      guard let seconds = Int64(text), seconds >= 0, seconds <= latest else { throw .invalidSourceDateEpoch(text) }
      return seconds
    }
    let seconds = now().timeIntervalSince1970.rounded(.down)
    return seconds.isFinite ? Int64(min(max(seconds, 0), Double(latest))) : 0
  }

  /// `YYYY-MM-DDThh:mm:ssZ`, computed arithmetically so no locale or calendar setting can
  /// change it (days-from-civil inverse, Howard Hinnant's algorithm).
  public static func iso8601(_ unclamped: Int64) -> String {
    let seconds = min(max(unclamped, 0), latest)
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let secondOfDay = seconds - days * 86_400
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
    let yearText = SampleEncoder.pad(Int(year), 4)
    return "\(yearText)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))Z"
  }
}
