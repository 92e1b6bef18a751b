-- calldb archive, version 9: the full-text index is built in larger steps.
-- FTS5 gathers the index entries of new rows in memory and writes them out as a segment each time they pass its
-- `hashsize` (1 MB by default); segments are then merged into larger ones, again and again, as the index grows. A
-- night's import or a first import of thousands of calls builds far fewer segments, and merges far less, in 16 MB
-- steps: the index of a large import is built about a third faster, for at most 16 MB more memory while it is built.
-- The setting is kept in the index's own configuration table (`turns_fts_config`); searching is unchanged.
INSERT INTO turns_fts (turns_fts, rank) VALUES ('hashsize', 16777216);
