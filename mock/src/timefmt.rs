//! `submit_time` as the docs write it: ISO-8601 in UTC without a zone
//! (`2026-06-04T22:00:00`).

use std::time::{SystemTime, UNIX_EPOCH};

/// Formats a time as `YYYY-MM-DDTHH:MM:SS` in UTC, to the second. Times
/// before 1970 (only a broken clock gives one) are written as the epoch.
pub fn iso_utc(time: SystemTime) -> String {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// `civil_from_days`, for non-negative day counts).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn formats_known_instants() {
        let at = |secs| iso_utc(UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(at(0), "1970-01-01T00:00:00");
        // The docs' example instant.
        assert_eq!(at(1_780_610_400), "2026-06-04T22:00:00");
        // A leap day, and the last second of a century leap year.
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00");
        assert_eq!(at(978_307_199), "2000-12-31T23:59:59");
        assert_eq!(at(4_107_542_400), "2100-03-01T00:00:00");
        assert_eq!(
            iso_utc(UNIX_EPOCH - Duration::from_secs(1)),
            "1970-01-01T00:00:00"
        );
    }
}
