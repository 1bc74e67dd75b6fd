-- Core objects of the first job: samples, temporary attributes, faces with versioned
-- descriptors, lists and list membership. Times are unix milliseconds.
CREATE TABLE samples (
  sample_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  source_width INTEGER NOT NULL,
  source_height INTEGER NOT NULL,
  detection TEXT NOT NULL
);
CREATE INDEX samples_account ON samples (account_id, create_time);

CREATE TABLE attributes (
  attribute_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  expire_time INTEGER NOT NULL,
  descriptor BLOB,
  descriptor_version TEXT,
  basic_attributes TEXT,
  sample_ids TEXT NOT NULL
);
CREATE INDEX attributes_account ON attributes (account_id);
CREATE INDEX attributes_expiry ON attributes (expire_time);

CREATE TABLE faces (
  face_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  user_data TEXT NOT NULL DEFAULT '',
  external_id TEXT,
  basic_attributes TEXT,
  sample_ids TEXT NOT NULL
);
CREATE INDEX faces_account ON faces (account_id, create_time);
CREATE INDEX faces_external ON faces (account_id, external_id);

CREATE TABLE face_descriptors (
  face_id TEXT NOT NULL REFERENCES faces (face_id) ON DELETE CASCADE,
  descriptor_version TEXT NOT NULL,
  descriptor BLOB NOT NULL,
  PRIMARY KEY (face_id, descriptor_version)
);

CREATE TABLE lists (
  list_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  last_update_time INTEGER NOT NULL,
  user_data TEXT NOT NULL DEFAULT ''
);
CREATE INDEX lists_account ON lists (account_id, create_time);

CREATE TABLE list_faces (
  list_id TEXT NOT NULL REFERENCES lists (list_id) ON DELETE CASCADE,
  face_id TEXT NOT NULL REFERENCES faces (face_id) ON DELETE CASCADE,
  link_time INTEGER NOT NULL,
  PRIMARY KEY (list_id, face_id)
);
CREATE INDEX list_faces_face ON list_faces (face_id);
