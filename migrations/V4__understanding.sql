-- calldb archive, version 4: understanding the calls.
-- People across calls (aliases, normalized firms, manual corrections), Q&A exchanges, figures in speech, and a
-- full-text index over what was said.

-- The grouping form of an analyst's firm ("KeyBanc Capital Markets." and "KeyBanc Capital Markets" group together);
-- the raw form stays in participants.firm. The importer computes it; this backfill is its close approximation.
ALTER TABLE participants ADD COLUMN firm_normalized TEXT;
UPDATE participants SET firm_normalized = lower(trim(firm, ' .,')) WHERE firm IS NOT NULL;
CREATE INDEX participants_by_firm ON participants (firm_normalized);

-- Every form of a person's name ever seen, kept even when the call it came from is replaced.
CREATE TABLE speaker_aliases (
    speaker_id INTEGER NOT NULL REFERENCES speakers (speaker_id) ON DELETE CASCADE,
    alias      TEXT    NOT NULL,
    first_seen TEXT    NOT NULL,
    PRIMARY KEY (speaker_id, alias)
) WITHOUT ROWID;
INSERT OR IGNORE INTO speaker_aliases (speaker_id, alias, first_seen)
SELECT p.speaker_id, p.name, min(c.imported_at)
FROM participants p JOIN calls c USING (call_id)
WHERE p.speaker_id IS NOT NULL
GROUP BY p.speaker_id, p.name;

-- Manual corrections (`calldb speakers merge|split`), for the record; their effect lives in speaker_keys.
CREATE TABLE speaker_corrections (
    correction_id INTEGER PRIMARY KEY,
    action        TEXT    NOT NULL CHECK (action IN ('merge', 'split')),
    speaker_id    INTEGER NOT NULL,   -- merge: the person kept; split: the person split from
    other_id      INTEGER NOT NULL,   -- merge: the person merged away; split: the new person
    detail        TEXT    NOT NULL,
    made_at       TEXT    NOT NULL
);

-- Which rules analysed a call (exchanges, metrics); older calls are re-analysed when the archive is opened to write.
ALTER TABLE calls ADD COLUMN analysis_version INTEGER NOT NULL DEFAULT 0;

-- One analyst's question(s) with the answers that follow, up to the next analyst or the operator.
CREATE TABLE exchanges (
    exchange_id    INTEGER PRIMARY KEY,
    call_id        INTEGER NOT NULL REFERENCES calls (call_id) ON DELETE CASCADE,
    ordinal        INTEGER NOT NULL,
    participant_id INTEGER NOT NULL REFERENCES participants (participant_id) ON DELETE CASCADE,
    questions      INTEGER NOT NULL,
    answers        INTEGER NOT NULL,
    question_words INTEGER NOT NULL,
    answer_words   INTEGER NOT NULL,
    first_ordinal  INTEGER NOT NULL,  -- turn ordinals (1-based across the call)
    last_ordinal   INTEGER NOT NULL,
    UNIQUE (call_id, ordinal)
);
CREATE INDEX exchanges_by_participant ON exchanges (participant_id);

-- Every numeric figure spoken in a turn.
CREATE TABLE metrics (
    metric_id    INTEGER PRIMARY KEY,
    turn_id      INTEGER NOT NULL REFERENCES turns (turn_id) ON DELETE CASCADE,
    call_id      INTEGER NOT NULL REFERENCES calls (call_id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('currency', 'percent', 'basis_points', 'multiple', 'count')),
    value        REAL    NOT NULL,
    value_high   REAL,               -- upper end of a range
    unit         TEXT,               -- currency code, '%', 'bps', 'x', or the counted noun
    subject      TEXT,               -- revenue, gross margin, EBITDA, EPS, … when the sentence names it
    text         TEXT    NOT NULL,   -- the exact span
    start_offset INTEGER NOT NULL,   -- character offsets of the span in the turn's text
    end_offset   INTEGER NOT NULL
);
CREATE INDEX metrics_by_turn ON metrics (turn_id);
CREATE INDEX metrics_by_call ON metrics (call_id);
CREATE INDEX metrics_by_subject ON metrics (subject);

-- Full-text index over turn text: external content (the text lives once, in turns), porter stemming, unicode.
-- Named turns_fts with content="turns" so Datasette and other clients detect it as the search index of turns.
CREATE VIRTUAL TABLE turns_fts USING fts5 (
    text,
    content = "turns",
    content_rowid = "turn_id",
    tokenize = "porter unicode61 remove_diacritics 2"
);
INSERT INTO turns_fts (turns_fts) VALUES ('rebuild');
-- New turns are indexed by the importer: once per batch inside the batch's transaction, or for a large import in one
-- bulk build at its end (FTS5 builds far faster that way than row by row); deletions and edits are kept in sync here.
CREATE TRIGGER turns_fts_delete AFTER DELETE ON turns BEGIN
    INSERT INTO turns_fts (turns_fts, rowid, text) VALUES ('delete', old.turn_id, old.text);
END;
CREATE TRIGGER turns_fts_update AFTER UPDATE OF text ON turns BEGIN
    INSERT INTO turns_fts (turns_fts, rowid, text) VALUES ('delete', old.turn_id, old.text);
    INSERT INTO turns_fts (rowid, text) VALUES (new.turn_id, new.text);
END;

-- Small facts about the archive as a whole. 'fts' = 'pending' while a large import builds the full-text index in
-- bulk at its end; if that import is interrupted, the next write (`calldb import`, `calldb migrate`) rebuilds it.
CREATE TABLE archive_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE VIEW v_speakers AS
SELECT s.speaker_id,
       s.name,
       (SELECT group_concat(a.alias, '; ') FROM speaker_aliases a WHERE a.speaker_id = s.speaker_id) AS aliases,
       count(DISTINCT p.call_id)                                             AS calls,
       count(DISTINCT c.company_id)                                          AS companies,
       group_concat(DISTINCT p.role)                                         AS roles,
       group_concat(DISTINCT p.firm)                                         AS firms,
       group_concat(DISTINCT p.title)                                        AS titles,
       group_concat(DISTINCT co.ticker)                                      AS tickers,
       min(c.call_date)                                                      AS first_call,
       max(c.call_date)                                                      AS last_call
FROM speakers s
JOIN participants p ON p.speaker_id = s.speaker_id
JOIN calls c ON c.call_id = p.call_id
JOIN companies co ON co.company_id = c.company_id
GROUP BY s.speaker_id;

CREATE VIEW v_exchanges AS
SELECT e.exchange_id,
       e.call_id,
       e.ordinal,
       p.name            AS analyst,
       p.firm,
       e.questions,
       e.answers,
       e.question_words,
       e.answer_words,
       e.first_ordinal,
       e.last_ordinal,
       p.speaker_id
FROM exchanges e
JOIN participants p ON p.participant_id = e.participant_id;

CREATE VIEW v_metrics AS
SELECT m.metric_id,
       m.call_id,
       co.ticker,
       c.call_date,
       c.fiscal_year,
       c.fiscal_quarter,
       t.turn_id,
       t.ordinal         AS turn_ordinal,
       p.name            AS speaker,
       p.role,
       p.speaker_id,
       m.kind,
       m.value,
       m.value_high,
       m.unit,
       m.subject,
       m.text,
       m.start_offset,
       m.end_offset
FROM metrics m
JOIN turns t ON t.turn_id = m.turn_id
JOIN participants p ON p.participant_id = t.participant_id
JOIN calls c ON c.call_id = m.call_id
JOIN companies co ON co.company_id = c.company_id;
