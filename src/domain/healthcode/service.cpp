#include "domain/healthcode/service.hpp"

#include "domain/healthcode/repository.hpp"

namespace ihos::domain::healthcode {

HealthCodeService::HealthCodeService(store::Database& db, const Clock& clock, Config config)
    : db_(db),
      clock_(clock),
      issuer_(db, clock, config),
      status_(db, clock, issuer_),
      facts_(db, clock, config, status_),
      authority_(db, clock, status_),
      gate_(db, clock, issuer_, status_) {}

Status HealthCodeService::Init() {
  auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    if (auto k = issuer_.EnsureKey(tx); !k) return k;
    return status_.EnsureRules(tx);
  });
  if (!st) return st;
  return issuer_.LoadKeys();
}

Status HealthCodeService::SeedDemo(std::int64_t now, const std::string& patient_phone) {
  return db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto have = repo::HasDemoVenues(tx);
    if (!have) return have.error();
    if (*have) return {};
    const VenueRow venues[] = {
        {0, "演示·东城医院门诊楼", "hospital", "110101", "演示地址", "demo-venue-hospital", true},
        {0, "演示·朝阳华联超市", "supermarket", "110105", "演示地址", "demo-venue-market", true},
        {0, "演示·北京南站", "station", "110106", "演示地址", "demo-venue-station", true}};
    for (const auto& v : venues)
      if (auto id = repo::InsertVenue(tx, v, std::nullopt, now); !id) return id.error();
    const RiskAreaRow area{
        0, "420106", "medium", CivilDateCst(now - 3 * kDayMs), std::nullopt, "演示数据 / demo risk area", true};
    if (auto id = repo::InsertRiskArea(tx, area, std::nullopt, now); !id) return id.error();
    auto patient = repo::PersonByPhone(tx, patient_phone);
    if (!patient) return patient.error();
    if (*patient) {
      const NewFact test{**patient,    "nat_test", "negative", now - 20LL * 3'600'000, std::nullopt, "DEMO-0001", "lab",
                         std::nullopt, now,        true};
      if (auto id = repo::InsertFact(tx, test); !id) return id.error();
    }
    return {};
  });
}

}  // namespace ihos::domain::healthcode
