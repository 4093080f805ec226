//! Pendamping's data sets. [`demo`] loads the small, told world of the
//! Ombudsman RI Perwakilan Sulawesi Barat (`serve --demo`, `seed demo`);
//! [`national`] generates the deterministic Indonesia-wide one for benchmarks
//! (`seed national`).
//!
//! Neither is a use case: both write straight through storage (the demo row by
//! row in one transaction, the national set through the bulk path), with the
//! engine supplying the clock, the database and the password hash.

pub mod demo;
pub mod national;
