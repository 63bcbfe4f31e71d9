// ihos seed-demo, health-code part: demo staff (lab, health authority, gate nurse), demo venues,
// a demo risk area and a demo negative test for the demo patient. Every row is labelled demo
// (names start with 演示, demo = 1). Idempotent.
#include <iostream>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/resident_id.hpp"
#include "domain/accounts/service.hpp"
#include "domain/healthcode/service.hpp"

namespace ihos::cli {

int SeedHealthCodeDemo(store::Database& db) {
  SystemClock clock;
  domain::accounts::AccountService svc(db, clock, {});
  const std::string password = "Demo2026ihos";
  auto admin_login = svc.Login("13800000001", password, RequestMeta{"seed-demo", "seed"});
  if (!admin_login) return 0;  // no demo admin: nothing to attach staff to
  Principal admin{admin_login->user.id, admin_login->user.real_name, admin_login->user.roles};
  struct Staff {
    const char *phone, *name, *birth, *seq, *role;
  } staff[] = {{"13800000020", "演示·检验科", "19870202", "064", "lab"},
               {"13800000021", "演示·疾控中心", "19760808", "075", "health_authority"},
               {"13800000022", "演示·门岗护士", "19930303", "086", "nurse"}};
  for (const auto& s : staff) {
    const std::string first17 = std::string("110105") + s.birth + s.seq;
    auto u = svc.Register({s.phone, password, s.name, first17 + ResidentIdCheckChar(first17), std::nullopt},
                          RequestMeta{"seed-demo", "cli"});
    if (u) (void)svc.GrantRole(admin, u->id, s.role, RequestMeta{"seed-demo", ""});
    std::cout << "  " << s.role << "\t" << s.phone << "\t" << s.name << (u ? "" : " (already present)") << "\n";
  }
  (void)svc.Logout(admin_login->token);
  auto st = domain::healthcode::HealthCodeService(db, clock, {}).SeedDemo(clock.NowMs(), "13800000002");
  if (!st) {
    std::cerr << "seed-demo (health code): " << st.error().code << "\n";
    return 1;
  }
  std::cout
      << "Health-code demo data (演示): 3 venues, a medium-risk area (武昌区 420106), a negative test for 演示·王芳.\n"
         "  Gate scanner: /gate (演示·门岗护士); my code: /healthcode (演示·王芳).\n";
  return 0;
}

}  // namespace ihos::cli
