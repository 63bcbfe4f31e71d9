-- The ICD-10 catalogue (北京临床版 v601) the doctor chooses a diagnosis from. Its rows are not
-- shipped (the vocabulary's licence is unstated): `ihos icd10 import` loads them from
-- ../shared/data/icd10_cn. search_text is the lower-case code and Chinese name.
CREATE TABLE icd10_codes (
  code TEXT PRIMARY KEY,
  name_zh TEXT NOT NULL,
  level TEXT NOT NULL,
  category TEXT NOT NULL DEFAULT '',
  search_text TEXT NOT NULL
);
