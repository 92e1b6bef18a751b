-- name: qa-depth
-- title: Q&A depth
-- description: Per call: analysts who asked, questions, answers, and average words per question and per answer.
-- param: ticker | text | | Only calls of this ticker
-- param: since_last_run | integer | | Only calls archived after this row of the import log (imports.import_id; `calldb jobs run` fills in the last row the job's previous successful run saw)
SELECT c.call_id,
       co.ticker,
       c.fiscal_year || ' Q' || c.fiscal_quarter                          AS fiscal_period,
       c.call_date,
       count(DISTINCT CASE WHEN t.kind = 'question' THEN t.participant_id END) AS analysts,
       sum(t.kind = 'question')                                             AS questions,
       sum(t.kind = 'answer')                                               AS answers,
       round(avg(CASE WHEN t.kind = 'question' THEN t.words END), 1)        AS avg_question_words,
       round(avg(CASE WHEN t.kind = 'answer' THEN t.words END), 1)          AS avg_answer_words
FROM calls c
JOIN companies co USING (company_id)
JOIN turns t ON t.call_id = c.call_id
WHERE (:ticker IS NULL OR co.ticker = upper(:ticker))
  AND (:since_last_run IS NULL OR c.call_id IN (SELECT i.call_id FROM imports i
       WHERE i.import_id > :since_last_run AND i.status IN ('imported', 'replaced')))
GROUP BY c.call_id
ORDER BY c.call_date, co.ticker;
