//! `docs/workflows.md` is generated from the workflow tables; this test keeps
//! it true (rewrites it locally, fails in CI when it drifts).

use pendamping_domain::lifecycle::ALL;

fn generated() -> String {
    let mut doc = String::from(
        "# Workflows\n\n\
         Generated from `crates/domain/src/lifecycle.rs` by `crates/api/tests/workflows_doc.rs`;\n\
         do not edit by hand. Each action lists who may take it (within the object's scope),\n\
         what it needs, and what must hold. Every action takes the object's `version`; a stale\n\
         one is refused with `CONFLICT`. System administrators take no workflow action.\n\n\
         Rules beside the tables (decided in issue 14):\n\n\
         - A milestone is planned (`addMilestone`) and rescheduled (`RESCHEDULE`) only within\n  \
         its agreement's period, its end moved by the latest amendment that moved it. A date\n  \
         outside it is refused with `BAD_USER_INPUT` on `plannedOn` / `newDate`; there is no\n  \
         override with a reason: amend the period first (`recordAmendment`).\n\
         - A draft's period is not shortened past a planned milestone (`BAD_USER_INPUT` on\n  \
         `periodStart` / `periodEnd`).\n\
         - `EXTEND_DUE_DATE` moves an action item's due date later, with a reason; the old\n  \
         date is kept in `dueDateChanges` (with `slipDays`), like a milestone's reschedules.\n\
         - Overdue is about whose move it is: an action item is late against its OPD only while\n  \
         OPEN, IN_PROGRESS or REJECTED. While SUBMITTED it waits on the office\n  \
         (`awaitingVerificationDays`), and the sweeper reminds the office, not the Sekda\n  \
         (see [events.md](events.md#deadlines-reminders-and-escalation)).\n",
    );
    for workflow in ALL {
        doc.push_str(&format!(
            "\n## {}\n\n```mermaid\n{}```\n\n",
            workflow.object(),
            workflow.mermaid()
        ));
        doc.push_str("| action | from | to | who | needs | must hold | event |\n|---|---|---|---|---|---|---|\n");
        for action in workflow.rows() {
            let roles: Vec<&str> = action.roles.iter().map(|r| r.as_str()).collect();
            let inputs: Vec<&str> = action.inputs.iter().map(|i| i.field()).collect();
            let guards: Vec<&str> = action.guards.iter().map(|g| g.reason()).collect();
            doc.push_str(&format!(
                "| `{}` | {} | {} | {} | {} | {} | `{}` |\n",
                action.action,
                action.from.join(", "),
                action.to.unwrap_or("(same)"),
                roles.join(", "),
                if inputs.is_empty() {
                    "—".to_owned()
                } else {
                    inputs.join(", ")
                },
                if guards.is_empty() {
                    "—".to_owned()
                } else {
                    guards.join("; ")
                },
                action.event,
            ));
        }
    }
    doc
}

#[test]
fn docs_workflows_md_matches_the_tables() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/workflows.md");
    let expected = generated();
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if committed != expected {
        if std::env::var_os("CI").is_none() {
            std::fs::write(path, &expected).expect("rewrite docs/workflows.md");
        }
        panic!("docs/workflows.md differs from the workflow tables; rewritten locally, commit it");
    }
}
