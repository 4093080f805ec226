//! Deadlines: the sweeper's set-based statements and the notifications they make.
//!
//! A pass is a handful of `INSERT … SELECT … ON CONFLICT DO NOTHING` statements,
//! one per reminder kind and object type, never a loop over rows. The unique key
//! of `deadline_reminders` (object, kind, due date) makes each reminder
//! exactly-once however many passes run at once; each pass tags what it raised
//! with its own `deadline_sweeps` id, so it reads back, notifies and reports
//! exactly its own rows. On PostgreSQL a transaction-scoped advisory lock also
//! queues simultaneous passes, so they never race for the same keys.

use chrono::{DateTime, NaiveDate, Utc};
use pendamping_domain::deadline::{
    DeadlineKind, DeadlineObject, DeadlinePolicy, Notification, NotificationId, RECIPIENT_RULES,
    Recipients, ReminderKind,
};
use pendamping_domain::identity::{Role, UserId};
use pendamping_domain::reference::{DistrictId, TimeZone};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, Set,
    Value,
};

use crate::StorageError;
use crate::entity::{deadline_reminders, deadline_sweeps, notifications};
use crate::page::{self, CursorKey, ListOrder, Page, PageRequest, SortValue};
use crate::sql::statement;
use crate::statuses;

pub use pendamping_domain::read::NotificationFilter;

/// The advisory-lock key of a sweeper pass on PostgreSQL ("pendamping sweep").
const SWEEP_LOCK_KEY: i64 = 0x0070_6473_7765_6570;

async fn execute(
    db: &impl ConnectionTrait,
    sql: &str,
    values: Vec<Value>,
) -> Result<u64, StorageError> {
    let result = db
        .execute_raw(statement(db.get_database_backend(), sql, values))
        .await?;
    Ok(result.rows_affected())
}

/// How long before the previous pass's instant a change still counts as
/// "since the previous pass": a write transaction takes its instant before it
/// commits, and may commit after that pass read the database; clocks of
/// several server processes may differ by a little.
pub const CHANGE_SLACK: chrono::Duration = chrono::Duration::minutes(15);

/// What a pass has to look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SweepScope {
    /// Everything: there is no earlier finished pass with the same policy
    /// (or the clock stands before it).
    Full,
    /// Only what can have changed since the previous pass with the same
    /// policy, which ran at this instant: due dates and waits that crossed a
    /// threshold since, and action items changed since (less [`CHANGE_SLACK`]).
    /// Everything else that pass saw was raised then, or had been before.
    Since(DateTime<Utc>),
}

/// The policy as a pass records it: a pass builds on an earlier one only
/// when they ran with the same thresholds.
fn policy_key(policy: &DeadlinePolicy) -> String {
    format!(
        "reminders={};district={};office={};verify={}",
        policy.reminder_days,
        policy.escalate_district_days,
        policy.escalate_office_days,
        policy.verify_within_days
    )
}

/// Starts a pass: on PostgreSQL waits for any other pass to commit, then
/// records this one and returns its id and what it has to look at.
pub async fn begin_sweep(
    db: &impl ConnectionTrait,
    policy: &DeadlinePolicy,
    now: DateTime<Utc>,
) -> Result<(i64, SweepScope), StorageError> {
    use sea_orm::{QueryOrder, QuerySelect};
    if db.get_database_backend() == DatabaseBackend::Postgres {
        execute(
            db,
            "SELECT pg_advisory_xact_lock(?)",
            vec![SWEEP_LOCK_KEY.into()],
        )
        .await?;
        // The pool prefers generic plans (see `db::connect`), but how many
        // rows a pass's statements select depends on their values (this
        // sweep's id: none of its reminders yet, against hundreds of
        // thousands of the first pass's): plan them for the values given.
        execute(db, "SET LOCAL plan_cache_mode = force_custom_plan", vec![]).await?;
    }
    let key = policy_key(policy);
    let previous = deadline_sweeps::Entity::find()
        .filter(deadline_sweeps::Column::FinishedAt.is_not_null())
        .filter(deadline_sweeps::Column::Policy.eq(key.as_str()))
        .order_by_desc(deadline_sweeps::Column::Id)
        .limit(1)
        .one(db)
        .await?;
    let scope = match previous {
        Some(p) if p.started_at <= now => SweepScope::Since(p.started_at),
        _ => SweepScope::Full,
    };
    let model = deadline_sweeps::ActiveModel {
        started_at: Set(now),
        finished_at: Set(None),
        reminders: Set(0),
        notifications: Set(0),
        withdrawn: Set(0),
        policy: Set(Some(key)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((model.id, scope))
}

/// Closes a pass with what it did.
pub async fn finish_sweep(
    db: &impl ConnectionTrait,
    sweep_id: i64,
    reminders: u64,
    notifications: u64,
    withdrawn: u64,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    let count = |n: u64| i32::try_from(n).unwrap_or(i32::MAX);
    deadline_sweeps::ActiveModel {
        id: sea_orm::Unchanged(sweep_id),
        finished_at: Set(Some(now)),
        reminders: Set(count(reminders)),
        notifications: Set(count(notifications)),
        withdrawn: Set(count(withdrawn)),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Reminders that no longer match their object: its due date moved, or (for
/// reminders to whoever does the work) its assignee changed. `only` narrows the
/// check to one object, for the transaction that changes it.
fn stale_reminders(only: Option<DeadlineObject>) -> (String, Vec<Value>) {
    let mut sql = format!(
        "((deadline_reminders.object_type = 'ActionItem' AND NOT EXISTS (\
             SELECT 1 FROM action_items a WHERE a.id = deadline_reminders.object_id \
             AND a.due_on = deadline_reminders.due_on \
             AND (deadline_reminders.kind NOT IN ('{due_soon}', '{overdue}') \
                  OR COALESCE(a.assignee_id, 0) = COALESCE(deadline_reminders.assignee_id, 0)))) \
         OR (deadline_reminders.object_type = 'Milestone' AND NOT EXISTS (\
             SELECT 1 FROM milestones m WHERE m.id = deadline_reminders.object_id \
             AND m.planned_on = deadline_reminders.due_on)))",
        due_soon = ReminderKind::DueSoon.as_str(),
        overdue = ReminderKind::Overdue.as_str(),
    );
    let mut values = Vec::new();
    if let Some(object) = only {
        sql.push_str(
            " AND deadline_reminders.object_type = ? AND deadline_reminders.object_id = ?",
        );
        values.push(object.object_type().into());
        values.push(object.id().into());
    }
    (sql, values)
}

/// Withdraws stale reminders (see [`stale_reminders`]): their notifications are
/// marked withdrawn and the reminders deleted, so the next pass plans afresh
/// for the new date or assignee. Returns how many reminders were withdrawn.
pub async fn withdraw_stale(
    db: &impl ConnectionTrait,
    only: Option<DeadlineObject>,
    now: DateTime<Utc>,
) -> Result<u64, StorageError> {
    withdraw(db, stale_reminders(only), now).await
}

/// As [`withdraw_stale`] for a pass of `scope`: a pass that builds on an
/// earlier one checks the reminders of milestones (few) and of the action
/// items still open that changed since (the changes that make a reminder
/// stale withdraw it at once in their own transaction; this is the net under
/// them).
pub async fn withdraw_stale_in(
    db: &impl ConnectionTrait,
    scope: SweepScope,
    now: DateTime<Utc>,
) -> Result<u64, StorageError> {
    let (mut stale, mut values) = stale_reminders(None);
    if let SweepScope::Since(previous) = scope {
        // By id, so that the reminders looked at are found through indexes
        // (the reminder key, the changed items' partial index), not scanned.
        stale.push_str(&format!(
            " AND deadline_reminders.id IN (\
               SELECT r.id FROM deadline_reminders r WHERE r.object_type = 'Milestone' \
               UNION ALL SELECT r.id FROM action_items c JOIN deadline_reminders r \
                 ON r.object_type = 'ActionItem' AND r.object_id = c.id \
               WHERE c.status IN {open} AND c.updated_at >= ?)",
            open = statuses::sql_list(&statuses::open_work()),
        ));
        values.push((previous - CHANGE_SLACK).into());
    }
    withdraw(db, (stale, values), now).await
}

async fn withdraw(
    db: &impl ConnectionTrait,
    (stale, stale_values): (String, Vec<Value>),
    now: DateTime<Utc>,
) -> Result<u64, StorageError> {
    let mut values: Vec<Value> = vec![now.into()];
    values.extend(stale_values.iter().cloned());
    execute(
        db,
        &format!(
            "UPDATE notifications SET withdrawn_at = ? WHERE withdrawn_at IS NULL \
             AND reminder_id IN (SELECT deadline_reminders.id FROM deadline_reminders WHERE {stale})"
        ),
        values,
    )
    .await?;
    execute(
        db,
        &format!("DELETE FROM deadline_reminders WHERE {stale}"),
        stale_values,
    )
    .await
}

/// "Today" in each Indonesian zone at one instant.
fn todays(now: DateTime<Utc>) -> Vec<(TimeZone, NaiveDate)> {
    TimeZone::ALL.iter().map(|z| (*z, z.today(now))).collect()
}

/// The due-date test of one reminder kind, in each district's own zone: one
/// branch per zone, each comparing the due column with constant dates.
fn due_condition(
    kind: ReminderKind,
    due_column: &str,
    policy: &DeadlinePolicy,
    now: DateTime<Utc>,
) -> (String, Vec<Value>) {
    let mut branches = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    for (zone, today) in todays(now) {
        let zone_test = format!("d.time_zone = '{}'", zone.as_str());
        match kind {
            ReminderKind::DueSoon => {
                let (from, to) = policy.due_soon_window(today);
                branches.push(format!(
                    "({zone_test} AND {due_column} >= ? AND {due_column} <= ?)"
                ));
                values.push(from.into());
                values.push(to.into());
            }
            ReminderKind::Overdue => {
                branches.push(format!("({zone_test} AND {due_column} < ?)"));
                values.push(today.into());
            }
            ReminderKind::EscalatedToDistrict | ReminderKind::EscalatedToOffice => {
                let days = if kind == ReminderKind::EscalatedToDistrict {
                    policy.escalate_district_days
                } else {
                    policy.escalate_office_days
                };
                branches.push(format!("({zone_test} AND {due_column} < ?)"));
                values.push(DeadlinePolicy::overdue_by_more_than(days, today).into());
            }
        }
    }
    (format!("({})", branches.join(" OR ")), values)
}

const REMINDER_COLUMNS: &str = "object_type, object_id, kind, due_on, assignee_id, agreement_id, \
     office_id, district_id, opd_id, sweep_id, raised_at";
const ON_REMINDER_KEY: &str = "ON CONFLICT (object_type, object_id, kind, due_on) DO NOTHING";

/// The due dates a kind's reminder may newly be due for since `previous`.
/// Each kind is due once a due date reaches a threshold that moves with the
/// day: "due soon" once it is at most N days ahead, overdue once it is
/// before today, escalated once it is more than M (K) days before today. An
/// item newly due crossed the threshold since: its due date lies between the
/// threshold then (in the zone whose day began first) and the threshold now
/// (in the zone whose day began last), both included — a day or two of due
/// dates, read from the `due_on` index.
fn crossed_since(
    kind: ReminderKind,
    policy: &DeadlinePolicy,
    previous: DateTime<Utc>,
    now: DateTime<Utc>,
) -> (NaiveDate, NaiveDate) {
    let threshold = |today: NaiveDate| match kind {
        ReminderKind::DueSoon => policy.due_soon_window(today).1,
        ReminderKind::Overdue => today,
        ReminderKind::EscalatedToDistrict => {
            DeadlinePolicy::overdue_by_more_than(policy.escalate_district_days, today)
        }
        ReminderKind::EscalatedToOffice => {
            DeadlinePolicy::overdue_by_more_than(policy.escalate_office_days, today)
        }
    };
    let from = todays(previous)
        .into_iter()
        .map(|(_, d)| threshold(d))
        .min();
    let to = todays(now).into_iter().map(|(_, d)| threshold(d)).max();
    (from.unwrap_or(NaiveDate::MIN), to.unwrap_or(NaiveDate::MAX))
}

/// Raises `kind` for every open action item it is due for; returns how many
/// were new (an existing key is left alone). A pass that builds on an earlier
/// one (`scope`) looks only at the items whose due date or wait crossed the
/// kind's threshold since, and at the open items changed since: each of the
/// others was due, or not, for the same reasons at the earlier pass.
pub async fn raise_for_action_items(
    db: &impl ConnectionTrait,
    sweep_id: i64,
    kind: ReminderKind,
    policy: &DeadlinePolicy,
    scope: SweepScope,
    now: DateTime<Utc>,
) -> Result<u64, StorageError> {
    let (due, due_values) = due_condition(kind, "a.due_on", policy, now);
    // The office hears of a submission that has waited too long for its verification.
    let waiting = if kind == ReminderKind::EscalatedToOffice {
        format!(
            " OR (a.status IN {} AND a.submitted_at < ?)",
            statuses::sql_list(&statuses::awaiting_verification())
        )
    } else {
        String::new()
    };
    // Only the OPD's move is late against it: a SUBMITTED item waits on the
    // Ombudsman office, never "due soon", overdue or escalated against the OPD.
    let opds_move = statuses::sql_list(&statuses::opds_move());
    let waited_since =
        |at: DateTime<Utc>| at - chrono::Days::new(u64::from(policy.verify_within_days));
    let mut candidates = String::new();
    let mut candidate_values: Vec<Value> = Vec::new();
    if let SweepScope::Since(previous) = scope {
        let (from, to) = crossed_since(kind, policy, previous, now);
        candidates = format!(
            " AND a.id IN (SELECT c.id FROM action_items c WHERE c.due_on >= ? AND c.due_on <= ? \
             UNION SELECT c.id FROM action_items c WHERE c.status IN {open} AND c.updated_at >= ?",
            open = statuses::sql_list(&statuses::open_work()),
        );
        candidate_values.extend([from.into(), to.into(), (previous - CHANGE_SLACK).into()]);
        if !waiting.is_empty() {
            candidates.push_str(&format!(
                " UNION SELECT c.id FROM action_items c WHERE c.status IN {awaiting} \
                 AND c.submitted_at >= ? AND c.submitted_at < ?",
                awaiting = statuses::sql_list(&statuses::awaiting_verification()),
            ));
            candidate_values.push(waited_since(previous).into());
            candidate_values.push(waited_since(now).into());
        }
        candidates.push(')');
    }
    let sql = format!(
        "INSERT INTO deadline_reminders ({REMINDER_COLUMNS}) \
         SELECT 'ActionItem', a.id, '{kind}', a.due_on, a.assignee_id, a.agreement_id, \
                d.office_id, a.district_id, a.opd_id, ?, ? \
         FROM action_items a JOIN districts d ON d.id = a.district_id \
         WHERE ((a.status IN {opds_move} AND {due}){waiting}){candidates} \
         {ON_REMINDER_KEY}",
        kind = kind.as_str(),
    );
    let mut values: Vec<Value> = vec![sweep_id.into(), now.into()];
    values.extend(due_values);
    if !waiting.is_empty() {
        values.push(waited_since(now).into());
    }
    values.extend(candidate_values);
    execute(db, &sql, values).await
}

/// Raises `kind` for every open milestone of an ACTIVE agreement it is due for.
/// (A draft's milestones are plans still being written; nobody is late yet.)
pub async fn raise_for_milestones(
    db: &impl ConnectionTrait,
    sweep_id: i64,
    kind: ReminderKind,
    policy: &DeadlinePolicy,
    now: DateTime<Utc>,
) -> Result<u64, StorageError> {
    let (due, due_values) = due_condition(kind, "m.planned_on", policy, now);
    let open_milestones = statuses::sql_list(&statuses::open_milestones());
    let active = pendamping_domain::agreement::AgreementStatus::Active.as_str();
    let sql = format!(
        "INSERT INTO deadline_reminders ({REMINDER_COLUMNS}) \
         SELECT 'Milestone', m.id, '{kind}', m.planned_on, CAST(NULL AS BIGINT), m.agreement_id, \
                g.office_id, g.district_id, CAST(NULL AS BIGINT), ?, ? \
         FROM milestones m JOIN agreements g ON g.id = m.agreement_id \
              JOIN districts d ON d.id = g.district_id \
         WHERE m.status IN {open_milestones} AND g.status = '{active}' AND {due} \
         {ON_REMINDER_KEY}",
        kind = kind.as_str(),
    );
    let mut values: Vec<Value> = vec![sweep_id.into(), now.into()];
    values.extend(due_values);
    execute(db, &sql, values).await
}

/// A reminder raised by one pass, for its outgoing event.
#[derive(Debug, Clone, PartialEq)]
pub struct RaisedReminder {
    pub id: i64,
    pub object: DeadlineObject,
    pub kind: ReminderKind,
    pub due_on: NaiveDate,
    pub assignee_id: Option<i64>,
    pub agreement_id: i64,
    pub office_id: i64,
    pub district_id: i64,
    pub opd_id: Option<i64>,
}

/// What pass `sweep_id` raised, in key order.
pub async fn raised_in(
    db: &impl ConnectionTrait,
    sweep_id: i64,
) -> Result<Vec<RaisedReminder>, StorageError> {
    use sea_orm::QueryOrder;
    deadline_reminders::Entity::find()
        .filter(deadline_reminders::Column::SweepId.eq(sweep_id))
        .order_by_asc(deadline_reminders::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            Ok(RaisedReminder {
                id: m.id,
                object: DeadlineObject::from_parts(&m.object_type, m.object_id).ok_or_else(
                    || StorageError::Corrupt(format!("object type {}", m.object_type)),
                )?,
                kind: m.kind.parse()?,
                due_on: m.due_on,
                assignee_id: m.assignee_id,
                agreement_id: m.agreement_id,
                office_id: m.office_id,
                district_id: m.district_id,
                opd_id: m.opd_id,
            })
        })
        .collect()
}

/// The message of a notification, as SQL over `r` (the reminder) and `title`.
fn message_sql(title: &str, waiting: &str) -> String {
    let kind = |k: ReminderKind| format!("'{}'", k.as_str());
    format!(
        "CASE WHEN {waiting} THEN 'Awaiting the office''s verification: ' \
           WHEN r.kind = {due_soon} THEN 'Due soon: ' \
           WHEN r.kind = {overdue} THEN 'Overdue: ' \
           WHEN r.kind = {to_district} THEN 'Overdue, escalated to the district coordinator: ' \
           ELSE 'Overdue, escalated to the Ombudsman office: ' END \
         || {title} || ' (due ' || CAST(r.due_on AS TEXT) || ')'",
        due_soon = kind(ReminderKind::DueSoon),
        overdue = kind(ReminderKind::Overdue),
        to_district = kind(ReminderKind::EscalatedToDistrict),
    )
}

/// The join that finds a rule's recipients (`u`, enabled users) for the
/// reminder `r`.
fn recipients_sql(recipients: Recipients) -> String {
    let roles = |roles: &[Role]| {
        let codes: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        statuses::sql_list(&codes)
    };
    let enabled = "JOIN users u ON u.id = ra.user_id AND u.disabled_at IS NULL";
    match recipients {
        Recipients::Assignee => {
            "JOIN users u ON u.id = r.assignee_id AND u.disabled_at IS NULL".to_owned()
        }
        Recipients::OpdOfficersWhenUnassigned => format!(
            "JOIN role_assignments ra ON ra.role = '{officer}' AND ra.opd_id = r.opd_id \
             AND r.assignee_id IS NULL {enabled}",
            officer = Role::OpdOfficer.as_str(),
        ),
        Recipients::InDistrict(held) => format!(
            "JOIN role_assignments ra ON ra.role IN {roles} \
             AND ra.district_id = r.district_id {enabled}",
            roles = roles(held),
        ),
        Recipients::InOffice(held) => format!(
            "JOIN role_assignments ra ON ra.role IN {roles} \
             AND ra.office_id = r.office_id {enabled}",
            roles = roles(held),
        ),
    }
}

/// Makes the notifications of everything pass `sweep_id` raised: one statement
/// per recipient rule. Returns how many were made.
pub async fn notify(
    db: &impl ConnectionTrait,
    sweep_id: i64,
    now: DateTime<Utc>,
) -> Result<u64, StorageError> {
    let mut made = 0;
    for rule in RECIPIENT_RULES {
        let (object_join, waiting) = match rule.object {
            DeadlineKind::Milestone => (
                "JOIN milestones o ON o.id = r.object_id",
                "1 = 0".to_owned(),
            ),
            DeadlineKind::ActionItem => (
                "JOIN action_items o ON o.id = r.object_id",
                format!(
                    "o.status IN {}",
                    statuses::sql_list(&statuses::awaiting_verification())
                ),
            ),
        };
        let kinds: Vec<&str> = rule.kinds.iter().map(|k| k.as_str()).collect();
        let sql = format!(
            "INSERT INTO notifications (recipient_id, reminder_id, kind, object_type, object_id, \
                                        due_on, district_id, message, created_at) \
             SELECT DISTINCT u.id, r.id, r.kind, r.object_type, r.object_id, r.due_on, \
                    r.district_id, {message}, ? \
             FROM deadline_reminders r {object_join} {recipients} \
             WHERE r.sweep_id = ? AND r.object_type = '{object_type}' AND r.kind IN {kinds} \
             ON CONFLICT (reminder_id, recipient_id) DO NOTHING",
            message = message_sql("o.title", &waiting),
            recipients = recipients_sql(rule.recipients),
            object_type = rule.object.object_type(),
            kinds = statuses::sql_list(&kinds),
        );
        made += execute(db, &sql, vec![now.into(), sweep_id.into()]).await?;
    }
    Ok(made)
}

// ---- notifications, as their recipient reads them -------------------------

fn notification_select(
    recipient: UserId,
    filter: NotificationFilter,
) -> sea_orm::Select<notifications::Entity> {
    use notifications::Column as C;
    let mut select = notifications::Entity::find().filter(C::RecipientId.eq(recipient.0));
    if filter.unread_only {
        select = select.filter(C::ReadAt.is_null());
    }
    if !filter.include_withdrawn {
        select = select.filter(C::WithdrawnAt.is_null());
    }
    select
}

fn notification(m: notifications::Model) -> Result<Notification, StorageError> {
    Ok(Notification {
        id: NotificationId(m.id),
        recipient_id: UserId(m.recipient_id),
        kind: m.kind.parse()?,
        object: DeadlineObject::from_parts(&m.object_type, m.object_id)
            .ok_or_else(|| StorageError::Corrupt(format!("object type {}", m.object_type)))?,
        due_on: m.due_on,
        district_id: DistrictId(m.district_id),
        message: m.message,
        created_at: m.created_at,
        read_at: m.read_at,
        withdrawn_at: m.withdrawn_at,
    })
}

/// One page of a user's notifications, newest first.
pub async fn notifications_of(
    db: &impl ConnectionTrait,
    recipient: UserId,
    filter: NotificationFilter,
    request: &PageRequest,
) -> Result<Page<Notification>, StorageError> {
    page::paginate(
        db,
        notification_select(recipient, filter),
        ListOrder::by_id(notifications::Column::Id).descending(true),
        |m| CursorKey {
            sort: SortValue::None,
            id: m.id,
        },
        request,
    )
    .await?
    .try_map(notification)
}

pub async fn count_notifications_of(
    db: &impl ConnectionTrait,
    recipient: UserId,
    filter: NotificationFilter,
) -> Result<u64, StorageError> {
    page::count(db, notification_select(recipient, filter)).await
}

/// One of the user's notifications, if it is theirs.
pub async fn notification_of(
    db: &impl ConnectionTrait,
    recipient: UserId,
    id: NotificationId,
) -> Result<Option<Notification>, StorageError> {
    notifications::Entity::find_by_id(id.0)
        .filter(notifications::Column::RecipientId.eq(recipient.0))
        .one(db)
        .await?
        .map(notification)
        .transpose()
}

/// Marks the user's unread notifications read: `only` one, or all of them.
/// Returns how many changed (a notification already read stays as it was).
pub async fn mark_read(
    db: &impl ConnectionTrait,
    recipient: UserId,
    only: Option<NotificationId>,
    now: DateTime<Utc>,
) -> Result<u64, StorageError> {
    use notifications::Column as C;
    use sea_orm::sea_query::Expr;
    let mut update = notifications::Entity::update_many()
        .col_expr(C::ReadAt, Expr::value(now))
        .filter(C::RecipientId.eq(recipient.0))
        .filter(C::ReadAt.is_null());
    if let Some(id) = only {
        update = update.filter(C::Id.eq(id.0));
    }
    Ok(update.exec(db).await?.rows_affected)
}

/// How many reminders and notifications exist (for tests and the sweep report).
pub async fn totals(db: &impl ConnectionTrait) -> Result<(u64, u64), StorageError> {
    use sea_orm::PaginatorTrait;
    Ok((
        deadline_reminders::Entity::find().count(db).await?,
        notifications::Entity::find().count(db).await?,
    ))
}
