-- What was estimated for each face sample, carried into the temporary attributes made from it,
-- and the enrolment policy a list may carry. JSON documents in side tables (one row per owner,
-- removed with it), so the owners' tables and their inserts stay as they are.
CREATE TABLE sample_estimations (
  sample_id TEXT PRIMARY KEY REFERENCES samples (sample_id) ON DELETE CASCADE,
  estimations TEXT NOT NULL
);

CREATE TABLE attribute_estimations (
  attribute_id TEXT PRIMARY KEY REFERENCES attributes (attribute_id) ON DELETE CASCADE,
  sample_estimations TEXT NOT NULL
);

CREATE TABLE list_enrolment_policies (
  list_id TEXT PRIMARY KEY REFERENCES lists (list_id) ON DELETE CASCADE,
  policy TEXT NOT NULL,
  last_update_time INTEGER NOT NULL
);
