-- Hospitals, the departments each runs online, uploaded files, doctors' applications to
-- practise and the practitioners admins approved. See src/domain/directory/README.md.

-- FHIR Organization. grade: the NHC hospital grading (三级甲等 ... 未定级).
CREATE TABLE hospitals (
  id {{ID}},
  name TEXT NOT NULL UNIQUE,
  grade TEXT NOT NULL CHECK (grade IN ('3A', '3B', '3C', '2A', '2B', '2C', '1', 'ungraded')),
  address TEXT NOT NULL,
  region_code TEXT NOT NULL CHECK (length(region_code) = 6),  -- county-level division code (GB/T 2260)
  licence_number TEXT NOT NULL UNIQUE,                     -- 医疗机构执业许可证登记号
  -- 普通门诊诊查费: online follow-up consultations are priced at this, whatever the doctor's title
  -- (RULES.md: Medical insurance)
  general_price_fen BIGINT NOT NULL CHECK (general_price_fen >= 0),
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);

CREATE TABLE hospital_departments (
  hospital_id BIGINT NOT NULL REFERENCES hospitals(id),
  department_code TEXT NOT NULL REFERENCES departments(code),
  PRIMARY KEY (hospital_id, department_code)
);

-- Content-addressed file store: one row per distinct content (SHA-256), base64 so one schema
-- serves both backends. Never read without going through an upload the reader may see.
CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
  size BIGINT NOT NULL CHECK (size > 0),
  data TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- One person's upload of a blob (two people uploading the same bytes get two uploads).
CREATE TABLE uploads (
  id {{ID}},
  owner_id BIGINT NOT NULL REFERENCES users(id),
  sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  file_name TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX uploads_owner ON uploads(owner_id);

-- title: 主任医师 chief_physician, 副主任医师 associate_chief_physician, 主治医师 attending_physician,
-- 住院医师 resident_physician; counselling departments also: 心理治疗师 psychotherapist,
-- 心理咨询师 counsellor.
CREATE TABLE practitioner_applications (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  hospital_id BIGINT NOT NULL REFERENCES hospitals(id),
  department_code TEXT NOT NULL REFERENCES departments(code),
  title TEXT NOT NULL CHECK (title IN ('chief_physician', 'associate_chief_physician', 'attending_physician',
                                       'resident_physician', 'psychotherapist', 'counsellor')),
  practice_scope TEXT NOT NULL,           -- 执业范围 as registered on the licence
  licence_number TEXT NOT NULL,           -- 执业证书编码
  years_practice BIGINT NOT NULL CHECK (years_practice >= 3),
  introduction TEXT NOT NULL DEFAULT '',
  specialties TEXT NOT NULL DEFAULT '',
  free_clinic BIGINT NOT NULL DEFAULT 0 CHECK (free_clinic IN (0, 1)),  -- 义诊 volunteer
  id_card_upload BIGINT NOT NULL REFERENCES uploads(id),
  licence_upload BIGINT NOT NULL REFERENCES uploads(id),
  qualification_upload BIGINT NOT NULL REFERENCES uploads(id),
  title_upload BIGINT NOT NULL REFERENCES uploads(id),
  photo_upload BIGINT REFERENCES uploads(id),
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  review_reason TEXT NOT NULL DEFAULT '',
  reviewed_by BIGINT REFERENCES users(id),
  reviewed_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX practitioner_applications_status ON practitioner_applications(status, created_at);
CREATE INDEX practitioner_applications_user ON practitioner_applications(user_id);
CREATE UNIQUE INDEX practitioner_applications_one_pending ON practitioner_applications(user_id) WHERE status = 'pending';

-- FHIR Practitioner + PractitionerRole: an approved doctor at one hospital and department.
-- Patients see and book only status = 'active' with licence_expires_on >= today.
CREATE TABLE practitioners (
  id {{ID}},
  user_id BIGINT NOT NULL UNIQUE REFERENCES users(id),
  application_id BIGINT NOT NULL REFERENCES practitioner_applications(id),
  hospital_id BIGINT NOT NULL REFERENCES hospitals(id),
  department_code TEXT NOT NULL REFERENCES departments(code),
  title TEXT NOT NULL,
  practice_scope TEXT NOT NULL,
  licence_number TEXT NOT NULL UNIQUE,
  licence_expires_on TEXT NOT NULL,
  years_practice BIGINT NOT NULL,
  introduction TEXT NOT NULL DEFAULT '',
  specialties TEXT NOT NULL DEFAULT '',
  free_clinic BIGINT NOT NULL DEFAULT 0 CHECK (free_clinic IN (0, 1)),
  photo_upload BIGINT REFERENCES uploads(id),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  status_reason TEXT NOT NULL DEFAULT '',
  rating_sum BIGINT NOT NULL DEFAULT 0,
  rating_count BIGINT NOT NULL DEFAULT 0,
  search_text TEXT NOT NULL,               -- lower-case name, hospital, department, specialties
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX practitioners_department ON practitioners(department_code, status);
CREATE INDEX practitioners_hospital ON practitioners(hospital_id, status);
