//! What a reader asks for: pages, orders and filters of the lists, and the
//! selectors of the dashboard figures. Plain values: storage turns them into
//! statements, the engine passes them through, the API builds them from its
//! arguments; none of the layers above storage needs a storage type to ask.

use std::hash::Hash;

use chrono::{DateTime, NaiveDate, Utc};

use crate::action_item::{ActionItemStatus, Origin};
use crate::agreement::AgreementStatus;
use crate::ids::{ActionItemId, AgreementId, DistrictId, MilestoneId, OfficeId, OpdId};
use crate::reference::{DistrictKind, OpdKind};
use crate::score::ScoreKind;

// ---- pages -----------------------------------------------------------------

/// Rows per page when the client does not say.
pub const DEFAULT_PAGE_SIZE: u64 = 20;
/// The most rows one page a client asks for may hold (the API refuses more).
pub const MAX_PAGE_SIZE: u64 = 100;
/// The most rows one page the server reads for itself may hold: exports and
/// imports walk whole lists, and ten times fewer round trips matter there.
pub const BULK_PAGE_SIZE: u64 = 1_000;

/// The value of a list's sort column at one row.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SortValue {
    /// The list is ordered by primary key only.
    None,
    Text(String),
    Date(NaiveDate),
    Int(i64),
}

/// Where a row sits in its list: its sort value and its primary key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CursorKey {
    pub sort: SortValue,
    pub id: i64,
}

impl CursorKey {
    /// The key of a row in a list ordered by primary key only.
    pub fn of_id(id: i64) -> CursorKey {
        CursorKey {
            sort: SortValue::None,
            id,
        }
    }
}

/// A page asked for, Relay style. Sizes are already checked and capped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct PageRequest {
    pub first: Option<u64>,
    pub after: Option<CursorKey>,
    pub last: Option<u64>,
    pub before: Option<CursorKey>,
}

impl PageRequest {
    /// `true` when rows are taken from the end of the list (`last` without `first`).
    pub fn takes_from_end(&self) -> bool {
        self.first.is_none() && self.last.is_some()
    }

    /// How many rows the page holds at the most.
    pub fn size(&self) -> u64 {
        Ord::min(
            self.first.or(self.last).unwrap_or(DEFAULT_PAGE_SIZE),
            BULK_PAGE_SIZE,
        )
    }
}

/// One page of a list, each item with its cursor key.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<(CursorKey, T)>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
    /// How many items the whole list holds, when the statement that read the
    /// page counted them too (a child list asked without a cursor); `None`
    /// leaves `totalCount` to a count of its own.
    pub total: Option<u64>,
}

impl<T> Page<T> {
    pub fn empty() -> Self {
        Page {
            items: Vec::new(),
            has_next_page: false,
            has_previous_page: false,
            total: None,
        }
    }

    /// The items without their cursors, in page order.
    pub fn into_items(self) -> Vec<T> {
        self.items.into_iter().map(|(_, item)| item).collect()
    }

    /// Converts every item, keeping the cursors; stops at the first error.
    pub fn try_map<U, E>(self, mut f: impl FnMut(T) -> Result<U, E>) -> Result<Page<U>, E> {
        let mut items = Vec::with_capacity(self.items.len());
        for (key, item) in self.items {
            items.push((key, f(item)?));
        }
        Ok(Page {
            items,
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
            total: self.total,
        })
    }
}

// ---- orders ----------------------------------------------------------------

/// How a list of named records is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum NameOrder {
    #[default]
    Name,
    Id,
}

/// Ordering of a list: a field and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Ordering<F> {
    pub field: F,
    pub descending: bool,
}

/// How a list of action items is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ActionItemOrder {
    #[default]
    DueOn,
    Id,
}

// ---- filters ---------------------------------------------------------------

/// Which districts a list holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct DistrictFilter {
    pub office_id: Option<i64>,
    pub kind: Option<DistrictKind>,
}

/// Which OPDs a list holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct OpdFilter {
    pub district_id: Option<i64>,
    pub kind: Option<OpdKind>,
    /// Case-sensitive part of the name.
    pub name_contains: Option<String>,
}

/// Which agreements a list holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct AgreementFilter {
    pub office_id: Option<i64>,
    pub district_id: Option<i64>,
    pub statuses: Vec<AgreementStatus>,
}

/// Which action items a list holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ActionItemFilter {
    pub district_id: Option<i64>,
    pub opd_id: Option<i64>,
    pub agreement_id: Option<i64>,
    pub milestone_id: Option<i64>,
    pub statuses: Vec<ActionItemStatus>,
    pub due_from: Option<NaiveDate>,
    pub due_to: Option<NaiveDate>,
    /// Open work past its due date (`Some(true)`) or not (`Some(false)`), as of `now`.
    pub overdue: Option<bool>,
    /// The instant overdue is judged at; each item's due date is compared with
    /// the calendar date at that instant in its own district's time zone.
    pub now: Option<DateTime<Utc>>,
    /// Only items of these origins (any when empty).
    pub origins: Vec<Origin>,
    /// Only Ombudsman products counted for this year.
    pub product_year: Option<i32>,
}

/// The parent a nested list of action items hangs from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionItemParent {
    Agreement,
    Milestone,
    Opd,
}

/// Which audit events a list holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct AuditFilter {
    pub object_type: Option<String>,
    pub object_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub district_id: Option<i64>,
    pub office_id: Option<i64>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// Which of a user's notifications a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct NotificationFilter {
    pub unread_only: bool,
    pub include_withdrawn: bool,
}

/// Which score records a list holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ScoreFilter {
    pub district_id: Option<i64>,
    pub opd_id: Option<i64>,
    /// Only the districts' own scores (no OPD).
    pub district_level: Option<bool>,
    pub period_id: Option<i64>,
    pub kind: Option<ScoreKind>,
    /// Only the current revision of each score (the default for readers).
    pub current_only: bool,
}

// ---- figure selectors ------------------------------------------------------

/// Whose figures an aggregate gathers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AggregateLevel {
    /// A district: its OPDs' scores (and its own score, when recorded).
    District,
    /// An office: its districts' figures.
    Office,
}

/// What a ranking ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RankingOf {
    Opds,
    Districts,
}

/// Where a ranking looks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RankingFilter {
    pub office_id: Option<i64>,
    pub district_id: Option<i64>,
    /// Only districts of this kind (provinces, regencies and cities are ranked apart).
    pub district_kind: Option<DistrictKind>,
}

/// Whose action items a statistic counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemsOf {
    Office,
    District,
    Opd,
    Agreement,
    /// The OPDs of one agreement, counting only that agreement's items.
    OpdsInAgreement(i64),
}

/// How much an action-item statistic works out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemFigures {
    /// Counts by status and overdue only.
    Counts,
    /// Also verified-on-time and the median days to verify, which need every
    /// verified item's dates (a time-zone conversion and a sort).
    WithTimeliness,
}

/// Whether a score, a target or an Ombudsman product is a district's own or
/// an OPD's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubjectKind {
    District,
    Opd,
}

// ---- typed parents ---------------------------------------------------------

/// A record named by a typed id of one of several kinds. Storage reads such
/// records a kind at a time (the kind picks a column), by row ids; the engine
/// groups what it is asked by [`Kinded::kind`] and names each answer again
/// with [`Kinded::of`], so the id's kind travels with the id and is never a
/// second argument that could disagree with it.
pub trait Kinded: Copy + Eq + Hash {
    /// What storage needs to know to read records of this kind.
    type Kind: Copy + Eq + Hash;
    fn kind(self) -> Self::Kind;
    /// The database row id.
    fn row(self) -> i64;
    fn of(kind: Self::Kind, row: i64) -> Self;
}

/// Declares an enum of typed ids whose variants mirror a kind enum's one to
/// one, and its [`Kinded`] impl (`of` does not compile unless every kind has
/// its variant).
macro_rules! typed_parent {
    ($(#[$meta:meta])* $name:ident: $kind:ident { $($variant:ident($id:ident)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant($id)),+
        }

        impl Kinded for $name {
            type Kind = $kind;

            fn kind(self) -> $kind {
                match self {
                    $($name::$variant(_) => $kind::$variant),+
                }
            }

            fn row(self) -> i64 {
                match self {
                    $($name::$variant(id) => id.0),+
                }
            }

            fn of(kind: $kind, row: i64) -> Self {
                match kind {
                    $($kind::$variant => $name::$variant($id(row))),+
                }
            }
        }
    };
}

typed_parent! {
    /// The record a nested list of action items hangs from.
    ItemParent: ActionItemParent {
        Agreement(AgreementId),
        Milestone(MilestoneId),
        Opd(OpdId),
    }
}

/// Whose action items a statistic counts, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemsIn {
    Office(OfficeId),
    District(DistrictId),
    Opd(OpdId),
    Agreement(AgreementId),
    /// One OPD of an agreement, counting only that agreement's items.
    OpdInAgreement(OpdId, AgreementId),
}

impl Kinded for ItemsIn {
    type Kind = ItemsOf;

    fn kind(self) -> ItemsOf {
        match self {
            ItemsIn::Office(_) => ItemsOf::Office,
            ItemsIn::District(_) => ItemsOf::District,
            ItemsIn::Opd(_) => ItemsOf::Opd,
            ItemsIn::Agreement(_) => ItemsOf::Agreement,
            ItemsIn::OpdInAgreement(_, agreement) => ItemsOf::OpdsInAgreement(agreement.0),
        }
    }

    fn row(self) -> i64 {
        match self {
            ItemsIn::Office(id) => id.0,
            ItemsIn::District(id) => id.0,
            ItemsIn::Opd(id) | ItemsIn::OpdInAgreement(id, _) => id.0,
            ItemsIn::Agreement(id) => id.0,
        }
    }

    fn of(kind: ItemsOf, row: i64) -> Self {
        match kind {
            ItemsOf::Office => ItemsIn::Office(OfficeId(row)),
            ItemsOf::District => ItemsIn::District(DistrictId(row)),
            ItemsOf::Opd => ItemsIn::Opd(OpdId(row)),
            ItemsOf::Agreement => ItemsIn::Agreement(AgreementId(row)),
            ItemsOf::OpdsInAgreement(agreement) => {
                ItemsIn::OpdInAgreement(OpdId(row), AgreementId(agreement))
            }
        }
    }
}

typed_parent! {
    /// Whose scores, targets or Ombudsman products: a district's own or an OPD's.
    ScoreSubject: SubjectKind {
        District(DistrictId),
        Opd(OpdId),
    }
}

typed_parent! {
    /// Whose score figures an aggregate gathers: a district's (over its OPDs)
    /// or an office's (over its districts).
    AggregateOf: AggregateLevel {
        District(DistrictId),
        Office(OfficeId),
    }
}

/// The kinds of record with a history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Recorded {
    Agreement,
    Milestone,
    ActionItem,
}

impl Recorded {
    /// The `object_type` audit entries use for it.
    pub fn object_type(self) -> &'static str {
        match self {
            Recorded::Agreement => "Agreement",
            Recorded::Milestone => "Milestone",
            Recorded::ActionItem => "ActionItem",
        }
    }
}

typed_parent! {
    /// A record whose history (its audit entries) can be read.
    HistoryOf: Recorded {
        Agreement(AgreementId),
        Milestone(MilestoneId),
        ActionItem(ActionItemId),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Storage answers by row id within one kind; naming the answer again must
    /// give back the very id that was asked.
    fn round_trips<K: Kinded + std::fmt::Debug>(ids: &[K]) {
        for &id in ids {
            assert_eq!(K::of(id.kind(), id.row()), id);
        }
    }

    #[test]
    fn a_typed_parent_is_named_again_from_its_kind_and_row() {
        round_trips(&[
            ItemParent::Agreement(AgreementId(3)),
            ItemParent::Milestone(MilestoneId(4)),
            ItemParent::Opd(OpdId(5)),
        ]);
        round_trips(&[
            ItemsIn::Office(OfficeId(1)),
            ItemsIn::District(DistrictId(2)),
            ItemsIn::Opd(OpdId(3)),
            ItemsIn::Agreement(AgreementId(4)),
            ItemsIn::OpdInAgreement(OpdId(5), AgreementId(6)),
        ]);
        round_trips(&[
            ScoreSubject::District(DistrictId(7)),
            ScoreSubject::Opd(OpdId(7)),
        ]);
        round_trips(&[
            AggregateOf::District(DistrictId(8)),
            AggregateOf::Office(OfficeId(8)),
        ]);
        round_trips(&[
            HistoryOf::Agreement(AgreementId(9)),
            HistoryOf::Milestone(MilestoneId(9)),
            HistoryOf::ActionItem(ActionItemId(9)),
        ]);
    }

    #[test]
    fn the_same_row_of_two_kinds_is_two_subjects() {
        assert_ne!(
            ScoreSubject::District(DistrictId(7)),
            ScoreSubject::Opd(OpdId(7))
        );
        assert_ne!(
            ItemsIn::Opd(OpdId(5)).kind(),
            ItemsIn::OpdInAgreement(OpdId(5), AgreementId(6)).kind()
        );
    }
}
