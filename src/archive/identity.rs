//! Which appearances in calls are the same person.
//!
//! # Rules
//! A participant's *identity key* is `<affiliation>|<first name>|<surname>`:
//! - **Name**: the first and last words of the name, lower-cased, without punctuation, initials in the middle,
//!   middle names or suffixes. `Robert P. LoCascio` and `Robert LoCascio` → `robert|locascio`;
//!   `John Deneen Collins` and `John Collins` → `john|collins`; `W. Robert Berkley, Jr` → `w|berkley`.
//!   A first-name-only speaker (`Chris`) keeps an empty surname, so `Chris` never merges with `Chris Smith`.
//! - **Affiliation**: for analysts, their normalized firm (`firm:keybanc capital markets`), so two analysts
//!   named Drew at Citigroup and JPMorgan stay two people; for everyone else (executives, investor relations,
//!   unknown speakers), the company whose call it is (`co:LPSN`). A name alone never merges people across
//!   unrelated companies and firms.
//! - The operator is not a person across calls and gets no key.
//!
//! Keys live in the `speaker_keys` table and point at a speaker. Manual `speakers merge`/`split` repoint keys,
//! and the importer always resolves through that table, so corrections survive re-imports.

use crate::model::{Participant, Role};
use crate::parse::names::name_words;

/// Corporate suffixes that do not distinguish one firm from another.
const FIRM_SUFFIXES: &[&str] = &[
    "inc",
    "llc",
    "ltd",
    "limited",
    "plc",
    "lp",
    "llp",
    "co",
    "corp",
    "corporation",
    "company",
    "and",
    "group",
    "the",
    "sa",
    "ag",
    "ab",
    "nv",
];

/// A firm as grouped: lower case, punctuation and corporate suffixes dropped.
/// `KeyBanc Capital Markets.` = `KeyBanc Capital Markets`, `Needham & Company` = `Needham & Co.`.
pub fn normalize_firm(firm: &str) -> String {
    let cleaned: String = firm
        .chars()
        .map(|c| if c == '&' { ' ' } else { c })
        .filter(|c| c.is_alphanumeric() || c.is_whitespace() || *c == '-')
        .collect::<String>()
        .to_lowercase();
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    while words.len() > 1 && words.last().is_some_and(|w| FIRM_SUFFIXES.contains(w)) {
        words.pop();
    }
    while words.len() > 1 && words.first().is_some_and(|w| *w == "the") {
        words.remove(0);
    }
    words.join(" ")
}

/// The `first|surname` part of an identity key.
pub fn person_key(name: &str) -> Option<String> {
    let words = name_words(name);
    let (last, given) = match words.split_last()? {
        (last, given) if !given.is_empty() => (last.as_str(), given),
        (only, _) => return Some(format!("{only}|")),
    };
    // A leading initial (`W. Robert Berkley`) is not the first name when a full given name follows it.
    let first = given.iter().find(|w| w.chars().count() > 1).unwrap_or(&given[0]);
    Some(format!("{first}|{last}"))
}

/// The affiliation part: the firm for analysts with one, else the company.
pub fn affiliation(p: &Participant, ticker: &str) -> String {
    match (&p.role, &p.firm) {
        (Role::Analyst, Some(firm)) if !normalize_firm(firm).is_empty() => {
            format!("firm:{}", normalize_firm(firm))
        }
        _ => format!("co:{ticker}"),
    }
}

/// The exact-form key: affiliation plus every word of the name as written. `speakers split` points these at a
/// person of their own, and the importer looks them up before the general key.
pub fn exact_key(p: &Participant, ticker: &str) -> Option<String> {
    if p.role == Role::Operator {
        return None;
    }
    Some(format!("{}|={}", affiliation(p, ticker), name_words(&p.name).join(" ")))
}

/// The identity key of a participant in a call of `ticker`; `None` for the operator.
pub fn identity_key(p: &Participant, ticker: &str) -> Option<String> {
    if p.role == Role::Operator {
        return None;
    }
    Some(format!("{}|{}", affiliation(p, ticker), person_key(&p.name)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str, role: Role, firm: Option<&str>) -> Participant {
        Participant { name: name.into(), title: None, firm: firm.map(Into::into), role, listed: true }
    }

    #[test]
    fn middle_names_initials_and_suffixes_do_not_make_a_new_person() {
        let a = identity_key(&person("Robert P. LoCascio", Role::Executive, None), "LPSN");
        let b = identity_key(&person("Robert LoCascio", Role::Executive, None), "LPSN");
        assert_eq!(a, b);
        let c = identity_key(&person("John Deneen Collins", Role::Executive, None), "LPSN");
        let d = identity_key(&person("john collins", Role::Executive, None), "LPSN");
        assert_eq!(c, d);
        let e = identity_key(&person("Robert Smith Jr.", Role::Executive, None), "ACME");
        let f = identity_key(&person("Robert Smith", Role::Executive, None), "ACME");
        assert_eq!(e, f);
        let g = identity_key(&person("W. Robert Berkley, Jr", Role::Executive, None), "WRB");
        let h = identity_key(&person("Robert Berkley", Role::Executive, None), "WRB");
        assert_eq!(g, h);
    }

    #[test]
    fn names_alone_never_merge_across_companies_or_firms() {
        let a = identity_key(&person("Drew Foster", Role::Analyst, Some("Citigroup")), "LPSN");
        let b = identity_key(&person("Drew Foster", Role::Analyst, Some("JPMorgan")), "LPSN");
        assert_ne!(a, b);
        let c = identity_key(&person("Jane Doe", Role::Executive, None), "AAA");
        let d = identity_key(&person("Jane Doe", Role::Executive, None), "BBB");
        assert_ne!(c, d);
        let chris = identity_key(&person("Chris", Role::Analyst, Some("William Blair")), "LPSN");
        let chris_smith = identity_key(&person("Chris Smith", Role::Analyst, Some("William Blair")), "LPSN");
        assert_ne!(chris, chris_smith);
        assert_eq!(identity_key(&person("Operator", Role::Operator, None), "LPSN"), None);
    }

    #[test]
    fn firms_group_without_punctuation_and_suffixes() {
        assert_eq!(normalize_firm("KeyBanc Capital Markets."), normalize_firm("KeyBanc Capital Markets"));
        assert_eq!(normalize_firm("Mizuho."), "mizuho");
        assert_eq!(normalize_firm("Needham & Company"), normalize_firm("Needham & Co."));
        assert_eq!(normalize_firm("Jefferies LLC"), "jefferies");
        assert_ne!(normalize_firm("Citi"), normalize_firm("JPMorgan"));
    }
}
