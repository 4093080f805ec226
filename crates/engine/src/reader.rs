//! Reads on behalf of one actor. The reach is private: every query below is
//! filtered by it in SQL, and nothing above the engine can widen it.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use pendamping_domain::action_item::{ActionItem, Comment, Evidence};
use pendamping_domain::agreement::{Agreement, Amendment, Milestone, Reschedule};
use pendamping_domain::audit::AuditEvent;
use pendamping_domain::identity::{Reach, User};
use pendamping_domain::ids::{
    ActionItemId, AgreementId, AssessmentPeriodId, AuditEventId, CommentId, DistrictId, EvidenceId,
    MethodologyId, MilestoneId, OfficeId, OpdId, ScoreRecordId, UserId,
};
use pendamping_domain::read::{HistoryOf, ItemParent, Kinded, Recorded, ScoreSubject, SubjectKind};
use pendamping_domain::reference::{District, Office, Opd};
use pendamping_domain::score::{AssessmentPeriod, Methodology, ScoreKind, ScoreRecord};
use pendamping_storage::page::{Page, PageRequest};
use pendamping_storage::{Db, audit, identity, reference as refs, scores, work};

use crate::{
    ActionItemFilter, ActionItemOrder, AgreementFilter, AuditFilter, DistrictFilter, EngineError,
    NameOrder, OpdFilter, Ordering, ScoreFilter,
};

mod people;
pub use people::Person;

type Result<T> = std::result::Result<T, EngineError>;

/// Methodology versions and assessment periods never change once stored, so
/// the readers of one engine share them after their first lookup: a
/// dashboard classifying hundreds of figures reads them once per process.
#[derive(Clone, Default)]
pub(crate) struct Immutable {
    methodologies: Arc<RwLock<HashMap<i64, Methodology>>>,
    periods: Arc<RwLock<HashMap<i64, AssessmentPeriod>>>,
}

/// The values of `ids` found in `cache`, and the ids that were not.
fn cached<T: Clone>(cache: &RwLock<HashMap<i64, T>>, ids: &[i64]) -> (Vec<T>, Vec<i64>) {
    let map = cache
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for id in ids {
        match map.get(id) {
            Some(value) => found.push(value.clone()),
            None => missing.push(*id),
        }
    }
    (found, missing)
}

/// Row ids of one kind, typed (where the kind is only known at run time).
fn typed_ids<K: From<i64>>(rows: &[i64]) -> Vec<K> {
    rows.iter().copied().map(K::from).collect()
}

/// Reads records named by typed ids of several kinds a kind at a time
/// (storage reads by row ids within one kind) and keys each answer by the
/// typed id it answers.
pub(crate) async fn per_kind<K, V, Fut>(
    ids: &[K],
    mut read: impl FnMut(K::Kind, Vec<i64>) -> Fut,
) -> Result<HashMap<K, V>>
where
    K: Kinded,
    Fut: std::future::Future<Output = Result<HashMap<i64, V>>>,
{
    let mut kinds: Vec<(K::Kind, Vec<i64>)> = Vec::new();
    for &id in ids {
        match kinds.iter_mut().find(|(kind, _)| *kind == id.kind()) {
            Some((_, rows)) => rows.push(id.row()),
            None => kinds.push((id.kind(), vec![id.row()])),
        }
    }
    let mut found = HashMap::with_capacity(ids.len());
    for (kind, rows) in kinds {
        for (row, value) in read(kind, rows).await? {
            found.insert(K::of(kind, row), value);
        }
    }
    Ok(found)
}

/// A map storage keyed by row ids, keyed by the typed ids they are.
fn typed<K: From<i64> + std::hash::Hash + Eq, V>(rows: HashMap<i64, V>) -> HashMap<K, V> {
    rows.into_iter().map(|(id, v)| (K::from(id), v)).collect()
}

/// Lists of OPD row ids keyed by row ids, all typed.
fn opd_lists<K: From<i64> + std::hash::Hash + Eq>(
    rows: HashMap<i64, Vec<i64>>,
) -> HashMap<K, Vec<OpdId>> {
    rows.into_iter()
        .map(|(id, opds)| (K::from(id), opds.into_iter().map(OpdId).collect()))
        .collect()
}

fn remember<T: Clone>(cache: &RwLock<HashMap<i64, T>>, values: &[T], id: impl Fn(&T) -> i64) {
    let mut map = cache
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for value in values {
        map.insert(id(value), value.clone());
    }
}

/// Reads within one actor's reach, as of one instant.
#[derive(Clone)]
pub struct Reader {
    db: Db,
    reach: Reach,
    /// Admins read labels as recorded; others never read an e-mail in them.
    reads_recorded_labels: bool,
    now: DateTime<Utc>,
    immutable: Immutable,
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader")
            .field("reach", &self.reach)
            .finish_non_exhaustive()
    }
}

impl Reader {
    pub(crate) fn new(
        db: Db,
        reach: Reach,
        reads_recorded_labels: bool,
        now: DateTime<Utc>,
        immutable: Immutable,
    ) -> Self {
        Reader {
            db,
            reach,
            reads_recorded_labels,
            now,
            immutable,
        }
    }

    /// The instant this reader judges deadlines at.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    pub(crate) fn db(&self) -> &Db {
        &self.db
    }

    pub(crate) fn reach(&self) -> &Reach {
        &self.reach
    }

    /// Whether the caller reads recorded labels and payloads as they were
    /// written (admins), e-mail addresses included; see [`crate::personal`].
    pub fn reads_recorded_labels(&self) -> bool {
        self.reads_recorded_labels
    }

    /// Whether the actor reaches anything at all.
    pub fn reaches_anything(&self) -> bool {
        !self.reach.is_empty()
    }

    // ---- offices, districts, OPDs

    pub async fn offices(
        &self,
        order: Ordering<NameOrder>,
        page: &PageRequest,
    ) -> Result<Page<Office>> {
        Ok(refs::list_offices(&self.db, &self.reach, order, page).await?)
    }

    pub async fn count_offices(&self) -> Result<u64> {
        Ok(refs::count_offices(&self.db, &self.reach).await?)
    }

    pub async fn offices_by_ids(&self, ids: &[OfficeId]) -> Result<Vec<Office>> {
        Ok(refs::offices_by_ids(&self.db, &self.reach, &OfficeId::rows(ids)).await?)
    }

    pub async fn districts(
        &self,
        filter: &DistrictFilter,
        order: Ordering<NameOrder>,
        page: &PageRequest,
    ) -> Result<Page<District>> {
        Ok(refs::list_districts(&self.db, &self.reach, filter, order, page).await?)
    }

    pub async fn count_districts(&self, filter: &DistrictFilter) -> Result<u64> {
        Ok(refs::count_districts(&self.db, &self.reach, filter).await?)
    }

    pub async fn districts_by_ids(&self, ids: &[DistrictId]) -> Result<Vec<District>> {
        Ok(refs::districts_by_ids(&self.db, &self.reach, &DistrictId::rows(ids)).await?)
    }

    pub async fn districts_of_offices(
        &self,
        office_ids: &[OfficeId],
        page: &PageRequest,
    ) -> Result<HashMap<OfficeId, Page<District>>> {
        let ids = OfficeId::rows(office_ids);
        Ok(typed(
            refs::districts_of_offices(&self.db, &self.reach, &ids, page).await?,
        ))
    }

    pub async fn count_districts_of_offices(
        &self,
        office_ids: &[OfficeId],
    ) -> Result<HashMap<OfficeId, u64>> {
        let ids = OfficeId::rows(office_ids);
        Ok(typed(
            refs::count_districts_of_offices(&self.db, &self.reach, &ids).await?,
        ))
    }

    pub async fn opds(
        &self,
        filter: &OpdFilter,
        order: Ordering<NameOrder>,
        page: &PageRequest,
    ) -> Result<Page<Opd>> {
        Ok(refs::list_opds(&self.db, &self.reach, filter, order, page).await?)
    }

    pub async fn count_opds(&self, filter: &OpdFilter) -> Result<u64> {
        Ok(refs::count_opds(&self.db, &self.reach, filter).await?)
    }

    pub async fn opds_by_ids(&self, ids: &[OpdId]) -> Result<Vec<Opd>> {
        Ok(refs::opds_by_ids(&self.db, &self.reach, &OpdId::rows(ids)).await?)
    }

    pub async fn opds_of_districts(
        &self,
        district_ids: &[DistrictId],
        page: &PageRequest,
    ) -> Result<HashMap<DistrictId, Page<Opd>>> {
        let ids = DistrictId::rows(district_ids);
        Ok(typed(
            refs::opds_of_districts(&self.db, &self.reach, &ids, page).await?,
        ))
    }

    pub async fn count_opds_of_districts(
        &self,
        district_ids: &[DistrictId],
    ) -> Result<HashMap<DistrictId, u64>> {
        let ids = DistrictId::rows(district_ids);
        Ok(typed(
            refs::count_opds_of_districts(&self.db, &self.reach, &ids).await?,
        ))
    }

    // ---- agreements and milestones

    pub async fn agreements(
        &self,
        filter: &AgreementFilter,
        page: &PageRequest,
    ) -> Result<Page<Agreement>> {
        Ok(work::list_agreements(&self.db, &self.reach, filter, page).await?)
    }

    pub async fn count_agreements(&self, filter: &AgreementFilter) -> Result<u64> {
        Ok(work::count_agreements(&self.db, &self.reach, filter).await?)
    }

    pub async fn agreements_by_ids(&self, ids: &[AgreementId]) -> Result<Vec<Agreement>> {
        Ok(work::agreements_by_ids(&self.db, &self.reach, &AgreementId::rows(ids)).await?)
    }

    /// The time zone of each agreement's district (dates of the agreement and
    /// its milestones are calendar dates in that zone).
    pub async fn time_zones_of_agreements(
        &self,
        ids: &[AgreementId],
    ) -> Result<HashMap<AgreementId, pendamping_domain::reference::TimeZone>> {
        let ids = AgreementId::rows(ids);
        Ok(typed(
            work::time_zones_of_agreements(&self.db, &self.reach, &ids).await?,
        ))
    }

    /// OPD ids in scope of each agreement; resolve them with [`Reader::opds_by_ids`],
    /// which keeps only the OPDs the actor may read.
    pub async fn opd_ids_of_agreements(
        &self,
        agreement_ids: &[AgreementId],
    ) -> Result<HashMap<AgreementId, Vec<OpdId>>> {
        let visible = self.agreements_by_ids(agreement_ids).await?;
        let ids: Vec<i64> = visible.iter().map(|a| a.id.0).collect();
        let scopes = work::opd_ids_of_agreements(&self.db, &ids).await?;
        Ok(opd_lists(scopes))
    }

    pub async fn amendments_of_agreements(
        &self,
        agreement_ids: &[AgreementId],
    ) -> Result<HashMap<AgreementId, Vec<Amendment>>> {
        let visible = self.agreements_by_ids(agreement_ids).await?;
        let ids: Vec<i64> = visible.iter().map(|a| a.id.0).collect();
        Ok(typed(work::amendments_of_agreements(&self.db, &ids).await?))
    }

    pub async fn milestones_by_ids(&self, ids: &[MilestoneId]) -> Result<Vec<Milestone>> {
        Ok(work::milestones_by_ids(&self.db, &self.reach, &MilestoneId::rows(ids)).await?)
    }

    pub async fn milestones_of_agreements(
        &self,
        agreement_ids: &[AgreementId],
        page: &PageRequest,
    ) -> Result<HashMap<AgreementId, Page<Milestone>>> {
        let ids = AgreementId::rows(agreement_ids);
        Ok(typed(
            work::milestones_of_agreements(&self.db, &self.reach, &ids, page).await?,
        ))
    }

    pub async fn count_milestones_of_agreements(
        &self,
        agreement_ids: &[AgreementId],
    ) -> Result<HashMap<AgreementId, u64>> {
        let ids = AgreementId::rows(agreement_ids);
        Ok(typed(
            work::count_milestones_of_agreements(&self.db, &self.reach, &ids).await?,
        ))
    }

    /// Milestones still planned or in progress, per agreement.
    pub async fn open_milestones_of(
        &self,
        agreement_ids: &[AgreementId],
    ) -> Result<HashMap<AgreementId, u64>> {
        let ids = AgreementId::rows(agreement_ids);
        Ok(typed(
            work::open_milestones_of(&self.db, &self.reach, &ids).await?,
        ))
    }

    pub async fn opd_ids_of_milestones(
        &self,
        milestone_ids: &[MilestoneId],
    ) -> Result<HashMap<MilestoneId, Vec<OpdId>>> {
        let visible = self.milestones_by_ids(milestone_ids).await?;
        let ids: Vec<i64> = visible.iter().map(|m| m.id.0).collect();
        let involved = work::opd_ids_of_milestones(&self.db, &ids).await?;
        Ok(opd_lists(involved))
    }

    pub async fn reschedules_of_milestones(
        &self,
        milestone_ids: &[MilestoneId],
    ) -> Result<HashMap<MilestoneId, Vec<Reschedule>>> {
        let visible = self.milestones_by_ids(milestone_ids).await?;
        let ids: Vec<i64> = visible.iter().map(|m| m.id.0).collect();
        Ok(typed(
            work::reschedules_of_milestones(&self.db, &ids).await?,
        ))
    }

    // ---- action items

    /// The filter with the reader's instant, so `overdue` is judged consistently.
    fn dated(&self, filter: &ActionItemFilter) -> ActionItemFilter {
        ActionItemFilter {
            now: Some(self.now),
            ..filter.clone()
        }
    }

    pub async fn action_items(
        &self,
        filter: &ActionItemFilter,
        order: Ordering<ActionItemOrder>,
        page: &PageRequest,
    ) -> Result<Page<ActionItem>> {
        Ok(
            work::list_action_items(&self.db, &self.reach, &self.dated(filter), order, page)
                .await?,
        )
    }

    pub async fn count_action_items(&self, filter: &ActionItemFilter) -> Result<u64> {
        Ok(work::count_action_items(&self.db, &self.reach, &self.dated(filter)).await?)
    }

    pub async fn action_items_by_ids(&self, ids: &[ActionItemId]) -> Result<Vec<ActionItem>> {
        Ok(work::action_items_by_ids(&self.db, &self.reach, &ActionItemId::rows(ids)).await?)
    }

    /// One page of each parent's action items, filtered.
    pub async fn action_items_of(
        &self,
        parents: &[ItemParent],
        filter: &ActionItemFilter,
        page: &PageRequest,
    ) -> Result<HashMap<ItemParent, Page<ActionItem>>> {
        let filter = &self.dated(filter);
        per_kind(parents, |kind, rows| async move {
            Ok(work::action_items_of(&self.db, &self.reach, kind, &rows, filter, page).await?)
        })
        .await
    }

    /// How many action items each parent has, filtered.
    pub async fn count_action_items_of(
        &self,
        parents: &[ItemParent],
        filter: &ActionItemFilter,
    ) -> Result<HashMap<ItemParent, u64>> {
        let filter = &self.dated(filter);
        per_kind(parents, |kind, rows| async move {
            Ok(work::count_action_items_of(&self.db, &self.reach, kind, &rows, filter).await?)
        })
        .await
    }

    pub async fn evidence_of(
        &self,
        action_item_ids: &[ActionItemId],
        page: &PageRequest,
    ) -> Result<HashMap<ActionItemId, Page<Evidence>>> {
        let ids = ActionItemId::rows(action_item_ids);
        Ok(typed(
            work::evidence_of_action_items(&self.db, &self.reach, &ids, page).await?,
        ))
    }

    pub async fn count_evidence_of(
        &self,
        action_item_ids: &[ActionItemId],
    ) -> Result<HashMap<ActionItemId, u64>> {
        let ids = ActionItemId::rows(action_item_ids);
        Ok(typed(
            work::count_evidence_of_action_items(&self.db, &self.reach, &ids).await?,
        ))
    }

    pub async fn evidence_by_ids(&self, ids: &[EvidenceId]) -> Result<Vec<Evidence>> {
        Ok(work::evidence_by_ids(&self.db, &self.reach, &EvidenceId::rows(ids)).await?)
    }

    pub async fn comments_of(
        &self,
        action_item_ids: &[ActionItemId],
        page: &PageRequest,
    ) -> Result<HashMap<ActionItemId, Page<Comment>>> {
        let ids = ActionItemId::rows(action_item_ids);
        Ok(typed(
            work::comments_of_action_items(&self.db, &self.reach, &ids, page).await?,
        ))
    }

    pub async fn count_comments_of(
        &self,
        action_item_ids: &[ActionItemId],
    ) -> Result<HashMap<ActionItemId, u64>> {
        let ids = ActionItemId::rows(action_item_ids);
        Ok(typed(
            work::count_comments_of_action_items(&self.db, &self.reach, &ids).await?,
        ))
    }

    pub async fn comments_by_ids(&self, ids: &[CommentId]) -> Result<Vec<Comment>> {
        Ok(work::comments_by_ids(&self.db, &self.reach, &CommentId::rows(ids)).await?)
    }

    // ---- methodologies and scores (methodologies and periods are public reference data)

    pub async fn methodologies(&self) -> Result<Vec<Methodology>> {
        self.require_reach()?;
        Ok(scores::all_methodologies(&self.db).await?)
    }

    pub async fn methodologies_by_ids(&self, ids: &[MethodologyId]) -> Result<Vec<Methodology>> {
        self.require_reach()?;
        let (mut found, missing) = cached(&self.immutable.methodologies, &MethodologyId::rows(ids));
        if !missing.is_empty() {
            let loaded = scores::methodologies_by_ids(&self.db, &missing).await?;
            remember(&self.immutable.methodologies, &loaded, |m| m.id.0);
            found.extend(loaded);
        }
        Ok(found)
    }

    pub async fn periods(&self, page: &PageRequest) -> Result<Page<AssessmentPeriod>> {
        self.require_reach()?;
        Ok(scores::list_periods(&self.db, page).await?)
    }

    /// Every assessment period, oldest first.
    pub async fn all_periods(&self) -> Result<Vec<AssessmentPeriod>> {
        self.require_reach()?;
        Ok(scores::all_periods(&self.db).await?)
    }

    pub async fn count_periods(&self) -> Result<u64> {
        self.require_reach()?;
        Ok(scores::count_periods(&self.db).await?)
    }

    pub async fn periods_by_ids(
        &self,
        ids: &[AssessmentPeriodId],
    ) -> Result<Vec<AssessmentPeriod>> {
        self.require_reach()?;
        self.kept_periods(ids).await
    }

    /// The period `id` when the engine already keeps it (no statement, no
    /// waiting): a board names the period of each of its hundreds of scores.
    pub fn kept_period(&self, id: AssessmentPeriodId) -> Result<Option<AssessmentPeriod>> {
        self.require_reach()?;
        Ok(cached(&self.immutable.periods, &[id.0]).0.pop())
    }

    /// Periods never change: the engine keeps every one it has read.
    async fn kept_periods(&self, ids: &[AssessmentPeriodId]) -> Result<Vec<AssessmentPeriod>> {
        let (mut found, missing) = cached(&self.immutable.periods, &AssessmentPeriodId::rows(ids));
        if !missing.is_empty() {
            let loaded = scores::periods_by_ids(&self.db, &missing).await?;
            remember(&self.immutable.periods, &loaded, |p| p.id.0);
            found.extend(loaded);
        }
        Ok(found)
    }

    pub async fn scores(
        &self,
        filter: &ScoreFilter,
        page: &PageRequest,
    ) -> Result<Page<ScoreRecord>> {
        Ok(scores::list_scores(&self.db, &self.reach, filter, page).await?)
    }

    pub async fn count_scores(&self, filter: &ScoreFilter) -> Result<u64> {
        Ok(scores::count_scores(&self.db, &self.reach, filter).await?)
    }

    pub async fn scores_by_ids(&self, ids: &[ScoreRecordId]) -> Result<Vec<ScoreRecord>> {
        Ok(scores::scores_by_ids(&self.db, &self.reach, &ScoreRecordId::rows(ids)).await?)
    }

    /// Current scores of one kind, every period, per OPD (or per district's
    /// own score); their per-dimension values only `with_dimensions`.
    pub async fn score_history(
        &self,
        subjects: &[ScoreSubject],
        kind: ScoreKind,
        with_dimensions: bool,
    ) -> Result<HashMap<ScoreSubject, Vec<ScoreRecord>>> {
        let mut histories = per_kind(subjects, |subject, rows| async move {
            let district_level = subject == SubjectKind::District;
            Ok(scores::score_history(
                &self.db,
                &self.reach,
                &rows,
                district_level,
                kind,
                with_dimensions,
            )
            .await?)
        })
        .await?;
        // Oldest first by the period's year, not its id: a built-in period
        // (2025) may have been created before older ones were entered. The
        // kept periods sort them here; a sort key looked up per row in the
        // statement cost more than the rest of it.
        let mut period_ids: Vec<AssessmentPeriodId> = histories
            .values()
            .flatten()
            .map(|record| record.period_id)
            .collect();
        period_ids.sort_unstable_by_key(|id| id.0);
        period_ids.dedup();
        let years: HashMap<AssessmentPeriodId, i32> = self
            .kept_periods(&period_ids)
            .await?
            .into_iter()
            .map(|period| (period.id, period.year))
            .collect();
        for history in histories.values_mut() {
            history
                .sort_by_key(|record| (years.get(&record.period_id).copied(), record.period_id.0));
        }
        Ok(histories)
    }

    /// The history (audit entries, oldest first) of records the actor may
    /// read; records outside the reach get no history.
    pub async fn history(
        &self,
        records: &[HistoryOf],
    ) -> Result<HashMap<HistoryOf, Vec<AuditEvent>>> {
        per_kind(records, |kind, rows| async move {
            let visible: Vec<i64> = match kind {
                Recorded::Agreement => {
                    let found = self.agreements_by_ids(&typed_ids(&rows)).await?;
                    found.iter().map(|a| a.id.0).collect()
                }
                Recorded::Milestone => {
                    let found = self.milestones_by_ids(&typed_ids(&rows)).await?;
                    found.iter().map(|m| m.id.0).collect()
                }
                Recorded::ActionItem => {
                    let found = self.action_items_by_ids(&typed_ids(&rows)).await?;
                    found.iter().map(|i| i.id.0).collect()
                }
            };
            Ok(audit::history_of(&self.db, kind.object_type(), &visible).await?)
        })
        .await
    }

    // ---- audit log and users

    pub async fn audit_events(
        &self,
        filter: &AuditFilter,
        page: &PageRequest,
    ) -> Result<Page<AuditEvent>> {
        Ok(audit::list(&self.db, &self.reach, filter, page).await?)
    }

    pub async fn count_audit_events(&self, filter: &AuditFilter) -> Result<u64> {
        Ok(audit::count(&self.db, &self.reach, filter).await?)
    }

    pub async fn audit_events_by_ids(&self, ids: &[AuditEventId]) -> Result<Vec<AuditEvent>> {
        Ok(audit::by_ids(&self.db, &self.reach, &AuditEventId::rows(ids)).await?)
    }

    /// Users by id, for showing who did what. Callers decide which of their
    /// fields to reveal (an e-mail only to the user and to admins).
    pub async fn users_by_ids(&self, ids: &[UserId]) -> Result<Vec<User>> {
        self.require_reach()?;
        Ok(identity::users_by_ids(&self.db, &UserId::rows(ids)).await?)
    }

    fn require_reach(&self) -> Result<()> {
        if self.reach.is_empty() {
            Err(EngineError::Unauthenticated(
                "log in to read this".to_owned(),
            ))
        } else {
            Ok(())
        }
    }
}

// ---- reorganisations and due-date extensions (issue 14) --------------------

impl Reader {
    /// The due-date extensions of each visible action item, oldest first.
    pub async fn due_date_changes_of_items(
        &self,
        item_ids: &[ActionItemId],
    ) -> Result<HashMap<ActionItemId, Vec<pendamping_domain::action_item::DueDateChange>>> {
        let visible: Vec<i64> = self
            .action_items_by_ids(item_ids)
            .await?
            .iter()
            .map(|i| i.id.0)
            .collect();
        Ok(typed(
            pendamping_storage::changes::due_changes_of_items(&self.db, &visible).await?,
        ))
    }

    /// For each visible OPD, the visible OPDs it came from (`predecessors`) or
    /// went into through recorded reorganisations.
    pub async fn opd_successions(
        &self,
        opd_ids: &[OpdId],
        predecessors: bool,
    ) -> Result<HashMap<OpdId, Vec<Opd>>> {
        let visible: Vec<i64> = self
            .opds_by_ids(opd_ids)
            .await?
            .iter()
            .map(|o| o.id.0)
            .collect();
        let links =
            pendamping_storage::changes::successions_of(&self.db, &visible, predecessors).await?;
        let mut others: Vec<OpdId> = links.values().flatten().copied().map(OpdId).collect();
        others.sort_unstable();
        others.dedup();
        let found = self.opds_by_ids(&others).await?;
        Ok(links
            .into_iter()
            .map(|(opd, ids)| {
                let list = ids
                    .iter()
                    .filter_map(|id| found.iter().find(|o| o.id.0 == *id).cloned())
                    .collect();
                (OpdId(opd), list)
            })
            .collect())
    }
}
