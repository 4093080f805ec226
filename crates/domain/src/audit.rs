//! Audit events: who did what to which record, when, with before and after.

use chrono::{DateTime, Utc};

use crate::events::EventKind;
use crate::identity::UserId;
use crate::reference::{DistrictId, OfficeId};

code_enum! {
    /// What an audit entry records when the change emits no event of its own
    /// (a change that does is audited under its [`EventKind`]: see [`AuditAction`]).
    pub enum AuditKind {
        UserCreated = "USER_CREATED",
        UserRoleGranted = "USER_ROLE_GRANTED",
        UserRoleRevoked = "USER_ROLE_REVOKED",
        UserDeactivated = "USER_DEACTIVATED",
        UserReactivated = "USER_REACTIVATED",
        PasswordSet = "PASSWORD_SET",
        PasswordChanged = "PASSWORD_CHANGED",
        PasswordReset = "PASSWORD_RESET",
        PasswordResetIssued = "PASSWORD_RESET_ISSUED",
        SessionRevoked = "SESSION_REVOKED",
        ApiTokenCreated = "API_TOKEN_CREATED",
        ApiTokenRevoked = "API_TOKEN_REVOKED",
        EmailPreferencesChanged = "EMAIL_PREFERENCES_CHANGED",
        NotificationRead = "NOTIFICATION_READ",
        NotificationsAllRead = "NOTIFICATIONS_ALL_READ",
        MethodologyCreated = "METHODOLOGY_CREATED",
        AssessmentPeriodCreated = "ASSESSMENT_PERIOD_CREATED",
        ScoreTargetSet = "SCORE_TARGET_SET",
        WebhookRegistered = "WEBHOOK_REGISTERED",
        WebhookDeactivated = "WEBHOOK_DEACTIVATED",
        DeadlinesSwept = "DEADLINES_SWEPT",
    }
}

/// The action an audit entry records: the kind of the event the change
/// emits, or an audit-only kind. Stored as its code, unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    Event(EventKind),
    Only(AuditKind),
}

impl AuditAction {
    /// The stored code.
    pub const fn as_str(self) -> &'static str {
        match self {
            AuditAction::Event(kind) => kind.as_str(),
            AuditAction::Only(kind) => kind.as_str(),
        }
    }
}

impl From<EventKind> for AuditAction {
    fn from(kind: EventKind) -> Self {
        AuditAction::Event(kind)
    }
}

impl From<AuditKind> for AuditAction {
    fn from(kind: AuditKind) -> Self {
        AuditAction::Only(kind)
    }
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

id_type!(
    /// One entry of the append-only audit log.
    AuditEventId
);

/// One entry of the append-only audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    pub id: AuditEventId,
    pub occurred_at: DateTime<Utc>,
    pub actor_id: Option<UserId>,
    /// The actor as shown to readers (an e-mail, a token label, `system`).
    pub actor_label: String,
    /// What was done, in SCREAMING_CASE, e.g. `OFFICE_CREATED`.
    pub action: String,
    /// The record's type name, e.g. `Office`.
    pub object_type: String,
    pub object_id: i64,
    /// The office and district the record belongs to, for scoped reading.
    pub office_id: Option<OfficeId>,
    pub district_id: Option<DistrictId>,
    /// The changed fields before and after, as JSON objects.
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::Code;

    #[test]
    fn no_audit_only_kind_is_also_an_event_kind() {
        for kind in AuditKind::all() {
            assert!(
                kind.as_str().parse::<EventKind>().is_err(),
                "{kind} is an event kind: audit it as AuditAction::Event"
            );
        }
    }
}
