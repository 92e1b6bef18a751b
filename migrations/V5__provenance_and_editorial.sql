-- calldb archive, version 5: where each call came from and how it was read, and the editorial text that some
-- publishers print around a transcript (kept apart from speech so it is never mistaken for what was said).

-- The page the transcript was published at, when the file says (a scraper's metadata block, a saved page's
-- canonical link).
ALTER TABLE calls ADD COLUMN source_url TEXT;
-- Where each header fact came from: a JSON object such as
-- {"ticker":"text","company":"metadata","fiscal_period":"file_name","call_date":"text"}.
ALTER TABLE calls ADD COLUMN header_sources TEXT;
-- NULL for a whole transcript; else the last line of a file that ended before its layout's closing blocks and was
-- archived anyway (import --allow-truncated).
ALTER TABLE calls ADD COLUMN truncated_at_line INTEGER;
-- What the parser noticed and recovered from (decoding, removed control characters, implausible header values):
-- a JSON array of messages, NULL when there were none.
ALTER TABLE calls ADD COLUMN warnings TEXT;

-- Editorial text a publisher wrote about the call (fool.com's Takeaways, Risks, Summary, Industry glossary): one row
-- per item of each block. Never speech: it is not in `turns`, the full-text index or any speech report.
CREATE TABLE editorial_items (
    item_id       INTEGER PRIMARY KEY,
    call_id       INTEGER NOT NULL REFERENCES calls (call_id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL CHECK (kind IN ('takeaways', 'risks', 'summary', 'glossary', 'unlabelled')),
    heading       TEXT,                 -- as written (`TAKEAWAYS`, `Industry glossary`); NULL when the copy lost it
    block_ordinal INTEGER NOT NULL,     -- 1-based order of the block in the file
    item_ordinal  INTEGER NOT NULL,     -- 1-based order of the item in its block
    text          TEXT    NOT NULL,
    source_line   INTEGER NOT NULL,
    UNIQUE (call_id, block_ordinal, item_ordinal)
);

DROP VIEW v_calls;
CREATE VIEW v_calls AS
SELECT c.call_id,
       co.ticker,
       co.name             AS company,
       co.exchange,
       c.title,
       c.fiscal_year,
       c.fiscal_quarter,
       c.call_date,
       c.call_time,
       c.timezone,
       c.starts_at_utc,
       c.duration_minutes,
       c.price_change_pct,
       c.participant_count AS participants,
       c.turn_count        AS turns,
       c.word_count        AS words,
       c.source_path,
       c.content_hash,
       c.imported_at,
       c.layout,
       c.source_url,
       c.header_sources,
       CAST(c.truncated_at_line IS NULL AS INTEGER) AS complete,
       c.truncated_at_line,
       c.warnings
FROM calls c
JOIN companies co USING (company_id);

CREATE VIEW v_editorial AS
SELECT e.item_id,
       e.call_id,
       co.ticker,
       co.name AS company,
       c.fiscal_year,
       c.fiscal_quarter,
       c.call_date,
       e.kind,
       e.heading,
       e.block_ordinal,
       e.item_ordinal,
       e.text
FROM editorial_items e
JOIN calls c ON c.call_id = e.call_id
JOIN companies co ON co.company_id = c.company_id;
