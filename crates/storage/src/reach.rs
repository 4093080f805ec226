//! The caller's reach as one SQL condition per kind of record. This is the
//! only place that decides which rows a caller may read; every list, count,
//! lookup by id and aggregate goes through it.

use pendamping_domain::identity::Reach;
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
    Query::select()
        .column(districts::Column::Id)
        .from(districts::Entity)
        .and_where(districts::Column::OfficeId.is_in(ids(&reach.offices, |id| id.0)))
        .take()
}

fn districts_of_opds(reach: &Reach) -> SelectStatement {
    Query::select()
        .column(opds::Column::DistrictId)
        .from(opds::Entity)
        .and_where(opds::Column::Id.is_in(ids(&reach.opds, |id| id.0)))
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
    if !reach.districts.is_empty() {
        parts.push(
            Condition::all().add(
                offices::Column::Id.in_subquery(
                    Query::select()
                        .column(districts::Column::OfficeId)
                        .from(districts::Entity)
                        .and_where(districts::Column::Id.is_in(ids(&reach.districts, |i| i.0)))
                        .take(),
                ),
            ),
        );
    }
    if !reach.opds.is_empty() {
        parts.push(
            Condition::all().add(
                offices::Column::Id.in_subquery(
                    Query::select()
                        .column(districts::Column::OfficeId)
                        .from(districts::Entity)
                        .and_where(districts::Column::Id.in_subquery(districts_of_opds(reach)))
                        .take(),
                ),
            ),
        );
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
    let column = || Expr::col(column.clone());
    if reach.everything {
        return Condition::all();
    }
    let mut parts = Vec::new();
    if !reach.offices.is_empty() {
        parts.push(Condition::all().add(column().in_subquery(districts_of_offices(reach))));
    }
    if !reach.districts.is_empty() {
        parts.push(Condition::all().add(column().is_in(ids(&reach.districts, |i| i.0))));
    }
    if !reach.opds.is_empty() {
        parts.push(Condition::all().add(column().in_subquery(districts_of_opds(reach))));
    }
    any_of(parts)
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
    let district = || Expr::col(district.clone());
    if reach.everything {
        return Condition::all();
    }
    let mut parts = Vec::new();
    if !reach.offices.is_empty() {
        parts.push(Condition::all().add(district().in_subquery(districts_of_offices(reach))));
    }
    if !reach.districts.is_empty() {
        parts.push(Condition::all().add(district().is_in(ids(&reach.districts, |i| i.0))));
    }
    if !reach.opds.is_empty() {
        parts.push(Condition::all().add(Expr::col(opd.clone()).is_in(ids(&reach.opds, |i| i.0))));
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
            Condition::all().add(
                agreements::Column::Id.in_subquery(
                    Query::select()
                        .column(agreement_opds::Column::AgreementId)
                        .from(agreement_opds::Entity)
                        .and_where(agreement_opds::Column::OpdId.is_in(ids(&reach.opds, |i| i.0)))
                        .take(),
                ),
            ),
        );
    }
    any_of(parts)
}

/// Rows keyed by an agreement id column, readable with their agreement.
pub(crate) fn via_agreement<C: ColumnTrait>(reach: &Reach, column: C) -> Condition {
    if reach.everything {
        return Condition::all();
    }
    Condition::all().add(
        column.in_subquery(
            Query::select()
                .column(agreements::Column::Id)
                .from(agreements::Entity)
                .cond_where(agreements(reach))
                .take(),
        ),
    )
}

/// Rows keyed by an action item id column, readable with their action item.
pub(crate) fn via_action_item<C: ColumnTrait>(reach: &Reach, column: C) -> Condition {
    if reach.everything {
        return Condition::all();
    }
    Condition::all().add(
        column.in_subquery(
            Query::select()
                .column(action_items::Column::Id)
                .from(action_items::Entity)
                .cond_where(action_items(reach))
                .take(),
        ),
    )
}

/// OPD scores go with their OPD; a district's own score with its district.
pub(crate) fn score_records(reach: &Reach) -> Condition {
    if reach.everything {
        return Condition::all();
    }
    let own_opd = district_or_opd_columns(
        reach,
        score_records::Column::DistrictId,
        score_records::Column::OpdId,
    );
    let district_level = Condition::all()
        .add(score_records::Column::OpdId.is_null())
        .add(district_column(reach, score_records::Column::DistrictId));
    Condition::any().add(own_opd).add(district_level)
}

/// The audit log is read by the offices and districts it concerns; OPD
/// officers read their records' history through the records themselves.
pub(crate) fn audit_events(reach: &Reach) -> Condition {
    if reach.everything {
        return Condition::all();
    }
    let mut parts = Vec::new();
    if !reach.offices.is_empty() {
        parts.push(
            Condition::all()
                .add(audit_events::Column::OfficeId.is_in(ids(&reach.offices, |i| i.0))),
        );
        parts.push(
            Condition::all()
                .add(audit_events::Column::DistrictId.in_subquery(districts_of_offices(reach))),
        );
    }
    if !reach.districts.is_empty() {
        parts.push(
            Condition::all()
                .add(audit_events::Column::DistrictId.is_in(ids(&reach.districts, |i| i.0))),
        );
    }
    any_of(parts)
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

/// The condition of [`district_column`] (the districts the caller reaches),
/// rendered as SQL text over a hand-written statement's column.
pub(crate) fn district_sql(reach: &Reach, backend: DbBackend, column: &str) -> String {
    sql_text(district_of(reach, sql_column(column)), backend)
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
    let mut parts = Vec::new();
    if !reach.offices.is_empty() {
        parts.push(Condition::all().add(E::OfficeId.is_in(ids(&reach.offices, |i| i.0))));
        parts.push(Condition::all().add(E::DistrictId.in_subquery(districts_of_offices(reach))));
    }
    if !reach.districts.is_empty() {
        parts.push(Condition::all().add(E::DistrictId.is_in(ids(&reach.districts, |i| i.0))));
    }
    if !reach.opds.is_empty() {
        parts.push(Condition::all().add(E::OpdId.is_in(ids(&reach.opds, |i| i.0))));
        parts.push(
            Condition::all().add(E::OpdId.is_null()).add(
                E::AgreementId.in_subquery(
                    Query::select()
                        .column(agreement_opds::Column::AgreementId)
                        .from(agreement_opds::Entity)
                        .and_where(agreement_opds::Column::OpdId.is_in(ids(&reach.opds, |i| i.0)))
                        .take(),
                ),
            ),
        );
    }
    any_of(parts)
}

/// Records of a district as a whole (`opd` NULL) or of one of its OPDs, read
/// like score records: score targets.
pub(crate) fn district_or_opd_subject<C: ColumnTrait + Copy>(
    reach: &Reach,
    district: C,
    opd: C,
) -> Condition {
    if reach.everything {
        return Condition::all();
    }
    let own_opd = district_or_opd_columns(reach, district, opd);
    let district_level = Condition::all()
        .add(opd.is_null())
        .add(district_column(reach, district));
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
        for backend in [DbBackend::Sqlite, DbBackend::Postgres] {
            assert_eq!(district_or_opd_sql(&all, backend, "d", "o"), "(TRUE)");
            assert_eq!(district_sql(&none, backend, "d"), "(1 = 0)");
        }
    }
}
