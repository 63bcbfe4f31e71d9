-- Health code (健康码): facts about a person, risk areas, versioned rule sets, the derived colour and
-- its history, appeals, issuer keys, card revocations, venues, check-ins and gate scans.
-- Times are Unix milliseconds (BIGINT); dates are ISO text (YYYY-MM-DD).

-- Region codes are 6-digit 统计局 2023 division codes, checked by the service against the
-- divisions compiled into ihosd (core/regions, data/regions/divisions.csv).

CREATE TABLE hc_risk_areas (
  id {{ID}},
  region_code TEXT NOT NULL CHECK (length(region_code) = 6),
  level TEXT NOT NULL CHECK (level IN ('low', 'medium', 'high')),
  start_date TEXT NOT NULL,
  end_date TEXT,                     -- NULL: still in force
  note TEXT NOT NULL DEFAULT '',
  set_by BIGINT REFERENCES users(id),
  set_at BIGINT NOT NULL,
  demo BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);
CREATE INDEX hc_risk_areas_region ON hc_risk_areas (region_code, start_date);

CREATE TABLE hc_rule_sets (
  version {{ID}},
  body TEXT NOT NULL,                -- JSON, validated on save (src/domain/healthcode/rules.hpp)
  note TEXT NOT NULL DEFAULT '',
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  demo BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);

CREATE TABLE hc_facts (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL CHECK (kind IN ('nat_test', 'vaccination', 'exposure', 'symptom', 'fever_onsite', 'travel')),
  value TEXT NOT NULL,               -- e.g. negative/positive, confirmed/close_contact, fever, dose number
  occurred_at BIGINT NOT NULL,       -- sample time, exposure time, travel arrival, onset
  region_code TEXT CHECK (length(region_code) = 6),  -- travel only
  detail TEXT NOT NULL DEFAULT '',   -- sample id, vaccine, place, reason
  source TEXT NOT NULL,              -- lab, import, authority, self, gate, exposure_query
  entered_by BIGINT REFERENCES users(id),
  entered_at BIGINT NOT NULL,
  withdrawn_at BIGINT,               -- set by the authority (e.g. an upheld appeal); never deleted
  withdrawn_reason TEXT,
  demo BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);
CREATE INDEX hc_facts_user ON hc_facts (user_id, occurred_at);
-- one result per sample id
CREATE UNIQUE INDEX hc_facts_sample ON hc_facts (detail) WHERE kind = 'nat_test';

CREATE TABLE hc_status (
  user_id BIGINT PRIMARY KEY REFERENCES users(id),
  colour TEXT NOT NULL CHECK (colour IN ('green', 'yellow', 'red')),
  reasons TEXT NOT NULL,             -- JSON array
  changes_on TEXT,                   -- the date the colour can change, NULL for green
  next_check_at BIGINT,              -- when a period ends and the colour must be recomputed
  rule_version BIGINT NOT NULL,
  computed_at BIGINT NOT NULL
);

CREATE TABLE hc_status_history (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  colour TEXT NOT NULL,
  previous_colour TEXT,
  reasons TEXT NOT NULL,
  cause TEXT NOT NULL,               -- what changed: fact.added, fact.withdrawn, rules.changed, period.ended ...
  rule_version BIGINT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX hc_status_history_user ON hc_status_history (user_id, id);

CREATE TABLE hc_appeals (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  colour TEXT NOT NULL,              -- the colour appealed against
  text TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'rejected')),
  resolution TEXT,
  resolved_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  resolved_at BIGINT
);
CREATE INDEX hc_appeals_status ON hc_appeals (status, id);

CREATE TABLE hc_keys (
  kid TEXT PRIMARY KEY,              -- RFC 7638 JWK thumbprint
  public_jwk TEXT NOT NULL,
  private_sealed TEXT NOT NULL,      -- PKCS#8 PEM sealed with the key-encryption key (secretbox, base64)
  rid_secret_sealed TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  retired_at BIGINT                  -- NULL: the signing key
);

CREATE TABLE hc_revocations (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  revoked_before BIGINT NOT NULL,    -- cards issued (nbf) before this Unix second are revoked
  reason TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX hc_revocations_at ON hc_revocations (at);

CREATE TABLE hc_venues (
  id {{ID}},
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('hospital', 'clinic', 'pharmacy', 'supermarket', 'station', 'school', 'office',
                                     'restaurant', 'checkpoint', 'other')),
  region_code TEXT NOT NULL CHECK (length(region_code) = 6),
  address TEXT NOT NULL DEFAULT '',
  code TEXT NOT NULL UNIQUE,         -- random token in the printable venue QR
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  demo BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);

CREATE TABLE hc_checkins (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  venue_id BIGINT NOT NULL REFERENCES hc_venues(id),
  at BIGINT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('venue_qr', 'gate_scan'))
);
CREATE INDEX hc_checkins_venue_at ON hc_checkins (venue_id, at);
CREATE INDEX hc_checkins_user_at ON hc_checkins (user_id, at);

CREATE TABLE hc_scans (
  id {{ID}},
  venue_id BIGINT REFERENCES hc_venues(id),
  gate TEXT NOT NULL,
  scanned_by BIGINT REFERENCES users(id),
  at BIGINT NOT NULL,
  result TEXT NOT NULL,              -- valid, invalid_signature, expired, revoked, malformed, unknown_key
  colour TEXT,
  user_id BIGINT REFERENCES users(id)
);
CREATE INDEX hc_scans_at ON hc_scans (at);

-- rid (revocation id) of a person under one key: HMAC of the key's rid secret, so the card holds
-- no identifier; this table maps a scanned card back to the person for the check-in.
CREATE TABLE hc_rids (
  kid TEXT NOT NULL REFERENCES hc_keys(kid),
  user_id BIGINT NOT NULL REFERENCES users(id),
  rid TEXT NOT NULL,
  PRIMARY KEY (kid, user_id)
);
CREATE UNIQUE INDEX hc_rids_rid ON hc_rids (rid, kid);
