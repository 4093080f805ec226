//! Writes: action items cycled through real workflow transitions — submit
//! (the OPD's officer), reject (the office's assessor), resume (the officer),
//! submit again … — so that every transition can succeed, forever.
//!
//! Over HTTP ([`hammer`]): each client owns one item of its own OPD and takes
//! its next transition with the session of a user who may (an officer of that
//! OPD, an assessor of its office; created by the bench once, logged in through
//! the engine). In process ([`Committer`]): one item per district, a commit at
//! a steady rate on a random district, as a background writer beside the reads.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use pendamping_domain::identity::{Role, RoleAssignment, Scope};
use pendamping_domain::ids::{ActionItemId, OfficeId, OpdId};
use pendamping_domain::lifecycle::ActionItemAction;
use pendamping_engine::{ActionInput, Actor, Changed, Engine, NewUser};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::global_id;
use crate::load::{Figure, Rng, Tally};

/// An action item that can cycle, where it sits and its state as last seen.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: i64,
    pub opd: i64,
    pub district: i64,
    pub office: i64,
    pub status: String,
    pub version: i32,
}

impl Item {
    /// The next transition of the cycle from its state.
    fn next(&self) -> Option<ActionItemAction> {
        match self.status.as_str() {
            "IN_PROGRESS" => Some(ActionItemAction::Submit),
            "SUBMITTED" => Some(ActionItemAction::Reject),
            "REJECTED" => Some(ActionItemAction::Resume),
            _ => None,
        }
    }
}

/// Items that can cycle: in progress, submitted or rejected, with evidence
/// (submitting needs it), the lowest id of each OPD.
pub async fn cyclable(db: &pendamping_engine::Db) -> anyhow::Result<Vec<Item>> {
    let sql = "SELECT CAST(i.id AS BIGINT), CAST(i.opd_id AS BIGINT), CAST(i.district_id AS BIGINT), \
               CAST(d.office_id AS BIGINT), i.status, CAST(i.version AS BIGINT) \
               FROM action_items i JOIN districts d ON d.id = i.district_id \
               WHERE i.id IN (SELECT MIN(c.id) FROM action_items c \
                 WHERE c.status IN ('IN_PROGRESS', 'SUBMITTED', 'REJECTED') \
                 AND EXISTS (SELECT 1 FROM evidence e WHERE e.action_item_id = c.id) \
                 GROUP BY c.opd_id) \
               ORDER BY i.district_id, i.id";
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Item {
                id: r.try_get_by_index(0)?,
                opd: r.try_get_by_index(1)?,
                district: r.try_get_by_index(2)?,
                office: r.try_get_by_index(3)?,
                status: r.try_get_by_index(4)?,
                version: r.try_get_by_index::<i64>(5)? as i32,
            })
        })
        .collect()
}

/// `n` items spread over districts: the first of each district, then the
/// second of each, …
pub fn spread(items: &[Item], n: usize) -> Vec<Item> {
    let mut by_district: BTreeMap<i64, Vec<&Item>> = BTreeMap::new();
    for item in items {
        by_district.entry(item.district).or_default().push(item);
    }
    let mut out = Vec::with_capacity(n);
    for round in 0.. {
        let before = out.len();
        for list in by_district.values() {
            if out.len() == n {
                return out;
            }
            if let Some(item) = list.get(round) {
                out.push((*item).clone());
            }
        }
        if out.len() == before {
            break;
        }
    }
    out
}

/// One item per district (the first).
pub fn one_per_district(items: &[Item]) -> Vec<Item> {
    let mut seen = std::collections::HashSet::new();
    items
        .iter()
        .filter(|i| seen.insert(i.district))
        .cloned()
        .collect()
}

/// An actor that may take every step of the cycle on `item`: an officer of
/// its OPD and an assessor of its office (the in-process writer's; no login).
fn cycling_actor(item: &Item) -> anyhow::Result<Actor> {
    Ok(Actor {
        user_id: None,
        label: "pendamping-bench writer".into(),
        assignments: vec![
            RoleAssignment::new(Role::OpdOfficer, Scope::Opd(OpdId(item.opd)))?,
            RoleAssignment::new(
                Role::OmbudsmanAssessor,
                Scope::Office(OfficeId(item.office)),
            )?,
        ],
    })
}

/// Takes the item's next transition in process; its new state on success.
pub async fn step(engine: &Engine, item: &mut Item) -> anyhow::Result<()> {
    let action = item
        .next()
        .with_context(|| format!("item {} is {}: not in the cycle", item.id, item.status))?;
    let input = ActionInput {
        version: item.version,
        reason: (action == ActionItemAction::Reject)
            .then(|| "pendamping-bench: rejected to cycle the item".to_owned()),
        ..ActionInput::default()
    };
    let actor = cycling_actor(item)?;
    match engine
        .take_action(&actor, ActionItemId(item.id), action, input)
        .await
    {
        Ok(Changed::ActionItem(changed)) => {
            item.status = changed.status.as_str().to_owned();
            item.version = changed.version;
            Ok(())
        }
        Ok(_) => bail!("an action-item action changed something else"),
        Err(error) => {
            // Someone else moved it (a conflict): read its state again.
            refresh(engine, item).await?;
            Err(error.into())
        }
    }
}

async fn refresh(engine: &Engine, item: &mut Item) -> anyhow::Result<()> {
    let db = engine.db();
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT status, CAST(version AS BIGINT) FROM action_items WHERE id = {}",
                item.id
            ),
        ))
        .await?
        .context("the item is gone")?;
    item.status = row.try_get_by_index(0)?;
    item.version = row.try_get_by_index::<i64>(1)? as i32;
    Ok(())
}

/// A background writer: `rate` commits a second, each on a random district's item.
pub struct Committer {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
    pub commits: Arc<AtomicU64>,
    pub failures: Arc<AtomicU64>,
    started: Instant,
}

impl Committer {
    pub fn start(engine: Engine, mut items: Vec<Item>, rate: f64) -> Self {
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let commits = Arc::new(AtomicU64::new(0));
        let failures = Arc::new(AtomicU64::new(0));
        let (done, failed) = (commits.clone(), failures.clone());
        let task = tokio::spawn(async move {
            if items.is_empty() || rate <= 0.0 {
                return;
            }
            let mut rng = Rng::seeded(17);
            let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = ticks.tick() => {}
                    _ = stopped.changed() => return,
                }
                let n = rng.below(items.len());
                match step(&engine, &mut items[n]).await {
                    Ok(()) => done.fetch_add(1, Ordering::Relaxed),
                    Err(_) => failed.fetch_add(1, Ordering::Relaxed),
                };
            }
        });
        Committer {
            stop,
            task,
            commits,
            failures,
            started: Instant::now(),
        }
    }

    /// Commits a second since it started.
    pub fn rate(&self) -> f64 {
        self.commits.load(Ordering::Relaxed) as f64 / self.started.elapsed().as_secs_f64()
    }

    pub async fn stop(self) -> (u64, u64) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
        (
            self.commits.load(Ordering::Relaxed),
            self.failures.load(Ordering::Relaxed),
        )
    }
}

const PASSWORD: &str = "pendamping-bench-not-a-secret";

/// A session token for a bench user holding `role` at `scope`, created once.
async fn session(engine: &Engine, email: &str, role: Role, scope: Scope) -> anyhow::Result<String> {
    let db = engine.db();
    let exists = crate::scalar(
        db,
        &format!("SELECT COUNT(*) FROM users WHERE email = '{email}'"),
    )
    .await?
        > 0;
    if !exists {
        engine
            .create_user(
                &Actor::system("pendamping-bench"),
                NewUser {
                    email: email.to_owned(),
                    display_name: format!("pendamping-bench {}", role.as_str().to_lowercase()),
                    password: PASSWORD.to_owned(),
                    assignments: vec![RoleAssignment::new(role, scope)?],
                },
            )
            .await
            .with_context(|| format!("creating the bench user {email}"))?;
    }
    let (token, _) = engine
        .login(email, PASSWORD, None)
        .await
        .with_context(|| format!("logging in as {email}"))?;
    Ok(token.token)
}

/// Sessions for the items' officers (one per OPD) and assessors (one per office).
pub struct Sessions {
    officers: HashMap<i64, Arc<str>>,
    assessors: HashMap<i64, Arc<str>>,
}

impl Sessions {
    pub async fn for_items(engine: &Engine, items: &[Item]) -> anyhow::Result<Self> {
        let mut sessions = Sessions {
            officers: HashMap::new(),
            assessors: HashMap::new(),
        };
        for item in items {
            if let std::collections::hash_map::Entry::Vacant(slot) =
                sessions.officers.entry(item.opd)
            {
                let token = session(
                    engine,
                    &format!("bench-officer-opd{}@pendamping-bench.invalid", item.opd),
                    Role::OpdOfficer,
                    Scope::Opd(OpdId(item.opd)),
                )
                .await?;
                slot.insert(token.into());
            }
            if let std::collections::hash_map::Entry::Vacant(slot) =
                sessions.assessors.entry(item.office)
            {
                let token = session(
                    engine,
                    &format!(
                        "bench-assessor-office{}@pendamping-bench.invalid",
                        item.office
                    ),
                    Role::OmbudsmanAssessor,
                    Scope::Office(OfficeId(item.office)),
                )
                .await?;
                slot.insert(token.into());
            }
        }
        Ok(sessions)
    }
}

const PAYLOAD: &str = "actionItem { status version } userErrors { field message code }";

/// The mutation for a step, its variables and the session that may take it.
fn request(item: &Item, sessions: &Sessions) -> Option<(Value, Arc<str>)> {
    let id = global_id("ActionItem", item.id);
    let officer = sessions.officers.get(&item.opd)?.clone();
    let assessor = sessions.assessors.get(&item.office)?.clone();
    let (field, input_type, input, token) = match item.next()? {
        ActionItemAction::Submit => (
            "submitActionItem",
            "WorkflowActionInput",
            json!({ "id": id, "version": item.version }),
            officer,
        ),
        ActionItemAction::Reject => (
            "rejectActionItem",
            "ReasonedActionInput",
            json!({ "id": id, "version": item.version, "reason": "pendamping-bench: rejected to cycle the item" }),
            assessor,
        ),
        ActionItemAction::Resume => (
            "resumeActionItem",
            "WorkflowActionInput",
            json!({ "id": id, "version": item.version }),
            officer,
        ),
        _ => return None,
    };
    let query = format!(
        "mutation Step($input: {input_type}!) {{ step: {field}(input: $input) {{ {PAYLOAD} }} }}"
    );
    Some((
        json!({ "query": query, "variables": { "input": input } }),
        token,
    ))
}

/// `clients` clients over HTTP, each cycling its own item for `duration`:
/// transitions a second (failures count as errors) and their latency.
pub async fn hammer(
    endpoint: &str,
    items: &[Item],
    sessions: &Arc<Sessions>,
    clients: usize,
    duration: Duration,
) -> anyhow::Result<(Figure, Vec<Item>)> {
    if items.len() < clients {
        bail!(
            "{} cyclable action items for {clients} writing clients",
            items.len()
        );
    }
    let client = crate::load::client(clients)?;
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::with_capacity(clients);
    for item in items.iter().take(clients).cloned() {
        let (client, sessions, endpoint) = (client.clone(), sessions.clone(), endpoint.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut item = item;
            let mut tally = Tally::default();
            while Instant::now() < deadline {
                let Some((body, token)) = request(&item, &sessions) else {
                    tally.error(format!("item {} is {}: out of the cycle", item.id, item.status));
                    break;
                };
                let sent = Instant::now();
                let answer = crate::load::ask(&client, &endpoint, Some(&token), &body).await;
                let changed = answer.as_ref().ok().and_then(|a| {
                    let step = &a["data"]["step"];
                    let no_errors = step["userErrors"].as_array().is_some_and(Vec::is_empty);
                    let changed = &step["actionItem"];
                    no_errors.then(|| {
                        Some((
                            changed["status"].as_str()?.to_owned(),
                            changed["version"].as_i64()? as i32,
                        ))
                    })?
                });
                match changed {
                    Some((status, version)) => {
                        tally.ok(sent);
                        item.status = status;
                        item.version = version;
                    }
                    None => {
                        tally.error(format!("item {}: {answer:?}", item.id));
                        // Read its state again, as a client would.
                        let probe = json!({
                            "query": "query State($id: ID!) { node(id: $id) { ... on ActionItem { status version } } }",
                            "variables": { "id": global_id("ActionItem", item.id) },
                        });
                        let officer = sessions.officers.get(&item.opd).cloned();
                        if let Ok(state) = crate::load::ask(&client, &endpoint, officer.as_deref(), &probe).await {
                            let node = &state["data"]["node"];
                            if let (Some(status), Some(version)) = (node["status"].as_str(), node["version"].as_i64()) {
                                item.status = status.to_owned();
                                item.version = version as i32;
                            }
                        }
                    }
                }
            }
            (tally, item)
        }));
    }
    let mut tallies = Vec::with_capacity(clients);
    let mut after: Vec<Item> = Vec::with_capacity(items.len());
    for task in tasks {
        let (tally, item) = task.await?;
        tallies.push(tally);
        after.push(item);
    }
    after.extend(items.iter().skip(clients).cloned());
    Ok((Tally::merge(tallies, started.elapsed()), after))
}
