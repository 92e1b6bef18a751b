-- name: executive-roster
-- title: Executive roster
-- description: Each company's executives and investor-relations staff, with every title seen and their first and last call.
-- speakers: required
-- param: ticker | text | | Only this company
-- The calls asked for: every call, or one ticker's found through its company (calls_by_identity), so one ticker
-- costs what its own calls cost at any archive size. The branch whose condition is false reads nothing.
WITH chosen AS (
    SELECT call_id FROM calls WHERE :ticker IS NULL
    UNION ALL
    SELECT c.call_id FROM companies co JOIN calls c ON c.company_id = co.company_id
    WHERE :ticker IS NOT NULL AND co.ticker = upper(:ticker)
)
SELECT co.ticker,
       co.name                            AS company,
       s.name                             AS executive,
       json_group_array(DISTINCT p.role)  AS roles,
       json_group_array(DISTINCT p.title) FILTER (WHERE p.title IS NOT NULL) AS titles,
       count(DISTINCT p.call_id)          AS calls,
       min(c.call_date)                   AS first_call,
       max(c.call_date)                   AS last_call
FROM participants p
JOIN speakers s ON s.speaker_id = p.speaker_id
JOIN calls c ON c.call_id = p.call_id
JOIN companies co ON co.company_id = c.company_id
WHERE p.role IN ('executive', 'investor_relations')
  AND c.call_id IN chosen
GROUP BY co.company_id, s.speaker_id
ORDER BY co.ticker, calls DESC, executive;
