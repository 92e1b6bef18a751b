"""A straightforward Python importer of the same transcripts, as a team would write one in an afternoon: the yardstick
`cargo bench --bench whole` compares `calldb import` with (whole process, same files, same machine, same run).

It reads each `.txt` file, takes the company line and the speaker lines of the classic layout (`Name -- Title`, or
`Operator`), stores calls and turns with Python's sqlite3 in one transaction, and builds an FTS5 index over the turns.
No figures, exchanges, guidance, provenance or checks: far less than calldb does, so the comparison flatters it.

    python3 benches/python_importer.py ARCHIVE.db FOLDER
"""

import os
import re
import sqlite3
import sys

COMPANY = re.compile(r"^(?P<name>.+?)\s\((?:[A-Za-z]+:)?(?P<ticker>[A-Z0-9.\-]+)[^)]*\)$")
PERIOD = re.compile(r"\bQ(?P<quarter>[1-4]) (?P<year>\d{4})\b")
SPEAKER = re.compile(r"^(?P<name>[A-Z][\w.,'\- ]{1,60}) -- (?P<title>.{1,120})$")


def main(db, folder):
    conn = sqlite3.connect(db)
    conn.executescript(
        """
        PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
        CREATE TABLE IF NOT EXISTS calls (call_id INTEGER PRIMARY KEY, path TEXT UNIQUE, company TEXT, ticker TEXT,
                                          fiscal_year INTEGER, fiscal_quarter INTEGER);
        CREATE TABLE IF NOT EXISTS turns (turn_id INTEGER PRIMARY KEY, call_id INTEGER REFERENCES calls, ordinal INTEGER,
                                          speaker TEXT, title TEXT, text TEXT);
        CREATE INDEX IF NOT EXISTS turns_by_call ON turns (call_id);
        CREATE VIRTUAL TABLE IF NOT EXISTS turns_fts USING fts5 (text, content = 'turns', content_rowid = 'turn_id',
                                                                 tokenize = 'porter unicode61');
        """
    )
    with conn:
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".txt"):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                lines = [line.strip() for line in f]
            company = ticker = year = quarter = None
            for line in lines[:40]:
                m = COMPANY.match(line)
                if m and company is None:
                    company, ticker = m["name"], m["ticker"]
                p = PERIOD.search(line)
                if p and year is None:
                    year, quarter = int(p["year"]), int(p["quarter"])
            cur = conn.execute(
                "INSERT INTO calls (path, company, ticker, fiscal_year, fiscal_quarter) VALUES (?, ?, ?, ?, ?)",
                (path, company, ticker, year, quarter),
            )
            call_id = cur.lastrowid
            turns, speaker, title, paragraphs = [], None, None, []
            for line in lines:
                m = SPEAKER.match(line)
                if m or line == "Operator":
                    if speaker and paragraphs:
                        turns.append((speaker, title, "\n".join(paragraphs)))
                    speaker, title = (m["name"], m["title"]) if m else ("Operator", None)
                    paragraphs = []
                elif line and speaker:
                    paragraphs.append(line)
            if speaker and paragraphs:
                turns.append((speaker, title, "\n".join(paragraphs)))
            conn.executemany(
                "INSERT INTO turns (call_id, ordinal, speaker, title, text) VALUES (?, ?, ?, ?, ?)",
                [(call_id, i, s, t, text) for i, (s, t, text) in enumerate(turns)],
            )
        conn.execute("INSERT INTO turns_fts (turns_fts) VALUES ('rebuild')")
    conn.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
