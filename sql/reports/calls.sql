-- name: calls
-- title: Calls
-- description: One row per call: ticker, company, fiscal period, date, duration, turns, analysts who spoke, questions and words.
-- param: ticker | text | | Only calls of this ticker
-- param: since | date | | Only calls on or after this date (YYYY-MM-DD)
-- param: until | date | | Only calls on or before this date (YYYY-MM-DD)
-- param: since_last_run | integer | | Only calls archived after this row of the import log (imports.import_id; `calldb jobs run` fills in the last row the job's previous successful run saw)
-- chart: count | call_date
-- The calls asked for: every call, or one ticker's found through its company (calls_by_identity), so one ticker
-- costs what its own calls cost at any archive size. The branch whose condition is false reads nothing.
WITH chosen AS (
    SELECT call_id FROM calls WHERE :ticker IS NULL
    UNION ALL
    SELECT c.call_id FROM companies co JOIN calls c ON c.company_id = co.company_id
    WHERE :ticker IS NOT NULL AND co.ticker = upper(:ticker)
)
SELECT c.call_id,
       c.ticker || ' ' || c.fiscal_year || ' Q' || c.fiscal_quarter AS call,
       c.ticker,
       c.company,
       c.fiscal_year || ' Q' || c.fiscal_quarter                   AS fiscal_period,
       c.call_date,
       c.duration_minutes,
       c.turns,
       -- analysts who actually spoke, whether or not the participants list names them; every turn of an analyst
       -- is a question (both counts come from the participants index, without reading speech)
       (SELECT count(*) FROM participants p
         WHERE p.call_id = c.call_id AND p.role = 'analyst' AND p.turns > 0)    AS analysts,
       (SELECT coalesce(sum(p.turns), 0) FROM participants p
         WHERE p.call_id = c.call_id AND p.role = 'analyst')                  AS questions,
       c.words
FROM v_calls c
WHERE c.call_id IN chosen
  AND (:since IS NULL OR c.call_date >= :since)
  AND (:until IS NULL OR c.call_date <= :until)
  AND (:since_last_run IS NULL OR c.call_id IN (SELECT i.call_id FROM imports i
       WHERE i.import_id > :since_last_run AND i.status IN ('imported', 'replaced')))
ORDER BY c.call_date, c.ticker;
