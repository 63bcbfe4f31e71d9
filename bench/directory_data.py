#!/usr/bin/env python3
"""Writes SQL that fills a migrated ihos database with a synthetic directory for benchmarks:
H hospitals running every department, D approved practitioners spread over the departments,
and for each practitioner two slots a day (morning text consultation, afternoon offline visit)
for 14 days from now, some already full. Synthetic names are labelled 压测 (benchmark data).
Usage: bench/directory_data.py DOCTORS HOSPITALS NOW_MS > data.sql   (SQLite and PostgreSQL)"""
import random
import sys

doctors, hospitals, now_ms = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(20261123)
surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏建国志宏海燕"
departments = ["general_practice", "internal_medicine", "respiratory", "gastroenterology", "cardiology",
               "endocrinology", "neurology", "nephrology", "surgery", "orthopedics", "gynecology", "obstetrics",
               "pediatrics", "dermatology", "ophthalmology", "ent", "stomatology", "infectious_diseases", "tcm",
               "emergency"]
titles = ["chief_physician", "associate_chief_physician", "attending_physician", "resident_physician"]
out = sys.stdout
w = out.write
w("BEGIN;\n")
w("INSERT INTO blobs (sha256, content_type, size, data, created_at) VALUES "
  f"('{'0' * 64}', 'image/png', 8, 'iVBORw0KGgo=', {now_ms});\n")
for h in range(1, hospitals + 1):
    w(f"INSERT INTO hospitals (id, name, grade, address, region_code, licence_number, general_price_fen, created_at) "
      f"VALUES ({h}, '压测医院{h:03d}', '3A', '压测地址{h}号', '110101', 'BENCH{h:06d}', 2500, {now_ms});\n")
    for d in departments:
        w(f"INSERT INTO hospital_departments (hospital_id, department_code) VALUES ({h}, '{d}');\n")
base_user = 1000000
slot_id = 0
day_ms = 24 * 3600 * 1000
midnight = now_ms - (now_ms + 8 * 3600 * 1000) % day_ms
for i in range(1, doctors + 1):
    uid = base_user + i
    name = "压测" + rng.choice(surnames) + rng.choice(given) + (rng.choice(given) if rng.random() < 0.5 else "")
    h = rng.randint(1, hospitals)
    dep = departments[i % len(departments)]
    title = rng.choice(titles)
    w(f"INSERT INTO users (id, phone, password_hash, real_name, id_number, birth_date, sex, created_at) VALUES "
      f"({uid}, NULL, NULL, '{name}', 'BENCH{uid:013d}', '1980-01-01', 'male', {now_ms});\n")
    up = uid
    w(f"INSERT INTO uploads (id, owner_id, sha256, created_at) VALUES ({up}, {uid}, '{'0' * 64}', {now_ms});\n")
    w(f"INSERT INTO practitioner_applications (id, user_id, hospital_id, department_code, title, practice_scope, "
      f"licence_number, years_practice, id_card_upload, licence_upload, qualification_upload, title_upload, status, "
      f"created_at) VALUES ({uid}, {uid}, {h}, '{dep}', '{title}', '内科专业', '9{uid:014d}', 10, {up}, {up}, {up}, "
      f"{up}, 'approved', {now_ms});\n")
    w(f"INSERT INTO practitioners (id, user_id, application_id, hospital_id, department_code, title, practice_scope, "
      f"licence_number, licence_expires_on, years_practice, introduction, specialties, search_text, rating_sum, "
      f"rating_count, created_at, updated_at) VALUES ({i}, {uid}, {uid}, {h}, '{dep}', '{title}', '内科专业', "
      f"'9{uid:014d}', '2035-12-31', 10, '压测数据', '常见病', '{name} 压测医院{h:03d} {dep}', "
      f"{rng.randint(40, 50) * 10}, 100, {now_ms}, {now_ms});\n")
    rows = []
    for day in range(14):
        for (start_h, end_h, service, price) in ((8, 12, "text", 2500), (14, 17, "offline", 5000)):
            slot_id += 1
            start = midnight + day * day_ms  # 00:00 China time of that day
            cap = 20
            booked = cap if rng.random() < 0.3 else rng.randint(0, cap - 1)
            d = f"2026-01-{day + 1:02d}"
            rows.append(f"({slot_id}, {i}, '{d}', '{service}', {start + start_h * 3600 * 1000}, "
                        f"{start + end_h * 3600 * 1000}, {cap}, {booked}, {booked}, {price})")
    w("INSERT INTO slots (id, practitioner_id, on_date, service, start_at, end_at, capacity, booked, issued, "
      "price_fen) VALUES " + ", ".join(rows) + ";\n")
w("COMMIT;\n")
