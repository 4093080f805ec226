//! Deadlines: the reminders the sweeper has raised (each once per object, kind
//! and due date), the notifications they made for users, and a log of passes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, date, integer, text};

use crate::columns::*;

const REMINDER_KINDS: &[&str] = &[
    "DUE_SOON",
    "OVERDUE",
    "ESCALATED_TO_DISTRICT",
    "ESCALATED_TO_OFFICE",
];
const OBJECT_TYPES: &[&str] = &["ActionItem", "Milestone"];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One row per sweeper pass: its id tags what the pass raised, so a pass
        // reads back exactly its own rows even while another pass runs.
        manager
            .create_table(
                Table::create()
                    .table("deadline_sweeps")
                    .col(id())
                    .col(instant("started_at"))
                    .col(optional_instant("finished_at"))
                    .col(integer("reminders").default(0))
                    .col(integer("notifications").default(0))
                    .col(integer("withdrawn").default(0))
                    .take(),
            )
            .await?;

        // The unique key is what makes a reminder exactly-once, however many
        // sweepers run: a second INSERT of the same key does nothing. The due
        // date is part of the key, so a new date can raise its own reminders.
        manager
            .create_table(
                Table::create()
                    .table("deadline_reminders")
                    .col(id())
                    .col(code("object_type", OBJECT_TYPES))
                    .col(big_integer("object_id"))
                    .col(code("kind", REMINDER_KINDS))
                    .col(date("due_on"))
                    // The assignee when raised; a change of assignee withdraws
                    // the reminders that went to the old one.
                    .col(optional_reference("assignee_id"))
                    .col(reference("agreement_id"))
                    .col(reference("office_id"))
                    .col(reference("district_id"))
                    .col(optional_reference("opd_id"))
                    .col(reference("sweep_id"))
                    .col(instant("raised_at"))
                    .foreign_key(&mut fk("deadline_reminders", "sweep_id", "deadline_sweeps"))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                Index::create()
                    .name("ux_deadline_reminders_key")
                    .table("deadline_reminders")
                    .col("object_type")
                    .col("object_id")
                    .col("kind")
                    .col("due_on")
                    .unique()
                    .take(),
                index("deadline_reminders", &["sweep_id"]),
            ],
        )
        .await?;

        // What a user is told. `reminder_id` is not a foreign key: a withdrawn
        // reminder is deleted (so its key can be raised again) while the
        // notification stays, marked withdrawn, as a record of what was said.
        manager
            .create_table(
                Table::create()
                    .table("notifications")
                    .col(id())
                    .col(reference("recipient_id"))
                    .col(big_integer("reminder_id"))
                    .col(code("kind", REMINDER_KINDS))
                    .col(code("object_type", OBJECT_TYPES))
                    .col(big_integer("object_id"))
                    .col(date("due_on"))
                    .col(reference("district_id"))
                    .col(text("message"))
                    .col(instant("created_at"))
                    .col(optional_instant("read_at"))
                    .col(optional_instant("withdrawn_at"))
                    .foreign_key(&mut fk_cascade("notifications", "recipient_id", "users"))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                Index::create()
                    .name("ux_notifications_reminder_recipient")
                    .table("notifications")
                    .col("reminder_id")
                    .col("recipient_id")
                    .unique()
                    .take(),
                index("notifications", &["recipient_id", "id"]),
                index("notifications", &["object_type", "object_id"]),
                // The sweeper finds recipients by the scope of their role.
                index("role_assignments", &["opd_id"]),
                index("role_assignments", &["district_id"]),
                index("role_assignments", &["office_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["opd_id", "district_id", "office_id"] {
            manager
                .drop_index(
                    Index::drop()
                        .name(format!("ix_role_assignments_{column}"))
                        .table("role_assignments")
                        .to_owned(),
                )
                .await?;
        }
        drop_tables(
            manager,
            &["notifications", "deadline_reminders", "deadline_sweeps"],
        )
        .await
    }
}
