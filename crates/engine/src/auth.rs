//! Authentication: passwords (argon2id), login sessions and dashboard API
//! tokens. A token is random, shown once, and stored only as its SHA-256.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use pendamping_domain::audit::AuditKind;
use pendamping_domain::identity::{
    AccessTokenId, Actor, Role, RoleAssignment, Scope, User, UserId,
};
use pendamping_domain::policy::{self, Target};
use pendamping_domain::validation::Validation;
use pendamping_storage::identity::{self, TokenKind, TokenRow};
use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::reference::{Subject, append_audit};
use crate::throttle::{Limits, Outcome};
use crate::{Engine, EngineError};

/// How long sessions live and how failed logins are limited.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub session_ttl: Duration,
    /// Failed logins allowed per account within the window.
    pub max_failures_per_account: u64,
    /// Failed logins allowed per client address within the window.
    pub max_failures_per_address: u64,
    pub failure_window: Duration,
    /// The first delay once the limit is reached; it doubles with each further failure.
    pub throttle_base: Duration,
    /// The longest delay.
    pub throttle_cap: Duration,
    /// How long a password reset code stays usable.
    pub reset_code_ttl: Duration,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            session_ttl: Duration::hours(12),
            max_failures_per_account: 5,
            max_failures_per_address: 20,
            failure_window: Duration::minutes(15),
            throttle_base: Duration::minutes(1),
            throttle_cap: Duration::minutes(15),
            reset_code_ttl: Duration::hours(24),
        }
    }
}

/// A token as handed out: the secret is in `token`, shown once.
#[derive(Clone)]
pub struct IssuedToken {
    pub id: AccessTokenId,
    pub token: String,
    pub expires_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedToken")
            .field("id", &self.id)
            .field("token", &"[redacted]")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Input for a new user.
#[derive(Clone)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub password: String,
    pub assignments: Vec<RoleAssignment>,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("email", &self.email)
            .field("display_name", &self.display_name)
            .field("password", &"[redacted]")
            .field("assignments", &self.assignments)
            .finish()
    }
}

/// The minimum password length we accept.
pub const MIN_PASSWORD_LEN: usize = 12;

const WRONG_CREDENTIALS: &str = "the e-mail or the password is wrong";

pub(crate) fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "pdp_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// The stored form of `password`: Argon2id with a fresh salt, on the calling
/// thread (use cases hash off the async workers; a data-set loader may block).
pub fn hash_password(password: &str) -> Result<String, EngineError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| hashing(e.to_string()))
}

/// Password hashes computed at once: one core is always left to the async
/// workers, so that a flood of logins queues for the hasher instead of
/// slowing every other request.
fn hash_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        tokio::sync::Semaphore::new(cores.saturating_sub(1).max(1))
    })
}

fn hashing(message: String) -> EngineError {
    EngineError::Failure(crate::InternalError::Hashing(message))
}

fn closed() -> EngineError {
    hashing("the password hasher is closed".into())
}

/// Hashes a password on a blocking thread: argon2 takes tens of
/// milliseconds of CPU, which must never stall the async workers.
pub(crate) async fn hash_password_off_workers(password: &str) -> Result<String, EngineError> {
    let password = password.to_owned();
    let _slot = hash_slots().acquire().await.map_err(|_| closed())?;
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| hashing(e.to_string()))?
}

/// Verifies a password on a blocking thread (see [`hash_password_off_workers`]).
pub(crate) async fn verify_password_off_workers(
    password: &str,
    hash: Option<String>,
) -> Result<bool, EngineError> {
    let password = password.to_owned();
    let _slot = hash_slots().acquire().await.map_err(|_| closed())?;
    tokio::task::spawn_blocking(move || match hash {
        Some(hash) => verify_password(&password, &hash),
        None => {
            verify_password(&password, decoy_hash());
            false
        }
    })
    .await
    .map_err(|e| hashing(e.to_string()))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A valid hash of a throwaway password, verified against when the e-mail is
/// unknown so that a failed login takes as long whether the account exists or not.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password for timing").unwrap_or_default())
}

pub(crate) fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The throttle key of an account (bounded in length whatever was typed).
pub(crate) fn account_key(prefix: &str, email: &str) -> String {
    if email.len() <= 254 {
        format!("{prefix}:{email}")
    } else {
        format!("{prefix}:#{}", token_hash(email))
    }
}

impl Engine {
    /// Exchanges an e-mail and password for a session token. Failures never
    /// tell whether the e-mail exists; too many failures are refused for a while.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        address: Option<&str>,
    ) -> Result<(IssuedToken, User), EngineError> {
        let email = normalise_email(email);
        let ticket = self
            .admit(self.throttle_keys("account", &email, address))
            .await?;
        let found = identity::user_by_email(&self.db, &email).await?;
        let hash = found
            .as_ref()
            .filter(|c| !c.user.disabled)
            .and_then(|c| c.password_hash.clone());
        let has_hash = hash.is_some();
        self.password_checks
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let verified = verify_password_off_workers(password, hash).await? && has_hash;
        let now = self.now();
        identity::record_login_attempt(&self.db, &email, address, verified, now).await?;
        self.settle(ticket, Outcome::of_check(verified)).await?;
        let Some(credentials) = found.filter(|_| verified) else {
            return Err(EngineError::Unauthenticated(WRONG_CREDENTIALS.to_owned()));
        };
        let token = new_secret();
        let expires_at = now + self.auth.session_ttl;
        let id = identity::insert_token(
            &self.db,
            TokenRow {
                token_hash: token_hash(&token),
                kind: TokenKind::Session,
                user_id: Some(credentials.user.id),
                label: credentials.user.email.clone(),
                assignment: None,
                expires_at: Some(expires_at),
            },
            now,
        )
        .await?;
        Ok((
            IssuedToken {
                id: AccessTokenId(id),
                token,
                expires_at: Some(expires_at),
            },
            credentials.user,
        ))
    }

    /// The throttle keys of an attempt on `email` (`prefix` keeps logins and
    /// reset codes apart) from `address`.
    pub(crate) fn throttle_keys(
        &self,
        prefix: &str,
        email: &str,
        address: Option<&str>,
    ) -> Vec<(String, Limits)> {
        let limits = |limit| Limits {
            limit,
            base: self.auth.throttle_base,
            cap: self.auth.throttle_cap,
            window: self.auth.failure_window,
        };
        let mut keys = vec![(
            account_key(prefix, email),
            limits(self.auth.max_failures_per_account),
        )];
        if let Some(address) = address {
            keys.push((
                format!("address:{}", address.chars().take(64).collect::<String>()),
                limits(self.auth.max_failures_per_address),
            ));
        }
        keys
    }

    /// How many passwords this engine has verified (logins and password
    /// changes): a figure for tests and operators.
    pub fn password_checks(&self) -> u64 {
        self.password_checks
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Ends the session of `token`.
    pub async fn logout(&self, token: &str) -> Result<bool, EngineError> {
        Ok(identity::revoke_token_by_hash(&self.db, &token_hash(token), self.now()).await?)
    }

    /// The actor behind a bearer token; unknown, expired and revoked tokens are refused.
    pub async fn authenticate(&self, token: &str) -> Result<Actor, EngineError> {
        let refused = |why: &str| EngineError::Unauthenticated(why.to_owned());
        let bearer = identity::bearer_by_hash(&self.db, &token_hash(token.trim()))
            .await?
            .ok_or_else(|| refused("the bearer token is not known"))?;
        let stored = bearer.token;
        let now = self.now();
        if stored.revoked_at.is_some() {
            return Err(refused("the bearer token has been revoked"));
        }
        if stored.expires_at.is_some_and(|at| at <= now) {
            return Err(refused("the bearer token has expired; log in again"));
        }
        match stored.kind {
            TokenKind::Api => Ok(Actor {
                user_id: None,
                label: format!("token:{}", stored.label),
                assignments: stored.assignment.into_iter().collect(),
            }),
            TokenKind::Session => {
                let user = bearer
                    .user
                    .filter(|u| !u.disabled)
                    .ok_or_else(|| refused("the account is disabled"))?;
                Ok(Actor {
                    user_id: Some(user.id),
                    // Labels on history, comments, audit entries and events show the
                    // display name, never the e-mail (issue 13, item 5).
                    label: user.display_name,
                    assignments: bearer.assignments,
                })
            }
        }
    }

    /// Creates a user with roles: an admin any, an Ombudsman lead or a district
    /// coordinator the roles below theirs within their scope
    /// (`domain::policy::may_grant`). The command line acts as the system.
    pub async fn create_user(&self, actor: &Actor, new: NewUser) -> Result<User, EngineError> {
        if !policy::grantable_by_any(actor) {
            return Err(EngineError::Forbidden(
                "your role does not allow manage users here".into(),
            ));
        }
        let mut targets = Vec::with_capacity(new.assignments.len());
        for assignment in &new.assignments {
            targets.push(self.forbid_grant(&self.db, actor, *assignment).await?);
        }
        let email = normalise_email(&new.email);
        let mut v = Validation::new();
        v.text("email", &email, 254);
        v.check(
            email.contains('@') && !email.starts_with('@') && !email.ends_with('@'),
            "email",
            "must be an e-mail address",
        );
        v.text("displayName", &new.display_name, 200);
        v.check(
            new.password.chars().count() >= MIN_PASSWORD_LEN,
            "password",
            &format!("must be at least {MIN_PASSWORD_LEN} characters"),
        );
        v.check(
            !new.assignments.is_empty(),
            "roles",
            "must name at least one role",
        );
        v.finish()?;
        let password_hash = hash_password_off_workers(&new.password).await?;
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let user = identity::insert_user(
            &txn,
            &email,
            new.display_name.trim(),
            Some(password_hash),
            now,
        )
        .await
        .map_err(EngineError::from_storage_on("email"))?;
        for assignment in &new.assignments {
            identity::insert_assignment(&txn, user.id, *assignment, now)
                .await
                .map_err(|e| match e {
                    pendamping_storage::StorageError::Database(_) => EngineError::invalid(
                        "scope",
                        "the scope names no existing office, district or OPD",
                    ),
                    other => EngineError::Internal(other),
                })?;
        }
        let roles: Vec<String> = new
            .assignments
            .iter()
            .map(|a| format!("{} {:?}", a.role, a.scope))
            .collect();
        append_audit(
            &txn,
            actor,
            AuditKind::UserCreated,
            Subject::new(
                "User",
                user.id.0,
                targets.first().copied().unwrap_or_default(),
            ),
            json!({"email": user.email, "displayName": user.display_name, "roles": roles}),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(user)
    }

    /// Whether the database has an admin yet (the CLI's first-admin rule).
    pub async fn has_admin(&self) -> Result<bool, EngineError> {
        Ok(identity::count_admins(&self.db).await? > 0)
    }

    /// Creates a long-lived dashboard token (VIEWER within an office or district).
    pub async fn create_api_token(
        &self,
        actor: &Actor,
        label: &str,
        scope: Scope,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<IssuedToken, EngineError> {
        let mut v = Validation::new();
        v.text("label", label, 200);
        let assignment = RoleAssignment::new(Role::Viewer, scope);
        let target = match &assignment {
            Ok(a) => self.forbid_grant(&self.db, actor, *a).await?,
            Err(e) => {
                v.push("scope", e.to_string());
                Target::everywhere()
            }
        };
        if expires_at.is_some_and(|at| at <= self.now()) {
            v.push("expiresAt", "must be in the future");
        }
        v.finish()?;
        let assignment = assignment.map_err(|e| EngineError::invalid("scope", e.to_string()))?;
        let token = new_secret();
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let id = identity::insert_token(
            &txn,
            TokenRow {
                token_hash: token_hash(&token),
                kind: TokenKind::Api,
                user_id: None,
                label: label.trim().to_owned(),
                assignment: Some(assignment),
                expires_at,
            },
            now,
        )
        .await
        .map_err(|e| match e {
            pendamping_storage::StorageError::Database(_) => {
                EngineError::invalid("scope", "the scope names no existing office or district")
            }
            other => EngineError::Internal(other),
        })?;
        append_audit(
            &txn,
            actor,
            AuditKind::ApiTokenCreated,
            Subject::new("AccessToken", id, target),
            json!({"label": label, "scope": format!("{:?}", scope)}),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(IssuedToken {
            id: AccessTokenId(id),
            token,
            expires_at,
        })
    }

    /// Revokes a dashboard token by id: the admins any, a lead or a
    /// coordinator those of their scope. Login sessions are not dashboard
    /// tokens: their ids are not found here (`revokeSession` ends one's own).
    pub async fn revoke_api_token(
        &self,
        actor: &Actor,
        id: AccessTokenId,
    ) -> Result<(), EngineError> {
        let not_found = || EngineError::NotFound(format!("live token {id}"));
        let id = id.0;
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let token = pendamping_storage::accounts::api_token(&txn, id)
            .await?
            .filter(|t| t.revoked_at.is_none())
            .ok_or_else(not_found)?;
        let assignment = token.assignment.ok_or_else(not_found)?;
        let target = self.forbid_grant(&txn, actor, assignment).await?;
        if !pendamping_storage::accounts::revoke_api_token(&txn, id, now).await? {
            return Err(not_found());
        }
        append_audit(
            &txn,
            actor,
            AuditKind::ApiTokenRevoked,
            Subject::new("AccessToken", id, target),
            json!({"label": token.label}),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The user record of an actor, if it has one.
    pub async fn user(&self, id: UserId) -> Result<Option<User>, EngineError> {
        Ok(identity::users_by_ids(&self.db, &[id.0])
            .await?
            .into_iter()
            .next())
    }
}

impl Engine {
    /// Resolves a scope written as `office:<code or id>`, `district:<name or id>`,
    /// `opd:<id>` or `opd:<district name>/<OPD name>`; `None` is everything.
    pub async fn resolve_scope(&self, spec: Option<&str>) -> Result<Scope, EngineError> {
        use pendamping_domain::reference::{DistrictId, OfficeId, OpdId};
        use pendamping_storage::reference as refs;
        let Some(spec) = spec else {
            return Ok(Scope::Everything);
        };
        let everything = Actor::system("scope lookup").reach();
        let (kind, key) = spec.split_once(':').ok_or_else(|| {
            EngineError::invalid("scope", "write it as office:…, district:… or opd:…")
        })?;
        let missing =
            || EngineError::invalid("scope", format!("`{spec}` names nothing that exists"));
        let id = key.trim().parse::<i64>().ok();
        match kind.trim() {
            "office" => {
                let office = match id {
                    Some(id) => refs::offices_by_ids(&self.db, &everything, &[id])
                        .await?
                        .into_iter()
                        .next(),
                    None => refs::office_by_code(&self.db, key.trim()).await?,
                };
                office
                    .map(|o| Scope::Office(OfficeId(o.id.0)))
                    .ok_or_else(missing)
            }
            "district" => {
                let district = match id {
                    Some(id) => refs::districts_by_ids(&self.db, &everything, &[id])
                        .await?
                        .into_iter()
                        .next(),
                    None => refs::district_by_name(&self.db, key.trim()).await?,
                };
                district
                    .map(|d| Scope::District(DistrictId(d.id.0)))
                    .ok_or_else(missing)
            }
            "opd" => {
                let opd = match (id, key.split_once('/')) {
                    (Some(id), _) => refs::opds_by_ids(&self.db, &everything, &[id])
                        .await?
                        .into_iter()
                        .next(),
                    (None, Some((district, name))) => {
                        match refs::district_by_name(&self.db, district.trim()).await? {
                            Some(d) => refs::opd_by_name(&self.db, d.id.0, name.trim()).await?,
                            None => None,
                        }
                    }
                    (None, None) => None,
                };
                opd.map(|o| Scope::Opd(OpdId(o.id.0))).ok_or_else(missing)
            }
            other => Err(EngineError::invalid(
                "scope",
                format!("`{other}` is not office, district or opd"),
            )),
        }
    }
}
