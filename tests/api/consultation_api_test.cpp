// Online consultation through the real HTTP server, on SQLite and PostgreSQL: the questionnaire,
// the queue, the chat with its gap-free sequence, recall, the record, follow-up, referral,
// closing, rating, free clinic, guardians and access.
#include <algorithm>
#include <set>
#include <thread>

#include "domain/scheduling/rules.hpp"
#include "harness.hpp"
#include "support/practitioner_fixture.hpp"

namespace ihos::apitest {
namespace api_consultation_api_test {
namespace json = boost::json;
using boost::beast::http::verb;

struct Doctor {
  TestServer::Account account;
  std::int64_t practitioner_id = 0;
};

class ConsultationApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    // Two catalogue rows (WHO ICD-10 categories) so the record can name a diagnosis; the full
    // catalogue is loaded by `ihos icd10 import`.
    auto st = s().app().db().Transact(store::TxMode::write, [](store::Tx& tx) -> Status {
      for (auto [code, name] : {std::pair{"E11.900", "2型糖尿病"}, std::pair{"J06.900", "急性上呼吸道感染"}}) {
        auto n = tx.Exec(
            "INSERT INTO icd10_codes (code, name_zh, level, category, search_text) VALUES ($1, $2, "
            "'extension', $3, $4)",
            {code, name, std::string(code).substr(0, 3), std::string(code) + " " + name});
        if (!n) return n.error();
      }
      return {};
    });
    ASSERT_TRUE(st);
  }
  Doctor NewDoctor(testing::PractitionerSpec spec = {}, const std::string& name = "测试医生") {
    Doctor d{s().NewPatient(name), 0};
    d.practitioner_id = testing::InsertPractitioner(s().app().db(), d.account.id, spec).practitioner_id;
    return d;
  }
  static json::object Intake(bool follow_up = false, json::array proofs = {}) {
    json::object i{{"chief_complaint", "血糖控制不佳两周"},
                   {"duration", "2周"},
                   {"symptoms", json::array{"口渴", "多尿"}},
                   {"history", "2型糖尿病5年"},
                   {"allergies", "青霉素"},
                   {"medications", "二甲双胍 0.5g bid"},
                   {"is_follow_up", follow_up}};
    if (!proofs.empty()) i["proof_upload_ids"] = proofs;
    return i;
  }
  Resp Start(const std::string& token, json::object body) { return s().Post("/api/v1/consultations", body, token); }
  std::int64_t StartWith(const Doctor& d, const std::string& token, bool follow_up = false, json::array proofs = {}) {
    auto r =
        Start(token, {{"kind", "text"}, {"practitioner_id", d.practitioner_id}, {"intake", Intake(follow_up, proofs)}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json().at("id").as_int64() : 0;
  }
  std::string Path(std::int64_t id, const std::string& rest = "") {
    return "/api/v1/consultations/" + std::to_string(id) + rest;
  }
  Resp Send(std::int64_t id, const std::string& token, const std::string& client_id, const std::string& text) {
    return s().Post(Path(id, "/messages"), {{"client_msg_id", client_id}, {"kind", "text"}, {"text", text}}, token);
  }
  json::array Messages(std::int64_t id, const std::string& token, std::int64_t after = 0) {
    auto r = s().Get(Path(id, "/messages?after_seq=" + std::to_string(after)), token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json().at("items").as_array() : json::array{};
  }
  std::int64_t Upload(const std::string& token, const std::string& bytes, const std::string& type) {
    auto r = s().Call(verb::post, "/api/v1/files", bytes, token, {{"Content-Type", type}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json().at("id").as_int64() : 0;
  }
  Resp Record(std::int64_t id, const std::string& token, const std::string& code) {
    return s().Call(verb::put, Path(id, "/record"),
                    json::serialize(json::object{{"chief_complaint", "血糖控制不佳"},
                                                 {"present_illness", "空腹血糖 9 mmol/L，无低血糖"},
                                                 {"diagnosis_code", code},
                                                 {"advice", "继续二甲双胍，控制饮食，两周后复查"}}),
                    token);
  }
  std::int64_t DbInt(const std::string& sql, store::Params params = {}) {
    auto v = s().app().db().With<std::int64_t>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::int64_t> {
      auto rows = tx.Query(sql, params);
      if (!rows) return rows.error();
      return rows->front().Int(0);
    });
    EXPECT_TRUE(v);
    return v ? *v : -1;
  }
};

const std::string kPng = [] {
  std::string b("\x89PNG\r\n\x1a\n", 8);
  b.resize(256, 'x');
  return b;
}();
const std::string kWebm = [] {
  std::string b("\x1a\x45\xdf\xa3", 4);
  b.resize(512, '\x01');
  return b;
}();

TEST_P(ConsultationApiTest, WholeConsultationFromQuestionnaireToRating) {
  auto doctor = NewDoctor({}, "李医生");
  auto patient = s().NewPatient("张三");
  auto second = s().NewPatient("李四");

  auto start =
      Start(patient.token, {{"kind", "text"}, {"practitioner_id", doctor.practitioner_id}, {"intake", Intake()}});
  ASSERT_EQ(start.status, 201) << start.body;
  const auto& c = start.json().as_object();
  const auto id = c.at("id").as_int64();
  EXPECT_EQ(c.at("status"), "waiting");
  EXPECT_EQ(c.at("price_fen").as_int64(), 2500);  // the hospital's general outpatient price
  EXPECT_EQ(c.at("queue").at("position").as_int64(), 1);
  EXPECT_EQ(c.at("intake").at("allergies"), "青霉素");
  EXPECT_EQ(c.at("practitioner").at("name"), "李医生");

  // A second patient queues behind the first, with an estimated wait.
  const auto id2 = StartWith(doctor, second.token);
  auto q2 = s().Get(Path(id2), second.token);
  EXPECT_EQ(q2.json().at("queue").at("position").as_int64(), 2);
  EXPECT_GT(q2.json().at("queue").at("estimated_wait_s").as_int64(), 0);
  // One open consultation per patient and doctor.
  auto again =
      Start(patient.token, {{"kind", "text"}, {"practitioner_id", doctor.practitioner_id}, {"intake", Intake()}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.json().at("code"), "consultation_open");

  // The workstation shows who waits, first come first.
  auto ws = s().Get("/api/v1/workstation", doctor.account.token);
  ASSERT_EQ(ws.status, 200) << ws.body;
  ASSERT_EQ(ws.json().at("waiting").as_array().size(), 2u);
  EXPECT_EQ(ws.json().at("waiting").at(0).at("id").as_int64(), id);
  EXPECT_EQ(ws.json().at("waiting").at(0).at("chief_complaint"), "血糖控制不佳两周");

  // The patient may add to the questionnaire while waiting; the doctor answers only after accepting.
  EXPECT_EQ(Send(id, patient.token, "p-1", "今天空腹血糖 9.1").status, 201);
  auto early = Send(id, doctor.account.token, "d-0", "您好");
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(early.json().at("code"), "consultation_not_active");

  auto accept = s().Post(Path(id, "/accept"), json::object{}, doctor.account.token);
  ASSERT_EQ(accept.status, 200) << accept.body;
  EXPECT_EQ(accept.json().at("status"), "active");
  EXPECT_EQ(s().Get(Path(id2), second.token).json().at("queue").at("position").as_int64(), 1);

  auto d1 = Send(id, doctor.account.token, "d-1", "您好，最近饮食如何？");
  ASSERT_EQ(d1.status, 201) << d1.body;
  // A retried send is stored once and answered with the stored message.
  auto p2 = Send(id, patient.token, "p-2", "饮食控制一般");
  auto p2again = Send(id, patient.token, "p-2", "饮食控制一般");
  ASSERT_EQ(p2.status, 201);
  EXPECT_EQ(p2again.status, 200);
  EXPECT_EQ(p2again.json().at("seq"), p2.json().at("seq"));

  // Sequence numbers are gap-free: waiting, the patient's note, accepted, the doctor, the patient.
  auto all = Messages(id, patient.token);
  ASSERT_EQ(all.size(), 5u);
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].at("seq").as_int64(), static_cast<std::int64_t>(i + 1));
  EXPECT_EQ(all[0].at("text"), "waiting");
  EXPECT_EQ(all[2].at("text"), "accepted");
  // A client that has seen up to 3 gets exactly the two it missed.
  auto missing = Messages(id, doctor.account.token, 3);
  ASSERT_EQ(missing.size(), 2u);
  EXPECT_EQ(missing[0].at("client_msg_id"), "d-1");
  EXPECT_EQ(missing[1].at("client_msg_id"), "p-2");

  // Unread counts and read receipts: the patient's reply p-2 read d-1; the doctor has not read p-2.
  EXPECT_EQ(s().Get(Path(id), patient.token).json().at("unread").as_int64(), 0);
  EXPECT_EQ(s().Get(Path(id), doctor.account.token).json().at("unread").as_int64(), 1);  // p-2
  EXPECT_EQ(s().Post(Path(id, "/read"), {{"seq", 5}}, doctor.account.token).status, 204);
  EXPECT_EQ(s().Get(Path(id), doctor.account.token).json().at("unread").as_int64(), 0);
  EXPECT_EQ(s().Post(Path(id, "/read"), {{"seq", 99}}, patient.token).status, 400);

  // Closing needs a record; the record needs a diagnosis from the catalogue.
  auto early_close = s().Post(Path(id, "/close"), json::object{}, doctor.account.token);
  EXPECT_EQ(early_close.status, 409);
  EXPECT_EQ(early_close.json().at("code"), "record_required");
  auto bad_code = Record(id, doctor.account.token, "X99.999");
  EXPECT_EQ(bad_code.status, 400);
  EXPECT_EQ(bad_code.json().at("errors").at(0).at("code"), "unknown_code");
  auto rec = Record(id, doctor.account.token, "E11.900");
  ASSERT_EQ(rec.status, 200) << rec.body;
  EXPECT_EQ(rec.json().at("record").at("diagnosis_name"), "2型糖尿病");
  EXPECT_EQ(rec.json().at("record").at("version").as_int64(), 1);
  EXPECT_EQ(Record(id, doctor.account.token, "E11.900").json().at("record").at("version").as_int64(), 2);

  // No proof of an offline diagnosis: advice only, and no prescription.
  auto verify = s().Post(Path(id, "/follow-up"), {{"decision", "verified"}}, doctor.account.token);
  EXPECT_EQ(verify.status, 409);
  EXPECT_EQ(verify.json().at("code"), "follow_up_proof_missing");
  auto advice = s().Post(Path(id, "/follow-up"), {{"decision", "advice_only"}}, doctor.account.token);
  EXPECT_EQ(advice.json().at("follow_up"), "advice_only");
  auto elig = s().Get(Path(id, "/prescription-eligibility"), doctor.account.token);
  EXPECT_EQ(elig.json().at("prescription_allowed"), false);
  EXPECT_EQ(elig.json().at("reason"), "follow_up_not_verified");

  // Rating only after the end.
  EXPECT_EQ(s().Post(Path(id, "/rating"), {{"stars", 5}}, patient.token).json().at("code"),
            "consultation_not_finished");
  auto closed = s().Post(Path(id, "/close"), json::object{}, doctor.account.token);
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.json().at("status"), "closed");
  auto late = Send(id, patient.token, "p-3", "还有个问题");
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(late.json().at("code"), "consultation_closed");
  auto rate = s().Post(Path(id, "/rating"), {{"stars", 5}, {"comment", "耐心细致"}}, patient.token);
  ASSERT_EQ(rate.status, 200) << rate.body;
  EXPECT_EQ(rate.json().at("rating").at("stars").as_int64(), 5);
  EXPECT_EQ(s().Post(Path(id, "/rating"), {{"stars", 1}}, patient.token).json().at("code"), "already_rated");
  EXPECT_EQ(DbInt("SELECT rating_count FROM practitioners WHERE id = $1", {doctor.practitioner_id}), 1);

  // Both sides list it.
  auto mine = s().Get("/api/v1/consultations", patient.token);
  ASSERT_EQ(mine.json().at("items").as_array().size(), 1u);
  auto theirs = s().Get("/api/v1/consultations?role=doctor", doctor.account.token);
  EXPECT_EQ(theirs.json().at("items").as_array().size(), 2u);
}

// Issue 13: a message the other side has answered no longer shows 未读 — a reply is a read receipt
// up to itself, and each side sees how far the other has read (peer_read_seq), even after a reload.
TEST_P(ConsultationApiTest, AReplyMarksWhatCameBeforeItRead) {
  auto doctor = NewDoctor();
  auto patient = s().NewPatient();
  const auto id = StartWith(doctor, patient.token);
  auto p1 = Send(id, patient.token, "p-1", "空腹血糖 9.1");  // seq 2, after "waiting"
  ASSERT_EQ(p1.status, 201) << p1.body;
  const auto p1_seq = p1.json().at("seq").as_int64();
  EXPECT_EQ(s().Get(Path(id), patient.token).json().at("peer_read_seq").as_int64(), 0);
  ASSERT_EQ(s().Post(Path(id, "/accept"), json::object{}, doctor.account.token).status, 200);
  auto d1 = Send(id, doctor.account.token, "d-1", "您好");
  ASSERT_EQ(d1.status, 201) << d1.body;
  const auto d1_seq = d1.json().at("seq").as_int64();
  // The doctor answered without a separate receipt: p-1 is read on the patient's side.
  auto pv = s().Get(Path(id), patient.token).json();
  EXPECT_EQ(pv.at("peer_read_seq").as_int64(), d1_seq);
  EXPECT_GT(pv.at("peer_read_seq").as_int64(), p1_seq);
  EXPECT_EQ(pv.at("unread").as_int64(), 1);  // d-1
  EXPECT_EQ(s().Get(Path(id), doctor.account.token).json().at("unread").as_int64(), 0);
  // And the other way round: the patient's reply reads d-1.
  auto p2 = Send(id, patient.token, "p-2", "好的");
  ASSERT_EQ(p2.status, 201) << p2.body;
  auto dv = s().Get(Path(id), doctor.account.token).json();
  EXPECT_EQ(dv.at("peer_read_seq").as_int64(), p2.json().at("seq").as_int64());
  EXPECT_EQ(dv.at("unread").as_int64(), 1);  // p-2
  EXPECT_EQ(s().Get(Path(id), patient.token).json().at("unread").as_int64(), 0);
  // An explicit receipt still moves the mark; an older one never moves it back.
  EXPECT_EQ(s().Post(Path(id, "/read"), {{"seq", p2.json().at("seq").as_int64()}}, doctor.account.token).status, 204);
  EXPECT_EQ(s().Get(Path(id), patient.token).json().at("peer_read_seq").as_int64(), p2.json().at("seq").as_int64());
  EXPECT_EQ(s().Post(Path(id, "/read"), {{"seq", 1}}, doctor.account.token).status, 204);
  EXPECT_EQ(s().Get(Path(id), patient.token).json().at("peer_read_seq").as_int64(), p2.json().at("seq").as_int64());
}

TEST_P(ConsultationApiTest, OnlyThePartiesReadAndStaffNeedAReason) {
  auto doctor = NewDoctor();
  auto other_doctor = NewDoctor({}, "别的医生");
  auto patient = s().NewPatient();
  auto stranger = s().NewPatient("路人");
  auto admin = s().NewAdmin();
  const auto id = StartWith(doctor, patient.token);
  ASSERT_GT(id, 0);
  for (const auto* token : {&stranger.token, &other_doctor.account.token}) {
    EXPECT_EQ(s().Get(Path(id), *token).status, 404);
    EXPECT_EQ(s().Get(Path(id, "/messages"), *token).status, 404);
    EXPECT_EQ(Send(id, *token, "x-1", "hi").status, 404);
  }
  EXPECT_EQ(s().Post(Path(id, "/accept"), json::object{}, other_doctor.account.token).status, 404);
  // Staff read with a reason, audited in the patient's access log.
  EXPECT_EQ(s().Get("/api/v1/admin/consultations/" + std::to_string(id), admin.token).status, 400);
  const auto before = DbInt("SELECT COUNT(*) FROM audit_log WHERE action = 'consultation.staff_read'");
  auto staff = s().Get("/api/v1/admin/consultations/" + std::to_string(id) + "?reason=complaint%20review", admin.token);
  ASSERT_EQ(staff.status, 200) << staff.body;
  EXPECT_EQ(staff.json().at("messages").as_array().size(), 1u);
  EXPECT_EQ(DbInt("SELECT COUNT(*) FROM audit_log WHERE action = 'consultation.staff_read'"), before + 1);
  // The patient sees the doctor's read in their access log.
  auto log = s().Get("/api/v1/me/access-log", patient.token);
  ASSERT_EQ(log.status, 200) << log.body;
  EXPECT_NE(log.body.find("consultation.staff_read"), std::string::npos);

  // Counselling is never open to staff.
  auto counsellor = NewDoctor({.department_code = "psychology", .title = "counsellor"}, "心理咨询师");
  auto wrong_kind =
      Start(patient.token, {{"kind", "text"}, {"practitioner_id", counsellor.practitioner_id}, {"intake", Intake()}});
  EXPECT_EQ(wrong_kind.json().at("code"), "kind_mismatch");
  auto c = Start(patient.token,
                 {{"kind", "counselling"}, {"practitioner_id", counsellor.practitioner_id}, {"intake", Intake()}});
  ASSERT_EQ(c.status, 201) << c.body;
  EXPECT_EQ(s().Get("/api/v1/admin/consultations/" + std::to_string(c.json().at("id").as_int64()) + "?reason=audit",
                    admin.token)
                .status,
            404);
}

TEST_P(ConsultationApiTest, ConcurrentSendsAndRetriesKeepOneGapFreeSequence) {
  auto doctor = NewDoctor();
  auto patient = s().NewPatient();
  const auto id = StartWith(doctor, patient.token);
  ASSERT_EQ(s().Post(Path(id, "/accept"), json::object{}, doctor.account.token).status, 200);
  // Each of 6 threads sends 15 messages, and sends each one twice (a client retrying after a
  // lost answer): every message is stored once, and the sequence has no gap.
  constexpr int kThreads = 6, kEach = 15;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string& token = t % 2 ? doctor.account.token : patient.token;
      for (int i = 0; i < kEach; ++i) {
        const std::string cid = "t" + std::to_string(t) + "-" + std::to_string(i);
        for (int attempt = 0; attempt < 2; ++attempt) {
          auto r = Send(id, token, cid, "消息 " + cid);
          if (r.status != 201 && r.status != 200) ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto all = Messages(id, patient.token);
  // waiting + accepted + the messages, each once
  ASSERT_EQ(all.size(), static_cast<std::size_t>(2 + kThreads * kEach));
  std::set<std::string> ids;
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].at("seq").as_int64(), static_cast<std::int64_t>(i + 1));
    ids.insert(std::string(all[i].at("client_msg_id").as_string()));
  }
  EXPECT_EQ(ids.size(), all.size());
  EXPECT_EQ(s().Get(Path(id), patient.token).json().at("last_seq").as_int64(), static_cast<std::int64_t>(all.size()));
}

TEST_P(ConsultationApiTest, RecallWithinTwoMinutesHidesTheContentFromBothSides) {
  auto doctor = NewDoctor();
  auto patient = s().NewPatient();
  const auto id = StartWith(doctor, patient.token);
  ASSERT_EQ(s().Post(Path(id, "/accept"), json::object{}, doctor.account.token).status, 200);
  auto m = Send(id, patient.token, "oops", "发错了，这是别人的病历");
  const auto seq = m.json().at("seq").as_int64();
  auto old = Send(id, patient.token, "old", "这条会超过两分钟");
  // The doctor cannot recall the patient's message.
  EXPECT_EQ(
      s().Post(Path(id, "/messages/" + std::to_string(seq) + "/recall"), json::object{}, doctor.account.token).status,
      404);
  auto r = s().Post(Path(id, "/messages/" + std::to_string(seq) + "/recall"), json::object{}, patient.token);
  ASSERT_EQ(r.status, 200) << r.body;
  auto seen = Messages(id, doctor.account.token, seq - 1);
  EXPECT_EQ(seen[0].at("recalled"), true);
  EXPECT_EQ(seen[0].at("text"), "");
  // Kept for the record.
  EXPECT_EQ(DbInt("SELECT COUNT(*) FROM consultation_messages WHERE consultation_id = $1 AND body = $2",
                  {id, std::string("发错了，这是别人的病历")}),
            1);
  s().clock().Advance(3 * 60 * 1000);
  auto too_late = s().Post(Path(id, "/messages/" + std::to_string(old.json().at("seq").as_int64()) + "/recall"),
                           json::object{}, patient.token);
  EXPECT_EQ(too_late.status, 409);
  EXPECT_EQ(too_late.json().at("code"), "recall_window_passed");
}

TEST_P(ConsultationApiTest, ImagesAndVoiceClipsReachOnlyTheParties) {
  auto doctor = NewDoctor();
  auto patient = s().NewPatient();
  auto stranger = s().NewPatient("路人");
  const auto id = StartWith(doctor, patient.token);
  ASSERT_EQ(s().Post(Path(id, "/accept"), json::object{}, doctor.account.token).status, 200);
  const auto png = Upload(patient.token, kPng, "image/png");
  const auto clip = Upload(patient.token, kWebm, "audio/webm;codecs=opus");
  auto img = s().Post(Path(id, "/messages"), {{"client_msg_id", "img-1"}, {"kind", "image"}, {"upload_id", png}},
                      patient.token);
  ASSERT_EQ(img.status, 201) << img.body;
  auto voice = s().Post(Path(id, "/messages"),
                        {{"client_msg_id", "v-1"}, {"kind", "voice"}, {"upload_id", clip}, {"duration_ms", 4200}},
                        patient.token);
  ASSERT_EQ(voice.status, 201) << voice.body;
  EXPECT_EQ(voice.json().at("duration_ms").as_int64(), 4200);
  // An image sent as voice, a clip over 60 s, someone else's upload.
  auto wrong =
      s().Post(Path(id, "/messages"),
               {{"client_msg_id", "v-2"}, {"kind", "voice"}, {"upload_id", png}, {"duration_ms", 1000}}, patient.token);
  EXPECT_EQ(wrong.json().at("code"), "upload_not_usable");
  auto long_clip = s().Post(Path(id, "/messages"),
                            {{"client_msg_id", "v-3"}, {"kind", "voice"}, {"upload_id", clip}, {"duration_ms", 61000}},
                            patient.token);
  EXPECT_EQ(long_clip.status, 400);
  auto theirs = s().Post(Path(id, "/messages"), {{"client_msg_id", "img-2"}, {"kind", "image"}, {"upload_id", png}},
                         doctor.account.token);
  EXPECT_EQ(theirs.json().at("code"), "upload_not_usable");
  // The doctor reads the image through the consultation; a stranger cannot.
  auto file = s().Get(Path(id, "/files/" + std::to_string(png)), doctor.account.token);
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.header("content-type"), "image/png");
  EXPECT_EQ(file.body, kPng);
  EXPECT_EQ(s().Get(Path(id, "/files/" + std::to_string(png)), stranger.token).status, 404);
  auto audio = s().Get(Path(id, "/files/" + std::to_string(clip)), doctor.account.token);
  EXPECT_EQ(audio.header("content-type"), "audio/webm");
}

TEST_P(ConsultationApiTest, FreeClinicQueueIsTakenByTheFirstVolunteer) {
  auto a = NewDoctor({.department_code = "endocrinology", .free_clinic = true}, "义诊甲");
  auto b = NewDoctor({.department_code = "endocrinology", .free_clinic = true}, "义诊乙");
  auto not_volunteer = NewDoctor({.department_code = "endocrinology"}, "普通医生");
  auto patient = s().NewPatient();
  auto none = Start(patient.token, {{"kind", "free_clinic"}, {"department_code", "dermatology"}, {"intake", Intake()}});
  EXPECT_EQ(none.json().at("code"), "no_free_clinic_doctor");
  auto r = Start(patient.token, {{"kind", "free_clinic"}, {"department_code", "endocrinology"}, {"intake", Intake()}});
  ASSERT_EQ(r.status, 201) << r.body;
  const auto id = r.json().at("id").as_int64();
  EXPECT_EQ(r.json().at("price_fen").as_int64(), 0);
  EXPECT_TRUE(r.json().at("practitioner").is_null());
  // Both volunteers see it in their workstation; the other doctor does not.
  for (const auto* d : {&a, &b}) {
    auto w = s().Get("/api/v1/workstation", d->account.token);
    ASSERT_EQ(w.json().at("waiting").as_array().size(), 1u);
    EXPECT_EQ(w.json().at("waiting").at(0).at("shared_queue"), true);
    EXPECT_EQ(w.json().at("waiting").at(0).at("price_fen").as_int64(), 0);
  }
  EXPECT_EQ(s().Get("/api/v1/workstation", not_volunteer.account.token).json().at("waiting").as_array().size(), 0u);
  EXPECT_EQ(s().Post(Path(id, "/accept"), json::object{}, not_volunteer.account.token).status, 404);
  auto first = s().Post(Path(id, "/accept"), json::object{}, b.account.token);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json().at("practitioner").at("name"), "义诊乙");
  auto second = s().Post(Path(id, "/accept"), json::object{}, a.account.token);
  EXPECT_EQ(second.status, 404);  // no longer in the shared queue: it is b's now
  EXPECT_EQ(s().Get(Path(id), a.account.token).status, 404);
}

TEST_P(ConsultationApiTest, AskNowInADepartmentIsTakenByItsFirstDoctorAtTheirPrice) {
  auto derm = NewDoctor({.department_code = "dermatology", .general_price_fen = 3000}, "皮肤科医生");
  auto other = NewDoctor({.department_code = "cardiology"}, "心内科医生");
  auto patient = s().NewPatient();
  auto none = Start(patient.token, {{"kind", "text"}, {"department_code", "ophthalmology"}, {"intake", Intake()}});
  EXPECT_EQ(none.json().at("code"), "no_doctor_available");
  auto r = Start(patient.token, {{"kind", "text"}, {"department_code", "dermatology"}, {"intake", Intake()}});
  ASSERT_EQ(r.status, 201) << r.body;
  const auto id = r.json().at("id").as_int64();
  EXPECT_TRUE(r.json().at("practitioner").is_null());
  EXPECT_EQ(r.json().at("queue").at("position").as_int64(), 1);
  auto queue = s().Get("/api/v1/workstation", derm.account.token).json().at("waiting");
  ASSERT_EQ(queue.as_array().size(), 1u);
  // The card shows what taking it would cost: the dermatologist's hospital's price.
  EXPECT_EQ(queue.at(0).at("price_fen").as_int64(), 3000);
  EXPECT_EQ(s().Get("/api/v1/workstation", other.account.token).json().at("waiting").as_array().size(), 0u);
  EXPECT_EQ(s().Post(Path(id, "/accept"), json::object{}, other.account.token).status, 404);
  auto taken = s().Post(Path(id, "/accept"), json::object{}, derm.account.token);
  ASSERT_EQ(taken.status, 200) << taken.body;
  EXPECT_EQ(taken.json().at("practitioner").at("name"), "皮肤科医生");
  EXPECT_EQ(taken.json().at("price_fen").as_int64(), 3000);
}

TEST_P(ConsultationApiTest, GuardianConsultsForAChildAndAVerifiedFollowUpAllowsAPrescription) {
  auto doctor = NewDoctor({.department_code = "pediatrics"});
  auto parent = s().NewPatient("王家长");
  const auto today = CivilDateCst(s().clock().NowMs());
  const std::string born = std::to_string(std::stoi(today.substr(0, 4)) - 3) + today.substr(5, 2) + "01";
  auto add =
      s().Post("/api/v1/me/dependents",
               {{"real_name", "王小宝"}, {"id_number", MakeIdNumber(born)}, {"relationship", "parent"}}, parent.token);
  ASSERT_EQ(add.status, 201) << add.body;
  const auto child = add.json().at("id").as_int64();
  const auto proof = Upload(parent.token, kPng, "image/png");
  // Proof only goes with a follow-up.
  auto not_follow_up = Start(parent.token, {{"kind", "text"},
                                            {"patient_id", child},
                                            {"practitioner_id", doctor.practitioner_id},
                                            {"intake", Intake(false, json::array{proof})}});
  EXPECT_EQ(not_follow_up.status, 400);
  auto r = Start(parent.token, {{"kind", "text"},
                                {"patient_id", child},
                                {"practitioner_id", doctor.practitioner_id},
                                {"intake", Intake(true, json::array{proof})}});
  ASSERT_EQ(r.status, 201) << r.body;
  const auto id = r.json().at("id").as_int64();
  EXPECT_EQ(r.json().at("child_under_6"), true);
  EXPECT_EQ(r.json().at("patient").at("name"), "王小宝");
  // Someone else's ward: 404.
  auto stranger = s().NewPatient("路人");
  EXPECT_EQ(
      Start(
          stranger.token,
          {{"kind", "text"}, {"patient_id", child}, {"practitioner_id", doctor.practitioner_id}, {"intake", Intake()}})
          .status,
      404);
  ASSERT_EQ(s().Post(Path(id, "/accept"), json::object{}, doctor.account.token).status, 200);
  // The doctor sees the proof through the consultation, then verifies the follow-up.
  EXPECT_EQ(s().Get(Path(id, "/files/" + std::to_string(proof)), doctor.account.token).status, 200);
  auto v =
      s().Post(Path(id, "/follow-up"), {{"decision", "verified"}, {"note", "已核对出院小结"}}, doctor.account.token);
  ASSERT_EQ(v.status, 200) << v.body;
  auto e = s().Get(Path(id, "/prescription-eligibility"), parent.token);
  EXPECT_EQ(e.json().at("prescription_allowed"), true);
  EXPECT_EQ(e.json().at("guardian_required"), true);
  // The guardian's list includes the child's consultation.
  EXPECT_EQ(s().Get("/api/v1/consultations", parent.token).json().at("items").as_array().size(), 1u);
}

TEST_P(ConsultationApiTest, ReferralBooksAnOfflineSlotOrNothing) {
  auto doctor = NewDoctor();
  auto patient = s().NewPatient();
  const auto id = StartWith(doctor, patient.token);
  ASSERT_EQ(s().Post(Path(id, "/accept"), json::object{}, doctor.account.token).status, 200);
  // The doctor works in person tomorrow and online too.
  json::array periods;
  for (int wd = 1; wd <= 7; ++wd) {
    periods.push_back(json::object{{"weekday", wd},
                                   {"start_time", "08:00"},
                                   {"end_time", "12:00"},
                                   {"service", "offline"},
                                   {"capacity", 10},
                                   {"price_fen", 1500}});
    periods.push_back(json::object{
        {"weekday", wd}, {"start_time", "14:00"}, {"end_time", "17:00"}, {"service", "text"}, {"capacity", 10}});
  }
  ASSERT_EQ(s().Call(verb::put, "/api/v1/me/schedule/template", json::serialize(json::object{{"periods", periods}}),
                     doctor.account.token)
                .status,
            200);
  const auto tomorrow = AddDays(CivilDateCst(s().clock().NowMs()), 1);
  auto slots =
      s().Get("/api/v1/doctors/" + std::to_string(doctor.practitioner_id) + "/slots?from=" + tomorrow + "&days=1");
  std::int64_t offline = 0, online = 0;
  for (const auto& v : slots.json().at("items").as_array())
    (v.at("service") == "offline" ? offline : online) = v.at("id").as_int64();
  ASSERT_GT(offline, 0);
  ASSERT_GT(online, 0);
  auto wrong = s().Post(Path(id, "/referral"), {{"reason", "red_flags"}, {"note", "胸痛"}, {"slot_id", online}},
                        doctor.account.token);
  EXPECT_EQ(wrong.json().at("code"), "slot_not_offline");
  EXPECT_EQ(s().Get(Path(id), patient.token).json().at("status"), "active");  // nothing half-written
  auto r = s().Post(Path(id, "/referral"),
                    {{"reason", "red_flags"}, {"note", "胸痛伴出汗，需线下就诊"}, {"slot_id", offline}},
                    doctor.account.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("status"), "referred");
  EXPECT_EQ(r.json().at("referral").at("reason"), "red_flags");
  const auto appt = r.json().at("referral").at("appointment_id").as_int64();
  auto mine = s().Get("/api/v1/appointments/" + std::to_string(appt), patient.token);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.json().at("service"), "offline");
  EXPECT_EQ(s().Post(Path(id, "/referral"), {{"reason", "first_visit"}, {"note", "x"}}, doctor.account.token)
                .json()
                .at("code"),
            "consultation_closed");
}

TEST_P(ConsultationApiTest, SilentConsultationsCloseAndUnansweredOnesExpire) {
  auto doctor = NewDoctor();
  auto patient = s().NewPatient();
  auto other = s().NewPatient("另一位");
  const auto active = StartWith(doctor, patient.token);
  ASSERT_EQ(s().Post(Path(active, "/accept"), json::object{}, doctor.account.token).status, 200);
  s().clock().Advance(25LL * 3600 * 1000);
  const auto waiting = StartWith(doctor, other.token);
  auto n = s().app().consultation().Sweep();
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(s().Get(Path(active), patient.token).json().at("status"), "closed");
  EXPECT_EQ(Messages(active, patient.token).back().at("text"), "auto_closed");
  EXPECT_EQ(s().Get(Path(waiting), other.token).json().at("status"), "waiting");
  s().clock().Advance(49LL * 3600 * 1000);
  ASSERT_TRUE(s().app().consultation().Sweep());
  EXPECT_EQ(s().Get(Path(waiting), other.token).json().at("status"), "cancelled");
}

TEST_P(ConsultationApiTest, BadInputGetsFieldErrorsAndStoresNothing) {
  auto doctor = NewDoctor();
  auto patient = s().NewPatient();
  auto r = Start(patient.token, {{"kind", "video"}, {"practitioner_id", doctor.practitioner_id}, {"intake", Intake()}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json().at("errors").at(0).at("field"), "kind");
  auto nested = Intake();
  nested["extra"] = 1;
  nested["duration"] = 5;
  auto n = Start(patient.token, {{"kind", "text"}, {"practitioner_id", doctor.practitioner_id}, {"intake", nested}});
  ASSERT_EQ(n.status, 400);
  std::set<std::string> fields;
  for (const auto& e : n.json().at("errors").as_array()) fields.insert(std::string(e.at("field").as_string()));
  EXPECT_TRUE(fields.count("intake.extra"));
  EXPECT_TRUE(fields.count("intake.duration"));
  EXPECT_EQ(Start(patient.token, {{"kind", "text"}, {"practitioner_id", doctor.practitioner_id}}).status, 400);
  EXPECT_EQ(Start(patient.token, {{"kind", "text"}, {"practitioner_id", 999999}, {"intake", Intake()}}).status, 404);
  auto self = Start(doctor.account.token,
                    {{"kind", "text"}, {"practitioner_id", doctor.practitioner_id}, {"intake", Intake()}});
  EXPECT_EQ(self.json().at("code"), "cannot_consult_self");
  EXPECT_EQ(DbInt("SELECT COUNT(*) FROM consultations"), 0);
  const auto id = StartWith(doctor, patient.token);
  for (const auto& body : {json::object{{"client_msg_id", "a b"}, {"kind", "text"}, {"text", "x"}},
                           json::object{{"client_msg_id", "ok"}, {"kind", "text"}},
                           json::object{{"client_msg_id", "ok"}, {"kind", "text"}, {"text", std::string(2001, 'a')}},
                           json::object{{"client_msg_id", "ok"}, {"kind", "image"}}}) {
    auto m = s().Post(Path(id, "/messages"), body, patient.token);
    EXPECT_EQ(m.status, 400) << json::serialize(body);
  }
  EXPECT_EQ(DbInt("SELECT COUNT(*) FROM consultation_messages WHERE consultation_id = $1", {id}), 1);
  EXPECT_EQ(s().Get(Path(id, "/messages?after_seq=-1"), patient.token).status, 400);
  EXPECT_EQ(s().Get("/api/v1/consultations/abc", patient.token).status, 404);
}

// 电话回拨: the doctor of an active phone consultation (and nobody else) gets the number to call,
// each reveal in the patient's access log; the call is then an event message both sides read.
TEST_P(ConsultationApiTest, PhoneCallbackRevealsTheNumberToItsDoctorOnlyAndIsRecordedInTheChat) {
  auto doctor = NewDoctor();
  auto other = NewDoctor({}, "别的医生");
  auto patient = s().NewPatient("电话患者");
  auto r = Start(patient.token, {{"kind", "phone"}, {"practitioner_id", doctor.practitioner_id}, {"intake", Intake()}});
  ASSERT_EQ(r.status, 201) << r.body;
  const auto id = r.json().at("id").as_int64();
  // Not before the doctor took it.
  auto early = s().Get(Path(id, "/callback-number"), doctor.account.token);
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(early.json().at("code"), "consultation_not_active");
  ASSERT_EQ(s().Post(Path(id, "/accept"), json::object{}, doctor.account.token).status, 200);
  const auto reveals = [&] {
    return DbInt("SELECT COUNT(*) FROM audit_log WHERE action = 'consultation.callback_number' AND resource_id = $1",
                 {std::to_string(id)});
  };
  auto n = s().Get(Path(id, "/callback-number"), doctor.account.token);
  ASSERT_EQ(n.status, 200) << n.body;
  EXPECT_EQ(n.json().at("phone").as_string(), patient.phone);
  EXPECT_EQ(n.json().at("phone_masked").as_string(), patient.phone.substr(0, 3) + "****" + patient.phone.substr(7));
  EXPECT_EQ(n.json().at("name"), "电话患者");
  EXPECT_EQ(n.json().at("relation"), "patient");
  EXPECT_EQ(reveals(), 1);
  // Another doctor, the patient, a stranger: 404 (the number is for the treating doctor only).
  EXPECT_EQ(s().Get(Path(id, "/callback-number"), other.account.token).status, 404);
  EXPECT_EQ(s().Get(Path(id, "/callback-number"), patient.token).status, 403);  // not a doctor
  EXPECT_EQ(reveals(), 1);
  // A text consultation has no callback.
  const auto text_id = StartWith(doctor, s().NewPatient("文字患者").token);
  ASSERT_EQ(s().Post(Path(text_id, "/accept"), json::object{}, doctor.account.token).status, 200);
  auto not_phone = s().Get(Path(text_id, "/callback-number"), doctor.account.token);
  EXPECT_EQ(not_phone.status, 409);
  EXPECT_EQ(not_phone.json().at("code"), "not_phone_consultation");
  // The call is recorded and both sides read it as a call event.
  auto bad = s().Post(Path(id, "/calls"), {{"duration_s", -5}}, doctor.account.token);
  EXPECT_EQ(bad.status, 400);
  auto call = s().Post(Path(id, "/calls"), {{"duration_s", 185}, {"note", "已电话告知复查时间"}}, doctor.account.token);
  ASSERT_EQ(call.status, 201) << call.body;
  EXPECT_EQ(call.json().at("kind"), "call");
  for (const auto& token : {patient.token, doctor.account.token}) {
    auto ms = Messages(id, token);
    ASSERT_FALSE(ms.empty());
    const auto& last = ms.back();
    EXPECT_EQ(last.at("kind"), "call");
    EXPECT_EQ(last.at("duration_ms"), 185000);
    EXPECT_EQ(last.at("text"), "已电话告知复查时间");
    EXPECT_EQ(last.at("sender_role"), "doctor");
  }
}

TEST_P(ConsultationApiTest, ADoctorWhoseLicenceExpiredStopsEveryClinicalActionAtOnce) {
  auto doctor = NewDoctor();
  auto patient = s().NewPatient("在诊患者");
  const auto id = StartWith(doctor, patient.token);
  ASSERT_EQ(s().Post(Path(id, "/accept"), json::object{}, doctor.account.token).status, 200);
  ASSERT_EQ(Send(id, doctor.account.token, "before", "您好").status, 201);
  // The licence ran out (yesterday): the consultation is still open, but the doctor may no longer act.
  ASSERT_TRUE(s().app().db().Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto n =
        tx.Exec("UPDATE practitioners SET licence_expires_on = '2000-01-01' WHERE id = $1", {doctor.practitioner_id});
    if (!n) return n.error();
    return {};
  }));
  auto refused = [&](const Resp& r, const char* what) {
    EXPECT_EQ(r.status, 409) << what << ": " << r.body;
    if (r.status == 409) {
      EXPECT_EQ(r.json().at("code"), "practitioner_suspended") << what;
    }
  };
  refused(Send(id, doctor.account.token, "after", "请继续服药"), "message");
  refused(Record(id, doctor.account.token, "E11.900"), "record");
  refused(s().Post(Path(id, "/follow-up"), {{"decision", "advice_only"}}, doctor.account.token), "follow-up");
  refused(
      s().Post(Path(id, "/referral"), {{"reason", "unsuitable_online"}, {"note", "需线下就诊"}}, doctor.account.token),
      "referral");
  refused(s().Post(Path(id, "/close"), json::object{}, doctor.account.token), "close");
  refused(s().Post("/api/v1/prescriptions/check",
                   {{"consultation_id", id},
                    {"items", json::array{json::object{{"formulary_id", 1},
                                                       {"single_dose_milli", 1000},
                                                       {"route", "oral"},
                                                       {"frequency", "qd"},
                                                       {"days", 1}}}}},
                   doctor.account.token),
          "prescribing");
  // Nothing the doctor tried was stored; the patient can still write.
  const auto ms = Messages(id, patient.token);
  EXPECT_EQ(ms.back().at("text"), "您好");
  EXPECT_EQ(Send(id, patient.token, "p1", "医生还在吗？").status, 201);
}

TEST_P(ConsultationApiTest, SuspendingADoctorEndsTheirOpenConsultationsWithANotice) {
  auto doctor = NewDoctor();
  auto admin = s().NewAdmin();
  auto active_patient = s().NewPatient("在诊患者");
  auto waiting_patient = s().NewPatient("候诊患者");
  const auto active = StartWith(doctor, active_patient.token, true);
  ASSERT_EQ(s().Post(Path(active, "/accept"), json::object{}, doctor.account.token).status, 200);
  const auto waiting = StartWith(doctor, waiting_patient.token);
  auto sus = s().Post("/api/v1/admin/practitioners/" + std::to_string(doctor.practitioner_id) + "/suspend",
                      {{"reason", "执业资格核查"}}, admin.token);
  ASSERT_EQ(sus.status, 200) << sus.body;
  auto a = s().Get(Path(active), active_patient.token);
  EXPECT_EQ(a.json().at("status"), "closed");
  EXPECT_EQ(Messages(active, active_patient.token).back().at("text"), "practitioner_suspended");
  auto w = s().Get(Path(waiting), waiting_patient.token);
  EXPECT_EQ(w.json().at("status"), "cancelled");
  EXPECT_EQ(Messages(waiting, waiting_patient.token).back().at("text"), "practitioner_suspended");
  // The doctor can do nothing more in it.
  EXPECT_EQ(Send(active, doctor.account.token, "late", "还在吗").status, 409);
  auto e = s().Get(Path(active, "/prescription-eligibility"), active_patient.token);
  EXPECT_EQ(e.json().at("prescription_allowed"), false);
}

INSTANTIATE_TEST_SUITE_P(Backends, ConsultationApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_consultation_api_test
}  // namespace ihos::apitest
