-- name: term-trend
-- title: Term trend
-- description: How often a term comes up, per company per fiscal quarter: turns and calls that mention it (FTS5 syntax: stems, "phrases", OR, prefix*).
-- param: term | text | guidance | What to look for, e.g. "gain share" or inflation OR pricing (FTS5 syntax)
-- param: ticker | text | | Only calls of this ticker
-- chart: line | fiscal_period | turns | ticker
WITH hits AS (
    SELECT rowid AS turn_id FROM turns_fts WHERE turns_fts MATCH :term
)
SELECT co.ticker,
       c.fiscal_year,
       c.fiscal_quarter,
       co.ticker || ' ' || c.fiscal_year || ' Q' || c.fiscal_quarter AS period,
       c.fiscal_year || ' Q' || c.fiscal_quarter                     AS fiscal_period,
       count(DISTINCT t.call_id)                                     AS calls,
       count(*)                                                      AS turns
FROM hits h
JOIN turns t ON t.turn_id = h.turn_id
JOIN calls c ON c.call_id = t.call_id
JOIN companies co ON co.company_id = c.company_id
WHERE :ticker IS NULL OR co.ticker = upper(:ticker)
GROUP BY co.ticker, c.fiscal_year, c.fiscal_quarter
ORDER BY co.ticker, c.fiscal_year, c.fiscal_quarter;
