//! What an operator's metrics read from the engine at each scrape (issue 13,
//! item 8): the connection pool's use, how far the event relay trails the
//! outbox, and the webhook queue. Read on demand, never stored.

use pendamping_storage::{events, webhooks};
use sea_orm::DatabaseBackend;

use crate::{Engine, EngineError};

/// One reading of the engine's gauges.
#[derive(Debug, Clone, Default)]
pub struct Gauges {
    /// Connections open in the pool (busy and idle).
    pub pool_size: u32,
    /// Of those, idle.
    pub pool_idle: u32,
    /// The most the pool opens.
    pub pool_max: u32,
    /// Events committed but not yet published by this process's relay.
    pub relay_lag_events: i64,
    /// Webhook deliveries waiting to be sent.
    pub webhook_queue: u64,
}

impl Engine {
    /// The pool's use now (no statement).
    pub fn pool_gauges(&self) -> Gauges {
        let (size, idle, max) = match self.db.get_database_backend() {
            DatabaseBackend::Postgres => {
                let pool = self.db.get_postgres_connection_pool();
                (
                    pool.size(),
                    pool.num_idle(),
                    pool.options().get_max_connections(),
                )
            }
            _ => {
                let pool = self.db.get_sqlite_connection_pool();
                (
                    pool.size(),
                    pool.num_idle(),
                    pool.options().get_max_connections(),
                )
            }
        };
        Gauges {
            pool_size: size,
            pool_idle: u32::try_from(idle).unwrap_or(u32::MAX),
            pool_max: max,
            ..Gauges::default()
        }
    }

    /// Every gauge: the pool's use, then two statements (the outbox's newest
    /// id, the webhook queue's length).
    pub async fn gauges(&self) -> Result<Gauges, EngineError> {
        let newest = events::last_id(&self.db).await?;
        let webhook_queue = webhooks::pending_count(&self.db).await?;
        Ok(Gauges {
            relay_lag_events: (newest - self.events.watermark()).max(0),
            webhook_queue,
            ..self.pool_gauges()
        })
    }
}
