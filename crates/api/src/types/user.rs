//! `User` and its roles.

use async_graphql::{Context, ID, Object, SimpleObject};
use pendamping_domain::identity::{self as i, Scope};
use pendamping_domain::policy::{self, UserVisibility};

use super::enums::Role;
use crate::context::{actor, batch};
use crate::id::{Kind, encode};
use crate::scalars::DateTime;

/// Loads a user by optional id, as the caller may see it: null when the
/// user's scopes lie outside the caller's reach (`policy::user_visibility`).
pub async fn load_user(
    ctx: &Context<'_>,
    id: Option<i::UserId>,
) -> async_graphql::Result<Option<User>> {
    match id {
        Some(id) => Ok(batch(ctx)?
            .load_one(id)
            .await?
            .and_then(|person| User::seen_by(actor(ctx).ok()?, person))),
        None => Ok(None),
    }
}

/// A label recorded on a history entry, comment, or audit entry (`stored`,
/// by the user `by`) as the caller may read it: admins read it as recorded;
/// others never read an e-mail there (entries recorded before labels became
/// display names carry one), but the acting user's display name.
pub async fn shown_label(
    ctx: &Context<'_>,
    stored: &str,
    by: Option<i::UserId>,
) -> async_graphql::Result<String> {
    let admin = actor(ctx)?.is_admin();
    let name = match by {
        Some(id) if !admin && personal::label_needs_name(stored) => {
            batch(ctx)?.load_one(id).await?.map(|p| p.user.display_name)
        }
        _ => None,
    };
    Ok(personal::shown_label(admin, stored.to_owned(), name))
}

use pendamping_engine::personal::{self, redact_json};

/// [`redact_json`] unless the caller is an admin.
pub fn json_for(ctx: &Context<'_>, text: Option<&str>) -> Option<String> {
    let admin = actor(ctx).is_ok_and(|a| a.is_admin());
    text.map(|t| if admin { t.to_owned() } else { redact_json(t) })
}

pub struct User {
    pub user: i::User,
    /// Known for the viewer themself; not shown for others.
    pub assignments: Option<Vec<i::RoleAssignment>>,
    /// Known when the user was read by someone who manages the account (`users`, account mutations).
    pub account: Option<AccountFacts>,
    /// Whether the caller may read the e-mail (`policy::user_visibility`).
    pub email_shown: bool,
}

/// What an account manager sees of a user beyond the name.
#[derive(Debug, Clone, Default)]
pub struct AccountFacts {
    pub last_login_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl User {
    /// A user as someone who manages the account sees it: roles, e-mail, last login.
    pub fn managed(m: pendamping_engine::ManagedUser) -> Self {
        User {
            user: m.user,
            assignments: Some(m.assignments),
            account: Some(AccountFacts {
                last_login_at: m.last_login_at,
            }),
            email_shown: true,
        }
    }

    /// A user as others see it: the display name.
    pub fn plain(user: i::User) -> Self {
        User {
            user,
            assignments: None,
            account: None,
            email_shown: false,
        }
    }

    /// A user as `actor` may see it; `None` when its scopes lie outside the actor's reach.
    pub fn seen_by(actor: &i::Actor, person: pendamping_engine::Person) -> Option<Self> {
        match policy::user_visibility(actor, person.user.id, &person.held) {
            UserVisibility::Hidden => None,
            UserVisibility::Name => Some(User::plain(person.user)),
            UserVisibility::NameAndEmail => Some(User {
                email_shown: true,
                ..User::plain(person.user)
            }),
        }
    }
}

/// A person who uses Pendamping. Seen only by callers whose reach includes one of the user's scopes; the e-mail only by the user, admins and whoever manages the account.
#[Object]
impl User {
    /// The global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::User, self.user.id.0)
    }
    /// Name as shown, usually a title (e.g. *Asisten Ombudsman*).
    async fn display_name(&self) -> &str {
        &self.user.display_name
    }
    /// E-mail address: shown to the user themself, to admins, and to whoever manages the account; null for others (docs/api.md, "Who sees whom").
    async fn email(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        let me = actor(ctx)?;
        let allowed = self.email_shown
            || me.is_admin()
            || me.user_id == Some(self.user.id)
            || self.account.is_some();
        Ok(allowed.then_some(self.user.email.as_str()))
    }
    /// When the account was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.user.created_at)
    }
    /// Whether the account may log in (false once deactivated).
    async fn active(&self) -> bool {
        !self.user.disabled
    }
    /// The last successful login: shown to whoever manages the account (`users`); null otherwise or if never.
    async fn last_login_at(&self) -> Option<DateTime> {
        self.account
            .as_ref()
            .and_then(|a| a.last_login_at)
            .map(DateTime)
    }
    /// The roles held and where: listed for the viewer themself (`viewer`) and for whoever manages the account (`users`), empty for others.
    async fn roles(&self) -> Vec<RoleAssignment> {
        self.assignments
            .iter()
            .flatten()
            .map(|a| RoleAssignment::from(*a))
            .collect()
    }
}

/// A role held within a scope.
#[derive(SimpleObject, Debug, Clone)]
pub struct RoleAssignment {
    /// The role.
    pub role: Role,
    /// The office it is held in (office-scoped roles).
    pub office_id: Option<ID>,
    /// The district it is held in (district-scoped roles).
    pub district_id: Option<ID>,
    /// The OPD it is held in (OPD officers).
    pub opd_id: Option<ID>,
}

impl From<i::RoleAssignment> for RoleAssignment {
    fn from(a: i::RoleAssignment) -> Self {
        let (office_id, district_id, opd_id) = match a.scope {
            Scope::Everything => (None, None, None),
            Scope::Office(id) => (Some(encode(Kind::Office, id.0)), None, None),
            Scope::District(id) => (None, Some(encode(Kind::District, id.0)), None),
            Scope::Opd(id) => (None, None, Some(encode(Kind::Opd, id.0))),
        };
        RoleAssignment {
            role: a.role.into(),
            office_id,
            district_id,
            opd_id,
        }
    }
}

/// Who is asking: the user behind the token (absent for dashboard tokens) and the roles in force.
pub struct Viewer {
    pub label: String,
    pub user: Option<User>,
    pub assignments: Vec<i::RoleAssignment>,
}

/// The caller of this request.
#[Object]
impl Viewer {
    /// The user, for a login session; null for a dashboard API token.
    async fn user(&self) -> Option<&User> {
        self.user.as_ref()
    }
    /// How the caller appears in the audit log.
    async fn label(&self) -> &str {
        &self.label
    }
    /// The roles in force for this request, with their scopes.
    async fn roles(&self) -> Vec<RoleAssignment> {
        self.assignments
            .iter()
            .map(|a| RoleAssignment::from(*a))
            .collect()
    }
}
