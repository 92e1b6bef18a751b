//! What a person's name looks like on a speaker line, and how names compare.
//!
//! Used as one piece of evidence among several: a line that "looks like a name" becomes a speaker line only when
//! the surrounding evidence (participants list, repetition, mentions in the call) agrees. See
//! [`super::fool_classic`] for how the evidence is combined.

/// Generational and honorific suffixes that never make a different person.
const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "cfa", "cpa", "esq"];

/// Lower-case particles that sit inside names (`Jeff van der Berg`, `Maria da Silva`).
const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "da", "di", "del", "della", "la", "le", "du", "dos", "das", "bin", "al", "y",
    "st.", "ter", "ten", "op",
];

/// Words that open short speech paragraphs ("Thank You", "Good Morning") and never a person's name.
const SPEECH_OPENERS: &[&str] = &[
    "terrific",
    "super",
    "nice",
    "gotcha",
    "makes",
    "sounds",
    "very",
    "not",
    "one",
    "two",
    "first",
    "second",
    "lastly",
    "finally",
    "also",
    "again",
    "maybe",
    "perhaps",
    "hopefully",
    "fine",
    "exciting",
    "interesting",
    "thank",
    "thanks",
    "yes",
    "yeah",
    "yep",
    "okay",
    "ok",
    "sure",
    "great",
    "good",
    "hi",
    "hello",
    "hey",
    "right",
    "absolutely",
    "correct",
    "exactly",
    "perfect",
    "got",
    "understood",
    "welcome",
    "congratulations",
    "congrats",
    "sorry",
    "no",
    "please",
    "certainly",
    "definitely",
    "indeed",
    "agreed",
    "fair",
    "fantastic",
    "excellent",
    "wonderful",
    "operator",
    "and",
    "so",
    "well",
    "next",
    "all",
    "the",
    "that",
    "this",
    "it",
    "we",
    "i",
    "you",
    "our",
    "my",
    "question",
    "questions",
    "prepared",
    "remarks",
    "duration",
    "call",
    "more",
    "awesome",
    "cool",
    "appreciate",
    "bye",
    "goodbye",
    "morning",
    "afternoon",
    "evening",
    "cheers",
    "alright",
    "helpful",
    "wow",
];

/// True when `s` has the shape of a person's name as transcripts print them: one to six capitalized words,
/// initials, particles and suffixes allowed (`W. Robert Berkley, Jr`, `William M. ''Bill'' Brown`,
/// `Dr.Gerald Paul`), no digits, no sentence punctuation.
pub fn looks_like_name(s: &str) -> bool {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > 60 {
        return false;
    }
    if s.chars().any(|c| c.is_ascii_digit() || matches!(c, '?' | '!' | ':' | ';' | '[' | ']' | '/' | '@' | '$' | '%')) {
        return false;
    }
    // A stray mark between words (`Steven Fisher \``) is a typo, not part of the name.
    let tokens: Vec<&str> = s.split_whitespace().filter(|t| t.chars().any(char::is_alphanumeric)).collect();
    if tokens.is_empty() || tokens.len() > 6 {
        return false;
    }
    // A comma may only introduce a suffix: "Berkley, Jr".
    for (i, t) in tokens.iter().enumerate() {
        if t.ends_with(',') {
            let next_is_suffix = tokens.get(i + 1).is_some_and(|n| is_suffix(n));
            if !next_is_suffix {
                return false;
            }
        }
    }
    let last = tokens.len() - 1;
    tokens.iter().enumerate().all(|(i, t)| {
        let t = t.trim_end_matches(',');
        if is_suffix(t) && i > 0 {
            return true;
        }
        if PARTICLES.contains(&t.to_lowercase().as_str()) && i > 0 && i < last {
            return true;
        }
        // Nicknames in quotes or parentheses: ''Bill'', "Bill", (Bill).
        let core =
            t.trim_matches(|c| matches!(c, '\'' | '"' | '(' | ')' | '\u{2018}' | '\u{2019}' | '\u{201c}' | '\u{201d}'));
        let mut chars = core.chars();
        let Some(first) = chars.next() else {
            return false;
        };
        first.is_uppercase()
            && core
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '\u{2019}'))
            // A sentence never ends a name unless the word is an initial or an abbreviation (`Jr.`, `Dr.`).
            && (!core.ends_with('.') || core.chars().filter(|c| c.is_alphabetic()).count() <= 3)
    })
}

/// True when the first word of `s` is a word that opens ordinary speech rather than a name.
pub fn opens_like_speech(s: &str) -> bool {
    let first = s.split_whitespace().next().unwrap_or("").trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    SPEECH_OPENERS.contains(&first.as_str())
}

pub fn is_suffix(token: &str) -> bool {
    let t = token.trim_matches(|c: char| c == ',' || c == '.').replace('.', "").to_lowercase();
    SUFFIXES.contains(&t.as_str())
}

/// The name's words in lower case without punctuation, suffixes or nickname tokens:
/// `W. Robert Berkley, Jr.` → `["w", "robert", "berkley"]`.
pub fn name_words(name: &str) -> Vec<String> {
    name.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .filter(|t| !is_suffix(t))
        .filter(|t| !(t.starts_with('\'') || t.starts_with('(') || t.starts_with('"') || t.starts_with('\u{201c}')))
        .map(|t| {
            t.chars().filter(|c| c.is_alphanumeric() || *c == '-').flat_map(char::to_lowercase).collect::<String>()
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// Surname: the last word that is not a suffix (`Berkley` in `W. Robert Berkley, Jr`).
pub fn surname(name: &str) -> Option<String> {
    name_words(name).pop()
}

/// Corporate-form words that do not tell one organization from another (`Inc.`, `Corp`, `& Co.`, `N.V.`).
const CORPORATE_FORMS: &[&str] = &[
    "inc",
    "incorporated",
    "llc",
    "ltd",
    "limited",
    "plc",
    "lp",
    "llp",
    "lllp",
    "co",
    "corp",
    "corporation",
    "company",
    "and",
    "group",
    "holding",
    "holdings",
    "the",
    "sa",
    "ag",
    "ab",
    "nv",
    "se",
];

/// An organization's name as compared across spellings: lower case, punctuation dropped (`&` and `,` are
/// separators), leading `The` and trailing corporate forms removed. `Zillow Group, Inc.` = `Zillow Group`,
/// `ASML Holding N.V.` = `ASML Holding NV` = `ASML`. Extra trailing words (`research division`) can be dropped too.
pub fn organization_key_without(name: &str, trailing: &[&str]) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if c == '&' || c == ',' || c == ';' || c == '/' { ' ' } else { c })
        .filter(|c| c.is_alphanumeric() || c.is_whitespace() || *c == '-')
        .collect::<String>()
        .to_lowercase();
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    while words.len() > 1 && words.last().is_some_and(|w| CORPORATE_FORMS.contains(w) || trailing.contains(w)) {
        words.pop();
    }
    while words.len() > 1 && words.first().is_some_and(|w| *w == "the") {
        words.remove(0);
    }
    words.join(" ")
}

/// [`organization_key_without`] with corporate forms only: how company names match a companies file.
pub fn organization_key(name: &str) -> String {
    organization_key_without(name, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_transcripts_print_them() {
        for name in [
            "Elyse Greenspan",
            "W. Robert Berkley, Jr",
            "Richard M. Baio",
            "William M. ''Bill'' Brown",
            "Dr.Gerald Paul",
            "Jeff Van Rhee",
            "Brian McArthur-Muscroft",
            "Maya",
            "Jeff van der Berg",
            "Patrick O'Brien",
            "Earl C. \"Duke\" Austin",
            "Steven Fisher `",
        ] {
            assert!(looks_like_name(name), "{name}");
        }
    }

    #[test]
    fn speech_is_not_a_name() {
        for line in [
            "Thank you.",
            "Okay, great.",
            "Rob?",
            "So what's -- could you elaborate on that one?",
            "We grew 38% in Q1",
            "[Operator Instructions]",
            "Got it, thanks",
            "Yes. Sure.",
            "this is lowercase",
            "Understood. Thanks.",
        ] {
            assert!(!looks_like_name(line), "{line}");
        }
        assert!(opens_like_speech("Good Morning"));
        assert!(opens_like_speech("Thank You"));
        assert!(!opens_like_speech("Elyse Greenspan"));
    }

    #[test]
    fn name_words_drop_punctuation_and_suffixes() {
        assert_eq!(name_words("W. Robert Berkley, Jr."), vec!["w", "robert", "berkley"]);
        assert_eq!(name_words("William M. ''Bill'' Brown"), vec!["william", "m", "brown"]);
        assert_eq!(surname("John Smith III").as_deref(), Some("smith"));
    }

    #[test]
    fn organizations_compare_without_corporate_forms() {
        assert_eq!(organization_key("Zillow Group, Inc."), organization_key("Zillow Group"));
        assert_eq!(organization_key("ASML Holding N.V."), organization_key("ASML Holding NV"));
        assert_eq!(organization_key("AGNC Investment Corp."), "agnc investment");
        assert_eq!(organization_key("The Walt Disney Company"), "walt disney");
        assert_ne!(organization_key("Intel Corporation"), organization_key("Intuit Inc."));
    }
}
