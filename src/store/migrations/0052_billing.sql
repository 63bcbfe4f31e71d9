-- Billing: orders (charges) for priced services, insurance profiles and versioned regional
-- policies, settlements with their per-line split, self-pay payments through a provider, refunds,
-- receipts (电子票据), idempotency keys, and the append-only double-entry ledger. Money is integer fen.
-- See src/domain/billing/README.md.

CREATE TABLE billing_items (
  code        TEXT PRIMARY KEY,          -- consult.followup, consult.selfpay, visit.registration, nat.test, homecare.service, delivery
  name_zh     TEXT NOT NULL,
  name_en     TEXT NOT NULL,
  item_class  TEXT NOT NULL CHECK (item_class IN ('A','B','none','never')),  -- 甲 / 乙 / 自费 / never insurable
  b_selfpay_bp INTEGER NOT NULL DEFAULT 0 CHECK (b_selfpay_bp BETWEEN 0 AND 10000),
  updated_at  BIGINT NOT NULL DEFAULT 0
);
INSERT INTO billing_items (code, name_zh, name_en, item_class, b_selfpay_bp) VALUES
  ('consult.followup',   '互联网复诊诊查费', 'Online follow-up consultation', 'A', 0),
  ('consult.selfpay',    '互联网咨询费（自费）', 'Online consultation (self-pay)', 'none', 0),
  ('visit.registration', '门诊诊查费', 'Outpatient visit', 'A', 0),
  ('nat.test',           '新型冠状病毒核酸检测', 'SARS-CoV-2 nucleic-acid test', 'B', 1000),
  ('homecare.service',   '上门护理服务', 'Home nursing service', 'none', 0),
  ('delivery',           '配送费', 'Delivery fee', 'never', 0);

CREATE TABLE insurance_profiles (
  patient_id  BIGINT PRIMARY KEY REFERENCES users(id),
  scheme      TEXT NOT NULL CHECK (scheme IN ('employee','resident','self_pay')),
  region_code TEXT NOT NULL,
  insured_no  TEXT NOT NULL DEFAULT '',       -- masked card / voucher number from the adapter
  adapter     TEXT NOT NULL,                  -- demo
  bound_at    BIGINT NOT NULL
);

-- A policy per insured region and scheme; editing inserts a new version (never updates).
CREATE TABLE insurance_policies (
  id {{ID}},
  region_code  TEXT NOT NULL,
  scheme       TEXT NOT NULL CHECK (scheme IN ('employee','resident')),
  version      INTEGER NOT NULL,
  deductible_fen        BIGINT NOT NULL CHECK (deductible_fen >= 0),
  annual_cap_fen        BIGINT NOT NULL CHECK (annual_cap_fen >= 0),
  personal_account_pays INTEGER NOT NULL,
  ratios       TEXT NOT NULL,                 -- JSON [{grade, item_class, ratio_bp}]
  demo         INTEGER NOT NULL DEFAULT 0,
  created_by   BIGINT,
  created_at   BIGINT NOT NULL,
  UNIQUE (region_code, scheme, version)
);

CREATE TABLE billing_orders (
  id {{ID}},
  patient_id   BIGINT NOT NULL REFERENCES users(id),
  created_by   BIGINT NOT NULL REFERENCES users(id),
  source_kind  TEXT NOT NULL,                 -- consultation | appointment | nat_booking | homecare_order
  source_id    BIGINT NOT NULL,
  title        TEXT NOT NULL,
  hospital_grade TEXT NOT NULL DEFAULT '',
  total_fen    BIGINT NOT NULL CHECK (total_fen >= 0),
  status       TEXT NOT NULL CHECK (status IN ('pending','paying','paid','expired','cancelled','refunded')),
  hold_until   BIGINT NOT NULL,
  created_at   BIGINT NOT NULL,
  paid_at      BIGINT,
  closed_at    BIGINT,
  refunded_fen BIGINT NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0 AND refunded_fen <= total_fen)
);
-- One live order per priced thing: a retried "create order" finds it.
CREATE UNIQUE INDEX billing_orders_source ON billing_orders (source_kind, source_id);
CREATE INDEX billing_orders_patient ON billing_orders (patient_id, id);
CREATE INDEX billing_orders_hold ON billing_orders (status, hold_until);

CREATE TABLE billing_order_lines (
  order_id    BIGINT NOT NULL REFERENCES billing_orders(id),
  line_no     INTEGER NOT NULL,
  item_code   TEXT NOT NULL REFERENCES billing_items(code),
  name        TEXT NOT NULL,
  unit_fen    BIGINT NOT NULL CHECK (unit_fen >= 0),
  quantity    INTEGER NOT NULL CHECK (quantity > 0),
  amount_fen  BIGINT NOT NULL CHECK (amount_fen >= 0),
  PRIMARY KEY (order_id, line_no)
);

-- Self-pay through a provider. One open payment per order; the provider's transaction id is unique.
CREATE TABLE billing_payments (
  id {{ID}},
  order_id     BIGINT NOT NULL REFERENCES billing_orders(id),
  provider     TEXT NOT NULL,
  out_trade_no TEXT NOT NULL UNIQUE,          -- ours, sent to the provider
  provider_txn TEXT UNIQUE,                   -- theirs, from the notification
  amount_fen   BIGINT NOT NULL CHECK (amount_fen > 0),
  use_insurance INTEGER NOT NULL,
  use_personal  INTEGER NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('created','succeeded','closed')),
  created_at   BIGINT NOT NULL,
  succeeded_at BIGINT
);
CREATE INDEX billing_payments_order ON billing_payments (order_id);

-- The split committed for an order (one per order; a cancellation is a refund, never an update).
CREATE TABLE billing_settlements (
  id {{ID}},
  order_id     BIGINT NOT NULL UNIQUE REFERENCES billing_orders(id),
  policy_id    BIGINT REFERENCES insurance_policies(id),
  region_code  TEXT NOT NULL DEFAULT '',
  scheme       TEXT NOT NULL,
  fund_fen     BIGINT NOT NULL CHECK (fund_fen >= 0),
  personal_fen BIGINT NOT NULL CHECK (personal_fen >= 0),
  cash_fen     BIGINT NOT NULL CHECK (cash_fen >= 0),
  deductible_used_fen BIGINT NOT NULL DEFAULT 0,
  lines        TEXT NOT NULL,                 -- JSON: the per-line split with the deciding rule
  payment_id   BIGINT REFERENCES billing_payments(id),  -- the payment of the cash part, if any
  settled_at   BIGINT NOT NULL,
  year         INTEGER NOT NULL
);
CREATE INDEX billing_settlements_region ON billing_settlements (region_code, settled_at);
CREATE INDEX billing_settlements_patient_year ON billing_settlements (year, order_id);

-- Every notification received (also duplicates and bad signatures): the provider's audit trail.
CREATE TABLE billing_notifications (
  id {{ID}},
  provider    TEXT NOT NULL,
  out_trade_no TEXT NOT NULL,
  provider_txn TEXT NOT NULL,
  outcome     TEXT NOT NULL,                  -- applied | duplicate | bad_signature | unknown | amount_mismatch | late_refunded
  received_at BIGINT NOT NULL
);

CREATE TABLE billing_refunds (
  id {{ID}},
  order_id    BIGINT NOT NULL REFERENCES billing_orders(id),
  reason      TEXT NOT NULL,
  amount_fen  BIGINT NOT NULL CHECK (amount_fen > 0),
  fund_fen    BIGINT NOT NULL CHECK (fund_fen >= 0),
  personal_fen BIGINT NOT NULL CHECK (personal_fen >= 0),
  cash_fen    BIGINT NOT NULL CHECK (cash_fen >= 0),
  status      TEXT NOT NULL CHECK (status IN ('pending','succeeded')),
  provider_refund_no TEXT UNIQUE,
  requested_by BIGINT,
  payment_id  BIGINT REFERENCES billing_payments(id),  -- whose cash goes back
  created_at  BIGINT NOT NULL,
  succeeded_at BIGINT
);
CREATE INDEX billing_refunds_order ON billing_refunds (order_id);
-- A source-ended refund (cancelled, suspended, not taken) happens once per order.
CREATE UNIQUE INDEX billing_refunds_source_end ON billing_refunds (order_id) WHERE reason NOT IN ('admin_partial', 'late_payment');

CREATE TABLE billing_receipts (
  number      TEXT PRIMARY KEY,               -- IHOS-<year>-<8 digits>
  order_id    BIGINT NOT NULL UNIQUE REFERENCES billing_orders(id),
  issued_at   BIGINT NOT NULL
);

CREATE TABLE billing_idempotency (
  actor_id    BIGINT NOT NULL,
  idem_key    TEXT NOT NULL,
  operation   TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  result_id   BIGINT NOT NULL,
  created_at  BIGINT NOT NULL,
  PRIMARY KEY (actor_id, idem_key)
);

-- The ledger: append-only; every transaction's entries sum to zero. An account's balance is the
-- net money that flowed into it.
CREATE TABLE ledger_transactions (
  id {{ID}},
  kind        TEXT NOT NULL,                  -- personal_open | payment | settlement | refund | refund_cash | late_payment_refund
  order_id    BIGINT,
  ref         TEXT NOT NULL DEFAULT '',
  created_at  BIGINT NOT NULL
);
CREATE TABLE ledger_entries (
  txn_id      BIGINT NOT NULL REFERENCES ledger_transactions(id),
  account     TEXT NOT NULL,
  amount_fen  BIGINT NOT NULL,
  PRIMARY KEY (txn_id, account)
);
CREATE INDEX ledger_entries_account ON ledger_entries (account);

-- The built-in DEMO payment provider's own books (a real provider keeps these on its side).
CREATE TABLE demo_pay_transactions (
  out_trade_no TEXT PRIMARY KEY,
  subject      TEXT NOT NULL,
  amount_fen   BIGINT NOT NULL CHECK (amount_fen > 0),
  payer_id     BIGINT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('waiting','paid','closed')),
  provider_txn TEXT UNIQUE,
  paid_at      BIGINT,
  refunded_fen BIGINT NOT NULL DEFAULT 0,
  notify_due   BIGINT,                         -- when the next notification is due (NULL: none)
  notify_count INTEGER NOT NULL DEFAULT 0,
  created_at   BIGINT NOT NULL
);
CREATE INDEX demo_pay_notify ON demo_pay_transactions (notify_due);
CREATE TABLE demo_pay_refunds (
  refund_no    TEXT PRIMARY KEY,
  out_trade_no TEXT NOT NULL REFERENCES demo_pay_transactions(out_trade_no),
  amount_fen   BIGINT NOT NULL CHECK (amount_fen > 0),
  created_at   BIGINT NOT NULL
);
