-- calldb archive, version 1: calls, their structure, the people who speak, and the import log.
-- Applied only through refinery (embedded in the binary). Never edit once released: add a new V<n>__*.sql.

CREATE TABLE companies (
    company_id INTEGER PRIMARY KEY,
    ticker     TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    exchange   TEXT                      -- NULL when the header printed a price move instead of an exchange
);

CREATE TABLE calls (
    call_id           INTEGER PRIMARY KEY,
    company_id        INTEGER NOT NULL REFERENCES companies (company_id),
    title             TEXT    NOT NULL,
    fiscal_year       INTEGER NOT NULL,
    fiscal_quarter    INTEGER NOT NULL CHECK (fiscal_quarter BETWEEN 1 AND 4),
    call_date         TEXT    NOT NULL CHECK (call_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    call_time         TEXT    NOT NULL CHECK (call_time GLOB '[0-2][0-9]:[0-5][0-9]'),
    timezone          TEXT    NOT NULL,  -- IANA zone of the printed time, e.g. America/New_York for ET
    starts_at_utc     TEXT    NOT NULL,  -- ISO 8601, e.g. 2021-05-04T21:00:00Z
    duration_minutes  INTEGER CHECK (duration_minutes >= 0),
    price_change_pct  REAL,
    participant_count INTEGER NOT NULL,  -- entries of the participants list (the operator is not one)
    turn_count        INTEGER NOT NULL,
    word_count        INTEGER NOT NULL,
    source_path       TEXT    NOT NULL,
    content_hash      TEXT    NOT NULL UNIQUE, -- BLAKE3 of the file's bytes
    byte_size         INTEGER NOT NULL,
    imported_at       TEXT    NOT NULL,
    parser_version    TEXT    NOT NULL,
    layout            TEXT    NOT NULL,
    UNIQUE (company_id, fiscal_year, fiscal_quarter, title)
);
CREATE INDEX calls_by_date ON calls (call_date);
CREATE INDEX calls_by_imported_at ON calls (imported_at);

CREATE TABLE sections (
    section_id INTEGER PRIMARY KEY,
    call_id    INTEGER NOT NULL REFERENCES calls (call_id) ON DELETE CASCADE,
    ordinal    INTEGER NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('prepared_remarks', 'qa')),
    heading    TEXT    NOT NULL,        -- as written, e.g. 'Questions & Answers:'
    UNIQUE (call_id, ordinal)
);

-- A person, across calls. Which appearances are the same person is decided by identity keys (below).
CREATE TABLE speakers (
    speaker_id INTEGER PRIMARY KEY,
    name       TEXT NOT NULL            -- display name: the fullest form seen
);

-- Identity keys that resolve to a speaker: '<affiliation>|<first name>|<surname>'. Several keys may point to one
-- speaker (manual merges); the importer looks keys up here, so corrections survive re-imports.
CREATE TABLE speaker_keys (
    identity_key TEXT PRIMARY KEY,
    speaker_id   INTEGER NOT NULL REFERENCES speakers (speaker_id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX speaker_keys_by_speaker ON speaker_keys (speaker_id);

-- One speaker's appearance in one call, with title and firm as written there.
CREATE TABLE participants (
    participant_id INTEGER PRIMARY KEY,
    call_id        INTEGER NOT NULL REFERENCES calls (call_id) ON DELETE CASCADE,
    speaker_id     INTEGER REFERENCES speakers (speaker_id),   -- NULL for the operator
    name           TEXT    NOT NULL,
    title          TEXT,
    firm           TEXT,
    role           TEXT    NOT NULL CHECK (role IN ('operator', 'executive', 'investor_relations', 'analyst', 'unknown')),
    listed         INTEGER NOT NULL CHECK (listed IN (0, 1)),  -- an entry of the call's participants list
    ordinal        INTEGER NOT NULL,
    UNIQUE (call_id, ordinal)
);
CREATE INDEX participants_by_speaker ON participants (speaker_id);

CREATE TABLE turns (
    turn_id        INTEGER PRIMARY KEY,
    call_id        INTEGER NOT NULL REFERENCES calls (call_id) ON DELETE CASCADE,
    section_id     INTEGER NOT NULL REFERENCES sections (section_id) ON DELETE CASCADE,
    ordinal        INTEGER NOT NULL,    -- 1-based across the call
    participant_id INTEGER NOT NULL REFERENCES participants (participant_id) ON DELETE CASCADE,
    speaker_line   TEXT    NOT NULL,    -- exactly as written in the file
    kind           TEXT    NOT NULL CHECK (kind IN ('operator', 'remarks', 'question', 'answer')),
    text           TEXT    NOT NULL,    -- paragraphs joined by one blank line
    paragraphs     INTEGER NOT NULL,
    words          INTEGER NOT NULL,
    source_line    INTEGER NOT NULL,    -- line of the speaker line in the source file
    UNIQUE (call_id, ordinal)
);
CREATE INDEX turns_by_participant ON turns (participant_id);
CREATE INDEX turns_by_section ON turns (section_id);

-- Bracketed annotations ([Operator Instructions], [Phonetic], …); they also stay in the turn's text.
CREATE TABLE annotations (
    annotation_id INTEGER PRIMARY KEY,
    turn_id       INTEGER NOT NULL REFERENCES turns (turn_id) ON DELETE CASCADE,
    text          TEXT    NOT NULL,
    start_offset  INTEGER NOT NULL      -- byte offset of '[' in the turn's text
);
CREATE INDEX annotations_by_turn ON annotations (turn_id);

-- One row per file attempt.
CREATE TABLE imports (
    import_id    INTEGER PRIMARY KEY,
    path         TEXT    NOT NULL,
    content_hash TEXT,
    byte_size    INTEGER,
    status       TEXT    NOT NULL CHECK (status IN ('imported', 'unchanged', 'replaced', 'conflict', 'failed')),
    call_id      INTEGER REFERENCES calls (call_id) ON DELETE SET NULL,
    line         INTEGER,               -- where a failure was found
    message      TEXT,
    started_at   TEXT    NOT NULL,
    finished_at  TEXT    NOT NULL
);
CREATE INDEX imports_by_status ON imports (status, finished_at);
CREATE INDEX imports_by_call ON imports (call_id);

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
       c.imported_at
FROM calls c
JOIN companies co USING (company_id);

CREATE VIEW v_turns AS
SELECT t.turn_id,
       t.call_id,
       co.ticker,
       co.name     AS company,
       c.call_date,
       c.fiscal_year,
       c.fiscal_quarter,
       s.kind      AS section,
       t.ordinal,
       p.name      AS speaker,
       p.title,
       p.firm,
       p.role,
       t.kind,
       t.text,
       t.words,
       p.speaker_id,
       t.participant_id
FROM turns t
JOIN calls c ON c.call_id = t.call_id
JOIN companies co ON co.company_id = c.company_id
JOIN sections s ON s.section_id = t.section_id
JOIN participants p ON p.participant_id = t.participant_id;
