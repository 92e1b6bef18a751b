//! Answering questions: ad-hoc SQL, canned reports, output formats and charts, scheduled report jobs.

pub mod catalog;
pub mod chart;
pub mod format;
pub mod jobs;
pub mod query;
