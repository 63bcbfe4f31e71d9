// ihos seed-demo, tests and home services part: demo nucleic-acid test sites in real
// regions (names start with 演示, demo = 1), hourly slots for the next 7 days, and the demo
// nurse's service area (Beijing). The home-service catalogue ships in migration 0021 with demo
// prices. Re-runnable: sites are added once, slots that exist are kept.
#include <iostream>

#include "core/clock.hpp"
#include "domain/accounts/service.hpp"
#include "domain/healthcode/service.hpp"
#include "domain/homecare/service.hpp"
#include "domain/nattest/service.hpp"
#include "domain/scheduling/rules.hpp"

namespace ihos::cli {

int SeedTestsHomecareDemo(store::Database& db) {
  SystemClock clock;
  domain::accounts::AccountService accounts(db, clock, {});
  domain::healthcode::HealthCodeService hc(db, clock, {});
  domain::nattest::NatTestService nat(db, clock, accounts, hc);
  domain::homecare::HomeCareService care(db, clock, accounts);
  const Principal system{0, "seed-demo", {"admin"}};
  struct Site {
    const char *name, *kind, *region, *address, *hours;
  } sites[] = {
      {"演示·东城区疾控中心采样点", "sampling_point", "110101", "北京市东城区演示路 3 号（演示地址）",
       "每天 08:00–12:00，14:00–18:00"},
      {"演示·市第一人民医院核酸采样点", "hospital", "110101", "北京市东城区演示路 1 号门诊楼北侧（演示地址）",
       "每天 08:00–12:00，14:00–18:00"},
      {"演示·朝阳社区核酸采样点", "sampling_point", "110105", "北京市朝阳区演示街 8 号（演示地址）",
       "每天 08:00–12:00，14:00–18:00"},
      {"演示·徐汇区便民采样点", "sampling_point", "310104", "上海市徐汇区演示路 66 号（演示地址）",
       "每天 08:00–12:00，14:00–18:00"},
      {"演示·天河区医院核酸门诊", "hospital", "440106", "广州市天河区演示大道 100 号（演示地址）",
       "每天 08:00–12:00，14:00–18:00"},
  };
  auto have = nat.DemoSiteIds();
  if (!have) {
    std::cerr << "seed-demo (tests): " << have.error().code << "\n";
    return 1;
  }
  std::vector<std::int64_t> ids = *have;
  if (ids.empty())
    for (const auto& s : sites) {
      auto site = nat.AddSite(system, {s.name, s.kind, s.region, s.address, s.hours}, /*demo=*/true);
      if (!site) {
        std::cerr << "seed-demo (tests): " << site.error().code << "\n";
        return 1;
      }
      ids.push_back(site->id);
    }
  const std::string today = CivilDateCst(clock.NowMs());
  std::int64_t created = 0;
  for (auto id : ids)
    for (const char* period : {"08:00-12:00", "14:00-18:00"}) {
      const std::string p(period);
      auto r = nat.AddSlots(id, {today, 7, p.substr(0, 5), p.substr(6, 5), 60, 30});
      if (!r) {
        std::cerr << "seed-demo (tests): " << r.error().code << "\n";
        return 1;
      }
      created += r->created;
    }
  // The demo nurse takes home orders anywhere in Beijing.
  auto nurse = accounts.Login("13800000022", "Demo2026ihos", RequestMeta{"seed-demo", "seed"});
  if (nurse) {
    (void)care.SetAreas(Principal{nurse->user.id, nurse->user.real_name, nurse->user.roles}, {"110000"});
    (void)accounts.Logout(nurse->token);
  }
  std::cout
      << "Tests and home services demo data (演示): " << ids.size() << " test sites (北京 东城/朝阳, 上海 徐汇, "
      << "广州 天河), " << created << " new hourly slots (30 places) for the next 7 days; home-service prices "
      << "are demo prices; 演示·门岗护士 serves 北京市.\n"
      << "  Book a test: /tests, home care: /homecare (演示·王芳); lab: /staff/testBookings (演示·检验科); nurse: "
         "/staff/homeVisits and /staff/natHomeVisits (演示·门岗护士); sites: /staff/testSites (演示·疾控中心).\n";
  return 0;
}

}  // namespace ihos::cli
