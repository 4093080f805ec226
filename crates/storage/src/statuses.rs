//! The status sets storage filters on ("open work", "the OPD's move",
//! "awaiting verification", "done", open milestones), taken from the domain's
//! status enums and their predicates: no statement spells a set by hand, so a
//! status added to the domain joins the right sets everywhere at once.

use pendamping_domain::action_item::ActionItemStatus;
use pendamping_domain::agreement::MilestoneStatus;

fn codes<T: Copy>(
    all: &[T],
    keep: impl Fn(T) -> bool,
    code: fn(T) -> &'static str,
) -> Vec<&'static str> {
    all.iter().copied().filter(|s| keep(*s)).map(code).collect()
}

/// Action items still needing work: not verified, not cancelled.
pub(crate) fn open_work() -> Vec<&'static str> {
    codes(
        ActionItemStatus::ALL,
        ActionItemStatus::is_open_work,
        ActionItemStatus::as_str,
    )
}

/// Action items with nothing more to do: verified or cancelled.
pub(crate) fn done() -> Vec<&'static str> {
    codes(
        ActionItemStatus::ALL,
        |s| !s.is_open_work(),
        ActionItemStatus::as_str,
    )
}

/// Action items that are the OPD's move (only these can be late against it).
pub(crate) fn opds_move() -> Vec<&'static str> {
    codes(
        ActionItemStatus::ALL,
        ActionItemStatus::is_opds_move,
        ActionItemStatus::as_str,
    )
}

/// Action items awaiting the Ombudsman office's verification: open work
/// that is not the OPD's move.
pub(crate) fn awaiting_verification() -> Vec<&'static str> {
    codes(
        ActionItemStatus::ALL,
        |s| s.is_open_work() && !s.is_opds_move(),
        ActionItemStatus::as_str,
    )
}

/// Milestones still to happen.
pub(crate) fn open_milestones() -> Vec<&'static str> {
    codes(
        MilestoneStatus::ALL,
        MilestoneStatus::is_open,
        MilestoneStatus::as_str,
    )
}

/// One status as an SQL literal (`'VERIFIED'`), for the hand-written statements.
pub(crate) fn literal(status: ActionItemStatus) -> String {
    format!("'{}'", status.as_str())
}

/// A set as an SQL list (`('OPEN', 'IN_PROGRESS')`). Codes are the enums'
/// own constants, never input.
pub(crate) fn sql_list(codes: &[&str]) -> String {
    let quoted: Vec<String> = codes.iter().map(|c| format!("'{c}'")).collect();
    format!("({})", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sets_are_the_domains() {
        assert_eq!(
            open_work(),
            ["OPEN", "IN_PROGRESS", "SUBMITTED", "REJECTED"]
        );
        assert_eq!(done(), ["VERIFIED", "CANCELLED"]);
        assert_eq!(opds_move(), ["OPEN", "IN_PROGRESS", "REJECTED"]);
        assert_eq!(awaiting_verification(), ["SUBMITTED"]);
        assert_eq!(open_milestones(), ["PLANNED", "IN_PROGRESS"]);
        assert_eq!(
            sql_list(&opds_move()),
            "('OPEN', 'IN_PROGRESS', 'REJECTED')"
        );
    }
}
