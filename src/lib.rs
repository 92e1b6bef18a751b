//! calldb: earnings-call transcripts into one SQLite archive, and reports over it.
//!
//! - [`parse`] reads transcript files (one module per source layout) into the [`model`].
//! - [`archive`] stores parsed calls in a migrated SQLite archive, one whole call per transaction batch.
//! - [`report`] answers questions: ad-hoc SQL, canned reports, output formats, scheduled jobs.

pub mod analysis;
pub mod archive;
pub mod cli;
pub mod model;
pub mod parse;
pub mod report;
pub mod synth;
