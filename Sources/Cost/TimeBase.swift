/// Calendar constants of the paper's formula: a year of 8,760 hours (365 × 24) and a
/// month of a twelfth of it, 730 hours, so monthly and hourly figures agree exactly.
public enum TimeBase {
    /// Hours in a year: 365 × 24.
    public static let hoursPerYear = 8760.0
    /// Hours in a month: 8760 / 12.
    public static let hoursPerMonth = 730.0
    /// Seconds in an hour.
    public static let secondsPerHour = 3600.0
}
