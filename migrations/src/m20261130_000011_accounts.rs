//! Accounts the offices run themselves: one-time password reset codes, and
//! the per-key login throttle (a lock row per account and per address whose
//! conditional update decides every attempt atomically).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{integer, string_len, string_len_uniq};

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("password_reset_codes")
                    .col(id())
                    .col(reference("user_id"))
                    // Lower-case hex SHA-256 of the normalised code; the code itself is never stored.
                    .col(string_len_uniq("code_hash", 64))
                    // Who issued it (an e-mail or `cli`), as in the audit log.
                    .col(string_len("issued_by", 254))
                    .col(instant("created_at"))
                    .col(instant("expires_at"))
                    // Set when the code is exchanged, or when a newer code replaces it.
                    .col(optional_instant("used_at"))
                    .foreign_key(&mut fk_cascade("password_reset_codes", "user_id", "users"))
                    .take(),
            )
            .await?;
        create_indexes(manager, vec![index("password_reset_codes", &["user_id"])]).await?;

        manager
            .create_table(
                Table::create()
                    .table("login_throttles")
                    .col(id())
                    // `account:<e-mail>` or `address:<ip>`.
                    .col(string_len_uniq("throttle_key", 300))
                    // Failures counted within the window (an attempt counts as one while it is checked).
                    .col(integer("failures").default(0))
                    .col(optional_instant("last_failure_at"))
                    // No attempt is evaluated before this instant.
                    .col(optional_instant("blocked_until"))
                    // Bumped by every change: the compare-and-set that makes each decision atomic.
                    .col(integer("version").default(0))
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["login_throttles", "password_reset_codes"]).await
    }
}
