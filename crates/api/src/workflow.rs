//! The workflow mutations: one per action of each workflow, each taking
//! `input: { id, version, … }` and returning the object and `userErrors`.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use pendamping_domain::action_item::ActionItemId;
use pendamping_domain::agreement::{AgreementId, MilestoneId};
use pendamping_domain::lifecycle::{ActionItemAction, AgreementAction, MilestoneAction};
use pendamping_engine::{ActionInput, Changed, EngineError, WorkflowAction};

use crate::context::{actor, request};
use crate::error::{Outcome, UserError, change_with};
use crate::id::{Kind, decode_any, input_id};
use crate::scalars::Date;
use crate::types::work::{ActionItem, Agreement, Milestone};

/// The result of an agreement action.
#[derive(SimpleObject)]
pub struct AgreementPayload {
    /// The agreement after the action.
    pub agreement: Option<Agreement>,
    /// Why the action was not taken, if it was not.
    pub user_errors: Vec<UserError>,
}

/// The result of a milestone action.
#[derive(SimpleObject)]
pub struct MilestonePayload {
    /// The milestone after the action.
    pub milestone: Option<Milestone>,
    /// Why the action was not taken, if it was not.
    pub user_errors: Vec<UserError>,
}

/// The result of an action-item action.
#[derive(SimpleObject)]
pub struct ActionItemPayload {
    /// The action item after the action.
    pub action_item: Option<ActionItem>,
    /// Why the action was not taken, if it was not.
    pub user_errors: Vec<UserError>,
}

/// An action that needs nothing but the object and its version.
#[derive(InputObject)]
pub struct WorkflowActionInput {
    /// The object.
    pub id: ID,
    /// The version you read; a stale one is refused with `CONFLICT`.
    pub version: i32,
}

/// An action that needs a reason.
#[derive(InputObject)]
pub struct ReasonedActionInput {
    /// The object.
    pub id: ID,
    /// The version you read; a stale one is refused with `CONFLICT`.
    pub version: i32,
    /// Why.
    pub reason: String,
}

/// Signing a draft agreement (making it ACTIVE). Terms not given here must be on the draft already.
#[derive(InputObject)]
pub struct SignAgreementInput {
    /// The agreement.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// The office's document number.
    pub office_number: Option<String>,
    /// The district's document number.
    pub district_number: Option<String>,
    /// Title of the office's signatory.
    pub office_signatory: Option<String>,
    /// Title of the district's signatory.
    pub district_signatory: Option<String>,
    /// The day both parties signed.
    pub signed_on: Option<Date>,
}

/// Completing an active agreement.
#[derive(InputObject)]
pub struct CompleteAgreementInput {
    /// The agreement.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// What the cooperation achieved.
    pub closing_summary: String,
}

/// Completing a milestone.
#[derive(InputObject)]
pub struct CompleteMilestoneInput {
    /// The milestone.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// What came of it.
    pub outcome_notes: String,
    /// The date it was held.
    pub actual_on: Date,
}

/// Moving a milestone's planned date; the old date is kept in its reschedules.
#[derive(InputObject)]
pub struct RescheduleMilestoneInput {
    /// The milestone.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// The new planned date.
    pub new_date: Date,
    /// Why it moves.
    pub reason: String,
}

/// A new draft agreement between an office and one of its districts.
#[derive(InputObject)]
pub struct CreateAgreementInput {
    /// The district (the office is the one that oversees it).
    pub district_id: ID,
    /// Title.
    pub title: String,
    /// First day of the period.
    pub period_start: Date,
    /// Last day of the period; not before the first.
    pub period_end: Date,
    /// The office's document number, if already known.
    pub office_number: Option<String>,
    /// The district's document number, if already known.
    pub district_number: Option<String>,
    /// Title of the office's signatory.
    pub office_signatory: Option<String>,
    /// Title of the district's signatory.
    pub district_signatory: Option<String>,
    /// The OPDs in scope.
    #[graphql(default)]
    pub opd_ids: Vec<ID>,
}

/// A planned milestone of an agreement.
#[derive(InputObject)]
pub struct AddMilestoneInput {
    /// The agreement (draft or active).
    pub agreement_id: ID,
    /// What kind of activity.
    pub kind: crate::types::enums::MilestoneKind,
    /// Title.
    pub title: String,
    /// The planned date.
    pub planned_on: Date,
    /// Where it is held.
    pub location: Option<String>,
    /// The OPDs involved (from the agreement's scope).
    #[graphql(default)]
    pub opd_ids: Vec<ID>,
}

/// A finding at one OPD, raised as an action item.
#[derive(InputObject)]
pub struct RaiseActionItemInput {
    /// The active agreement it falls under.
    pub agreement_id: ID,
    /// The OPD that must act (in the agreement's scope).
    pub opd_id: ID,
    /// The milestone it was found at.
    pub milestone_id: Option<ID>,
    /// Short title.
    pub title: String,
    /// What was found.
    pub finding: String,
    /// The service-standard component it concerns.
    pub standard_component: Option<crate::types::enums::StandardComponent>,
    /// How urgent it is.
    #[graphql(default_with = "crate::types::enums::Priority::Medium")]
    pub priority: crate::types::enums::Priority,
    /// The due date, in the district's time zone.
    pub due_on: Date,
    /// Where it comes from. Left out: `VISIT_FINDING` when `milestoneId` is given, else `SELF_IDENTIFIED`. `VISIT_FINDING` needs `milestoneId`.
    pub origin: Option<crate::types::enums::ActionItemOrigin>,
    /// The Ombudsman product's document number (e.g. the LAHP's); required for `CORRECTIVE_ACTION`, `IMPROVEMENT_SUGGESTION`, `REFINEMENT_SUGGESTION` and `RECOMMENDATION`, refused otherwise.
    pub product_number: Option<String>,
    /// The year an Ombudsman product counts for; defaults to the current year.
    pub product_year: Option<i32>,
}

/// Giving an action item to an officer of its OPD.
#[derive(InputObject)]
pub struct AssignActionItemInput {
    /// The action item.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// The officer (a user who is an OPD officer of the item's OPD).
    pub assignee_id: ID,
}

/// An amendment (*addendum*) to an active agreement.
#[derive(InputObject)]
pub struct RecordAmendmentInput {
    /// The agreement.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// The amendment's document number.
    pub number: String,
    /// When it was signed.
    pub signed_on: Date,
    /// What it changes.
    pub summary: String,
    /// The new end of the period, when it moves.
    pub new_period_end: Option<Date>,
    /// The changed terms' text, when the amendment rewrites them.
    pub terms: Option<String>,
    /// OPDs of the district brought into the agreement's scope.
    #[graphql(default)]
    pub add_opd_ids: Vec<ID>,
    /// OPDs taken out of scope (none may have open action items under the agreement).
    #[graphql(default)]
    pub remove_opd_ids: Vec<ID>,
}

/// Changes to a draft agreement: numbers, signatories, title, period and OPDs; fields left out stay.
#[derive(InputObject)]
pub struct UpdateAgreementDraftInput {
    /// The draft agreement.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// The office's document number.
    pub office_number: Option<String>,
    /// The district's document number.
    pub district_number: Option<String>,
    /// Title of the office's signatory.
    pub office_signatory: Option<String>,
    /// Title of the district's signatory.
    pub district_signatory: Option<String>,
    /// The title.
    pub title: Option<String>,
    /// First day of the period.
    pub period_start: Option<Date>,
    /// Last day of the period; not before the first, and no planned milestone may fall outside it.
    pub period_end: Option<Date>,
    /// The OPDs in scope, replacing the draft's list (active OPDs of the district).
    pub opd_ids: Option<Vec<ID>>,
}

fn ids(field: &str, kind: Kind, ids: &[ID]) -> Result<Vec<i64>, EngineError> {
    ids.iter()
        .map(|id| match decode_any(id) {
            Some((found, row)) if found == kind => Ok(row),
            _ => Err(EngineError::invalid(
                field,
                format!("must hold IDs of {}s", kind.name()),
            )),
        })
        .collect()
}

fn one(field: &str, kind: Kind, id: &ID) -> Result<i64, EngineError> {
    ids(field, kind, std::slice::from_ref(id)).map(|v| v[0])
}

async fn act<A: WorkflowAction>(
    ctx: &Context<'_>,
    id: Result<A::Id, EngineError>,
    action: A,
    input: ActionInput,
) -> async_graphql::Result<(Option<Changed>, Vec<UserError>)> {
    let actor = actor(ctx)?;
    let engine = &request(ctx)?.engine;
    let result = change_with(id, |id| engine.take_action(actor, id, action, input)).await;
    result.outcome()
}

async fn agreement(
    ctx: &Context<'_>,
    id: &ID,
    action: AgreementAction,
    input: ActionInput,
) -> async_graphql::Result<AgreementPayload> {
    let id = input_id("id", Kind::Agreement, id).map(AgreementId);
    let (changed, user_errors) = act(ctx, id, action, input).await?;
    Ok(AgreementPayload {
        agreement: match changed {
            Some(Changed::Agreement(a)) => Some(Agreement(a)),
            _ => None,
        },
        user_errors,
    })
}

async fn milestone(
    ctx: &Context<'_>,
    id: &ID,
    action: MilestoneAction,
    input: ActionInput,
) -> async_graphql::Result<MilestonePayload> {
    let id = input_id("id", Kind::Milestone, id).map(MilestoneId);
    let (changed, user_errors) = act(ctx, id, action, input).await?;
    Ok(MilestonePayload {
        milestone: match changed {
            Some(Changed::Milestone(m)) => Some(Milestone(m)),
            _ => None,
        },
        user_errors,
    })
}

async fn action_item(
    ctx: &Context<'_>,
    id: &ID,
    action: ActionItemAction,
    input: ActionInput,
) -> async_graphql::Result<ActionItemPayload> {
    let id = input_id("id", Kind::ActionItem, id).map(ActionItemId);
    let (changed, user_errors) = act(ctx, id, action, input).await?;
    Ok(ActionItemPayload {
        action_item: match changed {
            Some(Changed::ActionItem(i)) => Some(ActionItem(i)),
            _ => None,
        },
        user_errors,
    })
}

fn version(version: i32) -> ActionInput {
    ActionInput {
        version,
        ..ActionInput::default()
    }
}

fn reasoned(version: i32, reason: String) -> ActionInput {
    ActionInput {
        version,
        reason: Some(reason),
        ..ActionInput::default()
    }
}

/// Workflow actions, merged into the root `Mutation`.
#[derive(Default)]
pub struct WorkflowMutation;

/// Agreements, milestones and action items move only by these actions; each
/// object's `availableActions` says which the viewer may take now.
#[Object]
impl WorkflowMutation {
    /// Signs a draft agreement: DRAFT → ACTIVE (the office's lead).
    async fn sign_agreement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agreement and its signing terms.")] input: SignAgreementInput,
    ) -> async_graphql::Result<AgreementPayload> {
        let action = ActionInput {
            version: input.version,
            office_number: input.office_number,
            district_number: input.district_number,
            office_signatory: input.office_signatory,
            district_signatory: input.district_signatory,
            signed_on: input.signed_on.map(|d| d.0),
            ..ActionInput::default()
        };
        agreement(ctx, &input.id, AgreementAction::Sign, action).await
    }

    /// Completes an agreement: ACTIVE → COMPLETED, once every milestone is done or cancelled (the office's lead).
    async fn complete_agreement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agreement and its closing summary.")] input: CompleteAgreementInput,
    ) -> async_graphql::Result<AgreementPayload> {
        let action = ActionInput {
            version: input.version,
            closing_summary: Some(input.closing_summary),
            ..ActionInput::default()
        };
        agreement(ctx, &input.id, AgreementAction::Complete, action).await
    }

    /// Terminates an agreement early: ACTIVE → TERMINATED, with a reason (the office's lead).
    async fn terminate_agreement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agreement and the reason.")] input: ReasonedActionInput,
    ) -> async_graphql::Result<AgreementPayload> {
        agreement(
            ctx,
            &input.id,
            AgreementAction::Terminate,
            reasoned(input.version, input.reason),
        )
        .await
    }

    /// Drops a draft: DRAFT → CANCELLED, with a reason (the office's lead or assessors).
    async fn cancel_agreement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agreement and the reason.")] input: ReasonedActionInput,
    ) -> async_graphql::Result<AgreementPayload> {
        agreement(
            ctx,
            &input.id,
            AgreementAction::Cancel,
            reasoned(input.version, input.reason),
        )
        .await
    }

    /// Drafts an agreement (assessors and leads of the district's office).
    async fn create_agreement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The draft.")] input: CreateAgreementInput,
    ) -> async_graphql::Result<AgreementPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = async {
            let district = pendamping_domain::reference::DistrictId(one(
                "districtId",
                Kind::District,
                &input.district_id,
            )?);
            let opds = ids("opdIds", Kind::Opd, &input.opd_ids)?;
            let reader = engine.reader(actor);
            let office = reader
                .districts_by_ids(&[district])
                .await?
                .first()
                .map(|d| d.office_id)
                .ok_or_else(|| EngineError::invalid("districtId", "no such district"))?;
            engine
                .create_agreement(
                    actor,
                    pendamping_domain::agreement::NewAgreement {
                        office_id: office,
                        district_id: district,
                        title: input.title,
                        period_start: input.period_start.0,
                        period_end: input.period_end.0,
                        office_number: input.office_number,
                        district_number: input.district_number,
                        office_signatory: input.office_signatory,
                        district_signatory: input.district_signatory,
                        opd_ids: opds
                            .into_iter()
                            .map(pendamping_domain::reference::OpdId)
                            .collect(),
                    },
                )
                .await
        }
        .await;
        let (agreement, user_errors) = result.map(Agreement).outcome()?;
        Ok(AgreementPayload {
            agreement,
            user_errors,
        })
    }

    /// Records an amendment of an active agreement (the office's lead): it may move the end date, rewrite the terms' text and change the OPDs covered; the signed terms stay beside it.
    async fn record_amendment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The amendment.")] input: RecordAmendmentInput,
    ) -> async_graphql::Result<AgreementPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = async {
            let id =
                pendamping_domain::agreement::AgreementId(one("id", Kind::Agreement, &input.id)?);
            engine
                .record_amendment(
                    actor,
                    pendamping_engine::NewAmendment {
                        agreement_id: id,
                        version: input.version,
                        number: input.number,
                        signed_on: input.signed_on.0,
                        summary: input.summary,
                        new_period_end: input.new_period_end.map(|d| d.0),
                        terms: input.terms,
                        add_opd_ids: ids("addOpdIds", Kind::Opd, &input.add_opd_ids)?
                            .into_iter()
                            .map(pendamping_domain::reference::OpdId)
                            .collect(),
                        remove_opd_ids: ids("removeOpdIds", Kind::Opd, &input.remove_opd_ids)?
                            .into_iter()
                            .map(pendamping_domain::reference::OpdId)
                            .collect(),
                    },
                )
                .await?;
            engine
                .reader(actor)
                .agreements_by_ids(&[id])
                .await?
                .into_iter()
                .next()
                .ok_or_else(|| EngineError::NotFound("agreement".into()))
        }
        .await;
        let (agreement, user_errors) = result.map(Agreement).outcome()?;
        Ok(AgreementPayload {
            agreement,
            user_errors,
        })
    }

    /// Edits a draft before signing: numbers, signatories, title, period and OPDs (assessors and leads).
    async fn update_agreement_draft(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateAgreementDraftInput,
    ) -> async_graphql::Result<AgreementPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = async {
            let id =
                pendamping_domain::agreement::AgreementId(one("id", Kind::Agreement, &input.id)?);
            engine
                .edit_draft(
                    actor,
                    id,
                    pendamping_engine::DraftEdit {
                        version: input.version,
                        office_number: input.office_number,
                        district_number: input.district_number,
                        office_signatory: input.office_signatory,
                        district_signatory: input.district_signatory,
                        title: input.title,
                        period_start: input.period_start.map(|d| d.0),
                        period_end: input.period_end.map(|d| d.0),
                        opd_ids: input
                            .opd_ids
                            .as_deref()
                            .map(|list| ids("opdIds", Kind::Opd, list))
                            .transpose()?
                            .map(|list| {
                                list.into_iter()
                                    .map(pendamping_domain::reference::OpdId)
                                    .collect()
                            }),
                    },
                )
                .await
        }
        .await;
        let (agreement, user_errors) = result.map(Agreement).outcome()?;
        Ok(AgreementPayload {
            agreement,
            user_errors,
        })
    }

    /// Adds a planned milestone to a draft or active agreement (assessors).
    async fn add_milestone(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The milestone.")] input: AddMilestoneInput,
    ) -> async_graphql::Result<MilestonePayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = async {
            let new = pendamping_engine::NewMilestone {
                agreement_id: pendamping_domain::agreement::AgreementId(one(
                    "agreementId",
                    Kind::Agreement,
                    &input.agreement_id,
                )?),
                kind: input.kind.into(),
                title: input.title,
                planned_on: input.planned_on.0,
                location: input.location,
                opd_ids: ids("opdIds", Kind::Opd, &input.opd_ids)?
                    .into_iter()
                    .map(pendamping_domain::ids::OpdId)
                    .collect(),
            };
            engine.add_milestone(actor, new).await
        }
        .await;
        let (milestone, user_errors) = result.map(Milestone).outcome()?;
        Ok(MilestonePayload {
            milestone,
            user_errors,
        })
    }

    /// Raises a finding as an OPEN action item for an OPD (assessors).
    async fn raise_action_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The finding.")] input: RaiseActionItemInput,
    ) -> async_graphql::Result<ActionItemPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = async {
            let new = pendamping_engine::NewActionItem {
                agreement_id: pendamping_domain::agreement::AgreementId(one(
                    "agreementId",
                    Kind::Agreement,
                    &input.agreement_id,
                )?),
                opd_id: pendamping_domain::ids::OpdId(one("opdId", Kind::Opd, &input.opd_id)?),
                milestone_id: input
                    .milestone_id
                    .as_ref()
                    .map(|id| one("milestoneId", Kind::Milestone, id).map(MilestoneId))
                    .transpose()?,
                title: input.title,
                finding: input.finding,
                standard_component: input.standard_component.map(Into::into),
                priority: input.priority.into(),
                due_on: input.due_on.0,
                origin: input.origin.map(Into::into),
                product_number: input.product_number,
                product_year: input.product_year,
            };
            engine.raise_action_item(actor, new).await
        }
        .await;
        let (action_item, user_errors) = result.map(ActionItem).outcome()?;
        Ok(ActionItemPayload {
            action_item,
            user_errors,
        })
    }

    /// Assigns an action item to an officer of its OPD (the district's coordinator).
    async fn assign_action_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The item and the officer.")] input: AssignActionItemInput,
    ) -> async_graphql::Result<ActionItemPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = async {
            let id = one("id", Kind::ActionItem, &input.id)?;
            let assignee = one("assigneeId", Kind::User, &input.assignee_id)?;
            engine
                .assign_action_item(
                    actor,
                    pendamping_domain::action_item::ActionItemId(id),
                    input.version,
                    pendamping_domain::identity::UserId(assignee),
                )
                .await
        }
        .await;
        let (action_item, user_errors) = result.map(ActionItem).outcome()?;
        Ok(ActionItemPayload {
            action_item,
            user_errors,
        })
    }

    /// Starts a milestone: PLANNED → IN_PROGRESS (assessors).
    async fn start_milestone(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The milestone.")] input: WorkflowActionInput,
    ) -> async_graphql::Result<MilestonePayload> {
        milestone(
            ctx,
            &input.id,
            MilestoneAction::Start,
            version(input.version),
        )
        .await
    }

    /// Completes a milestone: IN_PROGRESS → DONE, with outcome notes and the actual date (assessors).
    async fn complete_milestone(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The milestone and its outcome.")] input: CompleteMilestoneInput,
    ) -> async_graphql::Result<MilestonePayload> {
        let action = ActionInput {
            version: input.version,
            outcome_notes: Some(input.outcome_notes),
            actual_on: Some(input.actual_on.0),
            ..ActionInput::default()
        };
        milestone(ctx, &input.id, MilestoneAction::Complete, action).await
    }

    /// Cancels a milestone, with a reason (assessors).
    async fn cancel_milestone(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The milestone and the reason.")] input: ReasonedActionInput,
    ) -> async_graphql::Result<MilestonePayload> {
        milestone(
            ctx,
            &input.id,
            MilestoneAction::Cancel,
            reasoned(input.version, input.reason),
        )
        .await
    }

    /// Moves a milestone's planned date; the slip is kept (assessors).
    async fn reschedule_milestone(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The milestone, the new date and the reason.")]
        input: RescheduleMilestoneInput,
    ) -> async_graphql::Result<MilestonePayload> {
        let action = ActionInput {
            version: input.version,
            new_date: Some(input.new_date.0),
            reason: Some(input.reason),
            ..ActionInput::default()
        };
        milestone(ctx, &input.id, MilestoneAction::Reschedule, action).await
    }

    /// Starts work on an action item: OPEN → IN_PROGRESS (the OPD's officers).
    async fn start_action_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The action item.")] input: WorkflowActionInput,
    ) -> async_graphql::Result<ActionItemPayload> {
        action_item(
            ctx,
            &input.id,
            ActionItemAction::Start,
            version(input.version),
        )
        .await
    }

    /// Submits the fix: IN_PROGRESS → SUBMITTED; needs at least one evidence (the OPD's officers).
    async fn submit_action_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The action item.")] input: WorkflowActionInput,
    ) -> async_graphql::Result<ActionItemPayload> {
        action_item(
            ctx,
            &input.id,
            ActionItemAction::Submit,
            version(input.version),
        )
        .await
    }

    /// Accepts the fix: SUBMITTED → VERIFIED; never by the submitter (assessors).
    async fn verify_action_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The action item.")] input: WorkflowActionInput,
    ) -> async_graphql::Result<ActionItemPayload> {
        action_item(
            ctx,
            &input.id,
            ActionItemAction::Verify,
            version(input.version),
        )
        .await
    }

    /// Refuses the fix: SUBMITTED → REJECTED, with a reason; rejections are counted (assessors).
    async fn reject_action_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The action item and the reason.")] input: ReasonedActionInput,
    ) -> async_graphql::Result<ActionItemPayload> {
        action_item(
            ctx,
            &input.id,
            ActionItemAction::Reject,
            reasoned(input.version, input.reason),
        )
        .await
    }

    /// Resumes work after a rejection: REJECTED → IN_PROGRESS (the OPD's officers).
    async fn resume_action_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The action item.")] input: WorkflowActionInput,
    ) -> async_graphql::Result<ActionItemPayload> {
        action_item(
            ctx,
            &input.id,
            ActionItemAction::Resume,
            version(input.version),
        )
        .await
    }

    /// Withdraws an action item: OPEN | IN_PROGRESS → CANCELLED, with a reason (assessors).
    async fn cancel_action_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The action item and the reason.")] input: ReasonedActionInput,
    ) -> async_graphql::Result<ActionItemPayload> {
        action_item(
            ctx,
            &input.id,
            ActionItemAction::Cancel,
            reasoned(input.version, input.reason),
        )
        .await
    }
}
