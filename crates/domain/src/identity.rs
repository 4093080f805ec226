//! Who is asking: users, their role assignments, and the reach that follows
//! from them (DESIGN.md §2). The reach is what every read is filtered by.

use std::collections::BTreeSet;

use crate::reference::{DistrictId, OfficeId, OpdId};

id_type!(
    /// A person (or, for dashboard tokens, a service identity) who uses the API.
    UserId
);
id_type!(
    /// A bearer credential: a login session or a dashboard token (one table).
    AccessTokenId
);

code_enum! {
    /// What a person may do, within the scope of one assignment.
    pub enum Role {
        /// Manages offices, users and methodologies; sees everything.
        SystemAdmin = "SYSTEM_ADMIN",
        /// *Kepala Perwakilan*: reads all of the office, signs off agreements.
        OmbudsmanLead = "OMBUDSMAN_LEAD",
        /// *Asisten Ombudsman*: drafts agreements, runs milestones, raises and verifies action items.
        OmbudsmanAssessor = "OMBUDSMAN_ASSESSOR",
        /// The *Sekda*'s secretariat: reads all of the district, assigns and chases.
        DistrictCoordinator = "DISTRICT_COORDINATOR",
        /// An officer of one OPD: works on that OPD's action items.
        OpdOfficer = "OPD_OFFICER",
        /// A dashboard: reads only, within an office or a district.
        Viewer = "VIEWER",
    }
}

/// A person who uses the API. Passwords never appear here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub disabled: bool,
}

/// What an assignment reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Everything,
    Office(OfficeId),
    District(DistrictId),
    Opd(OpdId),
}

impl Scope {
    pub fn kind(&self) -> ScopeKind {
        match self {
            Scope::Everything => ScopeKind::Everything,
            Scope::Office(_) => ScopeKind::Office,
            Scope::District(_) => ScopeKind::District,
            Scope::Opd(_) => ScopeKind::Opd,
        }
    }
}

code_enum! {
    /// The level an assignment's scope sits at.
    pub enum ScopeKind {
        Everything = "EVERYTHING",
        Office = "OFFICE",
        District = "DISTRICT",
        Opd = "OPD",
    }
}

impl Role {
    /// The scope levels this role may be assigned at (DESIGN.md §2).
    pub fn allowed_scopes(self) -> &'static [ScopeKind] {
        match self {
            Role::SystemAdmin => &[ScopeKind::Everything],
            Role::OmbudsmanLead | Role::OmbudsmanAssessor => &[ScopeKind::Office],
            Role::DistrictCoordinator => &[ScopeKind::District],
            Role::OpdOfficer => &[ScopeKind::Opd],
            Role::Viewer => &[ScopeKind::Office, ScopeKind::District],
        }
    }
}

/// One role held within one scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RoleAssignment {
    pub role: Role,
    pub scope: Scope,
}

/// A role paired with a scope it cannot hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the role {role} is held within {}, not within {}", allowed(.role), .scope.as_str())]
pub struct ScopeMismatch {
    pub role: Role,
    pub scope: ScopeKind,
}

fn allowed(role: &Role) -> String {
    let names: Vec<&str> = role.allowed_scopes().iter().map(|s| s.as_str()).collect();
    names.join(" or ")
}

impl RoleAssignment {
    /// Pairs a role with a scope, refusing pairs that DESIGN.md §2 does not have.
    pub fn new(role: Role, scope: Scope) -> Result<Self, ScopeMismatch> {
        if role.allowed_scopes().contains(&scope.kind()) {
            Ok(Self { role, scope })
        } else {
            Err(ScopeMismatch {
                role,
                scope: scope.kind(),
            })
        }
    }
}

/// Everything an actor may read, resolved from its assignments: whole offices,
/// whole districts, single OPDs. A reach never widens by itself; storage turns
/// it into one SQL condition per kind of record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    pub everything: bool,
    pub offices: BTreeSet<OfficeId>,
    pub districts: BTreeSet<DistrictId>,
    pub opds: BTreeSet<OpdId>,
}

impl Reach {
    /// The reach of a set of assignments.
    pub fn of(assignments: &[RoleAssignment]) -> Self {
        let mut reach = Reach::default();
        for assignment in assignments {
            match assignment.scope {
                Scope::Everything => reach.everything = true,
                Scope::Office(id) => {
                    reach.offices.insert(id);
                }
                Scope::District(id) => {
                    reach.districts.insert(id);
                }
                Scope::Opd(id) => {
                    reach.opds.insert(id);
                }
            }
        }
        reach
    }

    /// Reaches nothing at all (an anonymous caller).
    pub fn is_empty(&self) -> bool {
        !self.everything
            && self.offices.is_empty()
            && self.districts.is_empty()
            && self.opds.is_empty()
    }
}

/// The authenticated caller of one request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Actor {
    /// The user behind the request; `None` for a dashboard API token.
    pub user_id: Option<UserId>,
    /// How the actor appears in audit events (an e-mail or a token label).
    pub label: String,
    pub assignments: Vec<RoleAssignment>,
}

impl Actor {
    /// The actor used by command-line maintenance (migrations, seeding).
    pub fn system(label: &str) -> Self {
        Actor {
            user_id: None,
            label: label.to_owned(),
            assignments: vec![RoleAssignment {
                role: Role::SystemAdmin,
                scope: Scope::Everything,
            }],
        }
    }

    pub fn reach(&self) -> Reach {
        Reach::of(&self.assignments)
    }

    pub fn is_admin(&self) -> bool {
        self.assignments.iter().any(|a| a.role == Role::SystemAdmin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_held_only_at_their_levels() {
        let office = Scope::Office(OfficeId(1));
        let district = Scope::District(DistrictId(2));
        let opd = Scope::Opd(OpdId(3));
        assert!(RoleAssignment::new(Role::SystemAdmin, Scope::Everything).is_ok());
        assert!(RoleAssignment::new(Role::SystemAdmin, office).is_err());
        assert!(RoleAssignment::new(Role::OmbudsmanLead, office).is_ok());
        assert!(RoleAssignment::new(Role::OmbudsmanAssessor, district).is_err());
        assert!(RoleAssignment::new(Role::DistrictCoordinator, district).is_ok());
        assert!(RoleAssignment::new(Role::DistrictCoordinator, office).is_err());
        assert!(RoleAssignment::new(Role::OpdOfficer, opd).is_ok());
        assert!(RoleAssignment::new(Role::OpdOfficer, district).is_err());
        assert!(RoleAssignment::new(Role::Viewer, office).is_ok());
        assert!(RoleAssignment::new(Role::Viewer, district).is_ok());
        assert!(RoleAssignment::new(Role::Viewer, opd).is_err());
    }

    #[test]
    fn a_mismatch_says_where_the_role_belongs() {
        let err = RoleAssignment::new(Role::Viewer, Scope::Opd(OpdId(1))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the role VIEWER is held within OFFICE or DISTRICT, not within OPD"
        );
    }

    #[test]
    fn reach_gathers_every_assignment() {
        let reach = Reach::of(&[
            RoleAssignment::new(Role::DistrictCoordinator, Scope::District(DistrictId(7))).unwrap(),
            RoleAssignment::new(Role::OpdOfficer, Scope::Opd(OpdId(9))).unwrap(),
        ]);
        assert!(!reach.everything);
        assert!(reach.districts.contains(&DistrictId(7)));
        assert!(reach.opds.contains(&OpdId(9)));
        assert!(reach.offices.is_empty());
        assert!(Reach::of(&[]).is_empty());
    }
}
