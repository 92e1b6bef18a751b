-- name: term-trend
-- title: Term trend
-- description: How often a term comes up: per company and quarter, the calls, the words spoken, the mentions (turns that use the term, or every occurrence) and mentions per 10,000 words, zeros included (FTS5 syntax: stems, "phrases", OR, prefix*).
-- param: term | text | guidance | What to look for, e.g. "gain share" or inflation OR pricing (FTS5 syntax)
-- param: ticker | text | | Only calls of this ticker
-- param: quarters | one of calendar, fiscal | calendar | Calendar quarters of the call date (comparable across companies) or each company's fiscal quarters
-- param: count | one of turns, occurrences | turns | A mention is a turn that uses the term, or every occurrence (reads each matching turn: slower on common terms)
-- chart: trend | quarter | per_10k_words | ticker | weight=words
-- Every call of the companies asked for is counted, with or without a mention, so a term's emergence shows as a rise
-- from zero. Calls without a date have no calendar quarter: their rows have a NULL quarter and the chart says so.
WITH matched AS MATERIALIZED (
    -- the turns that use the term: over every call, all of them; for one ticker, only those of its calls, each call's
    -- turns sought in the index by their range of ids (FTS5 skips to them) rather than every match read
    SELECT rowid AS turn_id,
           CASE WHEN lower(:count) = 'occurrences'
                THEN highlight(turns_fts, 0, char(1), char(2)) END AS marked
    FROM turns_fts
    WHERE :ticker IS NULL AND turns_fts MATCH :term
    UNION ALL
    SELECT turns_fts.rowid,
           CASE WHEN lower(:count) = 'occurrences'
                THEN highlight(turns_fts, 0, char(1), char(2)) END
    FROM companies co
    CROSS JOIN calls c ON c.company_id = co.company_id
    CROSS JOIN turns_fts
    CROSS JOIN turns t ON t.turn_id = turns_fts.rowid
    WHERE :ticker IS NOT NULL AND co.ticker = upper(:ticker)
      AND turns_fts MATCH :term
      AND turns_fts.rowid BETWEEN (SELECT min(turn_id) FROM turns WHERE call_id = c.call_id)
                              AND (SELECT max(turn_id) FROM turns WHERE call_id = c.call_id)
      AND t.call_id = c.call_id
),
per_call AS (
    SELECT t.call_id,
           CASE WHEN lower(:count) = 'occurrences'
                THEN sum(length(m.marked) - length(replace(m.marked, char(1), '')))
                ELSE count(*) END AS mentions
    FROM matched m
    JOIN turns t ON t.turn_id = m.turn_id
    GROUP BY t.call_id
),
calls_in AS (
    SELECT c.call_id,
           co.ticker,
           c.word_count,
           CASE WHEN lower(:quarters) = 'fiscal'
                THEN c.fiscal_year || ' Q' || c.fiscal_quarter
                ELSE strftime('%Y', c.call_date) || ' Q' || ((CAST(strftime('%m', c.call_date) AS INTEGER) + 2) / 3)
           END AS quarter
    FROM calls c
    JOIN companies co ON co.company_id = c.company_id
    WHERE :ticker IS NULL OR co.ticker = upper(:ticker)
)
SELECT ci.ticker,
       ci.quarter,
       count(*)                                                                 AS calls,
       sum(ci.word_count)                                                       AS words,
       coalesce(sum(pc.mentions), 0)                                            AS mentions,
       count(pc.call_id)                                                        AS calls_mentioning,
       round(10000.0 * coalesce(sum(pc.mentions), 0) / nullif(sum(ci.word_count), 0), 2) AS per_10k_words
FROM calls_in ci
LEFT JOIN per_call pc ON pc.call_id = ci.call_id
GROUP BY ci.ticker, ci.quarter
ORDER BY ci.ticker, ci.quarter IS NULL, ci.quarter;
