-- Handlers (stored policy pipelines), verifiers, and the events they generate: one row per
-- event with the columns that filters use, its tags, its best match per label and its
-- descriptor. Times are unix milliseconds; event ids are UUIDv7, so they sort by creation.
CREATE TABLE handlers (
  handler_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  last_update_time INTEGER NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  is_dynamic INTEGER NOT NULL DEFAULT 0,
  policies TEXT NOT NULL
);
CREATE INDEX handlers_account ON handlers (account_id, create_time);

CREATE TABLE verifiers (
  verifier_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  last_update_time INTEGER NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  policies TEXT NOT NULL
);
CREATE INDEX verifiers_account ON verifiers (account_id, create_time);

-- handler_id and face_id carry no foreign key: events outlive handlers and faces.
CREATE TABLE events (
  event_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  handler_id TEXT,
  source TEXT,
  track_id TEXT,
  external_id TEXT,
  user_data TEXT NOT NULL DEFAULT '',
  age REAL,
  gender REAL,
  liveness TEXT,
  top_match_label TEXT,
  top_match_object_id TEXT,
  top_match_similarity REAL,
  face_id TEXT,
  body TEXT NOT NULL
);
CREATE INDEX events_account ON events (account_id, event_id);
CREATE INDEX events_account_time ON events (account_id, create_time);
CREATE INDEX events_handler ON events (account_id, handler_id, event_id);
CREATE INDEX events_track ON events (account_id, track_id);
CREATE INDEX events_external ON events (account_id, external_id);
CREATE INDEX events_face ON events (face_id);
CREATE INDEX events_top_object ON events (top_match_object_id);

CREATE TABLE event_tags (
  event_id TEXT NOT NULL REFERENCES events (event_id) ON DELETE CASCADE,
  account_id TEXT NOT NULL,
  tag TEXT NOT NULL,
  PRIMARY KEY (event_id, tag)
);
CREATE INDEX event_tags_tag ON event_tags (account_id, tag);

CREATE TABLE event_match_labels (
  event_id TEXT NOT NULL REFERENCES events (event_id) ON DELETE CASCADE,
  account_id TEXT NOT NULL,
  label TEXT NOT NULL,
  object_id TEXT NOT NULL,
  similarity REAL NOT NULL,
  PRIMARY KEY (event_id, label)
);

CREATE TABLE event_descriptors (
  event_id TEXT NOT NULL REFERENCES events (event_id) ON DELETE CASCADE,
  account_id TEXT NOT NULL,
  descriptor_version TEXT NOT NULL,
  descriptor BLOB NOT NULL,
  PRIMARY KEY (event_id, descriptor_version)
);

-- Whole photos kept by `image_origin_policy`; the bytes live in the image store.
CREATE TABLE origin_images (
  image_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  content_type TEXT NOT NULL
);
CREATE INDEX origin_images_account ON origin_images (account_id, create_time);
