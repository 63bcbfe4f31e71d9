-- Online consultation (线上问诊): FHIR Encounter (consultations), QuestionnaireResponse (the
-- intake, columns of consultations), Communication (consultation_messages), the doctor's record
-- in versions (consultation_records). Nothing here is ever deleted by a user action: chat is kept
-- at least 3 years, records 15 (RULES.md). Times are Unix milliseconds.

CREATE TABLE consultations (
  id {{ID}},
  kind TEXT NOT NULL CHECK (kind IN ('text', 'voice', 'phone', 'counselling', 'free_clinic')),
  status TEXT NOT NULL DEFAULT 'waiting'
    CHECK (status IN ('waiting', 'active', 'closed', 'referred', 'cancelled')),
  patient_id BIGINT NOT NULL REFERENCES users(id),      -- the person seen (a ward for a guardian)
  requested_by BIGINT NOT NULL REFERENCES users(id),    -- who started it (the patient or guardian)
  practitioner_id BIGINT REFERENCES practitioners(id),  -- NULL while a free clinic waits in its queue
  department_code TEXT NOT NULL REFERENCES departments(code),
  appointment_id BIGINT UNIQUE REFERENCES appointments(id),
  -- the pre-consultation questionnaire (预问诊)
  chief_complaint TEXT NOT NULL,
  duration TEXT NOT NULL,
  symptoms TEXT NOT NULL DEFAULT '[]',                   -- JSON array of strings
  history TEXT NOT NULL DEFAULT '',
  allergies TEXT NOT NULL DEFAULT '',
  medications TEXT NOT NULL DEFAULT '',
  is_follow_up BIGINT NOT NULL DEFAULT 0 CHECK (is_follow_up IN (0, 1)),
  proof_upload_ids TEXT NOT NULL DEFAULT '[]',           -- JSON array of upload ids
  child_under_6 BIGINT NOT NULL DEFAULT 0 CHECK (child_under_6 IN (0, 1)),
  price_fen BIGINT NOT NULL DEFAULT 0,
  follow_up TEXT NOT NULL DEFAULT 'unverified' CHECK (follow_up IN ('unverified', 'verified', 'advice_only')),
  follow_up_note TEXT NOT NULL DEFAULT '',
  referral_reason TEXT CHECK (referral_reason IN ('condition_changed', 'first_visit', 'red_flags', 'unsuitable_online')),
  referral_note TEXT NOT NULL DEFAULT '',
  referral_appointment_id BIGINT REFERENCES appointments(id),
  rating BIGINT CHECK (rating BETWEEN 1 AND 5),
  rating_comment TEXT NOT NULL DEFAULT '',
  last_seq BIGINT NOT NULL DEFAULT 0,                    -- the gap-free message sequence
  created_at BIGINT NOT NULL,
  accepted_at BIGINT,
  closed_at BIGINT,
  last_activity_at BIGINT NOT NULL
);
CREATE INDEX consultations_patient ON consultations(patient_id, created_at);
CREATE INDEX consultations_requested_by ON consultations(requested_by, created_at);
CREATE INDEX consultations_practitioner ON consultations(practitioner_id, status, created_at);
CREATE INDEX consultations_queue ON consultations(status, department_code, created_at);

CREATE TABLE consultation_messages (
  consultation_id BIGINT NOT NULL REFERENCES consultations(id),
  seq BIGINT NOT NULL,
  sender_id BIGINT REFERENCES users(id),                 -- NULL for system messages
  sender_role TEXT NOT NULL CHECK (sender_role IN ('patient', 'doctor', 'system')),
  client_msg_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('text', 'image', 'voice', 'call', 'system')),
  body TEXT NOT NULL DEFAULT '',
  upload_id BIGINT REFERENCES uploads(id),
  duration_ms BIGINT,
  created_at BIGINT NOT NULL,
  recalled_at BIGINT,
  PRIMARY KEY (consultation_id, seq)
);
-- A retried send is stored once: per consultation, per sender, per client message id.
CREATE UNIQUE INDEX consultation_messages_client ON consultation_messages(consultation_id, sender_role, client_msg_id);

-- Read receipts: how far each party has read.
CREATE TABLE consultation_reads (
  consultation_id BIGINT NOT NULL REFERENCES consultations(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  last_read_seq BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (consultation_id, user_id)
);

-- The doctor's record (门诊病历), corrected only by a new version.
CREATE TABLE consultation_records (
  consultation_id BIGINT NOT NULL REFERENCES consultations(id),
  version BIGINT NOT NULL,
  chief_complaint TEXT NOT NULL,
  present_illness TEXT NOT NULL,
  diagnosis_code TEXT NOT NULL,
  diagnosis_name TEXT NOT NULL,
  advice TEXT NOT NULL,
  author_id BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (consultation_id, version)
);
