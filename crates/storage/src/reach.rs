//! The caller's reach as one SQL condition per kind of record. This is the
//! only place that decides which rows a caller may read; every list, count,
//! lookup by id and aggregate goes through it.

use pendamping_domain::identity::Reach;
use sea_orm::sea_query::extension::postgres::PgFunc;
use sea_orm::sea_query::{
    Alias, ColumnRef, Expr, ExprTrait, IntoColumnRef, PostgresQueryBuilder, Query, QueryBuilder,
    SelectStatement, SqliteQueryBuilder,
};
use sea_orm::{ColumnTrait, Condition, DbBackend};

use crate::entity::{
    action_items, agreement_opds, agreements, audit_events, districts, offices, opds, score_records,
};

fn ids<T: Copy>(set: &std::collections::BTreeSet<T>, raw: impl Fn(T) -> i64) -> Vec<i64> {
    set.iter().map(|id| raw(*id)).collect()
}

/// Matches no row. An empty `any` condition would do too, but this says so.
fn nothing() -> Condition {
    Condition::all().add(Expr::val(1).eq(0))
}

/// `Condition::any()` over the parts that apply; nothing when none do.
fn any_of(parts: Vec<Condition>) -> Condition {
    if parts.is_empty() {
        return nothing();
    }
    parts.into_iter().fold(Condition::any(), Condition::add)
}

fn districts_of_offices(reach: &Reach) -> SelectStatement {
    districts_of_offices_matched(reach, &mut in_list)
}

/// How a set of ids is matched: `column IN (…)` with the ids as values, or
/// (in a hand-written statement on PostgreSQL) `column = ANY($n)` with the
/// ids bound as one array, so the statement's text is the same for every caller.
type Matcher<'a> = dyn FnMut(Expr, Vec<i64>) -> Expr + 'a;

fn in_list(column: Expr, ids: Vec<i64>) -> Expr {
    column.is_in(ids)
}

fn districts_of_offices_matched(reach: &Reach, matches: &mut Matcher<'_>) -> SelectStatement {
    Query::select()
        .column(districts::Column::Id)
        .from(districts::Entity)
        .and_where(matches(
            Expr::col(districts::Column::OfficeId.as_column_ref()),
            ids(&reach.offices, |id| id.0),
        ))
        .take()
}

fn districts_of_opds(reach: &Reach) -> SelectStatement {
    districts_of_opds_matched(reach, &mut in_list)
}

fn districts_of_opds_matched(reach: &Reach, matches: &mut Matcher<'_>) -> SelectStatement {
    Query::select()
        .column(opds::Column::DistrictId)
        .from(opds::Entity)
        .and_where(matches(
            Expr::col(opds::Column::Id.as_column_ref()),
            ids(&reach.opds, |id| id.0),
        ))
        .take()
}

pub(crate) fn offices(reach: &Reach) -> Condition {
    if reach.everything {
        return Condition::all();
    }
    let mut parts = Vec::new();
    if !reach.offices.is_empty() {
        parts.push(Condition::all().add(offices::Column::Id.is_in(ids(&reach.offices, |i| i.0))));
    }
    // The offices of the caller's districts, and of its OPDs' districts.
    let offices_of_districts = |which: Expr| {
        let select = Query::select()
            .column(districts::Column::OfficeId)
            .from(districts::Entity)
            .and_where(which)
            .take();
        Condition::all().add(offices::Column::Id.in_subquery(select))
    };
    if !reach.districts.is_empty() {
        parts.push(offices_of_districts(
            districts::Column::Id.is_in(ids(&reach.districts, |i| i.0)),
        ));
    }
    if !reach.opds.is_empty() {
        parts.push(offices_of_districts(
            districts::Column::Id.in_subquery(districts_of_opds(reach)),
        ));
    }
    any_of(parts)
}

/// Districts: whole offices' districts, own districts, and an OPD officer's own district.
pub(crate) fn districts(reach: &Reach) -> Condition {
    district_column(reach, districts::Column::Id)
}

/// Any record keyed by a district id column, readable by whoever reads that district.
fn district_column<C: ColumnTrait>(reach: &Reach, column: C) -> Condition {
    district_of(reach, column.as_column_ref().into_column_ref())
}

/// [`district_column`] over any column reference (an entity's, or an aliased
/// one of a hand-written statement).
fn district_of(reach: &Reach, column: ColumnRef) -> Condition {
    district_of_matched(reach, column, &mut in_list)
}

/// [`district_of`], matching each set of ids with `matches`.
fn district_of_matched(reach: &Reach, column: ColumnRef, matches: &mut Matcher<'_>) -> Condition {
    reach_matched(reach, column, OpdPart::ViaDistrict, matches)
}

/// Records of whole districts (offices, districts) or of single OPDs: an OPD
/// officer reads only rows of its own OPD.
fn district_or_opd_columns<C: ColumnTrait>(reach: &Reach, district: C, opd: C) -> Condition {
    district_or_opd(
        reach,
        district.as_column_ref().into_column_ref(),
        opd.as_column_ref().into_column_ref(),
    )
}

/// [`district_or_opd_columns`] over any column references.
fn district_or_opd(reach: &Reach, district: ColumnRef, opd: ColumnRef) -> Condition {
    district_or_opd_matched(reach, district, opd, &mut in_list)
}

/// [`district_or_opd`], matching each set of ids with `matches`.
fn district_or_opd_matched(
    reach: &Reach,
    district: ColumnRef,
    opd: ColumnRef,
    matches: &mut Matcher<'_>,
) -> Condition {
    reach_matched(reach, district, OpdPart::Column(opd), matches)
}

/// How an OPD officer's reach meets a record.
enum OpdPart {
    /// Through the district the OPD lies in: the record is the whole district's.
    ViaDistrict,
    /// By the record's own OPD column: only rows of the officer's OPD.
    Column(ColumnRef),
}

/// The one reach rule: everything; or a whole office's districts, own
/// districts, and the officer's OPD as `opd` says, each set of ids matched
/// with `matches`.
fn reach_matched(
    reach: &Reach,
    district: ColumnRef,
    opd: OpdPart,
    matches: &mut Matcher<'_>,
) -> Condition {
    let district = || Expr::col(district.clone());
    if reach.everything {
        return Condition::all();
    }
    let mut parts = Vec::new();
    if !reach.offices.is_empty() {
        parts.push(
            Condition::all()
                .add(district().in_subquery(districts_of_offices_matched(reach, &mut *matches))),
        );
    }
    if !reach.districts.is_empty() {
        parts.push(Condition::all().add(matches(district(), ids(&reach.districts, |i| i.0))));
    }
    if !reach.opds.is_empty() {
        let own = match opd {
            OpdPart::ViaDistrict => {
                district().in_subquery(districts_of_opds_matched(reach, &mut *matches))
            }
            OpdPart::Column(opd) => matches(Expr::col(opd), ids(&reach.opds, |i| i.0)),
        };
        parts.push(Condition::all().add(own));
    }
    any_of(parts)
}

pub(crate) fn opds(reach: &Reach) -> Condition {
    district_or_opd_columns(reach, opds::Column::DistrictId, opds::Column::Id)
}

pub(crate) fn action_items(reach: &Reach) -> Condition {
    district_or_opd_columns(
        reach,
        action_items::Column::DistrictId,
        action_items::Column::OpdId,
    )
}

/// Agreements of the caller's offices or districts, and for an OPD officer
/// those that have its OPD in scope.
pub(crate) fn agreements(reach: &Reach) -> Condition {
    if reach.everything {
        return Condition::all();
    }
    let mut parts = Vec::new();
    if !reach.offices.is_empty() {
        parts.push(
            Condition::all().add(agreements::Column::OfficeId.is_in(ids(&reach.offices, |i| i.0))),
        );
    }
    if !reach.districts.is_empty() {
        parts.push(
            Condition::all()
                .add(agreements::Column::DistrictId.is_in(ids(&reach.districts, |i| i.0))),
        );
    }
    if !reach.opds.is_empty() {
        parts.push(
            Condition::all().add(agreements::Column::Id.in_subquery(agreements_of_opds(reach))),
        );
    }
    any_of(parts)
}

/// The agreements that have one of the reach's OPDs in scope.
fn agreements_of_opds(reach: &Reach) -> SelectStatement {
    Query::select()
        .column(agreement_opds::Column::AgreementId)
        .from(agreement_opds::Entity)
        .and_where(agreement_opds::Column::OpdId.is_in(ids(&reach.opds, |i| i.0)))
        .take()
}

/// Rows keyed by an agreement id column, readable with their agreement.
pub(crate) fn via_agreement<C: ColumnTrait>(reach: &Reach, column: C) -> Condition {
    via(
        reach,
        column,
        agreements::Entity,
        agreements::Column::Id,
        agreements,
    )
}

/// Rows keyed by an action item id column, readable with their action item.
pub(crate) fn via_action_item<C: ColumnTrait>(reach: &Reach, column: C) -> Condition {
    via(
        reach,
        column,
        action_items::Entity,
        action_items::Column::Id,
        action_items,
    )
}

/// Rows whose `column` names a parent row (`id` of `parent`), readable with
/// their parent, which the caller reads by `readable`.
fn via<C: ColumnTrait, P: sea_orm::EntityTrait>(
    reach: &Reach,
    column: C,
    parent: P,
    id: P::Column,
    readable: fn(&Reach) -> Condition,
) -> Condition {
    if reach.everything {
        return Condition::all();
    }
    Condition::all().add(
        column.in_subquery(
            Query::select()
                .column(id)
                .from(parent)
                .cond_where(readable(reach))
                .take(),
        ),
    )
}

/// OPD scores go with their OPD; a district's own score with its district.
pub(crate) fn score_records(reach: &Reach) -> Condition {
    district_or_opd_subject(
        reach,
        score_records::Column::DistrictId,
        score_records::Column::OpdId,
    )
}

/// The audit log is read by the offices and districts it concerns; OPD
/// officers read their records' history through the records themselves.
pub(crate) fn audit_events(reach: &Reach) -> Condition {
    if reach.everything {
        return Condition::all();
    }
    any_of(by_place(
        reach,
        audit_events::Column::OfficeId,
        audit_events::Column::DistrictId,
    ))
}

/// The parts of the reach over a record's place columns: an office's readers
/// read the office's records and its districts', a district's readers the
/// district's.
fn by_place<C: ColumnTrait>(reach: &Reach, office: C, district: C) -> Vec<Condition> {
    let mut parts = Vec::new();
    if !reach.offices.is_empty() {
        parts.push(Condition::all().add(office.is_in(ids(&reach.offices, |i| i.0))));
        parts.push(Condition::all().add(district.in_subquery(districts_of_offices(reach))));
    }
    if !reach.districts.is_empty() {
        parts.push(Condition::all().add(district.is_in(ids(&reach.districts, |i| i.0))));
    }
    parts
}

/// A column of a hand-written statement, `alias.column` or `column`.
fn sql_column(name: &str) -> ColumnRef {
    match name.split_once('.') {
        Some((table, column)) => (Alias::new(table), Alias::new(column)).into_column_ref(),
        None => Alias::new(name).into_column_ref(),
    }
}

/// A condition as SQL text, in parentheses. The only values in a reach are
/// ids, integers inlined by sea-query.
fn sql_text(condition: Condition, backend: DbBackend) -> String {
    let expr: Expr = condition.into();
    let mut text = String::new();
    match backend {
        DbBackend::Postgres => PostgresQueryBuilder.prepare_expr(&expr, &mut text),
        _ => SqliteQueryBuilder.prepare_expr(&expr, &mut text),
    }
    format!("({text})")
}

/// The condition of [`district_or_opd_columns`], rendered as SQL text over
/// the columns of a hand-written analytic statement (`ai.district_id`,
/// `ai.opd_id`): the same value, so the rule cannot drift between the ORM
/// queries and the raw statements.
pub(crate) fn district_or_opd_sql(
    reach: &Reach,
    backend: DbBackend,
    district: &str,
    opd: &str,
) -> String {
    sql_text(
        district_or_opd(reach, sql_column(district), sql_column(opd)),
        backend,
    )
}

/// A placeholder for one bound value of a hand-written statement (`$n`).
pub(crate) type Bind<'a> = dyn FnMut(sea_orm::Value) -> String + 'a;

/// How [`district_or_opd_bound`] and [`district_bound`] match a set of ids:
/// on PostgreSQL `column = ANY($n)`, the ids bound through `bind` as one
/// array, so the statement's text is the same whoever asks (a new text is
/// parsed and planned again); SQLite inlines them as before.
fn bound<'a>(backend: DbBackend, bind: &'a mut Bind<'_>) -> Box<Matcher<'a>> {
    match backend {
        DbBackend::Postgres => Box::new(move |column: Expr, ids: Vec<i64>| {
            column.eq(PgFunc::any(Expr::cust(bind(ids.into()))))
        }),
        _ => Box::new(in_list),
    }
}

/// [`district_or_opd_sql`] with the reach's ids bound rather than inlined on
/// PostgreSQL: the same condition, a text that does not change with the caller.
pub(crate) fn district_or_opd_bound(
    reach: &Reach,
    backend: DbBackend,
    district: &str,
    opd: &str,
    bind: &mut Bind<'_>,
) -> String {
    let condition = district_or_opd_matched(
        reach,
        sql_column(district),
        sql_column(opd),
        &mut *bound(backend, bind),
    );
    sql_text(condition, backend)
}

/// [`district_sql`] with the reach's ids bound on PostgreSQL (see
/// [`district_or_opd_bound`]).
pub(crate) fn district_bound(
    reach: &Reach,
    backend: DbBackend,
    column: &str,
    bind: &mut Bind<'_>,
) -> String {
    let condition = district_of_matched(reach, sql_column(column), &mut *bound(backend, bind));
    sql_text(condition, backend)
}

/// Domain events go with the record they report, by the place columns the
/// outbox carries: an office's and a district's events to their readers; an
/// OPD officer hears its own OPD's events and those of the agreements that
/// have its OPD in scope (as it reads those agreements).
pub(crate) fn domain_events(reach: &Reach) -> Condition {
    use crate::entity::domain_events::Column as E;
    if reach.everything {
        return Condition::all();
    }
    let mut parts = by_place(reach, E::OfficeId, E::DistrictId);
    if !reach.opds.is_empty() {
        parts.push(Condition::all().add(E::OpdId.is_in(ids(&reach.opds, |i| i.0))));
        parts.push(
            Condition::all()
                .add(E::OpdId.is_null())
                .add(E::AgreementId.in_subquery(agreements_of_opds(reach))),
        );
    }
    any_of(parts)
}

/// Records of a district as a whole (`opd` NULL) or of one of its OPDs, read
/// like score records: an office's or a district's reader reads all of the
/// district's (its own rows included), an OPD officer its OPD's and its
/// district's own. Only that last arm needs a second condition; leaving it
/// out for the others keeps the statement one index range.
pub(crate) fn district_or_opd_subject<C: ColumnTrait + Copy>(
    reach: &Reach,
    district: C,
    opd: C,
) -> Condition {
    if reach.everything {
        return Condition::all();
    }
    let own_opd = district_or_opd_columns(reach, district, opd);
    if reach.opds.is_empty() {
        return own_opd;
    }
    let district_level = Condition::all()
        .add(opd.is_null())
        .add(district.in_subquery(districts_of_opds(reach)));
    Condition::any().add(own_opd).add(district_level)
}

#[cfg(test)]
mod tests {
    use pendamping_domain::identity::Reach;
    use pendamping_domain::reference::{DistrictId, OfficeId, OpdId};
    use sea_orm::{DbBackend, EntityTrait, QueryFilter, QueryTrait};

    use super::*;

    fn reach() -> Reach {
        Reach {
            everything: false,
            offices: [OfficeId(1)].into(),
            districts: [DistrictId(2), DistrictId(3)].into(),
            opds: [OpdId(4)].into(),
        }
    }

    /// The text of a hand-written statement's reach is the ORM's condition,
    /// over other columns: the two spellings cannot drift apart.
    #[test]
    fn the_sql_text_is_the_orm_condition_over_the_statements_columns() {
        let text = district_or_opd_sql(&reach(), DbBackend::Sqlite, "ai.district_id", "ai.opd_id");
        let orm = action_items::Entity::find()
            .filter(action_items(&reach()))
            .build(DbBackend::Sqlite)
            .to_string();
        let orm_where = orm.split_once(" WHERE ").expect("a WHERE clause").1;
        let renamed = text
            .replace("\"ai\".\"district_id\"", "\"action_items\".\"district_id\"")
            .replace("\"ai\".\"opd_id\"", "\"action_items\".\"opd_id\"");
        assert_eq!(format!("({orm_where})"), renamed);
        assert!(text.contains("\"ai\".\"district_id\" IN (2, 3)"), "{text}");
        assert!(text.contains("\"ai\".\"opd_id\" IN (4)"), "{text}");
        assert!(text.contains("\"office_id\" IN (1)"), "{text}");
    }

    #[test]
    fn everything_and_nothing_render_as_constants() {
        let all = Reach {
            everything: true,
            ..Reach::default()
        };
        let none = Reach::default();
        let mut no_values = |_: sea_orm::Value| -> String { unreachable!("nothing to bind") };
        for backend in [DbBackend::Sqlite, DbBackend::Postgres] {
            assert_eq!(district_or_opd_sql(&all, backend, "d", "o"), "(TRUE)");
            assert_eq!(
                district_bound(&none, backend, "d", &mut no_values),
                "(1 = 0)"
            );
            assert_eq!(
                district_or_opd_bound(&all, backend, "d", "o", &mut no_values),
                "(TRUE)"
            );
        }
    }

    /// On PostgreSQL a hand-written statement binds the reach's ids, one
    /// array per set: two callers of the same kind share one statement text
    /// (planned once per connection), and the ids travel as values.
    #[test]
    fn bound_reach_text_does_not_change_with_the_ids() {
        let render = |reach: &Reach| {
            let mut values = Vec::new();
            let text = district_or_opd_bound(
                reach,
                DbBackend::Postgres,
                "ai.district_id",
                "ai.opd_id",
                &mut |value| {
                    values.push(value);
                    format!("${}", values.len())
                },
            );
            (text, values)
        };
        let other = Reach {
            everything: false,
            offices: [OfficeId(7)].into(),
            districts: [DistrictId(8), DistrictId(9), DistrictId(10)].into(),
            opds: [OpdId(11), OpdId(12)].into(),
        };
        let (text, values) = render(&reach());
        let (other_text, other_values) = render(&other);
        assert_eq!(text, other_text);
        assert!(text.contains("\"ai\".\"district_id\" = ANY($2)"), "{text}");
        assert!(text.contains("\"ai\".\"opd_id\" = ANY($3)"), "{text}");
        assert!(
            text.contains("\"districts\".\"office_id\" = ANY($1)"),
            "{text}"
        );
        assert_eq!(values[1], sea_orm::Value::from(vec![2_i64, 3]));
        assert_eq!(other_values[1], sea_orm::Value::from(vec![8_i64, 9, 10]));
        // SQLite inlines them, exactly as the ORM condition does.
        let mut no_values = |_: sea_orm::Value| -> String { unreachable!("SQLite inlines") };
        assert_eq!(
            district_or_opd_bound(
                &reach(),
                DbBackend::Sqlite,
                "ai.district_id",
                "ai.opd_id",
                &mut no_values
            ),
            district_or_opd_sql(&reach(), DbBackend::Sqlite, "ai.district_id", "ai.opd_id")
        );
    }
}
