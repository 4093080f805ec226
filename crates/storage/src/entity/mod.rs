//! sea-orm entities, one per table. They stay inside this crate: callers get
//! domain values, never `Model`s.

/// How every entity here ends: no relations declared (the queries write their
/// joins where they need them) and sea-orm's default save hooks.
macro_rules! no_relations {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    };
}
pub(crate) use no_relations;

pub mod access_tokens;
pub mod action_item_due_changes;
pub mod action_items;
pub mod agreement_amendments;
pub mod agreement_opds;
pub mod agreements;
pub mod assessment_periods;
pub mod audit_events;
pub mod comments;
pub mod deadline_reminders;
pub mod deadline_sweeps;
pub mod districts;
pub mod domain_events;
pub mod evidence;
pub mod login_attempts;
pub mod login_throttles;
pub mod methodologies;
pub mod methodology_bands;
pub mod methodology_dimensions;
pub mod milestone_opds;
pub mod milestone_reschedules;
pub mod milestones;
pub mod notifications;
pub mod offices;
pub mod opd_reorganisations;
pub mod opd_successions;
pub mod opds;
pub mod password_reset_codes;
pub mod role_assignments;
pub mod score_dimension_values;
pub mod score_records;
pub mod score_targets;
pub mod users;
pub mod webhook_deliveries;
pub mod webhooks;
