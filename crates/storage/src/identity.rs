//! Users, role assignments, access tokens and login attempts.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use pendamping_domain::identity::{Role, RoleAssignment, Scope, User, UserId};
use pendamping_domain::reference::{DistrictId, OfficeId, OpdId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::StorageError;
use crate::convert::user;
use crate::db::{by_ids, updated_one};
use crate::entity::{access_tokens, login_attempts, role_assignments, users};

fn scope_of(office: Option<i64>, district: Option<i64>, opd: Option<i64>) -> Scope {
    match (office, district, opd) {
        (_, _, Some(opd)) => Scope::Opd(OpdId(opd)),
        (_, Some(district), None) => Scope::District(DistrictId(district)),
        (Some(office), None, None) => Scope::Office(OfficeId(office)),
        (None, None, None) => Scope::Everything,
    }
}

fn scope_columns(scope: Scope) -> (Option<i64>, Option<i64>, Option<i64>) {
    match scope {
        Scope::Everything => (None, None, None),
        Scope::Office(id) => (Some(id.0), None, None),
        Scope::District(id) => (None, Some(id.0), None),
        Scope::Opd(id) => (None, None, Some(id.0)),
    }
}

/// A user with the password hash, for authentication only.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: Option<String>,
}

pub async fn user_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<Credentials>, StorageError> {
    Ok(users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(db)
        .await?
        .map(|m| Credentials {
            password_hash: m.password_hash.clone(),
            user: user(m),
        }))
}

pub async fn users_by_ids(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<User>, StorageError> {
    // Who a user is is not within a reach: callers decide what to show.
    let everyone = sea_orm::Condition::all();
    by_ids::<users::Entity, _>(db, users::Column::Id, ids, everyone, |m| Ok(user(m))).await
}

pub async fn count_admins(db: &impl ConnectionTrait) -> Result<u64, StorageError> {
    Ok(role_assignments::Entity::find()
        .filter(role_assignments::Column::Role.eq(Role::SystemAdmin.as_str()))
        .count(db)
        .await?)
}

pub async fn insert_user(
    db: &impl ConnectionTrait,
    email: &str,
    display_name: &str,
    password_hash: Option<String>,
    now: DateTime<Utc>,
) -> Result<User, StorageError> {
    let model = users::ActiveModel {
        email: Set(email.to_owned()),
        display_name: Set(display_name.to_owned()),
        password_hash: Set(password_hash),
        created_at: Set(now),
        disabled_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(user(model))
}

pub async fn insert_assignment(
    db: &impl ConnectionTrait,
    user_id: UserId,
    assignment: RoleAssignment,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    let (office, district, opd) = scope_columns(assignment.scope);
    role_assignments::ActiveModel {
        user_id: Set(user_id.0),
        role: Set(assignment.role.as_str().to_owned()),
        office_id: Set(office),
        district_id: Set(district),
        opd_id: Set(opd),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The assignments of each user.
pub async fn assignments_of(
    db: &impl ConnectionTrait,
    user_ids: &[i64],
) -> Result<HashMap<i64, Vec<RoleAssignment>>, StorageError> {
    let rows = role_assignments::Entity::find()
        .filter(role_assignments::Column::UserId.is_in(user_ids.iter().copied()))
        .order_by_asc(role_assignments::Column::Id)
        .all(db)
        .await?;
    let mut map: HashMap<i64, Vec<RoleAssignment>> = HashMap::new();
    for row in rows {
        let role: Role = row.role.parse()?;
        let assignment =
            RoleAssignment::new(role, scope_of(row.office_id, row.district_id, row.opd_id))
                .map_err(|e| StorageError::Corrupt(e.to_string()))?;
        map.entry(row.user_id).or_default().push(assignment);
    }
    Ok(map)
}

// ---- access tokens ------------------------------------------------------

/// Whether a token is a login session or a long-lived dashboard token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Session,
    Api,
}

/// A stored token, found by its hash.
#[derive(Debug, Clone)]
pub struct StoredToken {
    pub id: i64,
    pub kind: TokenKind,
    pub user_id: Option<UserId>,
    pub label: String,
    /// For API tokens: the one assignment the token carries.
    pub assignment: Option<RoleAssignment>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A new token row.
#[derive(Debug, Clone)]
pub struct TokenRow {
    pub token_hash: String,
    pub kind: TokenKind,
    pub user_id: Option<UserId>,
    pub label: String,
    pub assignment: Option<RoleAssignment>,
    pub expires_at: Option<DateTime<Utc>>,
}

pub async fn insert_token(
    db: &impl ConnectionTrait,
    row: TokenRow,
    now: DateTime<Utc>,
) -> Result<i64, StorageError> {
    let (office, district) = match row.assignment.map(|a| a.scope) {
        Some(Scope::Office(id)) => (Some(id.0), None),
        Some(Scope::District(id)) => (None, Some(id.0)),
        _ => (None, None),
    };
    let model = access_tokens::ActiveModel {
        token_hash: Set(row.token_hash),
        kind: Set(match row.kind {
            TokenKind::Session => "SESSION".into(),
            TokenKind::Api => "API".into(),
        }),
        user_id: Set(row.user_id.map(|u| u.0)),
        label: Set(row.label),
        role: Set(row.assignment.map(|a| a.role.as_str().to_owned())),
        office_id: Set(office),
        district_id: Set(district),
        created_at: Set(now),
        expires_at: Set(row.expires_at),
        revoked_at: Set(None),
        last_used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(model.id)
}

/// A bearer token as stored, with (for a login session) its user and the
/// user's roles.
#[derive(Debug, Clone)]
pub struct Bearer {
    pub token: StoredToken,
    pub user: Option<User>,
    pub assignments: Vec<RoleAssignment>,
}

/// The token with this hash, its user and the user's roles, in one
/// statement: every request authenticates, so this is on every request's path.
pub async fn bearer_by_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<Bearer>, StorageError> {
    use access_tokens::Column as T;
    use role_assignments::Column as R;
    use sea_orm::sea_query::{Alias, ExprTrait, JoinType, Order, Query};
    use users::Column as U;
    let token = |c: T| Expr::col((access_tokens::Entity, c));
    let user = |c: U| Expr::col((users::Entity, c));
    let held = |c: R| Expr::col((role_assignments::Entity, c));
    let query = Query::select()
        .expr_as(token(T::Id), Alias::new("t_id"))
        .expr_as(token(T::Kind), Alias::new("t_kind"))
        .expr_as(token(T::UserId), Alias::new("t_user_id"))
        .expr_as(token(T::Label), Alias::new("t_label"))
        .expr_as(token(T::Role), Alias::new("t_role"))
        .expr_as(token(T::OfficeId), Alias::new("t_office_id"))
        .expr_as(token(T::DistrictId), Alias::new("t_district_id"))
        .expr_as(token(T::ExpiresAt), Alias::new("t_expires_at"))
        .expr_as(token(T::RevokedAt), Alias::new("t_revoked_at"))
        .expr_as(user(U::Email), Alias::new("u_email"))
        .expr_as(user(U::DisplayName), Alias::new("u_display_name"))
        .expr_as(user(U::CreatedAt), Alias::new("u_created_at"))
        .expr_as(user(U::DisabledAt), Alias::new("u_disabled_at"))
        .expr_as(held(R::Role), Alias::new("r_role"))
        .expr_as(held(R::OfficeId), Alias::new("r_office_id"))
        .expr_as(held(R::DistrictId), Alias::new("r_district_id"))
        .expr_as(held(R::OpdId), Alias::new("r_opd_id"))
        .from(access_tokens::Entity)
        .join(
            JoinType::LeftJoin,
            users::Entity,
            user(U::Id).equals((access_tokens::Entity, T::UserId)),
        )
        .join(
            JoinType::LeftJoin,
            role_assignments::Entity,
            held(R::UserId).equals((users::Entity, U::Id)),
        )
        .and_where(token(T::TokenHash).eq(token_hash))
        .order_by((role_assignments::Entity, R::Id), Order::Asc)
        .take();
    let rows = db.query_all(&query).await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let role: Option<String> = first.try_get("", "t_role")?;
    let assignment = match role {
        Some(role) => Some(
            RoleAssignment::new(
                role.parse()?,
                scope_of(
                    first.try_get("", "t_office_id")?,
                    first.try_get("", "t_district_id")?,
                    None,
                ),
            )
            .map_err(|e| StorageError::Corrupt(e.to_string()))?,
        ),
        None => None,
    };
    let kind: String = first.try_get("", "t_kind")?;
    let user_id: Option<i64> = first.try_get("", "t_user_id")?;
    let token = StoredToken {
        id: first.try_get("", "t_id")?,
        kind: if kind == "API" {
            TokenKind::Api
        } else {
            TokenKind::Session
        },
        user_id: user_id.map(UserId),
        label: first.try_get("", "t_label")?,
        assignment,
        expires_at: first.try_get("", "t_expires_at")?,
        revoked_at: first.try_get("", "t_revoked_at")?,
    };
    let email: Option<String> = first.try_get("", "u_email")?;
    let user = match (user_id, email) {
        (Some(id), Some(email)) => Some(User {
            id: UserId(id),
            email,
            display_name: first.try_get("", "u_display_name")?,
            created_at: first.try_get("", "u_created_at")?,
            disabled: first
                .try_get::<Option<DateTime<Utc>>>("", "u_disabled_at")?
                .is_some(),
        }),
        _ => None,
    };
    let mut assignments = Vec::new();
    for row in &rows {
        let Some(role) = row.try_get::<Option<String>>("", "r_role")? else {
            continue;
        };
        assignments.push(
            RoleAssignment::new(
                role.parse()?,
                scope_of(
                    row.try_get("", "r_office_id")?,
                    row.try_get("", "r_district_id")?,
                    row.try_get("", "r_opd_id")?,
                ),
            )
            .map_err(|e| StorageError::Corrupt(e.to_string()))?,
        );
    }
    Ok(Some(Bearer {
        token,
        user,
        assignments,
    }))
}

/// The update that revokes, at `now`, the live tokens the caller's filters
/// select; a token already revoked keeps its first revocation time.
pub(crate) fn revoking(now: DateTime<Utc>) -> sea_orm::UpdateMany<access_tokens::Entity> {
    access_tokens::Entity::update_many()
        .col_expr(access_tokens::Column::RevokedAt, Expr::value(now))
        .filter(access_tokens::Column::RevokedAt.is_null())
}

/// Revokes a token by id; `true` when a live token was revoked.
pub async fn revoke_token(
    db: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    updated_one(db, revoking(now).filter(access_tokens::Column::Id.eq(id))).await
}

/// Revokes a token by its hash (logout).
pub async fn revoke_token_by_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    updated_one(
        db,
        revoking(now).filter(access_tokens::Column::TokenHash.eq(token_hash)),
    )
    .await
}

// ---- login attempts -----------------------------------------------------

pub async fn record_login_attempt(
    db: &impl ConnectionTrait,
    email: &str,
    address: Option<&str>,
    succeeded: bool,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    login_attempts::ActiveModel {
        email: Set(email.to_owned()),
        address: Set(address.map(str::to_owned)),
        succeeded: Set(succeeded),
        attempted_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Failed attempts since `since`, for one account and for one address.
pub async fn failed_logins_since(
    db: &impl ConnectionTrait,
    email: &str,
    address: Option<&str>,
    since: DateTime<Utc>,
) -> Result<(u64, u64), StorageError> {
    let base = || {
        login_attempts::Entity::find()
            .filter(login_attempts::Column::Succeeded.eq(false))
            .filter(login_attempts::Column::AttemptedAt.gte(since))
    };
    let by_account = base()
        .filter(login_attempts::Column::Email.eq(email))
        .count(db)
        .await?;
    let by_address = match address {
        Some(address) => {
            base()
                .filter(login_attempts::Column::Address.eq(address))
                .count(db)
                .await?
        }
        None => 0,
    };
    Ok((by_account, by_address))
}
