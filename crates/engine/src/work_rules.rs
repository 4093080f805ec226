//! Rules of mentoring work that cut across the workflows: a milestone is
//! planned within its agreement's period (as amended), never outside it.

use chrono::NaiveDate;
use pendamping_domain::agreement::Agreement;
use pendamping_domain::identity::Actor;

use crate::{Engine, EngineError};

impl Engine {
    /// The agreement's period as it stands: its start, and its end moved by
    /// the latest amendment that moved it.
    pub(crate) async fn current_period(
        &self,
        actor: &Actor,
        agreement: &Agreement,
    ) -> Result<(NaiveDate, NaiveDate), EngineError> {
        let amendments = self
            .reader(actor)
            .amendments_of_agreements(&[agreement.id])
            .await?
            .remove(&agreement.id)
            .unwrap_or_default();
        let end = amendments
            .iter()
            .rev()
            .find_map(|a| a.new_period_end)
            .unwrap_or(agreement.period_end);
        Ok((agreement.period_start, end))
    }

    /// Refuses a milestone date outside the agreement's period: a visit after
    /// the cooperation ended (or before it began) is not part of it. Decided:
    /// refuse rather than accept with a reason; amend the period first.
    pub(crate) async fn check_in_period(
        &self,
        actor: &Actor,
        agreement: &Agreement,
        field: &str,
        date: NaiveDate,
    ) -> Result<(), EngineError> {
        let (start, end) = self.current_period(actor, agreement).await?;
        if date < start || date > end {
            return Err(EngineError::invalid(
                field,
                format!(
                    "must fall within the agreement's period, {start} to {end}; amend the period first to plan outside it"
                ),
            ));
        }
        Ok(())
    }
}
