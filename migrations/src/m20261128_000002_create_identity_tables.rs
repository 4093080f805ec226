//! Users, their role assignments, access tokens and login attempts.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{boolean, string_len, string_len_null, string_len_uniq, text_null};

use crate::columns::*;

const ROLES: &[&str] = &[
    "SYSTEM_ADMIN",
    "OMBUDSMAN_LEAD",
    "OMBUDSMAN_ASSESSOR",
    "DISTRICT_COORDINATOR",
    "OPD_OFFICER",
    "VIEWER",
];

/// A role's scope must sit at the level DESIGN.md §2 gives it.
const SCOPE_MATCHES_ROLE: &str = "\
    (role = 'SYSTEM_ADMIN' AND office_id IS NULL AND district_id IS NULL AND opd_id IS NULL) \
 OR (role IN ('OMBUDSMAN_LEAD', 'OMBUDSMAN_ASSESSOR') AND office_id IS NOT NULL AND district_id IS NULL AND opd_id IS NULL) \
 OR (role = 'DISTRICT_COORDINATOR' AND office_id IS NULL AND district_id IS NOT NULL AND opd_id IS NULL) \
 OR (role = 'OPD_OFFICER' AND office_id IS NULL AND district_id IS NULL AND opd_id IS NOT NULL) \
 OR (role = 'VIEWER' AND opd_id IS NULL AND ((office_id IS NULL) <> (district_id IS NULL)))";

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("users")
                    .col(id())
                    .col(string_len_uniq("email", 254))
                    .col(string_len("display_name", 200))
                    // An argon2id PHC string; NULL for a user who cannot log in yet.
                    .col(text_null("password_hash"))
                    .col(instant("created_at"))
                    .col(optional_instant("disabled_at"))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("role_assignments")
                    .col(id())
                    .col(reference("user_id"))
                    .col(code("role", ROLES))
                    .col(optional_reference("office_id"))
                    .col(optional_reference("district_id"))
                    .col(optional_reference("opd_id"))
                    .col(instant("created_at"))
                    .check(Expr::cust(SCOPE_MATCHES_ROLE))
                    .foreign_key(&mut fk_cascade("role_assignments", "user_id", "users"))
                    .foreign_key(&mut fk("role_assignments", "office_id", "offices"))
                    .foreign_key(&mut fk("role_assignments", "district_id", "districts"))
                    .foreign_key(&mut fk("role_assignments", "opd_id", "opds"))
                    .take(),
            )
            .await?;
        create_indexes(manager, vec![index("role_assignments", &["user_id"])]).await?;

        manager
            .create_table(
                Table::create()
                    .table("access_tokens")
                    .col(id())
                    // Lower-case hex SHA-256 of the bearer token; the token itself is never stored.
                    .col(string_len_uniq("token_hash", 64))
                    .col(code("kind", &["SESSION", "API"]))
                    .col(optional_reference("user_id"))
                    .col(string_len("label", 200))
                    .col(optional_code("role", ROLES))
                    .col(optional_reference("office_id"))
                    .col(optional_reference("district_id"))
                    .col(instant("created_at"))
                    .col(optional_instant("expires_at"))
                    .col(optional_instant("revoked_at"))
                    .col(optional_instant("last_used_at"))
                    .check(Expr::cust(
                        "(kind = 'SESSION' AND user_id IS NOT NULL AND role IS NULL) \
                      OR (kind = 'API' AND role = 'VIEWER' AND ((office_id IS NULL) <> (district_id IS NULL)))",
                    ))
                    .foreign_key(&mut fk_cascade("access_tokens", "user_id", "users"))
                    .foreign_key(&mut fk("access_tokens", "office_id", "offices"))
                    .foreign_key(&mut fk("access_tokens", "district_id", "districts"))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("login_attempts")
                    .col(id())
                    .col(string_len("email", 254))
                    .col(string_len_null("address", 64))
                    .col(boolean("succeeded"))
                    .col(instant("attempted_at"))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                index("login_attempts", &["email", "attempted_at"]),
                index("login_attempts", &["address", "attempted_at"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "login_attempts",
                "access_tokens",
                "role_assignments",
                "users",
            ],
        )
        .await
    }
}
