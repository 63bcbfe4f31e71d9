// `ihos seed-demo`: demo consultations (演示), so the doctor's workstation and the patient's
// chat show something on first start. Idempotent: nothing is added when the demo patient
// already has a consultation.
#include <iostream>

#include "cli/demo.hpp"
#include "core/events.hpp"
#include "domain/accounts/repository.hpp"
#include "domain/consultation/service.hpp"

namespace ihos::cli {
namespace {

using namespace domain;

std::optional<Principal> Demo(store::Database& db, const std::string& phone, std::vector<std::string> roles) {
  auto u = db.With<std::optional<accounts::User>>(store::TxMode::read, [&](store::Tx& tx) {
    return [&]() -> Result<std::optional<accounts::User>> {
      auto id = accounts::repo::FindUserIdByPhone(tx, phone);
      if (!id) return id.error();
      if (!*id) return std::optional<accounts::User>();
      return accounts::repo::FindUser(tx, **id);
    }();
  });
  if (!u || !*u) return std::nullopt;
  return Principal{(*u)->id, (*u)->real_name, std::move(roles)};
}

}  // namespace

int SeedConsultationDemo(store::Database& db) {
  SystemClock clock;
  accounts::AccountService accounts(db, clock, {});
  directory::DirectoryService directory(db, clock, accounts, {});
  scheduling::SchedulingService scheduling(db, clock, accounts, {});
  auto bus = events::MakeLocalBus();
  consultation::ConsultationService svc(db, clock, *bus, accounts, directory, scheduling, {});
  const RequestMeta meta{"seed-demo", "cli"};

  auto patient = Demo(db, "13800000002", {"patient"});
  auto doctor = Demo(db, "13800000003", {"patient", "doctor"});
  if (!patient || !doctor) return 0;  // the directory demo did not run (accounts made earlier)
  auto existing = svc.List(*patient, "patient", "");
  if (!existing) {
    PrintError(existing.error());
    return 1;
  }
  if (!existing->empty()) return 0;
  auto p = db.With<std::optional<scheduling::PractitionerInfo>>(
      store::TxMode::read, [&](store::Tx& tx) { return scheduling.FindPractitionerByUser(tx, doctor->user_id); });
  if (!p || !*p) return 0;

  // The demo patient in conversation with 演示·李医生.
  consultation::StartInput in;
  in.kind = "text";
  in.practitioner_id = (*p)->id;
  in.intake = {"【演示】近两周空腹血糖偏高，想咨询是否需要调整用药", "2周", {"口渴", "多尿", "乏力"},
               "2型糖尿病 5 年，规律服用二甲双胍", "无", "二甲双胍 0.5g 每日两次", false, {}};
  auto c = svc.Start(*patient, in, meta);
  if (!c) {
    PrintError(c.error());
    return 1;
  }
  if (auto a = svc.Accept(*doctor, c->id, meta); !a) {
    PrintError(a.error());
    return 1;
  }
  const std::pair<const Principal*, const char*> chat[] = {
      {&*doctor, "【演示】您好，我是李医生。最近一周的空腹血糖大概是多少？"},
      {&*patient, "【演示】早上测了几次，在 8.5 到 9.2 之间。"},
      {&*doctor, "【演示】饮食和运动最近有变化吗？有没有漏服药物？"},
  };
  int n = 0;
  for (const auto& [who, text] : chat) {
    consultation::MessageInput m{"demo-" + std::to_string(++n), "text", text, std::nullopt, std::nullopt};
    if (auto r = svc.Send(*who, c->id, m); !r) {
      PrintError(r.error());
      return 1;
    }
  }
  std::cout << "Demo consultation (演示问诊) #" << c->id << ": 13800000002 with 演示·李医生 (13800000003)\n";
  return 0;
}

}  // namespace ihos::cli
