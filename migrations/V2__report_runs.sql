-- calldb archive, version 2: the log of scheduled report jobs (`calldb jobs run`).
-- A job's previous successful run tells reports what is new since then (the since_last_run parameter).

CREATE TABLE report_runs (
    run_id      INTEGER PRIMARY KEY,
    job         TEXT    NOT NULL,       -- job name from the job file
    report      TEXT    NOT NULL,
    params      TEXT    NOT NULL,       -- JSON object of the parameters the report ran with
    started_at  TEXT    NOT NULL,
    finished_at TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('ok', 'failed')),
    rows        INTEGER,
    output_path TEXT,
    message     TEXT
);
CREATE INDEX report_runs_by_job ON report_runs (job, status, started_at);
