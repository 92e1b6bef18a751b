//! Whole-call blocks: a call kept as text with no speakers and no headings (some collections hold each call as one
//! block, or a few paragraphs, of what was said).
//!
//! Such a call is archived as unattributed speech: one turn per paragraph as written, with no speaker (never an
//! invented one), and `v_calls.speakers_known = 0`. Its facts come from the record that carried it, the file name
//! (`--name-pattern`) or `--companies`. This layout is the last resort: it scores lowest, so any layout that finds
//! speakers reads the text instead, and it reads only text that looks like a call's speech (sentences, the words
//! calls are made of), never a table, a list or a stray file.

use std::sync::LazyLock;

use regex::Regex;

use super::document::Block;
use super::header::HeaderFacts;
use super::{Document, ParseError, SourceLayout};
use crate::model::{SectionKind, Transcript, Turn, TurnKind};

pub struct WholeCall;

/// Words every earnings call says; a whole-call block holds several of them.
static CALL_WORDS_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(call|quarter|questions?|thank|results|earnings|conference|revenue|operator|welcome|guidance|fiscal|margin)\b")
        .expect("valid regex")
});

/// `Name: ` at a sentence's start: a sign that the text had speakers that could not be told from speech.
static LABEL_LIKE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[.?!]\s*)(?:Operator|[A-Z][a-z]+ [A-Z][a-z]+):\s").expect("valid regex"));

/// The least a block must say to be a call: a short note or a stray file is not one.
const MIN_WORDS: usize = 200;

impl SourceLayout for WholeCall {
    fn name(&self) -> &'static str {
        "whole-call"
    }

    fn score(&self, doc: &Document) -> u32 {
        u32::from(looks_like_speech(doc.content()))
    }

    fn max_score(&self) -> u32 {
        1
    }

    fn parse(&self, doc: &Document) -> Result<Transcript, ParseError> {
        let content = doc.content();
        if !looks_like_speech(content) {
            return Err(ParseError::UnknownLayout(super::sniff::describe(doc)));
        }
        let resolved = HeaderFacts::default().resolve(doc).map_err(|e| match e {
            ParseError::MissingFact(why) => ParseError::MissingFact(format!(
                "the text is a whole-call block (speech with no speakers and no header): {why}"
            )),
            other => other,
        })?;
        let turns: Vec<Turn> = paragraphs(content)
            .into_iter()
            .map(|(line, text)| {
                let mut turn = Turn {
                    section: SectionKind::PreparedRemarks,
                    section_heading: String::new(),
                    participant: None,
                    speaker_line: String::new(),
                    speaker_name: String::new(),
                    title_as_written: None,
                    paragraphs: vec![text],
                    kind: TurnKind::Remarks,
                    line,
                    word_count: 0,
                };
                turn.count_words();
                turn
            })
            .collect();
        let mut transcript = resolved.into_transcript(self.name(), doc, Vec::new(), turns);
        transcript
            .warnings
            .push("no speakers: the call is kept as unattributed speech (speaker and Q&A reports leave it out)".into());
        if content.iter().any(|b| LABEL_LIKE_RE.is_match(b.text)) {
            transcript.warnings.push(
                "the text has `Name:` labels that could not be told from speech with confidence: none was taken as \
                 a speaker"
                    .into(),
            );
        }
        Ok(transcript)
    }
}

/// True when the lines read as a call's speech: enough words, mostly in sentences rather than a token a line, and
/// several of the words calls are made of.
pub fn looks_like_speech(content: &[Block]) -> bool {
    // Speaker lines, headings and header lines are short: a transcript with speakers has many of them, a block of
    // speech almost none (a title line at most). Every layout's file is asked whether it is a whole-call block, so
    // this cheapest test comes first and answers for nearly all of them.
    let short = content.iter().filter(|b| b.text.split_whitespace().nth(7).is_none()).count();
    if content.is_empty() || !(short <= 1 || short * 10 <= content.len()) {
        return false;
    }
    let words: usize = content.iter().map(|b| b.text.split_whitespace().count()).sum();
    if words < MIN_WORDS {
        return false;
    }
    let sentence_ends: usize = content.iter().map(|b| b.text.matches(['.', '?', '!']).count()).sum();
    let alphabetic =
        content.iter().flat_map(|b| b.text.split_whitespace()).filter(|w| w.chars().any(char::is_alphabetic)).count();
    let mut call_words: Vec<String> = Vec::new();
    for b in content {
        for m in CALL_WORDS_RE.find_iter(b.text) {
            let w = m.as_str().to_lowercase();
            if !call_words.contains(&w) {
                call_words.push(w);
            }
        }
    }
    let has_header = content.iter().take(10).any(|b| super::header::company_line(b.text).is_some());
    !has_header
        && words / content.len() >= 8
        && sentence_ends * 40 >= words
        && alphabetic * 10 >= words * 8
        && call_words.len() >= 3
}

/// The paragraphs as written: blocks of lines separated by blank lines (a paragraph hard-wrapped over several
/// lines is one), or every line when the text has no blank lines. Each with the line it starts on.
fn paragraphs(content: &[Block]) -> Vec<(usize, String)> {
    let separated = content.windows(2).any(|w| w[1].line > w[0].line + 1);
    if !separated {
        return content.iter().map(|b| (b.line, b.text.to_string())).collect();
    }
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut last_line = 0;
    for b in content {
        match out.last_mut() {
            Some((_, text)) if b.line == last_line + 1 => {
                text.push(' ');
                text.push_str(b.text);
            }
            _ => out.push((b.line, b.text.to_string())),
        }
        last_line = b.line;
    }
    out
}
