-- calldb archive, version 12: users correct and delete calls, and every output holds each call exactly once.
-- - Call ids are never reused. SQLite gives a new row the highest id plus one, so deleting (or replacing) the newest
--   call would hand its id to the next one, and an incremental export, which takes "every id above the last one
--   exported", would never see the new version. `archive_state.last_call_id` remembers the highest id ever given
--   (kept by a trigger, seeded here); calldb gives each new call the next one.
-- - Every call that leaves the archive is logged in `deleted_calls` (by a trigger, so no path misses it): deleted by
--   `calldb calls delete`, or replaced by a new version (`replaced_by`). `deletion_id` only grows, so incremental
--   exports write the deletions since the previous export as tombstones (`v_deleted_calls`).
-- - `corrections`: what a user corrected (`calldb calls set`), keyed by the copy it applies to (source file and record
--   key), so it is applied again whenever that copy is read (a re-import with `--replace`).
-- - Outputs are published in two steps: written under a pending name, recorded, then renamed. `exports.files` and
--   `report_runs.pending_path` say what a run recorded but may not have renamed yet (it was killed in between); the
--   next run finishes the rename.

INSERT INTO archive_state (key, value)
SELECT 'last_call_id', coalesce(max(call_id), 0) FROM calls WHERE true
ON CONFLICT (key) DO NOTHING;

CREATE TRIGGER calls_last_id AFTER INSERT ON calls BEGIN
    INSERT INTO archive_state (key, value) VALUES ('last_call_id', new.call_id)
    ON CONFLICT (key) DO UPDATE SET value = max(CAST(value AS INTEGER), new.call_id);
END;

CREATE TABLE deleted_calls (
    deletion_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id        INTEGER NOT NULL,    -- the id the call had (never given to another call)
    ticker         TEXT,
    company        TEXT    NOT NULL,
    fiscal_year    INTEGER NOT NULL,
    fiscal_quarter INTEGER NOT NULL,
    title          TEXT    NOT NULL,
    source_path    TEXT    NOT NULL,
    record_key     TEXT,
    content_hash   TEXT    NOT NULL,
    reason         TEXT    NOT NULL DEFAULT 'deleted' CHECK (reason IN ('deleted', 'replaced')),
    replaced_by    INTEGER,             -- the call holding the new version, for `replaced`
    deleted_at     TEXT    NOT NULL
);
CREATE INDEX deleted_calls_by_call ON deleted_calls (call_id);

CREATE TRIGGER calls_deleted AFTER DELETE ON calls BEGIN
    INSERT INTO deleted_calls (call_id, ticker, company, fiscal_year, fiscal_quarter, title, source_path, record_key,
        content_hash, deleted_at)
    SELECT old.call_id, co.ticker, co.name, old.fiscal_year, old.fiscal_quarter, old.title, old.source_path,
           old.record_key, old.content_hash, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    FROM companies co WHERE co.company_id = old.company_id;
END;

CREATE VIEW v_deleted_calls AS
SELECT deletion_id,
       call_id,
       ticker,
       company,
       fiscal_year,
       fiscal_quarter,
       title,
       source_path,
       record_key,
       reason,
       replaced_by,
       deleted_at
FROM deleted_calls;

CREATE TABLE corrections (
    correction_id INTEGER PRIMARY KEY,
    source_path   TEXT    NOT NULL,     -- the copy the correction belongs to (as in call_sources)
    record_key    TEXT,
    field         TEXT    NOT NULL CHECK (field IN ('ticker', 'company', 'fiscal_period', 'call_date')),
    old_value     TEXT,
    new_value     TEXT,                 -- NULL: the fact removed (a date, a ticker)
    call_id       INTEGER,              -- the call when it was corrected
    corrected_at  TEXT    NOT NULL,
    corrected_by  TEXT    NOT NULL      -- user@host
);
CREATE INDEX corrections_by_source ON corrections (source_path, record_key);

CREATE VIEW v_corrections AS
SELECT correction_id, call_id, source_path, record_key, field, old_value, new_value, corrected_at, corrected_by
FROM corrections;

ALTER TABLE exports ADD COLUMN max_deletion_id INTEGER NOT NULL DEFAULT 0;
-- JSON array of [pending, final] paths this export wrote; NULL once every file is in place.
ALTER TABLE exports ADD COLUMN files TEXT;
-- The output written under a pending name and not yet renamed to output_path; NULL once published.
ALTER TABLE report_runs ADD COLUMN pending_path TEXT;
