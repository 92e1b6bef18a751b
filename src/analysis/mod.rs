//! Understanding a call beyond its raw turns: Q&A exchanges, the figures spoken, and the guidance management gives.
//!
//! Computed from the parsed call in the parallel parse stage of an import (so the single writer only inserts),
//! and recomputed from stored turns when an archive's analysis is older than [`ANALYSIS_VERSION`].

pub mod exchanges;
pub mod guidance;
pub mod metrics;
pub mod term_shift;

use crate::model::Transcript;

/// Version of the analysis rules; calls analysed by older rules are re-analysed when the archive is opened for
/// writing. 2: `X% and Y%` and `from X% to Y%` give two figures; a figure continuing another keeps its subject.
/// 3: guidance; figures' subjects read from the figure's own clause first, `growth` only for the size of a change.
/// 4: figures' subjects from items said alike, compared pairs and sums; guidance from the clause's grammar (old
/// values, comparisons with earlier guidance and recalled expectations left out).
/// 5: ranges said without the high end's unit or as a spoken pair are one figure; targets without a period, results
/// stated before a target, and periods of spans ("over the second half"), deadlines ("by year end") and withdrawals.
pub const ANALYSIS_VERSION: i64 = 5;

/// What a call says beyond its turns.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub exchanges: Vec<exchanges::Exchange>,
    /// Figures, each with the index of the turn that says it.
    pub metrics: Vec<(usize, metrics::Metric)>,
    /// Guidance, each with the index of the turn that gives it.
    pub guidance: Vec<(usize, guidance::Guidance)>,
}

/// Whether a speaker of this role can give guidance: management, or a speaker the source does not name a role for
/// (whole-call blocks, `Name: speech` text without lists). Never an analyst or the operator.
pub fn may_guide(role: &str) -> bool {
    matches!(role, "executive" | "unknown")
}

/// The guidance in a call's turns, given each turn's text and its speaker's role, and the call's figures (in turn
/// order, each with its turn's index) so their patterns are not run again.
pub fn guidance_of<'a>(
    turns: impl Iterator<Item = (&'a str, &'a str)>,
    figures: &[(usize, metrics::Metric)],
    call: guidance::CallPeriod,
) -> Vec<(usize, guidance::Guidance)> {
    let mut out = Vec::new();
    for (i, (text, role)) in turns.enumerate() {
        if !may_guide(role) {
            continue;
        }
        let (from, to) = (figures.partition_point(|f| f.0 < i), figures.partition_point(|f| f.0 <= i));
        let own: Vec<metrics::Metric> = figures[from..to].iter().map(|f| f.1.clone()).collect();
        out.extend(guidance::extract_with(text, call, &own).into_iter().map(|g| (i, g)));
    }
    out
}

/// Compiles the figure and guidance patterns now rather than at first use: an import calls this on a spare thread
/// when its first file needs parsing, so neither parser nor writer waits for them.
pub fn compile_patterns() {
    metrics::compile_patterns();
    guidance::compile_patterns();
}

/// Where a guided figure's sentence is in its turn's `text`, in characters: the archive keeps these offsets rather
/// than a copy of the sentence (`v_guidance` reads it back with substr).
///
/// The sentence is a slice of the turn's text, so it is found there: at or after the earliest place a sentence
/// holding the figure can start, else anywhere (a sentence said twice in a turn is the same text wherever it is
/// found). Should the guidance rules ever hand back a sentence the text does not hold verbatim, the offsets are
/// those of the sentence of the text that holds the figure, as [`guidance::sentences`] divides it.
pub fn sentence_span(text: &str, g: &guidance::Guidance) -> std::ops::Range<usize> {
    let chars = g.sentence.chars().count();
    let earliest = byte_at(text, g.end.saturating_sub(chars));
    let found = text[earliest..].find(&g.sentence).map(|b| earliest + b).or_else(|| text.find(&g.sentence));
    if let Some(at) = found {
        let start = text[..at].chars().count();
        return start..start + chars;
    }
    let figure = byte_at(text, g.start);
    let sentences = guidance::sentences(text);
    let holding = sentences.iter().find(|s| s.start <= figure && figure < s.end).or(sentences.last());
    match holding {
        Some(s) => {
            let start = text[..s.start].chars().count();
            start..start + text[s.clone()].chars().count()
        }
        None => g.start..g.end,
    }
}

/// The byte offset of character `chars` of `text` (its length past the end).
fn byte_at(text: &str, chars: usize) -> usize {
    text.char_indices().nth(chars).map_or(text.len(), |(b, _)| b)
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
    let (metrics, guidance) = if figures {
        let texts: Vec<String> = t.turns.iter().map(|turn| turn.text()).collect();
        let metrics: Vec<(usize, metrics::Metric)> = texts
            .iter()
            .enumerate()
            .flat_map(|(i, text)| metrics::extract(text).into_iter().map(move |m| (i, m)))
            .collect();
        let role = |turn: &crate::model::Turn| turn.participant.map_or("unknown", |p| t.participants[p].role.as_str());
        let call = guidance::CallPeriod { fiscal_year: t.fiscal_year as i64, fiscal_quarter: t.fiscal_quarter as i64 };
        let guidance = guidance_of(texts.iter().map(String::as_str).zip(t.turns.iter().map(role)), &metrics, call);
        (metrics, guidance)
    } else {
        (Vec::new(), Vec::new())
    };
    Analysis { exchanges: exchanges::exchanges(&facts), metrics, guidance }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guided(text: &str, figure: &str, sentence: &str, nth: usize) -> guidance::Guidance {
        let at = text.match_indices(figure).nth(nth).unwrap().0;
        let start = text[..at].chars().count();
        guidance::Guidance {
            metric: Some("revenue".into()),
            measure: "level",
            period: None,
            low: None,
            high: None,
            unit: None,
            stance: guidance::Stance::Stated,
            basis: None,
            text: figure.into(),
            start,
            end: start + figure.chars().count(),
            sentence: sentence.into(),
        }
    }

    fn said(text: &str, span: std::ops::Range<usize>) -> String {
        text.chars().skip(span.start).take(span.len()).collect()
    }

    #[test]
    fn a_sentence_is_found_in_characters_where_its_figure_is() {
        let text = "It’s been strong — up 14%. We expect €50 million. Demand is firm. We expect €50 million.";
        let sentence = "We expect €50 million.";
        let first = sentence_span(text, &guided(text, "€50 million", sentence, 0));
        let second = sentence_span(text, &guided(text, "€50 million", sentence, 1));
        assert_eq!(said(text, first.clone()), sentence);
        assert_eq!(said(text, second.clone()), sentence);
        assert!(first.end <= second.start, "each saying is found where its figure is: {first:?} {second:?}");
        let g = guided(text, "€50 million", sentence, 1);
        assert!(second.start <= g.start && g.end <= second.end);
    }

    #[test]
    fn a_sentence_the_text_does_not_hold_is_the_text_s_sentence_around_the_figure() {
        let text = "Revenue was fine. We expect  revenue of $5 million. Thanks.";
        let g = guided(text, "$5 million", "We expect revenue of $5 million.", 0);
        assert_eq!(said(text, sentence_span(text, &g)), "We expect  revenue of $5 million.");
    }
}
