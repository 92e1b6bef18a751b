//! Which terms a company said more, or less, on one call than on another: the weighted log-odds ratio with an
//! informative Dirichlet prior of Monroe, Colaresi & Quinn (2008), "Fightin' Words", section 3.5 (eq. 16–22).
//!
//! # Why this statistic
//! Raw differences of frequencies are led by the commonest words, and plain log-odds ratios by words said once. The
//! model-based log-odds ratio shrinks every term towards what the company usually says (the prior) and divides by
//! its own uncertainty, so a term ranks high only when the shift is both large and well attested.
//!
//! For a term `w` said `y_a` and `y_b` times in texts of `n_a` and `n_b` terms, with prior pseudo-counts
//! `α_w = α0 · π_w` (`π_w` its prior frequency, `α0` the prior's total weight):
//!
//! ```text
//! δ_w = log((y_b + α_w) / (n_b + α0 − y_b − α_w)) − log((y_a + α_w) / (n_a + α0 − y_a − α_w))
//! σ²(δ_w) ≈ 1/(y_a + α_w) + 1/(y_b + α_w)          z_w = δ_w / σ(δ_w)
//! ```
//!
//! The paper writes `δ` as `a` over `b`; here it is `b` over `a`, so a positive `z` means "said more in `b`".
//!
//! # The prior
//! - **Frequencies `π_w`**: the company's earlier calls (the `background`), plus the two compared texts themselves,
//!   plus a uniform [`UNIFORM_PRIOR`] pseudo-count for every term of the two texts, all normalised to sum to one. The
//!   paper's prior is likewise the whole corpus, compared groups included. Adding the two texts keeps the prior of a
//!   term new to the company from being ~0: with `α_w → 0` a term said only in `b` gets `σ² ≈ 1/α_w`, so its `z`
//!   would vanish however often `b` says it. A long history dilutes the two texts' share; an empty or tiny
//!   background falls back, smoothly, to the pooled counts of the two texts plus the uniform pseudo-count.
//! - **Weight `α0`**: the mean size of the two texts, `(n_a + n_b) / 2`, i.e. the prior counts as much as one more
//!   call. `α_w` is then about the number of times the company's usual language says `w` in one call. A fixed `α0`
//!   (say 1,000) would shrink a 10,000-word call much less than a 1,000-word one; the paper leaves `α0` to the
//!   analyst, as the amount of shrinkage wanted. One call's worth keeps terms said once or twice near `z = 0` while
//!   leaving a term said 20 times against 2 clearly significant.
//!
//! # Terms
//! [`count_terms`] counts unigrams, bigrams and trigrams in one pass over the characters. `n_a` and `n_b` are the
//! totals of all three (the model treats each n-gram as one draw; overlapping n-grams make `z` somewhat optimistic,
//! which matters for thresholds, not for ranking). A text's word count is kept under the reserved key [`WORDS`] for
//! the per-10,000-word rates.

use std::collections::HashMap;

/// Term counts of a text: unigrams, bigrams and trigrams.
///
/// Words of an n-gram are joined by one space. The empty key [`WORDS`] holds the text's number of words (see
/// [`count_terms`]); it is never a term. Counts of several calls add up key by key (a background is such a sum).
pub type Counts = HashMap<String, u32>;

/// Key of [`Counts`] under which [`count_terms`] keeps the number of words read (stop words and numbers
/// included), for [`TermShift::per_10k_a`]. Never a term; [`shifts`] ignores it as one.
pub const WORDS: &str = "";

/// Uniform pseudo-count added to the prior count of every term of the two compared texts, so a term has a positive
/// prior even when the background never says it (see the module documentation).
pub const UNIFORM_PRIOR: f64 = 0.5;

/// A sub-term is kept beside a longer term containing it only when its own `|z|` is this many times the longer
/// term's: otherwise its shift is the longer term's ("supply chain" rising because "supply chain disruption" is new).
pub const SUBTERM_MARGIN: f64 = 1.5;

/// Words that are never a unigram and never start or end an n-gram (they may sit inside a trigram: "cost of goods").
///
/// Sorted by bytes (looked up by binary search). Function words, pronouns and auxiliaries (contractions included:
/// "we're", "don't"; a possessive "'s" is stripped before the lookup, so "it's" and "let's" are "it" and "let"), the
/// conversational filler of calls ("think", "know", "yeah", "okay", "thanks", "kind", "sort", "like", "color" as in
/// "give us some color", "terms" as in "in terms of"), the words every call says about itself ("quarter",
/// "question", "call", "year"), and the words that follow a figure ("percent", "million", "billion"). A word of one
/// letter is a stop word too. Numbers are handled apart (see [`count_terms`]).
pub const STOP_WORDS: &[&str] = &[
    "a",
    "a.m",
    "about",
    "above",
    "absolutely",
    "actually",
    "after",
    "again",
    "against",
    "ago",
    "ahead",
    "all",
    "almost",
    "along",
    "already",
    "also",
    "although",
    "always",
    "am",
    "among",
    "an",
    "and",
    "another",
    "any",
    "anybody",
    "anyone",
    "anything",
    "anyway",
    "appreciate",
    "are",
    "aren't",
    "around",
    "as",
    "ask",
    "asked",
    "asking",
    "at",
    "back",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "billion",
    "bit",
    "both",
    "but",
    "by",
    "call",
    "calls",
    "can",
    "can't",
    "cannot",
    "certainly",
    "clearly",
    "color",
    "come",
    "comes",
    "coming",
    "congrats",
    "congratulations",
    "could",
    "couldn't",
    "course",
    "did",
    "didn't",
    "do",
    "does",
    "doesn't",
    "doing",
    "don't",
    "done",
    "down",
    "during",
    "e.g",
    "each",
    "either",
    "else",
    "especially",
    "etc",
    "even",
    "ever",
    "every",
    "everybody",
    "everyone",
    "everything",
    "fairly",
    "far",
    "few",
    "folks",
    "for",
    "from",
    "further",
    "get",
    "gets",
    "getting",
    "give",
    "given",
    "go",
    "goes",
    "going",
    "gonna",
    "good",
    "got",
    "gotten",
    "great",
    "guess",
    "guys",
    "had",
    "hadn't",
    "has",
    "hasn't",
    "have",
    "haven't",
    "having",
    "he",
    "he'd",
    "he'll",
    "hello",
    "her",
    "here",
    "hers",
    "herself",
    "hey",
    "hi",
    "him",
    "himself",
    "his",
    "hopefully",
    "how",
    "however",
    "hundred",
    "i",
    "i'd",
    "i'll",
    "i'm",
    "i've",
    "i.e",
    "if",
    "in",
    "indeed",
    "into",
    "is",
    "isn't",
    "it",
    "it'll",
    "its",
    "itself",
    "just",
    "kind",
    "know",
    "knows",
    "last",
    "let",
    "like",
    "likely",
    "little",
    "lot",
    "lots",
    "made",
    "make",
    "makes",
    "making",
    "many",
    "may",
    "maybe",
    "me",
    "mean",
    "might",
    "million",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "need",
    "no",
    "nor",
    "not",
    "now",
    "obviously",
    "of",
    "off",
    "ok",
    "okay",
    "on",
    "once",
    "one",
    "ones",
    "only",
    "or",
    "other",
    "others",
    "otherwise",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "p.m",
    "particularly",
    "percent",
    "perhaps",
    "please",
    "pretty",
    "probably",
    "put",
    "quarter",
    "quarters",
    "question",
    "questions",
    "quite",
    "rather",
    "really",
    "right",
    "said",
    "same",
    "say",
    "saying",
    "says",
    "see",
    "seeing",
    "seen",
    "sense",
    "shall",
    "she",
    "should",
    "shouldn't",
    "so",
    "some",
    "somebody",
    "something",
    "somewhat",
    "sort",
    "still",
    "such",
    "sure",
    "take",
    "taking",
    "talk",
    "talked",
    "talking",
    "terms",
    "than",
    "thank",
    "thanks",
    "that",
    "that'll",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "they'd",
    "they'll",
    "they're",
    "they've",
    "thing",
    "things",
    "think",
    "thinking",
    "this",
    "those",
    "though",
    "thousand",
    "three",
    "through",
    "thus",
    "to",
    "today",
    "too",
    "toward",
    "towards",
    "two",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "via",
    "want",
    "wanted",
    "was",
    "wasn't",
    "way",
    "we",
    "we'd",
    "we'll",
    "we're",
    "we've",
    "well",
    "were",
    "weren't",
    "what",
    "whatever",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "won't",
    "would",
    "wouldn't",
    "yeah",
    "year",
    "years",
    "yes",
    "yet",
    "you",
    "you'd",
    "you'll",
    "you're",
    "you've",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// True for a word that is never a unigram nor an n-gram's first or last word.
fn is_stop(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_none() || chars.next().is_none() || STOP_WORDS.binary_search(&word).is_ok()
}

/// Counts the terms of one text (a call's speech): lower-cased words (letters, inner apostrophes and hyphens kept:
/// "year-over-year", "don't"), unigrams, bigrams and trigrams that do not cross a sentence boundary (. ? ! ; :) or a
/// number; stop words and numbers are never unigrams, and an n-gram never starts or ends with a stop word ("the
/// supply chain" → "supply chain"; "cost of goods" stays a trigram).
///
/// Details, all decided in one pass over the characters with a reused buffer per word (a `String` is allocated only
/// for a term the map has not seen):
/// - A word is a run of letters and digits joined by inner `'` `’` (letter on both sides), `-` (letter or digit
///   on both sides: "year-over-year"), `&` between letters ("r&d", "m&a"), `.` `,` between digits ("4.2",
///   "1,000") and `.` after a single letter before a letter ("u.s", "e.g"). A trailing possessive "'s" is dropped
///   ("company's" → "company").
/// - A word holding a digit is a number ("4.2", "$4.2" read as "4.2", "2024", "q3", "10-k", "covid-19"): never a
///   term, and it breaks n-grams.
/// - Besides `. ? ! ;` and `:`, any other punctuation (commas, brackets, quotes, dashes, `$`, `%`, `/`) and a blank
///   line break n-grams too: a list ("revenue, margin and cash") or an aside is not a phrase. Apostrophes never do
///   ("customers' orders"), nor does the `.` closing an abbreviation ("the U.S. market" → "u.s market").
/// - Every word and number adds one to the [`WORDS`] entry.
pub fn count_terms(text: &str, counts: &mut Counts) {
    let mut window = Window::default();
    let mut word = String::with_capacity(32);
    let mut key = String::with_capacity(96);
    let mut words: u32 = 0;
    // State of the word being read.
    let mut has_digit = false;
    let mut abbreviation = false;
    let mut last = ' ';
    let mut segment = 0usize; // characters since the word's start or its last inner '.'
                              // A newline seen since the last non-blank character: a second one is a paragraph break.
    let mut newline = false;
    let mut chars = text.chars().peekable();
    loop {
        let c = chars.next();
        if let Some(c) = c {
            if c.is_alphanumeric() {
                if c.is_ascii() {
                    word.push(c.to_ascii_lowercase());
                } else {
                    word.extend(c.to_lowercase());
                }
                has_digit |= c.is_numeric();
                last = c;
                segment += 1;
                newline = false;
                continue;
            }
            if !word.is_empty() {
                let next = chars.peek().copied().unwrap_or(' ');
                if let Some(joined) = joiner(c, last, next, segment) {
                    abbreviation |= joined == '.' && !last.is_numeric();
                    word.push(joined);
                    last = c;
                    segment = 0;
                    continue;
                }
            }
        }
        // `c` ends the word being read, if any.
        let ended_abbreviation = abbreviation;
        if !word.is_empty() {
            words = words.saturating_add(1);
            if has_digit {
                window.clear();
            } else {
                add_word(&mut word, &mut window, &mut key, counts);
            }
            word.clear();
            has_digit = false;
            abbreviation = false;
            segment = 0;
        }
        match c {
            None => break,
            Some('\n') => {
                if newline {
                    window.clear();
                }
                newline = true;
            }
            Some(c) if c.is_whitespace() => {}
            Some(c) => {
                newline = false;
                let kept = matches!(c, '\'' | '’' | 'ʼ') || (c == '.' && ended_abbreviation);
                if !kept {
                    window.clear();
                }
            }
        }
    }
    if words > 0 {
        let n = counts.entry(String::new()).or_insert(0);
        *n = n.saturating_add(words);
    }
}

/// The character to keep when `c`, between `last` (the word's last character) and `next`, joins a word rather
/// than ending it.
fn joiner(c: char, last: char, next: char, segment: usize) -> Option<char> {
    match c {
        '\'' | '’' | 'ʼ' if last.is_alphabetic() && next.is_alphabetic() => Some('\''),
        '-' | '‐' | '‑' if last.is_alphanumeric() && next.is_alphanumeric() => Some('-'),
        '&' if last.is_alphabetic() && next.is_alphabetic() => Some('&'),
        '.' | ',' if last.is_numeric() && next.is_numeric() => Some(c),
        '.' if segment == 1 && last.is_alphabetic() && next.is_alphabetic() => Some('.'),
        _ => None,
    }
}

/// The last two words of the current phrase (buffers reused from word to word).
#[derive(Default)]
struct Window {
    prev1: String,
    prev2: String,
    stop1: bool,
    stop2: bool,
    len: u8,
}

impl Window {
    fn clear(&mut self) {
        self.len = 0;
    }

    fn push(&mut self, word: &str, stop: bool) {
        std::mem::swap(&mut self.prev1, &mut self.prev2);
        self.stop2 = self.stop1;
        self.prev1.clear();
        self.prev1.push_str(word);
        self.stop1 = stop;
        self.len = (self.len + 1).min(2);
    }
}

/// Counts the terms that end with `word` and moves the window on.
fn add_word(word: &mut String, window: &mut Window, key: &mut String, counts: &mut Counts) {
    if word.ends_with("'s") {
        word.truncate(word.len() - 2);
    }
    let stop = is_stop(word);
    if !stop {
        bump(counts, word);
        if window.len >= 1 && !window.stop1 {
            key.clear();
            key.push_str(&window.prev1);
            key.push(' ');
            key.push_str(word);
            bump(counts, key);
        }
        if window.len >= 2 && !window.stop2 {
            key.clear();
            key.push_str(&window.prev2);
            key.push(' ');
            key.push_str(&window.prev1);
            key.push(' ');
            key.push_str(word);
            bump(counts, key);
        }
    }
    window.push(word, stop);
}

fn bump(counts: &mut Counts, term: &str) {
    match counts.get_mut(term) {
        Some(n) => *n = n.saturating_add(1),
        None => {
            counts.insert(term.to_owned(), 1);
        }
    }
}

/// How one term's use moved from text `a` to text `b`.
#[derive(Debug, Clone, PartialEq)]
pub struct TermShift {
    pub term: String,
    /// `delta` over its standard error: positive when `b` says the term more. |z| ≈ 2 is a shift unlikely by
    /// chance under the model (n-gram overlaps make it optimistic; rank by it rather than test with it).
    pub z: f64,
    /// Log-odds ratio of the term in `b` over `a`, shrunk towards the prior (natural log).
    pub delta: f64,
    pub count_a: u32,
    pub count_b: u32,
    /// Mentions per 10,000 words of the text ([`WORDS`]; without that entry, per 10,000 counted unigrams).
    pub per_10k_a: f64,
    pub per_10k_b: f64,
}

/// The `limit` terms most over-used in `b` relative to `a` (z > 0, descending) and the `limit` most under-used
/// (z < 0, ascending), after dropping terms seen fewer than `min_count` times across a and b together, and sub-terms
/// whose shift is explained by a longer term (if "supply chain" and "supply chain disruption" both score, keep the
/// unigram/bigram only if its own z is clearly larger).
///
/// - `background`: the summed counts of the company's earlier calls, `a` and `b` left out (they join the prior
///   anyway; see the module documentation). Empty is fine: the prior is then the two texts' pooled counts.
/// - Sub-terms: a term whose words are a contiguous part of a longer candidate's words ("supply", "supply chain" in
///   "supply chain disruption"), shifted the same way, is dropped unless its `|z|` exceeds [`SUBTERM_MARGIN`] times
///   the longer term's. Only candidates (terms that passed `min_count`) explain others.
/// - Ties are broken by term, so the result is deterministic. Terms with `z == 0` are in neither list.
///
/// O(vocabulary of a and b): one score per term, a hash look-up per sub-term, and a partial selection of the top
/// `limit` before sorting them.
pub fn shifts(
    a: &Counts,
    b: &Counts,
    background: &Counts,
    limit: usize,
    min_count: u32,
) -> (Vec<TermShift>, Vec<TermShift>) {
    let (n_a, n_b) = (total(a), total(b));
    if limit == 0 || n_a + n_b <= 0.0 {
        return (Vec::new(), Vec::new());
    }
    let alpha0 = (n_a + n_b) / 2.0;
    let vocabulary = terms(a).count() + terms(b).filter(|(t, _)| !a.contains_key(*t)).count();
    let prior_total = total(background) + n_a + n_b + UNIFORM_PRIOR * vocabulary as f64;
    let score = |term: &str, y_a: u32, y_b: u32| -> (f64, f64) {
        let (y_a, y_b) = (f64::from(y_a), f64::from(y_b));
        let prior = background.get(term).map_or(0.0, |&n| f64::from(n)) + y_a + y_b + UNIFORM_PRIOR;
        let alpha = alpha0 * prior / prior_total;
        // The rest of the prior and of the text; positive unless the vocabulary is this one term.
        let log_odds = |y: f64, n: f64| ((y + alpha) / (n + alpha0 - y - alpha).max(1e-9)).ln();
        let delta = log_odds(y_b, n_b) - log_odds(y_a, n_a);
        let z = delta / (1.0 / (y_a + alpha) + 1.0 / (y_b + alpha)).sqrt();
        (delta, z)
    };

    let pairs = terms(a)
        .map(|(term, y_a)| (term, y_a, b.get(term).copied().unwrap_or(0)))
        .chain(terms(b).filter(|(term, _)| !a.contains_key(*term)).map(|(term, y_b)| (term, 0, y_b)));
    let candidates: Vec<Scored> = pairs
        .filter(|&(_, y_a, y_b)| u64::from(y_a) + u64::from(y_b) >= u64::from(min_count))
        .filter_map(|(term, y_a, y_b)| {
            let (delta, z) = score(term, y_a, y_b);
            (z != 0.0 && z.is_finite()).then_some(Scored { term, y_a, y_b, delta, z })
        })
        .collect();

    // The largest |z| of a longer candidate, shifted the same way, that contains each candidate.
    let index: HashMap<&str, usize> = candidates.iter().enumerate().map(|(i, c)| (c.term, i)).collect();
    let mut explained = vec![0.0f64; candidates.len()];
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for c in &candidates {
        word_spans(c.term, &mut spans);
        let last = spans.len() - 1;
        for i in 0..spans.len() {
            for j in i..spans.len() {
                if i == 0 && j == last {
                    continue;
                }
                if let Some(&s) = index.get(&c.term[spans[i].0..spans[j].1]) {
                    if (candidates[s].z > 0.0) == (c.z > 0.0) {
                        explained[s] = explained[s].max(c.z.abs());
                    }
                }
            }
        }
    }
    let (mut over, mut under): (Vec<&Scored>, Vec<&Scored>) = candidates
        .iter()
        .zip(&explained)
        .filter(|(c, &e)| c.z.abs() > SUBTERM_MARGIN * e)
        .map(|(c, _)| c)
        .partition(|c| c.z > 0.0);

    let (words_a, words_b) = (words(a), words(b));
    let per_10k = |count: u32, words: f64| if words > 0.0 { f64::from(count) * 10_000.0 / words } else { 0.0 };
    let shift = |c: &&Scored| TermShift {
        term: c.term.to_owned(),
        z: c.z,
        delta: c.delta,
        count_a: c.y_a,
        count_b: c.y_b,
        per_10k_a: per_10k(c.y_a, words_a),
        per_10k_b: per_10k(c.y_b, words_b),
    };
    top(&mut over, limit, |x, y| y.z.total_cmp(&x.z).then_with(|| x.term.cmp(y.term)));
    top(&mut under, limit, |x, y| x.z.total_cmp(&y.z).then_with(|| x.term.cmp(y.term)));
    (over.iter().map(shift).collect(), under.iter().map(shift).collect())
}

/// A scored term of `a` or `b`, borrowing its text from the counts.
struct Scored<'a> {
    term: &'a str,
    y_a: u32,
    y_b: u32,
    delta: f64,
    z: f64,
}

/// The first `limit` of `items` in `order`, sorted: a partial selection, then a sort of the few kept.
fn top<T>(items: &mut Vec<T>, limit: usize, order: impl Fn(&T, &T) -> std::cmp::Ordering) {
    if items.len() > limit {
        items.select_nth_unstable_by(limit, &order);
        items.truncate(limit);
    }
    items.sort_by(order);
}

/// The (start, end) byte ranges of the space-separated words of `term`, into a reused buffer.
fn word_spans(term: &str, spans: &mut Vec<(usize, usize)>) {
    spans.clear();
    let mut start = 0;
    for (i, c) in term.char_indices() {
        if c == ' ' {
            spans.push((start, i));
            start = i + 1;
        }
    }
    spans.push((start, term.len()));
}

/// The terms of `counts` (the [`WORDS`] entry left out).
fn terms(counts: &Counts) -> impl Iterator<Item = (&str, u32)> {
    counts.iter().filter(|(t, _)| !t.is_empty()).map(|(t, &n)| (t.as_str(), n))
}

/// All term occurrences of a text: the `n` of the model.
fn total(counts: &Counts) -> f64 {
    terms(counts).map(|(_, n)| f64::from(n)).sum()
}

/// The text's word count: its [`WORDS`] entry, else its unigrams.
fn words(counts: &Counts) -> f64 {
    match counts.get(WORDS) {
        Some(&n) if n > 0 => f64::from(n),
        _ => terms(counts).filter(|(t, _)| !t.contains(' ')).map(|(_, n)| f64::from(n)).sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(text: &str) -> Counts {
        let mut c = Counts::new();
        count_terms(text, &mut c);
        c
    }

    fn has(c: &Counts, term: &str) -> u32 {
        c.get(term).copied().unwrap_or(0)
    }

    /// A fictional call's recurring remarks, said the same way on both calls.
    const BASE: &str = "Revenue grew in every region. Gross margin expanded on better pricing. Our cloud platform \
        added new customers. Operating expenses stayed flat. Free cash flow was strong. We returned capital to \
        shareholders through buybacks. Demand in data centers remained healthy. ";

    fn call(extra: &str) -> Counts {
        counts(&(BASE.repeat(4) + extra))
    }

    fn terms_of(list: &[TermShift]) -> Vec<&str> {
        list.iter().map(|s| s.term.as_str()).collect()
    }

    #[test]
    fn stop_words_are_sorted_unique_and_lower_case() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]), "STOP_WORDS must be sorted by bytes, without repeats");
        assert!(STOP_WORDS.iter().all(|w| *w == w.to_lowercase()));
        for w in ["the", "don't", "quarter", "think", "yeah", "like", "e.g", "x"] {
            assert!(is_stop(w), "{w}");
        }
        assert!(!is_stop("margin"));
    }

    #[test]
    fn words_keep_inner_hyphens_and_apostrophes() {
        let c = counts("Year-over-year growth held, and we don't expect the company's backlog to shrink.");
        assert_eq!(has(&c, "year-over-year"), 1);
        assert_eq!(has(&c, "year-over-year growth"), 1);
        assert_eq!(has(&c, "growth held"), 1);
        assert_eq!(has(&c, "don't"), 0, "a stop word");
        assert_eq!(has(&c, "don"), 0);
        assert_eq!(has(&c, "company backlog"), 1, "possessive 's dropped");
        assert_eq!(has(&c, "company's"), 0);
        assert!(!c.contains_key("year") && !c.contains_key("over"));
        assert_eq!(has(&c, "held expect"), 0, "the comma breaks the phrase");
        // Curly apostrophes read as straight ones; a trailing one does not break a phrase.
        let c = counts("We’re seeing customers’ orders recover.");
        assert_eq!(has(&c, "customers orders recover"), 1);
        assert_eq!(has(&c, "we're"), 0);
    }

    #[test]
    fn numbers_are_never_terms_and_break_phrases() {
        let c = counts(
            "Revenue of $4.2 billion rose 12% in Q3 and 1,000 stores opened. Gross 4 margin. COVID-19 cases fell.",
        );
        for n in ["4.2", "4", "2", "12", "q3", "q", "1,000", "000", "19", "covid-19"] {
            assert!(!c.contains_key(n), "{n}");
        }
        assert_eq!(has(&c, "revenue"), 1);
        assert_eq!(has(&c, "rose"), 1);
        assert_eq!(has(&c, "billion rose"), 0, "billion is a stop word");
        assert_eq!(has(&c, "stores opened"), 1);
        assert_eq!(has(&c, "gross"), 1);
        assert_eq!(has(&c, "gross margin"), 0, "a number between breaks the bigram");
        assert_eq!(has(&c, "cases fell"), 1);
        // Every word and number counts towards the text's length.
        assert_eq!(has(&c, WORDS), 18);
    }

    #[test]
    fn sentence_boundaries_stop_ngrams() {
        let c = counts(
            "Margins improved. Pricing held! Costs rose? Demand: steady; orders fell\n\nbacklog grew\nfurther still",
        );
        for t in ["margins improved", "pricing held", "costs rose", "orders fell", "backlog grew"] {
            assert_eq!(has(&c, t), 1, "{t}");
        }
        for t in ["improved pricing", "held costs", "rose demand", "demand steady", "steady orders", "fell backlog"] {
            assert_eq!(has(&c, t), 0, "{t}");
        }
        // A single line break is not a paragraph break.
        let c = counts("backlog\ngrew strongly");
        assert_eq!(has(&c, "backlog grew"), 1);
        // An abbreviation's dots neither split the word nor end the sentence.
        let c = counts("Demand in the U.S. market and R&D spending rose.");
        assert_eq!(has(&c, "u.s market"), 1);
        assert_eq!(has(&c, "r&d spending rose"), 1);
    }

    #[test]
    fn ngrams_never_start_or_end_with_a_stop_word() {
        let c = counts("We think the supply chain is easing. The cost of goods fell.");
        assert_eq!(has(&c, "supply chain"), 1);
        assert_eq!(has(&c, "the supply chain"), 0);
        assert_eq!(has(&c, "the supply"), 0);
        assert_eq!(has(&c, "think"), 0);
        assert_eq!(has(&c, "chain is easing"), 1, "a stop word may sit inside a trigram");
        assert_eq!(has(&c, "cost of goods"), 1);
        assert_eq!(has(&c, "cost of"), 0);
        assert_eq!(has(&c, "of goods"), 0);
        assert_eq!(has(&c, "of goods fell"), 0);
        assert_eq!(has(&c, "goods fell"), 1);
        assert_eq!(has(&c, "cost"), 1);
        assert_eq!(has(&c, "of"), 0);
        let c = counts("supply chain disruption");
        let mut keys: Vec<&str> = c.keys().map(String::as_str).filter(|k| !k.is_empty()).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["chain", "chain disruption", "disruption", "supply", "supply chain", "supply chain disruption"]
        );
    }

    #[test]
    fn a_new_term_leads_the_rise_and_a_dropped_one_the_fall() {
        let a = call(
            "Inventory destocking weighed on orders. Customers worked through inventory destocking in Europe. \
             Inventory destocking should end soon.",
        );
        let b = call("Tariffs raised input costs. Tariffs should ease. Tariffs remain uncertain. Tariffs hurt Asia.");
        let (up, down) = shifts(&a, &b, &Counts::new(), 5, 2);
        assert_eq!(up[0].term, "tariffs", "{up:?}");
        assert_eq!((up[0].count_a, up[0].count_b), (0, 4));
        assert!(up[0].z > 1.0 && up[0].delta > 0.0, "{up:?}");
        assert!(up[0].per_10k_a == 0.0 && up[0].per_10k_b > 0.0);
        assert!(up.windows(2).all(|w| w[0].z >= w[1].z));
        assert_eq!(down[0].term, "inventory destocking", "{down:?}");
        assert!(down[0].z < -1.0 && down[0].delta < 0.0, "{down:?}");
        assert!(down.windows(2).all(|w| w[0].z <= w[1].z));
        // Its words alone shift exactly as the bigram does: explained by it.
        assert!(!terms_of(&down).contains(&"destocking") && !terms_of(&down).contains(&"inventory"), "{down:?}");
        // Reversing the texts mirrors the lists.
        let (up2, down2) = shifts(&b, &a, &Counts::new(), 5, 2);
        assert_eq!(terms_of(&up2), terms_of(&down));
        assert_eq!(terms_of(&down2), terms_of(&up));
        assert!((up2[0].z + down[0].z).abs() < 1e-9);
    }

    #[test]
    fn identical_texts_shift_nothing() {
        let a = call("Tariffs raised input costs. Inventory destocking weighed on orders.");
        let (up, down) = shifts(&a, &a, &Counts::new(), 10, 1);
        assert!(up.is_empty() && down.is_empty(), "{up:?} {down:?}");
        // Twice the same speech: same proportions, so every |z| stays small.
        let twice = counts(
            &(BASE.repeat(4) + "Tariffs raised input costs. Inventory destocking weighed on orders. ").repeat(2),
        );
        let (up, down) = shifts(&a, &twice, &Counts::new(), 1000, 1);
        assert!(up.iter().chain(&down).all(|s| s.z.abs() < 1.0), "{up:?} {down:?}");
    }

    #[test]
    fn the_prior_damps_rare_terms() {
        // Stop words around them keep both terms unigrams only.
        let a = call("We like widgets. We like widgets.");
        let b = call(&("We like widgets. ".repeat(20) + "We like a gizmo."));
        let (up, _) = shifts(&a, &b, &Counts::new(), 50, 1);
        let rank = |t: &str| up.iter().position(|s| s.term == t).unwrap_or(usize::MAX);
        let widgets = &up[rank("widgets")];
        assert_eq!((widgets.count_a, widgets.count_b), (2, 20));
        assert!(rank("widgets") < rank("gizmo"), "{up:?}");
        let gizmo = up.iter().find(|s| s.term == "gizmo");
        assert!(gizmo.is_none_or(|g| g.z < 1.0 && g.z < widgets.z / 2.0), "{gizmo:?}");
        // Without shrinkage the once-said term would have the larger log-odds ratio (1 against 0).
        assert!(gizmo.is_none_or(|g| g.delta < widgets.delta));
    }

    #[test]
    fn subterms_give_way_to_the_longer_term_that_explains_them() {
        let a = call(&"Supply chain costs matter. ".repeat(10));
        let b = call(&("Supply chain costs matter. ".repeat(10) + &"Supply chain disruption hit. ".repeat(15)));
        let (up, _) = shifts(&a, &b, &Counts::new(), 20, 2);
        let terms = terms_of(&up);
        assert!(terms.contains(&"supply chain disruption"), "{up:?}");
        for sub in ["supply chain", "supply", "chain", "disruption", "chain disruption"] {
            assert!(!terms.contains(&sub), "{sub} explained by the trigram: {up:?}");
        }
        // A bigram rising much more than the trigram explains stays beside it ("It's the supply chain." has no
        // longer term); its words alone, counted exactly as it is, still give way to it.
        let b = call(
            &("Supply chain costs matter. ".repeat(10)
                + &"Supply chain disruption hit. ".repeat(5)
                + &"It's the supply chain. ".repeat(40)),
        );
        let (up, _) = shifts(&a, &b, &Counts::new(), 20, 2);
        let z = |t: &str| up.iter().find(|s| s.term == t).map(|s| s.z);
        let (bigram, trigram) = (z("supply chain").expect("kept"), z("supply chain disruption").expect("kept"));
        assert!(bigram > SUBTERM_MARGIN * trigram, "{up:?}");
        assert_eq!((z("supply"), z("chain")), (None, None), "{up:?}");
    }

    #[test]
    fn an_empty_background_falls_back_to_the_pooled_texts() {
        let a = call("Pricing held. Pricing held firm.");
        let b = call(&"Pricing held. ".repeat(12));
        let (up, down) = shifts(&a, &b, &Counts::new(), 10, 2);
        assert_eq!(up[0].term, "pricing held", "{up:?}");
        assert!(up.iter().chain(&down).all(|s| s.z.is_finite() && s.delta.is_finite()));
        // A history that says "pricing held" on every call makes the same rise ordinary: a smaller z.
        let history = counts(&(BASE.repeat(4) + &"Pricing held. ".repeat(8)).repeat(8));
        let (with_history, _) = shifts(&a, &b, &history, 10, 2);
        let z = |list: &[TermShift]| list.iter().find(|s| s.term == "pricing held").map_or(0.0, |s| s.z);
        assert!(z(&with_history) < z(&up), "{with_history:?}");
        // A tiny background changes little.
        let (tiny, _) = shifts(&a, &b, &counts("Pricing."), 10, 2);
        assert!((z(&tiny) - z(&up)).abs() < 0.05 * z(&up));
        // Nothing to compare.
        assert_eq!(shifts(&Counts::new(), &Counts::new(), &Counts::new(), 10, 1), (vec![], vec![]));
        assert_eq!(shifts(&a, &b, &Counts::new(), 0, 1), (vec![], vec![]));
    }

    #[test]
    fn min_count_and_limit_apply() {
        let a = call("Tariffs raised input costs.");
        let b = call("Inventory destocking weighed on orders.");
        let (up, down) = shifts(&a, &b, &Counts::new(), 2, 2);
        // Every changed term was said once; what is left moved only because the texts differ in length.
        assert!(up.iter().chain(&down).all(|s| s.count_a + s.count_b >= 2 && s.z.abs() < 0.1), "{up:?} {down:?}");
        let (up, down) = shifts(&a, &b, &Counts::new(), 2, 1);
        assert_eq!((up.len(), down.len()), (2, 2));
    }
}
