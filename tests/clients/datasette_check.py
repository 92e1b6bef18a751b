"""Checks an archive in Datasette itself, through Datasette's own in-process client (no server, no network).

Usage: datasette_check.py ARCHIVE METADATA_YML EXPECTED_JSON
EXPECTED_JSON maps each search query to the number of turns `calldb search` finds for it.
Prints one JSON object with what Datasette saw; exits non-zero with a message on any failure.
"""
import asyncio
import json
import sqlite3
import sys

import yaml  # installed with datasette
from datasette.app import Datasette
from datasette.utils import detect_fts


async def main(archive, metadata_path, expected_path):
    expected = json.load(open(expected_path))
    metadata = yaml.safe_load(open(metadata_path))
    ds = Datasette([archive], metadata=metadata)
    await ds.invoke_startup()
    name = list(metadata["databases"])[0]
    out = {"detect_fts": detect_fts(sqlite3.connect(archive), "turns")}
    import sqlite_utils

    out["sqlite_utils_detect_fts"] = sqlite_utils.Database(archive)["turns"].detect_fts()
    out["search"] = {}
    for query, count in expected.items():
        for table in ["turns", "v_turns"]:
            r = await ds.client.get(
                f"/{name}/{table}.json", params={"_search": query, "_size": "0", "_shape": "objects"}
            )
            assert r.status_code == 200, (table, query, r.status_code, r.text[:500])
            got = r.json()["filtered_table_rows_count"]
            out["search"][f"{table}:{query}"] = got
            if got != count:
                raise SystemExit(f"{table} _search={query!r}: Datasette found {got}, calldb search {count}")
    # The search box is shown on the table page.
    page = await ds.client.get(f"/{name}/turns")
    assert 'name="_search"' in page.text, "no search box on the turns page"
    # Every canned query runs with no parameters (Datasette sends '') and with one set.
    out["queries"] = {}
    for qname, q in metadata["databases"][name]["queries"].items():
        r = await ds.client.get(f"/{name}/{qname}.json", params={"_shape": "objects", **{p: "" for p in q["params"]}})
        assert r.status_code == 200, (qname, r.status_code, r.text[:800])
        body = r.json()
        assert body.get("ok", True), (qname, body)
        rows_unset = len(body["rows"])
        params = {p: "" for p in q["params"]}
        if "ticker" in params:
            params["ticker"] = "NOSUCHTICKER"
        r = await ds.client.get(f"/{name}/{qname}.json", params={"_shape": "objects", **params})
        assert r.status_code == 200, (qname, r.status_code, r.text[:800])
        out["queries"][qname] = [rows_unset, len(r.json()["rows"])]
    # Metadata reached Datasette: titles and hidden tables.
    r = await ds.client.get(f"/{name}.json")
    tables = {t["name"]: t for t in r.json()["tables"]}
    out["hidden"] = sorted(n for n, t in tables.items() if t["hidden"])
    r = await ds.client.get(f"/{name}/v_turns")
    out["v_turns_title_shown"] = "Turns" in r.text
    out["shown"] = sorted(n for n, t in tables.items() if not t["hidden"])
    # The database page: a title, and the documented views described before anything else.
    page = (await ds.client.get(f"/{name}")).text
    out["database_page"] = {
        "title": "Earnings calls" in page,
        "views_described_first": page.find("v_calls") < page.find("Custom SQL query"),
        "search_linked": 'href="./search"' in page,
    }
    # The search page: ranked hits with the match marked and a link to the turn; filters narrow them.
    params = {"q": "supply chain", "ticker": "", "fiscal_year": "", "section": "", "role": "", "_shape": "objects"}
    hits = (await ds.client.get(f"/{name}/search.json", params=params)).json()["rows"]
    qa = (await ds.client.get(f"/{name}/search.json", params={**params, "section": "qa", "role": "analyst"})).json()["rows"]
    empty = await ds.client.get(f"/{name}/search.json", params={**params, "q": ""})
    out["search_page"] = {
        "hits": len(hits),
        "marked": sum("\u27e6" in h["snippet"] for h in hits),
        "linked": sum(h["turn"].startswith("http") and "turn_id=" in h["turn"] for h in hits),
        "qa_analyst_hits": len(qa),
        "qa_analyst_only": all(h["section"] == "qa" and h["role"] == "analyst" for h in qa),
        "empty_query_ok": empty.status_code == 200 and empty.json()["rows"] == [],
    }
    # Canned queries: their description shown, the SQL hidden behind a link, and no bookkeeping parameter offered.
    page = (await ds.client.get(f"/{name}/calls")).text
    out["canned_page"] = {
        "description": "One row per call" in page,
        "sql_hidden": "_show_sql=1" in page and "<textarea" not in page.split("Query parameters")[0],
        "no_bookkeeping": "since_last_run" not in page,
    }
    print(json.dumps(out))


asyncio.run(main(*sys.argv[1:4]))
