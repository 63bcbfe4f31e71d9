-- ICD-10 catalogue search (src/domain/icd10/README.md). A Chinese fragment is found through its
-- character bigrams: every distinct pair of neighbouring characters of each lower-cased name is
-- a row here, so "糖尿病" reads the few hundred codes holding "糖尿" by index and checks the
-- full fragment with LIKE on those only. One portable strategy for SQLite and PostgreSQL (no
-- FTS5 or pg_trgm, whose CJK handling differs by build and locale). Filled by `ihos icd10 import`.
-- A derived index rebuilt with the catalogue in one transaction, so no foreign key: with one,
-- PostgreSQL checks every deleted code against this table (a scan per code) on a re-import.
CREATE TABLE icd10_grams (
  gram TEXT NOT NULL,
  code TEXT NOT NULL,
  PRIMARY KEY (gram, code)
);
CREATE INDEX icd10_codes_name ON icd10_codes(name_zh);
