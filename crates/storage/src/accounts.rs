//! Accounts the offices run themselves: listing users within a manager's
//! reach, changing passwords and roles, sessions, one-time reset codes, and
//! the login throttle's lock rows.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use pendamping_domain::identity::{Reach, Role, RoleAssignment, Scope, User, UserId};
use pendamping_domain::reference::{DistrictId, OfficeId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::StorageError;
use crate::convert::user;
use crate::db::updated_one;
use crate::entity::{
    access_tokens, login_attempts, login_throttles, password_reset_codes, role_assignments, users,
};
use crate::identity::revoking;
use crate::page::{self, CursorKey, ListOrder, Page, PageRequest, SortValue};

fn ids(set: impl IntoIterator<Item = i64>) -> String {
    set.into_iter()
        .map(|id| id.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Users holding at least one role inside `reach` (an office reaches its
/// districts and their OPDs; a district reaches its OPDs).
fn users_within(reach: &Reach) -> Condition {
    if reach.everything {
        return Condition::all();
    }
    let offices = ids(reach.offices.iter().map(|o| o.0));
    let districts = ids(reach.districts.iter().map(|d| d.0));
    let mut clauses = Vec::new();
    if !offices.is_empty() {
        clauses.push(format!(
            "ra.office_id IN ({offices}) OR d.office_id IN ({offices}) OR od.office_id IN ({offices})"
        ));
    }
    if !districts.is_empty() {
        clauses.push(format!(
            "ra.district_id IN ({districts}) OR o.district_id IN ({districts})"
        ));
    }
    if clauses.is_empty() {
        return Condition::all().add(Expr::cust("1 = 0"));
    }
    Condition::all().add(Expr::cust(format!(
        "users.id IN (SELECT ra.user_id FROM role_assignments ra \
           LEFT JOIN districts d ON d.id = ra.district_id \
           LEFT JOIN opds o ON o.id = ra.opd_id \
           LEFT JOIN districts od ON od.id = o.district_id \
         WHERE {})",
        clauses.join(" OR ")
    )))
}

/// A page of the users within `reach`, by e-mail.
pub async fn list_users(
    db: &impl ConnectionTrait,
    reach: &Reach,
    request: &PageRequest,
) -> Result<Page<User>, StorageError> {
    let select = users::Entity::find().filter(users_within(reach));
    page::paginate(
        db,
        select,
        ListOrder::by(users::Column::Email, users::Column::Id),
        |m| CursorKey {
            sort: SortValue::Text(m.email.clone()),
            id: m.id,
        },
        request,
    )
    .await
    .map(|p| Page {
        items: p.items.into_iter().map(|(k, m)| (k, user(m))).collect(),
        has_next_page: p.has_next_page,
        has_previous_page: p.has_previous_page,
        total: p.total,
    })
}

pub async fn count_users(db: &impl ConnectionTrait, reach: &Reach) -> Result<u64, StorageError> {
    page::count(db, users::Entity::find().filter(users_within(reach))).await
}

/// The last successful login of each e-mail among `emails`.
pub async fn last_logins(
    db: &impl ConnectionTrait,
    emails: &[String],
) -> Result<HashMap<String, DateTime<Utc>>, StorageError> {
    let rows: Vec<(String, Option<DateTime<Utc>>)> = login_attempts::Entity::find()
        .select_only()
        .column(login_attempts::Column::Email)
        .column_as(login_attempts::Column::AttemptedAt.max(), "last")
        .filter(login_attempts::Column::Email.is_in(emails.iter().cloned()))
        .filter(login_attempts::Column::Succeeded.eq(true))
        .group_by(login_attempts::Column::Email)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(email, at)| at.map(|at| (email, at)))
        .collect())
}

/// The password hash of a user, for checking an old password.
pub async fn password_hash(
    db: &impl ConnectionTrait,
    user_id: UserId,
) -> Result<Option<String>, StorageError> {
    Ok(users::Entity::find_by_id(user_id.0)
        .one(db)
        .await?
        .and_then(|m| m.password_hash))
}

pub async fn set_password(
    db: &impl ConnectionTrait,
    user_id: UserId,
    password_hash: &str,
) -> Result<bool, StorageError> {
    updated_one(
        db,
        users::Entity::update_many()
            .col_expr(users::Column::PasswordHash, Expr::value(password_hash))
            .filter(users::Column::Id.eq(user_id.0)),
    )
    .await
}

/// Deactivates (`Some(now)`) or reactivates (`None`) a user; `true` when it changed.
pub async fn set_disabled(
    db: &impl ConnectionTrait,
    user_id: UserId,
    disabled_at: Option<DateTime<Utc>>,
) -> Result<bool, StorageError> {
    let mut update = users::Entity::update_many()
        .col_expr(users::Column::DisabledAt, Expr::value(disabled_at))
        .filter(users::Column::Id.eq(user_id.0));
    update = match disabled_at {
        Some(_) => update.filter(users::Column::DisabledAt.is_null()),
        None => update.filter(users::Column::DisabledAt.is_not_null()),
    };
    updated_one(db, update).await
}

fn scope_filter(scope: Scope) -> Condition {
    let (office, district, opd) = match scope {
        Scope::Everything => (None, None, None),
        Scope::Office(id) => (Some(id.0), None, None),
        Scope::District(id) => (None, Some(id.0), None),
        Scope::Opd(id) => (None, None, Some(id.0)),
    };
    let column = |c: role_assignments::Column, v: Option<i64>| match v {
        Some(v) => c.eq(v),
        None => c.is_null(),
    };
    Condition::all()
        .add(column(role_assignments::Column::OfficeId, office))
        .add(column(role_assignments::Column::DistrictId, district))
        .add(column(role_assignments::Column::OpdId, opd))
}

/// Takes one role assignment away; `true` when the user held it.
pub async fn delete_assignment(
    db: &impl ConnectionTrait,
    user_id: UserId,
    assignment: RoleAssignment,
) -> Result<bool, StorageError> {
    let result = role_assignments::Entity::delete_many()
        .filter(role_assignments::Column::UserId.eq(user_id.0))
        .filter(role_assignments::Column::Role.eq(assignment.role.as_str()))
        .filter(scope_filter(assignment.scope))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

// ---- sessions and tokens ------------------------------------------------

/// A login session, as its owner sees it.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: i64,
    pub token_hash: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// The live sessions of a user, newest first.
pub async fn live_sessions(
    db: &impl ConnectionTrait,
    user_id: UserId,
    now: DateTime<Utc>,
) -> Result<Vec<Session>, StorageError> {
    Ok(access_tokens::Entity::find()
        .filter(access_tokens::Column::Kind.eq("SESSION"))
        .filter(access_tokens::Column::UserId.eq(user_id.0))
        .filter(access_tokens::Column::RevokedAt.is_null())
        .filter(
            Condition::any()
                .add(access_tokens::Column::ExpiresAt.is_null())
                .add(access_tokens::Column::ExpiresAt.gt(now)),
        )
        .order_by_desc(access_tokens::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| Session {
            id: m.id,
            token_hash: m.token_hash,
            created_at: m.created_at,
            expires_at: m.expires_at,
            last_used_at: m.last_used_at,
        })
        .collect())
}

/// Revokes one live session of `user_id`; `true` when it did.
pub async fn revoke_session(
    db: &impl ConnectionTrait,
    user_id: UserId,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    updated_one(
        db,
        revoking(now)
            .filter(access_tokens::Column::Id.eq(id))
            .filter(access_tokens::Column::Kind.eq("SESSION"))
            .filter(access_tokens::Column::UserId.eq(user_id.0)),
    )
    .await
}

/// Revokes every live session of `user_id` but the one whose hash is `keep`; how many.
pub async fn revoke_sessions_of(
    db: &impl ConnectionTrait,
    user_id: UserId,
    keep: Option<&str>,
    now: DateTime<Utc>,
) -> Result<u64, StorageError> {
    let mut update = revoking(now)
        .filter(access_tokens::Column::Kind.eq("SESSION"))
        .filter(access_tokens::Column::UserId.eq(user_id.0));
    if let Some(keep) = keep {
        update = update.filter(access_tokens::Column::TokenHash.ne(keep));
    }
    Ok(update.exec(db).await?.rows_affected)
}

/// A dashboard (API) token, without its hash.
#[derive(Debug, Clone)]
pub struct ApiTokenRecord {
    pub id: i64,
    pub label: String,
    pub assignment: Option<RoleAssignment>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A dashboard token by id; login sessions are not API tokens and are never found here.
pub async fn api_token(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<ApiTokenRecord>, StorageError> {
    let Some(m) = access_tokens::Entity::find_by_id(id)
        .filter(access_tokens::Column::Kind.eq("API"))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let scope = match (m.office_id, m.district_id) {
        (Some(office), _) => Scope::Office(OfficeId(office)),
        (None, Some(district)) => Scope::District(DistrictId(district)),
        (None, None) => Scope::Everything,
    };
    let assignment = match &m.role {
        Some(role) => Some(
            RoleAssignment::new(role.parse::<Role>()?, scope)
                .map_err(|e| StorageError::Corrupt(e.to_string()))?,
        ),
        None => None,
    };
    Ok(Some(ApiTokenRecord {
        id: m.id,
        label: m.label,
        assignment,
        created_at: m.created_at,
        expires_at: m.expires_at,
        revoked_at: m.revoked_at,
    }))
}

/// Revokes a live dashboard token; `true` when it did. Never touches a login session.
pub async fn revoke_api_token(
    db: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    updated_one(
        db,
        revoking(now)
            .filter(access_tokens::Column::Id.eq(id))
            .filter(access_tokens::Column::Kind.eq("API")),
    )
    .await
}

// ---- reset codes --------------------------------------------------------

/// Stores a new reset code for a user, ending any earlier unused one.
pub async fn insert_reset_code(
    db: &impl ConnectionTrait,
    user_id: UserId,
    code_hash: &str,
    issued_by: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<i64, StorageError> {
    password_reset_codes::Entity::update_many()
        .col_expr(password_reset_codes::Column::UsedAt, Expr::value(now))
        .filter(password_reset_codes::Column::UserId.eq(user_id.0))
        .filter(password_reset_codes::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    let model = password_reset_codes::ActiveModel {
        user_id: Set(user_id.0),
        code_hash: Set(code_hash.to_owned()),
        issued_by: Set(issued_by.chars().take(254).collect()),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(model.id)
}

/// Uses up the live reset code with this hash for this user: `true` only for
/// the one caller whose conditional update marked it used.
pub async fn consume_reset_code(
    db: &impl ConnectionTrait,
    user_id: UserId,
    code_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    updated_one(
        db,
        password_reset_codes::Entity::update_many()
            .col_expr(password_reset_codes::Column::UsedAt, Expr::value(now))
            .filter(password_reset_codes::Column::UserId.eq(user_id.0))
            .filter(password_reset_codes::Column::CodeHash.eq(code_hash))
            .filter(password_reset_codes::Column::UsedAt.is_null())
            .filter(password_reset_codes::Column::ExpiresAt.gt(now)),
    )
    .await
}

// ---- login throttle -----------------------------------------------------

/// The state of one throttle key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Throttle {
    pub failures: i32,
    pub last_failure_at: Option<DateTime<Utc>>,
    pub blocked_until: Option<DateTime<Utc>>,
    pub version: i32,
}

/// The throttle of `key`, created empty if it has none yet.
pub async fn throttle(db: &impl ConnectionTrait, key: &str) -> Result<Throttle, StorageError> {
    let find =
        || login_throttles::Entity::find().filter(login_throttles::Column::ThrottleKey.eq(key));
    if let Some(m) = find().one(db).await? {
        return Ok(throttle_of(m));
    }
    login_throttles::Entity::insert(login_throttles::ActiveModel {
        throttle_key: Set(key.to_owned()),
        failures: Set(0),
        last_failure_at: Set(None),
        blocked_until: Set(None),
        version: Set(0),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([login_throttles::Column::ThrottleKey])
    .exec(db)
    .await?;
    let m = find()
        .one(db)
        .await?
        .ok_or_else(|| StorageError::Corrupt(format!("throttle {key} vanished")))?;
    Ok(throttle_of(m))
}

fn throttle_of(m: login_throttles::Model) -> Throttle {
    Throttle {
        failures: m.failures,
        last_failure_at: m.last_failure_at,
        blocked_until: m.blocked_until,
        version: m.version,
    }
}

/// Replaces the state of `key` if nobody changed it since `seen` was read
/// (compare-and-set on its version); `false` when someone did (read again).
pub async fn swap_throttle(
    db: &impl ConnectionTrait,
    key: &str,
    seen: &Throttle,
    next: &Throttle,
) -> Result<bool, StorageError> {
    updated_one(
        db,
        login_throttles::Entity::update_many()
            .col_expr(
                login_throttles::Column::Failures,
                Expr::value(next.failures),
            )
            .col_expr(
                login_throttles::Column::LastFailureAt,
                Expr::value(next.last_failure_at),
            )
            .col_expr(
                login_throttles::Column::BlockedUntil,
                Expr::value(next.blocked_until),
            )
            .col_expr(
                login_throttles::Column::Version,
                Expr::value(seen.version + 1),
            )
            .filter(login_throttles::Column::ThrottleKey.eq(key))
            .filter(login_throttles::Column::Version.eq(seen.version)),
    )
    .await
}
