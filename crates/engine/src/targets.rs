//! Score targets (what a district or OPD aims for in a year) and the
//! follow-up of the Ombudsman's supervision products (the way to the 2025
//! opinion's *Tanpa Maladministrasi*).

use std::collections::HashMap;

use pendamping_domain::action_item::{ActionItem, ActionItemStatus, Origin};
use pendamping_domain::audit::AuditKind;
use pendamping_domain::identity::Actor;
use pendamping_domain::policy::Operation;
use pendamping_domain::read::{ScoreSubject, SubjectKind};
use pendamping_domain::reference::{DistrictId, OpdId};
use pendamping_domain::score::{ScoreTarget, Zone};
use pendamping_domain::validation::Validation;
use pendamping_storage::page::PageRequest;
use pendamping_storage::products::{self, ProductFollowUp};
use pendamping_storage::scores;
use pendamping_storage::work::ActionItemFilter;
use serde_json::json;

use crate::error::FoundOne;
use crate::reader::per_kind;
use crate::reference::{Subject, append_audit};
use crate::{Engine, EngineError, Reader};

type Result<T> = std::result::Result<T, EngineError>;

/// A target to set for a district (or one of its OPDs) and year. At least one
/// of zone, band and minimum total; every part given must be met.
#[derive(Debug, Clone)]
pub struct NewTarget {
    pub district_id: DistrictId,
    pub opd_id: Option<OpdId>,
    pub year: i32,
    pub zone: Option<Zone>,
    pub band_code: Option<String>,
    pub min_total: Option<f64>,
    pub note: Option<String>,
}

impl Engine {
    /// Sets (or replaces) a target: a district's coordinator for their
    /// district, an office's lead for its districts, admins anywhere.
    pub async fn set_score_target(&self, actor: &Actor, new: NewTarget) -> Result<ScoreTarget> {
        let reader = self.reader(actor);
        let (district, target) = self
            .district_for(actor, new.district_id, Operation::SetScoreTargets)
            .await?;
        self.check_opd_of(actor, &district, new.opd_id).await?;
        let mut v = Validation::new();
        v.check(
            new.zone.is_some() || new.band_code.is_some() || new.min_total.is_some(),
            "zone",
            "give a zone, a band or a minimum total (or several)",
        );
        v.optional_text("note", new.note.as_deref(), 2000);
        let min_total = v.optional_score("minTotal", new.min_total);
        v.finish()?;
        let period = reader
            .all_periods()
            .await?
            .into_iter()
            .find(|p| p.year == new.year)
            .ok_or_else(|| {
                EngineError::invalid(
                    "year",
                    format!("there is no assessment period for {}", new.year),
                )
            })?;
        let methodology = reader
            .methodologies_by_ids(&[period.methodology_id])
            .await?
            .one_or(|| EngineError::NotFound("methodology".into()))?;
        if new.zone.is_some() && !methodology.facts.has_zones {
            return Err(EngineError::invalid(
                "zone",
                format!(
                    "{} has no colour zones; set a band or a minimum total",
                    methodology.code
                ),
            ));
        }
        if let Some(code) = &new.band_code
            && !methodology.bands.iter().any(|b| &b.code == code)
        {
            return Err(EngineError::invalid(
                "bandCode",
                format!(
                    "{} has no band `{code}` (bands: {})",
                    methodology.code,
                    methodology
                        .bands
                        .iter()
                        .map(|b| b.code.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let stored = scores::set_target(
            &txn,
            &ScoreTarget {
                id: 0,
                district_id: district.id,
                opd_id: new.opd_id,
                year: new.year,
                zone: new.zone,
                band_code: new.band_code.clone(),
                min_total,
                note: new
                    .note
                    .as_deref()
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(str::to_owned),
                set_by: actor.user_id,
                set_at: now,
            },
            now,
        )
        .await?;
        append_audit(
            &txn,
            actor,
            AuditKind::ScoreTargetSet,
            Subject::new("ScoreTarget", stored.id, target),
            json!({"year": stored.year, "opd": stored.opd_id.map(|o| o.0),
                       "zone": stored.zone.map(|z| z.as_str()), "band": stored.band_code,
                       "minTotal": stored.min_total.map(|s| s.to_string())}),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(stored)
    }
}

impl Reader {
    /// The targets of many districts (their own) or OPDs, every year.
    pub async fn score_targets(
        &self,
        subjects: &[ScoreSubject],
    ) -> Result<HashMap<ScoreSubject, Vec<ScoreTarget>>> {
        per_kind(subjects, |kind, ids| async move {
            let district_level = kind == SubjectKind::District;
            let mut grouped: HashMap<i64, Vec<ScoreTarget>> = HashMap::new();
            for t in scores::targets_of(self.db(), self.reach(), &ids, district_level).await? {
                let key = match kind {
                    SubjectKind::District => t.district_id.0,
                    SubjectKind::Opd => t.opd_id.map(|o| o.0).unwrap_or_default(),
                };
                grouped.entry(key).or_default().push(t);
            }
            Ok(grouped)
        })
        .await
    }

    /// How many of a year's Ombudsman products many districts or OPDs have
    /// followed up to completion.
    pub async fn product_follow_up(
        &self,
        subjects: &[ScoreSubject],
        year: i32,
    ) -> Result<HashMap<ScoreSubject, ProductFollowUp>> {
        per_kind(subjects, |kind, ids| async move {
            Ok(
                products::follow_up(self.db(), self.reach(), kind, &ids, year)
                    .await?
                    .into_iter()
                    .map(|r| (r.parent_id, r))
                    .collect(),
            )
        })
        .await
    }

    /// The open Ombudsman products of a district or OPD for a year: what stands
    /// between it and *Tanpa Maladministrasi*.
    pub async fn open_products(
        &self,
        subject: ScoreSubject,
        year: i32,
        first: u32,
    ) -> Result<Vec<ActionItem>> {
        let filter = ActionItemFilter {
            district_id: match subject {
                ScoreSubject::District(district) => Some(district.0),
                ScoreSubject::Opd(_) => None,
            },
            opd_id: match subject {
                ScoreSubject::Opd(opd) => Some(opd.0),
                ScoreSubject::District(_) => None,
            },
            statuses: ActionItemStatus::ALL
                .iter()
                .copied()
                .filter(|s| s.is_open_work())
                .collect(),
            origins: Origin::ALL
                .iter()
                .copied()
                .filter(|o| o.is_ombudsman_product())
                .collect(),
            product_year: Some(year),
            ..ActionItemFilter::default()
        };
        let page = self
            .action_items(
                &filter,
                Default::default(),
                &PageRequest {
                    first: Some(u64::from(first.min(100))),
                    ..PageRequest::default()
                },
            )
            .await?;
        Ok(page.into_items())
    }
}
