-- Background tasks and their schedules. A task row carries its validated parameters, its
-- progress and last checkpoint (so a restart resumes it), and where its result file lives in
-- the image store. Times are unix milliseconds.
CREATE TABLE tasks (
  task_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed', 'cancelled')),
  description TEXT NOT NULL DEFAULT '',
  params TEXT NOT NULL,
  progress REAL NOT NULL DEFAULT 0,
  counts TEXT NOT NULL DEFAULT '{}',
  errors TEXT NOT NULL DEFAULT '[]',
  summary TEXT,
  checkpoint TEXT,
  reason TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  schedule_id TEXT,
  create_time INTEGER NOT NULL,
  start_time INTEGER,
  end_time INTEGER,
  last_update_time INTEGER NOT NULL,
  result_ttl_s INTEGER,
  result_filename TEXT,
  result_content_type TEXT,
  result_size INTEGER,
  result_expire_time INTEGER,
  result_removed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tasks_account ON tasks (account_id, create_time);
CREATE INDEX tasks_status ON tasks (status, create_time);
CREATE INDEX tasks_result_expiry ON tasks (result_expire_time);

CREATE TABLE task_schedules (
  schedule_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  cron TEXT NOT NULL,
  kind TEXT NOT NULL,
  params TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  enabled INTEGER NOT NULL DEFAULT 1,
  next_run_time INTEGER NOT NULL,
  last_run_time INTEGER,
  last_task_id TEXT,
  last_error TEXT,
  create_time INTEGER NOT NULL,
  last_update_time INTEGER NOT NULL
);
CREATE INDEX task_schedules_account ON task_schedules (account_id, create_time);
CREATE INDEX task_schedules_due ON task_schedules (enabled, next_run_time);
