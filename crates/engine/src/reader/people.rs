//! Users as other people see them: each with where its roles sit, so the
//! API can ask `domain::policy::user_visibility` what the caller may see
//! (issue 13, item 5). Three statements per batch, whatever its size.

use std::collections::{BTreeSet, HashMap};

use pendamping_domain::identity::{Reach, Role, Scope, User, UserId};
use pendamping_domain::policy::Target;
use pendamping_storage::{identity, reference as refs};

use super::{Reader, Result};

/// A user and, for each role held, where its scope sits.
#[derive(Debug, Clone)]
pub struct Person {
    pub user: User,
    pub held: Vec<(Role, Target)>,
}

impl Reader {
    /// Users by id with where their roles sit. Callers decide with
    /// `policy::user_visibility` whether to show the user at all.
    pub async fn people_by_ids(&self, ids: &[UserId]) -> Result<Vec<Person>> {
        self.require_reach()?;
        let ids = &UserId::rows(ids);
        let users = identity::users_by_ids(&self.db, ids).await?;
        let mut roles = identity::assignments_of(&self.db, ids).await?;
        // Where a scope sits is not personal: read it whatever the caller's reach.
        let everything = Reach {
            everything: true,
            ..Reach::default()
        };
        let scopes = || roles.values().flatten().map(|a| a.scope);
        let opd_ids: BTreeSet<i64> = scopes()
            .filter_map(|s| match s {
                Scope::Opd(id) => Some(id.0),
                _ => None,
            })
            .collect();
        let opds = refs::opds_by_ids(&self.db, &everything, &Vec::from_iter(opd_ids)).await?;
        let district_of: HashMap<i64, i64> =
            opds.iter().map(|o| (o.id.0, o.district_id.0)).collect();
        let district_ids: BTreeSet<i64> = scopes()
            .filter_map(|s| match s {
                Scope::District(id) => Some(id.0),
                _ => None,
            })
            .chain(district_of.values().copied())
            .collect();
        let districts =
            refs::districts_by_ids(&self.db, &everything, &Vec::from_iter(district_ids)).await?;
        let office_of: HashMap<i64, _> = districts.iter().map(|d| (d.id.0, d.office_id)).collect();
        let target = |scope: Scope| -> Option<Target> {
            Some(match scope {
                Scope::Everything => Target::everywhere(),
                Scope::Office(id) => Target {
                    office: Some(id),
                    ..Target::default()
                },
                Scope::District(id) => Target::district(*office_of.get(&id.0)?, id),
                Scope::Opd(id) => {
                    let district = *district_of.get(&id.0)?;
                    Target::opd(
                        *office_of.get(&district)?,
                        pendamping_domain::reference::DistrictId(district),
                        id,
                    )
                }
            })
        };
        Ok(users
            .into_iter()
            .map(|user| {
                let held = roles
                    .remove(&user.id.0)
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|a| Some((a.role, target(a.scope)?)))
                    .collect();
                Person { user, held }
            })
            .collect())
    }
}
