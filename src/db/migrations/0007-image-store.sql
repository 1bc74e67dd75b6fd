-- The image store's index: one row per stored file (origin images uploaded to /6/images and
-- objects of any type uploaded to /6/objects). The bytes live under the data dir, one file per
-- row, written before the row and removed after it. Times are unix milliseconds.
CREATE TABLE stored_files (
  file_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('image', 'object')),
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  create_time INTEGER NOT NULL,
  expire_time INTEGER
);
CREATE INDEX stored_files_account ON stored_files (account_id, kind, create_time);
CREATE INDEX stored_files_expiry ON stored_files (expire_time) WHERE expire_time IS NOT NULL;
