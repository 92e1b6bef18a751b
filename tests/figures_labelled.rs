//! Figures measured against a labelled sample: 301 sentences of real speech from the development corpus with their
//! 687 figures read by hand (text, kind, value, range, subject; `tests/fixtures/figures/labelled.jsonl`), over-weighting
//! the forms that lose figures or subjects: `X% and Y%`, `from X to Y`, lists, ranges and an amount followed by its
//! change. Recall: a labelled figure is found when an extracted figure covers its text with the same value (and
//! high end). Subject: of the figures found, the share whose subject is the label's.

use calldb::analysis::metrics::{extract, MetricKind};
use serde_json::Value;

#[derive(Default)]
struct Tally {
    labelled: usize,
    found: usize,
    subject_right: usize,
    /// Subject right when the fallbacks (`growth`, `guidance`) count as no subject: is the measure named right?
    measure_right: usize,
}

/// A subject as a measure: the fallbacks (`growth`, `guidance`) name none.
fn measure(subject: Option<&str>) -> Option<&str> {
    subject.filter(|s| !matches!(*s, "growth" | "guidance"))
}

fn kind_name(kind: MetricKind) -> &'static str {
    match kind {
        MetricKind::Currency => "currency",
        MetricKind::Percent => "percent",
        MetricKind::BasisPoints => "bps",
        MetricKind::Multiple => "multiple",
        MetricKind::Count => "count",
    }
}

#[test]
fn figures_and_subjects_match_the_labelled_sample() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/figures/labelled.jsonl")).unwrap();
    let mut by_pattern: std::collections::BTreeMap<String, Tally> = Default::default();
    let mut total = Tally::default();
    let mut misses = Vec::new();
    let mut wrong_subjects = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let row: Value = serde_json::from_str(line).unwrap();
        let sentence = row["sentence"].as_str().unwrap();
        let pattern = row["pattern"].as_str().unwrap().to_string();
        let got = extract(sentence);
        let tally = by_pattern.entry(pattern).or_default();
        let mut from = 0;
        for want in row["figures"].as_array().unwrap() {
            let span = want["text"].as_str().unwrap();
            let value = want["value"].as_f64().unwrap();
            let high = want["high"].as_f64();
            // The labelled span, found in order (a figure can repeat in a sentence).
            let at = sentence[from..].find(span).map(|i| i + from).unwrap_or_else(|| panic!("{span} in {sentence}"));
            from = at + span.len();
            let (start, end) = (sentence[..at].chars().count(), sentence[..at + span.len()].chars().count());
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * a.abs().max(1.0);
            let hit = got.iter().find(|m| {
                m.start < end
                    && m.end > start
                    && close(m.value, value)
                    && match (m.value_high, high) {
                        (Some(a), Some(b)) => close(a, b),
                        (None, None) => true,
                        _ => false,
                    }
            });
            tally.labelled += 1;
            total.labelled += 1;
            let Some(m) = hit else {
                misses.push(format!("{span} ({}) in: {sentence}", want["kind"]));
                continue;
            };
            tally.found += 1;
            total.found += 1;
            let want_subject = want["subject"].as_str();
            if measure(m.subject.as_deref()) == measure(want_subject) {
                tally.measure_right += 1;
                total.measure_right += 1;
            }
            if m.subject.as_deref() == want_subject {
                tally.subject_right += 1;
                total.subject_right += 1;
            } else {
                wrong_subjects.push(format!(
                    "{span} ({}): {:?}, read {want_subject:?}, in: {sentence}",
                    kind_name(m.kind),
                    m.subject
                ));
            }
        }
    }
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    println!("figures: {} labelled", total.labelled);
    for (pattern, t) in &by_pattern {
        println!(
            "  {pattern:<14} {:>4} labelled, recall {:5.1}%, subject right {:5.1}%, measure right {:5.1}%",
            t.labelled,
            pct(t.found, t.labelled),
            pct(t.subject_right, t.found),
            pct(t.measure_right, t.found)
        );
    }
    let recall = pct(total.found, total.labelled);
    let subject = pct(total.subject_right, total.found);
    let measure = pct(total.measure_right, total.found);
    println!(
        "recall {recall:.1}% ({} of {}), subject right {subject:.1}%, measure right {measure:.1}%",
        total.found, total.labelled
    );
    for m in &misses {
        println!("missed: {m}");
    }
    for w in &wrong_subjects {
        println!("subject: {w}");
    }
    // Floors just under what the rules reach today (recall 99.7%, subject 95.3%, measure 96.2%), so a change that
    // loses figures or subjects fails here.
    assert!(total.labelled >= 300, "the sample holds {} figures", total.labelled);
    assert!(recall >= 99.5, "recall {recall:.1}%");
    assert!(subject >= 95.0, "subject right {subject:.1}%");
    assert!(measure >= 95.9, "measure right {measure:.1}%");
}
