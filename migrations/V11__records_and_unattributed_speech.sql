-- calldb archive, version 11: calls from datasets and APIs, and calls whose speakers are not known.
-- - One file may hold many calls (a JSON array, a JSONL or CSV dataset, a Parquet file): each call's record key
--   (`data.jsonl#1834`'s `1834`, `nested.json#/2021/Q3/0`'s `/2021/Q3/0`) is kept beside its file's path in `calls`,
--   `call_sources` and `imports`. NULL for a file that is one transcript.
-- - Some collections keep a call as one block of text with no speakers (whole-call blocks). Such a call is stored as
--   unattributed speech: turns whose `participant_id` is NULL, one per paragraph as written, and
--   `calls.speakers_known` = 0. Search, figures and exports include it; speaker and Q&A reports leave it out.
-- - A turn keeps the speaker's name as its speaker line writes it (`turns.speaker_name`: curly apostrophes, a label's
--   affiliation, a nickname), while the participant it resolves to keeps the participants list's spelling. Turns
--   archived before this version get their participant's name.
-- - `file_signatures.records`: for a dataset file, how many records it held when it was last read with every record
--   settled; a dataset that looks as it did then is not read again. NULL for a file that is one transcript.
--
-- SQLite cannot drop a NOT NULL in place: `turns` is rebuilt (create new, copy, drop old, rename) keeping every row id,
-- so the full-text index (whose rows are turn ids), annotations and figures keep pointing at the same turns; its
-- indexes and triggers are created again as V9 left them. Migrations run with foreign-key enforcement off and this
-- file checks the keys itself before it commits.

PRAGMA legacy_alter_table = ON;

CREATE TABLE turns_new (
    turn_id        INTEGER PRIMARY KEY,
    call_id        INTEGER NOT NULL REFERENCES calls (call_id) ON DELETE CASCADE,
    section_id     INTEGER NOT NULL REFERENCES sections (section_id) ON DELETE CASCADE,
    ordinal        INTEGER NOT NULL,    -- 1-based across the call
    -- NULL: unattributed speech (a whole-call block); no speaker is known and none is invented
    participant_id INTEGER REFERENCES participants (participant_id) ON DELETE CASCADE,
    speaker_line   TEXT    NOT NULL,    -- exactly as written in the file ('' for unattributed speech)
    speaker_name   TEXT,                -- the speaker's name as the speaker line writes it; NULL when unattributed
    kind           TEXT    NOT NULL CHECK (kind IN ('operator', 'remarks', 'question', 'answer')),
    text           TEXT    NOT NULL,    -- paragraphs joined by one blank line
    paragraphs     INTEGER NOT NULL,
    words          INTEGER NOT NULL,
    source_line    INTEGER NOT NULL,    -- line of the speaker line in the source file (or record)
    UNIQUE (call_id, ordinal)
);
INSERT INTO turns_new (turn_id, call_id, section_id, ordinal, participant_id, speaker_line, speaker_name, kind, text,
        paragraphs, words, source_line)
SELECT t.turn_id, t.call_id, t.section_id, t.ordinal, t.participant_id, t.speaker_line,
       (SELECT p.name FROM participants p WHERE p.participant_id = t.participant_id),
       t.kind, t.text, t.paragraphs, t.words, t.source_line
FROM turns t;
DROP TABLE turns;
ALTER TABLE turns_new RENAME TO turns;
CREATE INDEX turns_by_section ON turns (section_id);
CREATE INDEX turns_by_participant ON turns (participant_id, kind, words);
CREATE INDEX turns_by_call_kind ON turns (call_id, kind, participant_id, words);
CREATE TRIGGER turns_fts_delete AFTER DELETE ON turns
WHEN NOT EXISTS (SELECT 1 FROM archive_state WHERE key = 'fts' AND value = 'emptied')
BEGIN
    INSERT INTO turns_fts (turns_fts, rowid, text) VALUES ('delete', old.turn_id, old.text);
END;
CREATE TRIGGER turns_fts_update AFTER UPDATE OF text ON turns
WHEN NOT EXISTS (SELECT 1 FROM archive_state WHERE key = 'fts' AND value = 'emptied')
BEGIN
    INSERT INTO turns_fts (turns_fts, rowid, text) VALUES ('delete', old.turn_id, old.text);
    INSERT INTO turns_fts (rowid, text) VALUES (new.turn_id, new.text);
END;

ALTER TABLE calls ADD COLUMN speakers_known INTEGER NOT NULL DEFAULT 1 CHECK (speakers_known IN (0, 1));
ALTER TABLE calls ADD COLUMN record_key TEXT;
ALTER TABLE call_sources ADD COLUMN record_key TEXT;
ALTER TABLE imports ADD COLUMN record_key TEXT;
ALTER TABLE file_signatures ADD COLUMN records INTEGER;

DROP VIEW v_calls;
CREATE VIEW v_calls AS
SELECT c.call_id,
       co.ticker,
       co.name             AS company,
       co.exchange,
       c.title,
       c.fiscal_year,
       c.fiscal_quarter,
       c.call_date,
       c.call_time,
       c.timezone,
       c.starts_at_utc,
       c.duration_minutes,
       c.price_change_pct,
       c.participant_count AS participants,
       c.turn_count        AS turns,
       c.word_count        AS words,
       c.source_path,
       c.content_hash,
       c.imported_at,
       c.layout,
       c.source_url,
       c.header_sources,
       CAST(c.truncated_at_line IS NULL AS INTEGER) AS complete,
       c.truncated_at_line,
       c.warnings,
       c.speakers_known,
       c.record_key
FROM calls c
JOIN companies co USING (company_id);

DROP VIEW v_turns;
CREATE VIEW v_turns AS
SELECT t.turn_id,
       t.call_id,
       co.ticker,
       co.name        AS company,
       c.call_date,
       c.fiscal_year,
       c.fiscal_quarter,
       s.kind         AS section,
       t.ordinal,
       t.speaker_name AS speaker,
       p.title,
       p.firm,
       p.role,
       t.kind,
       t.text,
       t.words,
       p.speaker_id,
       t.participant_id,
       p.name         AS participant
FROM turns t
JOIN calls c ON c.call_id = t.call_id
JOIN companies co ON co.company_id = c.company_id
JOIN sections s ON s.section_id = t.section_id
LEFT JOIN participants p ON p.participant_id = t.participant_id;

DROP VIEW v_metrics;
CREATE VIEW v_metrics AS
SELECT m.metric_id,
       m.call_id,
       co.ticker,
       c.call_date,
       c.fiscal_year,
       c.fiscal_quarter,
       t.turn_id,
       t.ordinal         AS turn_ordinal,
       t.speaker_name    AS speaker,
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
LEFT JOIN participants p ON p.participant_id = t.participant_id
JOIN calls c ON c.call_id = m.call_id
JOIN companies co ON co.company_id = c.company_id;

DROP VIEW v_call_sources;
CREATE VIEW v_call_sources AS
SELECT s.source_id,
       s.call_id,
       co.ticker,
       co.name AS company,
       c.fiscal_year,
       c.fiscal_quarter,
       c.event,
       c.title,
       s.layout,
       s.source_path,
       s.record_key,
       s.source_url,
       s.content_hash,
       s.stored,
       s.seen_at
FROM call_sources s
JOIN calls c ON c.call_id = s.call_id
JOIN companies co ON co.company_id = c.company_id;

PRAGMA legacy_alter_table = OFF;

-- Every reference still points at an existing row; a violation aborts the migration (the CHECK fails) and the
-- archive is left as it was.
CREATE TEMP TABLE v11_foreign_keys_hold (ok INTEGER CHECK (ok = 1));
INSERT INTO v11_foreign_keys_hold SELECT 0 FROM pragma_foreign_key_check LIMIT 1;
DROP TABLE v11_foreign_keys_hold;
