-- name: metric-mentions
-- title: Figures mentioned
-- description: Figures spoken on calls (currency, percent, basis points, multiples, counts) with what they measure and who said them, newest call first.
-- param: ticker | text | | Only calls of this ticker
-- param: subject | text | | Only figures about this (revenue, gross margin, EBITDA, EPS, guidance, …)
-- param: kind | text | | Only this kind: currency, percent, basis_points, multiple, count
-- param: limit | integer | 1000 | Most rows to show
-- Newest call first (by call date; undated calls last), each call's figures in the order spoken. Over the whole
-- archive calls are the outer loop in date order (index calls_by_date), so the scan stops once `limit` rows are
-- found; for one ticker its calls are found through its company (calls_by_identity) and only they are sorted. The
-- arm whose condition is false reads nothing. The arms pick figures only; their columns are read once, for at most
-- `limit` rows.
WITH picked AS (
    SELECT * FROM (
        SELECT c.call_id, c.call_date, m.metric_id
        FROM calls c
        CROSS JOIN metrics m ON m.call_id = c.call_id
        WHERE :ticker IS NULL
          AND (:subject IS NULL OR m.subject = :subject OR m.subject = lower(:subject))
          AND (:kind IS NULL OR m.kind = :kind)
        ORDER BY c.call_date DESC, c.call_id DESC, m.metric_id
        LIMIT :limit)
    UNION ALL
    SELECT * FROM (
        SELECT c.call_id, c.call_date, m.metric_id
        FROM companies co
        JOIN calls c ON c.company_id = co.company_id
        CROSS JOIN metrics m ON m.call_id = c.call_id
        WHERE :ticker IS NOT NULL AND co.ticker = upper(:ticker)
          AND (:subject IS NULL OR m.subject = :subject OR m.subject = lower(:subject))
          AND (:kind IS NULL OR m.kind = :kind)
        ORDER BY c.call_date DESC, c.call_id DESC, m.metric_id
        LIMIT :limit)
)
SELECT co.ticker,
       c.fiscal_year || ' Q' || c.fiscal_quarter AS fiscal_period,
       c.call_date,
       coalesce(t.speaker_name, p.name) AS speaker,
       p.role,
       m.subject,
       m.kind,
       m.value,
       m.value_high,
       m.unit,
       m.text,
       m.call_id,
       t.ordinal AS turn_ordinal,
       m.turn_id,
       m.metric_id
FROM picked pk
JOIN metrics m ON m.metric_id = pk.metric_id
JOIN calls c ON c.call_id = pk.call_id
JOIN companies co ON co.company_id = c.company_id
JOIN turns t ON t.turn_id = m.turn_id
LEFT JOIN participants p ON p.participant_id = t.participant_id
ORDER BY pk.call_date DESC, pk.call_id DESC, pk.metric_id;
