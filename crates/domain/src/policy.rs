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
        /// Sign, complete or terminate an agreement (workflow `SIGN`, `COMPLETE`, `TERMINATE`).
        ConcludeAgreements = "CONCLUDE_AGREEMENTS",
        /// Drop a draft agreement (workflow `CANCEL`).
        CancelDraftAgreements = "CANCEL_DRAFT_AGREEMENTS",
        /// Start, complete, cancel and reschedule milestones.
        RunMilestones = "RUN_MILESTONES",
        /// Start, submit and resume the work on an action item.
        WorkOnActionItems = "WORK_ON_ACTION_ITEMS",
        /// Verify or reject an action item's fix, cancel the item, extend its due date.
        ReviewActionItems = "REVIEW_ACTION_ITEMS",
    }
}

/// The roles that may take each operation, within their scope. System
/// administrators take no workflow action: they run the system, not the
/// cooperation (separation of duties).
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
        // The OPD proves its own fix (DESIGN.md §2: "add evidence to … own OPD's action items");
        // the district's coordinator (the Bagian Organisasi) may add it on behalf
        // of one of its OPDs: recorded as the coordinator's, the item stays the OPD's.
        Operation::AddEvidence => &[
            Role::SystemAdmin,
            Role::OpdOfficer,
            Role::DistrictCoordinator,
        ],
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
        // The agreement binds the office: its lead signs it and closes it.
        Operation::ConcludeAgreements => &[Role::OmbudsmanLead],
        Operation::CancelDraftAgreements => &[Role::OmbudsmanLead, Role::OmbudsmanAssessor],
        // Assessors run the milestones and judge the OPDs' fixes; the OPD does the work.
        Operation::RunMilestones | Operation::ReviewActionItems => &[Role::OmbudsmanAssessor],
        Operation::WorkOnActionItems => &[Role::OpdOfficer],
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

/// The operation that rules on changing (renaming, deactivating, reorganising)
/// a kind of reference record: offices and districts are the admin's; a
/// district's OPDs are the admin's or that district's coordinator's.
pub fn reference_change(object_type: &str) -> Option<Operation> {
    match object_type {
        "Office" => Some(Operation::ManageOffices),
        "District" => Some(Operation::ManageDistricts),
        "Opd" => Some(Operation::ManageOpds),
        _ => None,
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

/// Whether `actor` is an officer of the OPD of `target` (not a coordinator or
/// an admin acting for it): who an item may be assigned to, and whose
/// evidence is the OPD's own rather than added on its behalf.
pub fn is_opd_officer_at(actor: &Actor, target: &Target) -> bool {
    actor
        .assignments
        .iter()
        .any(|a| a.role == Role::OpdOfficer && covers(a.scope, target))
}

/// May `actor` take `operation` on a record at `target`?
pub fn permits(actor: &Actor, operation: Operation, target: &Target) -> bool {
    let roles = roles_for(operation);
    actor
        .assignments
        .iter()
        .any(|a| roles.contains(&a.role) && covers(a.scope, target))
}

/// Account administration (who may manage whom): the roles a holder of
/// `role` may give, take away, and manage the accounts of, within the scope
/// it holds `role` in. Always roles below its own, so nobody can grant a role
/// or a scope wider than theirs: an admin manages everyone; an Ombudsman lead
/// its office's assessors, its districts' coordinators, their OPD officers and
/// viewers; a district coordinator its OPDs' officers and its district's viewers.
pub fn grantable_by(role: Role) -> &'static [Role] {
    match role {
        Role::SystemAdmin => &[
            Role::SystemAdmin,
            Role::OmbudsmanLead,
            Role::OmbudsmanAssessor,
            Role::DistrictCoordinator,
            Role::OpdOfficer,
            Role::Viewer,
        ],
        Role::OmbudsmanLead => &[
            Role::OmbudsmanAssessor,
            Role::DistrictCoordinator,
            Role::OpdOfficer,
            Role::Viewer,
        ],
        Role::DistrictCoordinator => &[Role::OpdOfficer, Role::Viewer],
        Role::OmbudsmanAssessor | Role::OpdOfficer | Role::Viewer => &[],
    }
}

/// May `actor` give (or take away) `role` held at a scope that sits at `target`?
/// Dashboard tokens are VIEWER grants too: the same rule decides who creates
/// and revokes them.
pub fn may_grant(actor: &Actor, role: Role, target: &Target) -> bool {
    actor
        .assignments
        .iter()
        .any(|a| grantable_by(a.role).contains(&role) && covers(a.scope, target))
}

/// Whether `actor` holds any role that manages accounts.
pub fn grantable_by_any(actor: &Actor) -> bool {
    actor
        .assignments
        .iter()
        .any(|a| !grantable_by(a.role).is_empty())
}

/// May `actor` manage an account (deactivate, reactivate, reset its password,
/// change its roles) whose roles are `held`, each with where its scope sits?
/// Only when the actor could have granted every one of them; an account with
/// no roles is the admins' alone.
pub fn may_manage(actor: &Actor, held: &[(Role, Target)]) -> bool {
    if actor.is_admin() {
        return true;
    }
    !held.is_empty()
        && held
            .iter()
            .all(|(role, target)| may_grant(actor, *role, target))
}

/// The part of an actor's reach in which it manages accounts (the `users` list).
pub fn managed_reach(actor: &Actor) -> crate::identity::Reach {
    let managing: Vec<_> = actor
        .assignments
        .iter()
        .filter(|a| !grantable_by(a.role).is_empty())
        .copied()
        .collect();
    crate::identity::Reach::of(&managing)
}

/// How much of a user a caller sees (issue 13, item 5: nothing personal
/// crosses a scope).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum UserVisibility {
    /// Nothing: the user is "not found" (`node` answers null).
    Hidden,
    /// The display name (and the public facts: created, active).
    Name,
    /// The display name and the e-mail address.
    NameAndEmail,
}

/// What `actor` sees of the user `user` whose roles are `held`, each with
/// where its scope sits:
///
/// - the e-mail: the user themself, admins, and whoever manages the account
///   ([`may_manage`]: a lead for its office's assessors, coordinators, OPD
///   officers and viewers; a coordinator for its OPDs' officers and its
///   district's viewers);
/// - the name: besides those, callers whose reach includes one of the user's
///   scopes (an office reach includes its districts and OPDs, a district
///   reach its OPDs; an OPD officer's reach includes only the OPD);
/// - nothing: everyone else (another district, another OPD, a coordinator
///   asking about the office's staff). A user with no roles is the admins' alone.
///
/// Labels on records (history, comments, audit entries, event payloads) are
/// display names for everyone but admins whatever this answers: the record is
/// in the reader's reach, the person may not be.
pub fn user_visibility(
    actor: &Actor,
    user: crate::identity::UserId,
    held: &[(Role, Target)],
) -> UserVisibility {
    if actor.user_id == Some(user) || actor.is_admin() || may_manage(actor, held) {
        return UserVisibility::NameAndEmail;
    }
    let within_reach = held
        .iter()
        .any(|(_, target)| actor.assignments.iter().any(|a| covers(a.scope, target)));
    if within_reach {
        UserVisibility::Name
    } else {
        UserVisibility::Hidden
    }
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
    fn only_an_officer_of_the_items_opd_works_there() {
        let rsud = Target::opd(SULBAR, MATENG, OpdId(100));
        let dinkes = Target::opd(SULBAR, MATENG, OpdId(101));
        let officer = actor(Role::OpdOfficer, Scope::Opd(OpdId(100)));
        assert!(is_opd_officer_at(&officer, &rsud));
        assert!(!is_opd_officer_at(&officer, &dinkes));
        // The district's coordinator and an admin may act for the OPD, but
        // are not its officers.
        let sekda = actor(Role::DistrictCoordinator, Scope::District(MATENG));
        let admin = actor(Role::SystemAdmin, Scope::Everything);
        assert!(!is_opd_officer_at(&sekda, &rsud));
        assert!(!is_opd_officer_at(&admin, &rsud));
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
    fn a_coordinator_adds_evidence_for_its_own_districts_opds_only() {
        let sekda = actor(Role::DistrictCoordinator, Scope::District(MATENG));
        let rsud = Target::opd(SULBAR, MATENG, OpdId(5));
        let elsewhere = Target::opd(SULBAR, MAMUJU, OpdId(6));
        assert!(permits(&sekda, Operation::AddEvidence, &rsud));
        assert!(!permits(&sekda, Operation::AddEvidence, &elsewhere));
        let assessor = actor(Role::OmbudsmanAssessor, Scope::Office(SULBAR));
        assert!(!permits(&assessor, Operation::AddEvidence, &rsud));
    }

    #[test]
    fn reference_changes_follow_the_record_kind() {
        let sekda = actor(Role::DistrictCoordinator, Scope::District(MATENG));
        let admin = actor(Role::SystemAdmin, Scope::Everything);
        let district = Target::district(SULBAR, MATENG);
        for (kind, sekda_may) in [("Office", false), ("District", false), ("Opd", true)] {
            let op = reference_change(kind).unwrap();
            assert_eq!(permits(&sekda, op, &district), sekda_may, "{kind}");
            assert!(permits(&admin, op, &district), "{kind}");
        }
        assert_eq!(reference_change("Agreement"), None);
    }

    #[test]
    fn a_viewer_changes_nothing() {
        let viewer = actor(Role::Viewer, Scope::District(MATENG));
        for op in Operation::ALL {
            assert!(!permits(&viewer, *op, &Target::district(SULBAR, MATENG)));
        }
    }

    /// Who may grant what where, as a table: (granter, role granted, where, allowed).
    #[test]
    fn who_may_grant_what_where() {
        const ABROAD: OfficeId = OfficeId(2);
        const MAKASSAR: DistrictId = DistrictId(20);
        let opd_own = Target::opd(SULBAR, MATENG, OpdId(100));
        let opd_neighbour = Target::opd(SULBAR, MAMUJU, OpdId(110));
        let opd_abroad = Target::opd(ABROAD, MAKASSAR, OpdId(200));
        let office = Target {
            office: Some(SULBAR),
            ..Target::default()
        };
        let office_abroad = Target {
            office: Some(ABROAD),
            ..Target::default()
        };
        let admin = actor(Role::SystemAdmin, Scope::Everything);
        let lead = actor(Role::OmbudsmanLead, Scope::Office(SULBAR));
        let assessor = actor(Role::OmbudsmanAssessor, Scope::Office(SULBAR));
        let sekda = actor(Role::DistrictCoordinator, Scope::District(MATENG));
        let officer = actor(Role::OpdOfficer, Scope::Opd(OpdId(100)));
        let viewer = actor(Role::Viewer, Scope::District(MATENG));
        let table: &[(&Actor, Role, Target, bool)] = &[
            (&admin, Role::SystemAdmin, Target::everywhere(), true),
            (&admin, Role::OmbudsmanLead, office_abroad, true),
            (&lead, Role::SystemAdmin, Target::everywhere(), false),
            (&lead, Role::OmbudsmanLead, office, false),
            (&lead, Role::OmbudsmanAssessor, office, true),
            (&lead, Role::OmbudsmanAssessor, office_abroad, false),
            (
                &lead,
                Role::DistrictCoordinator,
                Target::district(SULBAR, MAMUJU),
                true,
            ),
            (
                &lead,
                Role::DistrictCoordinator,
                Target::district(ABROAD, MAKASSAR),
                false,
            ),
            (&lead, Role::OpdOfficer, opd_neighbour, true),
            (&lead, Role::OpdOfficer, opd_abroad, false),
            (&lead, Role::Viewer, office, true),
            (&lead, Role::Viewer, Target::district(SULBAR, MATENG), true),
            (&assessor, Role::OpdOfficer, opd_own, false),
            (&assessor, Role::Viewer, office, false),
            (&sekda, Role::OpdOfficer, opd_own, true),
            (&sekda, Role::OpdOfficer, opd_neighbour, false),
            (&sekda, Role::Viewer, Target::district(SULBAR, MATENG), true),
            (
                &sekda,
                Role::Viewer,
                Target::district(SULBAR, MAMUJU),
                false,
            ),
            (&sekda, Role::Viewer, office, false),
            (
                &sekda,
                Role::DistrictCoordinator,
                Target::district(SULBAR, MATENG),
                false,
            ),
            (&sekda, Role::OmbudsmanAssessor, office, false),
            (&officer, Role::OpdOfficer, opd_own, false),
            (
                &viewer,
                Role::Viewer,
                Target::district(SULBAR, MATENG),
                false,
            ),
        ];
        for (who, role, target, allowed) in table {
            assert_eq!(
                may_grant(who, *role, target),
                *allowed,
                "{:?} granting {role} at {target:?}",
                who.assignments[0].role
            );
        }
    }

    #[test]
    fn an_account_is_managed_only_by_who_could_grant_all_its_roles() {
        let lead = actor(Role::OmbudsmanLead, Scope::Office(SULBAR));
        let sekda = actor(Role::DistrictCoordinator, Scope::District(MATENG));
        let officer_here = (Role::OpdOfficer, Target::opd(SULBAR, MATENG, OpdId(100)));
        let officer_there = (Role::OpdOfficer, Target::opd(SULBAR, MAMUJU, OpdId(110)));
        let coordinator = (Role::DistrictCoordinator, Target::district(SULBAR, MATENG));
        assert!(may_manage(&sekda, &[officer_here]));
        assert!(!may_manage(&sekda, &[officer_here, officer_there]));
        assert!(!may_manage(&sekda, &[coordinator]), "not a peer");
        assert!(may_manage(
            &lead,
            &[officer_here, officer_there, coordinator]
        ));
        assert!(!may_manage(
            &lead,
            &[(
                Role::OmbudsmanLead,
                Target {
                    office: Some(SULBAR),
                    ..Target::default()
                }
            )]
        ));
        assert!(
            !may_manage(&lead, &[]),
            "a user without roles is the admins'"
        );
        assert!(may_manage(
            &actor(Role::SystemAdmin, Scope::Everything),
            &[]
        ));
        let reach = managed_reach(&Actor {
            user_id: None,
            label: "both".into(),
            assignments: vec![
                RoleAssignment::new(Role::OmbudsmanAssessor, Scope::Office(OfficeId(3))).unwrap(),
                RoleAssignment::new(Role::DistrictCoordinator, Scope::District(MATENG)).unwrap(),
            ],
        });
        assert!(reach.offices.is_empty(), "an assessor manages no accounts");
        assert!(reach.districts.contains(&MATENG));
    }

    #[test]
    fn a_user_is_seen_within_reach_and_the_email_only_by_managers() {
        use crate::identity::UserId;
        let rsud = UserId(5);
        let held = [(Role::OpdOfficer, Target::opd(SULBAR, MATENG, OpdId(5)))];
        let sekda = actor(Role::DistrictCoordinator, Scope::District(MATENG));
        let neighbour = actor(Role::DistrictCoordinator, Scope::District(MAMUJU));
        let viewer = actor(Role::Viewer, Scope::District(MATENG));
        let assessor = actor(Role::OmbudsmanAssessor, Scope::Office(SULBAR));
        let other_opd = actor(Role::OpdOfficer, Scope::Opd(OpdId(6)));
        let mut me = actor(Role::OpdOfficer, Scope::Opd(OpdId(5)));
        me.user_id = Some(rsud);
        assert_eq!(
            user_visibility(&sekda, rsud, &held),
            UserVisibility::NameAndEmail
        );
        assert_eq!(
            user_visibility(&me, rsud, &held),
            UserVisibility::NameAndEmail
        );
        assert_eq!(user_visibility(&viewer, rsud, &held), UserVisibility::Name);
        assert_eq!(
            user_visibility(&assessor, rsud, &held),
            UserVisibility::Name
        );
        assert_eq!(
            user_visibility(&neighbour, rsud, &held),
            UserVisibility::Hidden
        );
        assert_eq!(
            user_visibility(&other_opd, rsud, &held),
            UserVisibility::Hidden
        );
        // A coordinator does not see the office's staff; nobody but admins a role-less user.
        let staff = [(
            Role::OmbudsmanAssessor,
            Target {
                office: Some(SULBAR),
                ..Target::default()
            },
        )];
        assert_eq!(
            user_visibility(&sekda, UserId(2), &staff),
            UserVisibility::Hidden
        );
        assert_eq!(
            user_visibility(&assessor, UserId(9), &[]),
            UserVisibility::Hidden
        );
    }
}
