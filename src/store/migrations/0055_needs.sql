-- The chronic-medicine need registry (慢病用药需求登记): a patient's (or a community worker's, with
-- the patient's consent) registered need for a drug, the pharmacies matched to it, the pharmacies'
-- answers (can supply / reserved), and the community workers (社区工作者/网格员) who may register for
-- elderly patients. Coordinates are GCJ-02 in micro-degrees (integers on both backends).
-- See src/domain/needs/README.md.

-- A community worker: a signed-in user registered by a health_authority user or an admin.
CREATE TABLE need_workers (
  user_id       BIGINT PRIMARY KEY REFERENCES users(id),
  community     TEXT NOT NULL,                 -- 社区 / 网格 name
  region_code   TEXT NOT NULL,                 -- 6-digit county (or city) code
  active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  registered_by BIGINT NOT NULL REFERENCES users(id),
  registered_at BIGINT NOT NULL,
  demo          INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);

CREATE TABLE medicine_needs (
  id {{ID}},
  -- The patient's account; NULL for a person a worker registered who has not confirmed in the app.
  patient_id        BIGINT REFERENCES users(id),
  subject_name      TEXT NOT NULL,
  subject_phone     TEXT NOT NULL DEFAULT '',   -- a worker's registration: where the consent code went
  registered_by     BIGINT NOT NULL REFERENCES users(id),
  registered_as     TEXT NOT NULL CHECK (registered_as IN ('patient', 'guardian', 'worker')),
  formulary_item_id BIGINT NOT NULL,
  drug_name         TEXT NOT NULL,              -- generic name and strength, copied when registered
  quantity          BIGINT NOT NULL CHECK (quantity BETWEEN 1 AND 99),
  region_code       TEXT NOT NULL,
  address           TEXT NOT NULL DEFAULT '',
  lat_e6            BIGINT NOT NULL,
  lon_e6            BIGINT NOT NULL,
  days_left         INTEGER NOT NULL CHECK (days_left BETWEEN 0 AND 365),
  marked_urgent     INTEGER NOT NULL DEFAULT 0 CHECK (marked_urgent IN (0, 1)),
  urgency           TEXT NOT NULL CHECK (urgency IN ('urgent', 'normal')),
  condition_text    TEXT NOT NULL DEFAULT '',
  icd10_code        TEXT NOT NULL DEFAULT '',
  needs_prescription INTEGER NOT NULL DEFAULT 0 CHECK (needs_prescription IN (0, 1)),
  status            TEXT NOT NULL CHECK (status IN ('awaiting_consent', 'open', 'fulfilled', 'closed', 'cancelled', 'lapsed')),
  -- Consent: self (the patient or a guardian registered it), sms_code (the worker entered the code
  -- sent to subject_phone), in_app (the patient confirmed in their own app). Set before `open`.
  consent_method    TEXT CHECK (consent_method IN ('self', 'sms_code', 'in_app')),
  consent_at        BIGINT,
  consent_by        BIGINT REFERENCES users(id),
  consultation_id   BIGINT,
  matched_at        BIGINT,
  match_radius_m    BIGINT,
  created_at        BIGINT NOT NULL,
  updated_at        BIGINT NOT NULL,
  closed_at         BIGINT,
  close_note        TEXT NOT NULL DEFAULT '',
  demo              INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
  CHECK (status = 'awaiting_consent' OR status = 'cancelled' OR consent_at IS NOT NULL)
);
CREATE INDEX medicine_needs_patient ON medicine_needs (patient_id, created_at);
CREATE INDEX medicine_needs_registrar ON medicine_needs (registered_by, created_at);
CREATE INDEX medicine_needs_open_place ON medicine_needs (status, lat_e6, lon_e6);
CREATE INDEX medicine_needs_phone ON medicine_needs (subject_phone, status);

-- The pharmacies that had the item in stock near the need at the last match.
CREATE TABLE need_matches (
  need_id     BIGINT NOT NULL REFERENCES medicine_needs(id),
  pharmacy_id BIGINT NOT NULL,
  pharmacy_name TEXT NOT NULL,
  distance_m  BIGINT NOT NULL,
  available   BIGINT NOT NULL,
  matched_at  BIGINT NOT NULL,
  PRIMARY KEY (need_id, pharmacy_id)
);

-- A pharmacy's answer to a need (its latest); a reservation is released exactly once
-- (released_at set by the one update that finds it NULL).
CREATE TABLE need_answers (
  id {{ID}},
  need_id        BIGINT NOT NULL REFERENCES medicine_needs(id),
  pharmacy_id    BIGINT NOT NULL,
  pharmacy_name  TEXT NOT NULL,
  answered_by    BIGINT NOT NULL REFERENCES users(id),
  kind           TEXT NOT NULL CHECK (kind IN ('can_supply', 'reserved')),
  quantity       BIGINT NOT NULL CHECK (quantity >= 1),
  note           TEXT NOT NULL DEFAULT '',
  reserved_until BIGINT,
  released_at    BIGINT,
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  UNIQUE (need_id, pharmacy_id)
);
CREATE INDEX need_answers_reserved ON need_answers (kind, released_at, reserved_until);
