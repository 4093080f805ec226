//! A change counter per scope (issue 17 item 2): kept answers are keyed by
//! the counters of the scopes a caller reaches, so a commit in one district
//! leaves the other districts' answers reusable.
//!
//! `scope_changes` holds one row per scope: the global one (reference data
//! everyone reads: offices, districts, OPDs, users and their roles,
//! methodologies, periods), one per office (rows an office reads by their own
//! `office_id` that its districts do not cover), one per district, one per
//! user (their notifications, sessions, e-mail settings) and the national
//! one (what only national readers see: webhooks, the audit entries of no
//! place). Database triggers bump them in the same transaction as the change
//! to a watched table, whoever makes it — Pendamping or `psql`:
//!
//! - PostgreSQL: statement-level triggers over the transition tables, so a
//!   statement changing a million rows bumps each scope it touched once; a
//!   row moving between districts bumps both (old and new rows are read).
//!   The counter rows are upserted in (kind, id) order, so two bulk
//!   statements cannot deadlock on them.
//! - SQLite: row-level triggers (writes are serialised there anyway).
//!
//! Counters only ever grow. Tables the read API never shows (the e-mail
//! outbox, login throttling, reset codes, sweeper runs) are not watched; a
//! test checks that every other table is.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Scope kinds, as stored in `scope_changes.scope_kind`.
const GLOBAL: u8 = 0;
const NATIONAL: u8 = 4;

/// A typed NULL: PostgreSQL reads a bare NULL in a derived table as text.
const N: &str = "CAST(NULL AS BIGINT)";

/// One watched table: the columns of a changed row its places are found
/// from, and the places — a SELECT over the changed rows `c` giving
/// `district_id, office_id, user_id` — with the scope a row of no place
/// belongs to.
struct Watched {
    table: &'static str,
    columns: &'static [&'static str],
    places: String,
    nowhere: u8,
}

/// The places of changed rows: `district_id, office_id, user_id` from `from`.
fn place(district: &str, office: &str, user: &str, from: &str) -> String {
    format!(
        "SELECT {district} AS district_id, {office} AS office_id, {user} AS user_id FROM {from}"
    )
}

fn everyone(table: &'static str) -> Watched {
    Watched {
        table,
        columns: &["id"],
        places: place(N, N, N, "c"),
        nowhere: GLOBAL,
    }
}

fn national(table: &'static str) -> Watched {
    Watched {
        nowhere: NATIONAL,
        ..everyone(table)
    }
}

fn own_user(
    table: &'static str,
    column: &'static str,
    columns: &'static [&'static str],
) -> Watched {
    Watched {
        table,
        columns,
        places: place(N, N, &format!("c.{column}"), "c"),
        nowhere: GLOBAL,
    }
}

fn district(table: &'static str) -> Watched {
    Watched {
        table,
        columns: &["district_id"],
        places: place("c.district_id", N, N, "c"),
        nowhere: GLOBAL,
    }
}

fn via_item(table: &'static str) -> Watched {
    Watched {
        table,
        columns: &["action_item_id"],
        places: place(
            "x.district_id",
            N,
            N,
            "c JOIN action_items x ON x.id = c.action_item_id",
        ),
        nowhere: GLOBAL,
    }
}

fn via_agreement(table: &'static str) -> Watched {
    Watched {
        table,
        columns: &["agreement_id"],
        places: place(
            "x.district_id",
            "x.office_id",
            N,
            "c JOIN agreements x ON x.id = c.agreement_id",
        ),
        nowhere: GLOBAL,
    }
}

fn via_milestone(table: &'static str) -> Watched {
    Watched {
        table,
        columns: &["milestone_id"],
        places: place(
            "x.district_id",
            "x.office_id",
            N,
            "c JOIN milestones m ON m.id = c.milestone_id JOIN agreements x ON x.id = m.agreement_id",
        ),
        nowhere: GLOBAL,
    }
}

/// Every table the read API can show, with the scopes a change to it touches.
fn watched() -> Vec<Watched> {
    vec![
        // Reference data everyone reads, and who holds which role where
        // (OPDs too: an OPD officer's districts are found through them).
        everyone("offices"),
        everyone("districts"),
        everyone("opds"),
        everyone("users"),
        everyone("role_assignments"),
        everyone("methodologies"),
        everyone("methodology_bands"),
        everyone("methodology_dimensions"),
        everyone("assessment_periods"),
        // Only national readers (ManageWebhooks over everything) see these.
        national("webhooks"),
        national("webhook_deliveries"),
        // A user's own: sessions (a dashboard token, of no user, is national),
        // notifications, e-mail settings.
        Watched {
            table: "access_tokens",
            columns: &["user_id", "office_id", "district_id"],
            places: place("c.district_id", "c.office_id", "c.user_id", "c"),
            nowhere: NATIONAL,
        },
        own_user("notifications", "recipient_id", &["recipient_id"]),
        own_user("email_preferences", "user_id", &["user_id"]),
        // A district's own rows.
        district("action_items"),
        district("opd_reorganisations"),
        district("score_records"),
        district("score_targets"),
        via_item("action_item_due_changes"),
        via_item("comments"),
        via_item("evidence"),
        Watched {
            table: "opd_successions",
            columns: &["reorganisation_id"],
            places: place(
                "r.district_id",
                N,
                N,
                "c JOIN opd_reorganisations r ON r.id = c.reorganisation_id",
            ),
            nowhere: GLOBAL,
        },
        Watched {
            table: "score_dimension_values",
            columns: &["score_record_id"],
            places: place(
                "s.district_id",
                N,
                N,
                "c JOIN score_records s ON s.id = c.score_record_id",
            ),
            nowhere: GLOBAL,
        },
        // Rows read by their district and by their own office.
        Watched {
            table: "agreements",
            columns: &["district_id", "office_id"],
            places: place("c.district_id", "c.office_id", N, "c"),
            nowhere: GLOBAL,
        },
        Watched {
            table: "deadline_reminders",
            columns: &["district_id", "office_id"],
            places: place("c.district_id", "c.office_id", N, "c"),
            nowhere: GLOBAL,
        },
        // Audit entries go to their own place, and to their record's: an
        // agreement's, a milestone's or an action item's history is read by
        // whoever reads the record.
        Watched {
            table: "audit_events",
            columns: &["district_id", "office_id", "object_type", "object_id"],
            places: format!(
                "{} UNION ALL SELECT x.district_id, x.office_id, {N} FROM c \
                 JOIN agreements x ON c.object_type = 'Agreement' AND x.id = c.object_id \
                 UNION ALL SELECT x.district_id, x.office_id, {N} FROM c \
                 JOIN milestones m ON c.object_type = 'Milestone' AND m.id = c.object_id \
                 JOIN agreements x ON x.id = m.agreement_id \
                 UNION ALL SELECT i.district_id, {N}, {N} FROM c \
                 JOIN action_items i ON c.object_type = 'ActionItem' AND i.id = c.object_id",
                place("c.district_id", "c.office_id", N, "c")
            ),
            nowhere: NATIONAL,
        },
        Watched {
            table: "domain_events",
            columns: &["district_id", "office_id", "opd_id"],
            places: format!(
                "{} UNION ALL SELECT o.district_id, {N}, {N} FROM c JOIN opds o ON o.id = c.opd_id",
                place("c.district_id", "c.office_id", N, "c")
            ),
            nowhere: NATIONAL,
        },
        via_agreement("agreement_amendments"),
        via_agreement("milestones"),
        Watched {
            table: "agreement_opds",
            columns: &["agreement_id", "opd_id"],
            places: format!(
                "{} UNION ALL SELECT o.district_id, {N}, {N} FROM c JOIN opds o ON o.id = c.opd_id",
                place(
                    "x.district_id",
                    "x.office_id",
                    N,
                    "c JOIN agreements x ON x.id = c.agreement_id"
                )
            ),
            nowhere: GLOBAL,
        },
        via_milestone("milestone_opds"),
        via_milestone("milestone_reschedules"),
    ]
}

/// The one statement a trigger runs: bump, once each, the scopes of the
/// changed rows `changed` (a FROM item named `c`). A row's district; its
/// office when the office reads it by its own `office_id` but not through
/// the district (none, or a district of another office); its user; and for
/// a row of no place, the `nowhere` scope.
fn bump(watched: &Watched, changed: &str, postgres: bool) -> String {
    let places = watched
        .places
        .replace(" FROM c", &format!(" FROM {changed} c"));
    let has = |column: &str| !watched.places.contains(&format!("{N} AS {column}"));
    let nowhere = watched.nowhere;
    // Only the branches the table's places can fill: an action item's
    // trigger looks at its district alone.
    let mut branches = Vec::new();
    if has("district_id") {
        branches.push(format!(
            "SELECT 2 AS kind, p.district_id AS id FROM ({places}) p WHERE p.district_id IS NOT NULL"
        ));
    }
    if has("office_id") {
        branches.push(format!(
            "SELECT 1 AS kind, p.office_id AS id FROM ({places}) p WHERE p.office_id IS NOT NULL \
             AND (p.district_id IS NULL OR \
               p.office_id <> (SELECT d.office_id FROM districts d WHERE d.id = p.district_id))"
        ));
    }
    if has("user_id") {
        branches.push(format!(
            "SELECT 3 AS kind, p.user_id AS id FROM ({places}) p WHERE p.user_id IS NOT NULL"
        ));
    }
    branches.push(format!(
        "SELECT {nowhere} AS kind, 0 AS id FROM ({places}) p \
         WHERE p.district_id IS NULL AND p.office_id IS NULL AND p.user_id IS NULL"
    ));
    let (order, current) = if postgres {
        (" ORDER BY s.kind, s.id", "scope_changes.changes")
    } else {
        ("", "changes")
    };
    format!(
        "INSERT INTO scope_changes (scope_kind, scope_id, changes) \
         SELECT DISTINCT s.kind, s.id, 1 FROM ({}) s WHERE true{order} \
         ON CONFLICT (scope_kind, scope_id) DO UPDATE SET changes = {current} + 1",
        branches.join(" UNION ALL ")
    )
}

fn postgres_function(watched: &Watched) -> String {
    let table = watched.table;
    let inserted = bump(watched, "(SELECT * FROM new_rows)", true);
    let updated = bump(
        watched,
        "(SELECT * FROM new_rows UNION ALL SELECT * FROM old_rows)",
        true,
    );
    let deleted = bump(watched, "(SELECT * FROM old_rows)", true);
    format!(
        "CREATE FUNCTION scope_changes_{table}() RETURNS trigger LANGUAGE plpgsql AS $body$ \
         BEGIN \
           IF TG_OP = 'INSERT' THEN {inserted}; \
           ELSIF TG_OP = 'UPDATE' THEN {updated}; \
           ELSIF TG_OP = 'DELETE' THEN {deleted}; \
           ELSE UPDATE scope_changes SET changes = changes + 1; \
           END IF; \
           RETURN NULL; \
         END $body$"
    )
}

fn postgres_triggers(table: &str) -> Vec<String> {
    let function = format!("scope_changes_{table}()");
    vec![
        format!(
            "CREATE TRIGGER scope_changes_insert AFTER INSERT ON {table} \
             REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}"
        ),
        format!(
            "CREATE TRIGGER scope_changes_update AFTER UPDATE ON {table} \
             REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows \
             FOR EACH STATEMENT EXECUTE FUNCTION {function}"
        ),
        format!(
            "CREATE TRIGGER scope_changes_delete AFTER DELETE ON {table} \
             REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}"
        ),
        format!(
            "CREATE TRIGGER scope_changes_truncate AFTER TRUNCATE ON {table} \
             FOR EACH STATEMENT EXECUTE FUNCTION {function}"
        ),
    ]
}

/// `(SELECT NEW.a AS a, …)`: one changed row as a FROM item (SQLite allows
/// no common table expressions in triggers).
fn sqlite_row(columns: &[&str], which: &str) -> String {
    let list: Vec<String> = columns
        .iter()
        .map(|column| format!("{which}.{column} AS {column}"))
        .collect();
    format!("SELECT {}", list.join(", "))
}

fn sqlite_triggers(watched: &Watched) -> Vec<String> {
    let table = watched.table;
    let new = sqlite_row(watched.columns, "NEW");
    let old = sqlite_row(watched.columns, "OLD");
    [
        ("insert", "INSERT", format!("({new})")),
        ("update", "UPDATE", format!("({new} UNION ALL {old})")),
        ("delete", "DELETE", format!("({old})")),
    ]
    .into_iter()
    .map(|(name, event, changed)| {
        format!(
            "CREATE TRIGGER scope_changes_{name}_{table} AFTER {event} ON {table} BEGIN {}; END",
            bump(watched, &changed, false)
        )
    })
    .collect()
}

/// The statements that watch `table` as this migration did (for a later
/// migration that stops watching it and must be able to step back).
pub(crate) fn watching(table: &str, postgres: bool) -> Vec<String> {
    watched()
        .into_iter()
        .filter(|watched| watched.table == table)
        .flat_map(|watched| {
            if postgres {
                let mut all = vec![postgres_function(&watched)];
                all.extend(postgres_triggers(watched.table));
                all
            } else {
                sqlite_triggers(&watched)
            }
        })
        .collect()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres;
        db.execute_unprepared(
            "CREATE TABLE scope_changes (\
               scope_kind INTEGER NOT NULL, \
               scope_id BIGINT NOT NULL, \
               changes BIGINT NOT NULL, \
               PRIMARY KEY (scope_kind, scope_id))",
        )
        .await?;
        db.execute_unprepared(&format!(
            "INSERT INTO scope_changes (scope_kind, scope_id, changes) \
             VALUES ({GLOBAL}, 0, 1), ({NATIONAL}, 0, 1)"
        ))
        .await?;
        for watched in watched() {
            let statements = watching(watched.table, postgres);
            for statement in statements {
                db.execute_unprepared(&statement).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres;
        for watched in watched() {
            let table = watched.table;
            if postgres {
                // Dropping the function drops its triggers.
                db.execute_unprepared(&format!("DROP FUNCTION scope_changes_{table}() CASCADE"))
                    .await?;
            } else {
                for name in ["insert", "update", "delete"] {
                    db.execute_unprepared(&format!("DROP TRIGGER scope_changes_{name}_{table}"))
                        .await?;
                }
            }
        }
        db.execute_unprepared("DROP TABLE scope_changes").await?;
        Ok(())
    }
}
