-- The drug catalogue (src/domain/drugs). Rows of the 2024 national reimbursement list (NRDL) are
-- not shipped in the repository: `ihos drugs import` loads them from ../shared/data/drugs_nrdl with
-- the controlled-drug, precursor and interaction lists beside it. Flags come only from those
-- lists; '' means "no list says so" (see src/domain/drugs/README.md for what each list covers).
CREATE TABLE drugs (
  id {{ID}},
  nhsa_id BIGINT NOT NULL UNIQUE,             -- the NRDL row id
  name TEXT NOT NULL,                          -- generic name (通用名) as in the NRDL
  name_en TEXT NOT NULL DEFAULT '',            -- INN / English name where known (controlled list, formulary)
  section TEXT NOT NULL,                       -- 西药部分, 中成药部分, 基金予以支付的中药饮片, ...
  kind TEXT NOT NULL CHECK (kind IN ('western', 'patent', 'herbal')),
  reimbursement_class TEXT NOT NULL DEFAULT '',  -- 医保甲类 | 医保乙类 | ''
  dosage_form TEXT NOT NULL DEFAULT '',
  category_path TEXT NOT NULL DEFAULT '',      -- ATC-like path for 西药, 功能主治 for 中成药
  therapeutic_class TEXT NOT NULL DEFAULT '',  -- the last level of category_path (duplicate therapy)
  controlled TEXT NOT NULL DEFAULT '' CHECK (controlled IN ('', 'narcotic', 'psychotropic_1', 'psychotropic_2',
                                                             'toxic', 'radioactive', 'precursor')),
  controlled_source TEXT NOT NULL DEFAULT '',  -- the list that made it controlled
  antimicrobial BIGINT NOT NULL DEFAULT 0 CHECK (antimicrobial IN (0, 1)),
  antimicrobial_chronic_exempt BIGINT NOT NULL DEFAULT 0 CHECK (antimicrobial_chronic_exempt IN (0, 1)),
  allergy_classes TEXT NOT NULL DEFAULT '',    -- |penicillins|cephalosporins| ... from category_path
  pinyin TEXT NOT NULL DEFAULT '',             -- initials of the name, e.g. bfl for 布洛芬
  search_text TEXT NOT NULL                    -- lower-case name, pinyin, category, English name
);
CREATE INDEX drugs_name ON drugs(name);
CREATE INDEX drugs_pinyin ON drugs(pinyin);

-- The hospital's formulary: what it stocks and may prescribe online, with the strength, package,
-- price and dose limits entered from the package insert (药品说明书). Demo rows are labelled.
CREATE TABLE formulary (
  id {{ID}},
  drug_id BIGINT NOT NULL REFERENCES drugs(id),
  name_en TEXT NOT NULL DEFAULT '',            -- INN, for interaction data in English
  strength TEXT NOT NULL,                      -- e.g. 0.5g, 10mg
  dose_unit TEXT NOT NULL,                     -- the unit of single doses: mg, g, IU, ml, 片
  strength_amount_milli BIGINT NOT NULL,       -- amount of dose_unit per package unit x 1000
  package_unit TEXT NOT NULL,                  -- 片, 粒, 支, 瓶, 袋
  package_size BIGINT NOT NULL CHECK (package_size > 0),  -- package units per box (盒)
  price_fen BIGINT NOT NULL CHECK (price_fen >= 0),       -- per box
  routes TEXT NOT NULL DEFAULT '',             -- |oral|topical| allowed routes
  max_single_milli BIGINT,                     -- adult maximum single dose (dose_unit x 1000)
  max_daily_milli BIGINT,                      -- adult maximum daily dose
  child_max_daily_milli_per_kg BIGINT,         -- children: per kg of weight per day
  min_age_years BIGINT NOT NULL DEFAULT 0,
  special_storage TEXT NOT NULL DEFAULT '',    -- e.g. 2-8°C refrigerated (no long prescription)
  insert_source TEXT NOT NULL DEFAULT '',      -- which package insert the limits come from
  demo BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
  active BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at BIGINT NOT NULL
);
CREATE INDEX formulary_drug ON formulary(drug_id);

-- Drug-drug interactions by English name (lower case, a < b): ONC high-priority pairs block,
-- ONC non-interruptive pairs warn (../shared/data/ddi_onc_high_priority, loaded at import).
CREATE TABLE drug_interactions (
  a TEXT NOT NULL,
  b TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('high', 'non_interruptive')),
  source TEXT NOT NULL,
  PRIMARY KEY (a, b, level)
);
