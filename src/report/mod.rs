//! Answering questions: ad-hoc SQL, canned reports, output formats and charts, scheduled report jobs, exports.

pub mod catalog;
pub mod chart;
pub mod compare;
pub mod datasette;
pub mod export;
pub mod format;
pub mod jobs;
pub mod output_file;
pub mod query;
pub mod read;
pub mod sinks;
