//! The GraphQL object types. Each wraps a domain value; none is a storage row.

pub mod analytics;
pub mod audit;
pub mod enums;
pub mod notification;
pub mod reference;
pub mod scores;
pub mod user;
pub mod work;

use async_graphql::{Context, ID, Interface};

use async_graphql::dataloader::Loader;
use pendamping_engine::{Page, PageRequest};

use crate::connection::{FromPage, OrderTag, PageArgsOwned, page_request};
use crate::context::batch;
use crate::id::{Kind, decode_any};
use crate::loaders::{Batch, CountOf};
use crate::total::Total;
use audit::AuditEvent;
use reference::{District, Office, Opd};
use scores::{AssessmentPeriod, Methodology, ScoreEntry};
use user::User;
use work::{ActionItem, Agreement, Comment, Evidence, Milestone};

/// An object with a global ID, fetchable with `node(id:)`.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "The global ID, opaque and stable."))]
pub enum Node {
    Office(Office),
    District(District),
    Opd(Opd),
    Agreement(Agreement),
    Milestone(Milestone),
    ActionItem(ActionItem),
    Evidence(Evidence),
    Comment(Comment),
    Methodology(Methodology),
    AssessmentPeriod(AssessmentPeriod),
    ScoreRecord(ScoreEntry),
    AuditEvent(AuditEvent),
    User(User),
}

/// The connection of one parent's children: its page is loaded with the
/// other parents' by `key`'s loader, and its total counted with theirs.
pub async fn child_connection<C, K, T>(
    ctx: &Context<'_>,
    (first, after, last, before): PageArgsOwned,
    tag: OrderTag,
    key: impl FnOnce(PageRequest) -> K,
    count: CountOf,
    node: impl Fn(T) -> C::Node,
) -> async_graphql::Result<C>
where
    C: FromPage,
    Batch: Loader<K, Value = Page<T>, Error = async_graphql::Error>,
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    T: Send + Sync + Clone + 'static,
{
    let page = page_request(first, after.as_deref(), last, before.as_deref(), tag)?;
    let found = batch(ctx)?
        .load_one(key(page))
        .await?
        .unwrap_or_else(Page::empty);
    Ok(C::from_page(
        tag,
        reference::wrap(found, node),
        Total::Nested(count),
    ))
}

/// The object a global ID names, if the caller may see it. An unknown ID and
/// an ID outside the caller's reach both answer null, so neither leaks.
pub async fn load_node(ctx: &Context<'_>, id: &ID) -> async_graphql::Result<Option<Node>> {
    let Some((kind, row)) = decode_any(id) else {
        return Ok(None);
    };
    let b = batch(ctx)?;
    use pendamping_domain::{
        action_item as ai, agreement as ag, audit as au, identity as i, reference as r, score as s,
    };
    Ok(match kind {
        Kind::Office => b
            .load_one(r::OfficeId(row))
            .await?
            .map(|v| Node::Office(Office(v))),
        Kind::District => b
            .load_one(r::DistrictId(row))
            .await?
            .map(|v| Node::District(District(v))),
        Kind::Opd => b.load_one(r::OpdId(row)).await?.map(|v| Node::Opd(Opd(v))),
        Kind::Agreement => b
            .load_one(ag::AgreementId(row))
            .await?
            .map(|v| Node::Agreement(Agreement(v))),
        Kind::Milestone => b
            .load_one(ag::MilestoneId(row))
            .await?
            .map(|v| Node::Milestone(Milestone(v))),
        Kind::ActionItem => b
            .load_one(ai::ActionItemId(row))
            .await?
            .map(|v| Node::ActionItem(ActionItem(v))),
        Kind::Evidence => b
            .load_one(ai::EvidenceId(row))
            .await?
            .map(|v| Node::Evidence(Evidence(v))),
        Kind::Comment => b
            .load_one(ai::CommentId(row))
            .await?
            .map(|v| Node::Comment(Comment(v))),
        Kind::Methodology => b
            .load_one(s::MethodologyId(row))
            .await?
            .map(|v| Node::Methodology(Methodology(v))),
        Kind::AssessmentPeriod => b
            .load_one(s::AssessmentPeriodId(row))
            .await?
            .map(|v| Node::AssessmentPeriod(AssessmentPeriod(v))),
        Kind::ScoreRecord => b
            .load_one(s::ScoreRecordId(row))
            .await?
            .map(|v| Node::ScoreRecord(ScoreEntry(v))),
        Kind::AuditEvent => b
            .load_one(au::AuditEventId(row))
            .await?
            .map(|v| Node::AuditEvent(AuditEvent(v))),
        // Not a node: a notification is read through `notifications`, by its recipient.
        Kind::Notification => None,
        // A user outside the caller's reach is not found, like any other record.
        Kind::User => b
            .load_one(i::UserId(row))
            .await?
            .and_then(|v| User::seen_by(crate::context::actor(ctx).ok()?, v))
            .map(Node::User),
        // Not nodes: dashboard tokens and sessions are named by ID only to revoke them.
        Kind::ApiToken | Kind::Session => None,
    })
}
