-- calldb archive, version 7: what other SQLite clients (Datasette, sqlite-utils, DuckDB, pandas, BI tools) need to
-- see what the archive holds.

-- The full-text index, declared with `content="turns"` written exactly so (no spaces around `=`): Datasette and
-- sqlite-utils find a table's index by matching that text in sqlite_master, and V4 wrote `content = "turns"`, which
-- they do not recognise. Same columns, tokenizer and content; the index is rebuilt from `turns` (which also finishes
-- a bulk build an interrupted import left pending). The triggers on `turns` name the index by name and keep working.
DROP TABLE turns_fts;
CREATE VIRTUAL TABLE turns_fts USING fts5 (
    text,
    content="turns",
    content_rowid="turn_id",
    tokenize="porter unicode61 remove_diacritics 2"
);
INSERT INTO turns_fts (turns_fts) VALUES ('rebuild');
DELETE FROM archive_state WHERE key = 'fts';

-- People across calls, every column typed (aggregates are cast, so `PRAGMA table_info` declares INT or TEXT and
-- clients sort `calls` as a number), and the lists as JSON arrays in a stable order: names, titles and firms contain
-- commas and semicolons, so no separator can be trusted. Same columns as before, same order.
DROP VIEW v_speakers;
CREATE VIEW v_speakers AS
SELECT s.speaker_id,
       s.name,
       CAST((SELECT json_group_array(alias)
             FROM (SELECT a.alias FROM speaker_aliases a
                   WHERE a.speaker_id = s.speaker_id ORDER BY a.first_seen, a.alias)) AS TEXT) AS aliases,
       CAST(count(DISTINCT p.call_id) AS INTEGER)                                          AS calls,
       CAST(count(DISTINCT c.company_id) AS INTEGER)                                       AS companies,
       CAST((SELECT json_group_array(role)
             FROM (SELECT DISTINCT q.role FROM participants q
                   WHERE q.speaker_id = s.speaker_id ORDER BY q.role)) AS TEXT)             AS roles,
       CAST((SELECT json_group_array(firm)
             FROM (SELECT DISTINCT q.firm FROM participants q
                   WHERE q.speaker_id = s.speaker_id AND q.firm IS NOT NULL ORDER BY q.firm)) AS TEXT) AS firms,
       CAST((SELECT json_group_array(title)
             FROM (SELECT DISTINCT q.title FROM participants q
                   WHERE q.speaker_id = s.speaker_id AND q.title IS NOT NULL ORDER BY q.title)) AS TEXT) AS titles,
       CAST((SELECT json_group_array(ticker)
             FROM (SELECT DISTINCT co2.ticker FROM participants q
                   JOIN calls c2 ON c2.call_id = q.call_id
                   JOIN companies co2 ON co2.company_id = c2.company_id
                   WHERE q.speaker_id = s.speaker_id ORDER BY co2.ticker)) AS TEXT)          AS tickers,
       CAST(min(c.call_date) AS TEXT)                                                      AS first_call,
       CAST(max(c.call_date) AS TEXT)                                                      AS last_call
FROM speakers s
JOIN participants p ON p.speaker_id = s.speaker_id
JOIN calls c ON c.call_id = p.call_id
GROUP BY s.speaker_id;

-- Incremental exports (`calldb export --since-last-export`): per export folder, the highest call id already written.
CREATE TABLE exports (
    export_id    INTEGER PRIMARY KEY,
    folder       TEXT    NOT NULL,      -- the export folder as given, made absolute
    format       TEXT    NOT NULL,
    views        TEXT    NOT NULL,      -- JSON array of the views written
    partition_by TEXT,
    max_call_id  INTEGER NOT NULL,      -- calls with a higher id are new for the next export into this folder
    rows         INTEGER NOT NULL,
    exported_at  TEXT    NOT NULL
);
CREATE INDEX exports_by_folder ON exports (folder, export_id);

-- How a call is named wherever it is referred to (`LPSN 2021 Q1`): clients that show a referenced row by one of its
-- columns (Datasette's label columns, BI tools) show this rather than the title alone, which repeats across companies.
-- Kept by a trigger from the call's ticker and fiscal period, which never change once a call is archived.
ALTER TABLE calls ADD COLUMN label TEXT;
UPDATE calls SET label = (SELECT ticker FROM companies co WHERE co.company_id = calls.company_id)
                         || ' ' || fiscal_year || ' Q' || fiscal_quarter;
CREATE TRIGGER calls_label AFTER INSERT ON calls BEGIN
    UPDATE calls
    SET label = (SELECT ticker FROM companies co WHERE co.company_id = new.company_id)
                || ' ' || new.fiscal_year || ' Q' || new.fiscal_quarter
    WHERE call_id = new.call_id;
END;
