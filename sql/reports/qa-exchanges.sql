-- name: qa-exchanges
-- title: Q&A exchanges
-- description: Each analyst's exchange with management: questions and answers with their words, in call order.
-- speakers: required
-- param: ticker | text | | Only calls of this ticker
-- param: analyst | text | | Only analysts whose name contains this text
-- param: since_last_run | integer | | Only calls archived after this row of the import log (imports.import_id; `calldb jobs run` fills in the last row the job's previous successful run saw)
-- chart: bar | ticker+fiscal_period+analyst | answer_words
-- The calls asked for: every call, or one ticker's found through its company (calls_by_identity), so one ticker
-- costs what its own calls cost at any archive size. The branch whose condition is false reads nothing.
WITH chosen AS (
    SELECT call_id FROM calls WHERE :ticker IS NULL
    UNION ALL
    SELECT c.call_id FROM companies co JOIN calls c ON c.company_id = co.company_id
    WHERE :ticker IS NOT NULL AND co.ticker = upper(:ticker)
)
SELECT e.exchange_id,
       e.call_id,
       co.ticker,
       c.call_date,
       c.fiscal_year || ' Q' || c.fiscal_quarter AS fiscal_period,
       e.ordinal,
       e.analyst,
       e.firm,
       e.questions,
       e.answers,
       e.question_words,
       e.answer_words,
       e.first_ordinal,
       e.last_ordinal
FROM v_exchanges e
JOIN calls c ON c.call_id = e.call_id
JOIN companies co ON co.company_id = c.company_id
WHERE c.call_id IN chosen
  AND (:analyst IS NULL OR e.analyst LIKE '%' || :analyst || '%')
  AND (:since_last_run IS NULL OR c.call_id IN (SELECT i.call_id FROM imports i
       WHERE i.import_id > :since_last_run AND i.status IN ('imported', 'replaced')))
ORDER BY c.call_date, co.ticker, e.call_id, e.ordinal;
