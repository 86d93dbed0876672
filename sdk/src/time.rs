//! Naive UTC timestamps as the original stores them (`USE_TZ = False`): `YYYY-MM-DD HH:MM:SS.ffffff`
//! to write, and the ISO form (`T` separator, no zone) GraphQL answers with.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, as `2026-11-22 17:37:38.437554`.
pub fn now() -> String {
    at(SystemTime::now())
}

/// The moment `t`, as [`now`] writes it.
pub fn at(t: SystemTime) -> String {
    let since = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{:06}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        since.subsec_micros()
    )
}

/// A stored timestamp (either backend's text form) as the original's ISO form: `T` separator,
/// no zone, six fractional digits (PostgreSQL drops trailing zeros; Python's `isoformat` does
/// not), and no fraction at all when it is zero, as `isoformat` does.
pub fn iso(stored: &str) -> String {
    // Byte by byte: every row's validity dates come through here (a `char` pattern search cost
    // about 800 instructions a date).
    let zone = stored.bytes().position(|b| b == b'+' || b == b'Z');
    let trimmed = stored[..zone.unwrap_or(stored.len())].trim();
    let (seconds, fraction) = match trimmed.bytes().position(|b| b == b'.') {
        Some(dot) => (&trimmed[..dot], &trimmed[dot + 1..]),
        None => (trimmed, ""),
    };
    let digits = fraction
        .bytes()
        .take(6)
        .take_while(u8::is_ascii_digit)
        .count();
    let digits = &fraction[..digits];
    let mut out = String::with_capacity(seconds.len() + 7);
    match seconds.bytes().position(|b| b == b' ') {
        Some(space) => {
            out.push_str(&seconds[..space]);
            out.push('T');
            out.push_str(&seconds[space + 1..]);
        }
        None => out.push_str(seconds),
    }
    if digits.bytes().any(|b| b != b'0') {
        out.push('.');
        out.push_str(digits);
        out.extend(std::iter::repeat_n('0', 6 - digits.len()));
    }
    out
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_and_formats() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_414), (2025, 11, 22));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(
            iso("2026-11-22 17:37:38.437554+00"),
            "2026-11-22T17:37:38.437554"
        );
        assert_eq!(
            iso("2026-11-22 17:37:38.437554"),
            "2026-11-22T17:37:38.437554"
        );
        assert_eq!(iso("2026-11-22 17:37:38"), "2026-11-22T17:37:38");
        assert_eq!(iso("2026-11-22 17:37:38.000+00"), "2026-11-22T17:37:38");
        assert_eq!(
            iso("2026-11-22 17:37:38.43+01"),
            "2026-11-22T17:37:38.430000"
        );
        assert_eq!(
            iso("2026-11-22T17:37:38.1234567Z"),
            "2026-11-22T17:37:38.123456"
        );
        assert_eq!(
            iso(" 2026-11-22 17:37:38.5x "),
            "2026-11-22T17:37:38.500000"
        );
        assert_eq!(now().len(), 26);
    }
}
