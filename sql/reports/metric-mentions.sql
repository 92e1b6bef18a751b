-- name: metric-mentions
-- title: Figures mentioned
-- description: Figures spoken on calls (currency, percent, basis points, multiples, counts) with what they measure and who said them.
-- param: ticker | text | | Only calls of this ticker
-- param: subject | text | | Only figures about this (revenue, gross margin, EBITDA, EPS, guidance, …)
-- param: kind | text | | Only this kind: currency, percent, basis_points, multiple, count
-- param: since_last_run | timestamp | | Only calls imported after this instant (filled in by `calldb jobs run`)
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
  AND (:subject IS NULL OR m.subject = lower(:subject) OR m.subject = :subject)
  AND (:kind IS NULL OR m.kind = :kind)
  AND (:since_last_run IS NULL OR m.call_id IN (SELECT call_id FROM calls WHERE imported_at > :since_last_run))
ORDER BY m.call_date, m.ticker, m.turn_ordinal, m.start_offset;
