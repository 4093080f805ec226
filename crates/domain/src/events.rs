//! Domain events (the outbox read back) and webhooks: what subscribers and
//! external gateways receive, and the rules for where a webhook may point.

use chrono::{DateTime, Utc};

use crate::agreement::AgreementId;
use crate::identity::UserId;
use crate::reference::{DistrictId, OfficeId, OpdId};
use crate::validation::{FieldError, Validation};

code_enum! {
    /// The kind of an event the system emits, `<OBJECT>_<WHAT>` (docs/events.md).
    /// Stored as text: the events a subscriber reads stay open-ended
    /// ([`DomainEvent::kind`]), but nothing is emitted that is not listed here.
    pub enum EventKind {
        AgreementDrafted = "AGREEMENT_DRAFTED",
        AgreementDraftEdited = "AGREEMENT_DRAFT_EDITED",
        AgreementSigned = "AGREEMENT_SIGNED",
        AgreementCompleted = "AGREEMENT_COMPLETED",
        AgreementTerminated = "AGREEMENT_TERMINATED",
        AgreementCancelled = "AGREEMENT_CANCELLED",
        AgreementAmended = "AGREEMENT_AMENDED",
        MilestonePlanned = "MILESTONE_PLANNED",
        MilestoneStarted = "MILESTONE_STARTED",
        MilestoneCompleted = "MILESTONE_COMPLETED",
        MilestoneCancelled = "MILESTONE_CANCELLED",
        MilestoneRescheduled = "MILESTONE_RESCHEDULED",
        MilestoneDueSoon = "MILESTONE_DUE_SOON",
        MilestoneOverdue = "MILESTONE_OVERDUE",
        MilestoneEscalated = "MILESTONE_ESCALATED",
        ActionItemRaised = "ACTION_ITEM_RAISED",
        ActionItemAssigned = "ACTION_ITEM_ASSIGNED",
        ActionItemStarted = "ACTION_ITEM_STARTED",
        ActionItemSubmitted = "ACTION_ITEM_SUBMITTED",
        ActionItemVerified = "ACTION_ITEM_VERIFIED",
        ActionItemRejected = "ACTION_ITEM_REJECTED",
        ActionItemResumed = "ACTION_ITEM_RESUMED",
        ActionItemCancelled = "ACTION_ITEM_CANCELLED",
        ActionItemDueDateExtended = "ACTION_ITEM_DUE_DATE_EXTENDED",
        /// Moved to a successor OPD by a reorganisation.
        ActionItemMoved = "ACTION_ITEM_MOVED",
        ActionItemDueSoon = "ACTION_ITEM_DUE_SOON",
        ActionItemOverdue = "ACTION_ITEM_OVERDUE",
        ActionItemEscalated = "ACTION_ITEM_ESCALATED",
        CommentAdded = "COMMENT_ADDED",
        EvidenceAdded = "EVIDENCE_ADDED",
        ScoreRecorded = "SCORE_RECORDED",
        ScoreCorrected = "SCORE_CORRECTED",
        OfficeCreated = "OFFICE_CREATED",
        OfficeRenamed = "OFFICE_RENAMED",
        DistrictCreated = "DISTRICT_CREATED",
        DistrictUpdated = "DISTRICT_UPDATED",
        OpdCreated = "OPD_CREATED",
        OpdRenamed = "OPD_RENAMED",
        OpdDeactivated = "OPD_DEACTIVATED",
        OpdReactivated = "OPD_REACTIVATED",
        OpdsReorganised = "OPDS_REORGANISED",
    }
}

/// One committed domain event. `id` is its position in the log: later events
/// have larger ids, so a subscriber resumes after the last id it saw.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainEvent {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    /// SCREAMING_CASE, e.g. `ACTION_ITEM_STARTED`. Open-ended: new kinds
    /// (reminders, escalations…) flow through without code changes here.
    pub kind: String,
    /// The record's type name, e.g. `ActionItem`.
    pub object_type: String,
    pub object_id: i64,
    pub office_id: Option<OfficeId>,
    pub district_id: Option<DistrictId>,
    pub opd_id: Option<OpdId>,
    pub agreement_id: Option<AgreementId>,
    /// What happened, as a JSON object (kind-specific).
    pub payload_json: Option<String>,
}

/// What a subscriber (or a webhook) wants to hear about, within its reach.
/// Empty parts match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    pub district_id: Option<DistrictId>,
    pub opd_id: Option<OpdId>,
    pub agreement_id: Option<AgreementId>,
    pub kinds: Vec<String>,
}

impl EventFilter {
    /// Refuses kinds that cannot be event kinds (they would silently match nothing).
    pub fn validate(&self, field: &str) -> Result<(), Vec<FieldError>> {
        let mut v = Validation::new();
        for kind in &self.kinds {
            if !is_event_kind(kind) {
                v.push(
                    field,
                    format!(
                        "`{kind}` is not an event kind (SCREAMING_CASE, e.g. ACTION_ITEM_STARTED)"
                    ),
                );
            }
        }
        v.finish()
    }
}

/// SCREAMING_CASE of at most 80 characters.
pub fn is_event_kind(kind: &str) -> bool {
    !kind.is_empty()
        && kind.len() <= 80
        && kind.starts_with(|c: char| c.is_ascii_uppercase())
        && kind
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

id_type!(
    /// A registered webhook.
    WebhookId
);

/// An HTTPS endpoint that receives the events matching its filter, signed.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    pub id: WebhookId,
    pub url: String,
    /// The kinds delivered; empty means every kind.
    pub kinds: Vec<String>,
    /// Only events of this district, when set.
    pub district_id: Option<DistrictId>,
    pub active: bool,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub deactivated_at: Option<DateTime<Utc>>,
}

code_enum! {
    /// Where a delivery stands.
    pub enum DeliveryStatus {
        /// Not delivered yet; tried again at `next_attempt_at`.
        Pending = "PENDING",
        /// The receiver answered 2xx.
        Delivered = "DELIVERED",
        /// Every attempt failed; no more tries.
        Failed = "FAILED",
    }
}

/// One event's delivery to one webhook, with its attempts.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookDelivery {
    pub id: i64,
    pub webhook_id: WebhookId,
    pub event_id: i64,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// Where webhooks may point: HTTPS anywhere; plain HTTP only to this machine
/// (loopback), and only when the operator allows it (tests, local gateways).
pub fn validate_webhook_url(url: &str, allow_http_loopback: bool) -> Result<(), Vec<FieldError>> {
    let mut v = Validation::new();
    let url = url.trim();
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None => ("".to_owned(), url),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host_of(authority);
    if url.len() > 2000 {
        v.push("url", "must be at most 2000 characters");
    } else if authority.contains('@') {
        v.push("url", "must not carry credentials (user:password@)");
    } else if host.is_empty() || url.chars().any(char::is_whitespace) {
        v.push(
            "url",
            "must be an absolute URL such as https://gateway.example/hook",
        );
    } else {
        match scheme.as_str() {
            "https" => {}
            "http" if allow_http_loopback && is_loopback(host) => {}
            "http" if is_loopback(host) => v.push(
                "url",
                "must use https (plain http to this machine is allowed only when the server's webhook loopback setting is on)",
            ),
            _ => v.push("url", "must use https"),
        }
    }
    v.finish()
}

fn host_of(authority: &str) -> &str {
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default();
    }
    authority.split(':').next().unwrap_or_default()
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhooks_point_at_https_or_allowed_loopback_http() {
        assert!(validate_webhook_url("https://wa.example/hook", false).is_ok());
        assert!(validate_webhook_url("https://wa.example:8443/a?b=c", false).is_ok());
        assert!(validate_webhook_url("http://wa.example/hook", true).is_err());
        assert!(validate_webhook_url("http://127.0.0.1:9000/hook", false).is_err());
        assert!(validate_webhook_url("http://127.0.0.1:9000/hook", true).is_ok());
        assert!(validate_webhook_url("http://[::1]:9000/hook", true).is_ok());
        assert!(validate_webhook_url("http://localhost/hook", true).is_ok());
        assert!(validate_webhook_url("ftp://wa.example/", true).is_err());
        assert!(validate_webhook_url("https://user:pw@wa.example/", false).is_err());
        assert!(validate_webhook_url("wa.example/hook", false).is_err());
        assert!(validate_webhook_url("https://", false).is_err());
    }

    #[test]
    fn every_emitted_kind_is_an_event_kind() {
        for kind in EventKind::ALL {
            assert!(is_event_kind(kind.as_str()), "{kind}");
        }
    }

    #[test]
    fn kinds_are_screaming_case() {
        assert!(is_event_kind("ACTION_ITEM_STARTED"));
        assert!(is_event_kind("ACTION_ITEM_DUE_SOON"));
        assert!(!is_event_kind("actionItemStarted"));
        assert!(!is_event_kind(""));
        assert!(!is_event_kind("_X"));
        let filter = EventFilter {
            kinds: vec!["nope".into()],
            ..EventFilter::default()
        };
        assert_eq!(
            filter.validate("filter.kinds").unwrap_err()[0].field,
            "filter.kinds"
        );
    }
}
