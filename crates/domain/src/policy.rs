//! Who may do what, where (DESIGN.md §2), as one table. The engine asks
//! [`permits`] before every change; nothing else decides.

use crate::identity::{Actor, Role, Scope};
use crate::reference::{DistrictId, OfficeId, OpdId};

code_enum! {
    /// A kind of change that the policy rules on.
    pub enum Operation {
        /// Create or edit Ombudsman offices.
        ManageOffices = "MANAGE_OFFICES",
        /// Create or edit districts.
        ManageDistricts = "MANAGE_DISTRICTS",
        /// Create or edit a district's OPDs.
        ManageOpds = "MANAGE_OPDS",
        /// Create users and give them roles.
        ManageUsers = "MANAGE_USERS",
        /// Create and revoke dashboard API tokens.
        ManageApiTokens = "MANAGE_API_TOKENS",
        /// Add methodology versions and assessment periods.
        ManageMethodologies = "MANAGE_METHODOLOGIES",
        /// Record and correct scores.
        RecordScores = "RECORD_SCORES",
        /// Add evidence to an action item.
        AddEvidence = "ADD_EVIDENCE",
        /// Comment on an action item.
        Comment = "COMMENT",
        /// Draft an agreement.
        DraftAgreements = "DRAFT_AGREEMENTS",
        /// Add milestones to an agreement.
        PlanMilestones = "PLAN_MILESTONES",
        /// Raise a finding as an action item.
        RaiseActionItems = "RAISE_ACTION_ITEMS",
        /// Assign an action item to an officer of its OPD.
        AssignActionItems = "ASSIGN_ACTION_ITEMS",
        /// Record an amendment (*addendum*) of a signed agreement.
        AmendAgreements = "AMEND_AGREEMENTS",
        /// Register and deactivate webhooks (they receive events of every scope).
        ManageWebhooks = "MANAGE_WEBHOOKS",
        /// Set a district's or OPD's score target for a year.
        SetScoreTargets = "SET_SCORE_TARGETS",
    }
}

/// The roles that may take each operation, within their scope.
pub fn roles_for(operation: Operation) -> &'static [Role] {
    match operation {
        Operation::ManageOffices
        | Operation::ManageDistricts
        | Operation::ManageUsers
        | Operation::ManageApiTokens
        | Operation::ManageMethodologies
        | Operation::ManageWebhooks => &[Role::SystemAdmin],
        // The Sekda's secretariat keeps its own district's list of OPDs.
        Operation::ManageOpds => &[Role::SystemAdmin, Role::DistrictCoordinator],
        // Assessors record scores for the districts of their office (DESIGN.md §2).
        Operation::RecordScores => &[Role::SystemAdmin, Role::OmbudsmanAssessor],
        // The OPD proves its own fix (DESIGN.md §2: "add evidence to … own OPD's action items").
        Operation::AddEvidence => &[Role::SystemAdmin, Role::OpdOfficer],
        // DESIGN.md §2: assessors draft agreements and run milestones and items;
        // the Sekda's secretariat assigns items to OPD officers.
        Operation::DraftAgreements => &[Role::OmbudsmanLead, Role::OmbudsmanAssessor],
        Operation::PlanMilestones | Operation::RaiseActionItems => &[Role::OmbudsmanAssessor],
        Operation::AssignActionItems => &[Role::DistrictCoordinator],
        // Amendments are signed like the agreement: by the office's lead.
        Operation::AmendAgreements => &[Role::OmbudsmanLead],
        // A district sets its own aims; the office's lead may set them for its districts.
        Operation::SetScoreTargets => &[
            Role::SystemAdmin,
            Role::OmbudsmanLead,
            Role::DistrictCoordinator,
        ],
        // Everyone who works on an item may discuss it; dashboards may not.
        Operation::Comment => &[
            Role::SystemAdmin,
            Role::OmbudsmanLead,
            Role::OmbudsmanAssessor,
            Role::DistrictCoordinator,
            Role::OpdOfficer,
        ],
    }
}

/// Where the record a change touches belongs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Target {
    pub office: Option<OfficeId>,
    pub district: Option<DistrictId>,
    pub opd: Option<OpdId>,
}

impl Target {
    pub fn everywhere() -> Self {
        Target::default()
    }

    /// A record of one OPD (an action item): covered by office, district and OPD scopes.
    pub fn opd(office: OfficeId, district: DistrictId, opd: OpdId) -> Self {
        Target {
            office: Some(office),
            district: Some(district),
            opd: Some(opd),
        }
    }

    pub fn district(office: OfficeId, district: DistrictId) -> Self {
        Target {
            office: Some(office),
            district: Some(district),
            opd: None,
        }
    }
}

/// Whether an assignment's scope covers a target.
pub fn covers(scope: Scope, target: &Target) -> bool {
    match scope {
        Scope::Everything => true,
        Scope::Office(office) => target.office == Some(office),
        Scope::District(district) => target.district == Some(district),
        Scope::Opd(opd) => target.opd == Some(opd),
    }
}

/// May `actor` take `operation` on a record at `target`?
pub fn permits(actor: &Actor, operation: Operation, target: &Target) -> bool {
    let roles = roles_for(operation);
    actor
        .assignments
        .iter()
        .any(|a| roles.contains(&a.role) && covers(a.scope, target))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::RoleAssignment;

    fn actor(role: Role, scope: Scope) -> Actor {
        Actor {
            user_id: None,
            label: "test".into(),
            assignments: vec![RoleAssignment::new(role, scope).unwrap()],
        }
    }

    const SULBAR: OfficeId = OfficeId(1);
    const MATENG: DistrictId = DistrictId(10);
    const MAMUJU: DistrictId = DistrictId(11);

    #[test]
    fn only_an_admin_manages_offices_users_and_tokens() {
        let admin = actor(Role::SystemAdmin, Scope::Everything);
        let lead = actor(Role::OmbudsmanLead, Scope::Office(SULBAR));
        for op in [
            Operation::ManageOffices,
            Operation::ManageDistricts,
            Operation::ManageUsers,
            Operation::ManageApiTokens,
            Operation::ManageMethodologies,
            Operation::ManageWebhooks,
        ] {
            assert!(permits(&admin, op, &Target::district(SULBAR, MATENG)));
            assert!(!permits(&lead, op, &Target::district(SULBAR, MATENG)));
        }
    }

    #[test]
    fn a_coordinator_manages_the_opds_of_its_own_district_only() {
        let sekda = actor(Role::DistrictCoordinator, Scope::District(MATENG));
        assert!(permits(
            &sekda,
            Operation::ManageOpds,
            &Target::district(SULBAR, MATENG)
        ));
        assert!(!permits(
            &sekda,
            Operation::ManageOpds,
            &Target::district(SULBAR, MAMUJU)
        ));
    }

    #[test]
    fn a_viewer_changes_nothing() {
        let viewer = actor(Role::Viewer, Scope::District(MATENG));
        for op in Operation::ALL {
            assert!(!permits(&viewer, *op, &Target::district(SULBAR, MATENG)));
        }
    }
}
