//! Dashboard analytics on behalf of one reader: the storage statements, given
//! the reader's reach and its idea of "today" in each of Indonesia's zones.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, TimeZone as _};
use pendamping_domain::reference::{DistrictId, OpdId, TimeZone};
use pendamping_domain::score::{AssessmentPeriodId, ScoreKind};
use pendamping_storage::analytics::{
    self, ItemFigures, ItemStats, PeriodAggregate, Ranked, RankingFilter, RankingOf, Standing,
    Todays, Week, WeekCounts,
};

use crate::reader::per_kind;
use crate::{AggregateOf, EngineError, ItemsIn, Reader};

type Result<T> = std::result::Result<T, EngineError>;

/// The most weeks a trend reaches back.
pub const MAX_TREND_WEEKS: u32 = 104;
/// The most places a ranking or standing list returns.
pub const MAX_RANKING: u32 = 1000;

fn group<T>(rows: Vec<T>, parent: impl Fn(&T) -> i64) -> HashMap<i64, Vec<T>> {
    let mut grouped: HashMap<i64, Vec<T>> = HashMap::new();
    for row in rows {
        grouped.entry(parent(&row)).or_default().push(row);
    }
    grouped
}

/// The `count` weeks (Monday to Sunday in `zone`) up to and including the
/// current one, oldest first.
pub fn recent_weeks(now: chrono::DateTime<chrono::Utc>, zone: TimeZone, count: u32) -> Vec<Week> {
    let today = zone.today(now);
    let this_monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let start_of = |day: NaiveDate| {
        zone.tz()
            .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
            .single()
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or(now)
    };
    (0..count)
        .rev()
        .map(|back| {
            let monday = this_monday - Duration::weeks(i64::from(back));
            let next = monday + Duration::weeks(1);
            Week {
                starts: start_of(monday),
                ends: start_of(next),
                last_day: next - Duration::days(1),
            }
        })
        .collect()
}

impl Reader {
    fn todays(&self) -> Todays {
        Todays::at(self.now())
    }

    /// Per-period aggregates of districts (over their OPDs) or offices (over their districts).
    pub async fn period_aggregates(
        &self,
        subjects: &[AggregateOf],
        kind: ScoreKind,
    ) -> Result<HashMap<AggregateOf, Vec<PeriodAggregate>>> {
        per_kind(subjects, |level, ids| async move {
            let rows =
                analytics::period_aggregates(self.db(), self.reach(), level, &ids, kind).await?;
            Ok(group(rows, |r| r.subject_id))
        })
        .await
    }

    /// Best, worst, most improved and moved-down members of many parents in one period.
    pub async fn standings(
        &self,
        parents: &[AggregateOf],
        period: AssessmentPeriodId,
        previous: Option<AssessmentPeriodId>,
        comparable: bool,
        limit: u32,
    ) -> Result<HashMap<AggregateOf, Vec<Standing>>> {
        per_kind(parents, |level, ids| async move {
            let rows = analytics::standings(
                self.db(),
                self.reach(),
                level,
                &ids,
                period.0,
                previous.map(|p| p.0),
                comparable,
                limit.min(MAX_RANKING),
            )
            .await?;
            Ok(group(rows, |r| r.parent_id))
        })
        .await
    }

    /// A ranking of OPDs or districts in one period, within the reach.
    pub async fn ranking(
        &self,
        of: RankingOf,
        filter: RankingFilter,
        period: AssessmentPeriodId,
        limit: u32,
    ) -> Result<Vec<Ranked>> {
        Ok(analytics::ranking(
            self.db(),
            self.reach(),
            of,
            filter,
            period.0,
            limit.min(MAX_RANKING),
        )
        .await?)
    }

    /// Action-item statistics of many parents.
    pub async fn action_item_stats(
        &self,
        parents: &[ItemsIn],
        figures: ItemFigures,
    ) -> Result<HashMap<ItemsIn, ItemStats>> {
        let todays = self.todays();
        per_kind(parents, |of, ids| async move {
            let rows =
                analytics::action_item_stats(self.db(), self.reach(), of, &ids, todays, figures)
                    .await?;
            Ok(rows.into_iter().map(|r| (r.parent_id, r)).collect())
        })
        .await
    }

    /// Verified on time and the median days to verification of many
    /// parents (only their verified items read), by parent; a parent with no
    /// verified item within reach is absent.
    pub async fn verification_timeliness(
        &self,
        parents: &[ItemsIn],
    ) -> Result<HashMap<ItemsIn, (i64, Option<f64>)>> {
        per_kind(parents, |of, ids| async move {
            let rows =
                analytics::verification_timeliness(self.db(), self.reach(), of, &ids).await?;
            Ok(rows
                .into_iter()
                .map(|(parent, on_time, median)| (parent, (on_time, median)))
                .collect())
        })
        .await
    }

    /// The counts of the OPDs of many districts, by district and OPD, in one
    /// statement; an OPD with no items within reach is absent.
    pub async fn opd_item_counts_in_districts(
        &self,
        districts: &[DistrictId],
    ) -> Result<HashMap<DistrictId, HashMap<OpdId, ItemStats>>> {
        let ids: Vec<i64> = districts.iter().map(|d| d.0).collect();
        let rows =
            analytics::opd_item_counts_in_districts(self.db(), self.reach(), &ids, self.todays())
                .await?;
        let mut found: HashMap<DistrictId, HashMap<OpdId, ItemStats>> = HashMap::new();
        for (district, stats) in rows {
            found
                .entry(DistrictId(district))
                .or_default()
                .insert(OpdId(stats.parent_id), stats);
        }
        Ok(found)
    }

    /// The weekly trend of many parents' action items over the last `weeks`
    /// weeks of `zone`.
    pub async fn weekly_trend(
        &self,
        parents: &[ItemsIn],
        zone: TimeZone,
        weeks: u32,
    ) -> Result<(Vec<Week>, HashMap<ItemsIn, Vec<WeekCounts>>)> {
        let weeks = recent_weeks(self.now(), zone, weeks.clamp(1, MAX_TREND_WEEKS));
        let trends = per_kind(parents, |of, ids| {
            let weeks = &weeks;
            async move {
                let rows =
                    analytics::weekly_trend(self.db(), self.reach(), of, &ids, weeks).await?;
                Ok(group(rows, |r| r.parent_id))
            }
        })
        .await?;
        Ok((weeks, trends))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_run_monday_to_sunday_in_the_district_zone() {
        // Saturday 28 November 2026, 23:30 WITA = 15:30 UTC.
        let now = chrono::Utc
            .with_ymd_and_hms(2026, 11, 28, 15, 30, 0)
            .unwrap();
        let weeks = recent_weeks(now, TimeZone::Wita, 2);
        assert_eq!(weeks.len(), 2);
        let this = weeks[1];
        // Monday 23 November 00:00 WITA is Sunday 22 November 16:00 UTC.
        assert_eq!(
            this.starts,
            chrono::Utc
                .with_ymd_and_hms(2026, 11, 22, 16, 0, 0)
                .unwrap()
        );
        assert_eq!(
            this.ends,
            chrono::Utc
                .with_ymd_and_hms(2026, 11, 29, 16, 0, 0)
                .unwrap()
        );
        assert_eq!(
            this.last_day,
            NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
        );
        assert_eq!(weeks[0].ends, this.starts);
    }

    #[test]
    fn a_new_week_starts_at_midnight_local_time_not_utc() {
        // Sunday 29 November 2026 16:30 UTC is already Monday 30 November in
        // WIT (01:30) and WITA (00:30), but still Sunday 23:30 in WIB.
        let now = chrono::Utc
            .with_ymd_and_hms(2026, 11, 29, 16, 30, 0)
            .unwrap();
        let wit = recent_weeks(now, TimeZone::Wit, 1)[0];
        let wita = recent_weeks(now, TimeZone::Wita, 1)[0];
        let wib = recent_weeks(now, TimeZone::Wib, 1)[0];
        assert_eq!(wit.last_day, NaiveDate::from_ymd_opt(2026, 12, 6).unwrap());
        assert_eq!(wita.last_day, NaiveDate::from_ymd_opt(2026, 12, 6).unwrap());
        assert_eq!(wib.last_day, NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
    }
}
