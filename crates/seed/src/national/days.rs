//! Days and instants of the generated history.

use chrono::{DateTime, Days, NaiveDate, TimeZone as _, Utc};

pub(super) fn at(day: NaiveDate, minutes: u32) -> DateTime<Utc> {
    // Office hours in Indonesia: 01:00–09:00 UTC is 08:00–16:00 WIB.
    let minutes = minutes.min(8 * 60 - 1);
    Utc.from_utc_datetime(
        &day.and_hms_opt(1 + minutes / 60, minutes % 60, 0)
            .unwrap_or_default(),
    )
}

pub(super) fn plus(day: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        day.checked_add_days(Days::new(days as u64))
    } else {
        day.checked_sub_days(Days::new(days.unsigned_abs()))
    }
    .unwrap_or(day)
}
