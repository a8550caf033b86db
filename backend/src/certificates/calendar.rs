//! Working days: Monday to Friday, except the days the university's office is closed.
//! Dates are JST dates; the caller turns an instant into one (`platform::clock::to_jst`).

use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::collections::BTreeSet;

pub fn is_working_day(day: NaiveDate, closed: &BTreeSet<NaiveDate>) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !closed.contains(&day)
}

/// The day a certificate received on `received` is expected: the `working_days`-th working
/// day after it (the day of receipt does not count, whatever the hour), or `received` itself
/// for 0 days.
pub fn expected_on(
    received: NaiveDate,
    working_days: u32,
    closed: &BTreeSet<NaiveDate>,
) -> NaiveDate {
    let mut day = received;
    let mut counted = 0;
    while counted < working_days {
        day = day.checked_add_days(Days::new(1)).unwrap_or(day);
        if is_working_day(day, closed) {
            counted += 1;
        }
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn working_days_skip_weekends_and_closures() {
        // 2026-12-25 is a Friday; the office closes from 12-29 to 01-03.
        let closed: BTreeSet<NaiveDate> = [
            "2026-12-29",
            "2026-12-30",
            "2026-12-31",
            "2027-01-01",
            "2027-01-02",
            "2027-01-03",
        ]
        .into_iter()
        .map(date)
        .collect();

        assert_eq!(
            expected_on(date("2026-12-25"), 0, &closed),
            date("2026-12-25")
        );
        assert_eq!(
            expected_on(date("2026-12-25"), 1, &closed),
            date("2026-12-28")
        );
        assert_eq!(
            expected_on(date("2026-12-25"), 2, &closed),
            date("2027-01-04")
        );
        // Received on a Saturday: Monday is the first working day after it.
        assert_eq!(
            expected_on(date("2026-12-05"), 1, &closed),
            date("2026-12-07")
        );
        assert_eq!(
            expected_on(date("2026-12-07"), 5, &BTreeSet::new()),
            date("2026-12-14")
        );
    }
}
