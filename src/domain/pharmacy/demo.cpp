// The demo seed: demo pharmacies (flag demo, names starting 演示) a short walk from real county
// centres (../shared/data/china_admin_divisions/divisions_province_city_county.csv, GCJ-02, from
// Vonng/adcode, CC BY 4.0), with hours, delivery, demo prices and stock of the demo formulary's
// chronic-disease items, one of them nearly out of stock, and a demo staff member. Demo licence
// numbers start with 演示 so they can never match a real 药品经营许可证.
#include <iostream>

#include "domain/pharmacy/repository.hpp"
#include "domain/pharmacy/service.hpp"

namespace ihos::domain::pharmacy {

namespace {

struct DemoPharmacy {
  const char* name;
  const char* licence;
  const char* region;
  const char* address;
  double lat, lon;  // county centre + a small offset
  bool all_day;
  const char* status;
  const char* note;
  std::int64_t radius_m, fee_fen;
};

// County centres: 110105 朝阳区 (39.921506, 116.443205), 420103 江汉区 (30.601475, 114.270867),
// 420102 江岸区 (30.600052, 114.30911), 420106 武昌区 (30.554408, 114.31665), 420111 洪山区
// (30.500247, 114.343796).
const DemoPharmacy kPharmacies[] = {
    {"演示·朝阳大药房（三里屯店）", "演示-京CA0000001", "110105", "北京市朝阳区（演示地址）", 39.921506 + 0.004,
     116.443205 + 0.006, false, "open", "", 3000, 600},
    {"演示·朝阳社区药房（24小时）", "演示-京CA0000002", "110105", "北京市朝阳区（演示地址）", 39.921506 - 0.006,
     116.443205 - 0.004, true, "open", "", 5000, 800},
    {"演示·江汉大药房", "演示-鄂CB0000001", "420103", "湖北省武汉市江汉区（演示地址）", 30.601475 + 0.003,
     114.270867 + 0.004, false, "open", "", 3000, 500},
    {"演示·江岸平价药房", "演示-鄂CB0000002", "420102", "湖北省武汉市江岸区（演示地址）", 30.600052 - 0.004,
     114.30911 + 0.002, true, "open", "", 4000, 600},
    {"演示·武昌中心药房", "演示-鄂CB0000003", "420106", "湖北省武汉市武昌区（演示地址）", 30.554408 + 0.002,
     114.31665 - 0.003, false, "open", "", 3000, 500},
    {"演示·洪山社区药房", "演示-鄂CB0000004", "420111", "湖北省武汉市洪山区（演示地址）", 30.500247 + 0.001,
     114.343796 + 0.001, false, "temporarily_closed", "演示：店内消杀，暂停营业至另行通知", 3000, 500},
};

}  // namespace

Result<std::vector<std::string>> PharmacyService::SeedDemo(const std::vector<DemoStock>& items,
                                                           std::optional<std::int64_t> staff_user_id) {
  const std::int64_t now = clock_.NowMs();
  const std::string year_on = AddDays(CivilDateCst(now), 400);
  const std::string soon = AddDays(CivilDateCst(now), 45);
  std::vector<std::string> names;
  auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    names.clear();
    int n = 0;
    for (const auto& d : kPharmacies) {
      ++n;
      auto existing = repo::PharmacyByLicence(tx, d.licence);
      if (!existing) return existing.error();
      if (*existing) continue;
      Pharmacy p;
      p.name = d.name;
      p.licence_no = d.licence;
      p.region_code = d.region;
      p.address = d.address;
      p.lat = d.lat;
      p.lon = d.lon;
      p.status = d.status;
      p.status_note = d.note;
      p.delivers = true;
      p.delivery_radius_m = d.radius_m;
      p.delivery_fee_fen = d.fee_fen;
      p.pickup_counter = "1 号窗口（演示）";
      p.phone = "027-0000000" + std::to_string(n);
      p.demo = true;
      for (int w = 1; w <= 7; ++w) p.hours.push_back({w, d.all_day ? 0 : 8 * 60, d.all_day ? 1440 : 22 * 60});
      auto id = repo::InsertPharmacy(tx, p, now);
      if (!id) return id.error();
      int k = 0;
      for (const auto& item : items) {
        ++k;
        // The first pharmacy is nearly out of the first item (2 boxes); others hold 20-60 boxes in
        // two batches, the earlier one near expiry.
        const std::int64_t qty = (n == 1 && k == 1) ? 2 : 20 + 5 * ((n + k) % 9);
        Receipt r{item.formulary_item_id,
                  "DEMO-" + std::to_string(n) + "-" + std::to_string(k) + "A",
                  soon,
                  std::max<std::int64_t>(1, qty / 4),
                  std::nullopt,
                  item.price_fen + 100 * ((n + k) % 3)};
        if (n == 1 && k == 1) r.quantity = qty;
        auto m = ReceiveIn(tx, *id, r, std::nullopt, now);
        if (!m) return m.error();
        if (!(n == 1 && k == 1)) {
          r.batch_no = "DEMO-" + std::to_string(n) + "-" + std::to_string(k) + "B";
          r.expiry_date = year_on;
          r.quantity = qty - qty / 4;
          r.price_fen.reset();
          if (auto m2 = ReceiveIn(tx, *id, r, std::nullopt, now); !m2) return m2.error();
        }
      }
      if (n == 1 && staff_user_id)
        if (auto s = AddStaffIn(tx, *id, *staff_user_id, "manager", std::nullopt, now); !s) return s;
      names.push_back(d.name);
    }
    return {};
  });
  if (!st) return st.error();
  return names;
}

}  // namespace ihos::domain::pharmacy
