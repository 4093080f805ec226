//! Whether a bearer token is still good: the one cheap check that open
//! WebSocket connections repeat while they live.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Expr, ExprTrait, JoinType, Query};

use crate::StorageError;
use crate::entity::{access_tokens, users};

/// What decides whether a token still authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenStanding {
    pub revoked_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    /// When the token's user was disabled (session tokens only).
    pub user_disabled_at: Option<DateTime<Utc>>,
}

/// The standing of the token with this hash, in one indexed statement
/// (`access_tokens.token_hash` is unique); `None` when it is unknown.
pub async fn token_standing(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<TokenStanding>, StorageError> {
    let select = Query::select()
        .column((access_tokens::Entity, access_tokens::Column::RevokedAt))
        .column((access_tokens::Entity, access_tokens::Column::ExpiresAt))
        .column((users::Entity, users::Column::DisabledAt))
        .from(access_tokens::Entity)
        .join(
            JoinType::LeftJoin,
            users::Entity,
            Expr::col((users::Entity, users::Column::Id))
                .equals((access_tokens::Entity, access_tokens::Column::UserId)),
        )
        .and_where(
            Expr::col((access_tokens::Entity, access_tokens::Column::TokenHash)).eq(token_hash),
        )
        .take();
    let statement = db.get_database_backend().build(&select);
    let Some(row) = db.query_one_raw(statement).await? else {
        return Ok(None);
    };
    Ok(Some(TokenStanding {
        revoked_at: row.try_get("", "revoked_at")?,
        expires_at: row.try_get("", "expires_at")?,
        user_disabled_at: row.try_get("", "disabled_at")?,
    }))
}
