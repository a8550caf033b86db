//! Time as the database stores it: UTC milliseconds since the epoch.

use chrono::{DateTime, FixedOffset, Utc};

pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// Japan Standard Time, in which expiry times are shown to students.
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("+09:00 is a valid offset")
}

pub fn to_jst(ms: i64) -> DateTime<FixedOffset> {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&jst())
}
