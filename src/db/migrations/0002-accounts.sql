-- Accounts and their API tokens. Logins are stored lower-case; passwords only as argon2id
-- hashes, tokens only as SHA-256 hashes. Times are unix milliseconds.
CREATE TABLE accounts (
  account_id TEXT PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  account_type TEXT NOT NULL CHECK (account_type IN ('user', 'advanced_user', 'admin')),
  description TEXT NOT NULL DEFAULT '',
  create_time INTEGER NOT NULL,
  last_update_time INTEGER NOT NULL
);

CREATE TABLE account_tokens (
  token_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  permissions TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  expiration_time INTEGER,
  create_time INTEGER NOT NULL,
  last_update_time INTEGER NOT NULL
);
CREATE INDEX account_tokens_account ON account_tokens (account_id, create_time);
