//! Q&A exchanges: one analyst's question(s) with the answers that follow, up to the next analyst or the operator.

use crate::model::TurnKind;

/// [`TurnFacts::speaker`] of unattributed speech: such turns are remarks, never part of an exchange.
pub const NO_SPEAKER: i64 = -1;

/// The little an exchange needs to know about a turn.
#[derive(Debug, Clone, Copy)]
pub struct TurnFacts {
    pub kind: TurnKind,
    /// Identifies the speaker within the call (participant index or id).
    pub speaker: i64,
    pub words: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// 1-based position of the exchange in the call.
    pub ordinal: usize,
    /// The asking analyst (as in [`TurnFacts::speaker`]).
    pub analyst: i64,
    pub questions: usize,
    pub answers: usize,
    pub question_words: usize,
    pub answer_words: usize,
    /// 0-based indexes of the exchange's first and last turn.
    pub first_turn: usize,
    pub last_turn: usize,
}

/// Splits the turns into exchanges. A question by a new analyst opens one; the same analyst's follow-ups and the
/// answers stay in it; an operator turn (the next introduction, or the close) or a new analyst ends it.
pub fn exchanges(turns: &[TurnFacts]) -> Vec<Exchange> {
    let mut out: Vec<Exchange> = Vec::new();
    let mut open: Option<Exchange> = None;
    for (i, t) in turns.iter().enumerate() {
        match t.kind {
            TurnKind::Question => {
                let same_analyst = open.as_ref().is_some_and(|e| e.analyst == t.speaker);
                if !same_analyst {
                    out.extend(open.take());
                    open = Some(Exchange {
                        ordinal: out.len() + 1,
                        analyst: t.speaker,
                        questions: 0,
                        answers: 0,
                        question_words: 0,
                        answer_words: 0,
                        first_turn: i,
                        last_turn: i,
                    });
                }
                let e = open.as_mut().expect("just opened");
                e.questions += 1;
                e.question_words += t.words;
                e.last_turn = i;
            }
            TurnKind::Answer => {
                if let Some(e) = open.as_mut() {
                    e.answers += 1;
                    e.answer_words += t.words;
                    e.last_turn = i;
                }
            }
            TurnKind::Operator | TurnKind::Remarks => out.extend(open.take()),
        }
    }
    out.extend(open);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use TurnKind::*;

    fn facts(seq: &[(TurnKind, i64, usize)]) -> Vec<TurnFacts> {
        seq.iter().map(|&(kind, speaker, words)| TurnFacts { kind, speaker, words }).collect()
    }

    #[test]
    fn boundaries_at_operator_and_new_analyst() {
        let turns = facts(&[
            (Operator, 0, 10),
            (Question, 1, 20),
            (Answer, 2, 50),
            (Question, 1, 5), // follow-up: same exchange
            (Answer, 3, 30),
            (Answer, 2, 10),
            (Question, 4, 15), // a new analyst without an introduction
            (Answer, 2, 40),
            (Operator, 0, 12),
            (Answer, 2, 8), // answers outside any exchange are not counted
            (Question, 5, 9),
        ]);
        let e = exchanges(&turns);
        assert_eq!(e.len(), 3);
        assert_eq!(
            (e[0].analyst, e[0].questions, e[0].answers, e[0].question_words, e[0].answer_words),
            (1, 2, 3, 25, 90)
        );
        assert_eq!((e[0].first_turn, e[0].last_turn), (1, 5));
        assert_eq!((e[1].ordinal, e[1].analyst, e[1].first_turn, e[1].last_turn), (2, 4, 6, 7));
        assert_eq!((e[2].ordinal, e[2].questions, e[2].answers), (3, 1, 0));
    }
}
