-- name: analyst-coverage
-- title: Analyst coverage
-- description: Each analyst (one person across calls) with firm, calls attended, companies covered, questions asked, and first and last call.
-- speakers: required
-- param: ticker | text | | Only analysts who attended calls of this ticker
WITH chosen AS MATERIALIZED (
    -- the analysts asked about: every analyst, or those who attended a call of the ticker (found through the
    -- ticker's calls, so a one-ticker run reads only its analysts' appearances)
    SELECT DISTINCT p.speaker_id
    FROM participants p
    WHERE :ticker IS NULL AND p.role = 'analyst' AND p.speaker_id IS NOT NULL
    UNION
    SELECT DISTINCT p.speaker_id
    FROM companies co
    JOIN calls c ON c.company_id = co.company_id
    JOIN participants p ON p.call_id = c.call_id
    WHERE :ticker IS NOT NULL AND co.ticker = upper(:ticker) AND p.role = 'analyst' AND p.speaker_id IS NOT NULL
),
appearances AS MATERIALIZED (
    -- every turn of an analyst is a question, so an appearance's turn count is its question count
    SELECT p.speaker_id, p.call_id, p.firm, p.turns AS questions, c.call_date, c.company_id
    FROM chosen ch
    JOIN participants p ON p.speaker_id = ch.speaker_id
    JOIN calls c ON c.call_id = p.call_id
    WHERE p.role = 'analyst'
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
JOIN latest l USING (speaker_id)
JOIN speakers s ON s.speaker_id = a.speaker_id
JOIN companies co ON co.company_id = a.company_id
GROUP BY a.speaker_id
ORDER BY calls DESC, questions DESC, analyst;
