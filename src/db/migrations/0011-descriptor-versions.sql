-- Descriptor versions of the box: the one matching serves (kept across restarts once a switch
-- made it), those being extracted beside it during a model upgrade (every enrolment writes
-- them too, so coverage never regresses), and retired ones. No row: the recognizer's own.
CREATE TABLE descriptor_versions (
  descriptor_version TEXT PRIMARY KEY,
  state TEXT NOT NULL CHECK (state IN ('serving', 'extracting', 'retired')),
  update_time INTEGER NOT NULL
);
