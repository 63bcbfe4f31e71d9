// The consultation's pure rules: message shapes, recall window, children under 6, the queue
// estimate and the follow-up rule that gates prescriptions.
#include <gtest/gtest.h>

#include "domain/consultation/rules.hpp"

namespace ihos::domain::consultation {
namespace {

std::vector<std::string> Codes(const std::vector<FieldError>& errs) {
  std::vector<std::string> out;
  for (const auto& e : errs) out.push_back(e.field + ":" + e.code);
  return out;
}

TEST(ConsultationRules, EachMessageKindNeedsItsOwnParts) {
  EXPECT_TRUE(CheckMessage({"c-1", "text", "您好", std::nullopt, std::nullopt}).empty());
  EXPECT_TRUE(CheckMessage({"c-2", "image", "", 7, std::nullopt}).empty());
  EXPECT_TRUE(CheckMessage({"c-3", "voice", "", 7, 60000}).empty());
  EXPECT_EQ(Codes(CheckMessage({"c-4", "text", "", std::nullopt, std::nullopt})),
            std::vector<std::string>{"text:required"});
  EXPECT_EQ(Codes(CheckMessage({"c-5", "image", "说明", std::nullopt, std::nullopt})),
            (std::vector<std::string>{"upload_id:required", "text:not_allowed"}));
  EXPECT_EQ(Codes(CheckMessage({"c-6", "voice", "", 7, 60001})), std::vector<std::string>{"duration_ms:out_of_range"});
  EXPECT_EQ(Codes(CheckMessage({"c-7", "voice", "", 7, std::nullopt})),
            std::vector<std::string>{"duration_ms:required"});
  EXPECT_EQ(Codes(CheckMessage({"c-8", "text", "x", std::nullopt, 5})),
            std::vector<std::string>{"duration_ms:not_allowed"});
}

TEST(ConsultationRules, ClientMessageIdsAreShortAndPlain) {
  EXPECT_EQ(CheckClientMsgId("9f1c-2b_A"), "");
  EXPECT_EQ(CheckClientMsgId(""), "required");
  EXPECT_EQ(CheckClientMsgId(std::string(65, 'a')), "too_long");
  EXPECT_EQ(CheckClientMsgId("a b"), "invalid_value");
  EXPECT_EQ(CheckClientMsgId("消息"), "invalid_value");
}

TEST(ConsultationRules, RecallIsPossibleForTwoMinutes) {
  EXPECT_TRUE(CanRecall(1000, 1000));
  EXPECT_TRUE(CanRecall(1000, 1000 + kRecallWindowMs));
  EXPECT_FALSE(CanRecall(1000, 1000 + kRecallWindowMs + 1));
}

TEST(ConsultationRules, ChildUnder6UntilTheSixthBirthday) {
  EXPECT_TRUE(ChildUnder6("2020-11-24", "2026-11-23"));
  EXPECT_FALSE(ChildUnder6("2020-11-23", "2026-11-23"));
  EXPECT_FALSE(ChildUnder6("1985-03-12", "2026-11-23"));
}

TEST(ConsultationRules, IntakeProofOnlyWithAFollowUp) {
  Intake in{"咳嗽", "3天", {}, "", "", "", false, {1}};
  EXPECT_EQ(Codes(CheckIntake(in)), std::vector<std::string>{"intake.proof_upload_ids:not_allowed"});
  in.is_follow_up = true;
  EXPECT_TRUE(CheckIntake(in).empty());
}

TEST(ConsultationRules, TheWaitGrowsWithThePositionAndTheDoctorsPace) {
  EXPECT_EQ(EstimatedWaitSeconds(1, 600000), 0);
  EXPECT_EQ(EstimatedWaitSeconds(3, 600000), 1200);
  EXPECT_EQ(EstimatedWaitSeconds(2, 1000), 60);  // never below a minute per patient ahead
}

TEST(ConsultationRules, OnlyAnActiveVerifiedFollowUpMayLeadToAPrescription) {
  Consultation c;
  c.status = "active";
  c.follow_up = "advice_only";
  EXPECT_EQ(Eligibility(c).reason, "follow_up_not_verified");
  c.follow_up = "verified";
  EXPECT_TRUE(Eligibility(c).allowed);
  c.child_under_6 = true;
  EXPECT_TRUE(Eligibility(c).guardian_required);
  c.status = "closed";
  EXPECT_FALSE(Eligibility(c).allowed);
  EXPECT_EQ(Eligibility(c).reason, "consultation_not_active");
}

}  // namespace
}  // namespace ihos::domain::consultation
