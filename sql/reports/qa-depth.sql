-- name: qa-depth
-- title: Q&A depth
-- description: Per call: analysts who asked, questions, answers, and average words per question and per answer.
-- speakers: required
-- param: ticker | text | | Only calls of this ticker
-- param: since_last_run | integer | | Only calls archived after this row of the import log (imports.import_id; `calldb jobs run` fills in the last row the job's previous successful run saw)
-- Each call's questions and answers are summed as the call is stored (`call_qa`): no turn is read here.
-- The calls asked for: every call, or one ticker's found through its company (calls_by_identity), so one ticker
-- costs what its own calls cost at any archive size. The branch whose condition is false reads nothing.
WITH chosen AS (
    SELECT call_id FROM calls WHERE :ticker IS NULL
    UNION ALL
    SELECT c.call_id FROM companies co JOIN calls c ON c.company_id = co.company_id
    WHERE :ticker IS NOT NULL AND co.ticker = upper(:ticker)
)
SELECT c.call_id,
       co.ticker,
       c.fiscal_year || ' Q' || c.fiscal_quarter                          AS fiscal_period,
       c.call_date,
       q.analysts,
       q.questions,
       q.answers,
       round(1.0 * q.question_words / nullif(q.questions, 0), 1)           AS avg_question_words,
       round(1.0 * q.answer_words / nullif(q.answers, 0), 1)               AS avg_answer_words
FROM calls c
JOIN companies co USING (company_id)
JOIN call_qa q ON q.call_id = c.call_id
WHERE c.speakers_known = 1
  AND c.call_id IN chosen
  AND (:since_last_run IS NULL OR c.call_id IN (SELECT i.call_id FROM imports i
       WHERE i.import_id > :since_last_run AND i.status IN ('imported', 'replaced')))
ORDER BY c.call_date, co.ticker, c.call_id;
