// Demo billing for `ihos seed-demo`: a demo insurance policy for the demo patient's region (北京市
// 朝阳区, 110105, the region of the demo ID numbers) and the demo patient 王芳 insured as an employee
// (城镇职工) with a demo personal-account balance. Every policy made here is flagged demo.
#include <iostream>

#include "cli/demo.hpp"
#include "domain/billing/demo_provider.hpp"
#include "domain/billing/service.hpp"

namespace ihos::cli {

int SeedDemoBilling(store::Database& db, domain::accounts::AccountService& accounts) {
  SystemClock clock;
  domain::billing::DemoProvider demo(db, clock, {});
  domain::billing::BillingService billing(db, clock, accounts, demo, {});
  auto patient = DemoPrincipal(db, "13800000002", {"patient"});
  if (!patient) return 0;
  if (auto st = billing.SeedDemo(patient->user_id, "110105"); !st) {
    PrintError(st.error());
    return 1;
  }
  std::cout << "  billing: 演示·王芳 insured (城镇职工, 北京市朝阳区, demo policy and personal account)\n";
  return 0;
}

}  // namespace ihos::cli
