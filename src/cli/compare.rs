//! `calldb compare CALL [--with CALL]`: what changed between a call and the company's previous one.

use std::path::Path;
use std::process::ExitCode;

use super::{output, OutputArgs};
use crate::archive::Archive;
use crate::report::compare;
use crate::report::format::{RenderOptions, TurnLookup};
use crate::report::read;

#[derive(clap::Args)]
pub struct CompareArgs {
    /// The call: its id (from `calldb calls`) or TICKER:YYYYQn, e.g. LPSN:2021Q2
    #[arg(value_name = "CALL")]
    call: String,
    /// The call to compare with (default: the company's previous call)
    #[arg(long = "with", value_name = "CALL")]
    with: Option<String>,
    #[command(flatten)]
    out: OutputArgs,
}

pub fn run(db: &Path, args: CompareArgs) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_read_only(db)?;
    let id = read::resolve_call(&archive.conn, &args.call)?;
    let other = match &args.with {
        Some(spec) => read::resolve_call(&archive.conn, spec)?,
        None => compare::previous_call(&archive.conn, id)?,
    };
    let comparison = compare::compare(&archive.conn, other, id)?;
    let title = format!("{} against {}", comparison.later.label, comparison.earlier.label);
    let chart = compare::Comparison::chart();
    let description = "What changed: guidance (computed from the numbers, beside what was said), figures on the same \
                       subject, the terms used more or less (weighted log-odds with an informative Dirichlet prior, \
                       against the company's earlier calls; score is z), analysts who joined or did not ask, and \
                       talk time by role.";
    let lookup = |turn| read::cited_turn(&archive.conn, turn).ok().flatten();
    output::emit(
        &comparison.rows,
        &args.out,
        RenderOptions {
            title: Some(&title),
            description: Some(description),
            chart: Some(&chart),
            turns: Some(TurnLookup(&lookup)),
            ..Default::default()
        },
    )?;
    Ok(ExitCode::SUCCESS)
}
