//! End-to-end: the real `pendamping` binary, started on a free port with its
//! own SQLite file (or PostgreSQL database), driven over HTTP and its CLI.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod server;
mod ws;

mod accounts;
mod answers;
mod cli;
mod events;
mod evidence;
mod exchange;
mod fuzz;
mod graphiql;
mod http;
mod observe;
mod s3;
mod walkthrough;
