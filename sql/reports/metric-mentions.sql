-- name: metric-mentions
-- title: Figures mentioned
-- description: Figures spoken on calls (currency, percent, basis points, multiples, counts) with what they measure and who said them, most recently imported first.
-- param: ticker | text | | Only calls of this ticker
-- param: subject | text | | Only figures about this (revenue, gross margin, EBITDA, EPS, guidance, …)
-- param: kind | text | | Only this kind: currency, percent, basis_points, multiple, count
-- param: limit | integer | 1000 | Most rows to show
-- Newest first is metric_id order, so the scan stops as soon as `limit` rows are found: no sort of the whole table.
SELECT m.ticker,
       m.fiscal_year || ' Q' || m.fiscal_quarter AS fiscal_period,
       m.call_date,
       m.speaker,
       m.role,
       m.subject,
       m.kind,
       m.value,
       m.value_high,
       m.unit,
       m.text,
       m.call_id,
       m.turn_ordinal
FROM v_metrics m
WHERE (:ticker IS NULL OR m.ticker = upper(:ticker))
  AND (:subject IS NULL OR m.subject = :subject OR m.subject = lower(:subject))
  AND (:kind IS NULL OR m.kind = :kind)
ORDER BY m.metric_id DESC
LIMIT :limit;
