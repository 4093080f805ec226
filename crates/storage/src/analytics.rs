//! Dashboard analytics, computed in the database: score aggregates and zone
//! distributions per period, standings (best, worst, most improved, moved
//! down a zone), rankings, and action-item statistics with their weekly trend.
//!
//! Every function is one statement whatever the number of parents asked for
//! (the API batches parents), filtered by the caller's reach. The statements
//! are written by hand — window functions, CTEs — in the SQL that SQLite and
//! PostgreSQL share; where they differ (date arithmetic) [`Dialect`] says how.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use pendamping_domain::action_item::ActionItemStatus;
use pendamping_domain::identity::Reach;
use pendamping_domain::reference::TimeZone;
use pendamping_domain::score::{ScoreKind, Zone};
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};

use crate::StorageError;
use crate::reach;
use crate::statuses;

pub use pendamping_domain::figures::{
    ItemStats, PeriodAggregate, Ranked, Standing, Week, WeekCounts,
};
pub use pendamping_domain::read::{AggregateLevel, ItemFigures, ItemsOf, RankingFilter, RankingOf};

/// Integer ids inlined into a statement: typed, so nothing can be injected.
fn id_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        return "NULL".to_owned();
    }
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// A statement under construction: numbered parameters in either dialect.
struct Sql {
    backend: DbBackend,
    values: Vec<Value>,
}

impl Sql {
    fn new(backend: DbBackend) -> Self {
        Sql {
            backend,
            values: Vec::new(),
        }
    }

    /// A placeholder for `value`: `$n` on PostgreSQL, `?n` on SQLite.
    fn param(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        match self.backend {
            DbBackend::Postgres => format!("${}", self.values.len()),
            _ => format!("?{}", self.values.len()),
        }
    }

    /// `column IN (ids)`. On PostgreSQL `column = ANY($n)` with the ids bound
    /// as one array: the text stays the same for any number of ids, so the
    /// server plans it once per connection instead of once per request.
    /// SQLite inlines them (typed integers; its statements are cheap to prepare).
    fn among(&mut self, column: &str, ids: &[i64]) -> String {
        match self.backend {
            DbBackend::Postgres => format!("{column} = ANY({})", self.param(ids.to_vec())),
            _ => format!("{column} IN ({})", id_list(ids)),
        }
    }

    /// Days between two instant columns, as a fraction.
    fn days_between(&self, from: &str, to: &str) -> String {
        match self.backend {
            // date_part is double precision; EXTRACT would be numeric, slower to sum and sort.
            DbBackend::Postgres => {
                format!("((date_part('epoch', {to}) - date_part('epoch', {from})) / 86400.0)")
            }
            _ => format!("CAST(julianday({to}) - julianday({from}) AS DOUBLE PRECISION)"),
        }
    }

    /// The calendar date of an instant column in the zone named by `zone` (an IANA name).
    fn local_date(&self, instant: &str, zone: &str) -> String {
        match self.backend {
            DbBackend::Postgres => format!("CAST(({instant} AT TIME ZONE {zone}) AS DATE)"),
            // Indonesia keeps no daylight saving: a fixed offset per zone.
            _ => format!(
                "date({instant}, {})",
                by_zone(zone, ["'+7 hours'", "'+8 hours'", "'+9 hours'"])
            ),
        }
    }

    fn statement(self, text: String) -> Statement {
        Statement::from_sql_and_values(self.backend, text, self.values)
    }
}

/// The expression of `[wib, wita, wit]` chosen by the zone named by `zone`
/// (a district's IANA name, as `TimeZone` spells it).
fn by_zone(zone: &str, [wib, wita, wit]: [&str; 3]) -> String {
    format!(
        "CASE {zone} WHEN '{}' THEN {wib} WHEN '{}' THEN {wita} ELSE {wit} END",
        TimeZone::Wib.as_str(),
        TimeZone::Wita.as_str(),
    )
}

/// The caller's reach as predicates on district and OPD id columns, rendered
/// from the conditions the ORM queries use (see `reach`).
struct Visible {
    reach: Reach,
    backend: DbBackend,
}

impl Visible {
    fn of(reach: &Reach, backend: DbBackend) -> Self {
        Visible {
            reach: reach.clone(),
            backend,
        }
    }

    /// Rows of one OPD (an OPD's score, an action item), by their own district
    /// and OPD columns; the reach's ids bound in `sql` (PostgreSQL).
    fn place(&self, sql: &mut Sql, district: &str, opd: &str) -> String {
        reach::district_or_opd_bound(&self.reach, self.backend, district, opd, &mut |value| {
            sql.param(value)
        })
    }

    /// Rows of a district as a whole, by their district column.
    fn district(&self, sql: &mut Sql, column: &str) -> String {
        reach::district_bound(&self.reach, self.backend, column, &mut |value| {
            sql.param(value)
        })
    }
}

/// A zone column (null, or the zone of a band that has one).
fn zone(row: &QueryResult, column: &str) -> Result<Option<Zone>, StorageError> {
    Ok(get::<Option<String>>(row, column)?.and_then(|code| code.parse().ok()))
}

fn get<T: sea_orm::TryGetable>(row: &QueryResult, column: &str) -> Result<T, StorageError> {
    Ok(row.try_get::<T>("", column)?)
}

/// `opd_figures(opd_id, district_id, period_id, total, zone)`: the current
/// official-or-`kind` score of every visible OPD, with the zone of its band;
/// `districts` is the predicate on `s.district_id` choosing the districts.
fn opd_figures_cte(sql: &mut Sql, visible: &Visible, kind: ScoreKind, districts: &str) -> String {
    format!(
        "opd_figures AS (
           SELECT s.opd_id, s.district_id, s.period_id, CAST(s.total_hundredths AS BIGINT) AS total, b.zone
           FROM score_records s
           JOIN methodology_bands b ON b.methodology_id = s.methodology_id AND b.code = s.band_code
           WHERE s.kind = '{kind}' AND s.is_current = TRUE AND s.opd_id IS NOT NULL
             AND {districts} AND {opd_visible})",
        kind = kind.as_str(),
        opd_visible = visible.place(sql, "s.district_id", "s.opd_id"),
    )
}

/// `district_figures(district_id, office_id, period_id, total, zone)`: each
/// visible district's figure per period — its own official score when
/// recorded, else the rounded mean of its OPDs' — classified by the bands of
/// the period's methodology.
fn district_figures_cte(
    sql: &mut Sql,
    visible: &Visible,
    kind: ScoreKind,
    districts: &str,
) -> String {
    let opd_figures = opd_figures_cte(sql, visible, kind, districts);
    let district_visible = visible.district(sql, "s.district_id");
    format!(
        "{opd_figures},
         opd_means AS (
           SELECT district_id, period_id, CAST(ROUND(AVG(total)) AS BIGINT) AS mean
           FROM opd_figures GROUP BY district_id, period_id),
         own AS (
           SELECT s.district_id, s.period_id, CAST(s.total_hundredths AS BIGINT) AS total
           FROM score_records s
           WHERE s.kind = '{kind}' AND s.is_current = TRUE AND s.opd_id IS NULL
             AND {districts} AND {district_visible}),
         figure_keys AS (
           SELECT district_id, period_id FROM opd_means
           UNION SELECT district_id, period_id FROM own),
         district_totals AS (
           SELECT k.district_id, d.office_id, k.period_id, COALESCE(o.total, m.mean) AS total
           FROM figure_keys k
           JOIN districts d ON d.id = k.district_id
           LEFT JOIN own o ON o.district_id = k.district_id AND o.period_id = k.period_id
           LEFT JOIN opd_means m ON m.district_id = k.district_id AND m.period_id = k.period_id),
         district_figures AS (
           SELECT t.district_id, t.office_id, t.period_id, t.total, b.zone
           FROM district_totals t
           JOIN assessment_periods p ON p.id = t.period_id
           LEFT JOIN methodology_bands b ON b.methodology_id = p.methodology_id
             AND t.total BETWEEN b.min_hundredths AND b.max_hundredths)",
        kind = kind.as_str(),
    )
}

/// How many members are in each zone: columns `green`, `yellow`, `red`.
fn zone_counts(alias: &str) -> String {
    Zone::ALL
        .iter()
        .map(|zone| {
            let code = zone.as_str();
            let column = code.to_lowercase();
            format!("SUM(CASE WHEN {alias}.zone = '{code}' THEN 1 ELSE 0 END) AS {column}")
        })
        .collect::<Vec<_>>()
        .join(",\n         ")
}

/// The zones with their levels (`Zone::level`, higher is better) as rows
/// `(zone, level)`, for comparing a member's zone with its previous one.
fn zone_levels() -> String {
    Zone::ALL
        .iter()
        .map(|zone| {
            format!(
                "SELECT '{}' AS zone, {} AS level",
                zone.as_str(),
                zone.level()
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

/// Per-period aggregates of many districts or offices, in one statement.
pub async fn period_aggregates(
    db: &impl ConnectionTrait,
    reach: &Reach,
    level: AggregateLevel,
    subject_ids: &[i64],
    kind: ScoreKind,
) -> Result<Vec<PeriodAggregate>, StorageError> {
    let backend = db.get_database_backend();
    let visible = Visible::of(reach, backend);
    let mut sql = Sql::new(backend);
    let text = match level {
        AggregateLevel::District => format!(
            "WITH {figures},
             members AS (
               SELECT f.district_id AS subject, f.period_id, COUNT(*) AS scored,
                      CAST(ROUND(AVG(f.total)) AS BIGINT) AS mean, {zones}
               FROM opd_figures f GROUP BY f.district_id, f.period_id)
             SELECT k.district_id AS subject, k.period_id, o.total AS own_total,
                    m.mean, COALESCE(m.scored, 0) AS scored, COALESCE(m.green, 0) AS green,
                    COALESCE(m.yellow, 0) AS yellow, COALESCE(m.red, 0) AS red
             FROM figure_keys k
             LEFT JOIN own o ON o.district_id = k.district_id AND o.period_id = k.period_id
             LEFT JOIN members m ON m.subject = k.district_id AND m.period_id = k.period_id
             ORDER BY k.district_id, k.period_id",
            figures = {
                let districts = sql.among("s.district_id", subject_ids);
                district_figures_cte(&mut sql, &visible, kind, &districts)
            },
            zones = zone_counts("f"),
        ),
        AggregateLevel::Office => format!(
            "WITH {figures}
             SELECT f.office_id AS subject, f.period_id, CAST(NULL AS BIGINT) AS own_total,
                    CAST(ROUND(AVG(f.total)) AS BIGINT) AS mean, COUNT(*) AS scored, {zones}
             FROM district_figures f
             GROUP BY f.office_id, f.period_id
             ORDER BY f.office_id, f.period_id",
            figures = {
                let offices = sql.among("office_id", subject_ids);
                let districts =
                    format!("s.district_id IN (SELECT id FROM districts WHERE {offices})");
                district_figures_cte(&mut sql, &visible, kind, &districts)
            },
            zones = zone_counts("f"),
        ),
    };
    let rows = db.query_all_raw(sql.statement(text)).await?;
    rows.iter()
        .map(|row| {
            Ok(PeriodAggregate {
                subject_id: get(row, "subject")?,
                period_id: get(row, "period_id")?,
                own_total: get(row, "own_total")?,
                members_mean: get(row, "mean")?,
                members_scored: get(row, "scored")?,
                green: get(row, "green")?,
                yellow: get(row, "yellow")?,
                red: get(row, "red")?,
            })
        })
        .collect()
}

/// The standings of the members of many parents in one period: the `limit`
/// best, worst and most improved of each, and every member that moved down a
/// zone since `previous_period_id`. One statement. When the two periods are
/// not `comparable` (a change of methodology), nobody improved or moved down:
/// a difference across methods is not a change.
#[allow(
    clippy::too_many_arguments,
    reason = "the standings question has that many parts; they go to one statement"
)]
pub async fn standings(
    db: &impl ConnectionTrait,
    reach: &Reach,
    level: AggregateLevel,
    parent_ids: &[i64],
    period_id: i64,
    previous_period_id: Option<i64>,
    comparable: bool,
    limit: u32,
) -> Result<Vec<Standing>, StorageError> {
    let comparable = if comparable { "1 = 1" } else { "1 = 0" };
    let backend = db.get_database_backend();
    let visible = Visible::of(reach, backend);
    let mut sql = Sql::new(backend);
    let current = sql.param(period_id);
    let previous = sql.param(previous_period_id.unwrap_or(-1));
    let limit = sql.param(i64::from(limit));
    let (figures, members) = match level {
        AggregateLevel::District => (
            {
                let districts = sql.among("s.district_id", parent_ids);
                opd_figures_cte(&mut sql, &visible, ScoreKind::Official, &districts)
            },
            "SELECT district_id AS parent, opd_id AS member, district_id, period_id, total, zone \
             FROM opd_figures",
        ),
        AggregateLevel::Office => (
            {
                let offices = sql.among("office_id", parent_ids);
                let districts =
                    format!("s.district_id IN (SELECT id FROM districts WHERE {offices})");
                district_figures_cte(&mut sql, &visible, ScoreKind::Official, &districts)
            },
            "SELECT office_id AS parent, district_id AS member, district_id, period_id, total, zone \
             FROM district_figures",
        ),
    };
    let zone_levels = zone_levels();
    let text = format!(
        "WITH {figures},
         members AS ({members}),
         zone_rank AS ({zone_levels}),
         joined AS (
           SELECT c.parent, c.member, c.district_id, c.total, c.zone,
                  p.total AS previous_total, p.zone AS previous_zone,
                  zc.level AS level, zp.level AS previous_level
           FROM members c
           LEFT JOIN members p ON p.member = c.member AND p.period_id = {previous}
           LEFT JOIN zone_rank zc ON zc.zone = c.zone
           LEFT JOIN zone_rank zp ON zp.zone = p.zone
           WHERE c.period_id = {current}),
         ranked AS (
           SELECT j.*,
             ROW_NUMBER() OVER (PARTITION BY parent ORDER BY total DESC, member) AS best_n,
             ROW_NUMBER() OVER (PARTITION BY parent ORDER BY total ASC, member) AS worst_n,
             ROW_NUMBER() OVER (PARTITION BY parent ORDER BY
               CASE WHEN previous_total IS NULL THEN 1 ELSE 0 END,
               total - previous_total DESC, member) AS improved_n
           FROM joined j)
         SELECT parent, member, district_id, total, zone, previous_total, previous_zone,
                CASE WHEN best_n <= {limit} THEN 1 ELSE 0 END AS is_best,
                CASE WHEN worst_n <= {limit} THEN 1 ELSE 0 END AS is_worst,
                CASE WHEN {comparable} AND previous_total IS NOT NULL AND improved_n <= {limit}
                     THEN 1 ELSE 0 END AS is_most_improved,
                CASE WHEN {comparable} AND previous_level IS NOT NULL AND level < previous_level
                     THEN 1 ELSE 0 END AS moved_down
         FROM ranked
         WHERE best_n <= {limit} OR worst_n <= {limit}
            OR ({comparable} AND previous_total IS NOT NULL AND improved_n <= {limit})
            OR ({comparable} AND previous_level IS NOT NULL AND level < previous_level)
         ORDER BY parent, total DESC, member"
    );
    let rows = db.query_all_raw(sql.statement(text)).await?;
    rows.iter()
        .map(|row| {
            Ok(Standing {
                parent_id: get(row, "parent")?,
                member_id: get(row, "member")?,
                district_id: get(row, "district_id")?,
                total: get(row, "total")?,
                zone: zone(row, "zone")?,
                previous_total: get(row, "previous_total")?,
                previous_zone: zone(row, "previous_zone")?,
                is_best: get::<i32>(row, "is_best")? == 1,
                is_worst: get::<i32>(row, "is_worst")? == 1,
                is_most_improved: get::<i32>(row, "is_most_improved")? == 1,
                moved_down: get::<i32>(row, "moved_down")? == 1,
            })
        })
        .collect()
}

/// The ranking of the visible OPDs or districts in one period, best first.
pub async fn ranking(
    db: &impl ConnectionTrait,
    reach: &Reach,
    of: RankingOf,
    filter: RankingFilter,
    period_id: i64,
    limit: u32,
) -> Result<Vec<Ranked>, StorageError> {
    let backend = db.get_database_backend();
    let visible = Visible::of(reach, backend);
    let mut sql = Sql::new(backend);
    let mut districts = "s.district_id IN (SELECT id FROM districts WHERE 1 = 1".to_owned();
    if let Some(office) = filter.office_id {
        districts.push_str(&format!(" AND office_id = {}", sql.param(office)));
    }
    if let Some(district) = filter.district_id {
        districts.push_str(&format!(" AND id = {}", sql.param(district)));
    }
    if let Some(kind) = filter.district_kind {
        // A code from a closed enum, never user text.
        districts.push_str(&format!(" AND kind = '{}'", kind.as_str()));
    }
    districts.push(')');
    let period = sql.param(period_id);
    let limit = sql.param(i64::from(limit));
    let (figures, members) = match of {
        RankingOf::Opds => (
            opd_figures_cte(&mut sql, &visible, ScoreKind::Official, &districts),
            "SELECT opd_id AS member, district_id, total, zone FROM opd_figures",
        ),
        RankingOf::Districts => (
            district_figures_cte(&mut sql, &visible, ScoreKind::Official, &districts),
            "SELECT district_id AS member, district_id, total, zone FROM district_figures",
        ),
    };
    let period_column = match of {
        RankingOf::Opds => "opd_figures.period_id",
        RankingOf::Districts => "district_figures.period_id",
    };
    let text = format!(
        "WITH {figures},
         ranked AS (
           SELECT m.*, RANK() OVER (ORDER BY m.total DESC) AS place, COUNT(*) OVER () AS ranked
           FROM ({members} WHERE {period_column} = {period}) m)
         SELECT place, ranked, member, district_id, total, zone FROM ranked
         ORDER BY place, member LIMIT {limit}"
    );
    let rows = db.query_all_raw(sql.statement(text)).await?;
    rows.iter()
        .map(|row| {
            Ok(Ranked {
                rank: get(row, "place")?,
                ranked: get(row, "ranked")?,
                member_id: get(row, "member")?,
                district_id: get(row, "district_id")?,
                total: get(row, "total")?,
                zone: zone(row, "zone")?,
            })
        })
        .collect()
}

/// Where a statistic's parent sits in the items' SQL.
trait ParentSql {
    fn column(self) -> &'static str;
    fn restriction(self, sql: &mut Sql) -> String;
}

impl ParentSql for ItemsOf {
    fn column(self) -> &'static str {
        match self {
            ItemsOf::Office => "d.office_id",
            ItemsOf::District => "ai.district_id",
            ItemsOf::Opd | ItemsOf::OpdsInAgreement(_) => "ai.opd_id",
            ItemsOf::Agreement => "ai.agreement_id",
        }
    }

    fn restriction(self, sql: &mut Sql) -> String {
        match self {
            ItemsOf::OpdsInAgreement(agreement) => {
                format!(" AND ai.agreement_id = {}", sql.param(agreement))
            }
            _ => String::new(),
        }
    }
}

/// Today's date in each of Indonesia's zones, for "overdue".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Todays {
    pub wib: NaiveDate,
    pub wita: NaiveDate,
    pub wit: NaiveDate,
}

impl Todays {
    /// The dates at `now`.
    pub fn at(now: DateTime<Utc>) -> Todays {
        Todays {
            wib: TimeZone::Wib.today(now),
            wita: TimeZone::Wita.today(now),
            wit: TimeZone::Wit.today(now),
        }
    }

    fn sql(&self, sql: &mut Sql, zone: &str) -> String {
        let wib = sql.param(self.wib);
        let wita = sql.param(self.wita);
        let wit = sql.param(self.wit);
        by_zone(zone, [&wib, &wita, &wit])
    }
}

fn items_cte(sql: &mut Sql, visible: &Visible, of: ItemsOf, ids: &[i64], extra: &str) -> String {
    format!(
        "items AS (
           SELECT {parent} AS parent, ai.status, ai.due_on, ai.created_at, ai.updated_at,
                  ai.verified_at, d.time_zone {extra}
           FROM action_items ai JOIN districts d ON d.id = ai.district_id
           WHERE {parents} AND {visible_opd}{restriction})",
        parent = of.column(),
        parents = sql.among(of.column(), ids),
        restriction = of.restriction(sql),
        visible_opd = visible.place(sql, "ai.district_id", "ai.opd_id"),
    )
}

/// The count columns of an action-item statistic over `ai` (joined with its
/// district `d`): one per status, overdue, and verified on time when asked.
fn count_columns(sql: &mut Sql, today: Todays, figures: ItemFigures) -> String {
    let today = today.sql(sql, "d.time_zone");
    let verified_on = sql.local_date("ai.verified_at", "d.time_zone");
    // Only the OPD's move counts as overdue (a SUBMITTED item waits on the office).
    let opds_move = statuses::sql_list(&statuses::opds_move());
    let verified_code = statuses::literal(ActionItemStatus::Verified);
    let by_status: String = ActionItemStatus::ALL
        .iter()
        .map(|s| s.as_str())
        .map(|s| format!("SUM(CASE WHEN ai.status = '{s}' THEN 1 ELSE 0 END) AS \"{s}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let on_time = match figures {
        ItemFigures::Counts => "CAST(0 AS BIGINT)".to_owned(),
        ItemFigures::WithTimeliness => {
            format!(
                "SUM(CASE WHEN ai.status = {verified_code} AND {verified_on} <= ai.due_on THEN 1 ELSE 0 END)"
            )
        }
    };
    format!(
        "{by_status},
         SUM(CASE WHEN ai.status IN {opds_move} AND ai.due_on < {today} THEN 1 ELSE 0 END) AS overdue,
         {on_time} AS verified_on_time"
    )
}

/// The statistic of the row's `parent`, as [`count_columns`] and `median` name them.
fn item_stats_of(row: &QueryResult) -> Result<ItemStats, StorageError> {
    let mut by_status = HashMap::new();
    for status in ActionItemStatus::ALL {
        let status = status.as_str();
        by_status.insert(status.to_owned(), get::<i64>(row, status)?);
    }
    Ok(ItemStats {
        parent_id: get(row, "parent")?,
        by_status,
        overdue: get(row, "overdue")?,
        verified_on_time: get(row, "verified_on_time")?,
        median_days_to_verify: get(row, "median")?,
    })
}

/// Counts by status, overdue, verified on time and the median days from
/// raising to verification, for many parents in one statement.
///
/// PostgreSQL reads each parent's items once (`percentile_cont` gives the
/// median in the same pass); SQLite has no ordered-set aggregates, so there
/// the median comes from numbering the verified items.
pub async fn action_item_stats(
    db: &impl ConnectionTrait,
    reach: &Reach,
    of: ItemsOf,
    parent_ids: &[i64],
    today: Todays,
    figures: ItemFigures,
) -> Result<Vec<ItemStats>, StorageError> {
    let backend = db.get_database_backend();
    let visible = Visible::of(reach, backend);
    let mut sql = Sql::new(backend);
    let counts = count_columns(&mut sql, today, figures);
    let days = sql.days_between("ai.created_at", "ai.verified_at");
    let items = format!(
        "FROM action_items ai JOIN districts d ON d.id = ai.district_id
         WHERE {parents} AND {visible}{restriction}",
        parents = sql.among(of.column(), parent_ids),
        visible = visible.place(&mut sql, "ai.district_id", "ai.opd_id"),
        restriction = of.restriction(&mut sql),
    );
    let verified_code = statuses::literal(ActionItemStatus::Verified);
    let verified = format!("ai.status = {verified_code} AND ai.verified_at IS NOT NULL");
    let text = match (figures, backend) {
        (ItemFigures::Counts, _) => format!(
            "SELECT {parent} AS parent, {counts}, CAST(NULL AS DOUBLE PRECISION) AS median
             {items}
             GROUP BY {parent}",
            parent = of.column(),
        ),
        (ItemFigures::WithTimeliness, DbBackend::Postgres) => format!(
            "SELECT {parent} AS parent, {counts},
               CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY {days})
                 FILTER (WHERE {verified}) AS DOUBLE PRECISION) AS median
             {items}
             GROUP BY {parent}",
            parent = of.column(),
        ),
        (ItemFigures::WithTimeliness, _) => format!(
            "WITH counts AS (
               SELECT {parent} AS parent, {counts} {items} GROUP BY {parent}),
             ordered AS (
               SELECT {parent} AS parent, {days} AS days,
                 ROW_NUMBER() OVER (PARTITION BY {parent} ORDER BY {days}) AS n,
                 COUNT(*) OVER (PARTITION BY {parent}) AS of_n
               {items} AND {verified}),
             medians AS (
               SELECT parent, AVG(days) AS median FROM ordered
               WHERE n IN ((of_n + 1) / 2, (of_n + 2) / 2) GROUP BY parent)
             SELECT c.*, CAST(m.median AS DOUBLE PRECISION) AS median
             FROM counts c LEFT JOIN medians m ON m.parent = c.parent",
            parent = of.column(),
        ),
    };
    let rows = db.query_all_raw(sql.statement(text)).await?;
    rows.iter().map(item_stats_of).collect()
}

/// How many of each parent's verified items were verified on time, and the
/// median days from raising to verification, reading only the verified items.
/// A board that counts its district's items from the per-OPD counts (see
/// [`opd_item_counts_in_districts`]) needs only these of the district: the
/// statement that also counts by status reads every item with eight sums.
pub async fn verification_timeliness(
    db: &impl ConnectionTrait,
    reach: &Reach,
    of: ItemsOf,
    parent_ids: &[i64],
) -> Result<Vec<(i64, i64, Option<f64>)>, StorageError> {
    let backend = db.get_database_backend();
    let visible = Visible::of(reach, backend);
    let mut sql = Sql::new(backend);
    let verified_on = sql.local_date("ai.verified_at", "d.time_zone");
    let days = sql.days_between("ai.created_at", "ai.verified_at");
    let on_time = format!("CASE WHEN {verified_on} <= ai.due_on THEN 1 ELSE 0 END");
    let items = format!(
        "FROM action_items ai JOIN districts d ON d.id = ai.district_id
         WHERE {parents} AND {visible}{restriction}
           AND ai.status = {verified} AND ai.verified_at IS NOT NULL",
        parents = sql.among(of.column(), parent_ids),
        visible = visible.place(&mut sql, "ai.district_id", "ai.opd_id"),
        restriction = of.restriction(&mut sql),
        verified = statuses::literal(ActionItemStatus::Verified),
    );
    let text = match backend {
        DbBackend::Postgres => format!(
            "SELECT {parent} AS parent, SUM({on_time}) AS verified_on_time,
               CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY {days}) AS DOUBLE PRECISION)
                 AS median
             {items}
             GROUP BY {parent}",
            parent = of.column(),
        ),
        // No ordered-set aggregates: the median from numbering the items.
        _ => format!(
            "WITH ordered AS (
               SELECT {parent} AS parent, {days} AS days, {on_time} AS on_time,
                 ROW_NUMBER() OVER (PARTITION BY {parent} ORDER BY {days}) AS n,
                 COUNT(*) OVER (PARTITION BY {parent}) AS of_n
               {items})
             SELECT parent, SUM(on_time) AS verified_on_time,
               CAST(AVG(CASE WHEN n IN ((of_n + 1) / 2, (of_n + 2) / 2) THEN days END)
                 AS DOUBLE PRECISION) AS median
             FROM ordered GROUP BY parent",
            parent = of.column(),
        ),
    };
    let rows = db.query_all_raw(sql.statement(text)).await?;
    rows.iter()
        .map(|row| {
            Ok((
                get(row, "parent")?,
                get::<i64>(row, "verified_on_time")?,
                get(row, "median")?,
            ))
        })
        .collect()
}

/// The counts (by status and overdue) of every OPD of many districts that has
/// items within the reach, each with its district, in one pass over the
/// districts' items (one range of their covering index). A district board
/// asks for the district's counts and its OPDs': the first are the sum of the
/// second, as every item belongs to one OPD of its district.
///
/// The items are grouped in the covering index's own order (district, OPD,
/// status), so the database counts them as it reads them, with no sort and
/// no per-item join; "overdue" is counted against each zone's date and the
/// district's zone picked once per group, and only the statuses that are the
/// OPD's move add to it, here rather than per item.
pub async fn opd_item_counts_in_districts(
    db: &impl ConnectionTrait,
    reach: &Reach,
    district_ids: &[i64],
    today: Todays,
) -> Result<Vec<(i64, ItemStats)>, StorageError> {
    let backend = db.get_database_backend();
    let visible = Visible::of(reach, backend);
    let mut sql = Sql::new(backend);
    let wib = sql.param(today.wib);
    let wita = sql.param(today.wita);
    let wit = sql.param(today.wit);
    let text = format!(
        "SELECT c.district, c.parent, c.status, c.n,
           {overdue} AS overdue
         FROM (SELECT ai.district_id AS district, ai.opd_id AS parent, ai.status, COUNT(*) AS n,
                 COUNT(CASE WHEN ai.due_on < {wib} THEN 1 END) AS due_wib,
                 COUNT(CASE WHEN ai.due_on < {wita} THEN 1 END) AS due_wita,
                 COUNT(CASE WHEN ai.due_on < {wit} THEN 1 END) AS due_wit
               FROM action_items ai
               WHERE {items_of} AND {visible}
               GROUP BY ai.district_id, ai.opd_id, ai.status) c
         JOIN districts d ON d.id = c.district
         WHERE {districts}",
        items_of = sql.among("ai.district_id", district_ids),
        visible = visible.place(&mut sql, "ai.district_id", "ai.opd_id"),
        districts = sql.among("d.id", district_ids),
        overdue = by_zone("d.time_zone", ["c.due_wib", "c.due_wita", "c.due_wit"]),
    );
    let rows = db.query_all_raw(sql.statement(text)).await?;
    let mut counted: HashMap<(i64, i64), ItemStats> = HashMap::new();
    for row in &rows {
        let district: i64 = get(row, "district")?;
        let opd: i64 = get(row, "parent")?;
        let code: String = get(row, "status")?;
        let status: ActionItemStatus = code
            .parse()
            .map_err(|_| StorageError::Corrupt(format!("action item status {code:?}")))?;
        let stats = counted.entry((district, opd)).or_insert_with(|| {
            let mut stats = ItemStats::none(opd);
            for status in ActionItemStatus::ALL {
                stats.by_status.insert(status.as_str().to_owned(), 0);
            }
            stats
        });
        stats.by_status.insert(code, get(row, "n")?);
        if status.is_opds_move() {
            stats.overdue += get::<i64>(row, "overdue")?;
        }
    }
    Ok(counted
        .into_iter()
        .map(|((district, _), stats)| (district, stats))
        .collect())
}

/// The weekly trend (burn-down) of many parents' action items: raised and
/// verified in each week, open and overdue at its end. One statement.
pub async fn weekly_trend(
    db: &impl ConnectionTrait,
    reach: &Reach,
    of: ItemsOf,
    parent_ids: &[i64],
    weeks: &[Week],
) -> Result<Vec<WeekCounts>, StorageError> {
    if weeks.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let visible = Visible::of(reach, backend);
    let mut sql = Sql::new(backend);
    let values: Vec<String> = weeks
        .iter()
        .enumerate()
        .map(|(n, week)| {
            let starts = sql.param(week.starts);
            let ends = sql.param(week.ends);
            let last_day = sql.param(week.last_day);
            format!("({n}, {starts}, {ends}, {last_day})")
        })
        .collect();
    let items = items_cte(
        &mut sql,
        &visible,
        of,
        parent_ids,
        &format!(
            ", ai.submitted_at, CASE ai.status WHEN {verified} THEN ai.verified_at \
             WHEN {cancelled} THEN ai.updated_at END AS closed_at",
            verified = statuses::literal(ActionItemStatus::Verified),
            cancelled = statuses::literal(ActionItemStatus::Cancelled),
        ),
    );
    let text = format!(
        "WITH weeks(n, starts_at, ends_at, last_day) AS (VALUES {values}),
         {items}
         SELECT i.parent, CAST(w.n AS BIGINT) AS week,
           SUM(CASE WHEN i.created_at >= w.starts_at AND i.created_at < w.ends_at
               THEN 1 ELSE 0 END) AS raised,
           SUM(CASE WHEN i.status = {verified} AND i.verified_at >= w.starts_at
                     AND i.verified_at < w.ends_at THEN 1 ELSE 0 END) AS verified,
           SUM(CASE WHEN i.created_at < w.ends_at
                     AND (i.closed_at IS NULL OR i.closed_at >= w.ends_at) THEN 1 ELSE 0 END)
             AS open_at_end,
           SUM(CASE WHEN i.created_at < w.ends_at
                     AND (i.closed_at IS NULL OR i.closed_at >= w.ends_at)
                     AND i.due_on < w.last_day
                     AND NOT (i.status IN {awaiting} AND i.submitted_at < w.ends_at)
                     THEN 1 ELSE 0 END) AS overdue_at_end
         FROM items i CROSS JOIN weeks w
         GROUP BY i.parent, w.n
         ORDER BY i.parent, w.n",
        values = values.join(", "),
        verified = statuses::literal(ActionItemStatus::Verified),
        awaiting = statuses::sql_list(&statuses::awaiting_verification()),
    );
    let rows = db.query_all_raw(sql.statement(text)).await?;
    rows.iter()
        .map(|row| {
            Ok(WeekCounts {
                parent_id: get(row, "parent")?,
                week: get(row, "week")?,
                raised: get(row, "raised")?,
                verified: get(row, "verified")?,
                open_at_end: get(row, "open_at_end")?,
                overdue_at_end: get(row, "overdue_at_end")?,
            })
        })
        .collect()
}
