//! Batching: every lookup a resolver makes goes through [`Batch`], which
//! gathers the keys of one execution step and answers them with one query per
//! kind (and per distinct page request), so no list issues a query per row.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use pendamping_domain::action_item::{
    ActionItem, ActionItemId, Comment, CommentId, Evidence, EvidenceId,
};
use pendamping_domain::agreement::{
    Agreement, AgreementId, Amendment, Milestone, MilestoneId, Reschedule,
};
use pendamping_domain::audit::{AuditEvent, AuditEventId};
use pendamping_domain::identity::UserId;
use pendamping_domain::read::{ActionItemParent, Kinded};
use pendamping_domain::reference::{District, DistrictId, Office, OfficeId, Opd, OpdId};
use pendamping_domain::score::{
    AssessmentPeriod, AssessmentPeriodId, Methodology, MethodologyId, ScoreKind, ScoreRecord,
    ScoreRecordId,
};
use pendamping_engine::{
    ActionItemFilter, ItemParent, ItemStats, Page, PageRequest, Person, Reader, ScoreSubject,
};

use crate::error::gql;

/// The per-request batcher, reading with the request's [`Reader`].
pub struct Batch {
    pub reader: Reader,
    /// Per-OPD counts of the districts this request counts, shared by every
    /// resolver that needs them (see `analytics::opd_counts_in`).
    pub district_counts: SharedLoads<DistrictId, std::sync::Arc<HashMap<OpdId, ItemStats>>>,
    /// The districts whose OPD list this request reads: their OPDs' counts
    /// come from one pass over the district.
    pub listed_districts: std::sync::Mutex<std::collections::HashSet<DistrictId>>,
}

impl Batch {
    pub fn new(reader: Reader) -> Self {
        Batch {
            reader,
            district_counts: SharedLoads::default(),
            listed_districts: Default::default(),
        }
    }
}

/// Loads awaited together by the resolvers of one request that ask for the
/// same key at different moments: the batcher's memo only holds what has
/// arrived, so a key asked while its load is still running would be loaded
/// twice. The first asker loads, the others wait for its answer. Only for a
/// request that writes nothing (a later mutation must not see an answer
/// from before it): `remember` is set with the batcher's memo.
pub struct SharedLoads<K, V> {
    remember: std::sync::atomic::AtomicBool,
    cells: std::sync::Mutex<HashMap<K, std::sync::Arc<tokio::sync::OnceCell<V>>>>,
}

impl<K, V> Default for SharedLoads<K, V> {
    fn default() -> Self {
        SharedLoads {
            remember: std::sync::atomic::AtomicBool::new(false),
            cells: std::sync::Mutex::new(HashMap::new()),
        }
    }
}

impl<K: std::hash::Hash + Eq + Clone, V: Clone> SharedLoads<K, V> {
    /// Keep answers for the rest of the request (a read-only request).
    pub fn remember(&self, on: bool) {
        self.remember
            .store(on, std::sync::atomic::Ordering::Relaxed);
    }

    /// The answer for `key`: loaded by `load` unless another resolver of this
    /// request has loaded it or is loading it.
    pub async fn get<F, Fut>(&self, key: K, load: F) -> Result<V>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<V>>,
    {
        if !self.remember.load(std::sync::atomic::Ordering::Relaxed) {
            return load().await;
        }
        let cell = {
            let mut cells = self
                .cells
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            cells.entry(key).or_default().clone()
        };
        cell.get_or_try_init(load).await.cloned()
    }
}

type Result<T> = std::result::Result<T, async_graphql::Error>;

macro_rules! by_id {
    ($key:ty, $value:ty, $method:ident, |$v:ident| $id:expr) => {
        impl Loader<$key> for Batch {
            type Value = $value;
            type Error = async_graphql::Error;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, $value>> {
                let rows = self.reader.$method(keys).await.map_err(gql)?;
                Ok(rows.into_iter().map(|$v| ($id, $v)).collect())
            }
        }
    };
}

by_id!(OfficeId, Office, offices_by_ids, |v| v.id);
by_id!(DistrictId, District, districts_by_ids, |v| v.id);
by_id!(OpdId, Opd, opds_by_ids, |v| v.id);
by_id!(AgreementId, Agreement, agreements_by_ids, |v| v.id);
by_id!(MilestoneId, Milestone, milestones_by_ids, |v| v.id);
by_id!(ActionItemId, ActionItem, action_items_by_ids, |v| v.id);
by_id!(EvidenceId, Evidence, evidence_by_ids, |v| v.id);
by_id!(CommentId, Comment, comments_by_ids, |v| v.id);
by_id!(MethodologyId, Methodology, methodologies_by_ids, |v| v.id);
by_id!(AssessmentPeriodId, AssessmentPeriod, periods_by_ids, |v| v
    .id);
by_id!(ScoreRecordId, ScoreRecord, scores_by_ids, |v| v.id);
by_id!(AuditEventId, AuditEvent, audit_events_by_ids, |v| v.id);
by_id!(UserId, Person, people_by_ids, |v| v.user.id);

/// The time zone of an agreement's district, for judging its milestones' dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ZoneOfAgreement(pub AgreementId);

impl Loader<ZoneOfAgreement> for Batch {
    type Value = pendamping_domain::reference::TimeZone;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[ZoneOfAgreement],
    ) -> Result<HashMap<ZoneOfAgreement, pendamping_domain::reference::TimeZone>> {
        let ids: Vec<AgreementId> = keys.iter().map(|k| k.0).collect();
        let zones = self
            .reader
            .time_zones_of_agreements(&ids)
            .await
            .map_err(gql)?;
        Ok(zones
            .into_iter()
            .map(|(id, zone)| (ZoneOfAgreement(id), zone))
            .collect())
    }
}

/// Answers keys that name a parent and the rest of a request: one reader
/// call per distinct rest (so each group is one query, whatever the parents),
/// each parent's answer handed back to the key that asked, `missing` for a
/// parent the reader left out (none within reach, or nothing to count).
pub(crate) async fn answer_grouped<K, G, P, V, Fut>(
    keys: &[K],
    split: impl Fn(&K) -> (G, P),
    mut read: impl FnMut(G, Vec<P>) -> Fut,
    missing: impl Fn(P) -> V,
) -> Result<HashMap<K, V>>
where
    K: Clone + Eq + std::hash::Hash,
    G: Clone + Eq + std::hash::Hash,
    P: Copy + Eq + std::hash::Hash,
    Fut: std::future::Future<Output = Result<HashMap<P, V>>>,
{
    let mut groups: HashMap<G, Vec<P>> = HashMap::new();
    for key in keys {
        let (group, parent) = split(key);
        groups.entry(group).or_default().push(parent);
    }
    let mut answers: HashMap<G, HashMap<P, V>> = HashMap::with_capacity(groups.len());
    for (group, parents) in groups {
        let answer = read(group.clone(), parents).await?;
        answers.insert(group, answer);
    }
    Ok(keys
        .iter()
        .map(|key| {
            let (group, parent) = split(key);
            let answer = answers.get_mut(&group).and_then(|a| a.remove(&parent));
            (key.clone(), answer.unwrap_or_else(|| missing(parent)))
        })
        .collect())
}

/// Row ids of one kind, typed as the reader takes them.
fn typed<I: From<i64>>(rows: &[i64]) -> Vec<I> {
    rows.iter().copied().map(I::from).collect()
}

/// A map keyed by typed ids, keyed by their rows.
fn rows<I: Into<i64>, V>(typed: HashMap<I, V>) -> HashMap<i64, V> {
    typed.into_iter().map(|(id, v)| (id.into(), v)).collect()
}

/// Child pages: one statement per distinct page request, whatever the parents.
macro_rules! child_pages {
    ($key:ident, $id:ident, $value:ty, $method:ident, $what:literal) => {
        #[doc = concat!("One page of ", $what, " of one parent.")]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $key(pub i64, pub PageRequest);

        impl Loader<$key> for Batch {
            type Value = Page<$value>;
            type Error = async_graphql::Error;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Page<$value>>> {
                let split = |k: &$key| (k.1.clone(), k.0);
                answer_grouped(
                    keys,
                    split,
                    |page, parents| async move {
                        let typed: Vec<$id> = typed(&parents);
                        let pages = self.reader.$method(&typed, &page).await.map_err(gql)?;
                        Ok(rows(pages))
                    },
                    |_| Page::empty(),
                )
                .await
            }
        }
    };
}

child_pages!(
    DistrictsOfOffice,
    OfficeId,
    District,
    districts_of_offices,
    "districts"
);
child_pages!(OpdsOfDistrict, DistrictId, Opd, opds_of_districts, "OPDs");
child_pages!(
    MilestonesOfAgreement,
    AgreementId,
    Milestone,
    milestones_of_agreements,
    "milestones"
);
child_pages!(EvidenceOf, ActionItemId, Evidence, evidence_of, "evidence");
child_pages!(CommentsOf, ActionItemId, Comment, comments_of, "comments");

/// One page of action items of one parent, filtered.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ActionItemsOf {
    pub parent: ItemParent,
    pub filter: ActionItemFilter,
    pub page: PageRequest,
}

impl Loader<ActionItemsOf> for Batch {
    type Value = Page<ActionItem>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[ActionItemsOf],
    ) -> Result<HashMap<ActionItemsOf, Page<ActionItem>>> {
        let split = |k: &ActionItemsOf| ((k.filter.clone(), k.page.clone()), k.parent);
        let read = |(filter, page): (ActionItemFilter, PageRequest), parents: Vec<ItemParent>| async move {
            let pages = self.reader.action_items_of(&parents, &filter, &page).await;
            pages.map_err(gql)
        };
        answer_grouped(keys, split, read, |_| Page::empty()).await
    }
}

/// The size of a nested list of one parent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CountOf {
    DistrictsOfOffice(i64),
    OpdsOfDistrict(i64),
    MilestonesOfAgreement(i64),
    ActionItemsOf(ItemParent, ActionItemFilter),
    EvidenceOf(i64),
    CommentsOf(i64),
}

/// Which grouped count query answers a [`CountOf`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum CountGroup {
    DistrictsOfOffice,
    OpdsOfDistrict,
    MilestonesOfAgreement,
    ActionItemsOf(ActionItemParent, ActionItemFilter),
    EvidenceOf,
    CommentsOf,
}

impl CountOf {
    fn split(&self) -> (CountGroup, i64) {
        match self {
            CountOf::DistrictsOfOffice(id) => (CountGroup::DistrictsOfOffice, *id),
            CountOf::OpdsOfDistrict(id) => (CountGroup::OpdsOfDistrict, *id),
            CountOf::MilestonesOfAgreement(id) => (CountGroup::MilestonesOfAgreement, *id),
            CountOf::ActionItemsOf(parent, filter) => (
                CountGroup::ActionItemsOf(parent.kind(), filter.clone()),
                parent.row(),
            ),
            CountOf::EvidenceOf(id) => (CountGroup::EvidenceOf, *id),
            CountOf::CommentsOf(id) => (CountGroup::CommentsOf, *id),
        }
    }
}

impl Loader<CountOf> for Batch {
    type Value = u64;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[CountOf]) -> Result<HashMap<CountOf, u64>> {
        let read = |group: CountGroup, ids: Vec<i64>| async move {
            let r = &self.reader;
            match group {
                CountGroup::DistrictsOfOffice => {
                    r.count_districts_of_offices(&typed(&ids)).await.map(rows)
                }
                CountGroup::OpdsOfDistrict => {
                    r.count_opds_of_districts(&typed(&ids)).await.map(rows)
                }
                CountGroup::MilestonesOfAgreement => r
                    .count_milestones_of_agreements(&typed(&ids))
                    .await
                    .map(rows),
                CountGroup::ActionItemsOf(kind, filter) => {
                    let parents: Vec<ItemParent> =
                        ids.iter().map(|&id| ItemParent::of(kind, id)).collect();
                    let counts = r.count_action_items_of(&parents, &filter).await;
                    counts.map(|c| c.into_iter().map(|(p, n)| (p.row(), n)).collect())
                }
                CountGroup::EvidenceOf => r.count_evidence_of(&typed(&ids)).await.map(rows),
                CountGroup::CommentsOf => r.count_comments_of(&typed(&ids)).await.map(rows),
            }
            .map_err(gql)
        };
        answer_grouped(keys, CountOf::split, read, |_| 0).await
    }
}

/// Small fixed lists that hang off one parent.
macro_rules! child_list {
    ($key:ident, $id:ident, $value:ty, $method:ident, $what:literal) => {
        #[doc = concat!("The ", $what, " of one parent.")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $key(pub i64);

        impl Loader<$key> for Batch {
            type Value = Vec<$value>;
            type Error = async_graphql::Error;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Vec<$value>>> {
                let ids: Vec<$id> = keys.iter().map(|k| $id(k.0)).collect();
                let mut lists = self.reader.$method(&ids).await.map_err(gql)?;
                Ok(ids
                    .into_iter()
                    .map(|id| ($key(id.0), lists.remove(&id).unwrap_or_default()))
                    .collect())
            }
        }
    };
}

child_list!(
    OpdIdsOfAgreement,
    AgreementId,
    OpdId,
    opd_ids_of_agreements,
    "OPD ids in scope"
);
child_list!(
    OpdIdsOfMilestone,
    MilestoneId,
    OpdId,
    opd_ids_of_milestones,
    "OPD ids involved"
);
child_list!(
    AmendmentsOf,
    AgreementId,
    Amendment,
    amendments_of_agreements,
    "amendments"
);
child_list!(
    ReschedulesOf,
    MilestoneId,
    Reschedule,
    reschedules_of_milestones,
    "reschedules"
);

/// The score history of one OPD (or one district's own scores) of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ScoreHistoryOf {
    pub subject: ScoreSubject,
    pub kind: ScoreKind,
    /// Whether the selection shows per-dimension values.
    pub with_dimensions: bool,
}

impl Loader<ScoreHistoryOf> for Batch {
    /// Shared: the batcher's memo hands out a copy of the value on every
    /// load, and a board reads a hundred histories.
    type Value = std::sync::Arc<[ScoreRecord]>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[ScoreHistoryOf],
    ) -> Result<HashMap<ScoreHistoryOf, std::sync::Arc<[ScoreRecord]>>> {
        let split = |k: &ScoreHistoryOf| ((k.kind, k.with_dimensions), k.subject);
        let read = |(kind, with_dimensions), subjects: Vec<ScoreSubject>| async move {
            let histories = self
                .reader
                .score_history(&subjects, kind, with_dimensions)
                .await
                .map_err(gql)?;
            Ok(histories.into_iter().map(|(s, h)| (s, h.into())).collect())
        };
        answer_grouped(keys, split, read, |_| std::sync::Arc::from([])).await
    }
}

/// The history (audit entries, oldest first) of one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HistoryOfRecord(pub pendamping_engine::HistoryOf);

impl Loader<HistoryOfRecord> for Batch {
    type Value = Vec<AuditEvent>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[HistoryOfRecord],
    ) -> Result<HashMap<HistoryOfRecord, Vec<AuditEvent>>> {
        let records: Vec<_> = keys.iter().map(|k| k.0).collect();
        let mut history = self.reader.history(&records).await.map_err(gql)?;
        Ok(records
            .into_iter()
            .map(|r| (HistoryOfRecord(r), history.remove(&r).unwrap_or_default()))
            .collect())
    }
}

/// Milestones still planned or in progress of one agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OpenMilestonesOf(pub i64);

impl Loader<OpenMilestonesOf> for Batch {
    type Value = u64;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[OpenMilestonesOf]) -> Result<HashMap<OpenMilestonesOf, u64>> {
        let ids: Vec<AgreementId> = keys.iter().map(|k| AgreementId(k.0)).collect();
        let counts = self.reader.open_milestones_of(&ids).await.map_err(gql)?;
        Ok(ids
            .into_iter()
            .map(|id| {
                (
                    OpenMilestonesOf(id.0),
                    counts.get(&id).copied().unwrap_or(0),
                )
            })
            .collect())
    }
}
