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
use crate::parse::names::{name_words, organization_key, organization_key_without};

/// Words publishers add after an analyst's firm that do not make another firm: `Keefe, Bruyette, & Woods, Inc.,
/// Research Division` (StreetEvents, Capital IQ) is `Keefe, Bruyette & Woods` (Seeking Alpha, fool.com).
const FIRM_TRAILERS: &[&str] = &["research", "division", "equity", "equities", "institutional", "securities"];

/// A firm as grouped: lower case, punctuation, corporate forms and research-division trailers dropped.
/// `KeyBanc Capital Markets.` = `KeyBanc Capital Markets`, `Needham & Company` = `Needham & Co.`,
/// `Morgan Stanley, Research Division` = `Morgan Stanley`.
pub fn normalize_firm(firm: &str) -> String {
    organization_key_without(firm, FIRM_TRAILERS)
}

/// The grouping form calldb used before firms were compared across publishers (corporate suffixes only, `&`
/// as a space, commas kept out): identity keys built with it are still found, so people archived before keep
/// their identity.
pub fn legacy_normalize_firm(firm: &str) -> String {
    const LEGACY: &[&str] = &[
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
    let cleaned: String = firm
        .chars()
        .map(|c| if c == '&' { ' ' } else { c })
        .filter(|c| c.is_alphanumeric() || c.is_whitespace() || *c == '-')
        .collect::<String>()
        .to_lowercase();
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    while words.len() > 1 && words.last().is_some_and(|w| LEGACY.contains(w)) {
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

/// The company part of an identity key: the ticker, or for a call kept without one, its company's name as
/// compared across spellings (`name:zillow`).
pub fn company_key(ticker: Option<&str>, name: &str) -> String {
    match ticker {
        Some(t) => t.to_string(),
        None => format!("name:{}", organization_key(name)),
    }
}

/// The affiliation part: the firm for analysts with one, else the company (its [`company_key`]).
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

/// The identity key of a participant in a call of `ticker` (a [`company_key`]); `None` for the operator.
pub fn identity_key(p: &Participant, ticker: &str) -> Option<String> {
    if p.role == Role::Operator {
        return None;
    }
    Some(format!("{}|{}", affiliation(p, ticker), person_key(&p.name)?))
}

/// The key an analyst had under [`legacy_normalize_firm`], when it differs from today's: looked up after the
/// current keys so people archived before keep their identity.
pub fn legacy_identity_key(p: &Participant) -> Option<String> {
    let firm = p.firm.as_deref().filter(|_| p.role == Role::Analyst)?;
    let legacy = legacy_normalize_firm(firm);
    (!legacy.is_empty() && legacy != normalize_firm(firm))
        .then(|| Some(format!("firm:{legacy}|{}", person_key(&p.name)?)))
        .flatten()
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
        // Publishers' spellings of one firm.
        assert_eq!(
            normalize_firm("Keefe, Bruyette, & Woods, Inc., Research Division"),
            normalize_firm("Keefe, Bruyette & Woods")
        );
        assert_eq!(normalize_firm("Morgan Stanley, Research Division"), normalize_firm("Morgan Stanley"));
        assert_eq!(normalize_firm("Jefferies LLC, Research Division"), normalize_firm("Jefferies"));
        assert_eq!(normalize_firm("Robert W. Baird & Co. Incorporated"), normalize_firm("Robert W. Baird & Co."));
        assert_ne!(normalize_firm("Wells Fargo Securities, LLC"), normalize_firm("Wolfe Research"));
    }

    #[test]
    fn people_resolve_across_publishers_at_the_same_company() {
        // StreetEvents `Stacy Smith, Intel Corporation - VP, CFO` and fool.com `Stacy Smith -- Chief Financial Officer`.
        let streetevents = Participant {
            name: "Stacy Smith".into(),
            title: Some("VP, CFO".into()),
            firm: None,
            role: Role::Executive,
            listed: true,
        };
        let fool = Participant { title: Some("Chief Financial Officer".into()), ..streetevents.clone() };
        assert_eq!(identity_key(&streetevents, "INTC"), identity_key(&fool, "INTC"));
        let kbw = person("Bose George", Role::Analyst, Some("Keefe, Bruyette, & Woods, Inc., Research Division"));
        let kbw2 = person("Bose George", Role::Analyst, Some("Keefe, Bruyette & Woods"));
        assert_eq!(identity_key(&kbw, "AGNC"), identity_key(&kbw2, "NLY"));
        assert_eq!(company_key(None, "Zillow Group, Inc."), company_key(None, "Zillow Group"));
        assert_ne!(company_key(None, "Zillow Group"), company_key(Some("Z"), "Zillow Group"));
    }
}
