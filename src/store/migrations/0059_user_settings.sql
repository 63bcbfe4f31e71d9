-- Per-account preferences of the apps, kept with the account so they follow the user to another
-- phone or browser: elder mode (长辈模式: large text and targets, the usual services first). No row
-- means the defaults. Owned by src/domain/accounts (README.md there).
CREATE TABLE user_settings (
  user_id    BIGINT PRIMARY KEY REFERENCES users(id),
  elder_mode INTEGER NOT NULL DEFAULT 0 CHECK (elder_mode IN (0, 1)),
  updated_at BIGINT NOT NULL
);
