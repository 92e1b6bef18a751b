//! Calls whose record already names the speakers: a list of `{speaker, text}` turns (public S&P 500 transcript
//! datasets' `structured_content`, API Ninjas' `transcript_split`, Finnhub's `[{name, speech[], session}]`,
//! EarningsCall's speakers). The list is used as given — speakers are never re-guessed from the text — and the
//! turns go through the same shared rules as any layout's: names, placeholders, roles, where Q&A starts, turn kinds.

use super::header::HeaderFacts;
use super::speakers::{is_placeholder, role_from_title, SpeakerHit, Strength};
use super::turns::{self, BodyItem, BodyLine, LeadingSpeech};
use super::{Document, ParseError, ParseOptions};
use crate::model::{Participant, Role, SectionKind, Transcript};

/// The layout name stored with calls read from a speaker list.
pub const LAYOUT: &str = "speaker-list";

/// One turn of a record's speaker list, as the record gives it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct SpokenTurn {
    /// The speaker as the record names them; `None` when the record names nobody.
    pub speaker: Option<String>,
    /// The speaker's title or role as the record gives it (`CEO`), if any.
    pub title: Option<String>,
    /// Which side the record says the speaker is on (`management`, `analyst`, `operator`), if it says.
    pub side: Option<Role>,
    /// The section the record puts the turn in (Finnhub's `session`, API Ninjas' `is_qa`), if it says.
    pub section: Option<SectionKind>,
    pub paragraphs: Vec<String>,
}

/// Builds the call from a record's speaker list. `listed`: participants the record lists beside the turns.
pub fn parse_spoken(
    spoken: &[SpokenTurn],
    listed: Vec<Participant>,
    options: ParseOptions,
) -> Result<Transcript, ParseError> {
    let doc = Document::new("", options, None)?;
    let resolved = HeaderFacts::default().resolve(&doc)?;
    let mut participants = listed;
    let listed_count = participants.len();
    // Speakers the list does not name become participants of their own, with what the turn says of them.
    let mut lines = Vec::with_capacity(spoken.len());
    let mut empty = 0;
    // Names and speech as the layouts see text: control characters out (with a warning), spaces normalized.
    let mut controls = false;
    let mut clean = |s: &str| {
        let (text, removed) = super::text::clean_field(s);
        controls |= removed;
        text
    };
    let cleaned: Vec<(Option<String>, Vec<String>)> = spoken
        .iter()
        .map(|t| (t.speaker.as_deref().map(&mut clean), t.paragraphs.iter().map(|p| clean(p)).collect()))
        .collect();
    for (i, (turn, (speaker, speech))) in spoken.iter().zip(&cleaned).enumerate() {
        let paragraphs: Vec<&str> = speech.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect();
        let Some(name) = speaker.as_deref().map(str::trim).filter(|n| !n.is_empty()) else {
            empty += 1;
            continue;
        };
        let listed_at = participants[..listed_count].iter().position(|p| p.name == name);
        let index = match listed_at
            .or_else(|| participants[listed_count..].iter().position(|p| p.name == name).map(|j| j + listed_count))
        {
            Some(j) => j,
            None => {
                participants.push(person(name, turn));
                participants.len() - 1
            }
        };
        let line = i + 1;
        let hit = SpeakerHit { name, rest: None, listed: Some(index), strength: Strength::Strong };
        lines.push(BodyLine {
            line,
            item: BodyItem::Speaker { hit, speaker_line: name, speech: paragraphs.first().copied() },
        });
        for p in paragraphs.iter().skip(1) {
            lines.push(BodyLine { line, item: BodyItem::Speech(p) });
        }
    }
    if lines.is_empty() {
        return Err(ParseError::at(1, "expected at least one turn with a speaker in the record's speaker list"));
    }
    // Every participant is passed as "listed" so `build_turns` keeps the indexes given above; the list's own
    // entries stay marked as listed, speakers found only in the turns do not.
    let everyone = participants.len();
    let mut all = participants;
    let built = turns::build_turns(lines, &mut all, Some((SectionKind::PreparedRemarks, "")), LeadingSpeech::Refuse)?;
    debug_assert_eq!(all.len(), everyone);
    let mut transcript = resolved.into_transcript(LAYOUT, &doc, all, built.turns);
    transcript.warnings.extend(built.warnings);
    if empty > 0 {
        transcript.warnings.push(format!("{empty} entries of the speaker list name no speaker: not stored"));
    }
    if controls {
        transcript.warnings.push("control characters in the speaker list were removed".into());
    }
    // Sections as the record gives them; else questions begin where the floor opens.
    let sections: Vec<Option<SectionKind>> = spoken
        .iter()
        .zip(&cleaned)
        .filter(|(_, (speaker, _))| speaker.as_deref().is_some_and(|n| !n.trim().is_empty()))
        .map(|(t, _)| t.section)
        .collect();
    if sections.iter().any(Option::is_some) {
        for (turn, section) in transcript.turns.iter_mut().zip(&sections) {
            turn.section = section.unwrap_or(SectionKind::PreparedRemarks);
        }
    } else if turns::start_qa_by_evidence(&mut transcript, "").is_none() {
        transcript
            .warnings
            .push("no turn opens the floor to questions: every turn is stored as prepared remarks".into());
    }
    turns::assign_roles_and_kinds(&mut transcript);
    Ok(transcript)
}

/// A speaker the list does not name, with the role the turn's title or side gives.
fn person(name: &str, turn: &SpokenTurn) -> Participant {
    let title = turn.title.clone().filter(|t| !t.trim().is_empty());
    let role = match turn.side {
        Some(role) => role,
        None if name.eq_ignore_ascii_case("operator") => Role::Operator,
        None if is_placeholder(name) => role_from_title(name, None, false),
        None => title.as_deref().map_or(Role::Unknown, |t| role_from_title(name, Some(t), false)),
    };
    Participant { name: name.to_string(), title, firm: None, role, listed: false }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(speaker: &str, text: &str) -> SpokenTurn {
        SpokenTurn { speaker: Some(speaker.into()), paragraphs: vec![text.into()], ..Default::default() }
    }

    #[test]
    fn speaker_lists_become_turns_with_roles_and_qa() {
        let facts = super::super::RecordFacts {
            ticker: Some("ACME".into()),
            year: Some(2024),
            quarter: Some(3),
            ..Default::default()
        };
        let spoken = vec![
            turn("Operator", "Welcome to the Acme call. I will turn it over to Jane Roe."),
            turn("Jane Roe", "Revenue grew 5%."),
            turn("Operator", "Our first question comes from Al Fox with Birch Capital. Please go ahead."),
            turn("Al Fox", "How is demand?"),
            turn("Jane Roe", "Strong."),
        ];
        let t = parse_spoken(&spoken, Vec::new(), ParseOptions { record: Some(&facts), ..Default::default() }).unwrap();
        assert_eq!(t.layout, LAYOUT);
        assert_eq!(t.turns.len(), 5);
        assert_eq!(t.turns[2].section, SectionKind::Qa);
        assert_eq!(t.turns[1].section, SectionKind::PreparedRemarks);
        assert_eq!(t.speaker_of(3).unwrap().role, Role::Analyst);
        assert_eq!(t.speaker_of(3).unwrap().firm.as_deref(), Some("Birch Capital"));
        assert_eq!(t.turns[4].kind, crate::model::TurnKind::Answer);
        assert_eq!(t.participants.iter().filter(|p| p.name == "Jane Roe").count(), 1);
        assert_eq!(t.company.ticker.as_deref(), Some("ACME"));
        assert_eq!(t.header_sources.fiscal_period, crate::model::FactSource::Record);
    }
}
