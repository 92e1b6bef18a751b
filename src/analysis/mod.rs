//! Understanding a call beyond its raw turns: Q&A exchanges and the figures spoken.
//!
//! Computed from the parsed call in the parallel parse stage of an import (so the single writer only inserts),
//! and recomputed from stored turns when an archive's analysis is older than [`ANALYSIS_VERSION`].

pub mod exchanges;
pub mod metrics;
pub mod term_shift;

use crate::model::Transcript;

/// Version of the analysis rules; calls analysed by older rules are re-analysed when the archive is opened for
/// writing. 2: `X% and Y%` and `from X% to Y%` give two figures; a figure continuing another keeps its subject.
pub const ANALYSIS_VERSION: i64 = 2;

/// What a call says beyond its turns.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub exchanges: Vec<exchanges::Exchange>,
    /// Figures, each with the index of the turn that says it.
    pub metrics: Vec<(usize, metrics::Metric)>,
}

/// Exchanges always; figures when `figures` is set.
pub fn analyze(t: &Transcript, figures: bool) -> Analysis {
    let facts: Vec<exchanges::TurnFacts> = t
        .turns
        .iter()
        .map(|turn| exchanges::TurnFacts {
            kind: turn.kind,
            speaker: turn.participant.map_or(exchanges::NO_SPEAKER, |p| p as i64),
            words: turn.words(),
        })
        .collect();
    let metrics = if figures {
        t.turns
            .iter()
            .enumerate()
            .flat_map(|(i, turn)| metrics::extract(&turn.text()).into_iter().map(move |m| (i, m)))
            .collect()
    } else {
        Vec::new()
    };
    Analysis { exchanges: exchanges::exchanges(&facts), metrics }
}
