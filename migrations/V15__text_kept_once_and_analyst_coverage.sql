-- calldb archive, version 15: a guided figure's sentence and most speaker names are kept once, in the turn; analyst-
-- coverage is kept as calls are stored.
--
-- - The sentence a guided figure was said in (`guidance.sentence`) was a copy of part of its turn's text, 2 % of an
--   archive. It is kept as its character offsets in that text (`sentence_start`, `sentence_end`), and v_guidance and
--   v_guidance_changes give the same `sentence`, read from the turn's text with substr, row for row. (A figure's own
--   text, `metrics.text` and `guidance.text`, stays: a few bytes each, and reading it back from the turn's text would
--   make a scan of v_metrics read every turn that holds a figure, 2.6 times the time at 11,000 calls.)
-- - `turns.speaker_name` (the name as the speaker line writes it) is NULL where it is the name of the participant the
--   line resolves to, as it is for nearly every turn: v_turns.speaker and v_metrics.speaker read that name then.
--   Turns stored before keep the name they have (it is the same either way), so no turn is rewritten.
-- - `turns_by_call_kind`, the covering index the qa-depth report read before version 9 kept each call's questions
--   and answers (`call_qa`), goes: nothing reads it, and it was 2 % of an archive.
-- - `analyst_coverage`: analyst-coverage's row for each analyst (calls, companies, tickers, questions, first and last
--   call, firm on the latest call), so the report over the whole archive reads a row per analyst instead of
--   aggregating every analyst appearance (5-7 s at 100,000 calls). Triggers on `participants`, `calls` and
--   `companies` mark an analyst whose appearances, or their calls' dates, companies or tickers, change in
--   `analyst_coverage_stale`, in the transaction that changes them; the writer builds the marked rows again from
--   the appearances before it finishes (`archive::coverage`), and until then the report computes those analysts
--   from their appearances, so it is right at every moment, crashes included. Every existing analyst is marked
--   here; the writer that migrates builds their rows.
--
-- Offsets are in characters, as SQLite's substr and instr count them in text. A sentence is found in its turn at or
-- after the earliest place a sentence holding the figure can start (a sentence said twice in a turn is the same text
-- wherever it is found). A sentence its turn's text does not hold verbatim (none is known: the sentences were cut
-- from that text) marks its call for analysis again (`analysis_version` 0), so the next write derives its guidance
-- from the turns once more; until then its sentence is the figure itself.
--
-- SQLite cannot drop a column that views name without rewriting the table anyway: `guidance` is rebuilt (create new,
-- copy, drop old, rename) keeping every row id and its indexes as they were. Migrations run with foreign-key
-- enforcement off and this file checks the keys itself before it commits. The space the sentences took is free
-- inside the file for later imports to reuse (`VACUUM` gives it back to the disk).

DROP INDEX IF EXISTS turns_by_call_kind;

DROP VIEW v_turns;
DROP VIEW v_metrics;
DROP VIEW v_guidance_changes;
DROP VIEW v_guidance;

-- Calls with a sentence their turn's text does not hold: analysed again by the next write.
UPDATE calls SET analysis_version = 0
WHERE call_id IN (SELECT g.call_id FROM guidance g JOIN turns t ON t.turn_id = g.turn_id
                  WHERE instr(t.text, g.sentence) = 0);

CREATE TABLE guidance_new (
    guidance_id    INTEGER PRIMARY KEY,
    call_id        INTEGER NOT NULL REFERENCES calls (call_id) ON DELETE CASCADE,
    turn_id        INTEGER NOT NULL REFERENCES turns (turn_id) ON DELETE CASCADE,
    metric         TEXT,               -- revenue, EPS, gross margin, tax rate, … (NULL: guidance as a whole)
    measure        TEXT    NOT NULL CHECK (measure IN ('level', 'growth')),
    period         TEXT,               -- FY2022, 2022 Q3, H2 2022
    period_kind    TEXT    CHECK (period_kind IN ('year', 'quarter', 'half')),
    period_year    INTEGER,            -- the fiscal year the period is in
    period_part    INTEGER,            -- the quarter (1-4) or half (1-2); NULL for a year
    low            REAL,
    high           REAL,
    midpoint       REAL,
    unit           TEXT,               -- USD, USD/share, %, bps, x, or the counted noun
    stance         TEXT    NOT NULL CHECK (stance IN ('initiate', 'raise', 'lower', 'reaffirm', 'narrow', 'widen',
                                                      'withdraw', 'stated')),
    basis          TEXT    CHECK (basis IN ('adjusted', 'reported')),
    text           TEXT    NOT NULL,   -- the figure as said (empty for a withdrawal)
    start_offset   INTEGER NOT NULL,   -- character offsets of the figure in the turn's text
    end_offset     INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL,   -- character offsets of the sentence in the turn's text (v_guidance.sentence)
    sentence_end   INTEGER NOT NULL
);
INSERT INTO guidance_new (guidance_id, call_id, turn_id, metric, measure, period, period_kind, period_year,
        period_part, low, high, midpoint, unit, stance, basis, text, start_offset, end_offset, sentence_start,
        sentence_end)
SELECT guidance_id, call_id, turn_id, metric, measure, period, period_kind, period_year, period_part, low, high,
       midpoint, unit, stance, basis, text, start_offset, end_offset,
       CASE WHEN found > 0 THEN found - 1 ELSE start_offset END,
       CASE WHEN found > 0 THEN found - 1 + sentence_chars ELSE end_offset END
FROM (
    SELECT g.*, length(g.sentence) AS sentence_chars,
           -- the first place at or after the earliest start of a sentence holding the figure, else anywhere
           coalesce(nullif(instr(substr(t.text, max(g.end_offset - length(g.sentence), 0) + 1), g.sentence)
                           + max(g.end_offset - length(g.sentence), 0), max(g.end_offset - length(g.sentence), 0)),
                    instr(t.text, g.sentence)) AS found
    FROM guidance g
    JOIN turns t ON t.turn_id = g.turn_id
);
DROP TABLE guidance;
ALTER TABLE guidance_new RENAME TO guidance;
CREATE INDEX guidance_by_call ON guidance (call_id);
CREATE INDEX guidance_by_turn ON guidance (turn_id);

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
       CAST(coalesce(t.speaker_name, p.name) AS TEXT) AS speaker,
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

CREATE VIEW v_metrics AS
SELECT m.metric_id,
       m.call_id,
       co.ticker,
       c.call_date,
       c.fiscal_year,
       c.fiscal_quarter,
       t.turn_id,
       t.ordinal         AS turn_ordinal,
       CAST(coalesce(t.speaker_name, p.name) AS TEXT) AS speaker,
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

CREATE VIEW v_guidance AS
SELECT g.guidance_id,
       g.call_id,
       co.ticker,
       co.name           AS company,
       c.call_date,
       c.fiscal_year,
       c.fiscal_quarter,
       t.turn_id,
       t.ordinal         AS turn_ordinal,
       p.name            AS speaker,
       p.role,
       g.metric,
       g.measure,
       g.period,
       g.period_kind,
       g.period_year,
       g.period_part,
       g.low,
       g.high,
       g.midpoint,
       g.unit,
       g.stance,
       g.basis,
       g.text,
       CAST(substr(t.text, g.sentence_start + 1, g.sentence_end - g.sentence_start) AS TEXT) AS sentence
FROM guidance g
JOIN turns t ON t.turn_id = g.turn_id
LEFT JOIN participants p ON p.participant_id = t.participant_id
JOIN calls c ON c.call_id = g.call_id
JOIN companies co ON co.company_id = c.company_id;

-- As version 14 wrote it, the sentence read from the turn once each statement is chosen.
CREATE VIEW v_guidance_changes AS
WITH firsts AS (
    -- each call's first statement of a metric, measure, unit and period
    SELECT g.*, c.company_id, c.call_date
    FROM guidance g
    JOIN calls c ON c.call_id = g.call_id
    WHERE NOT EXISTS (
        SELECT 1 FROM guidance e
        WHERE e.call_id = g.call_id AND e.guidance_id < g.guidance_id
          AND coalesce(e.metric, '') = coalesce(g.metric, '') AND e.measure = g.measure
          AND coalesce(e.unit, '') = coalesce(g.unit, '') AND coalesce(e.period, '') = coalesce(g.period, ''))
),
sequenced AS (
    -- the same company's previous call that guided the same metric, measure, unit and period (calls in date
    -- order, undated first), found through the company's calls: one company costs what its own calls cost
    SELECT f.*,
           (SELECT g2.guidance_id
            FROM calls c2
            JOIN guidance g2 ON g2.call_id = c2.call_id
            WHERE c2.company_id = f.company_id
              AND (coalesce(c2.call_date, ''), c2.call_id) < (coalesce(f.call_date, ''), f.call_id)
              AND coalesce(g2.metric, '') = coalesce(f.metric, '') AND g2.measure = f.measure
              AND coalesce(g2.unit, '') = coalesce(f.unit, '') AND coalesce(g2.period, '') = coalesce(f.period, '')
            ORDER BY coalesce(c2.call_date, '') DESC, c2.call_id DESC, g2.guidance_id
            LIMIT 1) AS previous_guidance_id
    FROM firsts f
),
judged AS (
    SELECT s.*,
           p.call_id  AS previous_call_id,
           pc.call_date AS previous_call_date,
           p.low      AS previous_low,
           p.high     AS previous_high,
           p.midpoint AS previous_midpoint,
           CASE
               WHEN s.stance = 'withdraw' THEN 'withdrawn'
               WHEN p.call_id IS NULL THEN 'initiated'
               WHEN s.midpoint IS NULL OR p.midpoint IS NULL THEN 'initiated'
               WHEN abs(s.midpoint - p.midpoint) <= 0.005 * max(abs(p.midpoint), 1e-9) THEN
                   CASE
                       WHEN (s.high - s.low) < (p.high - p.low) - 1e-9 THEN 'narrowed'
                       WHEN (s.high - s.low) > (p.high - p.low) + 1e-9 THEN 'widened'
                       ELSE 'reaffirmed'
                   END
               WHEN s.midpoint > p.midpoint THEN 'raised'
               ELSE 'lowered'
           END AS change
    FROM sequenced s
    LEFT JOIN guidance p ON p.guidance_id = s.previous_guidance_id
    LEFT JOIN calls pc ON pc.call_id = p.call_id
)
SELECT j.guidance_id,
       j.call_id,
       co.ticker,
       co.name AS company,
       j.call_date,
       j.metric,
       j.measure,
       j.period,
       j.unit,
       j.previous_call_id,
       j.previous_call_date,
       j.previous_low,
       j.previous_high,
       j.low,
       j.high,
       j.change,
       round(100.0 * (j.midpoint - j.previous_midpoint) / nullif(abs(j.previous_midpoint), 0), 2) AS midpoint_change_pct,
       j.stance AS said,
       -- What the words claimed (raise, lower, …) against what the numbers did; NULL when the words claim no change.
       CASE
           WHEN j.stance = 'stated' THEN NULL
           WHEN j.stance || 'd' = j.change OR j.stance || 'ed' = j.change
                OR (j.stance = 'raise' AND j.change = 'raised') OR (j.stance = 'lower' AND j.change = 'lowered')
                OR (j.stance = 'initiate' AND j.change = 'initiated') OR (j.stance = 'withdraw' AND j.change = 'withdrawn')
                OR (j.stance = 'narrow' AND j.change = 'narrowed') OR (j.stance = 'widen' AND j.change = 'widened')
                OR (j.stance = 'reaffirm' AND j.change = 'reaffirmed') THEN 1
           ELSE 0
       END AS words_agree,
       j.text,
       CAST(substr(t.text, j.sentence_start + 1, j.sentence_end - j.sentence_start) AS TEXT) AS sentence,
       j.turn_id
FROM judged j
JOIN companies co ON co.company_id = j.company_id
JOIN turns t ON t.turn_id = j.turn_id;

-- analyst-coverage's row for each analyst, as the report gives it (the analyst's name is read from `speakers`).
CREATE TABLE analyst_coverage (
    speaker_id INTEGER PRIMARY KEY REFERENCES speakers (speaker_id) ON DELETE CASCADE,
    firm       TEXT,               -- the firm as written on the latest call
    calls      INTEGER NOT NULL,   -- calls attended as an analyst
    companies  INTEGER NOT NULL,
    tickers    TEXT    NOT NULL,   -- JSON array, in the order of the analyst's first call with each company
    questions  INTEGER NOT NULL,   -- turns (every turn of an analyst is a question)
    first_call TEXT,               -- dates of the first and last call (NULL when none is dated)
    last_call  TEXT
);

-- Analysts whose row above is to be built again (or removed): marked in the transaction that changes what it sums.
CREATE TABLE analyst_coverage_stale (
    speaker_id INTEGER PRIMARY KEY
);

CREATE TRIGGER participants_coverage_insert AFTER INSERT ON participants
WHEN new.role = 'analyst' AND new.speaker_id IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO analyst_coverage_stale (speaker_id) VALUES (new.speaker_id);
END;

CREATE TRIGGER participants_coverage_delete AFTER DELETE ON participants
WHEN old.role = 'analyst' AND old.speaker_id IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO analyst_coverage_stale (speaker_id) VALUES (old.speaker_id);
END;

-- A merge or split moves appearances between people; any other change to what the row sums marks it too.
CREATE TRIGGER participants_coverage_update AFTER UPDATE OF speaker_id, role, firm, turns, call_id ON participants
WHEN old.role = 'analyst' OR new.role = 'analyst'
BEGIN
    INSERT OR IGNORE INTO analyst_coverage_stale (speaker_id)
    SELECT old.speaker_id WHERE old.role = 'analyst' AND old.speaker_id IS NOT NULL
    UNION ALL
    SELECT new.speaker_id WHERE new.role = 'analyst' AND new.speaker_id IS NOT NULL;
END;

-- A corrected date or company (a ticker set right moves the call to another company).
CREATE TRIGGER calls_coverage_update AFTER UPDATE OF call_date, company_id ON calls
WHEN old.call_date IS NOT new.call_date OR old.company_id IS NOT new.company_id
BEGIN
    INSERT OR IGNORE INTO analyst_coverage_stale (speaker_id)
    SELECT speaker_id FROM participants WHERE call_id = new.call_id AND role = 'analyst' AND speaker_id IS NOT NULL;
END;

-- Before the call goes, while its appearances are still there to say whose rows it was in (a delete with foreign
-- keys off, as the sqlite3 shell runs by default, leaves them behind, and the report leaves them out).
CREATE TRIGGER calls_coverage_delete BEFORE DELETE ON calls
BEGIN
    INSERT OR IGNORE INTO analyst_coverage_stale (speaker_id)
    SELECT speaker_id FROM participants WHERE call_id = old.call_id AND role = 'analyst' AND speaker_id IS NOT NULL;
END;

-- A ticker learnt or corrected is in the rows of the analysts of that company's calls.
CREATE TRIGGER companies_coverage_ticker AFTER UPDATE OF ticker ON companies
WHEN old.ticker IS NOT new.ticker
BEGIN
    INSERT OR IGNORE INTO analyst_coverage_stale (speaker_id)
    SELECT p.speaker_id
    FROM calls c
    JOIN participants p ON p.call_id = c.call_id
    WHERE c.company_id = new.company_id AND p.role = 'analyst' AND p.speaker_id IS NOT NULL;
END;

INSERT INTO analyst_coverage_stale (speaker_id)
SELECT DISTINCT speaker_id FROM participants WHERE role = 'analyst' AND speaker_id IS NOT NULL;

-- Every reference still points at an existing row; a violation aborts the migration (the CHECK fails) and the
-- archive is left as it was.
CREATE TEMP TABLE v15_foreign_keys_hold (ok INTEGER CHECK (ok = 1));
INSERT INTO v15_foreign_keys_hold SELECT 0 FROM pragma_foreign_key_check LIMIT 1;
DROP TABLE v15_foreign_keys_hold;
