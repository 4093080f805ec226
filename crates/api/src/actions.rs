//! What the viewer may do next with an object: its workflow's actions, each
//! enabled or not with the reason. The object types and the workflow
//! mutations both use it; it depends on neither.

use async_graphql::{Context, SimpleObject};

use crate::context::actor;

/// An action of an object's workflow, and whether the viewer may take it now.
#[derive(SimpleObject, Debug, Clone)]
pub struct AvailableAction {
    /// The action, e.g. `SUBMIT`.
    pub action: String,
    /// Whether the viewer may take it now.
    pub enabled: bool,
    /// Why not, when it is disabled.
    pub reason: Option<String>,
    /// Why not, for programs (clients translate it): `FORBIDDEN` (not your
    /// role or scope), `WRONG_STATUS`, `MISSING_INPUT`, `NO_EVIDENCE`,
    /// `VERIFIER_IS_SUBMITTER`, `MILESTONES_OPEN`, `SIGNING_TERMS_INCOMPLETE`, `SAME_DATE`,
    /// `DATE_NOT_LATER`.
    pub reason_code: Option<String>,
}

/// The actions of an object's workflow for the viewer, from the workflow
/// table and facts gathered through the loaders, so a list of objects asks
/// the database once per kind of fact, not once per object.
pub async fn available<S, A>(
    ctx: &Context<'_>,
    workflow: &pendamping_domain::lifecycle::Workflow<S, A>,
    target: pendamping_domain::policy::Target,
    status: S,
    facts: &pendamping_domain::lifecycle::Facts,
) -> async_graphql::Result<Vec<AvailableAction>>
where
    S: pendamping_domain::code::Code,
    A: pendamping_domain::code::Code,
{
    let actor = actor(ctx)?;
    Ok(workflow
        .available(actor, &target, status, facts)
        .into_iter()
        .map(|a| AvailableAction {
            action: a.action.to_owned(),
            enabled: a.enabled,
            reason: a.reason,
            reason_code: a.reason_code.map(str::to_owned),
        })
        .collect())
}
