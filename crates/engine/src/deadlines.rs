//! Deadlines: the sweeper that raises "due soon", "overdue" and escalation
//! reminders, and each user's notifications.
//!
//! A pass is one transaction: withdraw reminders whose due date or assignee
//! changed, raise what is due (set-based, exactly once per object, kind and
//! due date), notify the recipients, append one outgoing event per reminder
//! and one audit entry for the pass. Several processes may sweep at once: the
//! database's unique keys (and, on PostgreSQL, an advisory lock) keep every
//! reminder single.
//!
//! A pass builds on the previous one with the same policy: it looks only at
//! the action items whose due date (or wait for verification) crossed a
//! threshold since, and at the open items changed since (every change to an
//! item stamps `updated_at`), through indexes — not at every item. The first
//! pass, and one after the policy changed, looks at everything.

use std::time::{Duration, Instant};

use pendamping_domain::audit::AuditKind;
use pendamping_domain::deadline::{
    DeadlineObject, DeadlinePolicy, Notification, NotificationId, ReminderKind,
};
use pendamping_domain::events::EventKind;
use pendamping_domain::identity::{Actor, UserId};
use pendamping_domain::policy::Target;
use pendamping_domain::reference::OfficeId;
use pendamping_storage::deadlines::{self, NotificationFilter, RaisedReminder, SweepScope};
use pendamping_storage::events::{self, EventRow};
use pendamping_storage::page::{Page, PageRequest};
use serde_json::json;

use crate::reference::{Subject, append_audit};
use crate::{Engine, EngineError};

/// What one sweeper pass did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SweepReport {
    /// The pass's id (`deadline_sweeps`).
    pub sweep_id: i64,
    /// "Due soon" reminders raised.
    pub reminders: u64,
    /// "Overdue" reminders raised.
    pub overdue: u64,
    /// Escalations raised (to the district and to the office).
    pub escalations: u64,
    /// Notifications made for users.
    pub notifications: u64,
    /// Reminders withdrawn because their due date or assignee changed.
    pub withdrawn: u64,
    /// Whether the pass looked at every open item (there was no earlier pass
    /// with the same policy to build on), rather than at what changed since.
    pub full: bool,
    pub elapsed: Duration,
}

impl SweepReport {
    /// Whether the pass changed anything.
    pub fn is_empty(&self) -> bool {
        self.reminders + self.overdue + self.escalations + self.notifications + self.withdrawn == 0
    }
}

impl std::fmt::Display for SweepReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "sweep {}: {} due soon, {} overdue, {} escalations, {} notifications, {} withdrawn in {:.3} s ({})",
            self.sweep_id,
            self.reminders,
            self.overdue,
            self.escalations,
            self.notifications,
            self.withdrawn,
            self.elapsed.as_secs_f64(),
            if self.full {
                "full pass"
            } else {
                "changes since the last pass"
            }
        )
    }
}

/// The outgoing event of one raised reminder. Every sweeper event is built
/// here, so a new field of [`EventRow`] is one line to add.
fn reminder_event(reminder: &RaisedReminder) -> EventRow {
    use EventKind as K;
    let item = matches!(reminder.object, DeadlineObject::ActionItem(_));
    let (kind, level) = match (reminder.kind, item) {
        (ReminderKind::DueSoon, true) => (K::ActionItemDueSoon, None),
        (ReminderKind::DueSoon, false) => (K::MilestoneDueSoon, None),
        (ReminderKind::Overdue, true) => (K::ActionItemOverdue, None),
        (ReminderKind::Overdue, false) => (K::MilestoneOverdue, None),
        (ReminderKind::EscalatedToDistrict, true) => (K::ActionItemEscalated, Some("DISTRICT")),
        (ReminderKind::EscalatedToDistrict, false) => (K::MilestoneEscalated, Some("DISTRICT")),
        (ReminderKind::EscalatedToOffice, true) => (K::ActionItemEscalated, Some("OFFICE")),
        (ReminderKind::EscalatedToOffice, false) => (K::MilestoneEscalated, Some("OFFICE")),
    };
    EventRow {
        kind: kind.as_str().to_owned(),
        object_type: reminder.object.object_type(),
        object_id: reminder.object.id(),
        office_id: Some(reminder.office_id),
        district_id: Some(reminder.district_id),
        opd_id: reminder.opd_id,
        agreement_id: Some(reminder.agreement_id),
        payload: json!({
            "reminder": reminder.kind.as_str(),
            "dueOn": reminder.due_on.to_string(),
            "escalatedTo": level,
            "agreementId": reminder.agreement_id,
            "assigneeId": reminder.assignee_id,
        }),
    }
}

impl Engine {
    /// One pass of the deadline sweeper, as of the engine's clock.
    pub async fn sweep_deadlines(
        &self,
        policy: &DeadlinePolicy,
    ) -> Result<SweepReport, EngineError> {
        policy.validate()?;
        let started = Instant::now();
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let (sweep_id, scope) = deadlines::begin_sweep(&txn, policy, now).await?;
        let withdrawn = deadlines::withdraw_stale_in(&txn, scope, now).await?;
        let mut report = SweepReport {
            sweep_id,
            withdrawn,
            full: scope == SweepScope::Full,
            ..SweepReport::default()
        };
        for kind in ReminderKind::ALL {
            let raised =
                deadlines::raise_for_action_items(&txn, sweep_id, *kind, policy, scope, now)
                    .await?;
            let raised = raised
                + if kind.follows_assignee() {
                    deadlines::raise_for_milestones(&txn, sweep_id, *kind, policy, now).await?
                } else {
                    0
                };
            match kind {
                ReminderKind::DueSoon => report.reminders += raised,
                ReminderKind::Overdue => report.overdue += raised,
                ReminderKind::EscalatedToDistrict | ReminderKind::EscalatedToOffice => {
                    report.escalations += raised;
                }
            }
        }
        report.notifications = deadlines::notify(&txn, sweep_id, now).await?;
        let raised = deadlines::raised_in(&txn, sweep_id).await?;
        events::append_many(&txn, raised.iter().map(reminder_event).collect(), now).await?;
        deadlines::finish_sweep(
            &txn,
            sweep_id,
            raised.len() as u64,
            report.notifications,
            withdrawn,
            now,
        )
        .await?;
        if !report.is_empty() {
            append_audit(
                &txn,
                &Actor::system("deadline sweeper"),
                AuditKind::DeadlinesSwept,
                Subject::new("DeadlineSweep", sweep_id, Target::everywhere()),
                json!({
                    "dueSoon": report.reminders,
                    "overdue": report.overdue,
                    "escalations": report.escalations,
                    "notifications": report.notifications,
                    "withdrawn": report.withdrawn,
                }),
                now,
            )
            .await?;
        }
        txn.commit().await?;
        if !raised.is_empty() {
            self.events.nudge();
        }
        report.elapsed = started.elapsed();
        Ok(report)
    }

    /// The viewer's own notifications, newest first. A dashboard token is
    /// nobody's inbox: it has none.
    pub async fn notifications(
        &self,
        actor: &Actor,
        filter: NotificationFilter,
        request: &PageRequest,
    ) -> Result<Page<Notification>, EngineError> {
        match actor.user_id {
            Some(user) => Ok(deadlines::notifications_of(&self.db, user, filter, request).await?),
            None => Ok(Page::empty()),
        }
    }

    pub async fn count_notifications(
        &self,
        actor: &Actor,
        filter: NotificationFilter,
    ) -> Result<u64, EngineError> {
        match actor.user_id {
            Some(user) => Ok(deadlines::count_notifications_of(&self.db, user, filter).await?),
            None => Ok(0),
        }
    }

    fn recipient(actor: &Actor) -> Result<UserId, EngineError> {
        actor
            .user_id
            .ok_or_else(|| EngineError::Forbidden("only a signed-in user has notifications".into()))
    }

    /// Marks one of the viewer's notifications read (already read: unchanged).
    /// Someone else's notification is "not found", as if it did not exist.
    pub async fn mark_notification_read(
        &self,
        actor: &Actor,
        id: NotificationId,
    ) -> Result<Notification, EngineError> {
        let user = Self::recipient(actor)?;
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let Some(found) = deadlines::notification_of(&txn, user, id).await? else {
            return Err(EngineError::NotFound("notification".into()));
        };
        if deadlines::mark_read(&txn, user, Some(id), now).await? > 0 {
            append_audit(
                &txn,
                actor,
                AuditKind::NotificationRead,
                Subject::new(
                    "Notification",
                    id.0,
                    Target {
                        office: None::<OfficeId>,
                        district: Some(found.district_id),
                        opd: None,
                    },
                ),
                json!({"read": true}),
                now,
            )
            .await?;
        }
        let changed = deadlines::notification_of(&txn, user, id).await?;
        txn.commit().await?;
        changed.ok_or_else(|| EngineError::NotFound("notification".into()))
    }

    /// Marks every unread notification of the viewer read; returns how many.
    pub async fn mark_all_notifications_read(&self, actor: &Actor) -> Result<u64, EngineError> {
        let user = Self::recipient(actor)?;
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let marked = deadlines::mark_read(&txn, user, None, now).await?;
        if marked > 0 {
            append_audit(
                &txn,
                actor,
                AuditKind::NotificationsAllRead,
                Subject::new("User", user.0, Target::everywhere()),
                json!({"marked": marked}),
                now,
            )
            .await?;
        }
        txn.commit().await?;
        Ok(marked)
    }
}

/// Withdraws the reminders of one object whose due date or assignee just
/// changed, in the changing transaction; the next pass re-plans them.
pub(crate) async fn withdraw_changed(
    txn: &pendamping_storage::DatabaseTransaction,
    object: DeadlineObject,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<u64, EngineError> {
    Ok(deadlines::withdraw_stale(txn, Some(object), now).await?)
}
