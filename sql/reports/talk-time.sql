-- name: talk-time
-- title: Talk time
-- description: Words and share of the call's words, by role and by speaker, per call (calls in date order, undated last; within a call, roles first, then speakers in order of appearance).
-- speakers: required
-- param: ticker | text | | Only calls of this ticker
-- param: since_last_run | integer | | Only calls archived after this row of the import log (imports.import_id; `calldb jobs run` fills in the last row the job's previous successful run saw)
-- chart: stacked | ticker+fiscal_period | words | role | level=role
-- Each call's per-role sums are kept as the call is stored (`call_roles`) and each participant row carries the turns
-- and words of that speaker in that call, so no speech is read and nothing is summed; the only sort is of these
-- rows, by date.
-- The calls asked for: every call, or one ticker's found through its company (calls_by_identity), so one ticker
-- costs what its own calls cost at any archive size. The branch whose condition is false reads nothing.
WITH chosen AS (
    SELECT call_id FROM calls WHERE :ticker IS NULL
    UNION ALL
    SELECT c.call_id FROM companies co JOIN calls c ON c.company_id = co.company_id
    WHERE :ticker IS NOT NULL AND co.ticker = upper(:ticker)
)
SELECT * FROM (
SELECT c.call_id                                             AS call_id,
       co.ticker                                             AS ticker,
       c.fiscal_year || ' Q' || c.fiscal_quarter             AS fiscal_period,
       c.call_date                                           AS call_date,
       'role'                                                AS level,
       r.role                                                AS role,
       NULL                                                  AS speaker,
       r.role                                                AS label,
       r.turns                                               AS turns,
       r.words                                               AS words,
       round(100.0 * r.words / nullif(c.word_count, 0), 1)  AS share_pct
FROM calls c
JOIN companies co ON co.company_id = c.company_id
JOIN call_roles r ON r.call_id = c.call_id
WHERE r.turns > 0
  AND c.call_id IN chosen
  AND (:since_last_run IS NULL OR c.call_id IN (SELECT i.call_id FROM imports i
       WHERE i.import_id > :since_last_run AND i.status IN ('imported', 'replaced')))
UNION ALL
SELECT c.call_id,
       co.ticker,
       c.fiscal_year || ' Q' || c.fiscal_quarter,
       c.call_date,
       'speaker',
       p.role,
       p.name,
       p.name,
       p.turns,
       p.words,
       round(100.0 * p.words / nullif(c.word_count, 0), 1)
FROM calls c
JOIN companies co ON co.company_id = c.company_id
JOIN participants p ON p.call_id = c.call_id
WHERE p.turns > 0
  AND c.call_id IN chosen
  AND (:since_last_run IS NULL OR c.call_id IN (SELECT i.call_id FROM imports i
       WHERE i.import_id > :since_last_run AND i.status IN ('imported', 'replaced')))
)
ORDER BY call_date IS NULL, call_date, ticker, call_id, level;
