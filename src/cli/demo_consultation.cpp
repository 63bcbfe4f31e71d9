// `ihos seed-demo`: demo consultations (演示), so the doctor's workstation and the patient's
// chat show something on first start. Idempotent: nothing is added when the demo patient
// already has a consultation.
#include <iostream>

#include "cli/demo.hpp"
#include "core/events.hpp"
#include "domain/consultation/service.hpp"
#include "domain/directory/service.hpp"

namespace ihos::cli {

using namespace domain;

int SeedConsultationDemo(store::Database& db) {
  SystemClock clock;
  accounts::AccountService accounts(db, clock, {});
  directory::DirectoryService directory(db, clock, accounts, {});
  scheduling::SchedulingService scheduling(db, clock, accounts, {});
  auto bus = events::MakeLocalBus();
  consultation::ConsultationService svc(db, clock, *bus, accounts, directory, scheduling, {});
  const RequestMeta meta{"seed-demo", "cli"};

  auto patient = DemoPrincipal(db, "13800000002", {"patient"});
  auto doctor = DemoPrincipal(db, "13800000003", {"patient", "doctor"});
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
  // A follow-up (复诊) with a demo proof of the offline diagnosis, so the doctor can verify it and
  // prescribe (the proof is a placeholder card, visibly not a real record).
  auto proof = directory.Upload(*patient, "image/png", PlaceholderPng(0x2E7D32), "演示·门诊病历（占位图）.png");
  if (!proof) {
    PrintError(proof.error());
    return 1;
  }
  in.intake = {"【演示】近两周空腹血糖偏高，想咨询是否需要调整用药",
               "2周",
               {"口渴", "多尿", "乏力"},
               "2型糖尿病 5 年，规律服用二甲双胍（线下门诊确诊）",
               "",
               "二甲双胍 0.5g 每日两次",
               true,
               {proof->id}};
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
  // The doctor accepts the offline diagnosis and writes the record (when the ICD-10 catalogue is
  // loaded), so 开方 is open in the workstation.
  if (auto f = svc.DecideFollowUp(*doctor, c->id, "verified", "【演示】已核实线下门诊病历：2型糖尿病", meta); !f) {
    PrintError(f.error());
    return 1;
  }
  consultation::RecordInput rec{"【演示】空腹血糖偏高两周",
                                "【演示】2型糖尿病5年，二甲双胍0.5g bid，近两周空腹血糖8.5~9.2mmol/L", "E11.901",
                                "【演示】控制饮食，规律运动，监测血糖"};
  if (auto r = svc.WriteRecord(*doctor, c->id, rec, meta); !r)
    std::cout << "demo record skipped (" << r.error().code << "): import the ICD-10 catalogue first\n";
  std::cout << "Demo consultation (演示问诊) #" << c->id << ": 13800000002 with 演示·李医生 (13800000003)\n";
  return 0;
}

}  // namespace ihos::cli
