-- Nucleic-acid tests become a billing source (billing item nat.test): a site's price per test in
-- fen (0 = explicitly free, as many cities' 常态化 testing was), copied onto each booking when it
-- is made so a later price change never alters a booked test. Home visits (上门核酸) keep 0 until
-- they are priced. See src/domain/nattest/README.md and src/domain/billing/README.md.
ALTER TABLE nat_sites ADD COLUMN price_fen BIGINT NOT NULL DEFAULT 0 CHECK (price_fen >= 0);
ALTER TABLE nat_bookings ADD COLUMN price_fen BIGINT NOT NULL DEFAULT 0 CHECK (price_fen >= 0);
