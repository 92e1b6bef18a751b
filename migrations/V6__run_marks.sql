-- calldb archive, version 6: a job's `since_last_run` is exact.
-- Each successful run records the last row of the `imports` log it saw (`imports.import_id` grows in commit order,
-- so it marks exactly what the run read); the job's next run reports the calls archived by later rows. Wall-clock
-- times could not do this: a batch is stamped before it commits, and a run may start while a batch is open.

ALTER TABLE report_runs ADD COLUMN reported_through INTEGER;
