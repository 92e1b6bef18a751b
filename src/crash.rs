//! Named points where a test can have calldb die as `kill -9` would, to prove that every step of a multi-step
//! write (an export, a job's run) leaves something the next run can finish.
//!
//! `CALLDB_CRASH_AT=export-recorded calldb export …` aborts the process at that point: no destructor runs, no file
//! is closed cleanly, nothing is cleaned up — exactly what a kill leaves. Unset (always, outside tests), a point costs
//! one environment lookup.

/// Dies here when `CALLDB_CRASH_AT` names this point.
pub fn point(name: &str) {
    if std::env::var_os("CALLDB_CRASH_AT").is_some_and(|at| at == name) {
        std::process::abort();
    }
}
