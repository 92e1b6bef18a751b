-- name: qa-depth
-- title: Q&A depth
-- description: Per call: analysts who asked, questions, answers, and average words per question and per answer.
-- param: ticker | text | | Only calls of this ticker
-- param: since_last_run | timestamp | | Only calls imported after this instant (filled in by `calldb jobs run`)
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
  AND (:since_last_run IS NULL OR c.imported_at > :since_last_run)
GROUP BY c.call_id
ORDER BY c.call_date, co.ticker;
