//! `totalCount` of a connection, computed only when asked for, and batched
//! through the loader for nested lists.

use async_graphql::Context;
use pendamping_engine::{
    ActionItemFilter, AgreementFilter, AuditFilter, DistrictFilter, NotificationFilter, OpdFilter,
    ScoreFilter,
};

use crate::context::{batch, reader};
use crate::error::OrGql;
use crate::loaders::CountOf;

/// Where a connection's total comes from.
#[derive(Debug, Clone)]
pub enum Total {
    Offices,
    Districts(DistrictFilter),
    Opds(OpdFilter),
    Agreements(AgreementFilter),
    ActionItems(ActionItemFilter),
    Periods,
    Scores(ScoreFilter),
    AuditEvents(AuditFilter),
    /// The viewer's own notifications.
    Notifications(NotificationFilter),
    Nested(CountOf),
    /// Counted by the statement that read the page.
    Known(u64),
}

impl Total {
    pub async fn resolve(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        let r = reader(ctx)?;
        let count = match self {
            Total::Offices => r.count_offices().await.gql()?,
            Total::Districts(f) => r.count_districts(f).await.gql()?,
            Total::Opds(f) => r.count_opds(f).await.gql()?,
            Total::Agreements(f) => r.count_agreements(f).await.gql()?,
            Total::ActionItems(f) => r.count_action_items(f).await.gql()?,
            Total::Periods => r.count_periods().await.gql()?,
            Total::Scores(f) => r.count_scores(f).await.gql()?,
            Total::AuditEvents(f) => r.count_audit_events(f).await.gql()?,
            Total::Notifications(f) => {
                let actor = crate::context::actor(ctx)?;
                crate::context::request(ctx)?
                    .engine
                    .count_notifications(actor, *f)
                    .await
                    .gql()?
            }
            Total::Nested(key) => batch(ctx)?.load_one(key.clone()).await?.unwrap_or(0),
            Total::Known(count) => *count,
        };
        Ok(i64::try_from(count).unwrap_or(i64::MAX))
    }
}
