-- name: talk-time
-- title: Talk time
-- description: Words and share of the call's words, by role and by speaker, per call.
-- param: ticker | text | | Only calls of this ticker
-- param: since_last_run | timestamp | | Only calls imported after this instant (filled in by `calldb jobs run`)
-- chart: bar | label | words
WITH chosen AS (
    SELECT c.call_id, co.ticker, c.fiscal_year, c.fiscal_quarter, c.call_date, c.word_count
    FROM calls c JOIN companies co USING (company_id)
    WHERE (:ticker IS NULL OR co.ticker = upper(:ticker))
      AND (:since_last_run IS NULL OR c.imported_at > :since_last_run)
),
per_speaker AS (
    SELECT t.call_id, p.participant_id, p.name, p.role, count(*) AS turns, sum(t.words) AS words
    FROM chosen ch
    JOIN turns t ON t.call_id = ch.call_id
    JOIN participants p ON p.participant_id = t.participant_id
    GROUP BY t.call_id, p.participant_id
),
rows AS (
    -- one row per role ...
    SELECT call_id, 'role' AS level, role, NULL AS speaker, role AS label, sum(turns) AS turns, sum(words) AS words
    FROM per_speaker GROUP BY call_id, role
    UNION ALL
    -- ... and one per speaker
    SELECT call_id, 'speaker', role, name, name, turns, words FROM per_speaker
)
SELECT ch.call_id,
       ch.ticker,
       ch.fiscal_year || ' Q' || ch.fiscal_quarter AS fiscal_period,
       ch.call_date,
       r.level,
       r.role,
       r.speaker,
       r.label,
       r.turns,
       r.words,
       round(100.0 * r.words / nullif(ch.word_count, 0), 1) AS share_pct
FROM rows r JOIN chosen ch USING (call_id)
ORDER BY ch.call_date, ch.ticker, ch.call_id, r.level, r.words DESC;
