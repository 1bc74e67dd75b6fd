-- At most one descriptor version serves. Boxes where two upgrades left several rows `serving`
-- keep the newest (the one the last switch made) and retire the others; a unique partial index
-- then refuses a second serving row for good.
UPDATE descriptor_versions SET state = 'retired'
WHERE state = 'serving' AND rowid <> (
  SELECT rowid FROM descriptor_versions WHERE state = 'serving'
  ORDER BY update_time DESC, rowid DESC LIMIT 1
);
CREATE UNIQUE INDEX descriptor_versions_one_serving ON descriptor_versions (state)
  WHERE state = 'serving';
