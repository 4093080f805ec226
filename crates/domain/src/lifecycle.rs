//! The workflows of DESIGN.md §4, declared once as data: for each kind of
//! object, its states and its actions — where each action may be taken from,
//! where it leads, who may take it, what input it needs and what must hold.
//! One set of functions applies any of them; adding a state or an action is a
//! change to a table below, not to the engine or the API.
//!
//! System administrators take no workflow action: they run the system, not
//! the cooperation (separation of duties).

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::identity::{Actor, Role, UserId};
use crate::policy::{Target, covers};

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
    pub fn of_agreement(agreement: &crate::agreement::Agreement, open_milestones: u64) -> Self {
        Facts {
            signing_terms_complete: agreement.office_number.is_some()
                && agreement.district_number.is_some()
                && agreement.office_signatory.is_some()
                && agreement.district_signatory.is_some()
                && agreement.signed_on.is_some(),
            open_milestones,
            ..Facts::default()
        }
    }

    /// The facts of a milestone, with the date a reschedule would move it to.
    pub fn of_milestone(
        milestone: &crate::agreement::Milestone,
        new_date: Option<NaiveDate>,
    ) -> Self {
        Facts {
            planned_on: Some(milestone.planned_on),
            new_date,
            ..Facts::default()
        }
    }

    /// The facts of an action item: its evidence and who submitted it.
    pub fn of_action_item(item: &crate::action_item::ActionItem, evidence_count: u64) -> Self {
        Facts {
            evidence_count,
            submitted_by: item.submitted_by,
            planned_on: Some(item.due_on),
            ..Facts::default()
        }
    }
}

/// One action of a workflow.
#[derive(Debug)]
pub struct Action {
    /// SCREAMING_CASE, e.g. `SUBMIT`.
    pub code: &'static str,
    /// The event it emits, past tense, e.g. `SUBMITTED`.
    pub event: &'static str,
    pub from: &'static [&'static str],
    /// The state it leads to; `None` keeps the state (a reschedule).
    pub to: Option<&'static str>,
    pub roles: &'static [Role],
    pub inputs: &'static [Input],
    pub guards: &'static [Guard],
}

/// A kind of object's states and actions.
#[derive(Debug)]
pub struct Workflow {
    /// The object type, e.g. `ActionItem`.
    pub object: &'static str,
    /// The event prefix, e.g. `ACTION_ITEM`.
    pub event_prefix: &'static str,
    pub states: &'static [&'static str],
    pub initial: &'static str,
    pub actions: &'static [Action],
}

const LEAD: &[Role] = &[Role::OmbudsmanLead];
const OMBUDSMAN: &[Role] = &[Role::OmbudsmanLead, Role::OmbudsmanAssessor];
const ASSESSOR: &[Role] = &[Role::OmbudsmanAssessor];
const OPD: &[Role] = &[Role::OpdOfficer];

/// Agreement: DRAFT → ACTIVE → COMPLETED | TERMINATED; DRAFT → CANCELLED.
pub static AGREEMENT: Workflow = Workflow {
    object: "Agreement",
    event_prefix: "AGREEMENT",
    states: &["DRAFT", "ACTIVE", "COMPLETED", "TERMINATED", "CANCELLED"],
    initial: "DRAFT",
    actions: &[
        Action {
            code: "SIGN",
            event: "SIGNED",
            from: &["DRAFT"],
            to: Some("ACTIVE"),
            roles: LEAD,
            inputs: &[],
            guards: &[Guard::SigningTermsComplete],
        },
        Action {
            code: "COMPLETE",
            event: "COMPLETED",
            from: &["ACTIVE"],
            to: Some("COMPLETED"),
            roles: LEAD,
            inputs: &[Input::ClosingSummary],
            guards: &[Guard::MilestonesClosed],
        },
        Action {
            code: "TERMINATE",
            event: "TERMINATED",
            from: &["ACTIVE"],
            to: Some("TERMINATED"),
            roles: LEAD,
            inputs: &[Input::Reason],
            guards: &[],
        },
        Action {
            code: "CANCEL",
            event: "CANCELLED",
            from: &["DRAFT"],
            to: Some("CANCELLED"),
            roles: OMBUDSMAN,
            inputs: &[Input::Reason],
            guards: &[],
        },
    ],
};

/// Milestone: PLANNED → IN_PROGRESS → DONE; PLANNED | IN_PROGRESS → CANCELLED; reschedule keeps the state.
pub static MILESTONE: Workflow = Workflow {
    object: "Milestone",
    event_prefix: "MILESTONE",
    states: &["PLANNED", "IN_PROGRESS", "DONE", "CANCELLED"],
    initial: "PLANNED",
    actions: &[
        Action {
            code: "START",
            event: "STARTED",
            from: &["PLANNED"],
            to: Some("IN_PROGRESS"),
            roles: ASSESSOR,
            inputs: &[],
            guards: &[],
        },
        Action {
            code: "COMPLETE",
            event: "COMPLETED",
            from: &["IN_PROGRESS"],
            to: Some("DONE"),
            roles: ASSESSOR,
            inputs: &[Input::OutcomeNotes, Input::ActualOn],
            guards: &[],
        },
        Action {
            code: "CANCEL",
            event: "CANCELLED",
            from: &["PLANNED", "IN_PROGRESS"],
            to: Some("CANCELLED"),
            roles: ASSESSOR,
            inputs: &[Input::Reason],
            guards: &[],
        },
        Action {
            code: "RESCHEDULE",
            event: "RESCHEDULED",
            from: &["PLANNED", "IN_PROGRESS"],
            to: None,
            roles: ASSESSOR,
            inputs: &[Input::NewDate, Input::Reason],
            guards: &[Guard::NewDateDiffers],
        },
    ],
};

/// Action item: OPEN → IN_PROGRESS → SUBMITTED → VERIFIED, or → REJECTED → IN_PROGRESS; OPEN | IN_PROGRESS → CANCELLED.
pub static ACTION_ITEM: Workflow = Workflow {
    object: "ActionItem",
    event_prefix: "ACTION_ITEM",
    states: &[
        "OPEN",
        "IN_PROGRESS",
        "SUBMITTED",
        "VERIFIED",
        "REJECTED",
        "CANCELLED",
    ],
    initial: "OPEN",
    actions: &[
        Action {
            code: "START",
            event: "STARTED",
            from: &["OPEN"],
            to: Some("IN_PROGRESS"),
            roles: OPD,
            inputs: &[],
            guards: &[],
        },
        Action {
            code: "SUBMIT",
            event: "SUBMITTED",
            from: &["IN_PROGRESS"],
            to: Some("SUBMITTED"),
            roles: OPD,
            inputs: &[],
            guards: &[Guard::HasEvidence],
        },
        Action {
            code: "VERIFY",
            event: "VERIFIED",
            from: &["SUBMITTED"],
            to: Some("VERIFIED"),
            roles: ASSESSOR,
            inputs: &[],
            guards: &[Guard::VerifierIsNotSubmitter],
        },
        Action {
            code: "REJECT",
            event: "REJECTED",
            from: &["SUBMITTED"],
            to: Some("REJECTED"),
            roles: ASSESSOR,
            inputs: &[Input::Reason],
            guards: &[],
        },
        Action {
            code: "RESUME",
            event: "RESUMED",
            from: &["REJECTED"],
            to: Some("IN_PROGRESS"),
            roles: OPD,
            inputs: &[],
            guards: &[],
        },
        Action {
            code: "CANCEL",
            event: "CANCELLED",
            from: &["OPEN", "IN_PROGRESS"],
            to: Some("CANCELLED"),
            roles: ASSESSOR,
            inputs: &[Input::Reason],
            guards: &[],
        },
        // The Ombudsman grants more time while the item is the OPD's move; the
        // old date stays in the item's `dueDateChanges`.
        Action {
            code: "EXTEND_DUE_DATE",
            event: "DUE_DATE_EXTENDED",
            from: &["OPEN", "IN_PROGRESS", "REJECTED"],
            to: None,
            roles: ASSESSOR,
            inputs: &[Input::NewDate, Input::Reason],
            guards: &[Guard::NewDateIsLater],
        },
    ],
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
    /// Why not, for programs (clients translate it): see [`Workflow::reason_code`].
    pub reason_code: Option<&'static str>,
}

fn role_names(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(" or ")
}

impl Workflow {
    pub fn action(&self, code: &str) -> Option<&Action> {
        self.actions.iter().find(|a| a.code == code)
    }

    /// Role and scope, then state, then guards: the first that fails refuses.
    /// Input is not checked here (see [`Workflow::decide`]).
    fn check(
        &self,
        action: &Action,
        actor: &Actor,
        target: &Target,
        status: &str,
        facts: &Facts,
    ) -> Result<(), Refusal> {
        let holds_role = actor
            .assignments
            .iter()
            .any(|a| action.roles.contains(&a.role) && covers(a.scope, target));
        if !holds_role {
            return Err(Refusal::Forbidden(format!(
                "only {} (of this record's scope) may {}",
                role_names(action.roles),
                action.code.to_lowercase()
            )));
        }
        if !action.from.contains(&status) {
            return Err(Refusal::InvalidTransition(format!(
                "{} is not possible when the {} is {status} (only when {})",
                action.code.to_lowercase(),
                self.object,
                action.from.join(" or ")
            )));
        }
        for guard in action.guards {
            if !guard.holds(facts, actor) {
                return Err(Refusal::InvalidTransition(guard.reason().to_owned()));
            }
        }
        Ok(())
    }

    /// May `actor` take `code` on an object in `status` at `target`, with the
    /// inputs `present`? The action and the state it leads to, or why not.
    pub fn decide(
        &self,
        code: &str,
        actor: &Actor,
        target: &Target,
        status: &str,
        facts: &Facts,
        present: &[Input],
    ) -> Result<(&Action, &'static str), Refusal> {
        let action = self.action(code).ok_or_else(|| {
            Refusal::InvalidTransition(format!("{} has no action {code}", self.object))
        })?;
        self.check(action, actor, target, status, facts)?;
        if let Some(missing) = action.inputs.iter().find(|i| !present.contains(i)) {
            return Err(Refusal::MissingInput(missing.field()));
        }
        let to = action
            .to
            .or_else(|| self.states.iter().copied().find(|s| *s == status))
            .unwrap_or(self.initial);
        Ok((action, to))
    }

    /// Every action of the workflow, enabled or not for this viewer now, with the reason when not.
    pub fn available(
        &self,
        actor: &Actor,
        target: &Target,
        status: &str,
        facts: &Facts,
    ) -> Vec<Availability> {
        self.actions
            .iter()
            .map(
                |action| match self.check(action, actor, target, status, facts) {
                    Ok(()) => Availability {
                        action: action.code,
                        enabled: true,
                        reason: None,
                        reason_code: None,
                    },
                    Err(Refusal::Forbidden(r)) => Availability {
                        action: action.code,
                        enabled: false,
                        reason: Some(r),
                        reason_code: Some("FORBIDDEN"),
                    },
                    Err(Refusal::InvalidTransition(r)) => Availability {
                        action: action.code,
                        enabled: false,
                        reason: Some(r),
                        reason_code: Some(Self::reason_code(action, actor, status, facts)),
                    },
                    Err(Refusal::MissingInput(field)) => Availability {
                        action: action.code,
                        enabled: false,
                        reason: Some(format!("needs {field}")),
                        reason_code: Some("MISSING_INPUT"),
                    },
                },
            )
            .collect()
    }

    /// The code of a refusal after the role check: `WRONG_STATUS` when the
    /// action does not start from `status`, else the failing guard's code.
    fn reason_code(action: &Action, actor: &Actor, status: &str, facts: &Facts) -> &'static str {
        if !action.from.contains(&status) {
            return "WRONG_STATUS";
        }
        action
            .guards
            .iter()
            .find(|guard| !guard.holds(facts, actor))
            .map_or("WRONG_STATUS", |guard| guard.code())
    }

    /// The state diagram, in Mermaid, generated from the table.
    pub fn mermaid(&self) -> String {
        let mut out = String::from("stateDiagram-v2\n");
        let _ = writeln!(out, "    [*] --> {}", self.initial);
        for action in self.actions {
            for from in action.from {
                let to = action.to.unwrap_or(from);
                let _ = writeln!(out, "    {from} --> {to}: {}", action.code);
            }
        }
        out
    }
}

/// Every workflow, for documentation and tests.
pub static ALL: [&Workflow; 3] = [&AGREEMENT, &MILESTONE, &ACTION_ITEM];

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
                    "EXTEND_DUE_DATE",
                    &assessor(),
                    &item_target(),
                    "IN_PROGRESS",
                    &later,
                    inputs
                )
                .is_ok()
        );
        for not_later in [due, due.pred_opt().unwrap()] {
            assert!(matches!(
                ACTION_ITEM.decide(
                    "EXTEND_DUE_DATE",
                    &assessor(),
                    &item_target(),
                    "IN_PROGRESS",
                    &facts(not_later),
                    inputs
                ),
                Err(Refusal::InvalidTransition(_))
            ));
        }
        assert!(matches!(
            ACTION_ITEM.decide(
                "EXTEND_DUE_DATE",
                &officer(),
                &item_target(),
                "OPEN",
                &later,
                inputs
            ),
            Err(Refusal::Forbidden(_))
        ));
    }

    fn owner_of(workflow: &Workflow, code: &str) -> Actor {
        let action = workflow.action(code).unwrap();
        if action.roles.contains(&Role::OpdOfficer) {
            officer()
        } else if action.roles.contains(&Role::OmbudsmanAssessor) {
            assessor()
        } else {
            lead()
        }
    }

    #[test]
    fn every_state_and_action_leads_where_the_rules_say() {
        for workflow in ALL {
            for state in workflow.states {
                for action in workflow.actions {
                    let who = owner_of(workflow, action.code);
                    let got = workflow
                        .decide(
                            action.code,
                            &who,
                            &item_target(),
                            state,
                            &ready(),
                            ALL_INPUTS,
                        )
                        .ok()
                        .map(|(_, to)| to);
                    let expected = EXPECTED
                        .iter()
                        .find(|(w, s, a, _)| {
                            *w == workflow.object && s == state && *a == action.code
                        })
                        .map(|(_, _, _, to)| *to)
                        .unwrap_or(None);
                    assert_eq!(got, expected, "{} {state} {}", workflow.object, action.code);
                }
            }
        }
    }

    #[test]
    fn the_lead_signs_and_the_assessor_does_not() {
        let target = Target::district(SULBAR, MATENG);
        assert!(
            AGREEMENT
                .decide("SIGN", &lead(), &target, "DRAFT", &ready(), &[])
                .is_ok()
        );
        assert!(matches!(
            AGREEMENT.decide("SIGN", &assessor(), &target, "DRAFT", &ready(), &[]),
            Err(Refusal::Forbidden(_))
        ));
    }

    #[test]
    fn an_opd_officer_works_only_on_its_own_opds_items_and_never_verifies() {
        let dukcapil_item = Target::opd(SULBAR, MATENG, DUKCAPIL);
        assert!(matches!(
            ACTION_ITEM.decide("START", &officer(), &dukcapil_item, "OPEN", &ready(), &[]),
            Err(Refusal::Forbidden(_))
        ));
        assert!(matches!(
            ACTION_ITEM.decide(
                "VERIFY",
                &officer(),
                &item_target(),
                "SUBMITTED",
                &ready(),
                &[]
            ),
            Err(Refusal::Forbidden(_))
        ));
    }

    #[test]
    fn coordinators_viewers_and_admins_take_no_workflow_action() {
        for who in others() {
            for workflow in ALL {
                for action in workflow.actions {
                    for state in workflow.states {
                        assert!(matches!(
                            workflow.decide(
                                action.code,
                                &who,
                                &item_target(),
                                state,
                                &ready(),
                                ALL_INPUTS
                            ),
                            Err(Refusal::Forbidden(_))
                        ));
                    }
                }
            }
        }
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
        let refused =
            ACTION_ITEM.decide("VERIFY", &both, &item_target(), "SUBMITTED", &ready(), &[]);
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
                    "SUBMIT",
                    &officer(),
                    &item_target(),
                    "IN_PROGRESS",
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
                    "COMPLETE",
                    &lead(),
                    &item_target(),
                    "ACTIVE",
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
                    "REJECT",
                    &assessor(),
                    &item_target(),
                    "SUBMITTED",
                    &ready(),
                    &[]
                )
                .unwrap_err(),
            Refusal::MissingInput("reason")
        );
        assert_eq!(
            MILESTONE
                .decide(
                    "COMPLETE",
                    &assessor(),
                    &item_target(),
                    "IN_PROGRESS",
                    &ready(),
                    &[Input::OutcomeNotes]
                )
                .unwrap_err(),
            Refusal::MissingInput("actualOn")
        );
    }

    #[test]
    fn available_actions_cover_every_action_with_reasons() {
        let list =
            ACTION_ITEM.available(&officer(), &item_target(), "IN_PROGRESS", &Facts::default());
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
            for action in workflow.actions {
                for from in action.from {
                    let to = action.to.unwrap_or(from);
                    assert!(
                        diagram.contains(&format!("{from} --> {to}: {}", action.code)),
                        "{diagram}"
                    );
                }
            }
        }
    }
}
