// Consultation storage on SQLite and PostgreSQL, without HTTP: every mapped column read back,
// one doctor takes a waiting consultation, gap-free message numbers under concurrent senders,
// idempotent sends by client id, read receipts only move forward, record versions, rollback.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>

#include "domain/consultation/repository.hpp"
#include "support/practitioner_fixture.hpp"
#include "support/race.hpp"
#include "support/store_suite.hpp"
#include "support/test_db.hpp"

namespace ihos::domain::consultation {
namespace {

class ConsultationStoreTest : public testing::StoreSuite {
 protected:
  void SetUp() override {
    db_ = testing::FreshDatabase(GetParam(), 8);
    now_ = 1'794'961'560'000;  // 2026-11-18 08:26 CST
    auto users = testing::InsertPatients(*db_, 4, "cons", now_);
    patient_ = users[0].id;
    guardian_ = users[1].id;
    doctor_user_ = users[2].id;
    other_doctor_user_ = users[3].id;
    auto ids = testing::InsertPractitioner(*db_, doctor_user_);
    practitioner_ = ids.practitioner_id;
    other_practitioner_ = testing::InsertPractitioner(*db_, other_doctor_user_).practitioner_id;
  }

  // A booked appointment with the practitioner (slot and appointment by SQL).
  std::int64_t Appointment(int n) {
    return WriteR<std::int64_t>([&](store::Tx& tx) -> Result<std::int64_t> {
      const std::int64_t start = now_ + (n + 1) * 3'600'000;
      auto slot = tx.Query(
          "INSERT INTO slots (practitioner_id, on_date, service, start_at, end_at, capacity, booked, issued, "
          "price_fen) "
          "VALUES ($1, '2026-11-18', 'text', $2, $3, 5, 1, 1, 2500) RETURNING id",
          {practitioner_, start, start + 1'800'000});
      if (!slot) return slot.error();
      auto a = tx.Query(
          "INSERT INTO appointments (slot_id, practitioner_id, patient_id, booked_by, service, start_at, end_at, "
          "queue_number, price_fen, created_at) VALUES ($1, $2, $3, $3, 'text', $4, $5, 1, 2500, $6) RETURNING id",
          {slot->front().Int(0), practitioner_, patient_, start, start + 1'800'000, now_});
      if (!a) return a.error();
      return a->front().Int(0);
    });
  }
  Consultation Draft(std::optional<std::int64_t> practitioner, const std::string& kind = "text") {
    Consultation c;
    c.kind = kind;
    c.patient.id = patient_;
    c.requested_by = guardian_;
    if (practitioner) {
      c.practitioner.emplace();
      c.practitioner->id = *practitioner;
    }
    c.department_code = "internal_medicine";
    c.intake.chief_complaint = "咳嗽三天";
    c.intake.duration = "3天";
    c.intake.symptoms = {"咳嗽", "发热 38.5℃"};
    c.intake.history = "高血压";
    c.intake.allergies = "青霉素";
    c.intake.medications = "氨氯地平";
    c.intake.is_follow_up = true;
    c.child_under_6 = true;
    c.price_fen = 2500;
    c.created_at = now_;
    return c;
  }
  std::int64_t Insert(const Consultation& c) {
    return WriteR<std::int64_t>([&](store::Tx& tx) { return repo::Insert(tx, c); });
  }
  std::optional<Consultation> Find(std::int64_t id) {
    return Read<std::optional<Consultation>>([&](store::Tx& tx) { return repo::Find(tx, id); });
  }

  std::int64_t now_ = 0, patient_ = 0, guardian_ = 0, doctor_user_ = 0, other_doctor_user_ = 0;
  std::int64_t practitioner_ = 0, other_practitioner_ = 0;
};

TEST_P(ConsultationStoreTest, EveryColumnReadsBackThroughItsChanges) {
  const std::int64_t upload = Scalar("SELECT MIN(id) FROM uploads");
  const std::int64_t appt = Appointment(0), referral_appt = Appointment(1);
  Consultation c = Draft(practitioner_);
  c.appointment_id = appt;
  c.intake.proof_upload_ids = {upload};
  const std::int64_t id = Insert(c);
  auto got = Find(id);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->id, id);
  EXPECT_EQ(got->kind, "text");
  EXPECT_EQ(got->status, "waiting");
  EXPECT_EQ(got->patient.id, patient_);
  EXPECT_FALSE(got->patient.name.empty());
  EXPECT_FALSE(got->patient.birth_date.empty());
  EXPECT_FALSE(got->patient.sex.empty());
  EXPECT_EQ(got->requested_by, guardian_);
  ASSERT_TRUE(got->practitioner);
  EXPECT_EQ(got->practitioner->id, practitioner_);
  EXPECT_EQ(got->practitioner->user_id, doctor_user_);
  EXPECT_FALSE(got->practitioner->name.empty());
  EXPECT_EQ(got->practitioner->title, "attending_physician");
  EXPECT_EQ(got->practitioner->department_code, "internal_medicine");
  EXPECT_FALSE(got->practitioner->hospital_name.empty());
  EXPECT_EQ(got->department_code, "internal_medicine");
  EXPECT_EQ(got->appointment_id, appt);
  EXPECT_EQ(got->intake.chief_complaint, "咳嗽三天");
  EXPECT_EQ(got->intake.duration, "3天");
  EXPECT_EQ(got->intake.symptoms, (std::vector<std::string>{"咳嗽", "发热 38.5℃"}));
  EXPECT_EQ(got->intake.history, "高血压");
  EXPECT_EQ(got->intake.allergies, "青霉素");
  EXPECT_EQ(got->intake.medications, "氨氯地平");
  EXPECT_TRUE(got->intake.is_follow_up);
  EXPECT_EQ(got->intake.proof_upload_ids, std::vector<std::int64_t>{upload});
  EXPECT_TRUE(got->child_under_6);
  EXPECT_EQ(got->price_fen, 2500);
  EXPECT_EQ(got->follow_up, "unverified");
  EXPECT_FALSE(got->referral_reason);
  EXPECT_FALSE(got->rating);
  EXPECT_EQ(got->last_seq, 0);
  EXPECT_EQ(got->created_at, now_);
  EXPECT_FALSE(got->accepted_at);
  EXPECT_FALSE(got->closed_at);
  EXPECT_EQ(got->last_activity_at, now_);
  EXPECT_EQ(Read<std::optional<std::int64_t>>([&](store::Tx& tx) { return repo::ByAppointment(tx, appt); }), id);
  EXPECT_TRUE(Read<bool>([&](store::Tx& tx) { return repo::AttachedTo(tx, id, upload); })) << "an intake proof";
  // One consultation per appointment.
  EXPECT_FALSE(Write([&](store::Tx& tx) -> Status {
    auto r = repo::Insert(tx, c);
    if (!r) return r.error();
    return {};
  }));

  ASSERT_TRUE(WriteR<bool>([&](store::Tx& tx) { return repo::Take(tx, id, practitioner_, now_ + 1'000); }));
  ASSERT_TRUE(Write([&](store::Tx& tx) { return repo::SetPrice(tx, id, 3'100); }));
  ASSERT_TRUE(Write([&](store::Tx& tx) { return repo::SetFollowUp(tx, id, "verified", "已见门诊病历"); }));
  ASSERT_TRUE(Write([&](store::Tx& tx) {
    return repo::SetReferral(tx, id, "red_flags", "胸痛，请线下就诊", referral_appt, now_ + 2'000);
  }));
  EXPECT_TRUE(WriteR<bool>([&](store::Tx& tx) { return repo::SetRating(tx, id, 5, "耐心"); }));
  EXPECT_FALSE(WriteR<bool>([&](store::Tx& tx) { return repo::SetRating(tx, id, 1, "改评"); })) << "rated once";
  got = Find(id);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->status, "referred");
  EXPECT_EQ(got->price_fen, 3'100);
  EXPECT_EQ(got->follow_up, "verified");
  EXPECT_EQ(got->follow_up_note, "已见门诊病历");
  EXPECT_EQ(got->referral_reason, "red_flags");
  EXPECT_EQ(got->referral_note, "胸痛，请线下就诊");
  EXPECT_EQ(got->referral_appointment_id, referral_appt);
  EXPECT_EQ(got->rating, 5);
  EXPECT_EQ(got->rating_comment, "耐心");
  EXPECT_EQ(got->accepted_at, now_ + 1'000);
  EXPECT_EQ(got->closed_at, now_ + 2'000);
  EXPECT_EQ(got->last_activity_at, now_ + 2'000);
  // A stale change from a state it is no longer in is refused and changes nothing.
  EXPECT_FALSE(WriteR<bool>([&](store::Tx& tx) { return repo::SetStatus(tx, id, "active", "closed", now_ + 3'000); }));
  EXPECT_EQ(Find(id)->status, "referred");
  EXPECT_EQ(Find(id)->closed_at, now_ + 2'000);
}

TEST_P(ConsultationStoreTest, OneDoctorTakesAWaitingConsultationAndTheQueueMoves) {
  // Three free-clinic consultations in the department's shared queue.
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    Consultation c = Draft(std::nullopt, "free_clinic");
    c.created_at = now_ + i;
    ids.push_back(Insert(c));
  }
  EXPECT_EQ(Read<std::vector<std::int64_t>>([](store::Tx& tx) { return repo::SharedQueue(tx, "internal_medicine"); }),
            ids);
  auto third = *Find(ids[2]);
  EXPECT_EQ(Read<int>([&](store::Tx& tx) { return repo::QueuePosition(tx, third); }), 3);

  // Both doctors try to take the first at once, three times each: exactly one take succeeds.
  std::atomic<int> won{0};
  std::mutex mu;
  std::set<std::int64_t> winners;
  testing::RunTogether(6, [&](int i) {
    const std::int64_t p = i % 2 ? practitioner_ : other_practitioner_;
    auto r = db_->With<bool>(store::TxMode::write, [&](store::Tx& tx) { return repo::Take(tx, ids[0], p, now_ + 10); });
    ASSERT_TRUE(r) << r.error().code << " " << r.error().detail;
    if (*r) {
      ++won;
      std::lock_guard lock(mu);
      winners.insert(p);
    }
  });
  EXPECT_EQ(won.load(), 1);
  ASSERT_EQ(winners.size(), 1u);
  auto taken = Find(ids[0]);
  EXPECT_EQ(taken->status, "active");
  ASSERT_TRUE(taken->practitioner);
  EXPECT_EQ(taken->practitioner->id, *winners.begin());
  EXPECT_EQ(Read<int>([&](store::Tx& tx) { return repo::QueuePosition(tx, third); }), 2) << "the queue moved up";
  EXPECT_EQ(Read<std::vector<Consultation>>([](store::Tx& tx) {
              return repo::Waiting(tx, "internal_medicine", std::nullopt);
            }).size(),
            2u);
  // A consultation assigned to one doctor cannot be taken by another.
  const std::int64_t mine = Insert(Draft(practitioner_));
  EXPECT_FALSE(WriteR<bool>([&](store::Tx& tx) { return repo::Take(tx, mine, other_practitioner_, now_ + 20); }));
  EXPECT_TRUE(WriteR<bool>([&](store::Tx& tx) { return repo::Take(tx, mine, practitioner_, now_ + 20); }));
  // Closing it counts as handled; the sweeper sees the silent active one and the old waiting ones.
  ASSERT_TRUE(WriteR<bool>([&](store::Tx& tx) { return repo::SetStatus(tx, mine, "active", "closed", now_ + 620); }));
  // The patient's open consultation with the doctor is the one the doctor took, if any.
  EXPECT_EQ(
      Read<std::optional<std::int64_t>>([&](store::Tx& tx) { return repo::OpenWith(tx, patient_, practitioner_); }),
      *winners.begin() == practitioner_ ? std::optional<std::int64_t>(ids[0]) : std::nullopt);
  EXPECT_EQ(
      Read<std::optional<std::int64_t>>([&](store::Tx& tx) { return repo::AverageHandlingMs(tx, practitioner_); }),
      600);
  EXPECT_EQ(Read<std::vector<std::int64_t>>([&](store::Tx& tx) { return repo::Stale(tx, "waiting", now_ + 2); }),
            std::vector<std::int64_t>{ids[1]});
  EXPECT_EQ(Read<std::vector<std::int64_t>>([&](store::Tx& tx) { return repo::Stale(tx, "active", now_ + 11); }),
            std::vector<std::int64_t>{ids[0]});
}

TEST_P(ConsultationStoreTest, ConcurrentSendersGetGapFreeNumbersAndRetriesAreIdempotent) {
  const std::int64_t id = Insert(Draft(practitioner_));
  ASSERT_TRUE(WriteR<bool>([&](store::Tx& tx) { return repo::Take(tx, id, practitioner_, now_); }));
  // Eight senders at once, five messages each: numbers 1..40, none twice, none skipped.
  std::mutex mu;
  std::set<std::int64_t> seqs;
  testing::RunTogether(8, [&](int t) {
    for (int i = 0; i < 5; ++i) {
      const bool doctor = t % 2;
      auto seq = db_->With<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::int64_t> {
        auto s = repo::NextSeq(tx, id, now_ + 100);
        if (!s) return s.error();
        Message m{id,
                  *s,
                  doctor ? doctor_user_ : patient_,
                  doctor ? "doctor" : "patient",
                  "c" + std::to_string(t) + "-" + std::to_string(i),
                  "text",
                  "你好",
                  std::nullopt,
                  std::nullopt,
                  now_ + 100,
                  std::nullopt};
        if (auto st = repo::InsertMessage(tx, m); !st) return st.error();
        return *s;
      });
      ASSERT_TRUE(seq) << seq.error().code << " " << seq.error().detail;
      std::lock_guard lock(mu);
      seqs.insert(*seq);
    }
  });
  ASSERT_EQ(seqs.size(), 40u);
  EXPECT_EQ(*seqs.begin(), 1);
  EXPECT_EQ(*seqs.rbegin(), 40);
  EXPECT_EQ(Find(id)->last_seq, 40);
  EXPECT_EQ(Read<std::vector<Message>>([&](store::Tx& tx) { return repo::MessagesAfter(tx, id, 35, 100); }).size(), 5u);

  // A voice message with every column, then the same client id again: refused by the store, so a
  // retried send finds the first by its client id.
  const std::int64_t upload = Scalar("SELECT MIN(id) FROM uploads");
  const std::int64_t seq = WriteR<std::int64_t>([&](store::Tx& tx) { return repo::NextSeq(tx, id, now_ + 200); });
  Message voice{id, seq, patient_, "patient", "voice-1", "voice", "", upload, 4'200, now_ + 200, std::nullopt};
  ASSERT_TRUE(Write([&](store::Tx& tx) { return repo::InsertMessage(tx, voice); }));
  auto retry = Write([&](store::Tx& tx) -> Status {
    auto s = repo::NextSeq(tx, id, now_ + 300);
    if (!s) return s.error();
    Message again = voice;
    again.seq = *s;
    return repo::InsertMessage(tx, again);
  });
  EXPECT_FALSE(retry);
  EXPECT_EQ(Find(id)->last_seq, seq) << "the refused retry took no number";
  auto found =
      Read<std::optional<Message>>([&](store::Tx& tx) { return repo::FindByClientId(tx, id, "patient", "voice-1"); });
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->consultation_id, id);
  EXPECT_EQ(found->seq, seq);
  EXPECT_EQ(found->sender_id, patient_);
  EXPECT_EQ(found->sender_role, "patient");
  EXPECT_EQ(found->client_msg_id, "voice-1");
  EXPECT_EQ(found->kind, "voice");
  EXPECT_EQ(found->body, "");
  EXPECT_EQ(found->upload_id, upload);
  EXPECT_EQ(found->duration_ms, 4'200);
  EXPECT_EQ(found->created_at, now_ + 200);
  EXPECT_FALSE(found->recalled_at);
  // The doctor's side may use the same client id: ids are per side.
  EXPECT_FALSE(
      Read<std::optional<Message>>([&](store::Tx& tx) { return repo::FindByClientId(tx, id, "doctor", "voice-1"); }));
  EXPECT_TRUE(Read<bool>([&](store::Tx& tx) { return repo::AttachedTo(tx, id, upload); }));
  // Recalled once; a recalled attachment is no longer the consultation's to show.
  EXPECT_TRUE(WriteR<bool>([&](store::Tx& tx) { return repo::MarkRecalled(tx, id, seq, now_ + 250); }));
  EXPECT_FALSE(WriteR<bool>([&](store::Tx& tx) { return repo::MarkRecalled(tx, id, seq, now_ + 260); }));
  EXPECT_EQ(Read<std::optional<Message>>([&](store::Tx& tx) { return repo::FindMessage(tx, id, seq); })->recalled_at,
            now_ + 250);
}

TEST_P(ConsultationStoreTest, ReadReceiptsOnlyMoveForwardAndRecordsAreVersioned) {
  const std::int64_t id = Insert(Draft(practitioner_));
  ASSERT_TRUE(WriteR<bool>([&](store::Tx& tx) { return repo::Take(tx, id, practitioner_, now_); }));
  for (int i = 0; i < 4; ++i)
    ASSERT_TRUE(Write([&](store::Tx& tx) -> Status {
      auto s = repo::NextSeq(tx, id, now_ + i);
      if (!s) return s.error();
      const bool doctor = i < 3;
      return repo::InsertMessage(
          tx, Message{id, *s, doctor ? doctor_user_ : patient_, doctor ? "doctor" : "patient", "m" + std::to_string(i),
                      "text", "x", std::nullopt, std::nullopt, now_ + i, std::nullopt});
    }));
  ASSERT_TRUE(Write([&](store::Tx& tx) { return repo::UpsertRead(tx, id, patient_, 3, now_ + 10); }));
  ASSERT_TRUE(Write([&](store::Tx& tx) { return repo::UpsertRead(tx, id, patient_, 1, now_ + 11); }));
  EXPECT_EQ(Read<std::int64_t>([&](store::Tx& tx) { return repo::LastRead(tx, id, patient_); }), 3)
      << "a late, older receipt does not move it back";
  EXPECT_EQ(Read<std::int64_t>([&](store::Tx& tx) { return repo::LastReadOfOthers(tx, id, doctor_user_); }), 3);
  EXPECT_EQ(Read<std::int64_t>([&](store::Tx& tx) { return repo::LastRead(tx, id, guardian_); }), 0);
  EXPECT_EQ(Read<std::int64_t>([&](store::Tx& tx) { return repo::CountFromOtherSide(tx, id, "patient", 1); }), 2);
  EXPECT_EQ(Read<std::int64_t>([&](store::Tx& tx) { return repo::CountFromOtherSide(tx, id, "doctor", 0); }), 1);

  EXPECT_FALSE(Read<std::optional<Record>>([&](store::Tx& tx) { return repo::LatestRecord(tx, id); }));
  ASSERT_TRUE(Write([&](store::Tx& tx) {
    return repo::InsertRecord(
        tx, id, Record{1, "咳嗽", "三天", "J06.900", "急性上呼吸道感染", "多饮水", doctor_user_, now_ + 20});
  }));
  ASSERT_TRUE(Write([&](store::Tx& tx) {
    return repo::InsertRecord(
        tx, id, Record{2, "咳嗽", "三天，夜间加重", "J20.900", "急性支气管炎", "复查", doctor_user_, now_ + 30});
  }));
  auto r = Read<std::optional<Record>>([&](store::Tx& tx) { return repo::LatestRecord(tx, id); });
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->version, 2);
  EXPECT_EQ(r->chief_complaint, "咳嗽");
  EXPECT_EQ(r->present_illness, "三天，夜间加重");
  EXPECT_EQ(r->diagnosis_code, "J20.900");
  EXPECT_EQ(r->diagnosis_name, "急性支气管炎");
  EXPECT_EQ(r->advice, "复查");
  EXPECT_EQ(r->author_id, doctor_user_);
  EXPECT_EQ(r->created_at, now_ + 30);
  // A version is written once; a failing transaction (record, message, status) leaves nothing.
  EXPECT_FALSE(Write([&](store::Tx& tx) {
    return repo::InsertRecord(tx, id, Record{2, "x", "x", "x", "x", "x", doctor_user_, now_ + 40});
  }));
  auto st = Write([&](store::Tx& tx) -> Status {
    if (auto s = repo::InsertRecord(tx, id, Record{3, "y", "y", "y", "y", "y", doctor_user_, now_ + 50}); !s) return s;
    auto s = repo::NextSeq(tx, id, now_ + 50);
    if (!s) return s.error();
    if (auto m = repo::InsertMessage(tx, Message{id, *s, std::nullopt, "system", "sys-1", "system", "closed",
                                                 std::nullopt, std::nullopt, now_ + 50, std::nullopt});
        !m)
      return m;
    auto moved = repo::SetStatus(tx, id, "active", "closed", now_ + 50);
    if (!moved) return moved.error();
    return MakeError(Errc::conflict, "record_changed");
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(Read<std::optional<Record>>([&](store::Tx& tx) { return repo::LatestRecord(tx, id); })->version, 2);
  auto after = Find(id);
  EXPECT_EQ(after->status, "active");
  EXPECT_EQ(after->last_seq, 4);
  EXPECT_EQ(Read<std::string>([&](store::Tx& tx) { return repo::LastSystemBody(tx, id); }), "");
}

INSTANTIATE_TEST_SUITE_P(Backends, ConsultationStoreTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace ihos::domain::consultation
