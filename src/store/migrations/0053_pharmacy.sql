-- Pharmacies, their staff and staff applications, opening hours, prices, and stock: an
-- append-only ledger of moves (pharmacy_stock_moves) with two derived level tables maintained
-- only by the function that appends moves, in the same transaction. See src/domain/pharmacy/README.md.

CREATE TABLE pharmacies (
  id {{ID}},
  name TEXT NOT NULL,
  licence_no TEXT NOT NULL UNIQUE,            -- 药品经营许可证编号
  region_code TEXT NOT NULL,                  -- 6-digit county code
  address TEXT NOT NULL DEFAULT '',
  lat DOUBLE PRECISION NOT NULL CHECK (lat BETWEEN -90 AND 90),   -- GCJ-02
  lon DOUBLE PRECISION NOT NULL CHECK (lon BETWEEN -180 AND 180),
  status TEXT NOT NULL CHECK (status IN ('open','closed','temporarily_closed')),
  status_note TEXT NOT NULL DEFAULT '',
  delivers BIGINT NOT NULL DEFAULT 0 CHECK (delivers IN (0, 1)),
  delivery_radius_m BIGINT NOT NULL DEFAULT 0 CHECK (delivery_radius_m >= 0),
  delivery_fee_fen BIGINT NOT NULL DEFAULT 0 CHECK (delivery_fee_fen >= 0),
  pickup_counter TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  demo BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1, 2)),        -- 1 demo, 2 benchmark data
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX pharmacies_region ON pharmacies(region_code);
-- Nearby search: SQLite R*Tree over the coordinates, kept by triggers; PostgreSQL GiST over
-- point(lon, lat) (built-in point_ops), queried with a box, then exact haversine distance.
/*sqlite*/ CREATE VIRTUAL TABLE pharmacy_geo USING rtree(id, min_lat, max_lat, min_lon, max_lon);
/*sqlite*/ CREATE TRIGGER pharmacy_geo_insert AFTER INSERT ON pharmacies BEGIN INSERT INTO pharmacy_geo (id, min_lat, max_lat, min_lon, max_lon) VALUES (new.id, new.lat, new.lat, new.lon, new.lon); END;
/*sqlite*/ CREATE TRIGGER pharmacy_geo_update AFTER UPDATE OF lat, lon ON pharmacies BEGIN UPDATE pharmacy_geo SET min_lat = new.lat, max_lat = new.lat, min_lon = new.lon, max_lon = new.lon WHERE id = new.id; END;
/*postgres*/ CREATE INDEX pharmacies_geo ON pharmacies USING gist (point(lon, lat));

-- Opening hours in CST: intervals per ISO weekday (1 Monday .. 7 Sunday), minutes from midnight.
CREATE TABLE pharmacy_hours (
  pharmacy_id BIGINT NOT NULL REFERENCES pharmacies(id),
  weekday BIGINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  open_min BIGINT NOT NULL CHECK (open_min BETWEEN 0 AND 1439),
  close_min BIGINT NOT NULL CHECK (close_min BETWEEN 1 AND 1440),
  PRIMARY KEY (pharmacy_id, weekday, open_min)
);

CREATE TABLE pharmacy_staff (
  pharmacy_id BIGINT NOT NULL REFERENCES pharmacies(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  duty TEXT NOT NULL CHECK (duty IN ('counter','courier','manager')),
  active BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (pharmacy_id, user_id)
);
CREATE INDEX pharmacy_staff_user ON pharmacy_staff(user_id);

-- A user asks to join a pharmacy (kind join) or to register a new one with its licence (kind
-- register); an admin approves or rejects with a reason.
CREATE TABLE pharmacy_applications (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL CHECK (kind IN ('join','register')),
  pharmacy_id BIGINT REFERENCES pharmacies(id),  -- join: the pharmacy; register: set on approval
  duty TEXT NOT NULL CHECK (duty IN ('counter','courier','manager')),
  name TEXT NOT NULL DEFAULT '',
  licence_no TEXT NOT NULL DEFAULT '',
  region_code TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  lat DOUBLE PRECISION NOT NULL DEFAULT 0,
  lon DOUBLE PRECISION NOT NULL DEFAULT 0,
  phone TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('pending','approved','rejected')),
  reason TEXT NOT NULL DEFAULT '',
  reviewed_by BIGINT REFERENCES users(id),
  reviewed_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX pharmacy_applications_status ON pharmacy_applications(status, id);

-- One row per (pharmacy, item) once stock or a price is recorded: the staff-set price (NULL: not
-- sold) and the derived outstanding reservations. The row PostgreSQL locks FOR UPDATE to
-- serialise every stock change of the item at the pharmacy.
CREATE TABLE pharmacy_items (
  pharmacy_id BIGINT NOT NULL REFERENCES pharmacies(id),
  item_id BIGINT NOT NULL REFERENCES formulary(id),
  price_fen BIGINT CHECK (price_fen >= 0),
  reserved BIGINT NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  PRIMARY KEY (pharmacy_id, item_id)
);
CREATE INDEX pharmacy_items_item ON pharmacy_items(item_id, pharmacy_id);

-- Derived on hand per batch (never edited except by the move-appending function).
CREATE TABLE pharmacy_batches (
  pharmacy_id BIGINT NOT NULL,
  item_id BIGINT NOT NULL,
  batch_no TEXT NOT NULL,
  expiry_date TEXT NOT NULL,                  -- YYYY-MM-DD, usable through that day
  on_hand BIGINT NOT NULL CHECK (on_hand >= 0),
  PRIMARY KEY (pharmacy_id, item_id, batch_no),
  FOREIGN KEY (pharmacy_id, item_id) REFERENCES pharmacy_items(pharmacy_id, item_id)
);
CREATE INDEX pharmacy_batches_item ON pharmacy_batches(item_id, pharmacy_id, expiry_date);

-- The ledger (append-only). on_hand_delta changes the batch's on hand; reserved_delta the item's
-- outstanding reservations (reserve/release/dispense carry the caller's ref).
CREATE TABLE pharmacy_stock_moves (
  id {{ID}},
  pharmacy_id BIGINT NOT NULL REFERENCES pharmacies(id),
  item_id BIGINT NOT NULL REFERENCES formulary(id),
  kind TEXT NOT NULL CHECK (kind IN ('received','reserved','released','dispensed','returned','expired','adjusted')),
  batch_no TEXT NOT NULL DEFAULT '',
  expiry_date TEXT NOT NULL DEFAULT '',
  on_hand_delta BIGINT NOT NULL,
  reserved_delta BIGINT NOT NULL,
  ref TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  cost_fen BIGINT,
  by_user BIGINT,
  at BIGINT NOT NULL
);
CREATE INDEX pharmacy_stock_moves_item ON pharmacy_stock_moves(pharmacy_id, item_id, id);
CREATE INDEX pharmacy_stock_moves_ref ON pharmacy_stock_moves(ref);
