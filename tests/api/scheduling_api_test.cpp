// Schedules and booking through the real HTTP server, on SQLite and PostgreSQL.
#include <atomic>
#include <set>
#include <thread>

#include "domain/scheduling/hooks.hpp"
#include "domain/scheduling/rules.hpp"
#include "harness.hpp"
#include "support/practitioner_fixture.hpp"

namespace ihos::apitest {
namespace api_scheduling_api_test {
namespace json = boost::json;
using boost::beast::http::verb;
namespace sch = domain::scheduling;

struct Doctor {
  TestServer::Account account;
  std::int64_t practitioner_id = 0;
};

class SchedulingApiTest : public ApiTest {
 protected:
  Doctor NewDoctor(testing::PractitionerSpec spec = {}, const std::string& name = "测试医生") {
    Doctor d{s().NewPatient(name), 0};
    d.practitioner_id = testing::InsertPractitioner(s().app().db(), d.account.id, spec).practitioner_id;
    return d;
  }
  static json::object Period(int weekday, const char* start, const char* end, const char* service, int capacity,
                             std::int64_t price_fen = 0, bool free_clinic = false) {
    json::object p{
        {"weekday", weekday}, {"start_time", start}, {"end_time", end}, {"service", service}, {"capacity", capacity}};
    if (price_fen) p["price_fen"] = price_fen;
    if (free_clinic) p["free_clinic"] = true;
    return p;
  }
  Resp PutTemplate(const Doctor& d, json::array periods) {
    return s().Call(verb::put, "/api/v1/me/schedule/template", json::serialize(json::object{{"periods", periods}}),
                    d.account.token);
  }
  // The same period every day of the week.
  Resp EveryDay(const Doctor& d, const char* start, const char* end, const char* service, int capacity,
                std::int64_t price_fen = 0) {
    json::array a;
    for (int wd = 1; wd <= 7; ++wd) a.push_back(Period(wd, start, end, service, capacity, price_fen));
    return PutTemplate(d, a);
  }
  std::string Tomorrow() { return AddDays(CivilDateCst(s().clock().NowMs()), 1); }
  json::array Slots(const Doctor& d, const std::string& from, int days = 1) {
    auto r = s().Get("/api/v1/doctors/" + std::to_string(d.practitioner_id) + "/slots?from=" + from +
                     "&days=" + std::to_string(days));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json().at("items").as_array() : json::array{};
  }
  // The first slot tomorrow of `service`.
  json::object SlotTomorrow(const Doctor& d, const std::string& service = "text") {
    for (const auto& v : Slots(d, Tomorrow()))
      if (v.at("service") == service.c_str()) return v.as_object();
    ADD_FAILURE() << "no " << service << " slot tomorrow";
    return {};
  }
  Resp Book(std::int64_t slot_id, const std::string& token, std::optional<std::int64_t> patient = std::nullopt) {
    json::object b{{"slot_id", slot_id}};
    if (patient) b["patient_id"] = *patient;
    return s().Post("/api/v1/appointments", b, token);
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
  // Hundreds of distinct patients with sessions (registration through the API is rate-limited
  // per client address).
  std::vector<testing::SeededPatient> Patients(int n) {
    return testing::InsertPatients(s().app().db(), n, "concurrent", s().clock().NowMs());
  }
};

TEST_P(SchedulingApiTest, TemplateMakesSlotsWithTheRightPrices) {
  auto doc = NewDoctor({.general_price_fen = 2500});
  json::array periods;
  for (int wd = 1; wd <= 7; ++wd) {
    periods.push_back(Period(wd, "09:00", "12:00", "text", 10, 99999));  // online: the price is ignored
    periods.push_back(Period(wd, "14:00", "17:00", "offline", 20, 5000));
  }
  auto put = PutTemplate(doc, periods);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json().at("template").as_array().size(), 14u);

  auto slots = Slots(doc, Tomorrow(), 7);
  ASSERT_EQ(slots.size(), 14u);
  auto text = SlotTomorrow(doc, "text");
  EXPECT_EQ(text.at("price_fen"), 2500) << "online consultations take the hospital's general price";
  EXPECT_EQ(text.at("start_time"), "09:00");
  EXPECT_EQ(text.at("end_time"), "12:00");
  EXPECT_EQ(text.at("remaining"), 10);
  EXPECT_EQ(text.at("date").as_string(), Tomorrow());
  EXPECT_EQ(text.at("end_at").as_int64() - text.at("start_at").as_int64(), 3 * 3600 * 1000);
  EXPECT_EQ(SlotTomorrow(doc, "offline").at("price_fen"), 5000);
  // 14 days of both periods (today's may be partly past), idempotent on a second PUT.
  const auto count = DbInt("SELECT COUNT(*) FROM slots WHERE practitioner_id = $1", {doc.practitioner_id});
  EXPECT_GE(count, 26);
  EXPECT_LE(count, 28);
  ASSERT_EQ(PutTemplate(doc, periods).status, 200);
  EXPECT_EQ(DbInt("SELECT COUNT(*) FROM slots WHERE practitioner_id = $1", {doc.practitioner_id}), count);

  // The directory's doctor profile shows the next free slot made here.
  auto profile = s().Get("/api/v1/doctors/" + std::to_string(doc.practitioner_id));
  ASSERT_EQ(profile.status, 200) << profile.body;
  ASSERT_TRUE(profile.json().at("next_free").is_object()) << profile.body;
  const auto& next = profile.json().at("next_free");
  EXPECT_EQ(next.at("price_fen").as_int64(), next.at("service") == "offline" ? 5000 : 2500);
  EXPECT_GT(next.at("start_at").as_int64(), s().clock().NowMs());

  auto sched = s().Get("/api/v1/me/schedule", doc.account.token);
  ASSERT_EQ(sched.status, 200);
  EXPECT_EQ(sched.json().at("template").at(0).at("start_time"), "09:00");
}

TEST_P(SchedulingApiTest, TemplateValidationNamesTheField) {
  auto doc = NewDoctor();
  // Malformed input is reported first, per field.
  auto format =
      PutTemplate(doc, json::array{Period(1, "09:00", "12:00", "text", 10), Period(2, "9:00", "12:00", "video", 5),
                                   json::object{{"weekday", 3},
                                                {"start_time", "08:00"},
                                                {"end_time", "09:00"},
                                                {"service", "sms"},
                                                {"capacity", 1},
                                                {"colour", "red"}}});
  ASSERT_EQ(format.status, 400) << format.body;
  std::set<std::string> got;
  for (const auto& e : format.json().at("errors").as_array())
    got.insert(std::string(e.at("field").as_string()) + ":" + std::string(e.at("code").as_string()));
  EXPECT_TRUE(got.count("periods[1].start_time:time_format")) << format.body;
  EXPECT_TRUE(got.count("periods[2].service:invalid_value")) << format.body;
  EXPECT_TRUE(got.count("periods[2].colour:unknown_field")) << format.body;

  // Then the rules, all at once.
  auto r = PutTemplate(
      doc, json::array{Period(1, "09:00", "12:00", "text", 10), Period(1, "11:00", "13:00", "text", 5),
                       Period(2, "09:00", "12:00", "video", 5), Period(3, "10:00", "09:00", "phone", 5),
                       Period(4, "10:00", "11:00", "offline", 0), Period(5, "10:00", "11:00", "text", 5, 0, true)});
  ASSERT_EQ(r.status, 400) << r.body;
  got.clear();
  for (const auto& e : r.json().at("errors").as_array())
    got.insert(std::string(e.at("field").as_string()) + ":" + std::string(e.at("code").as_string()));
  EXPECT_TRUE(got.count("periods[1].start_time:period_overlap")) << r.body;
  EXPECT_TRUE(got.count("periods[3].end_time:end_before_start")) << r.body;
  EXPECT_TRUE(got.count("periods[4].capacity:capacity_range")) << r.body;
  EXPECT_TRUE(got.count("periods[4].price_fen:offline_price_required")) << r.body;
  EXPECT_TRUE(got.count("periods[5].free_clinic:free_clinic_not_volunteer")) << r.body;
  EXPECT_EQ(DbInt("SELECT COUNT(*) FROM schedule_templates"), 0) << "nothing half-written";

  // Not a doctor: 403; a doctor-role user without a practitioners row: 404.
  auto patient = s().NewPatient();
  EXPECT_EQ(s().Get("/api/v1/me/schedule", patient.token).status, 403);
}

TEST_P(SchedulingApiTest, FreeClinicVolunteerPeriodsCostNothing) {
  auto doc = NewDoctor({.free_clinic = true});
  json::array a;
  for (int wd = 1; wd <= 7; ++wd) a.push_back(Period(wd, "19:00", "21:00", "video", 5, 0, true));
  ASSERT_EQ(PutTemplate(doc, a).status, 200);
  auto slot = SlotTomorrow(doc, "video");
  EXPECT_EQ(slot.at("price_fen"), 0);
  EXPECT_EQ(slot.at("free_clinic"), true);
}

// THE KEY TEST: capacity is never exceeded under concurrent bookings through the server.
TEST_P(SchedulingApiTest, ConcurrentBookingsNeverExceedCapacity) {
  constexpr int kCapacity = 17;
  constexpr int kPatients = 220;
  auto doc = NewDoctor();
  ASSERT_EQ(EveryDay(doc, "08:00", "12:00", "text", kCapacity).status, 200);
  const auto slot_id = SlotTomorrow(doc).at("id").as_int64();
  auto patients = Patients(kPatients);

  std::vector<Resp> results(kPatients);
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kPatients; ++i)
    threads.emplace_back([&, i] {
      ++ready;
      while (!go.load()) std::this_thread::yield();
      results[i] = Book(slot_id, patients[i].token);
    });
  while (ready.load() < kPatients) std::this_thread::yield();
  go = true;
  for (auto& t : threads) t.join();

  int ok = 0, full = 0;
  std::set<std::int64_t> queue_numbers;
  for (const auto& r : results) {
    if (r.status == 201) {
      ++ok;
      queue_numbers.insert(r.json().at("queue_number").as_int64());
    } else {
      EXPECT_EQ(r.status, 409) << r.body;
      if (r.status == 409 && r.json().at("code") == "slot_full") ++full;
    }
  }
  EXPECT_EQ(ok, kCapacity);
  EXPECT_EQ(full, kPatients - kCapacity);
  ASSERT_EQ(queue_numbers.size(), static_cast<std::size_t>(kCapacity)) << "queue numbers are unique";
  EXPECT_EQ(*queue_numbers.begin(), 1);
  EXPECT_EQ(*queue_numbers.rbegin(), kCapacity);
  EXPECT_EQ(DbInt("SELECT booked FROM slots WHERE id = $1", {slot_id}), kCapacity);
  EXPECT_EQ(DbInt("SELECT COUNT(*) FROM appointments WHERE slot_id = $1 AND status = 'booked'", {slot_id}), kCapacity);
  EXPECT_EQ(SlotTomorrow(doc).at("remaining"), 0);
}

TEST_P(SchedulingApiTest, OnePatientCannotHoldOverlappingAppointmentsEvenConcurrently) {
  auto a = NewDoctor({}, "甲医生");
  auto b = NewDoctor({}, "乙医生");
  ASSERT_EQ(EveryDay(a, "09:00", "11:00", "text", 50).status, 200);
  ASSERT_EQ(EveryDay(b, "10:00", "12:00", "video", 50).status, 200);
  const auto sa = SlotTomorrow(a, "text").at("id").as_int64();
  const auto sb = SlotTomorrow(b, "video").at("id").as_int64();
  auto patient = s().NewPatient();

  constexpr int kTries = 24;
  std::vector<Resp> results(kTries);
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kTries; ++i)
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      results[i] = Book(i % 2 ? sa : sb, patient.token);
    });
  go = true;
  for (auto& t : threads) t.join();
  int ok = 0;
  for (const auto& r : results) {
    if (r.status == 201) {
      ++ok;
    } else {
      EXPECT_EQ(r.status, 409);
      EXPECT_EQ(r.json().at("code"), "appointment_overlap") << r.body;
    }
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(DbInt("SELECT COUNT(*) FROM appointments WHERE patient_id = $1", {patient.id}), 1);
  EXPECT_EQ(DbInt("SELECT SUM(booked) FROM slots WHERE id IN ($1, $2)", {sa, sb}), 1);
}

TEST_P(SchedulingApiTest, CancellationFreesAPlace) {
  auto doc = NewDoctor();
  ASSERT_EQ(EveryDay(doc, "09:00", "10:00", "phone", 1).status, 200);
  const auto slot = SlotTomorrow(doc, "phone").at("id").as_int64();
  auto first = s().NewPatient("第一位");
  auto second = s().NewPatient("第二位");
  auto booked = Book(slot, first.token);
  ASSERT_EQ(booked.status, 201) << booked.body;
  EXPECT_EQ(booked.json().at("queue_number"), 1);
  EXPECT_EQ(booked.json().at("status"), "booked");
  EXPECT_EQ(booked.json().at("can_cancel"), true);
  EXPECT_EQ(booked.json().at("practitioner").at("name"), "测试医生");
  const auto id = booked.json().at("id").as_int64();

  auto full = Book(slot, second.token);
  EXPECT_EQ(full.status, 409);
  EXPECT_EQ(full.json().at("code"), "slot_full");
  EXPECT_EQ(full.json().at("message").at("en"), "This time is fully booked; please choose another.");

  // Someone else cannot see or cancel it.
  EXPECT_EQ(s().Get("/api/v1/appointments/" + std::to_string(id), second.token).status, 404);
  EXPECT_EQ(s().Post("/api/v1/appointments/" + std::to_string(id) + "/cancel", json::object{}, second.token).status,
            404);

  auto cancel = s().Post("/api/v1/appointments/" + std::to_string(id) + "/cancel", json::object{}, first.token);
  ASSERT_EQ(cancel.status, 200) << cancel.body;
  EXPECT_EQ(cancel.json().at("status"), "cancelled");
  EXPECT_EQ(cancel.json().at("cancelled_by"), "patient");
  auto again = s().Post("/api/v1/appointments/" + std::to_string(id) + "/cancel", json::object{}, first.token);
  EXPECT_EQ(again.json().at("code"), "appointment_not_booked");

  auto now_ok = Book(slot, second.token);
  ASSERT_EQ(now_ok.status, 201) << now_ok.body;
  EXPECT_EQ(now_ok.json().at("queue_number"), 2) << "queue numbers are never reused";
  EXPECT_EQ(DbInt("SELECT booked FROM slots WHERE id = $1", {slot}), 1);

  auto mine = s().Get("/api/v1/me/appointments", first.token);
  ASSERT_EQ(mine.status, 200);
  ASSERT_EQ(mine.json().at("items").as_array().size(), 1u);
  EXPECT_EQ(mine.json().at("items").at(0).at("status"), "cancelled");
  EXPECT_EQ(s().Get("/api/v1/me/appointments?status=booked", first.token).json().at("items").as_array().size(), 0u);
}

TEST_P(SchedulingApiTest, BookingIsConfirmedRemindedAndItsCancellationConfirmed) {
  auto doc = NewDoctor();
  ASSERT_EQ(EveryDay(doc, "09:00", "12:00", "text", 5).status, 200);
  auto slot = SlotTomorrow(doc);
  const auto start = slot.at("start_at").as_int64();
  auto patient = s().NewPatient("王五");
  auto kinds = [&] {
    std::vector<std::string> out;
    const auto items = s().Get("/api/v1/me/notifications", patient.token).json().at("items");  // keep it alive
    for (const auto& n : items.as_array()) out.emplace_back(n.at("kind").as_string());
    return out;
  };
  auto booked = Book(slot.at("id").as_int64(), patient.token);
  ASSERT_EQ(booked.status, 201) << booked.body;
  const std::string appt = std::to_string(booked.json().at("id").as_int64());
  // The confirmation at once, in both languages; the reminder is not due yet.
  auto notes = s().Get("/api/v1/me/notifications", patient.token).json().at("items");
  ASSERT_EQ(notes.as_array().size(), 1u);
  EXPECT_EQ(notes.at(0).at("kind"), "appointment_booked");
  EXPECT_NE(std::string(notes.at(0).at("body").at("zh-CN").as_string()).find("预约"), std::string::npos);
  EXPECT_FALSE(notes.at(0).at("body").at("en").as_string().empty());
  // The reminder shows before the visit (at the latest two hours before it).
  s().clock().Set(start - 2 * 3600 * 1000);
  EXPECT_EQ(kinds(), (std::vector<std::string>{"appointment_reminder", "appointment_booked"}));

  // Another patient books three hours before and cancels: a confirmation of the cancellation,
  // and the reminder (due two hours before) is withdrawn.
  (void)appt;
  s().clock().Set(start - 3 * 3600 * 1000);
  auto other = s().NewPatient("赵六");
  auto second = Book(slot.at("id").as_int64(), other.token);
  ASSERT_EQ(second.status, 201) << second.body;
  auto cancel = s().Post("/api/v1/appointments/" + std::to_string(second.json().at("id").as_int64()) + "/cancel",
                         json::object{}, other.token);
  ASSERT_EQ(cancel.status, 200) << cancel.body;
  s().clock().Set(start - 3600 * 1000);
  std::vector<std::string> theirs;
  auto items = s().Get("/api/v1/me/notifications", other.token).json().at("items");
  for (const auto& n : items.as_array()) theirs.emplace_back(n.at("kind").as_string());
  EXPECT_EQ(theirs, (std::vector<std::string>{"appointment_cancelled", "appointment_booked"}));
  EXPECT_NE(std::string(items.at(0).at("body").at("zh-CN").as_string()).find("您已取消"), std::string::npos);
}

TEST_P(SchedulingApiTest, CutOffPastSlotsAndTheDoctorsCancellationNotifiesThePatient) {
  auto doc = NewDoctor();
  ASSERT_EQ(EveryDay(doc, "09:00", "12:00", "text", 5).status, 200);
  auto slot = SlotTomorrow(doc);
  const auto slot_id = slot.at("id").as_int64();
  const auto start = slot.at("start_at").as_int64();
  auto patient = s().NewPatient("张三");
  auto late = s().NewPatient("李四");
  auto booked = Book(slot_id, patient.token);
  ASSERT_EQ(booked.status, 201);
  const std::string appt = std::to_string(booked.json().at("id").as_int64());

  // One hour before the start the patient can no longer cancel (cut-off 2 h).
  s().clock().Set(start - 3600 * 1000);
  auto refused = s().Post("/api/v1/appointments/" + appt + "/cancel", json::object{}, patient.token);
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(refused.json().at("code"), "cancel_cutoff_passed");
  EXPECT_EQ(s().Get("/api/v1/appointments/" + appt, patient.token).json().at("can_cancel"), false);
  // The doctor can, with a reason.
  auto no_reason = s().Post("/api/v1/appointments/" + appt + "/cancel", json::object{}, doc.account.token);
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_EQ(no_reason.json().at("errors").at(0).at("field"), "reason");
  auto by_doctor = s().Post("/api/v1/appointments/" + appt + "/cancel", {{"reason", "临时手术"}}, doc.account.token);
  ASSERT_EQ(by_doctor.status, 200) << by_doctor.body;
  EXPECT_EQ(by_doctor.json().at("cancelled_by"), "practitioner");
  EXPECT_EQ(by_doctor.json().at("cancel_reason"), "临时手术");

  auto notes = s().Get("/api/v1/me/notifications", patient.token);
  ASSERT_EQ(notes.status, 200);
  // Newest first: the cancellation, the reminder (due by now), the booking confirmation.
  ASSERT_EQ(notes.json().at("items").as_array().size(), 3u) << notes.body;
  EXPECT_EQ(notes.json().at("items").at(1).at("kind"), "appointment_reminder");
  EXPECT_EQ(notes.json().at("items").at(2).at("kind"), "appointment_booked");
  auto n = notes.json().at("items").at(0);
  EXPECT_EQ(n.at("kind"), "appointment_cancelled");
  EXPECT_NE(std::string(n.at("body").at("zh-CN").as_string()).find("临时手术"), std::string::npos);
  EXPECT_FALSE(n.at("body").at("en").as_string().empty());
  EXPECT_EQ(n.at("read_at"), nullptr);
  const std::string nid = std::to_string(n.at("id").as_int64());
  EXPECT_EQ(s().Post("/api/v1/me/notifications/" + nid + "/read", json::object{}, late.token).status, 404);
  EXPECT_EQ(s().Post("/api/v1/me/notifications/" + nid + "/read", json::object{}, patient.token).status, 204);
  EXPECT_NE(s().Get("/api/v1/me/notifications", patient.token).json().at("items").at(0).at("read_at"), nullptr);

  // After the start the slot cannot be booked.
  s().clock().Set(start + 60 * 1000);
  auto past = Book(slot_id, late.token);
  EXPECT_EQ(past.status, 409);
  EXPECT_EQ(past.json().at("code"), "slot_past");
}

TEST_P(SchedulingApiTest, NoShowAfterTheStartAndTheDoctorsDay) {
  auto doc = NewDoctor();
  ASSERT_EQ(EveryDay(doc, "09:00", "12:00", "offline", 5, 3000).status, 200);
  auto slot = SlotTomorrow(doc, "offline");
  auto p1 = s().NewPatient("王五");
  auto p2 = s().NewPatient("赵六");
  auto a1 = Book(slot.at("id").as_int64(), p1.token);
  auto a2 = Book(slot.at("id").as_int64(), p2.token);
  ASSERT_EQ(a1.status, 201);
  ASSERT_EQ(a2.status, 201);
  EXPECT_EQ(a1.json().at("price_fen"), 3000);
  const std::string id1 = std::to_string(a1.json().at("id").as_int64());
  const std::string id2 = std::to_string(a2.json().at("id").as_int64());

  auto day = s().Get("/api/v1/me/day?date=" + Tomorrow(), doc.account.token);
  ASSERT_EQ(day.status, 200) << day.body;
  auto item = day.json().at("items").at(0);
  EXPECT_EQ(item.at("slot").at("booked"), 2);
  ASSERT_EQ(item.at("appointments").as_array().size(), 2u);
  EXPECT_EQ(item.at("appointments").at(0).at("patient").at("real_name"), "王五");
  EXPECT_EQ(item.at("appointments").at(0).at("queue_number"), 1);
  EXPECT_EQ(item.at("appointments").at(0).at("patient").at("age").as_int64() > 18, true);
  // The doctor's view of the day is in the patient's access log.
  auto log = s().Get("/api/v1/me/access-log", p1.token);
  EXPECT_EQ(log.json().at("items").at(0).at("action"), "appointment.list");

  auto early = s().Post("/api/v1/appointments/" + id1 + "/no-show", json::object{}, doc.account.token);
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(early.json().at("code"), "appointment_not_started");
  // A patient cannot record no-shows; another doctor cannot touch this appointment.
  EXPECT_EQ(s().Post("/api/v1/appointments/" + id1 + "/no-show", json::object{}, p1.token).status, 403);
  auto other = NewDoctor({}, "别的医生");
  EXPECT_EQ(s().Post("/api/v1/appointments/" + id1 + "/fulfil", json::object{}, other.account.token).status, 404);

  s().clock().Set(slot.at("start_at").as_int64() + 30 * 60 * 1000);
  auto noshow = s().Post("/api/v1/appointments/" + id1 + "/no-show", json::object{}, doc.account.token);
  ASSERT_EQ(noshow.status, 200) << noshow.body;
  EXPECT_EQ(noshow.json().at("status"), "noshow");
  auto done = s().Post("/api/v1/appointments/" + id2 + "/fulfil", json::object{}, doc.account.token);
  ASSERT_EQ(done.status, 200);
  EXPECT_EQ(done.json().at("status"), "fulfilled");
  EXPECT_EQ(s().Get("/api/v1/appointments/" + id2, p2.token).json().at("status"), "fulfilled");
}

TEST_P(SchedulingApiTest, GuardianBooksForAWardAndAStrangerCannot) {
  auto doc = NewDoctor({.department_code = "pediatrics"});
  ASSERT_EQ(EveryDay(doc, "09:00", "12:00", "video", 5).status, 200);
  const auto slot = SlotTomorrow(doc, "video").at("id").as_int64();
  auto parent = s().NewPatient("王芳");
  auto add = s().Post("/api/v1/me/dependents",
                      {{"real_name", "王小明"}, {"id_number", MakeIdNumber("20180601")}, {"relationship", "parent"}},
                      parent.token);
  ASSERT_EQ(add.status, 201) << add.body;
  const auto child = add.json().at("id").as_int64();

  auto stranger = s().NewPatient("陌生人");
  auto refused = Book(slot, stranger.token, child);
  EXPECT_EQ(refused.status, 404);
  EXPECT_EQ(s().Get("/api/v1/me/appointments?patient_id=" + std::to_string(child), stranger.token).status, 404);

  auto booked = Book(slot, parent.token, child);
  ASSERT_EQ(booked.status, 201) << booked.body;
  EXPECT_EQ(booked.json().at("patient").at("real_name"), "王小明");
  EXPECT_EQ(booked.json().at("booked_by"), parent.id);
  // The parent may also book the same time for themselves (a different patient).
  EXPECT_EQ(Book(slot, parent.token).status, 201);

  auto mine = s().Get("/api/v1/me/appointments", parent.token);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.json().at("items").as_array().size(), 2u);
  auto wards = s().Get("/api/v1/me/appointments?patient_id=" + std::to_string(child), parent.token);
  ASSERT_EQ(wards.json().at("items").as_array().size(), 1u);
  // The booking for the ward is in the ward's access log.
  auto log = s().Get("/api/v1/me/access-log?patient_id=" + std::to_string(child), parent.token);
  bool created = false;
  for (const auto& i : log.json().at("items").as_array()) created |= i.at("action") == "appointment.create";
  EXPECT_TRUE(created) << log.body;
}

TEST_P(SchedulingApiTest, ScheduleChangesRespectBookings) {
  auto doc = NewDoctor();
  ASSERT_EQ(EveryDay(doc, "09:00", "12:00", "text", 5).status, 200);
  const auto slot = SlotTomorrow(doc).at("id").as_int64();
  auto p1 = s().NewPatient();
  auto p2 = s().NewPatient();
  ASSERT_EQ(Book(slot, p1.token).status, 201);
  ASSERT_EQ(Book(slot, p2.token).status, 201);

  auto shrink = EveryDay(doc, "09:00", "12:00", "text", 1);
  EXPECT_EQ(shrink.status, 409);
  EXPECT_EQ(shrink.json().at("code"), "capacity_below_booked");
  auto drop = EveryDay(doc, "14:00", "17:00", "text", 5);
  EXPECT_EQ(drop.status, 409);
  EXPECT_EQ(drop.json().at("code"), "slot_has_bookings");
  auto leave = s().Post("/api/v1/me/schedule/exceptions",
                        {{"date", Tomorrow()}, {"kind", "leave"}, {"start_time", "00:00"}, {"end_time", "24:00"}},
                        doc.account.token);
  EXPECT_EQ(leave.status, 409);
  EXPECT_EQ(DbInt("SELECT capacity FROM slots WHERE id = $1", {slot}), 5) << "a refused change writes nothing";

  // Once the bookings are cancelled the doctor can drop the period; the slot, which keeps its
  // cancelled appointments, is closed and no longer offered.
  auto mine = s().Get("/api/v1/me/appointments", p1.token).json().at("items").at(0).at("id").as_int64();
  auto theirs = s().Get("/api/v1/me/appointments", p2.token).json().at("items").at(0).at("id").as_int64();
  ASSERT_EQ(
      s().Post("/api/v1/appointments/" + std::to_string(mine) + "/cancel", {{"reason", "调整出诊"}}, doc.account.token)
          .status,
      200);
  ASSERT_EQ(s().Post("/api/v1/appointments/" + std::to_string(theirs) + "/cancel", {{"reason", "调整出诊"}},
                     doc.account.token)
                .status,
            200);
  auto moved = EveryDay(doc, "14:00", "17:00", "text", 5);
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(DbInt("SELECT COUNT(*) FROM slots WHERE id = $1 AND status = 'closed'", {slot}), 1);
  for (const auto& v : Slots(doc, Tomorrow())) EXPECT_EQ(v.at("start_time"), "14:00");
  EXPECT_EQ(Book(slot, s().NewPatient().token).json().at("code"), "slot_closed");

  // Back to the morning: the same slot reopens with its queue numbers going on.
  ASSERT_EQ(EveryDay(doc, "09:00", "12:00", "text", 5).status, 200);
  auto again = Book(slot, p1.token);
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.json().at("queue_number"), 3);
  ASSERT_EQ(Book(slot, p2.token).status, 201);

  // Growing capacity is fine; the booked places stay.
  ASSERT_EQ(EveryDay(doc, "09:00", "12:00", "text", 8).status, 200);
  EXPECT_EQ(DbInt("SELECT capacity FROM slots WHERE id = $1", {slot}), 8);
  EXPECT_EQ(DbInt("SELECT booked FROM slots WHERE id = $1", {slot}), 2);
}

TEST_P(SchedulingApiTest, LeaveAndExtraShifts) {
  auto doc = NewDoctor();
  ASSERT_EQ(EveryDay(doc, "09:00", "12:00", "text", 5).status, 200);
  const std::string day = AddDays(Tomorrow(), 1);
  auto leave = s().Post(
      "/api/v1/me/schedule/exceptions",
      {{"date", day}, {"kind", "leave"}, {"start_time", "08:00"}, {"end_time", "18:00"}, {"reason", "学术会议"}},
      doc.account.token);
  ASSERT_EQ(leave.status, 201) << leave.body;
  EXPECT_TRUE(Slots(doc, day).empty());
  auto extra = s().Post("/api/v1/me/schedule/exceptions",
                        {{"date", day},
                         {"kind", "extra"},
                         {"start_time", "19:00"},
                         {"end_time", "21:00"},
                         {"service", "offline"},
                         {"capacity", 3},
                         {"price_fen", 4000}},
                        doc.account.token);
  ASSERT_EQ(extra.status, 201) << extra.body;
  auto slots = Slots(doc, day);
  ASSERT_EQ(slots.size(), 1u);
  EXPECT_EQ(slots[0].at("start_time"), "19:00");
  EXPECT_EQ(slots[0].at("price_fen"), 4000);
  // An extra shift overlapping a template period of the same service is refused.
  auto clash = s().Post("/api/v1/me/schedule/exceptions",
                        {{"date", Tomorrow()},
                         {"kind", "extra"},
                         {"start_time", "11:00"},
                         {"end_time", "13:00"},
                         {"service", "text"},
                         {"capacity", 3}},
                        doc.account.token);
  EXPECT_EQ(clash.status, 400);
  EXPECT_EQ(clash.json().at("errors").at(0).at("code"), "period_overlap");
  auto bad = s().Post("/api/v1/me/schedule/exceptions",
                      {{"date", "2001-02-30"}, {"kind", "extra"}, {"start_time", "19:00"}, {"end_time", "21:00"}},
                      doc.account.token);
  EXPECT_EQ(bad.status, 400);

  // Removing the leave brings the day's template period back.
  const std::string leave_id = std::to_string(leave.json().at("id").as_int64());
  EXPECT_EQ(s().Call(verb::delete_, "/api/v1/me/schedule/exceptions/" + leave_id, "", doc.account.token).status, 204);
  EXPECT_EQ(Slots(doc, day).size(), 2u);
  EXPECT_EQ(s().Call(verb::delete_, "/api/v1/me/schedule/exceptions/" + leave_id, "", doc.account.token).status, 404);
  EXPECT_EQ(s().Get("/api/v1/me/schedule", doc.account.token).json().at("exceptions").as_array().size(), 1u);
}

TEST_P(SchedulingApiTest, SlotsRollForwardWithTime) {
  auto doc = NewDoctor();
  ASSERT_EQ(EveryDay(doc, "09:00", "12:00", "text", 5).status, 200);
  const std::string far = AddDays(CivilDateCst(s().clock().NowMs()), 20);
  EXPECT_TRUE(Slots(doc, far).empty()) << "beyond the 14-day horizon";
  s().clock().Advance(7 * kDayMs);
  auto rolled = s().app().scheduling().RollSlots();
  ASSERT_TRUE(rolled);
  EXPECT_EQ(*rolled, 1);
  EXPECT_EQ(Slots(doc, far).size(), 1u);
}

TEST_P(SchedulingApiTest, SuspensionCancelsFutureBookingsAndNotifies) {
  auto doc = NewDoctor({.department_code = "cardiology"});
  ASSERT_EQ(EveryDay(doc, "09:00", "12:00", "text", 5).status, 200);
  const auto slot = SlotTomorrow(doc).at("id").as_int64();
  auto parent = s().NewPatient("刘敏");
  auto add = s().Post("/api/v1/me/dependents",
                      {{"real_name", "刘小敏"}, {"id_number", MakeIdNumber("20160301")}, {"relationship", "parent"}},
                      parent.token);
  ASSERT_EQ(add.status, 201);
  auto other = s().NewPatient("陈杰");
  ASSERT_EQ(Book(slot, parent.token, add.json().at("id").as_int64()).status, 201);
  ASSERT_EQ(Book(slot, other.token).status, 201);

  // What the directory's admin "suspend" does, in one transaction.
  const std::int64_t now = s().clock().NowMs();
  auto n = s().app().db().With<int>(store::TxMode::write, [&](store::Tx& tx) -> Result<int> {
    auto r = tx.Exec("UPDATE practitioners SET status = 'suspended' WHERE id = $1", {doc.practitioner_id});
    if (!r) return r.error();
    return sch::CancelFutureAppointments(tx, doc.practitioner_id, "practitioner_suspended", now);
  });
  ASSERT_TRUE(n) << n.error().code;
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(DbInt("SELECT booked FROM slots WHERE id = $1", {slot}), 0);
  EXPECT_EQ(DbInt("SELECT COUNT(*) FROM slots WHERE practitioner_id = $1 AND status = 'open'", {doc.practitioner_id}),
            0);
  auto notes = s().Get("/api/v1/me/notifications", parent.token).json().at("items");
  ASSERT_FALSE(notes.as_array().empty());
  EXPECT_EQ(notes.at(0).at("kind"), "appointment_cancelled");
  const std::string zh(notes.at(0).at("body").at("zh-CN").as_string());
  EXPECT_NE(zh.find("心内科"), std::string::npos) << zh;
  EXPECT_NE(zh.find("其他医生"), std::string::npos) << zh;
  auto mine = s().Get("/api/v1/me/appointments", other.token).json().at("items").at(0);
  EXPECT_EQ(mine.at("cancelled_by"), "system");
  EXPECT_EQ(mine.at("cancel_reason"), "practitioner_suspended");
  // Not bookable, not listed.
  EXPECT_EQ(Book(slot, other.token).json().at("code"), "practitioner_unavailable");
  EXPECT_EQ(s().Get("/api/v1/doctors/" + std::to_string(doc.practitioner_id) + "/slots").status, 404);

  auto st = s().app().db().Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto r = tx.Exec("UPDATE practitioners SET status = 'active' WHERE id = $1", {doc.practitioner_id});
    if (!r) return r.error();
    return sch::ReopenFutureSlots(tx, doc.practitioner_id, now);
  });
  ASSERT_TRUE(st);
  EXPECT_EQ(SlotTomorrow(doc).at("status"), "open");
  EXPECT_EQ(Book(slot, other.token).status, 201);
}

TEST_P(SchedulingApiTest, AdminSuspensionThroughTheDirectoryCancelsBookings) {
  auto doc = NewDoctor();
  ASSERT_EQ(EveryDay(doc, "09:00", "12:00", "text", 5).status, 200);
  const auto slot = SlotTomorrow(doc).at("id").as_int64();
  auto patient = s().NewPatient("孙丽");
  ASSERT_EQ(Book(slot, patient.token).status, 201);
  auto admin = s().NewAdmin();
  const std::string prac = "/api/v1/admin/practitioners/" + std::to_string(doc.practitioner_id);
  auto suspended = s().Post(prac + "/suspend", {{"reason", "执业证书待核实"}}, admin.token);
  ASSERT_EQ(suspended.status, 200) << suspended.body;
  auto mine = s().Get("/api/v1/me/appointments", patient.token).json().at("items").at(0);
  EXPECT_EQ(mine.at("status"), "cancelled");
  EXPECT_EQ(mine.at("cancelled_by"), "system");
  // The booking's confirmation, then the cancellation (the reminder was withdrawn with the booking).
  auto notes = s().Get("/api/v1/me/notifications", patient.token).json().at("items").as_array();
  int cancelled = 0;
  for (const auto& n : notes) cancelled += n.at("kind") == "appointment_cancelled";
  EXPECT_EQ(cancelled, 1);
  EXPECT_EQ(notes.size(), 2u);
  EXPECT_EQ(DbInt("SELECT booked FROM slots WHERE id = $1", {slot}), 0);

  ASSERT_EQ(s().Post(prac + "/reinstate", json::object{{"reason", "证书已核实"}}, admin.token).status, 200);
  EXPECT_EQ(SlotTomorrow(doc).at("status"), "open");
  EXPECT_EQ(Book(slot, patient.token).status, 201);
}

TEST_P(SchedulingApiTest, ExpiredLicenceCannotBeBooked) {
  auto doc = NewDoctor({.licence_expires_on = "2001-01-01"});
  ASSERT_EQ(EveryDay(doc, "09:00", "12:00", "text", 5).status, 200);
  auto id = DbInt("SELECT MIN(id) FROM slots WHERE practitioner_id = $1", {doc.practitioner_id});
  auto p = s().NewPatient();
  EXPECT_EQ(Book(id, p.token).json().at("code"), "practitioner_unavailable");
  EXPECT_EQ(Book(id, doc.account.token).status, 409);
  EXPECT_EQ(Book(999999, p.token).status, 404);
  auto bad = s().Post("/api/v1/appointments", {{"slot_id", "x"}}, p.token);
  EXPECT_EQ(bad.status, 400);
}

INSTANTIATE_TEST_SUITE_P(Backends, SchedulingApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_scheduling_api_test
}  // namespace ihos::apitest
