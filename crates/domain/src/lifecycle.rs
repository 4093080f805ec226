//! The workflows of DESIGN.md §4, declared once as data over the status and
//! action enums: for each kind of object, its states and its actions — where
//! each action may be taken from, where it leads, which policy operation rules
//! on who may take it, what input it needs and what must hold. One set of
//! functions decides any of them; what each action writes besides the state
//! (who is stamped as submitter or verifier, what a rejection counts, which
//! date moves) is one exhaustive function per workflow below the tables, so an
//! action added to an enum and not handled does not compile.
//!
//! Who may take an action is the policy's ([`crate::policy::roles_for`]):
//! system administrators take no workflow action (separation of duties).

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};

use crate::action_item::{ActionItem, ActionItemStatus, DueDateChange};
use crate::agreement::{Agreement, AgreementStatus, Milestone, MilestoneStatus, Reschedule};
use crate::code::Code;
use crate::events::EventKind;
use crate::identity::{Actor, Role, UserId};
use crate::policy::{self, Operation, Target};

/// An input an action may require, named as clients send it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Input {
    Reason,
    ClosingSummary,
    OutcomeNotes,
    ActualOn,
    NewDate,
}

impl Input {
    /// The input field's name.
    pub fn field(self) -> &'static str {
        match self {
            Input::Reason => "reason",
            Input::ClosingSummary => "closingSummary",
            Input::OutcomeNotes => "outcomeNotes",
            Input::ActualOn => "actualOn",
            Input::NewDate => "newDate",
        }
    }
}

/// A rule that must hold for an action, judged on facts the engine gathers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Guard {
    /// Signing needs both parties' numbers, both signatories, the period and the signing date.
    SigningTermsComplete,
    /// Completing an agreement needs every milestone done or cancelled.
    MilestonesClosed,
    /// Submitting needs at least one evidence.
    HasEvidence,
    /// The verifier is never the submitter.
    VerifierIsNotSubmitter,
    /// A reschedule moves the date.
    NewDateDiffers,
    /// An extension moves the due date later.
    NewDateIsLater,
}

impl Guard {
    fn holds(self, facts: &Facts, actor: &Actor) -> bool {
        match self {
            Guard::SigningTermsComplete => facts.signing_terms_complete,
            Guard::MilestonesClosed => facts.open_milestones == 0,
            Guard::HasEvidence => facts.evidence_count > 0,
            Guard::VerifierIsNotSubmitter => {
                facts.submitted_by.is_none() || facts.submitted_by != actor.user_id
            }
            Guard::NewDateDiffers => facts.new_date.is_none() || facts.new_date != facts.planned_on,
            Guard::NewDateIsLater => match (facts.new_date, facts.planned_on) {
                (Some(new), Some(old)) => new > old,
                _ => true,
            },
        }
    }

    /// The guard's code in `AvailableAction.reasonCode`.
    pub fn code(self) -> &'static str {
        match self {
            Guard::SigningTermsComplete => "SIGNING_TERMS_INCOMPLETE",
            Guard::MilestonesClosed => "MILESTONES_OPEN",
            Guard::HasEvidence => "NO_EVIDENCE",
            Guard::VerifierIsNotSubmitter => "VERIFIER_IS_SUBMITTER",
            Guard::NewDateDiffers => "SAME_DATE",
            Guard::NewDateIsLater => "DATE_NOT_LATER",
        }
    }

    /// Why the action is refused when the guard does not hold.
    pub fn reason(self) -> &'static str {
        match self {
            Guard::SigningTermsComplete => {
                "sign needs both parties' numbers, both signatories and the signing date"
            }
            Guard::MilestonesClosed => "complete needs every milestone done or cancelled",
            Guard::HasEvidence => "submit needs at least one evidence",
            Guard::VerifierIsNotSubmitter => "the verifier cannot be the submitter",
            Guard::NewDateDiffers => "the new date is the planned date already",
            Guard::NewDateIsLater => "an extension moves the due date later",
        }
    }
}

/// What the engine knows about the object and the request when asking.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Numbers, signatories and signing date present (stored or given).
    pub signing_terms_complete: bool,
    /// Milestones still planned or in progress.
    pub open_milestones: u64,
    pub evidence_count: u64,
    pub submitted_by: Option<UserId>,
    pub planned_on: Option<NaiveDate>,
    pub new_date: Option<NaiveDate>,
}

impl Facts {
    /// The facts of an agreement: its stored signing terms and its open milestones.
    pub fn of_agreement(agreement: &Agreement, open_milestones: u64) -> Self {
        Self::of_agreement_signing(agreement, open_milestones, &SigningTerms::default())
    }

    /// As [`Facts::of_agreement`], with the terms a `SIGN` brings counted as present.
    pub fn of_agreement_signing(
        agreement: &Agreement,
        open_milestones: u64,
        given: &SigningTerms,
    ) -> Self {
        Facts {
            signing_terms_complete: given.complete_over(agreement),
            open_milestones,
            ..Facts::default()
        }
    }

    /// The facts of a milestone, with the date a reschedule would move it to.
    pub fn of_milestone(milestone: &Milestone, new_date: Option<NaiveDate>) -> Self {
        Facts {
            planned_on: Some(milestone.planned_on),
            new_date,
            ..Facts::default()
        }
    }

    /// The facts of an action item: its evidence and who submitted it.
    pub fn of_action_item(item: &ActionItem, evidence_count: u64) -> Self {
        Facts {
            evidence_count,
            submitted_by: item.submitted_by,
            planned_on: Some(item.due_on),
            ..Facts::default()
        }
    }
}

code_enum! {
    /// An action of the agreement workflow.
    pub enum AgreementAction {
        Sign = "SIGN",
        Complete = "COMPLETE",
        Terminate = "TERMINATE",
        Cancel = "CANCEL",
    }
}

code_enum! {
    /// An action of the milestone workflow.
    pub enum MilestoneAction {
        Start = "START",
        Complete = "COMPLETE",
        Cancel = "CANCEL",
        Reschedule = "RESCHEDULE",
    }
}

code_enum! {
    /// An action of the action-item workflow.
    pub enum ActionItemAction {
        Start = "START",
        Submit = "SUBMIT",
        Verify = "VERIFY",
        Reject = "REJECT",
        Resume = "RESUME",
        Cancel = "CANCEL",
        ExtendDueDate = "EXTEND_DUE_DATE",
    }
}

/// One action of a workflow: where it may be taken from, where it leads, which
/// policy operation rules on who may take it, what it needs and what must hold.
#[derive(Debug)]
pub struct Transition<S: 'static, A: 'static> {
    pub action: A,
    /// The event it emits (also the action of its audit entry).
    pub event: EventKind,
    pub from: &'static [S],
    /// The state it leads to; `None` keeps the state (a reschedule).
    pub to: Option<S>,
    /// Who may take it, within their scope: see [`policy::roles_for`].
    pub operation: Operation,
    pub inputs: &'static [Input],
    pub guards: &'static [Guard],
}

impl<S, A> Transition<S, A> {
    /// The roles that may take the action (the policy's, not the table's).
    pub fn roles(&self) -> &'static [Role] {
        policy::roles_for(self.operation)
    }
}

/// A kind of object's states and actions.
#[derive(Debug)]
pub struct Workflow<S: 'static, A: 'static> {
    /// The object type, e.g. `ActionItem`.
    pub object: &'static str,
    pub states: &'static [S],
    pub initial: S,
    pub actions: &'static [Transition<S, A>],
}

/// Agreement: DRAFT → ACTIVE → COMPLETED | TERMINATED; DRAFT → CANCELLED.
pub static AGREEMENT: Workflow<AgreementStatus, AgreementAction> = {
    use AgreementAction as A;
    use AgreementStatus as S;
    Workflow {
        object: "Agreement",
        states: S::ALL,
        initial: S::Draft,
        actions: &[
            Transition {
                action: A::Sign,
                event: EventKind::AgreementSigned,
                from: &[S::Draft],
                to: Some(S::Active),
                operation: Operation::ConcludeAgreements,
                inputs: &[],
                guards: &[Guard::SigningTermsComplete],
            },
            Transition {
                action: A::Complete,
                event: EventKind::AgreementCompleted,
                from: &[S::Active],
                to: Some(S::Completed),
                operation: Operation::ConcludeAgreements,
                inputs: &[Input::ClosingSummary],
                guards: &[Guard::MilestonesClosed],
            },
            Transition {
                action: A::Terminate,
                event: EventKind::AgreementTerminated,
                from: &[S::Active],
                to: Some(S::Terminated),
                operation: Operation::ConcludeAgreements,
                inputs: &[Input::Reason],
                guards: &[],
            },
            Transition {
                action: A::Cancel,
                event: EventKind::AgreementCancelled,
                from: &[S::Draft],
                to: Some(S::Cancelled),
                operation: Operation::CancelDraftAgreements,
                inputs: &[Input::Reason],
                guards: &[],
            },
        ],
    }
};

/// Milestone: PLANNED → IN_PROGRESS → DONE; PLANNED | IN_PROGRESS → CANCELLED; reschedule keeps the state.
pub static MILESTONE: Workflow<MilestoneStatus, MilestoneAction> = {
    use MilestoneAction as A;
    use MilestoneStatus as S;
    Workflow {
        object: "Milestone",
        states: S::ALL,
        initial: S::Planned,
        actions: &[
            Transition {
                action: A::Start,
                event: EventKind::MilestoneStarted,
                from: &[S::Planned],
                to: Some(S::InProgress),
                operation: Operation::RunMilestones,
                inputs: &[],
                guards: &[],
            },
            Transition {
                action: A::Complete,
                event: EventKind::MilestoneCompleted,
                from: &[S::InProgress],
                to: Some(S::Done),
                operation: Operation::RunMilestones,
                inputs: &[Input::OutcomeNotes, Input::ActualOn],
                guards: &[],
            },
            Transition {
                action: A::Cancel,
                event: EventKind::MilestoneCancelled,
                from: S::OPEN,
                to: Some(S::Cancelled),
                operation: Operation::RunMilestones,
                inputs: &[Input::Reason],
                guards: &[],
            },
            Transition {
                action: A::Reschedule,
                event: EventKind::MilestoneRescheduled,
                from: S::OPEN,
                to: None,
                operation: Operation::RunMilestones,
                inputs: &[Input::NewDate, Input::Reason],
                guards: &[Guard::NewDateDiffers],
            },
        ],
    }
};

/// Action item: OPEN → IN_PROGRESS → SUBMITTED → VERIFIED, or → REJECTED → IN_PROGRESS; OPEN | IN_PROGRESS → CANCELLED.
pub static ACTION_ITEM: Workflow<ActionItemStatus, ActionItemAction> = {
    use ActionItemAction as A;
    use ActionItemStatus as S;
    Workflow {
        object: "ActionItem",
        states: S::ALL,
        initial: S::Open,
        actions: &[
            Transition {
                action: A::Start,
                event: EventKind::ActionItemStarted,
                from: &[S::Open],
                to: Some(S::InProgress),
                operation: Operation::WorkOnActionItems,
                inputs: &[],
                guards: &[],
            },
            Transition {
                action: A::Submit,
                event: EventKind::ActionItemSubmitted,
                from: &[S::InProgress],
                to: Some(S::Submitted),
                operation: Operation::WorkOnActionItems,
                inputs: &[],
                guards: &[Guard::HasEvidence],
            },
            Transition {
                action: A::Verify,
                event: EventKind::ActionItemVerified,
                from: S::AWAITING_VERIFICATION,
                to: Some(S::Verified),
                operation: Operation::ReviewActionItems,
                inputs: &[],
                guards: &[Guard::VerifierIsNotSubmitter],
            },
            Transition {
                action: A::Reject,
                event: EventKind::ActionItemRejected,
                from: S::AWAITING_VERIFICATION,
                to: Some(S::Rejected),
                operation: Operation::ReviewActionItems,
                inputs: &[Input::Reason],
                guards: &[],
            },
            Transition {
                action: A::Resume,
                event: EventKind::ActionItemResumed,
                from: &[S::Rejected],
                to: Some(S::InProgress),
                operation: Operation::WorkOnActionItems,
                inputs: &[],
                guards: &[],
            },
            Transition {
                action: A::Cancel,
                event: EventKind::ActionItemCancelled,
                from: &[S::Open, S::InProgress],
                to: Some(S::Cancelled),
                operation: Operation::ReviewActionItems,
                inputs: &[Input::Reason],
                guards: &[],
            },
            // The Ombudsman grants more time while the item is the OPD's move; the
            // old date stays in the item's `dueDateChanges`.
            Transition {
                action: A::ExtendDueDate,
                event: EventKind::ActionItemDueDateExtended,
                from: S::OPDS_MOVE,
                to: None,
                operation: Operation::ReviewActionItems,
                inputs: &[Input::NewDate, Input::Reason],
                guards: &[Guard::NewDateIsLater],
            },
        ],
    }
};

/// Why an action cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not this actor's role, or not within its scope.
    Forbidden(String),
    /// Not from this state, or a guard does not hold.
    InvalidTransition(String),
    /// A required input is missing.
    MissingInput(&'static str),
}

/// Whether an action is open to the viewer now, and why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Availability {
    pub action: &'static str,
    pub enabled: bool,
    pub reason: Option<String>,
    /// Why not, for programs (clients translate it): see [`Workflow::available`].
    pub reason_code: Option<&'static str>,
}

fn role_names(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(" or ")
}

fn state_names<S: Code>(states: &[S]) -> Vec<&'static str> {
    states.iter().map(|s| s.code()).collect()
}

impl<S: Code, A: Code> Workflow<S, A> {
    pub fn action(&self, action: A) -> Option<&Transition<S, A>> {
        self.actions.iter().find(|t| t.action == action)
    }

    /// Role and scope (asked of the policy), then state, then guards: the
    /// first that fails refuses. Input is not checked here (see [`Workflow::decide`]).
    fn check(
        &self,
        transition: &Transition<S, A>,
        actor: &Actor,
        target: &Target,
        status: S,
        facts: &Facts,
    ) -> Result<(), Refusal> {
        if !policy::permits(actor, transition.operation, target) {
            return Err(Refusal::Forbidden(format!(
                "only {} (of this record's scope) may {}",
                role_names(transition.roles()),
                transition.action.code().to_lowercase()
            )));
        }
        if !transition.from.contains(&status) {
            return Err(Refusal::InvalidTransition(format!(
                "{} is not possible when the {} is {status} (only when {})",
                transition.action.code().to_lowercase(),
                self.object,
                state_names(transition.from).join(" or ")
            )));
        }
        for guard in transition.guards {
            if !guard.holds(facts, actor) {
                return Err(Refusal::InvalidTransition(guard.reason().to_owned()));
            }
        }
        Ok(())
    }

    /// May `actor` take `action` on an object in `status` at `target`, with the
    /// inputs `present`? The action's row and the state it leads to, or why not.
    pub fn decide(
        &self,
        action: A,
        actor: &Actor,
        target: &Target,
        status: S,
        facts: &Facts,
        present: &[Input],
    ) -> Result<(&Transition<S, A>, S), Refusal> {
        let transition = self.action(action).ok_or_else(|| {
            Refusal::InvalidTransition(format!("{} has no action {action}", self.object))
        })?;
        self.check(transition, actor, target, status, facts)?;
        if let Some(missing) = transition.inputs.iter().find(|i| !present.contains(i)) {
            return Err(Refusal::MissingInput(missing.field()));
        }
        Ok((transition, transition.to.unwrap_or(status)))
    }

    /// Every action of the workflow, enabled or not for this viewer now, with the reason when not.
    pub fn available(
        &self,
        actor: &Actor,
        target: &Target,
        status: S,
        facts: &Facts,
    ) -> Vec<Availability> {
        self.actions
            .iter()
            .map(|transition| {
                let action = transition.action.code();
                match self.check(transition, actor, target, status, facts) {
                    Ok(()) => Availability {
                        action,
                        enabled: true,
                        reason: None,
                        reason_code: None,
                    },
                    Err(Refusal::Forbidden(r)) => Availability {
                        action,
                        enabled: false,
                        reason: Some(r),
                        reason_code: Some("FORBIDDEN"),
                    },
                    Err(Refusal::InvalidTransition(r)) => Availability {
                        action,
                        enabled: false,
                        reason: Some(r),
                        reason_code: Some(Self::reason_code(transition, actor, status, facts)),
                    },
                    Err(Refusal::MissingInput(field)) => Availability {
                        action,
                        enabled: false,
                        reason: Some(format!("needs {field}")),
                        reason_code: Some("MISSING_INPUT"),
                    },
                }
            })
            .collect()
    }

    /// The code of a refusal after the role check: `WRONG_STATUS` when the
    /// action does not start from `status`, else the failing guard's code.
    fn reason_code(
        transition: &Transition<S, A>,
        actor: &Actor,
        status: S,
        facts: &Facts,
    ) -> &'static str {
        if !transition.from.contains(&status) {
            return "WRONG_STATUS";
        }
        transition
            .guards
            .iter()
            .find(|guard| !guard.holds(facts, actor))
            .map_or("WRONG_STATUS", |guard| guard.code())
    }
}

/// One row of a workflow's table, seen without its types (for documentation).
#[derive(Debug, Clone)]
pub struct Row {
    pub action: &'static str,
    pub from: Vec<&'static str>,
    /// `None` keeps the state.
    pub to: Option<&'static str>,
    pub roles: &'static [Role],
    pub inputs: &'static [Input],
    pub guards: &'static [Guard],
    pub event: EventKind,
}

/// Any workflow, seen without its types: what documentation and tests list.
pub trait Table: Sync {
    /// The object type, e.g. `ActionItem`.
    fn object(&self) -> &'static str;
    /// Every action's row, in table order.
    fn rows(&self) -> Vec<Row>;
    /// The state diagram, in Mermaid, generated from the table.
    fn mermaid(&self) -> String;
}

impl<S: Code, A: Code> Table for Workflow<S, A> {
    fn object(&self) -> &'static str {
        self.object
    }

    fn rows(&self) -> Vec<Row> {
        self.actions
            .iter()
            .map(|t| Row {
                action: t.action.code(),
                from: state_names(t.from),
                to: t.to.map(Code::code),
                roles: t.roles(),
                inputs: t.inputs,
                guards: t.guards,
                event: t.event,
            })
            .collect()
    }

    fn mermaid(&self) -> String {
        let mut out = String::from("stateDiagram-v2\n");
        let _ = writeln!(out, "    [*] --> {}", self.initial);
        for action in self.actions {
            for from in action.from {
                let to = action.to.unwrap_or(*from);
                let _ = writeln!(out, "    {from} --> {to}: {}", action.action);
            }
        }
        out
    }
}

/// Every workflow, for documentation and tests.
pub static ALL: [&dyn Table; 3] = [&AGREEMENT, &MILESTONE, &ACTION_ITEM];

// ---------------------------------------------------------------------------
// What an action writes besides the state: one function per workflow, an
// exhaustive `match` each, so an action added to an enum and not handled here
// does not compile.

/// The fields an action writes into its audit entry's `after` (beside
/// `status`), in order, as the text shown to readers.
pub type Recorded = Vec<(&'static str, Option<String>)>;

/// The signing terms a client may send with `SIGN` (blank text already dropped).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SigningTerms {
    pub office_number: Option<String>,
    pub district_number: Option<String>,
    pub office_signatory: Option<String>,
    pub district_signatory: Option<String>,
    pub signed_on: Option<NaiveDate>,
}

impl SigningTerms {
    /// Every term present, given here or stored on `agreement` already.
    pub fn complete_over(&self, agreement: &Agreement) -> bool {
        (self.office_number.is_some() || agreement.office_number.is_some())
            && (self.district_number.is_some() || agreement.district_number.is_some())
            && (self.office_signatory.is_some() || agreement.office_signatory.is_some())
            && (self.district_signatory.is_some() || agreement.district_signatory.is_some())
            && (self.signed_on.is_some() || agreement.signed_on.is_some())
    }
}

/// What a client gave with an action, blank text already dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Given {
    pub reason: Option<String>,
    pub closing_summary: Option<String>,
    pub outcome_notes: Option<String>,
    pub actual_on: Option<NaiveDate>,
    pub new_date: Option<NaiveDate>,
    pub signing: SigningTerms,
}

impl Given {
    /// The inputs present.
    pub fn present(&self) -> Vec<Input> {
        let mut present = Vec::new();
        if self.reason.is_some() {
            present.push(Input::Reason);
        }
        if self.closing_summary.is_some() {
            present.push(Input::ClosingSummary);
        }
        if self.outcome_notes.is_some() {
            present.push(Input::OutcomeNotes);
        }
        if self.actual_on.is_some() {
            present.push(Input::ActualOn);
        }
        if self.new_date.is_some() {
            present.push(Input::NewDate);
        }
        present
    }
}

/// Who took an action, and when: stamped on the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub by: Option<UserId>,
    pub at: DateTime<Utc>,
}

/// What an agreement action writes besides the state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgreementChange {
    /// The terms given with `SIGN` (a term not given keeps the draft's).
    pub signing: SigningTerms,
    pub closing_summary: Option<String>,
    pub termination_reason: Option<String>,
    pub recorded: Recorded,
}

/// What a milestone action writes besides the state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MilestoneChange {
    pub outcome_notes: Option<String>,
    pub actual_on: Option<NaiveDate>,
    pub cancellation_reason: Option<String>,
    /// A move of the planned date, kept in the milestone's reschedules.
    pub reschedule: Option<Reschedule>,
    pub recorded: Recorded,
}

/// What an action-item action writes besides the state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionItemChange {
    /// Who submitted the fix: the verifier may not be this user.
    pub submitted: Option<Stamp>,
    /// Who verified the fix.
    pub verified: Option<Stamp>,
    /// A rejection adds one to the item's rejection count (its reason is the action's).
    pub count_rejection: bool,
    pub cancellation_reason: Option<String>,
    /// A later due date, kept in the item's `dueDateChanges`.
    pub due_date_change: Option<DueDateChange>,
    pub recorded: Recorded,
}

fn day(date: Option<NaiveDate>) -> Option<String> {
    date.map(|d| d.to_string())
}

impl AgreementAction {
    /// What taking the action on `agreement` writes besides its state.
    pub fn effect(self, agreement: &Agreement, given: &Given) -> AgreementChange {
        match self {
            AgreementAction::Sign => AgreementChange {
                signing: given.signing.clone(),
                recorded: vec![(
                    "signedOn",
                    day(given.signing.signed_on.or(agreement.signed_on)),
                )],
                ..AgreementChange::default()
            },
            AgreementAction::Complete => AgreementChange {
                closing_summary: given.closing_summary.clone(),
                recorded: vec![("closingSummary", given.closing_summary.clone())],
                ..AgreementChange::default()
            },
            AgreementAction::Terminate => AgreementChange {
                termination_reason: given.reason.clone(),
                ..AgreementChange::default()
            },
            AgreementAction::Cancel => AgreementChange::default(),
        }
    }
}

impl MilestoneAction {
    /// What `actor` taking the action on `milestone` at `now` writes besides its state.
    pub fn effect(
        self,
        milestone: &Milestone,
        actor: &Actor,
        now: DateTime<Utc>,
        given: &Given,
    ) -> MilestoneChange {
        match self {
            MilestoneAction::Start => MilestoneChange::default(),
            MilestoneAction::Complete => MilestoneChange {
                outcome_notes: given.outcome_notes.clone(),
                actual_on: given.actual_on,
                recorded: vec![("actualOn", day(given.actual_on))],
                ..MilestoneChange::default()
            },
            MilestoneAction::Cancel => MilestoneChange {
                cancellation_reason: given.reason.clone(),
                ..MilestoneChange::default()
            },
            MilestoneAction::Reschedule => MilestoneChange {
                reschedule: given.new_date.map(|new_date| Reschedule {
                    milestone_id: milestone.id,
                    old_date: milestone.planned_on,
                    new_date,
                    reason: given.reason.clone().unwrap_or_default(),
                    rescheduled_by: actor.user_id,
                    rescheduled_at: now,
                }),
                recorded: vec![("plannedOn", day(given.new_date))],
                ..MilestoneChange::default()
            },
        }
    }
}

impl ActionItemAction {
    /// What `actor` taking the action on `item` at `now` writes besides its state.
    pub fn effect(
        self,
        item: &ActionItem,
        actor: &Actor,
        now: DateTime<Utc>,
        given: &Given,
    ) -> ActionItemChange {
        let stamp = Stamp {
            by: actor.user_id,
            at: now,
        };
        match self {
            ActionItemAction::Start | ActionItemAction::Resume => ActionItemChange::default(),
            ActionItemAction::Submit => ActionItemChange {
                submitted: Some(stamp),
                ..ActionItemChange::default()
            },
            ActionItemAction::Verify => ActionItemChange {
                verified: Some(stamp),
                ..ActionItemChange::default()
            },
            ActionItemAction::Reject => ActionItemChange {
                count_rejection: true,
                ..ActionItemChange::default()
            },
            ActionItemAction::Cancel => ActionItemChange {
                cancellation_reason: given.reason.clone(),
                ..ActionItemChange::default()
            },
            ActionItemAction::ExtendDueDate => ActionItemChange {
                due_date_change: given.new_date.map(|new_date| DueDateChange {
                    action_item_id: item.id,
                    old_date: item.due_on,
                    new_date,
                    reason: given.reason.clone().unwrap_or_default(),
                    changed_by: actor.user_id,
                    changed_at: now,
                }),
                recorded: vec![
                    ("dueOn", day(given.new_date)),
                    ("previousDueOn", Some(item.due_on.to_string())),
                ],
                ..ActionItemChange::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::{RoleAssignment, Scope};
    use crate::reference::{DistrictId, OfficeId, OpdId};

    const SULBAR: OfficeId = OfficeId(1);
    const MATENG: DistrictId = DistrictId(4);
    const RSUD: OpdId = OpdId(20);
    const DUKCAPIL: OpdId = OpdId(21);

    fn actor(id: i64, role: Role, scope: Scope) -> Actor {
        Actor {
            user_id: Some(UserId(id)),
            label: role.as_str().into(),
            assignments: vec![RoleAssignment::new(role, scope).unwrap()],
        }
    }
    fn lead() -> Actor {
        actor(1, Role::OmbudsmanLead, Scope::Office(SULBAR))
    }
    fn assessor() -> Actor {
        actor(2, Role::OmbudsmanAssessor, Scope::Office(SULBAR))
    }
    fn officer() -> Actor {
        actor(3, Role::OpdOfficer, Scope::Opd(RSUD))
    }
    fn others() -> Vec<Actor> {
        vec![
            actor(4, Role::SystemAdmin, Scope::Everything),
            actor(5, Role::DistrictCoordinator, Scope::District(MATENG)),
            actor(6, Role::Viewer, Scope::District(MATENG)),
        ]
    }
    fn item_target() -> Target {
        Target::opd(SULBAR, MATENG, RSUD)
    }
    fn ready() -> Facts {
        Facts {
            signing_terms_complete: true,
            evidence_count: 1,
            submitted_by: Some(UserId(3)),
            ..Facts::default()
        }
    }
    const ALL_INPUTS: &[Input] = &[
        Input::Reason,
        Input::ClosingSummary,
        Input::OutcomeNotes,
        Input::ActualOn,
        Input::NewDate,
    ];

    /// The expected outcome of each (state, action) for the role that owns the action,
    /// written out independently of the tables above.
    const EXPECTED: &[(&str, &str, &str, Option<&str>)] = &[
        // workflow, state, action, leads to (None = refused)
        ("Agreement", "DRAFT", "SIGN", Some("ACTIVE")),
        ("Agreement", "DRAFT", "CANCEL", Some("CANCELLED")),
        ("Agreement", "DRAFT", "COMPLETE", None),
        ("Agreement", "DRAFT", "TERMINATE", None),
        ("Agreement", "ACTIVE", "COMPLETE", Some("COMPLETED")),
        ("Agreement", "ACTIVE", "TERMINATE", Some("TERMINATED")),
        ("Agreement", "ACTIVE", "SIGN", None),
        ("Agreement", "ACTIVE", "CANCEL", None),
        ("Milestone", "PLANNED", "START", Some("IN_PROGRESS")),
        ("Milestone", "PLANNED", "COMPLETE", None),
        ("Milestone", "PLANNED", "CANCEL", Some("CANCELLED")),
        ("Milestone", "PLANNED", "RESCHEDULE", Some("PLANNED")),
        ("Milestone", "IN_PROGRESS", "COMPLETE", Some("DONE")),
        ("Milestone", "IN_PROGRESS", "CANCEL", Some("CANCELLED")),
        (
            "Milestone",
            "IN_PROGRESS",
            "RESCHEDULE",
            Some("IN_PROGRESS"),
        ),
        ("Milestone", "IN_PROGRESS", "START", None),
        ("ActionItem", "OPEN", "START", Some("IN_PROGRESS")),
        ("ActionItem", "OPEN", "CANCEL", Some("CANCELLED")),
        ("ActionItem", "OPEN", "SUBMIT", None),
        ("ActionItem", "IN_PROGRESS", "SUBMIT", Some("SUBMITTED")),
        ("ActionItem", "IN_PROGRESS", "CANCEL", Some("CANCELLED")),
        ("ActionItem", "SUBMITTED", "VERIFY", Some("VERIFIED")),
        ("ActionItem", "SUBMITTED", "REJECT", Some("REJECTED")),
        ("ActionItem", "SUBMITTED", "CANCEL", None),
        ("ActionItem", "REJECTED", "RESUME", Some("IN_PROGRESS")),
        ("ActionItem", "REJECTED", "SUBMIT", None),
        ("ActionItem", "OPEN", "EXTEND_DUE_DATE", Some("OPEN")),
        (
            "ActionItem",
            "IN_PROGRESS",
            "EXTEND_DUE_DATE",
            Some("IN_PROGRESS"),
        ),
        (
            "ActionItem",
            "REJECTED",
            "EXTEND_DUE_DATE",
            Some("REJECTED"),
        ),
        ("ActionItem", "SUBMITTED", "EXTEND_DUE_DATE", None),
    ];

    #[test]
    fn an_extension_moves_the_due_date_later_only() {
        let due = NaiveDate::from_ymd_opt(2021, 6, 30).unwrap();
        let facts = |new: NaiveDate| Facts {
            planned_on: Some(due),
            new_date: Some(new),
            ..Facts::default()
        };
        let inputs = &[Input::NewDate, Input::Reason];
        let later = facts(due.succ_opt().unwrap());
        assert!(
            ACTION_ITEM
                .decide(
                    ActionItemAction::ExtendDueDate,
                    &assessor(),
                    &item_target(),
                    ActionItemStatus::InProgress,
                    &later,
                    inputs
                )
                .is_ok()
        );
        for not_later in [due, due.pred_opt().unwrap()] {
            assert!(matches!(
                ACTION_ITEM.decide(
                    ActionItemAction::ExtendDueDate,
                    &assessor(),
                    &item_target(),
                    ActionItemStatus::InProgress,
                    &facts(not_later),
                    inputs
                ),
                Err(Refusal::InvalidTransition(_))
            ));
        }
        assert!(matches!(
            ACTION_ITEM.decide(
                ActionItemAction::ExtendDueDate,
                &officer(),
                &item_target(),
                ActionItemStatus::Open,
                &later,
                inputs
            ),
            Err(Refusal::Forbidden(_))
        ));
    }

    fn owner_of<S: Code, A: Code>(workflow: &Workflow<S, A>, action: A) -> Actor {
        let roles = workflow.action(action).unwrap().roles();
        if roles.contains(&Role::OpdOfficer) {
            officer()
        } else if roles.contains(&Role::OmbudsmanAssessor) {
            assessor()
        } else {
            lead()
        }
    }

    fn leads_where_the_rules_say<S: Code, A: Code>(workflow: &Workflow<S, A>) {
        for state in workflow.states {
            for action in workflow.actions {
                let who = owner_of(workflow, action.action);
                let got = workflow
                    .decide(
                        action.action,
                        &who,
                        &item_target(),
                        *state,
                        &ready(),
                        ALL_INPUTS,
                    )
                    .ok()
                    .map(|(_, to)| to.code());
                let expected = EXPECTED
                    .iter()
                    .find(|(w, s, a, _)| {
                        *w == workflow.object && *s == state.code() && *a == action.action.code()
                    })
                    .map(|(_, _, _, to)| *to)
                    .unwrap_or(None);
                assert_eq!(
                    got, expected,
                    "{} {state} {}",
                    workflow.object, action.action
                );
            }
        }
    }

    #[test]
    fn every_state_and_action_leads_where_the_rules_say() {
        leads_where_the_rules_say(&AGREEMENT);
        leads_where_the_rules_say(&MILESTONE);
        leads_where_the_rules_say(&ACTION_ITEM);
    }

    fn has_one_row_per_action<S: Code, A: Code>(workflow: &Workflow<S, A>) {
        for action in A::all() {
            assert_eq!(
                workflow
                    .actions
                    .iter()
                    .filter(|t| t.action == *action)
                    .count(),
                1,
                "{} {action}",
                workflow.object
            );
        }
        assert_eq!(workflow.states, S::all(), "{}", workflow.object);
    }

    #[test]
    fn every_action_of_each_enum_has_exactly_one_row() {
        has_one_row_per_action(&AGREEMENT);
        has_one_row_per_action(&MILESTONE);
        has_one_row_per_action(&ACTION_ITEM);
    }

    #[test]
    fn the_lead_signs_and_the_assessor_does_not() {
        let target = Target::district(SULBAR, MATENG);
        assert!(
            AGREEMENT
                .decide(
                    AgreementAction::Sign,
                    &lead(),
                    &target,
                    AgreementStatus::Draft,
                    &ready(),
                    &[]
                )
                .is_ok()
        );
        assert!(matches!(
            AGREEMENT.decide(
                AgreementAction::Sign,
                &assessor(),
                &target,
                AgreementStatus::Draft,
                &ready(),
                &[]
            ),
            Err(Refusal::Forbidden(_))
        ));
    }

    #[test]
    fn an_opd_officer_works_only_on_its_own_opds_items_and_never_verifies() {
        let dukcapil_item = Target::opd(SULBAR, MATENG, DUKCAPIL);
        assert!(matches!(
            ACTION_ITEM.decide(
                ActionItemAction::Start,
                &officer(),
                &dukcapil_item,
                ActionItemStatus::Open,
                &ready(),
                &[]
            ),
            Err(Refusal::Forbidden(_))
        ));
        assert!(matches!(
            ACTION_ITEM.decide(
                ActionItemAction::Verify,
                &officer(),
                &item_target(),
                ActionItemStatus::Submitted,
                &ready(),
                &[]
            ),
            Err(Refusal::Forbidden(_))
        ));
    }

    fn nobody_else_acts<S: Code, A: Code>(workflow: &Workflow<S, A>) {
        for who in others() {
            for action in workflow.actions {
                for state in workflow.states {
                    assert!(matches!(
                        workflow.decide(
                            action.action,
                            &who,
                            &item_target(),
                            *state,
                            &ready(),
                            ALL_INPUTS
                        ),
                        Err(Refusal::Forbidden(_))
                    ));
                }
            }
        }
    }

    #[test]
    fn coordinators_viewers_and_admins_take_no_workflow_action() {
        nobody_else_acts(&AGREEMENT);
        nobody_else_acts(&MILESTONE);
        nobody_else_acts(&ACTION_ITEM);
    }

    #[test]
    fn the_verifier_is_never_the_submitter() {
        let both = Actor {
            user_id: Some(UserId(3)),
            label: "both".into(),
            assignments: vec![
                RoleAssignment::new(Role::OmbudsmanAssessor, Scope::Office(SULBAR)).unwrap(),
            ],
        };
        let refused = ACTION_ITEM.decide(
            ActionItemAction::Verify,
            &both,
            &item_target(),
            ActionItemStatus::Submitted,
            &ready(),
            &[],
        );
        assert_eq!(
            refused.unwrap_err(),
            Refusal::InvalidTransition("the verifier cannot be the submitter".into())
        );
    }

    #[test]
    fn submit_needs_evidence_and_complete_needs_closed_milestones() {
        let no_evidence = Facts {
            evidence_count: 0,
            ..ready()
        };
        assert_eq!(
            ACTION_ITEM
                .decide(
                    ActionItemAction::Submit,
                    &officer(),
                    &item_target(),
                    ActionItemStatus::InProgress,
                    &no_evidence,
                    &[]
                )
                .unwrap_err(),
            Refusal::InvalidTransition("submit needs at least one evidence".into())
        );
        let open = Facts {
            open_milestones: 2,
            ..ready()
        };
        assert_eq!(
            AGREEMENT
                .decide(
                    AgreementAction::Complete,
                    &lead(),
                    &item_target(),
                    AgreementStatus::Active,
                    &open,
                    &[Input::ClosingSummary]
                )
                .unwrap_err(),
            Refusal::InvalidTransition("complete needs every milestone done or cancelled".into())
        );
    }

    #[test]
    fn missing_input_is_named() {
        assert_eq!(
            ACTION_ITEM
                .decide(
                    ActionItemAction::Reject,
                    &assessor(),
                    &item_target(),
                    ActionItemStatus::Submitted,
                    &ready(),
                    &[]
                )
                .unwrap_err(),
            Refusal::MissingInput("reason")
        );
        assert_eq!(
            MILESTONE
                .decide(
                    MilestoneAction::Complete,
                    &assessor(),
                    &item_target(),
                    MilestoneStatus::InProgress,
                    &ready(),
                    &[Input::OutcomeNotes]
                )
                .unwrap_err(),
            Refusal::MissingInput("actualOn")
        );
    }

    #[test]
    fn available_actions_cover_every_action_with_reasons() {
        let list = ACTION_ITEM.available(
            &officer(),
            &item_target(),
            ActionItemStatus::InProgress,
            &Facts::default(),
        );
        assert_eq!(list.len(), ACTION_ITEM.actions.len());
        let submit = list.iter().find(|a| a.action == "SUBMIT").unwrap();
        assert!(!submit.enabled);
        assert_eq!(
            submit.reason.as_deref(),
            Some("submit needs at least one evidence")
        );
        let verify = list.iter().find(|a| a.action == "VERIFY").unwrap();
        assert!(
            verify
                .reason
                .as_deref()
                .unwrap()
                .contains("OMBUDSMAN_ASSESSOR")
        );
        let start = list.iter().find(|a| a.action == "START").unwrap();
        assert!(start.reason.as_deref().unwrap().contains("IN_PROGRESS"));
    }

    #[test]
    fn the_diagram_has_every_transition() {
        for workflow in ALL {
            let diagram = workflow.mermaid();
            for action in workflow.rows() {
                for from in &action.from {
                    let to = action.to.unwrap_or(from);
                    assert!(
                        diagram.contains(&format!("{from} --> {to}: {}", action.action)),
                        "{diagram}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_submitter_and_the_verifier_are_stamped_and_a_rejection_counts() {
        let now = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap();
        let item = crate::action_item::tests::item(
            ActionItemStatus::Submitted,
            NaiveDate::from_ymd_opt(2021, 6, 30).unwrap(),
        );
        let given = Given::default();
        let verified = ActionItemAction::Verify.effect(&item, &assessor(), now, &given);
        assert_eq!(
            verified.verified,
            Some(Stamp {
                by: Some(UserId(2)),
                at: now
            })
        );
        assert_eq!(verified.submitted, None);
        let submitted = ActionItemAction::Submit.effect(&item, &officer(), now, &given);
        assert_eq!(submitted.submitted.map(|s| s.by), Some(Some(UserId(3))));
        assert!(
            ActionItemAction::Reject
                .effect(&item, &assessor(), now, &given)
                .count_rejection
        );
        assert_eq!(
            ActionItemAction::Start.effect(&item, &officer(), now, &given),
            ActionItemChange::default()
        );
    }
}
