//! The dashboard's read models: score aggregates, standings, rankings,
//! action-item statistics, weekly trends and product follow-up, with every
//! figure derived from them (change, comparability, on-time rate, open and
//! verified counts) worked out here, once. Storage fills them from its
//! statements; the API only shapes them.
//!
//! Scores are carried in hundredths (`8125` is 81.25), as stored.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::action_item::ActionItemStatus;
use crate::score::{AssessmentPeriod, Zone};

/// A figure in hundredths as the decimal a person reads (`8125` → 81.25).
pub fn hundredths(value: i64) -> f64 {
    value as f64 / 100.0
}

// ---- score aggregates ------------------------------------------------------

/// What an official result carries as published, beside its total.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Published {
    /// The document or announcement the figure comes from.
    pub source: Option<String>,
    /// The national rank and how many were ranked.
    pub national_rank: Option<(i32, i32)>,
    /// The qualifier (`TANPA_MALADMINISTRASI`).
    pub qualifier: Option<String>,
    /// The secondary label (`CUKUP`).
    pub label: Option<String>,
}

/// The figure of one subject (a district or an office) in one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodAggregate {
    pub subject_id: i64,
    pub period_id: i64,
    /// A district's own official score, when recorded (districts only).
    pub own_total: Option<i64>,
    /// The mean of the members' figures, in hundredths, rounded half away from zero.
    pub members_mean: Option<i64>,
    pub members_scored: i64,
    pub green: i64,
    pub yellow: i64,
    pub red: i64,
}

impl PeriodAggregate {
    /// The subject's figure: its own score when recorded, else its members' mean.
    pub fn figure(&self) -> Option<i64> {
        self.own_total.or(self.members_mean)
    }
}

/// One period of a subject's series, beside the previous period with a figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AggregatePoint {
    pub aggregate: PeriodAggregate,
    /// The figure of the previous period that had one.
    pub previous_figure: Option<i64>,
    /// Whether the previous figure was assessed under another methodology.
    pub method_break: bool,
}

impl AggregatePoint {
    /// The aggregates of one subject, oldest first, each with the one before
    /// it; only the last `last` when given.
    pub fn series(
        aggregates: Vec<PeriodAggregate>,
        periods: &[AssessmentPeriod],
        last: Option<i32>,
    ) -> Vec<AggregatePoint> {
        let year: HashMap<i64, i32> = periods.iter().map(|p| (p.id.0, p.year)).collect();
        let method: HashMap<i64, i64> = periods
            .iter()
            .map(|p| (p.id.0, p.methodology_id.0))
            .collect();
        let mut aggregates = aggregates;
        aggregates.sort_by_key(|r| (year.get(&r.period_id).copied(), r.period_id));
        // The last figure and the methodology it was assessed under.
        let mut previous: Option<(i64, Option<i64>)> = None;
        let mut series: Vec<AggregatePoint> = aggregates
            .into_iter()
            .map(|aggregate| {
                let this_method = method.get(&aggregate.period_id).copied();
                let point = AggregatePoint {
                    previous_figure: previous.map(|(figure, _)| figure),
                    method_break: previous.is_some_and(|(_, m)| m != this_method),
                    aggregate,
                };
                if let Some(figure) = point.aggregate.figure() {
                    previous = Some((figure, this_method));
                }
                point
            })
            .collect();
        if let Some(last) = last {
            let keep = usize::try_from(last.max(0)).unwrap_or(0);
            let skip = series.len().saturating_sub(keep);
            series.drain(..skip);
        }
        series
    }

    /// The change since the previous figure; none for the first and across a
    /// change of methodology, where a difference is not a change.
    pub fn change(&self) -> Option<i64> {
        if self.method_break {
            return None;
        }
        Some(self.aggregate.figure()? - self.previous_figure?)
    }

    /// Whether the figure compares with the previous one (same methodology).
    pub fn comparable(&self) -> bool {
        self.previous_figure.is_some() && !self.method_break
    }
}

// ---- standings and rankings --------------------------------------------------

/// One member (an OPD of a district, or a district of an office) in a period,
/// beside its figure in the period before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub parent_id: i64,
    /// The OPD (district level) or the district (office level).
    pub member_id: i64,
    pub district_id: i64,
    pub total: i64,
    pub zone: Option<Zone>,
    pub previous_total: Option<i64>,
    pub previous_zone: Option<Zone>,
    pub is_best: bool,
    pub is_worst: bool,
    pub is_most_improved: bool,
    pub moved_down: bool,
}

impl Standing {
    /// The change since the period before, when the two periods are
    /// `comparable` (the same methodology) and it had a figure.
    pub fn change(&self, comparable: bool) -> Option<i64> {
        if !comparable {
            return None;
        }
        self.previous_total.map(|p| self.total - p)
    }

    /// The gain since the period before (zero without a previous figure).
    pub fn gain(&self) -> i64 {
        self.total - self.previous_total.unwrap_or(self.total)
    }
}

/// One place in a ranking; ties share a rank (1, 2, 2, 4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    pub rank: i64,
    pub ranked: i64,
    pub member_id: i64,
    pub district_id: i64,
    pub total: i64,
    pub zone: Option<Zone>,
}

// ---- action items ------------------------------------------------------------

/// Action-item statistics of one parent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemStats {
    pub parent_id: i64,
    /// Count per status code.
    pub by_status: HashMap<String, i64>,
    pub overdue: i64,
    pub verified_on_time: i64,
    pub median_days_to_verify: Option<f64>,
}

impl ItemStats {
    /// The statistics of a parent with no items.
    pub fn none(parent_id: i64) -> ItemStats {
        ItemStats {
            parent_id,
            ..ItemStats::default()
        }
    }

    /// The counts of a parent made of `parts` (a district of its OPDs): counts
    /// add up, a median does not, so the sum has none.
    pub fn sum_of<'a>(parent_id: i64, parts: impl IntoIterator<Item = &'a ItemStats>) -> ItemStats {
        let mut sum = ItemStats::none(parent_id);
        for part in parts {
            for (status, count) in &part.by_status {
                *sum.by_status.entry(status.clone()).or_default() += count;
            }
            sum.overdue += part.overdue;
            sum.verified_on_time += part.verified_on_time;
        }
        sum
    }

    /// How many items are in `status`.
    pub fn count(&self, status: ActionItemStatus) -> i64 {
        self.by_status.get(status.as_str()).copied().unwrap_or(0)
    }

    /// Every item, whatever its status.
    pub fn total(&self) -> i64 {
        self.by_status.values().sum()
    }

    /// Items still needing work (not verified, not cancelled).
    pub fn open(&self) -> i64 {
        ActionItemStatus::ALL
            .iter()
            .filter(|s| s.is_open_work())
            .map(|s| self.count(*s))
            .sum()
    }

    /// Items the Ombudsman verified.
    pub fn verified(&self) -> i64 {
        self.count(ActionItemStatus::Verified)
    }

    /// The share (0–1) of verified items verified by their due date; none
    /// when none is verified.
    pub fn on_time_rate(&self) -> Option<f64> {
        let verified = self.verified();
        (verified > 0).then(|| self.verified_on_time as f64 / verified as f64)
    }

    /// The median days from raising an item to its verification, to a tenth.
    pub fn median_days_to_verify(&self) -> Option<f64> {
        self.median_days_to_verify
            .map(|d| (d * 10.0).round() / 10.0)
    }
}

/// One week to count: `[starts, ends)` and the calendar date it ends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Week {
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    pub last_day: NaiveDate,
}

/// One week of a parent's action items.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeekCounts {
    pub parent_id: i64,
    /// Index into the weeks asked for.
    pub week: i64,
    pub raised: i64,
    pub verified: i64,
    pub open_at_end: i64,
    pub overdue_at_end: i64,
}

/// One parent's Ombudsman products of one year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProductFollowUp {
    pub parent_id: i64,
    /// Products of the year, not withdrawn (cancelled ones do not count).
    pub total: i64,
    /// Followed up to completion: verified by the Ombudsman.
    pub completed: i64,
}

impl ProductFollowUp {
    /// Products not yet followed up to completion.
    pub fn outstanding(&self) -> i64 {
        self.total - self.completed
    }

    /// The share (0–1) followed up to completion; none without products.
    pub fn completion_rate(&self) -> Option<f64> {
        (self.total > 0).then(|| self.completed as f64 / self.total as f64)
    }

    /// Whether there were products and every one was followed up.
    pub fn all_completed(&self) -> bool {
        self.total > 0 && self.completed == self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(pairs: &[(ActionItemStatus, i64)], on_time: i64) -> ItemStats {
        ItemStats {
            parent_id: 1,
            by_status: pairs
                .iter()
                .map(|(s, n)| (s.as_str().to_owned(), *n))
                .collect(),
            verified_on_time: on_time,
            ..ItemStats::default()
        }
    }

    #[test]
    fn item_stats_count_open_verified_and_the_on_time_rate() {
        use ActionItemStatus::*;
        let s = stats(
            &[(Open, 2), (Submitted, 1), (Verified, 4), (Cancelled, 3)],
            3,
        );
        assert_eq!(s.total(), 10);
        assert_eq!(s.open(), 3);
        assert_eq!(s.verified(), 4);
        assert_eq!(s.on_time_rate(), Some(0.75));
        assert_eq!(stats(&[(Open, 1)], 0).on_time_rate(), None);
    }

    #[test]
    fn a_district_counts_the_sum_of_its_opds_and_has_no_median() {
        use ActionItemStatus::*;
        let mut rsud = stats(&[(Open, 2), (Verified, 4)], 3);
        rsud.overdue = 1;
        rsud.median_days_to_verify = Some(12.0);
        let mut dukcapil = stats(&[(Open, 1), (Submitted, 5)], 0);
        dukcapil.overdue = 2;
        let district = ItemStats::sum_of(7, [&rsud, &dukcapil]);
        assert_eq!(district.parent_id, 7);
        assert_eq!(district.count(Open), 3);
        assert_eq!(district.count(Submitted), 5);
        assert_eq!(district.verified(), 4);
        assert_eq!(district.total(), 12);
        assert_eq!(district.overdue, 3);
        assert_eq!(district.verified_on_time, 3);
        assert_eq!(district.median_days_to_verify, None);
        assert_eq!(ItemStats::sum_of(8, []).total(), 0);
    }

    #[test]
    fn a_standing_changes_only_across_comparable_periods() {
        let s = Standing {
            parent_id: 1,
            member_id: 2,
            district_id: 1,
            total: 8000,
            zone: None,
            previous_total: Some(7500),
            previous_zone: None,
            is_best: false,
            is_worst: false,
            is_most_improved: false,
            moved_down: false,
        };
        assert_eq!(s.change(true), Some(500));
        assert_eq!(s.change(false), None);
        assert_eq!(s.gain(), 500);
    }
}
