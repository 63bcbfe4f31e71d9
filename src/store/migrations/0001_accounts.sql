-- Accounts, roles, sessions, guardianships and the hash-chained audit log.
-- Times are Unix milliseconds (BIGINT); dates are ISO text (YYYY-MM-DD).

CREATE TABLE users (
  id {{ID}},
  phone TEXT UNIQUE,                 -- NULL for a minor managed by a guardian (no login)
  password_hash TEXT,                -- Argon2id string (libsodium); NULL when phone is NULL
  real_name TEXT NOT NULL,
  id_number TEXT NOT NULL UNIQUE,    -- GB 11643, upper-case X; one account per ID number
  birth_date TEXT NOT NULL,
  sex TEXT NOT NULL CHECK (sex IN ('male', 'female')),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at BIGINT NOT NULL,
  CHECK ((phone IS NULL) = (password_hash IS NULL))
);

CREATE TABLE user_roles (
  user_id BIGINT NOT NULL REFERENCES users(id),
  role TEXT NOT NULL CHECK (role IN ('patient', 'doctor', 'pharmacist', 'pharmacy_staff',
                                     'nurse', 'lab', 'admin', 'health_authority')),
  granted_by BIGINT REFERENCES users(id),
  granted_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, role)
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,       -- BLAKE2b of the bearer token; the token itself is never stored
  user_id BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  client_addr TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE guardianships (
  guardian_id BIGINT NOT NULL REFERENCES users(id),
  ward_id BIGINT NOT NULL REFERENCES users(id),
  relationship TEXT NOT NULL CHECK (relationship IN ('parent', 'legal_guardian', 'other')),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (guardian_id, ward_id),
  CHECK (guardian_id <> ward_id)
);
CREATE INDEX guardianships_ward ON guardianships(ward_id);

-- Append-only. Each row's hash = BLAKE2b-256(prev_hash || canonical row text); rows are
-- appended under Tx::LockChain("audit_log") so the chain is linear.
CREATE TABLE audit_log (
  id {{ID}},
  at BIGINT NOT NULL,
  actor_id BIGINT,
  actor_role TEXT NOT NULL,
  action TEXT NOT NULL,
  patient_id BIGINT,
  resource_type TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  request_id TEXT NOT NULL DEFAULT '',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_patient ON audit_log(patient_id, id);
