//! Accounts the offices run themselves: changing one's own password,
//! managing the accounts below one's role (roles, deactivation, reset codes),
//! one's own sessions, and the command line's recovery paths.
//!
//! Who may manage whom is `domain::policy::{may_grant, may_manage}`; this
//! module only finds where each scope sits and asks.

use chrono::{DateTime, Utc};
use pendamping_domain::audit::AuditKind;
use pendamping_domain::identity::{
    AccessTokenId, Actor, Reach, RoleAssignment, Scope, User, UserId,
};
use pendamping_domain::policy::{self, Target};
use pendamping_domain::validation::Validation;
use pendamping_storage::ConnectionTrait;
use pendamping_storage::accounts::{self, Session};
use pendamping_storage::identity;
use pendamping_storage::page::{Page, PageRequest};
use rand::Rng as _;
use serde_json::json;

use crate::auth::{
    MIN_PASSWORD_LEN, hash_password_off_workers, normalise_email, token_hash,
    verify_password_off_workers,
};
use crate::error::FoundOne;
use crate::reference::{Subject, append_audit};
use crate::throttle::Outcome;
use crate::{Engine, EngineError};

/// A user as an account manager sees it.
#[derive(Debug, Clone)]
pub struct ManagedUser {
    pub user: User,
    pub assignments: Vec<RoleAssignment>,
    pub last_login_at: Option<DateTime<Utc>>,
}

/// A reset code as handed out: shown once to the person who issued it.
#[derive(Clone)]
pub struct IssuedResetCode {
    pub user: User,
    pub code: String,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for IssuedResetCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedResetCode")
            .field("user", &self.user.id)
            .field("code", &"[redacted]")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// One of my sessions.
#[derive(Debug, Clone)]
pub struct MySession {
    pub id: AccessTokenId,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    /// The session this request came with.
    pub current: bool,
}

/// Letters and digits that cannot be mistaken for each other when read aloud or copied.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const CODE_LEN: usize = 12;

/// A new reset code, `XXXX-XXXX-XXXX` (60 random bits).
fn new_reset_code() -> String {
    let mut rng = rand::rng();
    let chars: Vec<char> = (0..CODE_LEN)
        .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The stored form of a reset code: spaces, dashes and case do not matter.
fn reset_code_hash(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    token_hash(&format!("reset:{normal}"))
}

const WRONG_RESET: &str = "the e-mail or the reset code is wrong, used or expired";

fn check_new_password(v: &mut Validation, field: &str, password: &str) {
    v.check(
        password.chars().count() >= MIN_PASSWORD_LEN,
        field,
        &format!("must be at least {MIN_PASSWORD_LEN} characters"),
    );
    v.check(
        password.chars().count() <= 1024,
        field,
        "must be at most 1024 characters",
    );
}

fn label(scope: Scope) -> String {
    format!("{scope:?}")
}

impl Engine {
    /// Where a scope sits (its office, district and OPD), for the policy.
    pub(crate) async fn scope_target(
        &self,
        db: &impl ConnectionTrait,
        scope: Scope,
    ) -> Result<Target, EngineError> {
        use pendamping_storage::reference as refs;
        let everything = Reach {
            everything: true,
            ..Reach::default()
        };
        let missing = || EngineError::invalid("scope", "names no existing office, district or OPD");
        Ok(match scope {
            Scope::Everything => Target::everywhere(),
            Scope::Office(id) => {
                refs::offices_by_ids(db, &everything, &[id.0])
                    .await?
                    .first()
                    .ok_or_else(missing)?;
                Target {
                    office: Some(id),
                    ..Target::default()
                }
            }
            Scope::District(id) => {
                let district = refs::districts_by_ids(db, &everything, &[id.0])
                    .await?
                    .one_or(missing)?;
                Target::district(district.office_id, id)
            }
            Scope::Opd(id) => {
                let opd = refs::opds_by_ids(db, &everything, &[id.0])
                    .await?
                    .one_or(missing)?;
                let district = refs::districts_by_ids(db, &everything, &[opd.district_id.0])
                    .await?
                    .one_or(missing)?;
                Target::opd(district.office_id, opd.district_id, id)
            }
        })
    }

    /// Refuses an assignment the actor may not give (or take away).
    pub(crate) async fn forbid_grant(
        &self,
        db: &impl ConnectionTrait,
        actor: &Actor,
        assignment: RoleAssignment,
    ) -> Result<Target, EngineError> {
        let target = self.scope_target(db, assignment.scope).await?;
        if policy::may_grant(actor, assignment.role, &target) {
            Ok(target)
        } else {
            Err(EngineError::Forbidden(format!(
                "you may not give or take away the role {} there",
                assignment.role
            )))
        }
    }

    /// A user the actor manages, with its roles and where the first one sits
    /// (the audit entry's place). A user outside the actor's reach is not
    /// found; one inside it but not below the actor is forbidden.
    async fn managed(
        &self,
        db: &impl ConnectionTrait,
        actor: &Actor,
        id: UserId,
    ) -> Result<(User, Vec<RoleAssignment>, Target), EngineError> {
        let not_found = || EngineError::NotFound(format!("user {id}"));
        let user = identity::users_by_ids(db, &[id.0])
            .await?
            .one_or(not_found)?;
        let assignments = identity::assignments_of(db, &[id.0])
            .await?
            .remove(&id.0)
            .unwrap_or_default();
        let mut held = Vec::with_capacity(assignments.len());
        for a in &assignments {
            held.push((a.role, self.scope_target(db, a.scope).await?));
        }
        let managing = policy::managed_reach(actor);
        let visible = actor.is_admin()
            || held.iter().any(|(_, t)| {
                actor
                    .assignments
                    .iter()
                    .any(|a| !policy::grantable_by(a.role).is_empty() && policy::covers(a.scope, t))
            });
        if !visible || managing.is_empty() {
            return Err(not_found());
        }
        if !policy::may_manage(actor, &held) {
            return Err(EngineError::Forbidden(
                "you may manage only accounts whose roles are all below yours, within your scope"
                    .into(),
            ));
        }
        let place = held.first().map(|(_, t)| *t).unwrap_or_default();
        Ok((user, assignments, place))
    }

    /// The users whose roles lie within the reach the actor manages accounts
    /// in (everyone for an admin; nobody for roles that manage no accounts).
    pub async fn users(
        &self,
        actor: &Actor,
        request: &PageRequest,
    ) -> Result<(Page<ManagedUser>, u64), EngineError> {
        let reach = policy::managed_reach(actor);
        if reach.is_empty() {
            return Ok((Page::empty(), 0));
        }
        let page = accounts::list_users(&self.db, &reach, request).await?;
        let total = accounts::count_users(&self.db, &reach).await?;
        let ids: Vec<i64> = page.items.iter().map(|(_, u)| u.id.0).collect();
        let emails: Vec<String> = page.items.iter().map(|(_, u)| u.email.clone()).collect();
        let mut roles = identity::assignments_of(&self.db, &ids).await?;
        let logins = accounts::last_logins(&self.db, &emails).await?;
        let page = page.try_map(|user| {
            Ok::<_, EngineError>(ManagedUser {
                assignments: roles.remove(&user.id.0).unwrap_or_default(),
                last_login_at: logins.get(&user.email).copied(),
                user,
            })
        })?;
        Ok((page, total))
    }

    /// Changes the actor's own password. The old one is required (and
    /// throttled like a login); every other session of the user ends, the
    /// one this request came with (`current_token`) stays.
    pub async fn change_password(
        &self,
        actor: &Actor,
        current_token: Option<&str>,
        old_password: &str,
        new_password: &str,
    ) -> Result<User, EngineError> {
        let user_id = actor.user_id.ok_or_else(|| {
            EngineError::Forbidden("a dashboard token has no password to change".into())
        })?;
        let user = self
            .user(user_id)
            .await?
            .ok_or_else(|| EngineError::NotFound(format!("user {user_id}")))?;
        let mut v = Validation::new();
        check_new_password(&mut v, "newPassword", new_password);
        v.check(
            new_password != old_password,
            "newPassword",
            "must differ from the old password",
        );
        v.finish()?;
        let ticket = self
            .admit(self.throttle_keys("account", &user.email, None))
            .await?;
        let hash = accounts::password_hash(&self.db, user_id).await?;
        self.password_checks
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let has_hash = hash.is_some();
        let verified = verify_password_off_workers(old_password, hash).await? && has_hash;
        self.settle(ticket, Outcome::of_check(verified)).await?;
        if !verified {
            return Err(EngineError::invalid("oldPassword", "is not your password"));
        }
        let new_hash = hash_password_off_workers(new_password).await?;
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        accounts::set_password(&txn, user_id, &new_hash).await?;
        let keep = current_token.map(|t| token_hash(t.trim()));
        let ended = accounts::revoke_sessions_of(&txn, user_id, keep.as_deref(), now).await?;
        append_audit(
            &txn,
            actor,
            AuditKind::PasswordChanged,
            Subject::new("User", user_id.0, self.user_place(&txn, user_id).await?),
            json!({"otherSessionsEnded": ended}),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(user)
    }

    /// Where a user's first role sits (the audit entry's place).
    async fn user_place(
        &self,
        db: &impl ConnectionTrait,
        user_id: UserId,
    ) -> Result<Target, EngineError> {
        let first = identity::assignments_of(db, &[user_id.0])
            .await?
            .remove(&user_id.0)
            .and_then(|a| a.first().copied());
        match first {
            Some(a) => self.scope_target(db, a.scope).await,
            None => Ok(Target::everywhere()),
        }
    }

    /// Gives a user one more role (within what the actor may grant).
    pub async fn grant_role(
        &self,
        actor: &Actor,
        user_id: UserId,
        assignment: RoleAssignment,
    ) -> Result<ManagedUser, EngineError> {
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let (user, held, _) = self.managed(&txn, actor, user_id).await?;
        let target = self.forbid_grant(&txn, actor, assignment).await?;
        if held.contains(&assignment) {
            return Err(EngineError::invalid(
                "role",
                "the user holds this role there already",
            ));
        }
        identity::insert_assignment(&txn, user_id, assignment, now).await?;
        let change = (AuditKind::UserRoleGranted, user.email.as_str(), assignment);
        self.role_changed(txn, actor, user_id, change, target, now)
            .await
    }

    /// Audits a role granted or revoked (`kind`, the user's e-mail, the
    /// assignment), commits, and answers with the user as changed.
    async fn role_changed(
        &self,
        txn: pendamping_storage::DatabaseTransaction,
        actor: &Actor,
        user_id: UserId,
        (kind, email, assignment): (AuditKind, &str, RoleAssignment),
        target: Target,
        now: DateTime<Utc>,
    ) -> Result<ManagedUser, EngineError> {
        let after = json!({"email": email, "role": assignment.role.as_str(),
                           "scope": label(assignment.scope)});
        let subject = Subject::new("User", user_id.0, target);
        append_audit(&txn, actor, kind, subject, after, now).await?;
        txn.commit().await?;
        self.managed_user(user_id).await
    }

    /// Takes a role away from a user. The last role cannot be taken away:
    /// deactivate the account instead.
    pub async fn revoke_role(
        &self,
        actor: &Actor,
        user_id: UserId,
        assignment: RoleAssignment,
    ) -> Result<ManagedUser, EngineError> {
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let (user, held, _) = self.managed(&txn, actor, user_id).await?;
        let target = self.forbid_grant(&txn, actor, assignment).await?;
        if !held.contains(&assignment) {
            return Err(EngineError::invalid(
                "role",
                "the user does not hold this role there",
            ));
        }
        if held.len() == 1 {
            return Err(EngineError::invalid(
                "role",
                "this is the user's last role; deactivate the account instead",
            ));
        }
        accounts::delete_assignment(&txn, user_id, assignment).await?;
        let change = (AuditKind::UserRoleRevoked, user.email.as_str(), assignment);
        self.role_changed(txn, actor, user_id, change, target, now)
            .await
    }

    /// Deactivates (`active: false`) or reactivates a user. Deactivation ends
    /// every session of the user at once (they stay ended on reactivation).
    pub async fn set_user_active(
        &self,
        actor: &Actor,
        user_id: UserId,
        active: bool,
    ) -> Result<ManagedUser, EngineError> {
        if actor.user_id == Some(user_id) && !active {
            return Err(EngineError::invalid(
                "userId",
                "you cannot deactivate your own account",
            ));
        }
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let (user, _, place) = self.managed(&txn, actor, user_id).await?;
        let changed = accounts::set_disabled(&txn, user_id, (!active).then_some(now)).await?;
        let ended = if active {
            0
        } else {
            accounts::revoke_sessions_of(&txn, user_id, None, now).await?
        };
        if changed {
            append_audit(
                &txn,
                actor,
                if active {
                    AuditKind::UserReactivated
                } else {
                    AuditKind::UserDeactivated
                },
                Subject::new("User", user_id.0, place),
                json!({"email": user.email, "sessionsEnded": ended}),
                now,
            )
            .await?;
        }
        txn.commit().await?;
        self.managed_user(user_id).await
    }

    /// Issues a one-time password reset code for a user the actor manages.
    /// Any earlier unused code of the user stops working. The code is shown
    /// once, to the issuer, who hands it to the user.
    pub async fn issue_password_reset(
        &self,
        actor: &Actor,
        user_id: UserId,
    ) -> Result<IssuedResetCode, EngineError> {
        if actor.user_id == Some(user_id) {
            return Err(EngineError::invalid(
                "userId",
                "change your own password with changePassword",
            ));
        }
        let code = new_reset_code();
        let now = self.now();
        let expires_at = now + self.auth.reset_code_ttl;
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let (user, _, place) = self.managed(&txn, actor, user_id).await?;
        if user.disabled {
            return Err(EngineError::invalid(
                "userId",
                "the account is deactivated; reactivate it first",
            ));
        }
        let id = accounts::insert_reset_code(
            &txn,
            user_id,
            &reset_code_hash(&code),
            &actor.label,
            now,
            expires_at,
        )
        .await?;
        append_audit(
            &txn,
            actor,
            AuditKind::PasswordResetIssued,
            Subject::new("User", user_id.0, place),
            json!({"email": user.email, "resetCode": id, "expiresAt": expires_at}),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(IssuedResetCode {
            user,
            code,
            expires_at,
        })
    }

    /// Exchanges an e-mail and a reset code for a new password (no login
    /// needed; throttled per account and per address like logins). Every
    /// session of the user ends.
    pub async fn reset_password(
        &self,
        email: &str,
        code: &str,
        new_password: &str,
        address: Option<&str>,
    ) -> Result<User, EngineError> {
        let email = normalise_email(email);
        let mut v = Validation::new();
        check_new_password(&mut v, "newPassword", new_password);
        v.check(!code.trim().is_empty(), "code", "must not be empty");
        v.finish()?;
        let ticket = self
            .admit(self.throttle_keys("reset", &email, address))
            .await?;
        let found = identity::user_by_email(&self.db, &email)
            .await?
            .filter(|c| !c.user.disabled);
        // Hashed before anything is decided, so that a wrong code takes as long as a right one.
        let new_hash = hash_password_off_workers(new_password).await?;
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let used = match &found {
            Some(c) => {
                accounts::consume_reset_code(&txn, c.user.id, &reset_code_hash(code), now).await?
            }
            None => false,
        };
        let user = match found.filter(|_| used) {
            Some(c) => c.user,
            None => {
                drop(txn);
                self.settle(ticket, Outcome::Failed).await?;
                return Err(EngineError::invalid("code", WRONG_RESET));
            }
        };
        accounts::set_password(&txn, user.id, &new_hash).await?;
        let ended = accounts::revoke_sessions_of(&txn, user.id, None, now).await?;
        let place = self.user_place(&txn, user.id).await?;
        let me = Actor {
            user_id: Some(user.id),
            label: user.display_name.clone(),
            assignments: Vec::new(),
        };
        append_audit(
            &txn,
            &me,
            AuditKind::PasswordReset,
            Subject::new("User", user.id.0, place),
            json!({"sessionsEnded": ended}),
            now,
        )
        .await?;
        txn.commit().await?;
        self.settle(ticket, Outcome::Succeeded).await?;
        Ok(user)
    }

    /// My live sessions, newest first; `current_token` marks this request's.
    pub async fn my_sessions(
        &self,
        actor: &Actor,
        current_token: Option<&str>,
    ) -> Result<Vec<MySession>, EngineError> {
        let Some(user_id) = actor.user_id else {
            return Ok(Vec::new());
        };
        let current = current_token.map(|t| token_hash(t.trim()));
        let sessions: Vec<Session> = accounts::live_sessions(&self.db, user_id, self.now()).await?;
        Ok(sessions
            .into_iter()
            .map(|s| MySession {
                current: current.as_deref() == Some(s.token_hash.as_str()),
                id: AccessTokenId(s.id),
                created_at: s.created_at,
                expires_at: s.expires_at,
                last_used_at: s.last_used_at,
            })
            .collect())
    }

    /// Ends one of my own sessions; anyone else's is not found.
    pub async fn revoke_session(
        &self,
        actor: &Actor,
        id: AccessTokenId,
    ) -> Result<(), EngineError> {
        let user_id = actor
            .user_id
            .ok_or_else(|| EngineError::NotFound(format!("session {id}")))?;
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        if !accounts::revoke_session(&txn, user_id, id.0, now).await? {
            return Err(EngineError::NotFound(format!("session {id}")));
        }
        append_audit(
            &txn,
            actor,
            AuditKind::SessionRevoked,
            Subject::new("User", user_id.0, self.user_place(&txn, user_id).await?),
            json!({"session": id.0}),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// One user with roles and last login (after a change).
    async fn managed_user(&self, user_id: UserId) -> Result<ManagedUser, EngineError> {
        let user = self
            .user(user_id)
            .await?
            .ok_or_else(|| EngineError::NotFound(format!("user {user_id}")))?;
        let assignments = identity::assignments_of(&self.db, &[user_id.0])
            .await?
            .remove(&user_id.0)
            .unwrap_or_default();
        let last_login_at = accounts::last_logins(&self.db, std::slice::from_ref(&user.email))
            .await?
            .remove(&user.email);
        Ok(ManagedUser {
            user,
            assignments,
            last_login_at,
        })
    }

    /// The command line's recovery path: sets the password of the account
    /// with this e-mail and ends all its sessions (acts as the system).
    pub async fn set_password_by_email(
        &self,
        actor: &Actor,
        email: &str,
        password: &str,
    ) -> Result<User, EngineError> {
        let email = normalise_email(email);
        let found = identity::user_by_email(&self.db, &email)
            .await?
            .ok_or_else(|| EngineError::NotFound(format!("user {email}")))?;
        let user_id = found.user.id;
        let mut v = Validation::new();
        check_new_password(&mut v, "password", password);
        v.finish()?;
        let new_hash = hash_password_off_workers(password).await?;
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let (user, _, place) = self.managed(&txn, actor, user_id).await?;
        accounts::set_password(&txn, user_id, &new_hash).await?;
        let ended = accounts::revoke_sessions_of(&txn, user_id, None, now).await?;
        append_audit(
            &txn,
            actor,
            AuditKind::PasswordSet,
            Subject::new("User", user_id.0, place),
            json!({"email": user.email, "sessionsEnded": ended}),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(user)
    }

    /// The command line's `user deactivate` / `user reactivate`.
    pub async fn set_active_by_email(
        &self,
        actor: &Actor,
        email: &str,
        active: bool,
    ) -> Result<ManagedUser, EngineError> {
        let email = normalise_email(email);
        let found = identity::user_by_email(&self.db, &email)
            .await?
            .ok_or_else(|| EngineError::NotFound(format!("user {email}")))?;
        self.set_user_active(actor, found.user.id, active).await
    }

    /// A dashboard token by id, as its manager sees it.
    pub async fn api_token(
        &self,
        id: AccessTokenId,
    ) -> Result<Option<accounts::ApiTokenRecord>, EngineError> {
        Ok(accounts::api_token(&self.db, id.0).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_codes_are_typable_and_compared_loosely() {
        let code = new_reset_code();
        assert_eq!(code.len(), 14, "{code}");
        assert!(
            code.chars()
                .all(|c| c == '-' || CODE_ALPHABET.contains(&(c as u8)))
        );
        assert_ne!(code, new_reset_code());
        let loose = code.to_lowercase().replace('-', " ");
        assert_eq!(reset_code_hash(&code), reset_code_hash(&loose));
        assert_ne!(reset_code_hash(&code), reset_code_hash("AAAA-AAAA-AAAA"));
    }
}
