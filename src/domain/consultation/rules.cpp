#include "domain/consultation/rules.hpp"

#include <algorithm>

#include "core/resident_id.hpp"

namespace ihos::domain::consultation {

const std::vector<std::string>& Kinds() {
  static const std::vector<std::string> k{"text", "voice", "phone", "counselling", "free_clinic"};
  return k;
}

const std::vector<std::string>& ReferralReasons() {
  static const std::vector<std::string> r{"condition_changed", "first_visit", "red_flags", "unsuitable_online"};
  return r;
}

bool IsFinal(std::string_view status) { return status == "closed" || status == "referred" || status == "cancelled"; }

std::string CheckClientMsgId(std::string_view id) {
  if (id.empty()) return "required";
  if (id.size() > 64) return "too_long";
  for (unsigned char c : id)
    if (!(std::isalnum(c) || c == '-' || c == '_')) return "invalid_value";
  return "";
}

std::vector<FieldError> CheckMessage(const MessageInput& in) {
  std::vector<FieldError> errs;
  if (auto e = CheckClientMsgId(in.client_msg_id); !e.empty()) errs.push_back({"client_msg_id", e});
  if (in.kind == "text") {
    if (in.text.empty()) errs.push_back({"text", "required"});
    if (in.upload_id) errs.push_back({"upload_id", "not_allowed"});
  } else if (in.kind == "image" || in.kind == "voice") {
    if (!in.upload_id) errs.push_back({"upload_id", "required"});
    if (!in.text.empty()) errs.push_back({"text", "not_allowed"});
  }
  if (in.kind == "voice") {
    if (!in.duration_ms)
      errs.push_back({"duration_ms", "required"});
    else if (*in.duration_ms < 1 || *in.duration_ms > kMaxVoiceMs)
      errs.push_back({"duration_ms", "out_of_range"});
  } else if (in.duration_ms) {
    errs.push_back({"duration_ms", "not_allowed"});
  }
  return errs;
}

std::vector<FieldError> CheckIntake(const Intake& in) {
  std::vector<FieldError> errs;
  if (in.symptoms.size() > 20) errs.push_back({"intake.symptoms", "too_many_items"});
  for (const auto& s : in.symptoms)
    if (s.empty()) {
      errs.push_back({"intake.symptoms", "required"});
      break;
    }
  if (in.proof_upload_ids.size() > 9) errs.push_back({"intake.proof_upload_ids", "too_many_items"});
  if (!in.is_follow_up && !in.proof_upload_ids.empty()) errs.push_back({"intake.proof_upload_ids", "not_allowed"});
  return errs;
}

bool CanRecall(std::int64_t created_at, std::int64_t now_ms) { return now_ms - created_at <= kRecallWindowMs; }

bool ChildUnder6(std::string_view birth_date, std::string_view today) { return AgeOn(birth_date, today) < 6; }

std::int64_t EstimatedWaitSeconds(int position, std::int64_t average_handling_ms) {
  if (position <= 1) return 0;
  return (position - 1) * std::max<std::int64_t>(average_handling_ms, 60 * 1000) / 1000;
}

PrescriptionEligibility Eligibility(const Consultation& c) {
  PrescriptionEligibility e;
  e.guardian_required = c.child_under_6;
  if (c.status != "active") {
    e.reason = "consultation_not_active";
  } else if (c.follow_up != "verified") {
    e.reason = "follow_up_not_verified";
  } else {
    e.allowed = true;
  }
  return e;
}

}  // namespace ihos::domain::consultation
