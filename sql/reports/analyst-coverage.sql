-- name: analyst-coverage
-- title: Analyst coverage
-- description: Each analyst (one person across calls) with firm, calls attended, companies covered, questions asked, and first and last call.
-- speakers: required
-- param: ticker | text | | Only analysts who attended calls of this ticker
-- Each analyst's row is kept as calls are stored (`analyst_coverage`, schema V15), so the whole archive costs a row
-- per analyst, not a pass over every appearance. An analyst whose appearances changed since (`analyst_coverage_stale`:
-- a write under way, or one interrupted) is computed here from the appearances as the archive computes the kept rows
-- (`archive::coverage`): the firm as written on the latest call (the first appearance on the latest date; with no
-- dated call, the last), tickers in the order of the analyst's first call with each company.
WITH chosen AS MATERIALIZED (
    -- the analysts asked about: every analyst, or those who attended a call of the ticker (found through the
    -- ticker's calls)
    SELECT speaker_id FROM analyst_coverage WHERE :ticker IS NULL
    UNION
    SELECT speaker_id FROM analyst_coverage_stale WHERE :ticker IS NULL
    UNION
    SELECT p.speaker_id
    FROM companies co
    JOIN calls c ON c.company_id = co.company_id
    JOIN participants p ON p.call_id = c.call_id
    WHERE :ticker IS NOT NULL AND co.ticker = upper(:ticker) AND p.role = 'analyst' AND p.speaker_id IS NOT NULL
),
stale AS MATERIALIZED (
    SELECT ch.speaker_id FROM chosen ch JOIN analyst_coverage_stale st ON st.speaker_id = ch.speaker_id
),
appearances AS MATERIALIZED (
    SELECT p.participant_id, p.speaker_id, p.call_id, p.firm, p.turns AS questions, c.call_date, c.company_id,
           co.ticker
    FROM stale st
    JOIN participants p ON p.speaker_id = st.speaker_id
    JOIN calls c ON c.call_id = p.call_id
    JOIN companies co ON co.company_id = c.company_id
    WHERE p.role = 'analyst'
),
-- rows from appearances: begin (archive::coverage builds the kept rows with this same text)
latest AS (
    SELECT speaker_id, firm
    FROM (SELECT speaker_id, firm,
                 row_number() OVER (PARTITION BY speaker_id
                                    ORDER BY call_date IS NULL, call_date DESC,
                                             CASE WHEN call_date IS NULL THEN -participant_id ELSE participant_id END)
                     AS nth
          FROM appearances)
    WHERE nth = 1
),
covered AS (
    SELECT speaker_id, ticker, min(call_id) AS first_call_id
    FROM appearances
    WHERE ticker IS NOT NULL
    GROUP BY speaker_id, company_id
),
tickers AS (
    -- in the order of the first call with each company: the rows come sorted into the aggregate (an ORDER BY inside
    -- json_group_array needs SQLite 3.44, newer than many clients' own)
    SELECT speaker_id, json_group_array(ticker) AS tickers
    FROM (SELECT speaker_id, ticker FROM covered ORDER BY speaker_id, first_call_id)
    GROUP BY speaker_id
),
sums AS (
    SELECT speaker_id,
           count(DISTINCT call_id)    AS calls,
           count(DISTINCT company_id) AS companies,
           sum(questions)             AS questions,
           min(call_date)             AS first_call,
           max(call_date)             AS last_call
    FROM appearances
    GROUP BY speaker_id
),
-- rows from appearances: end
rows AS (
    SELECT speaker_id, firm, calls, companies, tickers, questions, first_call, last_call
    FROM analyst_coverage
    WHERE speaker_id IN (SELECT speaker_id FROM chosen) AND speaker_id NOT IN (SELECT speaker_id FROM stale)
    UNION ALL
    SELECT s.speaker_id, l.firm, s.calls, s.companies, coalesce(t.tickers, '[]'), s.questions, s.first_call,
           s.last_call
    FROM sums s
    JOIN latest l ON l.speaker_id = s.speaker_id
    LEFT JOIN tickers t ON t.speaker_id = s.speaker_id
)
SELECT r.speaker_id,
       s.name       AS analyst,
       r.firm       AS firm,
       r.calls      AS calls,
       r.companies  AS companies,
       r.tickers    AS tickers,
       r.questions  AS questions,
       r.first_call AS first_call,
       r.last_call  AS last_call
FROM rows r
JOIN speakers s ON s.speaker_id = r.speaker_id
ORDER BY r.calls DESC, r.questions DESC, analyst, r.speaker_id;
