//! `Agreement`, `Milestone`, `ActionItem` and what hangs off them, one file
//! per object: `agreement`, `milestone`, `action_item`, `attachments`.

use async_graphql::{Context, ID, InputObject, Object};
use pendamping_domain::action_item as ai;
use pendamping_domain::agreement as ag;
use pendamping_domain::reference::OpdId;
use pendamping_engine::{ActionItemFilter, ItemParent};

use super::child_connection;
use super::enums::{
    ActionItemStatus, AgreementStatus, MilestoneKind, MilestoneStatus, OrderDirection, Priority,
    StandardComponent,
};
use super::reference::{District, Office, Opd};
use super::user::User;
use crate::connection::{OrderTag, PageArgsOwned, page_complexity};
use crate::context::{batch, reader};
use crate::id::{Kind, decode_opt, encode};
use crate::loaders::{
    ActionItemsOf, AmendmentsOf, CommentsOf, CountOf, EvidenceOf, MilestonesOfAgreement,
    OpdIdsOfAgreement, OpdIdsOfMilestone, ReschedulesOf,
};
use crate::scalars::{Date, DateTime};

pub const AGREEMENTS_BY_ID: OrderTag = OrderTag::new("agreement", "id");
pub const MILESTONES_BY_DATE: OrderTag = OrderTag::new("milestone", "planned");
pub const ACTION_ITEMS_BY_DUE: OrderTag = OrderTag::new("actionItem", "due");
pub const EVIDENCE_BY_ID: OrderTag = OrderTag::new("evidence", "id");
pub const COMMENTS_BY_ID: OrderTag = OrderTag::new("comment", "id");

/// The OPDs among `ids` that the caller may see, in the order given.
async fn visible_opds(ctx: &Context<'_>, ids: Vec<OpdId>) -> async_graphql::Result<Vec<Opd>> {
    let found = batch(ctx)?.load_many(ids.iter().copied()).await?;
    Ok(ids
        .into_iter()
        .filter_map(|id| found.get(&id).cloned().map(Opd))
        .collect())
}

/// The history of one record, oldest first.
async fn history_of(
    ctx: &Context<'_>,
    record: pendamping_engine::HistoryOf,
) -> async_graphql::Result<Vec<super::audit::AuditEvent>> {
    Ok(batch(ctx)?
        .load_one(crate::loaders::HistoryOfRecord(record))
        .await?
        .unwrap_or_default()
        .into_iter()
        .map(super::audit::AuditEvent)
        .collect())
}

/// The OPDs of `ids` the viewer may read, in order, through the batched loader.
async fn opd_list(ctx: &Context<'_>, ids: &[OpdId]) -> async_graphql::Result<Vec<Opd>> {
    let found = batch(ctx)?.load_many(ids.iter().copied()).await?;
    Ok(ids
        .iter()
        .filter_map(|id| found.get(id).cloned().map(Opd))
        .collect())
}

/// Today's date in the district's time zone, by the engine's clock (the
/// district through the loader, batched with its siblings).
async fn district_today(
    ctx: &Context<'_>,
    district: pendamping_domain::reference::DistrictId,
) -> async_graphql::Result<chrono::NaiveDate> {
    let now = reader(ctx)?.now();
    let zone = batch(ctx)?
        .load_one(district)
        .await?
        .map(|d| d.time_zone)
        .unwrap_or(pendamping_domain::reference::TimeZone::Wib);
    Ok(zone.today(now))
}

crate::connection::connection!(AgreementConnection, AgreementEdge, Agreement, "agreements");
crate::connection::connection!(MilestoneConnection, MilestoneEdge, Milestone, "milestones");
crate::connection::connection!(
    ActionItemConnection,
    ActionItemEdge,
    ActionItem,
    "action items"
);
crate::connection::connection!(EvidenceConnection, EvidenceEdge, Evidence, "evidence");
crate::connection::connection!(CommentConnection, CommentEdge, Comment, "comments");

mod action_item;
mod agreement;
mod attachments;
mod milestone;

pub use action_item::*;
pub use agreement::*;
pub use attachments::*;
pub use milestone::*;
