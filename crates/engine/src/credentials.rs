//! Whether a credential that authenticated once still does: what long-lived
//! connections (WebSockets) ask again every second or so, so that logout,
//! revocation, expiry and deactivation end them too, on every process.

use pendamping_storage::credentials;

use crate::auth::token_hash;
use crate::{Engine, EngineError};

/// Why a credential stopped authenticating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialEnd {
    /// Logged out, or revoked by an admin.
    Revoked,
    /// Past its expiry.
    Expired,
    /// Its account was deactivated.
    Disabled,
    /// No longer known (deleted).
    Unknown,
}

impl CredentialEnd {
    /// The graphql-ws close code: 4401 (Unauthorized) when the credential
    /// itself ended, 4403 (Forbidden) when its account may no longer act.
    pub fn close_code(self) -> u16 {
        match self {
            CredentialEnd::Disabled => 4403,
            CredentialEnd::Revoked | CredentialEnd::Expired | CredentialEnd::Unknown => 4401,
        }
    }

    /// The reason given with the close, for people.
    pub fn reason(self) -> &'static str {
        match self {
            CredentialEnd::Revoked => "the token has been revoked or logged out",
            CredentialEnd::Expired => "the token has expired; log in again",
            CredentialEnd::Disabled => "the account is disabled",
            CredentialEnd::Unknown => "the token is not known",
        }
    }
}

impl Engine {
    /// `None` while `token` still authenticates, else why it ended. One
    /// indexed statement; the roles are not reloaded.
    pub async fn credential_end(&self, token: &str) -> Result<Option<CredentialEnd>, EngineError> {
        let Some(standing) =
            credentials::token_standing(&self.db, &token_hash(token.trim())).await?
        else {
            return Ok(Some(CredentialEnd::Unknown));
        };
        Ok(if standing.revoked_at.is_some() {
            Some(CredentialEnd::Revoked)
        } else if standing.expires_at.is_some_and(|at| at <= self.now()) {
            Some(CredentialEnd::Expired)
        } else if standing.user_disabled_at.is_some() {
            Some(CredentialEnd::Disabled)
        } else {
            None
        })
    }
}
