//! Time as the database stores it: UTC milliseconds since the epoch. Services read it from a
//! [`Clock`] they are given, so a test can move time forward instead of waiting for it.

use chrono::{DateTime, FixedOffset, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The system's time, for what runs outside a service handle (the operator's commands, the
/// mail worker).
pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// Where services read the time: the system's, or one a test sets and moves.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    manual: Option<Arc<AtomicI64>>,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock that stands at `start_ms` until [`Clock::advance`] moves it.
    pub fn manual(start_ms: i64) -> Self {
        Self {
            manual: Some(Arc::new(AtomicI64::new(start_ms))),
        }
    }

    pub fn now_ms(&self) -> i64 {
        match &self.manual {
            Some(ms) => ms.load(Ordering::SeqCst),
            None => now_ms(),
        }
    }

    /// Moves a manual clock forward; the system's clock cannot be moved.
    pub fn advance(&self, by: Duration) {
        let ms = self.manual.as_ref().expect("only a manual clock can be moved");
        let by = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        ms.fetch_add(by, Ordering::SeqCst);
    }
}

/// Japan Standard Time, in which expiry times are shown to students.
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("+09:00 is a valid offset")
}

/// The start (epoch ms) of a day of Japan's calendar written `2026-11-30`; `None` for text
/// that is not such a date.
pub fn jst_day_start(date: &str) -> Option<i64> {
    let day = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok()?;
    let start = day.and_hms_opt(0, 0, 0)?.and_local_timezone(jst()).single()?;
    Some(start.timestamp_millis())
}

/// A time as the pages list it, Japan time to the minute: `2026-11-30 10:15`.
pub fn jst_minute(ms: i64) -> String {
    to_jst(ms).format("%Y-%m-%d %H:%M").to_string()
}

pub fn to_jst(ms: i64) -> DateTime<FixedOffset> {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&jst())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let clock = Clock::manual(1_000);
        assert_eq!(clock.now_ms(), 1_000);
        clock.clone().advance(Duration::from_secs(2));
        assert_eq!(clock.now_ms(), 3_000);
    }
}
