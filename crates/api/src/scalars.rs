//! The `Date` and `DateTime` scalars.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{NaiveDate, SecondsFormat, Utc};

/// The years a date may fall in: four digits, nothing absurd.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// Whether `text` starts with exactly `YYYY-MM-DD` (digits and dashes where
/// they belong, a four-digit year in [`YEARS`]); the rest is not looked at.
fn strict_date_prefix(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 10
        && bytes[..10].iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
        && text[..4]
            .parse::<i32>()
            .is_ok_and(|year| YEARS.contains(&year))
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

/// A calendar date, exactly `YYYY-MM-DD` (ISO 8601), years 1900 to 2200. Due dates are dates in the district's own time zone.
#[Scalar(
    name = "Date",
    specified_by_url = "https://scalars.graphql.org/andimarek/local-date.html"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => (text.len() == 10 && strict_date_prefix(text))
                .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
                .flatten()
                .map(Date)
                .ok_or(())
                .map_err(|_| {
                    InputValueError::custom(format!(
                        "`{text}` is not a date in the form YYYY-MM-DD (years 1900 to 2200)"
                    ))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

/// An instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime(pub chrono::DateTime<Utc>);

/// An instant, RFC 3339 with a zone offset (always UTC in answers), e.g. `2021-04-29T02:00:00Z`; years 1900 to 2200.
#[Scalar(
    name = "DateTime",
    specified_by_url = "https://scalars.graphql.org/chillicream/date-time.html"
)]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => (strict_date_prefix(text)
                && text.as_bytes().get(10) == Some(&b'T')
                && !text.ends_with('z'))
                .then(|| chrono::DateTime::parse_from_rfc3339(text).ok())
                .flatten()
                .map(|t| DateTime(t.with_timezone(&Utc)))
                .ok_or(())
                .map_err(|_| {
                    InputValueError::custom(format!("`{text}` is not an RFC 3339 date-time such as 2021-04-29T02:00:00Z (years 1900 to 2200)"))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339_opts(SecondsFormat::Secs, true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> bool {
        <Date as ScalarType>::parse(Value::String(text.into())).is_ok()
    }

    fn date_time(text: &str) -> bool {
        <DateTime as ScalarType>::parse(Value::String(text.into())).is_ok()
    }

    #[test]
    fn a_date_is_exactly_yyyy_mm_dd_in_a_sane_range() {
        assert!(date("2021-04-29"));
        assert!(date("1900-01-01") && date("2200-12-31"));
        for odd in [
            "2021-4-29",
            "2021-04-9",
            "+2021-04-29",
            "02021-04-29",
            "20210-04-29",
            "0021-04-29",
            "1899-12-31",
            "2201-01-01",
            " 2021-04-29",
            "2021-04-29 ",
            "2021-02-30",
            "2021/04/29",
        ] {
            assert!(!date(odd), "{odd} is refused");
        }
    }

    #[test]
    fn a_date_time_is_rfc_3339_with_a_four_digit_year_in_a_sane_range() {
        assert!(date_time("2021-04-29T02:00:00Z"));
        assert!(date_time("2021-04-29T10:00:00.5+08:00"));
        for odd in [
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "2021-04-29t02:00:00z",
            "2021-04-29 02:00:00Z",
            "2021-04-29T02:00:00",
            " 2021-04-29T02:00:00Z",
        ] {
            assert!(!date_time(odd), "{odd} is refused");
        }
    }
}
