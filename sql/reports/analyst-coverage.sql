-- name: analyst-coverage
-- title: Analyst coverage
-- description: Each analyst (one person across calls) with firm, calls attended, companies covered, questions asked, and first and last call.
-- param: ticker | text | | Only analysts who attended calls of this ticker
SELECT s.speaker_id,
       s.name                                  AS analyst,
       -- the firm as most recently written
       (SELECT p2.firm FROM participants p2 JOIN calls c2 USING (call_id)
         WHERE p2.speaker_id = s.speaker_id AND p2.firm IS NOT NULL
         ORDER BY c2.call_date DESC LIMIT 1)   AS firm,
       count(DISTINCT p.call_id)               AS calls,
       count(DISTINCT c.company_id)            AS companies,
       group_concat(DISTINCT co.ticker)        AS tickers,
       (SELECT count(*) FROM turns t JOIN participants p3 USING (participant_id)
         WHERE p3.speaker_id = s.speaker_id AND t.kind = 'question') AS questions,
       min(c.call_date)                        AS first_call,
       max(c.call_date)                        AS last_call
FROM speakers s
JOIN participants p ON p.speaker_id = s.speaker_id AND p.role = 'analyst'
JOIN calls c ON c.call_id = p.call_id
JOIN companies co ON co.company_id = c.company_id
WHERE :ticker IS NULL
   OR s.speaker_id IN (SELECT p4.speaker_id FROM participants p4
                       JOIN calls c4 USING (call_id) JOIN companies co4 USING (company_id)
                       WHERE co4.ticker = upper(:ticker))
GROUP BY s.speaker_id
ORDER BY calls DESC, questions DESC, analyst;
