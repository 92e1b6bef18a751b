-- calldb archive, version 14: v_guidance_changes answers for one company at the cost of that company's calls.
--
-- Version 13 found each statement's predecessor with window functions over every statement of the archive; SQLite
-- cannot push a company's filter through a window, so `guidance-changes --param ticker X` read all of them (24 s at
-- 100,000 calls). Here each call's first statement of a metric, measure, unit and period is found by NOT EXISTS,
-- and its predecessor by a look-up through the same company's calls (calls_by_identity, guidance_by_call), so a
-- filter on the company reaches the first table read: 0.01 s for one company at 100,000 calls. The rows are the
-- same as version 13's, column for column.
DROP VIEW v_guidance_changes;

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
       j.sentence,
       j.turn_id
FROM judged j
JOIN companies co ON co.company_id = j.company_id;
