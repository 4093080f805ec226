//! Accounts and sessions: `users`, `mySessions`, and the mutations that
//! change one's own password, manage the accounts below one's role, reset a
//! password with a one-time code, and end one's own sessions.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use pendamping_domain::identity::{AccessTokenId, RoleAssignment, UserId};
use pendamping_engine::EngineError;

use crate::connection::{OrderTag, PageInfo, edges, page_complexity, page_request};
use crate::context::{actor, request};
use crate::error::{OrGql, Outcome, UserError, change_with};
use crate::id::input_id;
use crate::id::{Kind, encode};
use crate::mutation::scope_from;
use crate::scalars::DateTime;
use crate::types::enums::Role;
use crate::types::user::User;

const USERS_BY_EMAIL: OrderTag = OrderTag::new("user", "email");

/// A page of users.
pub struct UserConnection {
    edges: Vec<UserEdge>,
    page_info: PageInfo,
    total: u64,
}

/// A page of users, with cursors and the total count.
#[Object]
impl UserConnection {
    /// The users of this page, each with its cursor.
    async fn edges(&self) -> &[UserEdge] {
        &self.edges
    }
    /// The users of this page.
    async fn nodes(&self) -> Vec<&User> {
        self.edges.iter().map(|e| &e.node).collect()
    }
    /// Where this page sits in the list.
    async fn page_info(&self) -> &PageInfo {
        &self.page_info
    }
    /// How many users the whole list holds.
    async fn total_count(&self) -> i64 {
        i64::try_from(self.total).unwrap_or(i64::MAX)
    }
}

/// One user in a page, with its cursor.
pub struct UserEdge {
    cursor: String,
    node: User,
}

/// One user in a page, with its cursor.
#[Object]
impl UserEdge {
    /// The position of this user, for `after` and `before`.
    async fn cursor(&self) -> &str {
        &self.cursor
    }
    /// The user.
    async fn node(&self) -> &User {
        &self.node
    }
}

/// One of my login sessions.
#[derive(SimpleObject)]
pub struct Session {
    /// The session's ID, for `revokeSession`.
    pub id: ID,
    /// When it began (the login).
    pub created_at: DateTime,
    /// When it was last used, where recorded; null otherwise.
    pub last_used_at: Option<DateTime>,
    /// When it stops working.
    pub expires_at: Option<DateTime>,
    /// Whether this request came with it.
    pub current: bool,
}

#[derive(Default)]
pub struct AccountsQuery;

/// Accounts and sessions.
#[Object]
impl AccountsQuery {
    /// The accounts you manage, by e-mail, with their roles, last login and whether they are active: everyone for an admin, the office's and its districts' accounts for an Ombudsman lead, the district's and its OPDs' for a district coordinator; empty for roles that manage no accounts.
    #[graphql(complexity = "page_complexity(child_complexity, first, last)")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Take this many items from the start (at most 100; default 20).")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "Take this many items from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<UserConnection> {
        let actor = actor(ctx)?;
        let page = page_request(
            first,
            after.as_deref(),
            last,
            before.as_deref(),
            USERS_BY_EMAIL,
        )?;
        let (found, total) = request(ctx)?.engine.users(actor, &page).await.gql()?;
        let (edges, page_info) = edges(USERS_BY_EMAIL, found, |cursor, m| UserEdge {
            cursor,
            node: User::managed(m),
        });
        Ok(UserConnection {
            edges,
            page_info,
            total,
        })
    }

    /// My live login sessions, newest first (empty for a dashboard token).
    async fn my_sessions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Session>> {
        let actor = actor(ctx)?;
        let rc = request(ctx)?;
        let sessions = rc
            .engine
            .my_sessions(actor, rc.token.as_deref())
            .await
            .gql()?;
        Ok(sessions
            .into_iter()
            .map(|s| Session {
                id: encode(Kind::Session, s.id.0),
                created_at: DateTime(s.created_at),
                last_used_at: s.last_used_at.map(DateTime),
                expires_at: s.expires_at.map(DateTime),
                current: s.current,
            })
            .collect())
    }
}

/// A new password for myself.
#[derive(InputObject)]
pub struct ChangePasswordInput {
    /// My current password.
    #[graphql(secret)]
    pub old_password: String,
    /// The new one, at least 12 characters.
    #[graphql(secret)]
    pub new_password: String,
}

/// The result of `changePassword`.
#[derive(SimpleObject)]
pub struct ChangePasswordPayload {
    /// Me, when the password was changed.
    pub user: Option<User>,
    /// Seconds to wait before trying again, when too many attempts failed (`RATE_LIMITED`).
    pub retry_after_seconds: Option<i64>,
    /// Why it was not changed, if it was not.
    pub user_errors: Vec<UserError>,
}

/// A role to give or take away, and the user.
#[derive(InputObject)]
pub struct GrantRoleInput {
    /// The user.
    pub user_id: ID,
    /// The role.
    pub role: Role,
    /// The office, district or OPD it is held in (none for `SYSTEM_ADMIN`).
    pub scope_id: Option<ID>,
}

/// The result of `grantRole`.
#[derive(SimpleObject)]
pub struct GrantRolePayload {
    /// The user, with its roles now.
    pub user: Option<User>,
    /// Why not, if not.
    pub user_errors: Vec<UserError>,
}

/// A role to take away, and the user.
#[derive(InputObject)]
pub struct RevokeRoleInput {
    /// The user.
    pub user_id: ID,
    /// The role.
    pub role: Role,
    /// The office, district or OPD it is held in (none for `SYSTEM_ADMIN`).
    pub scope_id: Option<ID>,
}

/// The result of `revokeRole`.
#[derive(SimpleObject)]
pub struct RevokeRolePayload {
    /// The user, with its roles now.
    pub user: Option<User>,
    /// Why not, if not.
    pub user_errors: Vec<UserError>,
}

/// The account to deactivate.
#[derive(InputObject)]
pub struct DeactivateUserInput {
    /// The user.
    pub user_id: ID,
}

/// The result of `deactivateUser`.
#[derive(SimpleObject)]
pub struct DeactivateUserPayload {
    /// The user, now inactive.
    pub user: Option<User>,
    /// Why not, if not.
    pub user_errors: Vec<UserError>,
}

/// The account to reactivate.
#[derive(InputObject)]
pub struct ReactivateUserInput {
    /// The user.
    pub user_id: ID,
}

/// The result of `reactivateUser`.
#[derive(SimpleObject)]
pub struct ReactivateUserPayload {
    /// The user, active again.
    pub user: Option<User>,
    /// Why not, if not.
    pub user_errors: Vec<UserError>,
}

/// Whose password to reset.
#[derive(InputObject)]
pub struct IssuePasswordResetInput {
    /// The user.
    pub user_id: ID,
}

/// The result of `issuePasswordReset`.
#[derive(SimpleObject)]
pub struct IssuePasswordResetPayload {
    /// The user the code is for.
    pub user: Option<User>,
    /// The one-time reset code, shown this once: hand it to the user, who
    /// exchanges it with `resetPassword`. Any earlier code stops working.
    pub reset_code: Option<String>,
    /// When the code stops working.
    pub expires_at: Option<DateTime>,
    /// Why not, if not.
    pub user_errors: Vec<UserError>,
}

/// A reset code exchanged for a new password.
#[derive(InputObject)]
pub struct ResetPasswordInput {
    /// The account's e-mail address.
    pub email: String,
    /// The code the account's manager gave you (`XXXX-XXXX-XXXX`; case and dashes do not matter).
    #[graphql(secret)]
    pub code: String,
    /// The new password, at least 12 characters.
    #[graphql(secret)]
    pub new_password: String,
}

/// The result of `resetPassword`.
#[derive(SimpleObject)]
pub struct ResetPasswordPayload {
    /// Whether the password was reset (log in with it now).
    pub reset: bool,
    /// Seconds to wait before trying again, when too many attempts failed (`RATE_LIMITED`).
    pub retry_after_seconds: Option<i64>,
    /// Why not, if not.
    pub user_errors: Vec<UserError>,
}

/// The session to end.
#[derive(InputObject)]
pub struct RevokeSessionInput {
    /// The session's ID (from `mySessions`).
    pub session_id: ID,
}

/// The result of `revokeSession`.
#[derive(SimpleObject)]
pub struct RevokeSessionPayload {
    /// Whether the session was ended.
    pub revoked: bool,
    /// Why not, if not.
    pub user_errors: Vec<UserError>,
}

/// The seconds to wait of a throttled attempt.
fn retry_after(result: &Result<impl Sized, EngineError>) -> Option<i64> {
    match result {
        Err(EngineError::Throttled {
            retry_after_seconds,
        }) => Some(i64::try_from(*retry_after_seconds).unwrap_or(i64::MAX)),
        _ => None,
    }
}

fn assignment(role: Role, scope_id: Option<&ID>) -> Result<RoleAssignment, EngineError> {
    let scope = scope_from("scopeId", role, scope_id)?;
    RoleAssignment::new(role.into(), scope)
        .map_err(|e| EngineError::invalid("scopeId", e.to_string()))
}

#[derive(Default)]
pub struct AccountsMutation;

/// Accounts and sessions.
#[Object]
impl AccountsMutation {
    /// Changes my password. The old password is required (failures are
    /// throttled like logins); every other session of mine ends, this one stays.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Old and new password.")] input: ChangePasswordInput,
    ) -> async_graphql::Result<ChangePasswordPayload> {
        let actor = actor(ctx)?;
        let rc = request(ctx)?;
        let result = rc
            .engine
            .change_password(
                actor,
                rc.token.as_deref(),
                &input.old_password,
                &input.new_password,
            )
            .await;
        let retry_after_seconds = retry_after(&result);
        let (user, user_errors) = result.outcome()?;
        Ok(ChangePasswordPayload {
            user: user.map(|u| User {
                user: u,
                assignments: Some(actor.assignments.clone()),
                account: None,
                email_shown: true,
            }),
            retry_after_seconds,
            user_errors,
        })
    }

    /// Gives a user a role: admins any; an Ombudsman lead assessors,
    /// coordinators, OPD officers and viewers within the office; a district
    /// coordinator OPD officers and viewers within the district — and only
    /// to accounts whose roles are all below theirs.
    async fn grant_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The user and the role.")] input: GrantRoleInput,
    ) -> async_graphql::Result<GrantRolePayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = match (
            input_id("userId", Kind::User, &input.user_id),
            assignment(input.role, input.scope_id.as_ref()),
        ) {
            (Ok(user), Ok(a)) => engine.grant_role(actor, UserId(user), a).await,
            (Err(e), _) | (_, Err(e)) => Err(e),
        };
        let (user, user_errors) = result.outcome()?;
        Ok(GrantRolePayload {
            user: user.map(User::managed),
            user_errors,
        })
    }

    /// Takes a role away from a user (same rule as `grantRole`). The last role cannot be taken; deactivate the account instead.
    async fn revoke_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The user and the role.")] input: RevokeRoleInput,
    ) -> async_graphql::Result<RevokeRolePayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = match (
            input_id("userId", Kind::User, &input.user_id),
            assignment(input.role, input.scope_id.as_ref()),
        ) {
            (Ok(user), Ok(a)) => engine.revoke_role(actor, UserId(user), a).await,
            (Err(e), _) | (_, Err(e)) => Err(e),
        };
        let (user, user_errors) = result.outcome()?;
        Ok(RevokeRolePayload {
            user: user.map(User::managed),
            user_errors,
        })
    }

    /// Deactivates an account you manage: it cannot log in, and its sessions end at once.
    async fn deactivate_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The user.")] input: DeactivateUserInput,
    ) -> async_graphql::Result<DeactivateUserPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = change_with(input_id("userId", Kind::User, &input.user_id), |user| {
            engine.set_user_active(actor, UserId(user), false)
        })
        .await;
        let (user, user_errors) = result.outcome()?;
        Ok(DeactivateUserPayload {
            user: user.map(User::managed),
            user_errors,
        })
    }

    /// Reactivates an account you manage (its old sessions stay ended).
    async fn reactivate_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The user.")] input: ReactivateUserInput,
    ) -> async_graphql::Result<ReactivateUserPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = change_with(input_id("userId", Kind::User, &input.user_id), |user| {
            engine.set_user_active(actor, UserId(user), true)
        })
        .await;
        let (user, user_errors) = result.outcome()?;
        Ok(ReactivateUserPayload {
            user: user.map(User::managed),
            user_errors,
        })
    }

    /// Issues a one-time password reset code for an account you manage. The
    /// code is shown once, here; it expires (24 hours by default) and ends
    /// any earlier code of the account.
    async fn issue_password_reset(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The user.")] input: IssuePasswordResetInput,
    ) -> async_graphql::Result<IssuePasswordResetPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = change_with(input_id("userId", Kind::User, &input.user_id), |user| {
            engine.issue_password_reset(actor, UserId(user))
        })
        .await;
        let (issued, user_errors) = result.outcome()?;
        Ok(match issued {
            Some(issued) => IssuePasswordResetPayload {
                expires_at: Some(DateTime(issued.expires_at)),
                reset_code: Some(issued.code),
                user: Some(User {
                    user: issued.user,
                    assignments: None,
                    account: Some(Default::default()),
                    email_shown: true,
                }),
                user_errors,
            },
            None => IssuePasswordResetPayload {
                user: None,
                reset_code: None,
                expires_at: None,
                user_errors,
            },
        })
    }

    /// Exchanges an e-mail and a reset code for a new password; no login
    /// needed. Failures are throttled per account and per address like
    /// logins. Every session of the account ends.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "E-mail, code and new password.")] input: ResetPasswordInput,
    ) -> async_graphql::Result<ResetPasswordPayload> {
        let rc = request(ctx)?;
        let result = rc
            .engine
            .reset_password(
                &input.email,
                &input.code,
                &input.new_password,
                rc.client_address.as_deref(),
            )
            .await;
        let retry_after_seconds = retry_after(&result);
        let (done, user_errors) = result.outcome()?;
        Ok(ResetPasswordPayload {
            reset: done.is_some(),
            retry_after_seconds,
            user_errors,
        })
    }

    /// Ends one of my own sessions (from `mySessions`); anyone else's is not found.
    async fn revoke_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The session.")] input: RevokeSessionInput,
    ) -> async_graphql::Result<RevokeSessionPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = change_with(
            input_id("sessionId", Kind::Session, &input.session_id),
            |id| engine.revoke_session(actor, AccessTokenId(id)),
        )
        .await;
        let (done, user_errors) = result.outcome()?;
        Ok(RevokeSessionPayload {
            revoked: done.is_some(),
            user_errors,
        })
    }
}
