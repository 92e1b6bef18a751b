-- calldb archive, version 13: guidance as data.
-- - `guidance`: each forward-looking figure management gives ("we now expect full-year revenue of $4.2 to $4.4
--   billion"), with the metric (the figures' vocabulary), the period it is for (resolved against the call's own
--   fiscal period), low and high (equal for a single figure; negative for a fall said in words; NULL for a
--   withdrawal), unit, the stance of the words and the sentence. Derived from the turns as a call is stored; `migrate`
--   derives it for calls stored before (their analysis version is older).
-- - `v_guidance`: guidance with its call, company and speaker.
-- - `v_guidance_changes`: for each company, metric and target period, each call's guidance against the previous
--   call's: initiated, raised, lowered, narrowed, widened, reaffirmed or withdrawn, computed from the numbers, beside
--   what the words said.

CREATE TABLE guidance (
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
    sentence       TEXT    NOT NULL
);
CREATE INDEX guidance_by_call ON guidance (call_id);
CREATE INDEX guidance_by_turn ON guidance (turn_id);

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
       g.sentence
FROM guidance g
JOIN turns t ON t.turn_id = g.turn_id
LEFT JOIN participants p ON p.participant_id = t.participant_id
JOIN calls c ON c.call_id = g.call_id
JOIN companies co ON co.company_id = c.company_id;

-- One statement per call for each company, metric, measure, unit and period (the first said), then each against the
-- one before it in call order. A midpoint within 0.5 % of the previous one is unchanged; then a narrower range is
-- narrowed, a wider one widened, the same reaffirmed.
CREATE VIEW v_guidance_changes AS
WITH firsts AS (
    SELECT g.*, c.company_id, c.call_date,
           row_number() OVER (PARTITION BY g.call_id, coalesce(g.metric, ''), g.measure, coalesce(g.unit, ''),
                                           coalesce(g.period, '')
                              ORDER BY g.guidance_id) AS nth
    FROM guidance g
    JOIN calls c ON c.call_id = g.call_id
),
sequenced AS (
    SELECT f.*,
           lag(f.call_id)  OVER w AS previous_call_id,
           lag(f.call_date) OVER w AS previous_call_date,
           lag(f.low)      OVER w AS previous_low,
           lag(f.high)     OVER w AS previous_high,
           lag(f.midpoint) OVER w AS previous_midpoint
    FROM firsts f
    WHERE f.nth = 1
    WINDOW w AS (PARTITION BY f.company_id, coalesce(f.metric, ''), f.measure, coalesce(f.unit, ''),
                              coalesce(f.period, '')
                 ORDER BY f.call_date, f.call_id)
),
judged AS (
    SELECT s.*,
           CASE
               WHEN s.stance = 'withdraw' THEN 'withdrawn'
               WHEN s.previous_call_id IS NULL THEN 'initiated'
               WHEN s.midpoint IS NULL OR s.previous_midpoint IS NULL THEN 'initiated'
               WHEN abs(s.midpoint - s.previous_midpoint) <= 0.005 * max(abs(s.previous_midpoint), 1e-9) THEN
                   CASE
                       WHEN (s.high - s.low) < (s.previous_high - s.previous_low) - 1e-9 THEN 'narrowed'
                       WHEN (s.high - s.low) > (s.previous_high - s.previous_low) + 1e-9 THEN 'widened'
                       ELSE 'reaffirmed'
                   END
               WHEN s.midpoint > s.previous_midpoint THEN 'raised'
               ELSE 'lowered'
           END AS change
    FROM sequenced s
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
       j.sentence,
       j.turn_id
FROM judged j
JOIN companies co ON co.company_id = j.company_id;
