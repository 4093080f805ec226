//! Mutations on the viewer's own notifications.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use pendamping_domain::deadline::NotificationId;
use pendamping_engine::EngineError;

use crate::context::{actor, request};
use crate::error::{Outcome, UserError};
use crate::id::{Kind, decode_any};
use crate::types::notification::Notification;

/// Which notification to mark read.
#[derive(InputObject)]
pub struct MarkNotificationReadInput {
    /// The notification's ID (one of yours).
    pub id: ID,
}

/// The result of `markNotificationRead`.
#[derive(SimpleObject)]
pub struct MarkNotificationReadPayload {
    /// The notification, now read.
    pub notification: Option<Notification>,
    /// Why it was not marked, if it was not.
    pub user_errors: Vec<UserError>,
}

/// The result of `markAllNotificationsRead`.
#[derive(SimpleObject)]
pub struct MarkAllNotificationsReadPayload {
    /// How many unread notifications were marked read.
    pub marked: i32,
    /// Why they were not marked, if they were not.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct NotificationMutation;

/// Your deadline notifications.
#[Object]
impl NotificationMutation {
    /// Marks one of your notifications read (reading it again changes nothing).
    /// Another user's notification is NOT_FOUND.
    async fn mark_notification_read(
        &self,
        ctx: &Context<'_>,
        input: MarkNotificationReadInput,
    ) -> async_graphql::Result<MarkNotificationReadPayload> {
        let actor = actor(ctx)?;
        let outcome = match decode_any(&input.id) {
            Some((Kind::Notification, row)) => {
                request(ctx)?
                    .engine
                    .mark_notification_read(actor, NotificationId(row))
                    .await
            }
            _ => Err(EngineError::invalid(
                "id",
                "must be the ID of a Notification",
            )),
        };
        let (notification, user_errors) = outcome.map(Notification).outcome()?;
        Ok(MarkNotificationReadPayload {
            notification,
            user_errors,
        })
    }

    /// Marks every unread notification of yours read.
    async fn mark_all_notifications_read(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<MarkAllNotificationsReadPayload> {
        let actor = actor(ctx)?;
        let (marked, user_errors) = request(ctx)?
            .engine
            .mark_all_notifications_read(actor)
            .await
            .outcome()?;
        Ok(MarkAllNotificationsReadPayload {
            marked: marked.map_or(0, |marked| i32::try_from(marked).unwrap_or(i32::MAX)),
            user_errors,
        })
    }
}
