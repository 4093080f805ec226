//! Deadlines: when a due date is past, by how many days, and what the sweeper
//! raises for it. A due date is a calendar date in the district's own time
//! zone, so "today" is always taken in that zone ([`TimeZone::today`]).
//!
//! Conventions: an object is overdue from the day *after* its due date (due on
//! the 30th means "by the end of the 30th, local time"); `days_overdue` is 0 when
//! not overdue, never negative.

use chrono::{DateTime, NaiveDate, Utc};

use crate::action_item::ActionItemId;
use crate::agreement::MilestoneId;
use crate::identity::{Role, UserId};
use crate::reference::{DistrictId, TimeZone};
use crate::validation::Validation;

id_type!(
    /// A notification to one user.
    NotificationId
);

/// Whole days `today` is past `due_on`; 0 when not past it.
pub fn days_past(due_on: NaiveDate, today: NaiveDate) -> i64 {
    (today - due_on).num_days().max(0)
}

/// How an open object stands against its due date at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineStatus {
    /// The calendar date at that instant in the district's zone.
    pub today: NaiveDate,
    pub due_on: NaiveDate,
}

impl DeadlineStatus {
    /// `due_on` judged at `now` in `zone`.
    pub fn at(due_on: NaiveDate, zone: TimeZone, now: DateTime<Utc>) -> Self {
        DeadlineStatus {
            today: zone.today(now),
            due_on,
        }
    }

    pub fn is_overdue(self) -> bool {
        self.today > self.due_on
    }

    pub fn days_overdue(self) -> i64 {
        days_past(self.due_on, self.today)
    }

    /// Days left until the due date (0 on the day itself); `None` once past.
    pub fn days_left(self) -> Option<i64> {
        let left = (self.due_on - self.today).num_days();
        (left >= 0).then_some(left)
    }
}

code_enum! {
    /// What the deadline sweeper raises for an object, each once per due date.
    pub enum ReminderKind {
        /// The due date is at most [`DeadlinePolicy::reminder_days`] away.
        DueSoon = "DUE_SOON",
        /// The due date has passed.
        Overdue = "OVERDUE",
        /// Overdue by more than [`DeadlinePolicy::escalate_district_days`]: to the district coordinator.
        EscalatedToDistrict = "ESCALATED_TO_DISTRICT",
        /// To the Ombudsman office's lead and assessors: overdue at the OPD by more
        /// than [`DeadlinePolicy::escalate_office_days`], or SUBMITTED and waiting
        /// for the office's verification for more than
        /// [`DeadlinePolicy::verify_within_days`] (the office's move).
        EscalatedToOffice = "ESCALATED_TO_OFFICE",
    }
}

impl ReminderKind {
    /// Whether the reminder goes to whoever does the work (the assignee or the
    /// OPD's officers), so that a change of assignee withdraws it.
    pub fn follows_assignee(self) -> bool {
        matches!(self, ReminderKind::DueSoon | ReminderKind::Overdue)
    }
}

/// The sweeper's thresholds, in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlinePolicy {
    /// "Due soon" from this many days before the due date (N).
    pub reminder_days: u32,
    /// Escalate to the district coordinator when overdue by more than this (M).
    pub escalate_district_days: u32,
    /// Escalate to the Ombudsman office when overdue by more than this (K).
    pub escalate_office_days: u32,
    /// Remind the office's assessors when a SUBMITTED item has waited for
    /// verification for more than this (V). A submitted item is the office's
    /// move: it is never overdue against the OPD nor escalated to the district.
    pub verify_within_days: u32,
}

impl Default for DeadlinePolicy {
    fn default() -> Self {
        DeadlinePolicy {
            reminder_days: 3,
            escalate_district_days: 7,
            escalate_office_days: 30,
            verify_within_days: 14,
        }
    }
}

/// The largest threshold we accept (a year and a bit); beyond it a setting is a typo.
/// (Messages below spell it out: keep them in step.)
pub const MAX_DEADLINE_DAYS: u32 = 400;

impl DeadlinePolicy {
    pub fn validate(&self) -> Result<(), Vec<crate::FieldError>> {
        let mut v = Validation::new();
        v.check(
            self.reminder_days <= MAX_DEADLINE_DAYS,
            "reminderDays",
            "must be at most 400",
        );
        v.check(
            self.escalate_district_days <= MAX_DEADLINE_DAYS,
            "escalateDistrictDays",
            "must be at most 400",
        );
        v.check(
            self.escalate_office_days <= MAX_DEADLINE_DAYS,
            "escalateOfficeDays",
            "must be at most 400",
        );
        v.check(
            self.verify_within_days <= MAX_DEADLINE_DAYS,
            "verifyWithinDays",
            "must be at most 400",
        );
        v.check(
            self.escalate_office_days >= self.escalate_district_days,
            "escalateOfficeDays",
            "must not be less than escalateDistrictDays: the office hears after the district",
        );
        v.finish()
    }

    /// Which reminders are due for an open object at `status`, in the order they arise.
    pub fn reminders(&self, status: DeadlineStatus) -> Vec<ReminderKind> {
        let mut due = Vec::new();
        match status.days_left() {
            Some(left) if left <= i64::from(self.reminder_days) => due.push(ReminderKind::DueSoon),
            Some(_) => {}
            None => {
                let late = status.days_overdue();
                due.push(ReminderKind::Overdue);
                if late > i64::from(self.escalate_district_days) {
                    due.push(ReminderKind::EscalatedToDistrict);
                }
                if late > i64::from(self.escalate_office_days) {
                    due.push(ReminderKind::EscalatedToOffice);
                }
            }
        }
        due
    }

    /// The due dates (inclusive range) that are "due soon" on `today`.
    pub fn due_soon_window(&self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        (
            today,
            today + chrono::Days::new(u64::from(self.reminder_days)),
        )
    }

    /// Due dates strictly before this are overdue by more than `days` on `today`.
    pub fn overdue_by_more_than(days: u32, today: NaiveDate) -> NaiveDate {
        today - chrono::Days::new(u64::from(days))
    }
}

/// The object a deadline belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeadlineObject {
    ActionItem(ActionItemId),
    Milestone(MilestoneId),
}

impl DeadlineObject {
    pub fn kind(self) -> DeadlineKind {
        match self {
            DeadlineObject::ActionItem(_) => DeadlineKind::ActionItem,
            DeadlineObject::Milestone(_) => DeadlineKind::Milestone,
        }
    }

    /// The stored object type (as in the audit log and the outbox).
    pub fn object_type(self) -> &'static str {
        self.kind().object_type()
    }

    pub fn id(self) -> i64 {
        match self {
            DeadlineObject::ActionItem(id) => id.0,
            DeadlineObject::Milestone(id) => id.0,
        }
    }

    /// From the stored object type and id; `None` for a type we do not know.
    pub fn from_parts(object_type: &str, id: i64) -> Option<Self> {
        if object_type == DeadlineKind::ActionItem.object_type() {
            Some(DeadlineObject::ActionItem(ActionItemId(id)))
        } else if object_type == DeadlineKind::Milestone.object_type() {
            Some(DeadlineObject::Milestone(MilestoneId(id)))
        } else {
            None
        }
    }
}

/// The kinds of record with a due date the sweeper watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineKind {
    ActionItem,
    Milestone,
}

impl DeadlineKind {
    /// The stored object type (as in the audit log and the outbox).
    pub fn object_type(self) -> &'static str {
        match self {
            DeadlineKind::ActionItem => "ActionItem",
            DeadlineKind::Milestone => "Milestone",
        }
    }
}

/// Who is told of a reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipients {
    /// The action item's assignee.
    Assignee,
    /// Every officer of the action item's OPD, when nobody is assigned.
    OpdOfficersWhenUnassigned,
    /// Whoever holds one of these roles in the object's district.
    InDistrict(&'static [Role]),
    /// Whoever holds one of these roles in the object's office.
    InOffice(&'static [Role]),
}

/// One line of who hears of which reminders (DESIGN.md §5): the people of
/// `recipients`, for reminders of `kinds` on records of `object`. Disabled
/// users hear of nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecipientRule {
    pub object: DeadlineKind,
    pub kinds: &'static [ReminderKind],
    pub recipients: Recipients,
}

/// Who hears of a reminder: the assignee (or, unassigned, the OPD's officers)
/// while it is due soon or overdue; the district's coordinators when it is
/// escalated to the district; the office's lead and assessors when it is
/// escalated to the office. A milestone is run by the office's assessors with
/// the district's coordinators, who both hear of it.
pub const RECIPIENT_RULES: &[RecipientRule] = &[
    RecipientRule {
        object: DeadlineKind::ActionItem,
        kinds: &[ReminderKind::DueSoon, ReminderKind::Overdue],
        recipients: Recipients::Assignee,
    },
    RecipientRule {
        object: DeadlineKind::ActionItem,
        kinds: &[ReminderKind::DueSoon, ReminderKind::Overdue],
        recipients: Recipients::OpdOfficersWhenUnassigned,
    },
    RecipientRule {
        object: DeadlineKind::ActionItem,
        kinds: &[ReminderKind::EscalatedToDistrict],
        recipients: Recipients::InDistrict(&[Role::DistrictCoordinator]),
    },
    RecipientRule {
        object: DeadlineKind::ActionItem,
        kinds: &[ReminderKind::EscalatedToOffice],
        recipients: Recipients::InOffice(&[Role::OmbudsmanLead, Role::OmbudsmanAssessor]),
    },
    RecipientRule {
        object: DeadlineKind::Milestone,
        kinds: &[ReminderKind::DueSoon, ReminderKind::Overdue],
        recipients: Recipients::InOffice(&[Role::OmbudsmanAssessor]),
    },
    RecipientRule {
        object: DeadlineKind::Milestone,
        kinds: &[ReminderKind::DueSoon, ReminderKind::Overdue],
        recipients: Recipients::InDistrict(&[Role::DistrictCoordinator]),
    },
];

/// What one user was told about a deadline. A notification whose reminder was
/// withdrawn (the due date or the assignee changed) keeps its text but carries
/// `withdrawn_at`, so nobody acts on a date that no longer holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub id: NotificationId,
    pub recipient_id: UserId,
    pub kind: ReminderKind,
    pub object: DeadlineObject,
    /// The due date the reminder was raised for.
    pub due_on: NaiveDate,
    pub district_id: DistrictId,
    pub message: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(h: u32, min: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 28, h, min, s).unwrap()
    }

    /// Due on 28 November: overdue from local midnight into the 29th, which is
    /// 17:00Z (WIB), 16:00Z (WITA) and 15:00Z (WIT) on the 28th.
    #[test]
    fn overdue_begins_at_midnight_in_the_districts_own_zone() {
        let due = date(2026, 11, 28);
        for (zone, midnight_hour) in [
            (TimeZone::Wib, 17),
            (TimeZone::Wita, 16),
            (TimeZone::Wit, 15),
        ] {
            let before = DeadlineStatus::at(due, zone, at(midnight_hour - 1, 59, 59));
            let after = DeadlineStatus::at(due, zone, at(midnight_hour, 0, 0));
            assert!(!before.is_overdue(), "{zone:?} one second before midnight");
            assert_eq!(before.days_overdue(), 0);
            assert_eq!(before.days_left(), Some(0));
            assert!(after.is_overdue(), "{zone:?} at midnight");
            assert_eq!(after.days_overdue(), 1);
            assert_eq!(after.days_left(), None);
        }
    }

    #[test]
    fn one_instant_is_overdue_in_the_east_and_not_yet_in_the_west() {
        // 16:30Z: 23:30 WIB (still the 28th), 00:30 WITA and 01:30 WIT (the 29th).
        let due = date(2026, 11, 28);
        let now = at(16, 30, 0);
        assert!(!DeadlineStatus::at(due, TimeZone::Wib, now).is_overdue());
        assert!(DeadlineStatus::at(due, TimeZone::Wita, now).is_overdue());
        assert!(DeadlineStatus::at(due, TimeZone::Wit, now).is_overdue());
    }

    #[test]
    fn days_overdue_counts_calendar_days_and_is_never_negative() {
        assert_eq!(days_past(date(2026, 11, 1), date(2026, 11, 28)), 27);
        assert_eq!(days_past(date(2026, 12, 1), date(2026, 11, 28)), 0);
        assert_eq!(days_past(date(2026, 11, 28), date(2026, 11, 28)), 0);
    }

    #[test]
    fn reminders_follow_the_thresholds() {
        let policy = DeadlinePolicy::default(); // N = 3, M = 7, K = 30
        let today = date(2026, 11, 28);
        let kinds = |due| policy.reminders(DeadlineStatus { today, due_on: due });
        assert!(kinds(date(2026, 12, 2)).is_empty(), "four days away");
        assert_eq!(kinds(date(2026, 12, 1)), vec![ReminderKind::DueSoon]);
        assert_eq!(kinds(today), vec![ReminderKind::DueSoon]);
        assert_eq!(kinds(date(2026, 11, 27)), vec![ReminderKind::Overdue]);
        // Exactly seven days late is not *more than* seven.
        assert_eq!(kinds(date(2026, 11, 21)), vec![ReminderKind::Overdue]);
        assert_eq!(
            kinds(date(2026, 11, 20)),
            vec![ReminderKind::Overdue, ReminderKind::EscalatedToDistrict]
        );
        assert_eq!(
            kinds(date(2026, 10, 28)),
            vec![
                ReminderKind::Overdue,
                ReminderKind::EscalatedToDistrict,
                ReminderKind::EscalatedToOffice
            ]
        );
    }

    #[test]
    fn the_window_bounds_agree_with_the_reminder_rule() {
        let policy = DeadlinePolicy::default();
        let today = date(2026, 11, 28);
        assert_eq!(policy.due_soon_window(today), (today, date(2026, 12, 1)));
        // Due before 21 November: more than seven days late on the 28th.
        assert_eq!(
            DeadlinePolicy::overdue_by_more_than(7, today),
            date(2026, 11, 21)
        );
    }

    #[test]
    fn the_office_never_hears_before_the_district() {
        let policy = DeadlinePolicy {
            reminder_days: 3,
            escalate_district_days: 10,
            escalate_office_days: 5,
            verify_within_days: 14,
        };
        let errors = policy.validate().unwrap_err();
        assert_eq!(errors[0].field, "escalateOfficeDays");
        assert!(DeadlinePolicy::default().validate().is_ok());
    }
}
