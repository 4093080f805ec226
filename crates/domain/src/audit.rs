//! Audit events: who did what to which record, when, with before and after.

use chrono::{DateTime, Utc};

use crate::identity::UserId;
use crate::reference::{DistrictId, OfficeId};

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
