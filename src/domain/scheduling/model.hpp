#pragma once
// Scheduling: weekly templates, dated exceptions, materialised slots and appointments. FHIR:
// Schedule, Slot, Appointment.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ihos::domain::scheduling {

// One period of the weekly template. Minutes after midnight, China Standard Time.
struct TemplatePeriod {
  int weekday = 1;  // ISO: Monday = 1 ... Sunday = 7
  int start_minute = 0;
  int end_minute = 0;
  std::string service;  // text | phone | video | offline
  int capacity = 1;
  std::int64_t price_fen = 0;  // offline only; online services take the hospital's general price
  bool free_clinic = false;
};

struct Exception {
  std::int64_t id = 0;
  std::string date;  // YYYY-MM-DD, CST
  std::string kind;  // leave | extra
  int start_minute = 0;
  int end_minute = 0;
  std::optional<std::string> service;  // leave: nullopt = every service
  std::optional<int> capacity;
  std::optional<std::int64_t> price_fen;
  bool free_clinic = false;
  std::string reason;
  std::int64_t created_at = 0;
};

struct Schedule {
  std::vector<TemplatePeriod> periods;
  std::vector<Exception> exceptions;
};

// What materialisation needs to know about the doctor.
struct PractitionerInfo {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string name;
  std::string title;
  std::int64_t hospital_id = 0;
  std::string hospital_name;
  std::string department_code;
  std::string department_name_zh;
  std::string department_name_en;
  std::int64_t general_price_fen = 0;
  bool free_clinic = false;
  std::string status;              // active | suspended
  std::string licence_expires_on;  // YYYY-MM-DD
  std::string hospital_grade;      // 3A ... 1 | ungraded (the insurance split's ratio depends on it)
};

// A slot the plan says should exist.
struct PlannedSlot {
  std::string date;
  std::string service;
  std::int64_t start_at = 0;
  std::int64_t end_at = 0;
  int capacity = 0;
  std::int64_t price_fen = 0;
  bool free_clinic = false;
};

struct Slot {
  std::int64_t id = 0;
  std::int64_t practitioner_id = 0;
  std::string date;
  std::string service;
  std::int64_t start_at = 0;
  std::int64_t end_at = 0;
  std::int64_t capacity = 0;
  std::int64_t booked = 0;
  std::int64_t issued = 0;
  std::int64_t price_fen = 0;
  bool free_clinic = false;
  std::string status;  // open | closed
};

struct Appointment {
  std::int64_t id = 0;
  std::int64_t slot_id = 0;
  std::int64_t practitioner_id = 0;
  std::int64_t practitioner_user_id = 0;
  std::string practitioner_name;
  std::string practitioner_title;
  std::string hospital_name;
  std::string hospital_grade;  // 3A ... 1 | ungraded
  std::string department_code;
  std::int64_t patient_id = 0;
  std::string patient_name;
  std::string patient_sex;
  std::string patient_birth_date;
  std::int64_t booked_by = 0;
  std::string service;
  std::int64_t start_at = 0;
  std::int64_t end_at = 0;
  std::int64_t queue_number = 0;
  std::int64_t price_fen = 0;
  std::string status;                       // booked | cancelled | fulfilled | noshow
  std::optional<std::string> cancelled_by;  // patient | practitioner | system
  std::string cancel_reason;
  std::optional<std::int64_t> cancelled_at;
  std::int64_t created_at = 0;
};

struct NewAppointment {
  std::int64_t slot_id = 0;
  std::int64_t practitioner_id = 0;
  std::int64_t patient_id = 0;
  std::int64_t booked_by = 0;
  std::string service;
  std::int64_t start_at = 0;
  std::int64_t end_at = 0;
  std::int64_t queue_number = 0;
  std::int64_t price_fen = 0;
  std::int64_t created_at = 0;
};

// A doctor's day: each slot with its appointments.
struct DaySlot {
  Slot slot;
  std::vector<Appointment> appointments;
};

}  // namespace ihos::domain::scheduling
