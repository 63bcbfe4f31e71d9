#pragma once
// The directory: hospitals (FHIR Organization), the departments they run online, uploaded
// files, applications to practise and approved practitioners (FHIR Practitioner +
// PractitionerRole). See README.md beside this file.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ihos::domain::directory {

struct Department {
  std::string code;
  std::string name_zh;
  std::string name_en;
  bool counselling = false;
  std::int64_t doctor_count = 0;  // active practitioners (of the hospital, when one was asked for)
};

struct Hospital {
  std::int64_t id = 0;
  std::string name;
  std::string grade;  // 3A 3B 3C 2A 2B 2C 1 ungraded
  std::string address;
  std::string region_code;
  std::string licence_number;
  std::int64_t general_price_fen = 0;
  std::vector<std::string> departments;
  std::int64_t created_at = 0;
};

struct HospitalInput {
  std::string name;
  std::string grade;
  std::string address;
  std::string region_code;
  std::string licence_number;
  std::int64_t general_price_fen = 0;
  std::vector<std::string> departments;
};

// An upload: one person's reference to a stored blob.
struct FileMeta {
  std::int64_t id = 0;
  std::int64_t owner_id = 0;
  std::string sha256;
  std::string content_type;
  std::int64_t size = 0;
  std::string file_name;
  std::int64_t created_at = 0;
};

struct ApplicationInput {
  std::int64_t hospital_id = 0;
  std::string department_code;
  std::string title;
  std::string practice_scope;
  std::string licence_number;
  std::int64_t years_practice = 0;
  std::string introduction;
  std::string specialties;
  bool free_clinic = false;
  std::int64_t id_card_upload = 0;
  std::int64_t licence_upload = 0;
  std::int64_t qualification_upload = 0;
  std::int64_t title_upload = 0;
  std::optional<std::int64_t> photo_upload;
};

struct Application {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string user_name;
  ApplicationInput in;
  std::string hospital_name;
  Department department;
  std::string status;  // pending | approved | rejected
  std::string review_reason;
  std::optional<std::int64_t> reviewed_at;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> practitioner_id;
};

struct NextFree {
  std::int64_t slot_id = 0;
  std::string service;
  std::int64_t start_at = 0;
  std::int64_t price_fen = 0;
};

// A practitioner as patients (and, with status fields, admins and the doctor) see them.
struct Doctor {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string name;
  std::string title;
  std::int64_t hospital_id = 0;
  std::string hospital_name;
  std::string hospital_grade;
  Department department;
  std::string practice_scope;
  std::string licence_number;
  std::string licence_expires_on;
  std::int64_t years_practice = 0;
  std::string introduction;
  std::string specialties;
  bool free_clinic = false;
  bool has_photo = false;
  std::int64_t rating_sum = 0;
  std::int64_t rating_count = 0;
  std::string status;  // active | suspended
  std::string status_reason;
  std::optional<NextFree> next_free;
};

struct DoctorQuery {
  std::string department;
  std::optional<std::int64_t> hospital_id;
  std::string title;
  std::string q;
  std::optional<bool> free_clinic;
  std::string sort = "soonest";  // soonest | rating | title
  int limit = 20;
  int offset = 0;
};

struct DoctorPage {
  std::vector<Doctor> items;
  std::int64_t total = 0;
};

}  // namespace ihos::domain::directory
