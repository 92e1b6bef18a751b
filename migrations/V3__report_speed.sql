-- calldb archive, version 3: what reports over large archives need to stay fast.
-- Each appearance of a speaker carries its own turn and word counts (a call never changes once archived, so
-- these are facts, not caches), and turns get covering indexes so aggregates never read the speech text.

ALTER TABLE participants ADD COLUMN turns INTEGER NOT NULL DEFAULT 0;
ALTER TABLE participants ADD COLUMN words INTEGER NOT NULL DEFAULT 0;
UPDATE participants
SET turns = (SELECT count(*) FROM turns t WHERE t.participant_id = participants.participant_id),
    words = (SELECT coalesce(sum(t.words), 0) FROM turns t WHERE t.participant_id = participants.participant_id);

CREATE INDEX participants_by_call_role ON participants (call_id, role, turns, words);

DROP INDEX turns_by_participant;
CREATE INDEX turns_by_participant ON turns (participant_id, kind, words);
CREATE INDEX turns_by_call_kind ON turns (call_id, kind, participant_id, words);
