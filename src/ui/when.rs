//! Moments in time as people read them: the local date and time, e.g. "Sun 6 Dec, 14:05",
//! with the year only when it is not this year. Records keep UTC in RFC 3339; this is for
//! the screens.

use crate::records::clock::parse_rfc3339;

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A calendar moment, already in the reader's time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalMoment {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
    pub day: u32,
    /// 0 is Sunday.
    pub weekday: u32,
    pub hour: u32,
    pub minute: u32,
}

/// "Sun 6 Dec, 14:05", or "Sun 6 Dec 2026, 14:05" when `this_year` is another year.
pub fn format(m: LocalMoment, this_year: i32) -> String {
    let weekday = WEEKDAYS[m.weekday as usize % 7];
    let month = MONTHS[(m.month.clamp(1, 12) - 1) as usize];
    let year = if m.year == this_year {
        String::new()
    } else {
        format!(" {}", m.year)
    };
    format!(
        "{weekday} {} {month}{year}, {:02}:{:02}",
        m.day, m.hour, m.minute
    )
}

/// Seconds since 1970 in the local time zone (the system's, or `TZ`).
pub fn local(unix_secs: u64) -> Option<LocalMoment> {
    let t = libc::time_t::try_from(unix_secs).ok()?;
    // SAFETY: localtime_r only writes the `tm` it is given, and `tm` is plain data for
    // which all zeroes is a valid value.
    let tm = unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            return None;
        }
        tm
    };
    Some(LocalMoment {
        year: tm.tm_year + 1900,
        month: (tm.tm_mon + 1) as u32,
        day: tm.tm_mday as u32,
        weekday: tm.tm_wday as u32,
        hour: tm.tm_hour as u32,
        minute: tm.tm_min as u32,
    })
}

/// A moment as people read it, in local time.
pub fn readable(unix_secs: u64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    match (local(unix_secs), local(now)) {
        (Some(then), Some(now)) => format(then, now.year),
        _ => crate::records::clock::rfc3339(unix_secs),
    }
}

/// An RFC 3339 timestamp from the records as people read it; text that is not one is
/// shown as it is.
pub fn readable_rfc3339(timestamp: &str) -> String {
    parse_rfc3339(timestamp).map_or_else(|| timestamp.to_string(), readable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_reads_as_weekday_day_month_and_time() {
        let m = LocalMoment {
            year: 2026,
            month: 12,
            day: 6,
            weekday: 0,
            hour: 14,
            minute: 5,
        };
        assert_eq!(format(m, 2026), "Sun 6 Dec, 14:05");
        assert_eq!(format(m, 2027), "Sun 6 Dec 2026, 14:05");
    }

    #[test]
    fn records_timestamps_are_shown_in_local_time_not_raw() {
        // 2026-12-06T14:05:00Z was a Sunday; in any time zone it is within a day of that.
        let shown = readable_rfc3339("2026-12-06T14:05:00Z");
        assert!(!shown.contains('T') && !shown.contains('Z'), "{shown}");
        assert!(
            ["Sat 5 Dec", "Sun 6 Dec", "Mon 7 Dec"]
                .iter()
                .any(|d| shown.starts_with(d)),
            "{shown}"
        );
        assert_eq!(readable_rfc3339("not a time"), "not a time");
    }
}
