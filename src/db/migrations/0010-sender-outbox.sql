-- The sender's outbox: one row per event and handler callback, written in the same transaction
-- as the event. `seq` orders deliveries per (handler, callback); `callback` is the callback as
-- it was when the event was made, `payload` the event as the API shows it, `subject` what
-- filters check. States: pending, delivered, filtered (its filters refused the event), refused
-- (the callback can never succeed, e.g. a host outside the allow list).
CREATE TABLE deliveries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  delivery_id TEXT NOT NULL UNIQUE,
  event_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  handler_id TEXT NOT NULL,
  callback_index INTEGER NOT NULL,
  callback TEXT NOT NULL,
  payload TEXT NOT NULL,
  subject TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_time INTEGER NOT NULL,
  last_error TEXT,
  create_time INTEGER NOT NULL,
  done_time INTEGER
);
CREATE INDEX deliveries_queue ON deliveries (state, handler_id, callback_index, seq);
CREATE INDEX deliveries_event ON deliveries (event_id);
CREATE INDEX deliveries_done ON deliveries (state, done_time);
