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
    auto u = svc.Register({s.phone, password, s.name, first17 + ResidentIdCheckChar(first17)}, RequestMeta{"seed-demo", "cli"});
    if (u) (void)svc.GrantRole(admin, u->id, s.role, RequestMeta{"seed-demo", ""});
    std::cout << "  " << s.role << "\t" << s.phone << "\t" << s.name << (u ? "" : " (already present)") << "\n";
  }
  (void)svc.Logout(admin_login->token);
  const std::int64_t now = clock.NowMs();
  auto st = db.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto have = tx.Query("SELECT COUNT(*) FROM hc_venues WHERE demo = 1");
    if (!have) return have.error();
    if ((*have)[0].Int(0) > 0) return {};
    const char* venues[][4] = {{"演示·东城医院门诊楼", "hospital", "110101", "demo-venue-hospital"},
                               {"演示·朝阳华联超市", "supermarket", "110105", "demo-venue-market"},
                               {"演示·北京南站", "station", "110106", "demo-venue-station"}};
    for (const auto& v : venues) {
      auto r = tx.Exec(
          "INSERT INTO hc_venues (name, kind, region_code, address, code, created_at, demo) VALUES ($1, $2, $3, '演示地址', $4, $5, 1)",
          {v[0], v[1], v[2], v[3], now});
      if (!r) return r.error();
    }
    auto ra = tx.Exec(
        "INSERT INTO hc_risk_areas (region_code, level, start_date, note, set_at, demo) VALUES ('420106', 'medium', $1, "
        "'演示数据 / demo risk area', $2, 1)",
        {CivilDateCst(now - 3LL * 86'400'000), now});
    if (!ra) return ra.error();
    auto p = tx.Query("SELECT id FROM users WHERE phone = '13800000002'");
    if (!p) return p.error();
    if (!p->empty()) {
      auto f = tx.Exec(
          "INSERT INTO hc_facts (user_id, kind, value, occurred_at, detail, source, entered_at, demo) "
          "VALUES ($1, 'nat_test', 'negative', $2, 'DEMO-0001', 'lab', $3, 1)",
          {(*p)[0].Int(0), now - 20LL * 3'600'000, now});
      if (!f) return f.error();
    }
    return {};
  });
  if (!st) {
    std::cerr << "seed-demo (health code): " << st.error().code << "\n";
    return 1;
  }
  std::cout << "Health-code demo data (演示): 3 venues, a medium-risk area (武昌区 420106), a negative test for 演示·王芳.\n"
               "  Gate scanner: /gate (演示·门岗护士); my code: /healthcode (演示·王芳).\n";
  return 0;
}

}  // namespace ihos::cli
