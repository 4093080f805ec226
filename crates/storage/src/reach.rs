//! The caller's reach as one SQL condition per kind of record. This is the
//! only place that decides which rows a caller may read; every list, count,
//! lookup by id and aggregate goes through it.

use pendamping_domain::identity::Reach;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition};

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
    if reach.everything {
        return Condition::all();
    }
    let mut parts = Vec::new();
    if !reach.offices.is_empty() {
        parts.push(Condition::all().add(column.in_subquery(districts_of_offices(reach))));
    }
    if !reach.districts.is_empty() {
        parts.push(Condition::all().add(column.is_in(ids(&reach.districts, |i| i.0))));
    }
    if !reach.opds.is_empty() {
        parts.push(Condition::all().add(column.in_subquery(districts_of_opds(reach))));
    }
    any_of(parts)
}

/// Records of whole districts (offices, districts) or of single OPDs: an OPD
/// officer reads only rows of its own OPD.
fn district_or_opd_columns<C: ColumnTrait>(reach: &Reach, district: C, opd: C) -> Condition {
    if reach.everything {
        return Condition::all();
    }
    let mut parts = Vec::new();
    if !reach.offices.is_empty() {
        parts.push(Condition::all().add(district.in_subquery(districts_of_offices(reach))));
    }
    if !reach.districts.is_empty() {
        parts.push(Condition::all().add(district.is_in(ids(&reach.districts, |i| i.0))));
    }
    if !reach.opds.is_empty() {
        parts.push(Condition::all().add(opd.is_in(ids(&reach.opds, |i| i.0))));
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

/// [`district_or_opd_columns`] as SQL text over any pair of district and OPD
/// id columns (`ai.district_id`, `ai.opd_id`), for the hand-written analytic
/// statements: predicates on the rows' own columns, which the planner serves
/// from their indexes. The only values are ids, typed as integers.
pub(crate) fn district_or_opd_sql(reach: &Reach, district: &str, opd: &str) -> String {
    if reach.everything {
        return "1 = 1".to_owned();
    }
    let list = |values: Vec<i64>| {
        values
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !reach.offices.is_empty() {
        parts.push(format!(
            "{district} IN (SELECT id FROM districts WHERE office_id IN ({}))",
            list(ids(&reach.offices, |i| i.0))
        ));
    }
    if !reach.districts.is_empty() {
        parts.push(format!(
            "{district} IN ({})",
            list(ids(&reach.districts, |i| i.0))
        ));
    }
    if !reach.opds.is_empty() {
        parts.push(format!("{opd} IN ({})", list(ids(&reach.opds, |i| i.0))));
    }
    if parts.is_empty() {
        return "1 = 0".to_owned();
    }
    format!("({})", parts.join(" OR "))
}

/// The districts the caller reaches, as an SQL subquery
/// (`SELECT id FROM districts WHERE …`) for the hand-written analytic
/// statements. The condition is the one above; the only values are ids,
/// inlined by sea-query.
pub(crate) fn districts_subquery(reach: &Reach, backend: sea_orm::DbBackend) -> String {
    let visible = Query::select()
        .column((districts::Entity, districts::Column::Id))
        .from(districts::Entity)
        .cond_where(districts(reach))
        .take();
    match backend {
        sea_orm::DbBackend::Postgres => visible.to_string(sea_orm::sea_query::PostgresQueryBuilder),
        _ => visible.to_string(sea_orm::sea_query::SqliteQueryBuilder),
    }
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
