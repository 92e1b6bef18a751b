-- name: guidance-changes
-- title: Guidance changes
-- description: For each company, metric and target period, each call's guidance against the previous call's: initiated, raised, lowered, narrowed, widened, reaffirmed or withdrawn, with the midpoint change, computed from the numbers beside what management said (words_agree 0 marks a disagreement).
-- param: ticker | text | | Only this company
-- param: since | date | | Only guidance given on or after this date (YYYY-MM-DD)
-- param: metric | text | | Only this metric (revenue, EPS, gross margin, tax rate, …)
WITH chosen AS (
    -- every company's guidance, or one ticker's found through its company (the view's first table read, so one
    -- ticker costs what its own calls cost); the arm whose condition is false reads nothing
    SELECT * FROM v_guidance_changes WHERE :ticker IS NULL
    UNION ALL
    SELECT * FROM v_guidance_changes WHERE :ticker IS NOT NULL AND ticker = upper(:ticker)
)
SELECT ticker,
       call_date,
       metric,
       measure,
       period,
       unit,
       change,
       said,
       words_agree,
       previous_low,
       previous_high,
       low,
       high,
       midpoint_change_pct,
       previous_call_date,
       text,
       sentence,
       call_id,
       turn_id
FROM chosen
WHERE (:since IS NULL OR call_date >= :since)
  AND (:metric IS NULL OR lower(metric) = lower(:metric))
ORDER BY ticker, metric, period, call_date, guidance_id;
