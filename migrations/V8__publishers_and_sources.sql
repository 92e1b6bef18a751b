-- calldb archive, version 8: transcripts from several publishers (fool.com, StreetEvents, Capital IQ, Seeking Alpha).
-- - A company may have no ticker: some publishers' copies never print one, and calldb never makes one up. Such a
--   call is kept under its company's name (`companies.ticker` NULL); `name_key` is the name as compared across
--   spellings (`Zillow Group, Inc.` = `Zillow Group`), filled in by calldb when it opens the archive to write.
-- - A call may have no date (Capital IQ-style copies print none): `call_date`, `call_time`, `timezone` and
--   `starts_at_utc` may be NULL.
-- - One call, many sources: a call is identified by its company, fiscal period and event (`earnings`, or the words of
--   a title that names another event), not by its title's wording. `call_sources` records every copy seen of a call;
--   the stored one (`stored` = 1) is the copy whose text the archive holds. A second copy from another publisher is
--   recorded there and logged as `duplicate` in `imports`, never stored twice.
--
-- SQLite cannot drop NOT NULL or change a CHECK in place: `companies`, `calls` and `imports` are rebuilt (create new,
-- copy, drop old, rename) with every column, index and trigger they had (V7's `label` and its trigger included),
-- keeping every row id, so every table that references them keeps pointing at the same rows.
-- calldb runs migrations with foreign-key enforcement off (SQLite requires it for a rebuild: dropping a table would
-- otherwise cascade into everything that references it) and this file checks the keys itself before it commits.
-- Views that name these tables are read by name and keep working: renaming is done in legacy mode so SQLite does not
-- rewrite or re-check them mid-rebuild.

PRAGMA legacy_alter_table = ON;

CREATE TABLE companies_new (
    company_id INTEGER PRIMARY KEY,
    ticker     TEXT UNIQUE,              -- NULL when no source gives it (the company is known by its name)
    name       TEXT NOT NULL,
    exchange   TEXT,                     -- NULL when the header printed a price move instead of an exchange
    name_key   TEXT NOT NULL DEFAULT ''  -- the name as compared across spellings; '' until calldb fills it in
);
INSERT INTO companies_new (company_id, ticker, name, exchange) SELECT company_id, ticker, name, exchange FROM companies;
DROP TABLE companies;
ALTER TABLE companies_new RENAME TO companies;
CREATE INDEX companies_by_name_key ON companies (name_key);

CREATE TABLE calls_new (
    call_id           INTEGER PRIMARY KEY,
    company_id        INTEGER NOT NULL REFERENCES companies (company_id),
    title             TEXT    NOT NULL,
    fiscal_year       INTEGER NOT NULL,
    fiscal_quarter    INTEGER NOT NULL CHECK (fiscal_quarter BETWEEN 1 AND 4),
    call_date         TEXT    CHECK (call_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),  -- NULL: not stated
    call_time         TEXT    CHECK (call_time GLOB '[0-2][0-9]:[0-5][0-9]'),
    timezone          TEXT,              -- IANA zone of the printed time, e.g. America/New_York for ET
    starts_at_utc     TEXT,              -- ISO 8601, e.g. 2021-05-04T21:00:00Z
    duration_minutes  INTEGER CHECK (duration_minutes >= 0),
    price_change_pct  REAL,
    participant_count INTEGER NOT NULL,
    turn_count        INTEGER NOT NULL,
    word_count        INTEGER NOT NULL,
    source_path       TEXT    NOT NULL,  -- the stored copy (every copy seen: call_sources)
    content_hash      TEXT    NOT NULL UNIQUE,
    byte_size         INTEGER NOT NULL,
    imported_at       TEXT    NOT NULL,
    parser_version    TEXT    NOT NULL,
    layout            TEXT    NOT NULL,
    analysis_version  INTEGER NOT NULL DEFAULT 0,
    source_url        TEXT,
    header_sources    TEXT,
    truncated_at_line INTEGER,
    warnings          TEXT,
    -- What kind of event the call is: 'earnings' for earnings calls however the title words it, else the title's
    -- own words without period and company. With the company and fiscal period it identifies the call.
    event             TEXT    NOT NULL DEFAULT 'earnings',
    label             TEXT,              -- `LPSN 2021 Q1` (V7); the company's name where it has no ticker
    UNIQUE (company_id, fiscal_year, fiscal_quarter, title)
);
INSERT INTO calls_new (call_id, company_id, title, fiscal_year, fiscal_quarter, call_date, call_time, timezone,
        starts_at_utc, duration_minutes, price_change_pct, participant_count, turn_count, word_count, source_path,
        content_hash, byte_size, imported_at, parser_version, layout, analysis_version, source_url, header_sources,
        truncated_at_line, warnings, event, label)
SELECT call_id, company_id, title, fiscal_year, fiscal_quarter, call_date, call_time, timezone, starts_at_utc,
       duration_minutes, price_change_pct, participant_count, turn_count, word_count, source_path, content_hash,
       byte_size, imported_at, parser_version, layout, analysis_version, source_url, header_sources,
       truncated_at_line, warnings,
       CASE WHEN lower(title) LIKE '%earnings%' OR lower(title) LIKE '%results%' OR lower(title) LIKE '%financial%'
            THEN 'earnings' ELSE lower(title) END,
       label
FROM calls;
DROP TABLE calls;
ALTER TABLE calls_new RENAME TO calls;
CREATE INDEX calls_by_date ON calls (call_date);
CREATE INDEX calls_by_imported_at ON calls (imported_at);
CREATE INDEX calls_by_identity ON calls (company_id, fiscal_year, fiscal_quarter, event);
-- The label trigger of V7 went with the old table: the same, naming a call without a ticker by its company.
CREATE TRIGGER calls_label AFTER INSERT ON calls BEGIN
    UPDATE calls
    SET label = (SELECT coalesce(ticker, name) FROM companies co WHERE co.company_id = new.company_id)
                || ' ' || new.fiscal_year || ' Q' || new.fiscal_quarter
    WHERE call_id = new.call_id;
END;

CREATE TABLE imports_new (
    import_id    INTEGER PRIMARY KEY,
    path         TEXT    NOT NULL,
    content_hash TEXT,
    byte_size    INTEGER,
    -- 'duplicate': the same call from another source, already archived: recorded in call_sources, not stored twice
    status       TEXT    NOT NULL
                 CHECK (status IN ('imported', 'unchanged', 'replaced', 'conflict', 'duplicate', 'failed')),
    call_id      INTEGER REFERENCES calls (call_id) ON DELETE SET NULL,
    line         INTEGER,
    message      TEXT,
    started_at   TEXT    NOT NULL,
    finished_at  TEXT    NOT NULL
);
INSERT INTO imports_new SELECT import_id, path, content_hash, byte_size, status, call_id, line, message, started_at,
                               finished_at FROM imports;
DROP TABLE imports;
ALTER TABLE imports_new RENAME TO imports;
CREATE INDEX imports_by_status ON imports (status, finished_at);
CREATE INDEX imports_by_call ON imports (call_id);

-- Every copy of a call calldb has seen, from any publisher.
CREATE TABLE call_sources (
    source_id    INTEGER PRIMARY KEY,
    call_id      INTEGER NOT NULL REFERENCES calls (call_id) ON DELETE CASCADE,
    layout       TEXT    NOT NULL,       -- the publisher's layout (`fool-classic`, `streetevents`, `capiq`, …)
    source_path  TEXT    NOT NULL,
    content_hash TEXT    NOT NULL UNIQUE,
    byte_size    INTEGER NOT NULL,
    source_url   TEXT,
    stored       INTEGER NOT NULL CHECK (stored IN (0, 1)),  -- 1: the copy whose text the archive holds
    seen_at      TEXT    NOT NULL
);
CREATE INDEX call_sources_by_call ON call_sources (call_id);
INSERT INTO call_sources (call_id, layout, source_path, content_hash, byte_size, source_url, stored, seen_at)
SELECT call_id, layout, source_path, content_hash, byte_size, source_url, 1, imported_at FROM calls;

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
CREATE TEMP TABLE v8_foreign_keys_hold (ok INTEGER CHECK (ok = 1));
INSERT INTO v8_foreign_keys_hold SELECT 0 FROM pragma_foreign_key_check LIMIT 1;
DROP TABLE v8_foreign_keys_hold;
