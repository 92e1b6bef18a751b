-- calldb archive, version 9: the full-text index is built in larger steps, and a re-import in bulk does not keep it
-- up to date row by row only to rebuild it at its end.
--
-- FTS5 gathers the index entries of new rows in memory and writes them out as a segment each time they pass its
-- `hashsize` (1 MB by default); segments are then merged into larger ones, again and again, as the index grows. In
-- 16 MB steps a large import or a night's batch builds far fewer segments and merges far less: the index of a large
-- import is built about a fifth faster, for at most 16 MB more memory while it is built. The setting is kept in the
-- index's own configuration table (`turns_fts_config`); searching is unchanged.
INSERT INTO turns_fts (turns_fts, rank) VALUES ('hashsize', 16777216);

-- `archive_state` 'fts' = 'emptied': an import that replaces calls in bulk (`import --replace` of at least as many
-- files as the archive holds) empties the index in its first transaction and rebuilds it whole at its end. Meanwhile
-- a deleted or edited turn has no index entry to remove, so the triggers below stand aside; every other time they
-- keep the index in step with `turns` exactly as before. If that import is interrupted, the next write (`calldb
-- import`, `calldb migrate`) rebuilds the index, as for 'pending'.
DROP TRIGGER turns_fts_delete;
CREATE TRIGGER turns_fts_delete AFTER DELETE ON turns
WHEN NOT EXISTS (SELECT 1 FROM archive_state WHERE key = 'fts' AND value = 'emptied')
BEGIN
    INSERT INTO turns_fts (turns_fts, rowid, text) VALUES ('delete', old.turn_id, old.text);
END;
DROP TRIGGER turns_fts_update;
CREATE TRIGGER turns_fts_update AFTER UPDATE OF text ON turns
WHEN NOT EXISTS (SELECT 1 FROM archive_state WHERE key = 'fts' AND value = 'emptied')
BEGIN
    INSERT INTO turns_fts (turns_fts, rowid, text) VALUES ('delete', old.turn_id, old.text);
    INSERT INTO turns_fts (rowid, text) VALUES (new.turn_id, new.text);
END;

-- What each role said in each call, kept as calls are stored: the talk-time report's per-role rows are read from
-- here instead of being summed from every participant of every call on each run (at 11,000 calls that sum was most of
-- the report's time). One row per role present in the call's participants (operator, executive, investor_relations,
-- analyst, unknown), in call order; it goes with its call.
CREATE TABLE call_roles (
    call_id INTEGER NOT NULL REFERENCES calls (call_id) ON DELETE CASCADE,
    role    TEXT    NOT NULL,
    turns   INTEGER NOT NULL,   -- turns spoken by participants of this role
    words   INTEGER NOT NULL,   -- their words
    PRIMARY KEY (call_id, role)
) WITHOUT ROWID;
INSERT INTO call_roles (call_id, role, turns, words)
SELECT call_id, role, sum(turns), sum(words) FROM participants GROUP BY call_id, role;

-- Each call's questions and answers, kept as the call is stored, for the qa-depth report (which otherwise reads every
-- turn of every call on each run): analysts who asked, questions, answers, and the words of each. Only calls with
-- turns have a row.
CREATE TABLE call_qa (
    call_id        INTEGER PRIMARY KEY REFERENCES calls (call_id) ON DELETE CASCADE,
    analysts       INTEGER NOT NULL,   -- distinct participants who asked a question
    questions      INTEGER NOT NULL,
    answers        INTEGER NOT NULL,
    question_words INTEGER NOT NULL,
    answer_words   INTEGER NOT NULL
);
INSERT INTO call_qa (call_id, analysts, questions, answers, question_words, answer_words)
SELECT call_id,
       count(DISTINCT CASE WHEN kind = 'question' THEN participant_id END),
       sum(kind = 'question'),
       sum(kind = 'answer'),
       coalesce(sum(CASE WHEN kind = 'question' THEN words END), 0),
       coalesce(sum(CASE WHEN kind = 'answer' THEN words END), 0)
FROM turns
GROUP BY call_id;
