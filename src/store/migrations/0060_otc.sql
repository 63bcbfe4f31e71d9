-- Over-the-counter (OTC, 非处方药) drug orders. No licensed copy of the NMPA 非处方药目录 exists in
-- the shared data and the NRDL has no Rx/OTC flag, so ihos never infers OTC status: a pharmacist
-- marks a formulary line OTC 甲类 or 乙类 with the NMPA reference they read it from. The
-- marks are an append-only history (the newest row of a line is its state; a revocation is a row
-- too). See src/domain/drugs/README.md and src/domain/dispensing/README.md.
CREATE TABLE formulary_otc_marks (
  id {{ID}},
  formulary_item_id BIGINT NOT NULL REFERENCES formulary(id),
  action TEXT NOT NULL CHECK (action IN ('mark', 'revoke')),
  otc_class TEXT NOT NULL DEFAULT '' CHECK (otc_class IN ('', 'A', 'B')),  -- A 甲类 (red), B 乙类 (green)
  reference TEXT NOT NULL DEFAULT '',       -- the NMPA announcement / approval number text read
  reason TEXT NOT NULL DEFAULT '',          -- why marked or revoked
  advice TEXT NOT NULL DEFAULT '',          -- 甲类: the pharmacist's note the buyer acknowledges
  max_per_order BIGINT NOT NULL DEFAULT 0 CHECK (max_per_order >= 0),  -- boxes per order line
  demo BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
  by_user BIGINT REFERENCES users(id),      -- NULL: the demo seed (CLI)
  at BIGINT NOT NULL
);
CREATE INDEX formulary_otc_marks_item ON formulary_otc_marks (formulary_item_id, id);

-- Drug orders are of a prescription (kind rx) or of OTC lines (kind otc: no prescription). An OTC
-- order's lines keep the OTC class and the mark they were sold under (for 甲类: the mark whose
-- advice the buyer acknowledged).
ALTER TABLE drug_orders ADD COLUMN kind TEXT NOT NULL DEFAULT 'rx' CHECK (kind IN ('rx', 'otc'));
ALTER TABLE drug_order_lines ADD COLUMN otc_class TEXT NOT NULL DEFAULT '' CHECK (otc_class IN ('', 'A', 'B'));
ALTER TABLE drug_order_lines ADD COLUMN otc_mark_id BIGINT REFERENCES formulary_otc_marks(id);
-- prescription_id becomes optional (NULL for OTC orders). SQLite cannot drop a NOT NULL in place;
-- editing the table's SQL text is the documented way for a change that leaves the stored rows as
-- they are (sqlite.org/lang_altertable.html, "Making other kinds of table schema changes": removing
-- a NOT NULL constraint is listed as safe). Migrations run before any other connection opens.
/*sqlite*/ PRAGMA writable_schema = ON;
/*sqlite*/ UPDATE sqlite_schema SET sql = replace(sql, 'prescription_id BIGINT NOT NULL REFERENCES prescriptions(id)', 'prescription_id BIGINT REFERENCES prescriptions(id)') WHERE type = 'table' AND name = 'drug_orders';
/*sqlite*/ PRAGMA writable_schema = RESET;
-- replace() finds nothing when the stored text differs (spacing, case): then stop here, loudly,
-- rather than leave the column NOT NULL (the constraint's name is the error message).
/*sqlite*/ CREATE TEMP TABLE migration_0060_check (ok BIGINT NOT NULL CONSTRAINT drug_orders_prescription_id_still_not_null CHECK (ok = 1));
/*sqlite*/ INSERT INTO migration_0060_check (ok) SELECT CASE WHEN sql LIKE '%prescription_id BIGINT NOT NULL%' THEN 0 ELSE 1 END FROM sqlite_schema WHERE type = 'table' AND name = 'drug_orders';
/*sqlite*/ DROP TABLE migration_0060_check;
/*postgres*/ ALTER TABLE drug_orders ALTER COLUMN prescription_id DROP NOT NULL;
