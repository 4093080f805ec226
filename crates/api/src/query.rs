//! The root `Query`.

use async_graphql::{Context, ID, InputObject, Object};

use crate::connection::{page_complexity, page_request};
use crate::context::{reader, request};
use crate::error::{OrGql, bad_argument};
use crate::id::{Kind, decode_opt};
use crate::total::Total;
use crate::types::analytics::{RankedScore, period_and_previous};
use crate::types::audit::{
    AUDIT_NEWEST_FIRST, AuditEvent, AuditEventConnection, AuditEventsFilter,
};
use crate::types::enums::ScoreKind;
use crate::types::notification::{
    NOTIFICATIONS_NEWEST_FIRST, Notification, NotificationConnection,
};
use crate::types::reference::{
    District, DistrictConnection, DistrictsFilter, NameOrder, Office, OfficeConnection, Opd,
    OpdConnection, OpdsFilter, wrap,
};
use crate::types::scores::{
    AssessmentPeriod, Methodology, PERIODS_BY_YEAR, SCORES_BY_ID, ScoreEntry,
};
use crate::types::user::{User, Viewer};
use crate::types::work::{
    AGREEMENTS_BY_ID, ActionItem, ActionItemConnection, ActionItemOrder, ActionItemsFilterInput,
    Agreement, AgreementConnection, AgreementsFilter,
};
use crate::types::{Node, load_node};

crate::connection::connection!(
    AssessmentPeriodConnection,
    AssessmentPeriodEdge,
    AssessmentPeriod,
    "assessment periods"
);
crate::connection::connection!(
    ScoreRecordConnection,
    ScoreRecordEdge,
    ScoreEntry,
    "score records"
);

/// The most IDs one `nodes` call may ask for.
const MAX_NODES: usize = 100;

/// Which score records to list.
#[derive(InputObject, Debug, Default)]
pub struct ScoreRecordsFilter {
    /// Only scores of this district (its own and its OPDs').
    pub district_id: Option<ID>,
    /// Only scores of this OPD.
    pub opd_id: Option<ID>,
    /// Only districts' own scores (true) or only OPDs' scores (false).
    pub district_level: Option<bool>,
    /// Only scores of this period.
    pub period_id: Option<ID>,
    /// Only scores of this kind.
    pub kind: Option<ScoreKind>,
    /// Include superseded revisions (default: only the revision in force).
    #[graphql(default)]
    pub include_superseded: bool,
}

#[derive(Default)]
pub struct Query;

async fn rank(
    ctx: &Context<'_>,
    of: pendamping_engine::RankingOf,
    year: i32,
    filter: pendamping_engine::RankingFilter,
    first: i32,
) -> async_graphql::Result<Vec<RankedScore>> {
    let max = pendamping_engine::MAX_RANKING as i32;
    if !(1..=max).contains(&first) {
        return Err(bad_argument(
            "first",
            format!("must be between 1 and {max}"),
        ));
    }
    let Some((period, _, _)) = period_and_previous(ctx, Some(year), None).await? else {
        return Ok(Vec::new());
    };
    let opds = of == pendamping_engine::RankingOf::Opds;
    Ok(reader(ctx)?
        .ranking(of, filter, period.id, first as u32)
        .await
        .gql()?
        .into_iter()
        .map(|row| RankedScore(row, opds))
        .collect())
}

/// Reading Pendamping: every field answers only what the caller may see.
#[Object(name = "CoreQuery")]
impl Query {
    /// Any object by its global ID; null when it does not exist or is outside your scope.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global ID.")] id: ID,
    ) -> async_graphql::Result<Option<Node>> {
        reader(ctx)?;
        load_node(ctx, &id).await
    }

    /// Several objects by global ID, in the order asked (at most 100); null for each one not found or not yours.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        ids: Vec<ID>,
    ) -> async_graphql::Result<Vec<Option<Node>>> {
        reader(ctx)?;
        if ids.len() > MAX_NODES {
            return Err(bad_argument(
                "ids",
                format!("at most {MAX_NODES} IDs per call"),
            ));
        }
        let mut found = Vec::with_capacity(ids.len());
        for id in &ids {
            found.push(load_node(ctx, id).await?);
        }
        Ok(found)
    }

    /// The caller: user and roles. Null when not logged in.
    async fn viewer(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Viewer>> {
        let rc = request(ctx)?;
        let Some(actor) = &rc.actor else {
            return Ok(None);
        };
        let user = match actor.user_id {
            Some(id) => rc.engine.user(id).await.gql()?.map(|u| User {
                user: u,
                assignments: Some(actor.assignments.clone()),
                account: None,
                email_shown: true,
            }),
            None => None,
        };
        Ok(Some(Viewer {
            label: actor.label.clone(),
            user,
            assignments: actor.assignments.clone(),
        }))
    }

    /// Ombudsman offices.
    #[graphql(complexity = "page_complexity(child_complexity, first, last)")]
    async fn offices(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Sort order (default: by name).")] order_by: Option<NameOrder>,
        #[graphql(desc = "Take this many items from the start (at most 100; default 20).")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "Take this many items from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<OfficeConnection> {
        let order = order_by.unwrap_or_default();
        let tag = order.tag("office");
        let page = page_request(first, after.as_deref(), last, before.as_deref(), tag)?;
        let found = reader(ctx)?.offices(order.engine(), &page).await.gql()?;
        Ok(OfficeConnection::new(
            tag,
            wrap(found, Office),
            Total::Offices,
        ))
    }

    /// Districts (local governments).
    #[graphql(complexity = "page_complexity(child_complexity, first, last)")]
    async fn districts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which districts.")] filter: Option<DistrictsFilter>,
        #[graphql(desc = "Sort order (default: by name).")] order_by: Option<NameOrder>,
        #[graphql(desc = "Take this many items from the start (at most 100; default 20).")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "Take this many items from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<DistrictConnection> {
        let filter = filter.unwrap_or_default();
        let filter = pendamping_engine::DistrictFilter {
            office_id: decode_opt("filter.officeId", Kind::Office, filter.office_id.as_ref())?,
            kind: filter.kind.map(Into::into),
        };
        let order = order_by.unwrap_or_default();
        let tag = order.tag("district");
        let page = page_request(first, after.as_deref(), last, before.as_deref(), tag)?;
        let found = reader(ctx)?
            .districts(&filter, order.engine(), &page)
            .await
            .gql()?;
        Ok(DistrictConnection::new(
            tag,
            wrap(found, District),
            Total::Districts(filter),
        ))
    }

    /// OPDs (work units of districts).
    #[graphql(complexity = "page_complexity(child_complexity, first, last)")]
    async fn opds(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which OPDs.")] filter: Option<OpdsFilter>,
        #[graphql(desc = "Sort order (default: by name).")] order_by: Option<NameOrder>,
        #[graphql(desc = "Take this many items from the start (at most 100; default 20).")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "Take this many items from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<OpdConnection> {
        let filter = filter.unwrap_or_default();
        let filter = pendamping_engine::OpdFilter {
            district_id: decode_opt(
                "filter.districtId",
                Kind::District,
                filter.district_id.as_ref(),
            )?,
            kind: filter.kind.map(Into::into),
            name_contains: filter.name_contains,
        };
        let order = order_by.unwrap_or_default();
        let tag = order.tag("opd");
        let page = page_request(first, after.as_deref(), last, before.as_deref(), tag)?;
        let found = reader(ctx)?
            .opds(&filter, order.engine(), &page)
            .await
            .gql()?;
        Ok(OpdConnection::new(
            tag,
            wrap(found, Opd),
            Total::Opds(filter),
        ))
    }

    /// Cooperation agreements, oldest first.
    #[graphql(complexity = "page_complexity(child_complexity, first, last)")]
    async fn agreements(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which agreements.")] filter: Option<AgreementsFilter>,
        #[graphql(desc = "Take this many items from the start (at most 100; default 20).")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "Take this many items from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<AgreementConnection> {
        let filter = filter.unwrap_or_default().engine()?;
        let page = page_request(
            first,
            after.as_deref(),
            last,
            before.as_deref(),
            AGREEMENTS_BY_ID,
        )?;
        let found = reader(ctx)?.agreements(&filter, &page).await.gql()?;
        Ok(AgreementConnection::new(
            AGREEMENTS_BY_ID,
            wrap(found, Agreement),
            Total::Agreements(filter),
        ))
    }

    /// Action items, by due date unless ordered otherwise.
    #[graphql(complexity = "page_complexity(child_complexity, first, last)")]
    async fn action_items(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which action items.")] filter: Option<ActionItemsFilterInput>,
        #[graphql(desc = "Sort order (default: by due date).")] order_by: Option<ActionItemOrder>,
        #[graphql(desc = "Take this many items from the start (at most 100; default 20).")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "Take this many items from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<ActionItemConnection> {
        let filter = filter.unwrap_or_default().engine()?;
        let order = order_by.unwrap_or_default();
        let tag = order.tag();
        let page = page_request(first, after.as_deref(), last, before.as_deref(), tag)?;
        let found = reader(ctx)?
            .action_items(&filter, order.engine(), &page)
            .await
            .gql()?;
        Ok(ActionItemConnection::new(
            tag,
            wrap(found, ActionItem),
            Total::ActionItems(filter),
        ))
    }

    /// Assessment periods, by year.
    #[graphql(complexity = "page_complexity(child_complexity, first, last)")]
    async fn assessment_periods(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Take this many items from the start (at most 100; default 20).")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "Take this many items from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<AssessmentPeriodConnection> {
        let page = page_request(
            first,
            after.as_deref(),
            last,
            before.as_deref(),
            PERIODS_BY_YEAR,
        )?;
        let found = reader(ctx)?.periods(&page).await.gql()?;
        Ok(AssessmentPeriodConnection::new(
            PERIODS_BY_YEAR,
            wrap(found, AssessmentPeriod),
            Total::Periods,
        ))
    }

    /// Every methodology version, oldest first.
    async fn methodologies(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Methodology>> {
        Ok(reader(ctx)?
            .methodologies()
            .await
            .gql()?
            .into_iter()
            .map(Methodology)
            .collect())
    }

    /// One methodology version by code, e.g. `KSP-2021`.
    async fn methodology(
        &self,
        ctx: &Context<'_>,
        code: String,
    ) -> async_graphql::Result<Option<Methodology>> {
        Ok(reader(ctx)?
            .methodologies()
            .await
            .gql()?
            .into_iter()
            .find(|m| m.code == code)
            .map(Methodology))
    }

    /// OPDs ranked by their official score in one assessment year, best first; ties share a rank. Only OPDs you may see are ranked.
    async fn opd_ranking(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The assessment year, e.g. 2021.")] year: i32,
        #[graphql(desc = "Only OPDs of this district.")] district_id: Option<ID>,
        #[graphql(desc = "Only OPDs of this office's districts.")] office_id: Option<ID>,
        #[graphql(desc = "Only OPDs of districts of this kind.")] kind: Option<
            crate::types::enums::DistrictKind,
        >,
        #[graphql(default = 50, desc = "Take this many places (1–1000).")] first: i32,
    ) -> async_graphql::Result<Vec<RankedScore>> {
        rank(
            ctx,
            pendamping_engine::RankingOf::Opds,
            year,
            pendamping_engine::RankingFilter {
                district_id: decode_opt("districtId", Kind::District, district_id.as_ref())?,
                office_id: decode_opt("officeId", Kind::Office, office_id.as_ref())?,
                district_kind: kind.map(Into::into),
            },
            first,
        )
        .await
    }

    /// Districts ranked by their figure (own official score, else the mean of their OPDs') in one assessment year, best first; ties share a rank. Only districts you may see are ranked. The Ombudsman ranks provinces, regencies and cities apart: pass `kind` to do the same (left out, every kind is ranked together).
    async fn district_ranking(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The assessment year, e.g. 2021.")] year: i32,
        #[graphql(desc = "Only districts of this office.")] office_id: Option<ID>,
        #[graphql(
            desc = "Only districts of this kind: provinces, regencies or cities, ranked among their own kind."
        )]
        kind: Option<crate::types::enums::DistrictKind>,
        #[graphql(default = 50, desc = "Take this many places (1–1000).")] first: i32,
    ) -> async_graphql::Result<Vec<RankedScore>> {
        rank(
            ctx,
            pendamping_engine::RankingOf::Districts,
            year,
            pendamping_engine::RankingFilter {
                district_id: None,
                office_id: decode_opt("officeId", Kind::Office, office_id.as_ref())?,
                district_kind: kind.map(Into::into),
            },
            first,
        )
        .await
    }

    /// Score records (the revisions in force unless asked otherwise).
    #[graphql(complexity = "page_complexity(child_complexity, first, last)")]
    async fn score_records(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which score records.")] filter: Option<ScoreRecordsFilter>,
        #[graphql(desc = "Take this many items from the start (at most 100; default 20).")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "Take this many items from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<ScoreRecordConnection> {
        let f = filter.unwrap_or_default();
        let filter = pendamping_engine::ScoreFilter {
            district_id: decode_opt("filter.districtId", Kind::District, f.district_id.as_ref())?,
            opd_id: decode_opt("filter.opdId", Kind::Opd, f.opd_id.as_ref())?,
            district_level: f.district_level,
            period_id: decode_opt(
                "filter.periodId",
                Kind::AssessmentPeriod,
                f.period_id.as_ref(),
            )?,
            kind: f.kind.map(Into::into),
            current_only: !f.include_superseded,
        };
        let page = page_request(
            first,
            after.as_deref(),
            last,
            before.as_deref(),
            SCORES_BY_ID,
        )?;
        let found = reader(ctx)?.scores(&filter, &page).await.gql()?;
        Ok(ScoreRecordConnection::new(
            SCORES_BY_ID,
            wrap(found, ScoreEntry),
            Total::Scores(filter),
        ))
    }

    /// Registered webhooks with their recent deliveries (system admins; empty for others).
    async fn webhooks(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::events::Webhook>> {
        crate::events::webhooks(ctx).await
    }

    /// The audit log, newest first, within your scope.
    #[graphql(complexity = "page_complexity(child_complexity, first, last)")]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which audit events.")] filter: Option<AuditEventsFilter>,
        #[graphql(desc = "Take this many items from the start (at most 100; default 20).")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "Take this many items from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<AuditEventConnection> {
        let filter = filter.unwrap_or_default().engine()?;
        let page = page_request(
            first,
            after.as_deref(),
            last,
            before.as_deref(),
            AUDIT_NEWEST_FIRST,
        )?;
        let found = reader(ctx)?.audit_events(&filter, &page).await.gql()?;
        Ok(AuditEventConnection::new(
            AUDIT_NEWEST_FIRST,
            wrap(found, AuditEvent),
            Total::AuditEvents(filter),
        ))
    }

    /// Your own deadline notifications, newest first: due soon, overdue, and
    /// escalations sent to you. Withdrawn ones (their due date or assignee
    /// changed) are left out unless asked for. A dashboard token has none.
    #[graphql(complexity = "page_complexity(child_complexity, first, last)")]
    async fn notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only those not yet read.", default)] unread_only: bool,
        #[graphql(
            desc = "Also those withdrawn because the due date or the assignee changed.",
            default
        )]
        include_withdrawn: bool,
        #[graphql(desc = "Take this many items from the start (at most 100; default 20).")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "Take this many items from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<NotificationConnection> {
        let actor = crate::context::actor(ctx)?;
        let filter = pendamping_engine::NotificationFilter {
            unread_only,
            include_withdrawn,
        };
        let page = page_request(
            first,
            after.as_deref(),
            last,
            before.as_deref(),
            NOTIFICATIONS_NEWEST_FIRST,
        )?;
        let found = request(ctx)?
            .engine
            .notifications(actor, filter, &page)
            .await
            .gql()?;
        Ok(NotificationConnection::new(
            NOTIFICATIONS_NEWEST_FIRST,
            wrap(found, Notification),
            Total::Notifications(filter),
        ))
    }
}
