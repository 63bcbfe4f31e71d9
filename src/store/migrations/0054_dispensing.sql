-- Drug orders (FHIR MedicationDispense; "drug orders" in the UI): an order of an approved
-- prescription's lines at one pharmacy, its lines, the batches dispensed, its timeline, and the
-- server's Ed25519 keys that sign pickup codes. Money is integer fen; coordinates are GCJ-02
-- degrees x 1e6. See src/domain/dispensing/README.md.

CREATE TABLE drug_orders (
  id {{ID}},
  patient_id      BIGINT NOT NULL REFERENCES users(id),
  created_by      BIGINT NOT NULL REFERENCES users(id),
  prescription_id BIGINT NOT NULL REFERENCES prescriptions(id),
  pharmacy_id     BIGINT NOT NULL,              -- the pharmacy capability's id (asked through its service)
  pharmacy_name   TEXT NOT NULL,
  mode            TEXT NOT NULL CHECK (mode IN ('delivery','pickup')),
  address         TEXT NOT NULL DEFAULT '',
  lat_e6          BIGINT NOT NULL DEFAULT 0,
  lon_e6          BIGINT NOT NULL DEFAULT 0,
  contact_phone   TEXT NOT NULL DEFAULT '',
  items_fen       BIGINT NOT NULL CHECK (items_fen >= 0),
  delivery_fee_fen BIGINT NOT NULL DEFAULT 0 CHECK (delivery_fee_fen >= 0),
  status          TEXT NOT NULL CHECK (status IN ('placed','accepted','dispensed','assigned','picked_up',
                    'delivered','failed','handed_over','returned','cancelled','rejected','expired')),
  reason          TEXT NOT NULL DEFAULT '',     -- rejection, cancellation or delivery-failure reason
  courier_id      BIGINT REFERENCES users(id),
  rx_line_count   INTEGER NOT NULL,             -- lines on the prescription (all dispensed -> prescription dispensed)
  pickup_nonce    TEXT NOT NULL,                -- carried in the signed pickup code
  pickup_used_at  BIGINT,
  pickup_used_by  BIGINT REFERENCES users(id),
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL
);
CREATE INDEX drug_orders_patient ON drug_orders (patient_id, id);
CREATE INDEX drug_orders_rx ON drug_orders (prescription_id);
CREATE INDEX drug_orders_pharmacy ON drug_orders (pharmacy_id, status, id);

-- One row per prescription line ordered here; the quantity never exceeds what is left of the line
-- (checked under the prescription's lock: prescribed minus every other live order's quantity).
CREATE TABLE drug_order_lines (
  order_id          BIGINT NOT NULL REFERENCES drug_orders(id),
  line_no           INTEGER NOT NULL,           -- the prescription line (prescription_items.line)
  formulary_item_id BIGINT NOT NULL,
  name              TEXT NOT NULL,
  strength          TEXT NOT NULL DEFAULT '',
  prescribed        BIGINT NOT NULL,            -- boxes on the prescription line
  quantity          BIGINT NOT NULL CHECK (quantity > 0),   -- boxes
  unit_fen          BIGINT NOT NULL CHECK (unit_fen >= 0),  -- the pharmacy's price per box
  item_code         TEXT NOT NULL CHECK (item_code IN ('drug.A','drug.B','drug.none')),
  PRIMARY KEY (order_id, line_no)
);

-- The batches the pharmacy's stock ledger took when dispensing (earliest expiry first).
CREATE TABLE drug_order_batches (
  order_id          BIGINT NOT NULL REFERENCES drug_orders(id),
  formulary_item_id BIGINT NOT NULL,
  batch_no          TEXT NOT NULL,
  expiry_date       TEXT NOT NULL,
  quantity          BIGINT NOT NULL CHECK (quantity > 0)
);
CREATE INDEX drug_order_batches_order ON drug_order_batches (order_id);

CREATE TABLE drug_order_events (
  id {{ID}},
  order_id  BIGINT NOT NULL REFERENCES drug_orders(id),
  status    TEXT NOT NULL,
  actor_id  BIGINT,
  actor_role TEXT NOT NULL,                     -- patient | pharmacy | courier | system
  note      TEXT NOT NULL DEFAULT '',
  at        BIGINT NOT NULL
);
CREATE INDEX drug_order_events_order ON drug_order_events (order_id, id);

-- The server's pickup-code signing keys (Ed25519, base64url). Public keys are published; the
-- newest active key signs. A real deployment keeps the secret in a KMS/HSM instead.
CREATE TABLE drug_pickup_keys (
  id {{ID}},
  public_key  TEXT NOT NULL UNIQUE,
  secret_key  TEXT NOT NULL,
  created_at  BIGINT NOT NULL
);
