-- Schema V16: an analyst's kept analyst-coverage row grows with each new call instead of being built again.
--
-- Since V15 every analyst appearance stored marked its analyst's `analyst_coverage` row to be built again from all
-- of the analyst's appearances at the end of the import. A nightly import into a large archive therefore cost what
-- its analysts' whole histories cost (at 100,000 calls a 20-call nightly import took 0.94 s; with this trigger,
-- 0.23-0.29 s). An appearance on a call stored after every other (what an import does) now adds to its analyst's row
-- in the trigger that sees it stored: one more call unless the analyst is on this call already, one more company
-- (its ticker at the end of the list, where the company's first call with the analyst sorts) unless the analyst has
-- appeared on one of its calls, its questions, the first and last call date, and the firm when this is the latest
-- call. An analyst's first appearance, and an appearance on any call that is not the newest, still mark the analyst
-- in `analyst_coverage_stale` for the writer to build again, as every other change does (deletes, replacements,
-- corrections, merges and splits: their triggers are unchanged).

DROP TRIGGER participants_coverage_insert;

-- An appearance on the newest call adds to a row that is kept and not marked: one more call unless the analyst is on
-- this call already, one more company (and its ticker at the end of the list, where the company's first call with
-- the analyst, this one, sorts) unless the analyst has appeared on one of its calls; its questions; the first and
-- last date; and its firm when this is the latest call (the first appearance on the latest date keeps it; with no
-- dated call yet, the last appearance). Anything else marks the analyst. The company's other calls are found
-- through the company (CROSS JOIN keeps that order), never through the analyst's every appearance.
CREATE TRIGGER participants_coverage_insert AFTER INSERT ON participants
WHEN new.role = 'analyst' AND new.speaker_id IS NOT NULL
BEGIN
    UPDATE analyst_coverage
    SET calls = calls + NOT EXISTS (
            SELECT 1 FROM participants o
            WHERE o.call_id = new.call_id AND o.role = 'analyst' AND o.speaker_id = new.speaker_id
              AND o.participant_id <> new.participant_id),
        companies = companies + NOT EXISTS (
            SELECT 1
            FROM calls c
            CROSS JOIN calls k ON k.company_id = c.company_id
            CROSS JOIN participants o ON o.call_id = k.call_id
            WHERE c.call_id = new.call_id AND o.role = 'analyst' AND o.speaker_id = new.speaker_id
              AND o.participant_id <> new.participant_id),
        tickers = CASE
            WHEN EXISTS (
                SELECT 1
                FROM calls c
                CROSS JOIN calls k ON k.company_id = c.company_id
                CROSS JOIN participants o ON o.call_id = k.call_id
                WHERE c.call_id = new.call_id AND o.role = 'analyst' AND o.speaker_id = new.speaker_id
                  AND o.participant_id <> new.participant_id) THEN tickers
            WHEN (SELECT co.ticker FROM calls c JOIN companies co ON co.company_id = c.company_id
                  WHERE c.call_id = new.call_id) IS NULL THEN tickers
            ELSE json_insert(tickers, '$[#]', (SELECT co.ticker FROM calls c JOIN companies co
                                               ON co.company_id = c.company_id
                                               WHERE c.call_id = new.call_id))
        END,
        questions = questions + new.turns,
        first_call = coalesce(min(first_call, (SELECT call_date FROM calls WHERE call_id = new.call_id)),
                              first_call, (SELECT call_date FROM calls WHERE call_id = new.call_id)),
        last_call = coalesce(max(last_call, (SELECT call_date FROM calls WHERE call_id = new.call_id)),
                             last_call, (SELECT call_date FROM calls WHERE call_id = new.call_id)),
        firm = CASE
            WHEN (SELECT call_date FROM calls WHERE call_id = new.call_id) > last_call
                 OR last_call IS NULL THEN new.firm
            ELSE firm
        END
    WHERE speaker_id = new.speaker_id
      AND NOT EXISTS (SELECT 1 FROM analyst_coverage_stale WHERE speaker_id = new.speaker_id)
      AND new.call_id = (SELECT max(call_id) FROM calls);
    INSERT OR IGNORE INTO analyst_coverage_stale (speaker_id)
    SELECT new.speaker_id
    WHERE NOT EXISTS (SELECT 1 FROM analyst_coverage WHERE speaker_id = new.speaker_id)
       OR new.call_id <> (SELECT max(call_id) FROM calls);
END;
