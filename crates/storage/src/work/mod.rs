//! Agreements, milestones, action items and what hangs off them, one file
//! per aggregate: `agreement`, `milestone`, `action_item`, and
//! `attachments` (evidence and comments, which are read the same way).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use pendamping_domain::action_item::{
    ActionItem, ActionItemStatus, Comment, Evidence, Priority, StandardComponent,
};
use pendamping_domain::agreement::{
    Agreement, AgreementStatus, Amendment, Milestone, MilestoneKind, MilestoneStatus, Reschedule,
};
use pendamping_domain::identity::Reach;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::StorageError;
use crate::convert;
use crate::db::{by_ids, updated_one};
use crate::entity::{
    action_items, agreement_amendments, agreement_opds, agreements, comments, districts, evidence,
    milestone_opds, milestone_reschedules, milestones,
};
use crate::group::children_of;
use crate::page::{self, CursorKey, ListOrder, Page, PageRequest, SortValue};
use crate::reach;
use crate::statuses;

pub use pendamping_domain::read::{
    ActionItemFilter, ActionItemOrder, ActionItemParent, AgreementFilter,
};

fn id_key(id: i64) -> CursorKey {
    CursorKey::of_id(id)
}

mod action_item;
mod agreement;
mod attachments;
mod milestone;
mod transition;

pub use action_item::*;
pub use agreement::*;
pub use attachments::*;
pub use milestone::*;
pub use transition::*;
