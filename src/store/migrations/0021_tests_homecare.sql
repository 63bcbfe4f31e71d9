-- Nucleic-acid test booking (核酸检测预约: sites, daily slots, bookings at a site or at home,
-- samples and results) and home services (网约护士 and 陪诊: catalogue, orders, status events,
-- nurses' service areas). See src/domain/nattest/README.md and src/domain/homecare/README.md.
-- Times are Unix ms BIGINT (China Standard Time for display); dates are ISO text.

-- A place where samples are taken: a hospital or a sampling point (采样点).
CREATE TABLE nat_sites (
  id {{ID}},
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('hospital', 'sampling_point')),
  region_code TEXT NOT NULL CHECK (length(region_code) = 6),  -- core/regions, checked by the service
  address TEXT NOT NULL,
  opening_hours TEXT NOT NULL DEFAULT '',                       -- free text shown to patients
  active BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  demo BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);
CREATE INDEX nat_sites_region ON nat_sites (region_code);

-- Bookable windows of a site. booked counts live bookings; a place is taken only by one
-- conditional UPDATE ... WHERE booked < capacity (as scheduling's slots).
CREATE TABLE nat_slots (
  id {{ID}},
  site_id BIGINT NOT NULL REFERENCES nat_sites(id),
  on_date TEXT NOT NULL,
  start_at BIGINT NOT NULL,
  end_at BIGINT NOT NULL,
  capacity BIGINT NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
  booked BIGINT NOT NULL DEFAULT 0 CHECK (booked >= 0 AND booked <= capacity),
  UNIQUE (site_id, start_at),
  CHECK (end_at > start_at)
);
CREATE INDEX nat_slots_site_date ON nat_slots (site_id, on_date);

-- A test booking: at a site (slot) or at home (address and time window). It becomes a sample
-- when collected (sample_no, printed as a barcode) and gets its result from the lab; the result
-- is also a nat_test fact of the health code (fact_id).
CREATE TABLE nat_bookings (
  id {{ID}},
  patient_id BIGINT NOT NULL REFERENCES users(id),
  booked_by BIGINT NOT NULL REFERENCES users(id),
  mode TEXT NOT NULL CHECK (mode IN ('site', 'home')),
  site_id BIGINT REFERENCES nat_sites(id),
  slot_id BIGINT REFERENCES nat_slots(id),
  region_code TEXT CHECK (length(region_code) = 6),    -- home visits
  address TEXT NOT NULL DEFAULT '',
  on_date TEXT NOT NULL,
  window_start BIGINT NOT NULL,
  window_end BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('booked', 'accepted', 'collected', 'resulted', 'cancelled')),
  accepted_by BIGINT REFERENCES users(id),
  accepted_at BIGINT,
  sample_no TEXT UNIQUE,
  collected_by BIGINT REFERENCES users(id),
  collected_at BIGINT,
  result TEXT CHECK (result IN ('negative', 'positive')),
  reported_by BIGINT REFERENCES users(id),
  reported_at BIGINT,
  fact_id BIGINT REFERENCES hc_facts(id),
  cancelled_by TEXT CHECK (cancelled_by IN ('patient', 'staff')),
  cancel_reason TEXT NOT NULL DEFAULT '',
  cancelled_at BIGINT,
  created_at BIGINT NOT NULL,
  CHECK (mode = 'home' OR slot_id IS NOT NULL),
  CHECK (mode = 'site' OR (region_code IS NOT NULL AND address <> ''))
);
-- One live (not cancelled) test booking per person per day.
CREATE UNIQUE INDEX nat_bookings_one_a_day ON nat_bookings (patient_id, on_date) WHERE status <> 'cancelled';
CREATE INDEX nat_bookings_patient ON nat_bookings (patient_id, window_start);
CREATE INDEX nat_bookings_open_home ON nat_bookings (mode, status, window_start);
CREATE INDEX nat_bookings_slot ON nat_bookings (slot_id);

-- The home-service catalogue (网约护士 / 陪诊) with prices in fen (demo prices are labelled demo).
CREATE TABLE homecare_services (
  code TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('nursing', 'escort')),
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  price_fen BIGINT NOT NULL CHECK (price_fen >= 0),
  duration_minutes BIGINT NOT NULL CHECK (duration_minutes BETWEEN 10 AND 720),
  active BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  demo BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
  sort_order BIGINT NOT NULL DEFAULT 0
);

-- A patient's order of a home service; price copied from the catalogue when booked.
CREATE TABLE homecare_orders (
  id {{ID}},
  patient_id BIGINT NOT NULL REFERENCES users(id),
  booked_by BIGINT NOT NULL REFERENCES users(id),
  service_code TEXT NOT NULL REFERENCES homecare_services(code),
  price_fen BIGINT NOT NULL CHECK (price_fen >= 0),
  region_code TEXT NOT NULL CHECK (length(region_code) = 6),
  address TEXT NOT NULL,
  contact_phone TEXT NOT NULL DEFAULT '',
  window_start BIGINT NOT NULL,
  window_end BIGINT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('requested', 'accepted', 'arrived', 'completed', 'cancelled')),
  nurse_id BIGINT REFERENCES users(id),
  service_note TEXT NOT NULL DEFAULT '',
  cancel_reason TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK (window_end > window_start)
);
CREATE INDEX homecare_orders_patient ON homecare_orders (patient_id, created_at);
CREATE INDEX homecare_orders_open ON homecare_orders (status, region_code);
CREATE INDEX homecare_orders_nurse ON homecare_orders (nurse_id, status);

-- The status timeline the patient sees: one row per change, never edited.
CREATE TABLE homecare_events (
  id {{ID}},
  order_id BIGINT NOT NULL REFERENCES homecare_orders(id),
  status TEXT NOT NULL,
  actor_id BIGINT REFERENCES users(id),
  actor_role TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL
);
CREATE INDEX homecare_events_order ON homecare_events (order_id, id);

-- Where a nurse takes home requests: region codes (a province, city or county covers everything
-- under it).
CREATE TABLE homecare_nurse_areas (
  user_id BIGINT NOT NULL REFERENCES users(id),
  region_code TEXT NOT NULL CHECK (length(region_code) = 6),
  PRIMARY KEY (user_id, region_code)
);

-- The catalogue ships with demo prices (demo = 1, shown as 演示价格 / demo price) until an admin
-- sets the hospital's own price.
INSERT INTO homecare_services (code, kind, name_zh, name_en, price_fen, duration_minutes, demo, sort_order) VALUES
  ('injection', 'nursing', '注射', 'Injection', 9900, 30, 1, 10),
  ('dressing_change', 'nursing', '换药', 'Dressing change', 12900, 45, 1, 20),
  ('catheter_care', 'nursing', '导管护理', 'Catheter care', 19900, 60, 1, 30),
  ('picc_maintenance', 'nursing', 'PICC 维护', 'PICC line maintenance', 25900, 60, 1, 40),
  ('blood_draw', 'nursing', '上门采血', 'Blood draw', 8900, 30, 1, 50),
  ('elderly_care', 'nursing', '老年护理', 'Elderly care', 29900, 120, 1, 60),
  ('escort_half_day', 'escort', '陪诊（半天）', 'Hospital escort (half day)', 19900, 240, 1, 70),
  ('escort_full_day', 'escort', '陪诊（全天）', 'Hospital escort (full day)', 35900, 480, 1, 80);
