-- name: analyst-coverage
-- title: Analyst coverage
-- description: Each analyst (one person across calls) with firm, calls attended, companies covered, questions asked, and first and last call.
-- speakers: required
-- param: ticker | text | | Only analysts who attended calls of this ticker
WITH appearances AS MATERIALIZED (
    -- every turn of an analyst is a question, so an appearance's turn count is its question count
    SELECT p.speaker_id, p.call_id, p.firm, p.turns AS questions, c.call_date, c.company_id
    FROM participants p
    JOIN calls c ON c.call_id = p.call_id
    WHERE p.role = 'analyst' AND p.speaker_id IS NOT NULL
),
chosen AS (
    SELECT DISTINCT a.speaker_id
    FROM appearances a JOIN companies co ON co.company_id = a.company_id
    WHERE :ticker IS NULL OR co.ticker = upper(:ticker)
),
latest AS (
    -- SQLite takes bare columns from the row that holds the max(): the firm as written on the latest call
    SELECT speaker_id, firm, max(call_date) FROM appearances GROUP BY speaker_id
)
SELECT a.speaker_id,
       s.name                           AS analyst,
       l.firm                           AS firm,
       count(DISTINCT a.call_id)        AS calls,
       count(DISTINCT a.company_id)     AS companies,
       json_group_array(DISTINCT co.ticker) FILTER (WHERE co.ticker IS NOT NULL) AS tickers,
       sum(a.questions)                 AS questions,
       min(a.call_date)                 AS first_call,
       max(a.call_date)                 AS last_call
FROM appearances a
JOIN chosen USING (speaker_id)
JOIN latest l USING (speaker_id)
JOIN speakers s ON s.speaker_id = a.speaker_id
JOIN companies co ON co.company_id = a.company_id
GROUP BY a.speaker_id
ORDER BY calls DESC, questions DESC, analyst;
