#pragma once
// Online consultation values (FHIR Encounter, QuestionnaireResponse, Communication). See
// README.md beside this file.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ihos::domain::consultation {

// The pre-consultation questionnaire (预问诊).
struct Intake {
  std::string chief_complaint;
  std::string duration;
  std::vector<std::string> symptoms;
  std::string history;
  std::string allergies;
  std::string medications;
  bool is_follow_up = false;
  std::vector<std::int64_t> proof_upload_ids;  // the patient side's uploads: records of an offline diagnosis
};

struct StartInput {
  std::string kind;                        // text | voice | phone | counselling | free_clinic
  std::optional<std::int64_t> patient_id;  // a ward; default the actor
  std::optional<std::int64_t> appointment_id;
  std::optional<std::int64_t> practitioner_id;
  std::string department_code;  // free clinic: the department's shared queue
  Intake intake;
};

struct Party {
  std::int64_t id = 0;
  std::string name;
  std::string birth_date;
  std::string sex;
};

struct PractitionerRef {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string name;
  std::string title;
  std::string department_code;
  std::string hospital_name;
};

struct Record {
  std::int64_t version = 0;
  std::string chief_complaint;
  std::string present_illness;
  std::string diagnosis_code;
  std::string diagnosis_name;
  std::string advice;
  std::int64_t author_id = 0;
  std::int64_t created_at = 0;
};

struct Queue {
  int position = 0;  // 1 = next
  std::int64_t estimated_wait_s = 0;
};

struct Consultation {
  std::int64_t id = 0;
  std::string kind;
  std::string status;  // waiting | active | closed | referred | cancelled
  Party patient;
  std::int64_t requested_by = 0;
  std::optional<PractitionerRef> practitioner;
  std::string department_code;
  std::optional<std::int64_t> appointment_id;
  Intake intake;
  std::string follow_up;  // unverified | verified | advice_only
  std::string follow_up_note;
  bool child_under_6 = false;
  std::int64_t price_fen = 0;
  std::optional<std::string> referral_reason;
  std::string referral_note;
  std::optional<std::int64_t> referral_appointment_id;
  std::optional<int> rating;
  std::string rating_comment;
  std::int64_t last_seq = 0;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> accepted_at;
  std::optional<std::int64_t> closed_at;
  std::int64_t last_activity_at = 0;
  // Filled for views, not stored here:
  std::optional<Record> record;    // the newest version
  std::optional<Queue> queue;      // while waiting
  std::int64_t unread = 0;         // messages of the other side after the viewer's read receipt
  std::int64_t peer_read_seq = 0;  // how far the other side has read (a reply counts as a read)
};

struct Message {
  std::int64_t consultation_id = 0;
  std::int64_t seq = 0;
  std::optional<std::int64_t> sender_id;
  std::string sender_role;  // patient | doctor | system
  std::string client_msg_id;
  std::string kind;  // text | image | voice | call | system
  std::string body;
  std::optional<std::int64_t> upload_id;
  std::optional<std::int64_t> duration_ms;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> recalled_at;
};

// The number the assigned doctor dials for a phone consultation (电话回拨): the account that
// asked for the consultation (the patient, or the guardian who asked for a ward).
struct CallbackNumber {
  std::string phone;         // in full: only the assigned doctor gets it, and each reveal is audited
  std::string phone_masked;  // 138****5678, for lists and notes
  std::string name;          // whom the doctor will be speaking to
  std::string relation;      // patient | guardian
};

struct MessageInput {
  std::string client_msg_id;
  std::string kind;  // text | image | voice
  std::string text;
  std::optional<std::int64_t> upload_id;
  std::optional<std::int64_t> duration_ms;
};

struct RecordInput {
  std::string chief_complaint;
  std::string present_illness;
  std::string diagnosis_code;
  std::string advice;
};

// One row of the doctor's workstation.
struct WaitingItem {
  std::int64_t id = 0;
  std::string kind;
  Party patient;
  std::string chief_complaint;
  bool is_follow_up = false;
  bool child_under_6 = false;
  bool shared_queue = false;  // a free clinic any volunteer of the department may take
  // What the consultation costs if this doctor takes it: a shared "ask now" is priced at the
  // taking doctor's hospital, so the card shows that price before it is set.
  std::int64_t price_fen = 0;
  std::int64_t waiting_since = 0;
};

struct Workstation {
  std::int64_t practitioner_id = 0;
  std::vector<WaitingItem> waiting;
  std::vector<Consultation> active;
  int today_accepted = 0;
  int today_closed = 0;
};

// What the prescription capability reads (RULES.md: only a verified follow-up may lead to a
// prescription; a child under 6 needs the guardian present).
struct PrescriptionEligibility {
  bool allowed = false;
  std::string reason;  // "" when allowed; else follow_up_not_verified | consultation_not_active
  bool guardian_required = false;
};

}  // namespace ihos::domain::consultation
