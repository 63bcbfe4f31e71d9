-- Doctors' online hours, the bookable slots made from them, appointments and the notices
-- patients receive about them. See src/domain/scheduling/README.md.

-- The weekly template: periods a practitioner works, per service. Times are minutes after
-- midnight, China Standard Time. Online services take the hospital's general outpatient price;
-- offline visits take price_fen; free-clinic (义诊) periods cost nothing.
CREATE TABLE schedule_templates (
  id {{ID}},
  practitioner_id BIGINT NOT NULL REFERENCES practitioners(id),
  weekday BIGINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),          -- ISO: Monday = 1
  start_minute BIGINT NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
  end_minute BIGINT NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
  service TEXT NOT NULL CHECK (service IN ('text', 'phone', 'video', 'offline')),
  capacity BIGINT NOT NULL CHECK (capacity BETWEEN 1 AND 500),
  price_fen BIGINT NOT NULL DEFAULT 0 CHECK (price_fen >= 0),
  free_clinic BIGINT NOT NULL DEFAULT 0 CHECK (free_clinic IN (0, 1)),
  CHECK (end_minute > start_minute)
);
CREATE INDEX schedule_templates_practitioner ON schedule_templates(practitioner_id);

-- Dated changes to the template: leave (no work in that window) or an extra shift.
CREATE TABLE schedule_exceptions (
  id {{ID}},
  practitioner_id BIGINT NOT NULL REFERENCES practitioners(id),
  on_date TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('leave', 'extra')),
  start_minute BIGINT NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
  end_minute BIGINT NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
  service TEXT CHECK (service IN ('text', 'phone', 'video', 'offline')),
  capacity BIGINT CHECK (capacity BETWEEN 1 AND 500),
  price_fen BIGINT CHECK (price_fen >= 0),
  free_clinic BIGINT NOT NULL DEFAULT 0 CHECK (free_clinic IN (0, 1)),
  reason TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  CHECK (end_minute > start_minute),
  CHECK (kind = 'leave' OR (service IS NOT NULL AND capacity IS NOT NULL))
);
CREATE INDEX schedule_exceptions_practitioner ON schedule_exceptions(practitioner_id, on_date);

-- Bookable periods, materialised from the template and exceptions for a rolling horizon.
-- booked counts live appointments (capacity is never exceeded: booking is one conditional
-- UPDATE ... WHERE booked < capacity); issued only grows and gives queue numbers.
CREATE TABLE slots (
  id {{ID}},
  practitioner_id BIGINT NOT NULL REFERENCES practitioners(id),
  on_date TEXT NOT NULL,
  service TEXT NOT NULL CHECK (service IN ('text', 'phone', 'video', 'offline')),
  start_at BIGINT NOT NULL,
  end_at BIGINT NOT NULL,
  capacity BIGINT NOT NULL CHECK (capacity >= 0),
  booked BIGINT NOT NULL DEFAULT 0 CHECK (booked >= 0 AND booked <= capacity),
  issued BIGINT NOT NULL DEFAULT 0,
  price_fen BIGINT NOT NULL CHECK (price_fen >= 0),
  free_clinic BIGINT NOT NULL DEFAULT 0 CHECK (free_clinic IN (0, 1)),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  UNIQUE (practitioner_id, service, start_at),
  CHECK (end_at > start_at)
);
CREATE INDEX slots_practitioner_start ON slots(practitioner_id, start_at);

-- FHIR Appointment. patient_id is the patient seen (a minor for a guardian's booking).
CREATE TABLE appointments (
  id {{ID}},
  slot_id BIGINT NOT NULL REFERENCES slots(id),
  practitioner_id BIGINT NOT NULL REFERENCES practitioners(id),
  patient_id BIGINT NOT NULL REFERENCES users(id),
  booked_by BIGINT NOT NULL REFERENCES users(id),
  service TEXT NOT NULL,
  start_at BIGINT NOT NULL,
  end_at BIGINT NOT NULL,
  queue_number BIGINT NOT NULL,
  price_fen BIGINT NOT NULL,
  status TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled', 'fulfilled', 'noshow')),
  cancelled_by TEXT CHECK (cancelled_by IN ('patient', 'practitioner', 'system')),
  cancel_reason TEXT NOT NULL DEFAULT '',
  cancelled_at BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (slot_id, queue_number)
);
CREATE INDEX appointments_patient ON appointments(patient_id, start_at);
CREATE INDEX appointments_practitioner ON appointments(practitioner_id, start_at);
CREATE INDEX appointments_slot ON appointments(slot_id);

-- What a user is told (appointment cancelled by the doctor or the system, ...). Titles and
-- bodies in both languages, written when the event happens.
CREATE TABLE notifications (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  title_zh TEXT NOT NULL,
  title_en TEXT NOT NULL,
  body_zh TEXT NOT NULL,
  body_en TEXT NOT NULL,
  appointment_id BIGINT REFERENCES appointments(id),
  created_at BIGINT NOT NULL,
  read_at BIGINT
);
CREATE INDEX notifications_user ON notifications(user_id, created_at);
