-- E-prescriptions (src/domain/prescriptions): FHIR MedicationRequest (prescriptions + items),
-- AllergyIntolerance (patient_allergies), pharmacist review (审方) and signing keys. Nothing is
-- deleted: a change after signing is a new version (previous_id), an allergy is removed by a
-- removed_at stamp. Times are Unix milliseconds.

CREATE TABLE patient_allergies (
  id {{ID}},
  patient_id BIGINT NOT NULL REFERENCES users(id),
  drug_id BIGINT REFERENCES drugs(id),          -- a drug, or
  class_code TEXT NOT NULL DEFAULT '',           -- a class: penicillins, cephalosporins, sulfonamides, ...
  reaction TEXT NOT NULL DEFAULT '',
  recorded_by BIGINT NOT NULL REFERENCES users(id),
  confirmed_by BIGINT REFERENCES users(id),      -- the doctor who confirmed it from the questionnaire
  created_at BIGINT NOT NULL,
  removed_at BIGINT,
  removed_by BIGINT REFERENCES users(id),
  CHECK ((drug_id IS NULL) <> (class_code = ''))
);
CREATE INDEX patient_allergies_patient ON patient_allergies(patient_id);

-- Pharmacists bound to a hospital (审方 rights), added by an admin.
CREATE TABLE pharmacists (
  id {{ID}},
  user_id BIGINT NOT NULL UNIQUE REFERENCES users(id),
  name TEXT NOT NULL,
  hospital_id BIGINT NOT NULL REFERENCES hospitals(id),
  licence_number TEXT NOT NULL UNIQUE,           -- 执业药师注册证
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  created_at BIGINT NOT NULL
);

-- One Ed25519 key per signer (doctor or pharmacist), the secret sealed with a key derived from
-- the signer's PIN (Argon2id): the server cannot sign without the signer.
CREATE TABLE signing_keys (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  role TEXT NOT NULL CHECK (role IN ('doctor', 'pharmacist')),
  owner_name TEXT NOT NULL,                      -- published with the key
  public_key TEXT NOT NULL,                      -- base64url, 32 bytes
  sealed_secret TEXT NOT NULL,                   -- base64url(nonce || secretbox(secret key))
  pin_salt TEXT NOT NULL,
  kdf_ops BIGINT NOT NULL,                       -- Argon2id cost the PIN was sealed with
  kdf_mem BIGINT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys(user_id, role) WHERE status = 'active';

CREATE TABLE prescriptions (
  id {{ID}},
  rx_no TEXT NOT NULL UNIQUE,                    -- printed number
  previous_id BIGINT REFERENCES prescriptions(id),  -- the version this one replaces
  consultation_id BIGINT NOT NULL REFERENCES consultations(id),
  patient_id BIGINT NOT NULL REFERENCES users(id),
  practitioner_id BIGINT NOT NULL REFERENCES practitioners(id),
  doctor_user_id BIGINT NOT NULL REFERENCES users(id),
  doctor_name TEXT NOT NULL,                     -- 后记, as signed
  hospital_id BIGINT NOT NULL REFERENCES hospitals(id),
  kind TEXT NOT NULL CHECK (kind IN ('western', 'herbal')),
  category TEXT NOT NULL DEFAULT 'ordinary' CHECK (category IN ('ordinary', 'pediatric', 'emergency')),
  status TEXT NOT NULL CHECK (status IN ('pending_review', 'approved', 'rejected', 'dispensed', 'expired',
                                         'cancelled', 'superseded')),
  -- 前记 (as printed; copied at signing so the document never changes)
  institution TEXT NOT NULL,
  department TEXT NOT NULL,
  patient_name TEXT NOT NULL,
  patient_sex TEXT NOT NULL,
  patient_age TEXT NOT NULL,                     -- years, or months for infants
  patient_weight_g BIGINT,
  diagnosis_code TEXT NOT NULL,
  diagnosis_name TEXT NOT NULL,
  issued_on TEXT NOT NULL,                       -- CST date
  valid_days BIGINT NOT NULL DEFAULT 1 CHECK (valid_days BETWEEN 1 AND 3),
  expires_at BIGINT NOT NULL,
  long_term_assessment TEXT NOT NULL DEFAULT '',  -- the doctor's assessment for > 28 days
  patient_confirmed_long BIGINT NOT NULL DEFAULT 0 CHECK (patient_confirmed_long IN (0, 1)),
  guardian_present BIGINT NOT NULL DEFAULT 0 CHECK (guardian_present IN (0, 1)),
  amount_fen BIGINT NOT NULL,
  -- signatures
  content_hash TEXT NOT NULL,                    -- BLAKE2b-256 of the canonical content
  doctor_key_id BIGINT NOT NULL REFERENCES signing_keys(id),
  doctor_signature TEXT NOT NULL,
  signed_at BIGINT NOT NULL,
  pharmacist_user_id BIGINT REFERENCES users(id),
  pharmacist_name TEXT NOT NULL DEFAULT '',
  pharmacist_key_id BIGINT REFERENCES signing_keys(id),
  pharmacist_signature TEXT NOT NULL DEFAULT '',
  reviewed_at BIGINT,
  reject_reason TEXT NOT NULL DEFAULT '',
  warnings TEXT NOT NULL DEFAULT '[]',           -- JSON: non-blocking hits and overridden ones at signing
  created_at BIGINT NOT NULL
);
CREATE INDEX prescriptions_patient ON prescriptions(patient_id, status);
CREATE INDEX prescriptions_consultation ON prescriptions(consultation_id);
CREATE INDEX prescriptions_queue ON prescriptions(hospital_id, status, signed_at);
-- One new version per version: a rejected prescription is answered once (no forks).
CREATE UNIQUE INDEX prescriptions_one_next ON prescriptions(previous_id);

CREATE TABLE prescription_items (
  prescription_id BIGINT NOT NULL REFERENCES prescriptions(id),
  line BIGINT NOT NULL,
  formulary_id BIGINT NOT NULL REFERENCES formulary(id),
  drug_id BIGINT NOT NULL REFERENCES drugs(id),
  generic_name TEXT NOT NULL,
  dosage_form TEXT NOT NULL,
  strength TEXT NOT NULL,
  single_dose_milli BIGINT NOT NULL,
  dose_unit TEXT NOT NULL,
  route TEXT NOT NULL,
  frequency TEXT NOT NULL,
  days BIGINT NOT NULL,
  quantity BIGINT NOT NULL,                      -- boxes (盒)
  package_unit TEXT NOT NULL,                    -- the unit inside a box: 片, 粒, 支
  package_size BIGINT NOT NULL,                  -- units per box
  price_fen BIGINT NOT NULL,
  override_reason TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (prescription_id, line)
);

-- The pharmacist's review (医疗机构处方审核规范 2018): each group's outcome.
CREATE TABLE prescription_reviews (
  id {{ID}},
  prescription_id BIGINT NOT NULL REFERENCES prescriptions(id),
  pharmacist_user_id BIGINT NOT NULL REFERENCES users(id),
  outcome TEXT NOT NULL CHECK (outcome IN ('approved', 'rejected')),
  legality TEXT NOT NULL CHECK (legality IN ('pass', 'fail')),
  normativity TEXT NOT NULL CHECK (normativity IN ('pass', 'fail')),
  suitability TEXT NOT NULL CHECK (suitability IN ('pass', 'fail')),
  reason TEXT NOT NULL DEFAULT '',
  opened_at BIGINT NOT NULL,                     -- when the pharmacist opened it (review time)
  decided_at BIGINT NOT NULL
);
CREATE INDEX prescription_reviews_pharmacist ON prescription_reviews(pharmacist_user_id, decided_at);
