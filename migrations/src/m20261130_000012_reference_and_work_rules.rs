//! Reference data that changes and the rules of mentoring work: an OPD can be
//! deactivated; a reorganisation (*penggabungan/pemecahan OPD*) links
//! predecessor and successor OPDs; an amendment may change the OPDs covered
//! and the terms' text; an action item's due-date extensions are kept.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{boolean, date, text, text_null};

use crate::columns::*;

const REORGANISATION_KINDS: &[&str] = &["MERGER", "SPLIT"];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table("opds")
                    .add_column(boolean("active").default(true))
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("opds")
                    .add_column(optional_instant("deactivated_at"))
                    .take(),
            )
            .await?;
        for column in ["terms", "added_opd_ids", "removed_opd_ids"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("agreement_amendments")
                        .add_column(text_null(column))
                        .take(),
                )
                .await?;
        }

        // One reorganisation of a district's OPDs, effective on a date.
        manager
            .create_table(
                Table::create()
                    .table("opd_reorganisations")
                    .col(id())
                    .col(reference("district_id"))
                    .col(code("kind", REORGANISATION_KINDS))
                    .col(date("effective_on"))
                    .col(text("reason"))
                    .col(optional_reference("recorded_by"))
                    .col(instant("recorded_at"))
                    .foreign_key(&mut fk("opd_reorganisations", "district_id", "districts"))
                    .take(),
            )
            .await?;
        // Which OPD went into which: A and B into C is two rows, A into B and C too.
        manager
            .create_table(
                Table::create()
                    .table("opd_successions")
                    .col(id())
                    .col(reference("reorganisation_id"))
                    .col(reference("predecessor_id"))
                    .col(reference("successor_id"))
                    .foreign_key(&mut fk_cascade(
                        "opd_successions",
                        "reorganisation_id",
                        "opd_reorganisations",
                    ))
                    .foreign_key(&mut fk("opd_successions", "predecessor_id", "opds"))
                    .foreign_key(&mut fk("opd_successions", "successor_id", "opds"))
                    .check(Expr::cust("predecessor_id <> successor_id"))
                    .take(),
            )
            .await?;
        // An action item's due-date extensions, like a milestone's reschedules.
        manager
            .create_table(
                Table::create()
                    .table("action_item_due_changes")
                    .col(id())
                    .col(reference("action_item_id"))
                    .col(date("old_date"))
                    .col(date("new_date"))
                    .col(text("reason"))
                    .col(optional_reference("changed_by"))
                    .col(instant("changed_at"))
                    .foreign_key(&mut fk_cascade(
                        "action_item_due_changes",
                        "action_item_id",
                        "action_items",
                    ))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                index("opd_successions", &["predecessor_id"]),
                index("opd_successions", &["successor_id"]),
                index("action_item_due_changes", &["action_item_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "action_item_due_changes",
                "opd_successions",
                "opd_reorganisations",
            ],
        )
        .await?;
        for column in ["removed_opd_ids", "added_opd_ids", "terms"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("agreement_amendments")
                        .drop_column(column)
                        .take(),
                )
                .await?;
        }
        for column in ["deactivated_at", "active"] {
            manager
                .alter_table(Table::alter().table("opds").drop_column(column).take())
                .await?;
        }
        Ok(())
    }
}
