//! `Notification`: what the deadline sweeper told one user.

use async_graphql::{Context, ID, Object, Union};
use pendamping_domain::deadline::{self as dl, DeadlineObject};

use super::enums::ReminderKind;
use super::work::{ActionItem, Milestone};
use crate::connection::OrderTag;
use crate::context::batch;
use crate::id::{Kind, encode};
use crate::scalars::{Date, DateTime};

pub const NOTIFICATIONS_NEWEST_FIRST: OrderTag = OrderTag::new("notification", "id.desc");

/// What a deadline belongs to.
#[derive(Union)]
pub enum DeadlineSubject {
    ActionItem(ActionItem),
    Milestone(Milestone),
}

pub struct Notification(pub dl::Notification);

/// A deadline reminder for you: due soon, overdue, or escalated to you. Raised
/// once per object, kind and due date by the deadline sweeper.
#[Object]
impl Notification {
    /// The global ID (for `markNotificationRead`).
    pub async fn id(&self) -> ID {
        encode(Kind::Notification, self.0.id.0)
    }
    /// What you are told.
    async fn kind(&self) -> ReminderKind {
        self.0.kind.into()
    }
    /// The action item or milestone it is about; null if you can no longer see it.
    async fn subject(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<DeadlineSubject>> {
        let b = batch(ctx)?;
        Ok(match self.0.object {
            DeadlineObject::ActionItem(id) => b
                .load_one(id)
                .await?
                .map(|v| DeadlineSubject::ActionItem(ActionItem(v))),
            DeadlineObject::Milestone(id) => b
                .load_one(id)
                .await?
                .map(|v| DeadlineSubject::Milestone(Milestone(v))),
        })
    }
    /// The due date the reminder was raised for (a date in the district's time zone).
    async fn due_on(&self) -> Date {
        Date(self.0.due_on)
    }
    /// The reminder in a sentence.
    async fn message(&self) -> &str {
        &self.0.message
    }
    /// When it was raised.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// When you marked it read; null while unread.
    async fn read_at(&self) -> Option<DateTime> {
        self.0.read_at.map(DateTime)
    }
    /// Whether you have read it.
    async fn is_read(&self) -> bool {
        self.0.read_at.is_some()
    }
    /// When it stopped holding because the due date or the assignee changed;
    /// null while it holds. Withdrawn notifications are listed only on request.
    async fn withdrawn_at(&self) -> Option<DateTime> {
        self.0.withdrawn_at.map(DateTime)
    }
}

crate::connection::connection!(
    NotificationConnection,
    NotificationEdge,
    Notification,
    "notifications"
);
