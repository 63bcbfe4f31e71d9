-- The standard department catalogue (科室). Hospitals choose which of these they run online
-- (hospital_departments, in a later migration). `code` is stable and used by the API, the
-- triage label map and the web; names are shown in the user's language.
CREATE TABLE departments (
  code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 2 AND 40),
  name_zh TEXT NOT NULL UNIQUE,
  name_en TEXT NOT NULL UNIQUE,
  -- counselling: served by psychological counsellors as well as doctors (RULES.md: People)
  counselling INTEGER NOT NULL DEFAULT 0 CHECK (counselling IN (0, 1)),
  sort_order INTEGER NOT NULL
);

INSERT INTO departments (code, name_zh, name_en, counselling, sort_order) VALUES
  ('general_practice', '全科', 'General Practice', 0, 10),
  ('internal_medicine', '内科', 'Internal Medicine', 0, 20),
  ('respiratory', '呼吸内科', 'Respiratory Medicine', 0, 30),
  ('gastroenterology', '消化内科', 'Gastroenterology', 0, 40),
  ('cardiology', '心内科', 'Cardiology', 0, 50),
  ('endocrinology', '内分泌科', 'Endocrinology', 0, 60),
  ('neurology', '神经内科', 'Neurology', 0, 70),
  ('nephrology', '肾内科', 'Nephrology', 0, 80),
  ('hematology', '血液科', 'Haematology', 0, 90),
  ('rheumatology', '风湿免疫科', 'Rheumatology and Immunology', 0, 100),
  ('hepatology', '肝病科', 'Hepatology', 0, 110),
  ('infectious_diseases', '感染科', 'Infectious Diseases', 0, 120),
  ('surgery', '外科', 'Surgery', 0, 130),
  ('breast_surgery', '乳腺外科', 'Breast Surgery', 0, 140),
  ('anorectal_surgery', '肛肠科', 'Anorectal Surgery', 0, 150),
  ('urology', '泌尿外科', 'Urology', 0, 160),
  ('neurosurgery', '神经外科', 'Neurosurgery', 0, 170),
  ('orthopedics', '骨科', 'Orthopaedics', 0, 180),
  ('spine_surgery', '脊柱外科', 'Spine Surgery', 0, 190),
  ('sports_medicine', '运动医学科', 'Sports Medicine', 0, 200),
  ('gynecology', '妇科', 'Gynaecology', 0, 210),
  ('obstetrics', '产科', 'Obstetrics', 0, 220),
  ('reproductive_medicine', '生殖医学科', 'Reproductive Medicine', 0, 230),
  ('pediatrics', '儿科', 'Paediatrics', 0, 240),
  ('dermatology', '皮肤科', 'Dermatology', 0, 250),
  ('ophthalmology', '眼科', 'Ophthalmology', 0, 260),
  ('ent', '耳鼻喉科', 'Otorhinolaryngology (ENT)', 0, 270),
  ('stomatology', '口腔科', 'Stomatology (Dentistry)', 0, 280),
  ('psychology', '心理科', 'Psychology and Counselling', 1, 290),
  ('psychiatry', '精神卫生科', 'Psychiatry (Mental Health)', 0, 300),
  ('oncology', '肿瘤科', 'Oncology', 0, 310),
  ('tcm', '中医科', 'Traditional Chinese Medicine', 0, 320),
  ('rehabilitation', '康复医学科', 'Rehabilitation Medicine', 0, 330),
  ('emergency', '急诊科', 'Emergency Medicine', 0, 340);
