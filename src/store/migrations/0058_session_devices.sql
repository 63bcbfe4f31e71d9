-- My sessions (issue 17): the device (User-Agent) a session signed in from, and when it was last
-- used (written at most every few minutes per session, src/domain/accounts/security.cpp).
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT;
