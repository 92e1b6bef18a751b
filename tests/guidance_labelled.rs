//! Guidance measured against a labelled sample: 492 sentences of real calls (`tests/fixtures/guidance/labelled.jsonl`,
//! read by hand: 263 with 348 guided figures from 58 companies, 229 that look like guidance and are not), each
//! statement with its metric, period, values and stance. See `tests/fixtures/guidance/README.md`.
//!
//! Each sentence is read as the archive reads it: only executives' sentences are searched, and when the development
//! corpus is at hand (`../shared/corpus`) the sentence is read within its turn (the file parsed as on import), so a
//! period named by an earlier sentence carries over as it does in the archive; without it, the sentence alone.
//!
//! A labelled statement is found when an extracted one covers its figure with the same values (a single figure: low
//! = high = the figure; an open end: the end given). Precision: extracted statements that are labelled ones.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use calldb::analysis::guidance::{extract, CallPeriod, Guidance};
use serde_json::Value;

fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    dir.is_dir().then_some(dir)
}

/// The turn that holds the sentence, as the archive stores it (the file parsed by calldb, paragraphs joined), from its
/// start to the sentence's end: a period named earlier in the turn carries over as it does on import. Each file is
/// parsed once; a file that does not parse falls back to the line that holds the sentence.
fn turn_text(corpus: &Path, file: &str, sentence: &str, parsed: &mut HashMap<String, Vec<String>>) -> Option<String> {
    let path = ["dev", "layouts"].iter().map(|d| corpus.join(d).join(file)).find(|p| p.is_file())?;
    let turns = parsed.entry(file.to_string()).or_insert_with(|| {
        let bytes = std::fs::read(&path).unwrap_or_default();
        match calldb::parse::parse_bytes(&bytes) {
            Ok(t) => t.turns.iter().map(|turn| turn.text()).collect(),
            Err(_) => String::from_utf8_lossy(&bytes).lines().map(str::to_string).collect(),
        }
    });
    let text = turns.iter().find(|t| t.contains(sentence))?;
    let end = text.find(sentence)? + sentence.len();
    Some(text[..end].to_string())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(1.0)
}

/// Does an extracted statement say the labelled one's figure?
fn same(g: &Guidance, want: &Value, sentence: &str, in_text: &str) -> bool {
    let span = want["text"].as_str().unwrap_or("");
    if span.is_empty() || want["unit"].is_null() {
        return g.low.is_none() && want["stance"] == "withdraw" && g.sentence == sentence;
    }
    let Some(at) = in_text.rfind(sentence).and_then(|s| sentence.find(span).map(|i| s + i)) else { return false };
    let (start, end) = (in_text[..at].chars().count(), in_text[..at + span.len()].chars().count());
    if !(g.start < end && g.end > start) {
        return false;
    }
    let (low, high, point) = (want["low"].as_f64(), want["high"].as_f64(), want["point"].as_f64());
    let agrees = |got: Option<f64>, want: Option<f64>| want.is_none_or(|w| got.is_some_and(|g| close(g, w)));
    match point {
        Some(p) => agrees(g.low, Some(p)) && agrees(g.high, Some(p)),
        None => agrees(g.low, low) && agrees(g.high, high),
    }
}

#[derive(Default)]
struct Tally {
    labelled: usize,
    found: usize,
    extracted: usize,
    right: usize,
    period_right: usize,
    stance_right: usize,
}

/// Precision, recall and period right (%), printing the tallies and, when `verbose`, every miss.
fn measure(corpus: Option<PathBuf>, verbose: bool) -> (f64, f64, f64) {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/guidance/labelled.jsonl"))
        .unwrap();
    println!("reading each sentence {}", if corpus.is_some() { "in its turn (../shared/corpus)" } else { "alone" });
    let mut total = Tally::default();
    let mut by_stance: BTreeMap<String, Tally> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut false_hits = Vec::new();
    let mut wrong_periods = Vec::new();
    let mut wrong_stances = Vec::new();
    // (file, metric, period) → midpoint, labelled and extracted, for the change between consecutive calls.
    let mut midpoints: BTreeMap<(String, String, String), (f64, Option<f64>)> = BTreeMap::new();
    let mut rows = 0;
    let mut parsed = HashMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        rows += 1;
        let row: Value = serde_json::from_str(line).unwrap();
        let sentence = row["sentence"].as_str().unwrap();
        let file = row["file"].as_str().unwrap();
        let call = CallPeriod {
            fiscal_year: row["call_fiscal_year"].as_i64().unwrap(),
            fiscal_quarter: row["call_fiscal_quarter"].as_i64().unwrap(),
        };
        let in_text = corpus
            .as_deref()
            .and_then(|c| turn_text(c, file, sentence, &mut parsed))
            .unwrap_or_else(|| sentence.to_string());
        let got: Vec<Guidance> = if row["role"] == "executive" {
            let sentence_start = in_text.rfind(sentence).unwrap_or(0);
            let from = in_text[..sentence_start].chars().count();
            extract(&in_text, call).into_iter().filter(|g| g.start >= from && g.sentence == sentence).collect()
        } else {
            Vec::new()
        };
        let wants: Vec<Value> = row["statements"].as_array().cloned().unwrap_or_default();
        total.extracted += got.len();
        for g in &got {
            if wants.iter().any(|w| same(g, w, sentence, &in_text)) {
                total.right += 1;
            } else {
                false_hits.push(format!("{} {:?} {:?}-{:?} in: {sentence}", g.text, g.metric, g.low, g.high));
            }
        }
        for w in &wants {
            let stance = w["stance"].as_str().unwrap().to_string();
            let t = by_stance.entry(stance.clone()).or_default();
            t.labelled += 1;
            total.labelled += 1;
            let Some(g) = got.iter().find(|g| same(g, w, sentence, &in_text)) else {
                misses.push(format!("{} [{stance}] in: {sentence}", w["text"]));
                continue;
            };
            t.found += 1;
            total.found += 1;
            let want_period = w["period"].as_str();
            if g.period.map(|p| p.label()).as_deref() == want_period {
                total.period_right += 1;
            } else {
                wrong_periods.push(format!("{:?} read {want_period:?}: {sentence}", g.period.map(|p| p.label())));
            }
            if g.stance.as_str() == stance {
                total.stance_right += 1;
                t.stance_right += 1;
            } else {
                wrong_stances.push(format!("{} read {stance}: {sentence}", g.stance.as_str()));
            }
            if let (Some(metric), Some(period)) = (w["metric"].as_str(), want_period) {
                let mid = |lo: Option<f64>, hi: Option<f64>| match (lo, hi) {
                    (Some(a), Some(b)) => Some((a + b) / 2.0),
                    (a, b) => a.or(b),
                };
                let want_mid = w["point"].as_f64().or_else(|| mid(w["low"].as_f64(), w["high"].as_f64()));
                if let Some(want_mid) = want_mid {
                    let key = (file.to_string(), format!("{metric}/{}", w["measure"]), period.to_string());
                    midpoints.entry(key).or_insert((want_mid, mid(g.low, g.high)));
                }
            }
        }
    }
    // Change direction: the same metric and period on two calls of one company (files named TICKER_… with a
    // later period), labelled midpoints against extracted ones.
    let mut pairs = 0;
    let mut directions_right = 0;
    let ticker = |f: &str| f.rsplit('/').next().unwrap_or(f).split('_').next().unwrap_or("").to_string();
    for ((file_a, metric_a, period_a), (want_a, got_a)) in &midpoints {
        for ((file_b, metric_b, period_b), (want_b, got_b)) in &midpoints {
            if file_a < file_b && ticker(file_a) == ticker(file_b) && metric_a == metric_b && period_a == period_b {
                pairs += 1;
                let dir = |a: f64, b: f64| {
                    if close(a, b) {
                        0
                    } else if b > a {
                        1
                    } else {
                        -1
                    }
                };
                if let (Some(a), Some(b)) = (got_a, got_b) {
                    if dir(*a, *b) == dir(*want_a, *want_b) {
                        directions_right += 1;
                    }
                }
            }
        }
    }
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    let precision = pct(total.right, total.extracted);
    let recall = pct(total.found, total.labelled);
    let period = pct(total.period_right, total.found);
    let stance = pct(total.stance_right, total.found);
    println!("{rows} sentences, {} labelled statements", total.labelled);
    for (s, t) in &by_stance {
        println!(
            "  {s:<9} {:>4} labelled, recall {:5.1}%, stance right {:5.1}%",
            t.labelled,
            pct(t.found, t.labelled),
            pct(t.stance_right, t.found)
        );
    }
    println!(
        "precision {precision:.1}% ({} of {} extracted), recall {recall:.1}% ({} of {}), period right {period:.1}%, \
         stance right {stance:.1}%, change direction right {directions_right} of {pairs} pairs",
        total.right, total.extracted, total.found, total.labelled
    );
    if verbose {
        for m in &misses {
            println!("missed: {m}");
        }
        for f in &false_hits {
            println!("not guidance: {f}");
        }
        for w in &wrong_periods {
            println!("period: {w}");
        }
        for w in &wrong_stances {
            println!("stance: {w}");
        }
    }
    assert!(total.labelled >= 300 && rows >= 450, "the sample holds {} statements in {rows} sentences", total.labelled);
    (precision, recall, period)
}

/// Floors at what the rules reach today, so a change that loses ground fails here. The targets are precision 95%,
/// recall 90%, period 95% and change direction 97%.
#[test]
fn guidance_matches_the_labelled_sample() {
    // Each sentence alone: runs everywhere.
    let (precision, recall, period) = measure(None, corpus().is_none());
    assert!(precision >= 95.5, "precision {precision:.1}%");
    assert!(recall >= 92.5, "recall {recall:.1}%");
    assert!(period >= 92.0, "period right {period:.1}%");
    // Within its turn, as the archive reads it.
    match corpus() {
        Some(dir) => {
            let (precision, recall, period) = measure(Some(dir), true);
            assert!(precision >= 95.5, "precision {precision:.1}%");
            assert!(recall >= 92.5, "recall {recall:.1}%");
            assert!(period >= 95.0, "period right {period:.1}%");
        }
        None => common::skipped("reading sentences in their turns needs ../shared/corpus"),
    }
}
