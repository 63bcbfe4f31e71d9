// `ihos seed-demo`: the chronic-medicine need registry's demo (演示): a demo community worker
// (演示·社区网格员刘敏, 13800000061) registered for the demo patient's district, and an open need of
// the demo chronic patient 演示·王芳 for 氨氯地平 5mg placed beside the nearest demo pharmacy with
// that item in stock, so it is matched on first start. Idempotent (one open demo need at most).
// Runs after the demo formulary and the demo pharmacies.
#include <iostream>

#include "cli/demo.hpp"
#include "core/events.hpp"
#include "domain/consultation/service.hpp"
#include "domain/directory/service.hpp"
#include "domain/drugs/service.hpp"
#include "domain/needs/service.hpp"
#include "domain/pharmacy/service.hpp"

namespace ihos::cli {

using namespace domain;

int SeedNeedsDemo(store::Database& db) {
  SystemClock clock;
  accounts::AccountService accounts(db, clock, {});
  directory::DirectoryService directory(db, clock, accounts, {});
  scheduling::SchedulingService scheduling(db, clock, accounts, {});
  auto bus = events::MakeLocalBus();
  consultation::ConsultationService consultation(db, clock, *bus, accounts, directory, scheduling, {});
  drugs::DrugService drug_svc(db, clock);
  pharmacy::PharmacyService pharmacies(db, clock, accounts);
  needs::NeedService svc(db, clock, accounts, drug_svc, pharmacies, consultation, {});

  auto patient = DemoPrincipal(db, "13800000002", {"patient"});
  auto admin = DemoPrincipal(db, "13800000001", {"admin"});
  if (!patient || !admin) return 0;
  // The demo community worker: an ordinary account, registered as a worker (no role is added).
  const std::string password = "Demo2026ihos";
  auto made = accounts.Register({"13800000061", password, "演示·社区网格员刘敏", DemoIdNumber("19760408", "061"), std::nullopt},
                                RequestMeta{"seed-demo", "cli"});
  if (!made && made.error().code != "phone_taken" && made.error().code != "id_number_taken") {
    PrintError(made.error());
    return 1;
  }
  auto worker = DemoPrincipal(db, "13800000061", {"patient"});
  if (!worker) return 0;

  drugs::DrugQuery q;
  q.q = "氨氯地平";
  auto items = drug_svc.SearchFormulary(q);
  if (!items || items->empty()) {
    std::cout << "  needs: skipped (no demo formulary: run `ihos drugs import` first)\n";
    return 0;
  }
  const auto& item = items->front();
  // Beside the nearest demo pharmacy that has the item (北京市朝阳区 centre when none is found).
  double lat = 39.921470, lon = 116.443108;
  pharmacy::NearbyQuery nq;
  nq.lat = lat;
  nq.lon = lon;
  nq.radius_m = 50000;
  nq.basket = {{item.id, 2}};
  nq.open_now = false;
  nq.limit = 1;
  std::string region = "110105";
  if (auto near = pharmacies.Nearby(nq); near && !near->empty()) {
    const auto& p = near->front().pharmacy;
    lat = p.lat + 0.004;  // about 450 m north
    lon = p.lon;
    region = p.region_code;
  }
  auto st = svc.SeedDemo(worker->user_id, admin->user_id, patient->user_id, item.id, region,
                         static_cast<std::int64_t>(lat * 1e6), static_cast<std::int64_t>(lon * 1e6));
  if (!st) {
    PrintError(st.error());
    return 1;
  }
  std::cout << "  needs: 演示·王芳 needs " << item.drug.name << " " << item.strength
            << "; community worker 13800000061 演示·社区网格员刘敏\n";
  return 0;
}

}  // namespace ihos::cli
