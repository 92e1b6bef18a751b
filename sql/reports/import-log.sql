-- name: import-log
-- title: Import log
-- description: Recent import attempts, failures and conflicts first, with their messages.
-- param: ticker | text | | Only attempts whose call is of this ticker
-- param: limit | integer | 200 | Most rows to show
SELECT i.import_id,
       i.status,
       i.path,
       i.line,
       i.message,
       co.ticker,
       i.call_id,
       i.finished_at
FROM imports i
LEFT JOIN calls c ON c.call_id = i.call_id
LEFT JOIN companies co ON co.company_id = c.company_id
WHERE (:ticker IS NULL OR co.ticker = upper(:ticker))
ORDER BY CASE i.status WHEN 'failed' THEN 0 WHEN 'conflict' THEN 1 ELSE 2 END,
         i.finished_at DESC, i.import_id DESC
LIMIT :limit;
