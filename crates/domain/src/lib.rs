//! The domain of Pendamping: what an Ombudsman office, a district, its OPDs, a
//! cooperation agreement, its milestones, action items and scores *are*, and the
//! rules that hold for them whatever stores or serves them.
//!
//! Architecture invariant: this crate does no I/O. It knows nothing of SQL,
//! HTTP or GraphQL; it does not read the clock (callers pass "now" in).

#[macro_use]
mod macros;
pub mod figures;
pub mod read;

pub mod action_item;
pub mod agreement;
pub mod audit;
pub mod code;
pub mod deadline;
pub mod events;
pub mod identity;
pub mod ids;
pub mod lifecycle;
pub mod mail;
pub mod policy;
pub mod reference;
pub mod score;
pub mod validation;

pub use validation::{FieldError, Validation};
