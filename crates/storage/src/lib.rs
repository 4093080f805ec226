//! Pendamping's storage: the sea-orm entities of every table, the connection
//! to SQLite or PostgreSQL, and the queries the engine uses.
//!
//! Invariants: entities never leave this crate (callers get domain values);
//! every read takes the caller's [`Reach`](pendamping_domain::identity::Reach)
//! and filters by it in SQL; list queries are set-based (no query per row).

mod convert;
mod db;
mod entity;
mod error;
mod group;
mod keys;
pub mod page;
mod positional;
mod reach;
mod sql;
mod statuses;
pub mod testing;

pub mod accounts;
pub mod analytics;
pub mod audit;
pub mod bulk;
pub mod changes;
pub mod credentials;
pub mod deadlines;
pub mod events;
pub mod guards;
pub mod identity;
pub mod mail;
pub mod products;
pub mod reference;
pub mod scope_changes;
pub mod scores;
pub mod webhooks;
pub mod work;

pub use db::{Db, StatementCounter, backup_sqlite, begin_write, connect, migrate, migrate_down};
pub use error::StorageError;
pub use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, TransactionTrait};
