//! calldb: earnings-call transcripts into one SQLite archive, and reports over it.
//!
//! - [`parse`] reads transcript files (one module per source layout) into the [`model`].
//! - [`analysis`] works out what a call says beyond its turns: Q&A exchanges and the figures spoken.
//! - [`archive`] stores parsed calls in a migrated SQLite archive (whole calls per transaction), resolves people
//!   across calls, and keeps the full-text index.
//! - [`report`] answers questions: ad-hoc SQL, canned reports, output formats and charts, scheduled jobs.
//! - [`check`] tells what an import would archive from a file, without an archive.
//! - [`cli`] is the `calldb` command line; [`synth`] writes synthetic transcripts for benchmarks.

pub mod analysis;
pub mod archive;
pub mod check;
pub mod cli;
pub mod crash;
pub mod model;
pub mod parse;
pub mod report;
pub mod source;
pub mod synth;
