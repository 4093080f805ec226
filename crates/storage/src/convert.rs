//! Rows to domain values. A stored code the domain does not know is reported
//! as corrupt data rather than guessed at.

use pendamping_domain::action_item::{
    ActionItem, ActionItemId, Comment, CommentId, Evidence, EvidenceId,
};
use pendamping_domain::agreement::{
    Agreement, AgreementId, Amendment, AmendmentId, Milestone, MilestoneId, Reschedule,
};
use pendamping_domain::audit::{AuditEvent, AuditEventId};
use pendamping_domain::identity::{User, UserId};
use pendamping_domain::reference::{District, DistrictId, Office, OfficeId, Opd, OpdId};

use crate::StorageError;
use crate::entity::*;

pub(crate) fn user_id(id: Option<i64>) -> Option<UserId> {
    id.map(UserId)
}

pub(crate) fn user(m: users::Model) -> User {
    User {
        id: UserId(m.id),
        email: m.email,
        display_name: m.display_name,
        created_at: m.created_at,
        disabled: m.disabled_at.is_some(),
    }
}

pub(crate) fn office(m: offices::Model) -> Result<Office, StorageError> {
    Ok(Office {
        id: OfficeId(m.id),
        code: m.code,
        name: m.name,
        province: m.province,
        time_zone: m.time_zone.parse()?,
        created_at: m.created_at,
    })
}

pub(crate) fn district(m: districts::Model) -> Result<District, StorageError> {
    Ok(District {
        id: DistrictId(m.id),
        office_id: OfficeId(m.office_id),
        kind: m.kind.parse()?,
        name: m.name,
        province: m.province,
        time_zone: m.time_zone.parse()?,
        created_at: m.created_at,
    })
}

pub(crate) fn opd(m: opds::Model) -> Result<Opd, StorageError> {
    Ok(Opd {
        id: OpdId(m.id),
        district_id: DistrictId(m.district_id),
        name: m.name,
        short_name: m.short_name,
        kind: m.kind.parse()?,
        head_title: m.head_title,
        created_at: m.created_at,
        active: m.active,
        deactivated_at: m.deactivated_at,
    })
}

/// A stored JSON array of OPD ids (absent: none).
pub(crate) fn opd_id_list(json: Option<&str>) -> Result<Vec<OpdId>, StorageError> {
    match json {
        None => Ok(Vec::new()),
        Some(text) => serde_json::from_str::<Vec<i64>>(text)
            .map(|ids| ids.into_iter().map(OpdId).collect())
            .map_err(|e| StorageError::Corrupt(format!("OPD id list {text:?}: {e}"))),
    }
}

pub(crate) fn agreement(m: agreements::Model) -> Result<Agreement, StorageError> {
    Ok(Agreement {
        id: AgreementId(m.id),
        office_id: OfficeId(m.office_id),
        district_id: DistrictId(m.district_id),
        office_number: m.office_number,
        district_number: m.district_number,
        title: m.title,
        period_start: m.period_start,
        period_end: m.period_end,
        office_signatory: m.office_signatory,
        district_signatory: m.district_signatory,
        signed_on: m.signed_on,
        status: m.status.parse()?,
        closing_summary: m.closing_summary,
        termination_reason: m.termination_reason,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

pub(crate) fn amendment(m: agreement_amendments::Model) -> Result<Amendment, StorageError> {
    Ok(Amendment {
        id: AmendmentId(m.id),
        agreement_id: AgreementId(m.agreement_id),
        number: m.number,
        signed_on: m.signed_on,
        summary: m.summary,
        new_period_end: m.new_period_end,
        recorded_by: user_id(m.recorded_by),
        recorded_at: m.recorded_at,
        terms: m.terms,
        added_opd_ids: opd_id_list(m.added_opd_ids.as_deref())?,
        removed_opd_ids: opd_id_list(m.removed_opd_ids.as_deref())?,
    })
}

pub(crate) fn milestone(m: milestones::Model) -> Result<Milestone, StorageError> {
    Ok(Milestone {
        id: MilestoneId(m.id),
        agreement_id: AgreementId(m.agreement_id),
        kind: m.kind.parse()?,
        title: m.title,
        planned_on: m.planned_on,
        actual_on: m.actual_on,
        location: m.location,
        outcome_notes: m.outcome_notes,
        status: m.status.parse()?,
        cancellation_reason: m.cancellation_reason,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

pub(crate) fn reschedule(m: milestone_reschedules::Model) -> Result<Reschedule, StorageError> {
    Ok(Reschedule {
        milestone_id: MilestoneId(m.milestone_id),
        old_date: m.old_date,
        new_date: m.new_date,
        reason: m.reason,
        rescheduled_by: user_id(m.rescheduled_by),
        rescheduled_at: m.rescheduled_at,
    })
}

pub(crate) fn action_item(m: action_items::Model) -> Result<ActionItem, StorageError> {
    Ok(ActionItem {
        id: ActionItemId(m.id),
        agreement_id: AgreementId(m.agreement_id),
        opd_id: OpdId(m.opd_id),
        district_id: DistrictId(m.district_id),
        milestone_id: m.milestone_id.map(MilestoneId),
        title: m.title,
        finding: m.finding,
        standard_component: m.standard_component.map(|c| c.parse()).transpose()?,
        priority: m.priority.parse()?,
        assignee_id: user_id(m.assignee_id),
        due_on: m.due_on,
        status: m.status.parse()?,
        rejection_count: m.rejection_count,
        cancellation_reason: m.cancellation_reason,
        submitted_by: user_id(m.submitted_by),
        submitted_at: m.submitted_at,
        verified_by: user_id(m.verified_by),
        verified_at: m.verified_at,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
        origin: pendamping_domain::action_item::ItemOrigin {
            origin: m.origin.parse()?,
            product_number: m.product_number,
            product_year: m.product_year,
        },
    })
}

pub(crate) fn evidence(m: evidence::Model) -> Result<Evidence, StorageError> {
    Ok(Evidence {
        id: EvidenceId(m.id),
        action_item_id: ActionItemId(m.action_item_id),
        name: m.name,
        media_type: m.media_type,
        size_bytes: m.size_bytes,
        sha256: m.sha256,
        url: m.url,
        uploaded_by: user_id(m.uploaded_by),
        uploaded_at: m.uploaded_at,
    })
}

pub(crate) fn comment(m: comments::Model) -> Result<Comment, StorageError> {
    Ok(Comment {
        id: CommentId(m.id),
        action_item_id: ActionItemId(m.action_item_id),
        author_id: user_id(m.author_id),
        author_label: m.author_label,
        body: m.body,
        created_at: m.created_at,
    })
}

pub(crate) fn audit_event(m: audit_events::Model) -> Result<AuditEvent, StorageError> {
    Ok(AuditEvent {
        id: AuditEventId(m.id),
        occurred_at: m.occurred_at,
        actor_id: user_id(m.actor_id),
        actor_label: m.actor_label,
        action: m.action,
        object_type: m.object_type,
        object_id: m.object_id,
        office_id: m.office_id.map(OfficeId),
        district_id: m.district_id.map(DistrictId),
        before: m.before_json,
        after: m.after_json,
        reason: m.reason,
    })
}
