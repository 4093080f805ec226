//! The login throttle: a growing delay per account and per client address.
//!
//! Each key (`account:<e-mail>`, `address:<ip>`) has one lock row. An attempt
//! is admitted or refused by a compare-and-set on that row's version, so the
//! decision and the count are one atomic step on SQLite and PostgreSQL alike:
//! of any number of simultaneous attempts, at most as many are admitted as
//! the limit leaves room for. An admitted attempt counts as a failure while
//! its password is checked; a success gives it back. After `limit` failures
//! the next attempt waits `base × 2^(failures − limit)`, at most `cap`.
//! Refused attempts write nothing, so they never extend the delay: whoever
//! knows an e-mail address can slow its owner down, never lock them out.

use chrono::{DateTime, Duration, Utc};
use pendamping_storage::accounts::{self, Throttle};

use crate::{Engine, EngineError};

/// The limits of one kind of key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub limit: u64,
    pub base: Duration,
    pub cap: Duration,
    /// Failures older than this (and a delay that ended this long ago) are forgotten.
    pub window: Duration,
}

/// What an attempt may do now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Evaluate it; the key's state becomes this.
    Admit(Throttle),
    /// Refuse it until then.
    Refuse(DateTime<Utc>),
}

/// The pure rule: given a key's state, admit (and count) or refuse an attempt.
pub(crate) fn decide(state: &Throttle, limits: Limits, now: DateTime<Utc>) -> Decision {
    if let Some(until) = state.blocked_until.filter(|until| *until > now) {
        return Decision::Refuse(until);
    }
    let quiet_since = state.last_failure_at.max(state.blocked_until);
    let forgotten = quiet_since.is_none_or(|at| at + limits.window <= now);
    let failures = if forgotten { 0 } else { state.failures.max(0) } + 1;
    let blocked_until = (failures as u64 >= limits.limit).then(|| {
        let doublings = (failures as u64 - limits.limit).min(30) as u32;
        let delay = limits.base * 2_i32.saturating_pow(doublings);
        now + delay.min(limits.cap)
    });
    Decision::Admit(Throttle {
        failures,
        last_failure_at: Some(now),
        blocked_until,
        version: state.version,
    })
}

/// An admitted attempt's keys, to settle once its outcome is known.
#[derive(Debug, Default)]
pub(crate) struct Ticket {
    keys: Vec<(String, Limits)>,
}

impl Engine {
    /// Admits an attempt on every key or refuses it (retry after the seconds
    /// given). A refusal on a later key gives back what earlier keys counted.
    pub(crate) async fn admit(&self, keys: Vec<(String, Limits)>) -> Result<Ticket, EngineError> {
        let mut ticket = Ticket::default();
        for (key, limits) in keys {
            match self.admit_one(&key, limits).await {
                Ok(()) => ticket.keys.push((key, limits)),
                Err(err) => {
                    self.settle(ticket, Outcome::Refunded).await?;
                    return Err(err);
                }
            }
        }
        Ok(ticket)
    }

    async fn admit_one(&self, key: &str, limits: Limits) -> Result<(), EngineError> {
        loop {
            let now = self.now();
            let seen = accounts::throttle(&self.db, key).await?;
            match decide(&seen, limits, now) {
                Decision::Refuse(until) => {
                    let seconds = (until - now).num_seconds().max(1) as u64;
                    return Err(EngineError::Throttled {
                        retry_after_seconds: seconds,
                    });
                }
                Decision::Admit(next) => {
                    if accounts::swap_throttle(&self.db, key, &seen, &next).await? {
                        return Ok(());
                    }
                    // Someone decided first: read again and decide again.
                    tokio::task::yield_now().await;
                }
            }
        }
    }

    /// Settles an admitted attempt: a success clears the account's failures and
    /// gives back the address's; a failure stays counted.
    pub(crate) async fn settle(&self, ticket: Ticket, outcome: Outcome) -> Result<(), EngineError> {
        if outcome == Outcome::Failed {
            return Ok(());
        }
        for (key, limits) in ticket.keys {
            loop {
                let seen = accounts::throttle(&self.db, &key).await?;
                // A success clears an account's failures; an address (shared by
                // many people behind one gateway) only gets this attempt back.
                let failures = match outcome {
                    Outcome::Succeeded if !key.starts_with("address:") => 0,
                    _ => (seen.failures - 1).max(0),
                };
                let next = Throttle {
                    failures,
                    last_failure_at: seen.last_failure_at,
                    blocked_until: seen
                        .blocked_until
                        .filter(|_| failures as u64 >= limits.limit),
                    version: seen.version,
                };
                if accounts::swap_throttle(&self.db, &key, &seen, &next).await? {
                    break;
                }
                tokio::task::yield_now().await;
            }
        }
        Ok(())
    }
}

/// How an admitted attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The password (or code) was right.
    Succeeded,
    /// It was wrong: the attempt stays counted.
    Failed,
    /// It was never evaluated (another key refused it).
    Refunded,
}

impl Outcome {
    /// The outcome of a password (or code) that was checked: right or wrong.
    pub(crate) fn of_check(right: bool) -> Self {
        if right {
            Outcome::Succeeded
        } else {
            Outcome::Failed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn limits() -> Limits {
        Limits {
            limit: 3,
            base: Duration::seconds(60),
            cap: Duration::minutes(15),
            window: Duration::minutes(15),
        }
    }

    fn empty() -> Throttle {
        Throttle {
            failures: 0,
            last_failure_at: None,
            blocked_until: None,
            version: 0,
        }
    }

    fn admitted(d: Decision) -> Throttle {
        match d {
            Decision::Admit(t) => t,
            Decision::Refuse(at) => panic!("refused until {at}"),
        }
    }

    #[test]
    fn the_delay_doubles_after_the_limit_and_stops_at_the_cap() {
        let t0 = Utc.with_ymd_and_hms(2026, 11, 30, 0, 0, 0).unwrap();
        let mut state = empty();
        let mut now = t0;
        let mut delays = Vec::new();
        for _ in 0..8 {
            state = admitted(decide(&state, limits(), now));
            let delay = state.blocked_until.map(|u| (u - now).num_seconds());
            delays.push(delay);
            if let Some(until) = state.blocked_until {
                // Refused just before the delay ends; refusals change nothing.
                assert_eq!(
                    decide(&state, limits(), until - Duration::seconds(1)),
                    Decision::Refuse(until)
                );
                now = until;
            }
        }
        assert_eq!(
            delays,
            vec![
                None,
                None,
                Some(60),
                Some(120),
                Some(240),
                Some(480),
                Some(900),
                Some(900)
            ]
        );
    }

    #[test]
    fn failures_are_forgotten_after_a_quiet_window() {
        let t0 = Utc.with_ymd_and_hms(2026, 11, 30, 0, 0, 0).unwrap();
        let mut state = empty();
        for _ in 0..3 {
            state = admitted(decide(&state, limits(), t0));
        }
        let until = state.blocked_until.unwrap();
        let later = until + Duration::minutes(15);
        let next = admitted(decide(&state, limits(), later));
        assert_eq!(next.failures, 1);
        assert_eq!(next.blocked_until, None);
    }
}
