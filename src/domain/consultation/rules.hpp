#pragma once
// The consultation's pure rules (unit-tested without a database).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "domain/consultation/model.hpp"

namespace ihos::domain::consultation {

inline constexpr std::int64_t kRecallWindowMs = 2 * 60 * 1000;  // a sender may recall for 2 minutes
inline constexpr std::int64_t kMaxVoiceMs = 60 * 1000;          // one voice clip: at most 60 s
inline constexpr std::size_t kMaxTextChars = 2000;

const std::vector<std::string>& Kinds();
const std::vector<std::string>& ReferralReasons();
bool IsFinal(std::string_view status);  // closed, referred, cancelled

// "" when fine, else a field error code: client_msg_id is 1..64 of [A-Za-z0-9_-].
std::string CheckClientMsgId(std::string_view id);
// Field errors of a message (text/image/voice with the parts each needs).
std::vector<FieldError> CheckMessage(const MessageInput& in);
// Field errors of the intake beyond shape (proof only with a follow-up, at most 9 proofs and
// 20 symptoms).
std::vector<FieldError> CheckIntake(const Intake& in);

bool CanRecall(std::int64_t created_at, std::int64_t now_ms);
// Under 6 on `today` (YYYY-MM-DD).
bool ChildUnder6(std::string_view birth_date, std::string_view today);
// The wait before `position` (1 = next) is seen, from the doctor's recent average handling time.
std::int64_t EstimatedWaitSeconds(int position, std::int64_t average_handling_ms);

// Why a consultation cannot (yet) lead to a prescription; see PrescriptionEligibility.
PrescriptionEligibility Eligibility(const Consultation& c);

}  // namespace ihos::domain::consultation
