// The cross-capability stock methods (reserve, release, dispense, return) and nearby search.
// Every stock change of an item at a pharmacy first locks its pharmacy_items row (LockItem:
// FOR UPDATE on PostgreSQL; SQLite write transactions are serial), reads the levels, decides,
// then appends moves (AppendMove keeps the levels): so two changes of the same item never
// decide on the same figures, and stock never goes negative.
#include "domain/pharmacy/service.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "domain/pharmacy/repository.hpp"
#include "domain/pharmacy/rules.hpp"

namespace ihos::domain::pharmacy {

namespace {

Error Conflict(std::string code, std::string detail = {}) {
  return MakeError(Errc::conflict, std::move(code), std::move(detail));
}

// Outstanding reservations per (pharmacy, item) under a ref, from its moves.
std::map<std::pair<std::int64_t, std::int64_t>, std::int64_t> Outstanding(const std::vector<StockMove>& moves) {
  std::map<std::pair<std::int64_t, std::int64_t>, std::int64_t> out;
  for (const auto& m : moves) out[{m.pharmacy_id, m.formulary_item_id}] += m.reserved_delta;
  return out;
}

// Locks every (pharmacy, item) the ref's moves touch, in key order, then reads the moves again:
// what is decided from them cannot change until the transaction ends.
Result<std::vector<StockMove>> LockedMovesOfRef(store::Tx& tx, const std::string& ref) {
  auto moves = repo::MovesOfRef(tx, ref);
  if (!moves) return moves.error();
  if (moves->empty()) return moves;
  std::map<std::pair<std::int64_t, std::int64_t>, bool> keys;
  for (const auto& m : *moves) keys[{m.pharmacy_id, m.formulary_item_id}] = true;
  for (const auto& [k, _] : keys)
    if (auto row = repo::LockItem(tx, k.first, k.second); !row) return row.error();
  return repo::MovesOfRef(tx, ref);
}

std::int64_t Unexpired(const std::vector<Batch>& batches, const std::string& today) {
  std::int64_t n = 0;
  for (const auto& b : batches)
    if (!Expired(b.expiry_date, today)) n += b.on_hand;
  return n;
}

}  // namespace

PharmacyService::PharmacyService(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
PharmacyService::PharmacyService(store::Database& db, const Clock& clock, accounts::AccountService& accounts)
    : db_(db), clock_(clock), accounts_(&accounts) {}

bool PharmacyService::OpenNow(const Pharmacy& p) const { return OpenAt(p.status, p.hours, clock_.NowMs()); }

Result<std::vector<NearbyPharmacy>> PharmacyService::Nearby(const NearbyQuery& q) {
  std::vector<FieldError> errs;
  if (!(q.lat >= -90 && q.lat <= 90)) errs.push_back({"lat", "out_of_range"});
  if (!(q.lon >= -180 && q.lon <= 180)) errs.push_back({"lon", "out_of_range"});
  if (q.radius_m < 1 || q.radius_m > kMaxRadiusM) errs.push_back({"radius_m", "out_of_range"});
  if (q.basket.size() > kMaxBasketLines) errs.push_back({"items", "too_many"});
  for (const auto& l : q.basket)
    if (l.formulary_item_id <= 0 || l.quantity < 1 || l.quantity > kMaxQuantity) {
      errs.push_back({"items", "invalid"});
      break;
    }
  if (q.limit < 1 || q.limit > 100) errs.push_back({"limit", "out_of_range"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  const auto basket = MergeLines(q.basket);
  const std::int64_t now = clock_.NowMs();
  const std::string today = CivilDateCst(now);
  const int weekday = WeekdayOf(today);
  const auto minute = static_cast<int>((now - CstMs(today, 0)) / 60'000);
  const Box box = BoundingBox(q.lat, q.lon, q.radius_m);
  return db_.With<std::vector<NearbyPharmacy>>(
      store::TxMode::read, [&](store::Tx& tx) -> Result<std::vector<NearbyPharmacy>> {
        auto cands = repo::InBox(tx, box.min_lat, box.max_lat, box.min_lon, box.max_lon, q.open_now, weekday, minute);
        if (!cands) return cands.error();
        std::vector<NearbyPharmacy> near;
        for (auto& c : *cands) {
          const double d = HaversineM(q.lat, q.lon, c.pharmacy.lat, c.pharmacy.lon);
          if (d > static_cast<double>(q.radius_m)) continue;
          NearbyPharmacy n;
          n.distance_m = std::llround(d);
          n.open_now = c.open_now;
          n.delivers_here = c.pharmacy.delivers && n.distance_m <= c.pharmacy.delivery_radius_m;
          if (q.delivery_only && !n.delivers_here) continue;
          n.delivery_fee_fen = n.delivers_here ? c.pharmacy.delivery_fee_fen : 0;
          n.pharmacy = std::move(c.pharmacy);
          near.push_back(std::move(n));
        }
        std::sort(near.begin(), near.end(), [](const NearbyPharmacy& a, const NearbyPharmacy& b) {
          return a.distance_m != b.distance_m ? a.distance_m < b.distance_m : a.pharmacy.id < b.pharmacy.id;
        });
        std::vector<NearbyPharmacy> out;
        // Pharmacies closed now (asked for with open_now = false) say when they open next.
        auto with_opening = [&](std::vector<NearbyPharmacy>& list) -> Status {
          if (q.open_now) return {};
          for (auto& n : list) {
            if (n.open_now) {
              n.next_open_at = now;
              continue;
            }
            auto hours = repo::HoursOf(tx, n.pharmacy.id);
            if (!hours) return hours.error();
            n.pharmacy.hours = std::move(*hours);
            n.next_open_at = NextOpening(n.pharmacy.status, n.pharmacy.hours, now);
          }
          return {};
        };
        if (basket.empty()) {
          if (near.size() > static_cast<std::size_t>(q.limit)) near.resize(q.limit);
          for (auto& n : near) n.complete = true;
          if (auto st = with_opening(near); !st) return st.error();
          return near;
        }
        std::vector<std::int64_t> items;
        for (const auto& l : basket) items.push_back(l.formulary_item_id);
        // Stock is read for the nearest first, a few times the limit at a time, until the limit is met.
        const std::size_t step = std::max<std::size_t>(4 * q.limit, 64);
        for (std::size_t at = 0; at < near.size() && out.size() < static_cast<std::size_t>(q.limit); at += step) {
          std::vector<std::int64_t> ids;
          for (std::size_t i = at; i < std::min(near.size(), at + step); ++i) ids.push_back(near[i].pharmacy.id);
          auto supply = repo::SupplyOf(tx, ids, items, today);
          if (!supply) return supply.error();
          for (std::size_t i = at;
               i < std::min(near.size(), at + step) && out.size() < static_cast<std::size_t>(q.limit); ++i) {
            NearbyPharmacy& n = near[i];
            bool complete = true, any = false;
            for (const auto& l : basket) {
              std::int64_t can = 0;
              if (auto it = supply->find({n.pharmacy.id, l.formulary_item_id});
                  it != supply->end() && it->second.price_fen) {
                can = std::clamp<std::int64_t>(it->second.unexpired - it->second.reserved, 0, l.quantity);
                n.basket_fen += can * *it->second.price_fen;
              }
              if (can < l.quantity) complete = false;
              if (can > 0) any = true;
              n.available.push_back({l.formulary_item_id, can});
            }
            n.complete = complete;
            if (complete || (!q.complete_only && any)) out.push_back(std::move(n));
          }
        }
        if (auto st = with_opening(out); !st) return st.error();
        return out;
      });
}

Result<std::optional<Pharmacy>> PharmacyService::FindPharmacy(store::Tx& tx, std::int64_t pharmacy_id) {
  return repo::FindPharmacy(tx, pharmacy_id);
}

Result<std::optional<std::string>> PharmacyService::StaffDuty(store::Tx& tx, std::int64_t user_id,
                                                              std::int64_t pharmacy_id) {
  return repo::StaffDuty(tx, user_id, pharmacy_id);
}

Result<std::vector<std::int64_t>> PharmacyService::PharmaciesOf(store::Tx& tx, std::int64_t user_id) {
  return repo::PharmaciesOf(tx, user_id);
}

Result<std::vector<std::optional<std::int64_t>>> PharmacyService::Prices(store::Tx& tx, std::int64_t pharmacy_id,
                                                                         const std::vector<BasketLine>& lines) {
  std::vector<std::int64_t> ids;
  for (const auto& l : lines) ids.push_back(l.formulary_item_id);
  return repo::Prices(tx, pharmacy_id, ids);
}

Status PharmacyService::Reserve(store::Tx& tx, std::int64_t pharmacy_id, const std::string& ref,
                                const std::vector<BasketLine>& lines, std::int64_t now_ms) {
  return Reserve(tx, pharmacy_id, ref, lines, now_ms, {});
}

Status PharmacyService::Reserve(store::Tx& tx, std::int64_t pharmacy_id, const std::string& ref,
                                const std::vector<BasketLine>& lines, std::int64_t now_ms,
                                const std::vector<std::string>& release_refs) {
  if (ref.empty() || lines.empty()) return ValidationFailed({{ref.empty() ? "ref" : "lines", "required"}});
  auto merged = MergeLines(lines);
  for (const auto& l : merged)
    if (l.quantity < 1 || l.formulary_item_id <= 0) return ValidationFailed({{"lines", "invalid"}});
  // Items in id order, so two reservations of the same items lock them in the same order.
  std::sort(merged.begin(), merged.end(),
            [](const BasketLine& a, const BasketLine& b) { return a.formulary_item_id < b.formulary_item_id; });
  if (!release_refs.empty()) {
    // Every (pharmacy, item) this transaction changes is locked first, in (pharmacy, item) order,
    // the order every other stock change takes its locks in; then the replaced refs are released.
    std::set<std::pair<std::int64_t, std::int64_t>> keys;
    for (const auto& l : merged) keys.insert({pharmacy_id, l.formulary_item_id});
    for (const auto& r : release_refs) {
      auto moves = repo::MovesOfRef(tx, r);
      if (!moves) return moves.error();
      for (const auto& m : *moves) keys.insert({m.pharmacy_id, m.formulary_item_id});
    }
    for (const auto& [p, item] : keys)
      if (auto row = repo::LockItem(tx, p, item); !row) return row.error();
    for (const auto& r : release_refs)
      if (auto st = Release(tx, r, now_ms); !st) return st;
  }
  const std::string today = CivilDateCst(now_ms);
  std::string short_items;
  for (const auto& l : merged) {
    auto row = repo::LockItem(tx, pharmacy_id, l.formulary_item_id);
    if (!row) return row.error();
    std::int64_t available = 0;
    if (*row) {
      auto batches = repo::Batches(tx, pharmacy_id, l.formulary_item_id);
      if (!batches) return batches.error();
      available = Unexpired(*batches, today) - (*row)->reserved;
    }
    if (available < l.quantity)
      short_items += (short_items.empty() ? "" : ",") + std::to_string(l.formulary_item_id) + ":" +
                     std::to_string(std::max<std::int64_t>(available, 0));
  }
  // Checked under the locks: a ref reserved before (by a transaction that committed meanwhile).
  auto prior = repo::MovesOfRef(tx, ref);
  if (!prior) return prior.error();
  for (const auto& m : *prior)
    if (m.kind == "reserved") return {};
  if (!short_items.empty()) return Conflict("stock_insufficient", "item:available " + short_items);
  for (const auto& l : merged) {
    StockMove m;
    m.pharmacy_id = pharmacy_id;
    m.formulary_item_id = l.formulary_item_id;
    m.kind = "reserved";
    m.reserved_delta = l.quantity;
    m.ref = ref;
    m.at = now_ms;
    if (auto id = repo::AppendMove(tx, m); !id) return id.error();
  }
  return {};
}

Status PharmacyService::Release(store::Tx& tx, const std::string& ref, std::int64_t now_ms) {
  auto moves = LockedMovesOfRef(tx, ref);
  if (!moves) return moves.error();
  for (const auto& [key, qty] : Outstanding(*moves)) {
    if (qty <= 0) continue;
    StockMove m;
    m.pharmacy_id = key.first;
    m.formulary_item_id = key.second;
    m.kind = "released";
    m.reserved_delta = -qty;
    m.ref = ref;
    m.at = now_ms;
    if (auto id = repo::AppendMove(tx, m); !id) return id.error();
  }
  return {};
}

Result<std::vector<DispensedBatch>> PharmacyService::Dispense(store::Tx& tx, const std::string& ref,
                                                              std::int64_t by_user, std::int64_t now_ms) {
  auto moves = LockedMovesOfRef(tx, ref);
  if (!moves) return moves.error();
  const auto outstanding = Outstanding(*moves);
  const std::string today = CivilDateCst(now_ms);
  std::vector<std::pair<std::pair<std::int64_t, std::int64_t>, std::vector<Take>>> plan;
  for (const auto& [key, qty] : outstanding) {
    if (qty <= 0) continue;
    auto batches = repo::Batches(tx, key.first, key.second);
    if (!batches) return batches.error();
    auto takes = PickFefo(*batches, qty, today);
    if (takes.empty()) return Conflict("stock_insufficient", "item " + std::to_string(key.second));
    plan.push_back({key, std::move(takes)});
  }
  if (plan.empty()) return Conflict("stock_not_reserved");
  std::vector<DispensedBatch> out;
  for (const auto& [key, takes] : plan)
    for (const auto& t : takes) {
      StockMove m;
      m.pharmacy_id = key.first;
      m.formulary_item_id = key.second;
      m.kind = "dispensed";
      m.batch_no = t.batch_no;
      m.expiry_date = t.expiry_date;
      m.on_hand_delta = -t.quantity;
      m.reserved_delta = -t.quantity;
      m.ref = ref;
      m.by_user = by_user;
      m.at = now_ms;
      if (auto id = repo::AppendMove(tx, m); !id) return id.error();
      out.push_back({key.second, t.batch_no, t.expiry_date, t.quantity});
    }
  return out;
}

Result<ScanCheck> PharmacyService::CheckScans(store::Tx& tx, std::int64_t pharmacy_id,
                                              const std::vector<BasketLine>& ordered,
                                              const std::vector<std::string>& codes, std::int64_t now_ms) {
  std::vector<ItemBatch> batches;
  std::vector<std::pair<std::int64_t, std::int64_t>> want;
  for (const auto& l : MergeLines(ordered)) {
    want.emplace_back(l.formulary_item_id, l.quantity);
    auto bs = repo::Batches(tx, pharmacy_id, l.formulary_item_id);
    if (!bs) return bs.error();
    for (const auto& b : *bs) batches.push_back({l.formulary_item_id, b.batch_no, b.expiry_date, b.on_hand});
  }
  // Codes naming a batch of another item (batch_wrong_drug); each distinct code asked once.
  std::set<std::string> asked;
  for (const auto& c : codes) {
    std::string code = c;
    while (!code.empty() && (code.back() == ' ' || code.back() == '\n' || code.back() == '\r' || code.back() == '\t'))
      code.pop_back();
    code.erase(0, code.find_first_not_of(" \t"));
    if (code.empty() || !asked.insert(code).second) continue;
    auto named = repo::BatchesNamed(tx, pharmacy_id, code);
    if (!named) return named.error();
    for (const auto& b : *named) {
      bool have = false;
      for (const auto& x : batches) have = have || (x.formulary_item_id == b.formulary_item_id && x.batch_no == b.batch_no);
      if (!have) batches.push_back(b);
    }
  }
  return pharmacy::CheckScans(want, codes, batches, CivilDateCst(now_ms));
}

Result<std::vector<DispensedBatch>> PharmacyService::DispenseScanned(store::Tx& tx, const std::string& ref,
                                                                     const std::vector<std::string>& codes,
                                                                     std::int64_t by_user, std::int64_t now_ms) {
  auto moves = LockedMovesOfRef(tx, ref);
  if (!moves) return moves.error();
  std::int64_t pharmacy_id = 0;
  std::vector<BasketLine> ordered;
  for (const auto& [key, qty] : Outstanding(*moves)) {
    if (qty <= 0) continue;
    pharmacy_id = key.first;
    ordered.push_back({key.second, qty});
  }
  if (ordered.empty()) return Conflict("stock_not_reserved");
  auto check = CheckScans(tx, pharmacy_id, ordered, codes, now_ms);
  if (!check) return check.error();
  if (auto refusal = ScanRefusal(*check, true)) return *refusal;
  // Boxes per batch, in the order first scanned.
  std::vector<DispensedBatch> out;
  for (const auto& box : check->scans) {
    auto it = std::find_if(out.begin(), out.end(), [&](const DispensedBatch& d) {
      return d.formulary_item_id == box.formulary_item_id && d.batch_no == box.batch_no;
    });
    if (it != out.end())
      ++it->quantity;
    else
      out.push_back({box.formulary_item_id, box.batch_no, box.expiry_date, 1});
  }
  for (const auto& d : out) {
    StockMove m;
    m.pharmacy_id = pharmacy_id;
    m.formulary_item_id = d.formulary_item_id;
    m.kind = "dispensed";
    m.batch_no = d.batch_no;
    m.expiry_date = d.expiry_date;
    m.on_hand_delta = -d.quantity;
    m.reserved_delta = -d.quantity;
    m.ref = ref;
    m.by_user = by_user;
    m.at = now_ms;
    if (auto id = repo::AppendMove(tx, m); !id) return id.error();
  }
  return out;
}

Status PharmacyService::Return(store::Tx& tx, const std::string& ref, std::int64_t by_user, std::int64_t now_ms) {
  auto moves = LockedMovesOfRef(tx, ref);
  if (!moves) return moves.error();
  // Per batch: dispensed (negative) plus returned (positive) = what is still out.
  std::map<std::tuple<std::int64_t, std::int64_t, std::string>, std::pair<std::int64_t, std::string>> out;
  for (const auto& m : *moves)
    if (m.kind == "dispensed" || m.kind == "returned") {
      auto& v = out[{m.pharmacy_id, m.formulary_item_id, m.batch_no}];
      v.first += m.on_hand_delta;
      v.second = m.expiry_date;
    }
  for (const auto& [key, v] : out) {
    if (v.first >= 0) continue;
    StockMove m;
    m.pharmacy_id = std::get<0>(key);
    m.formulary_item_id = std::get<1>(key);
    m.kind = "returned";
    m.batch_no = std::get<2>(key);
    m.expiry_date = v.second;
    m.on_hand_delta = -v.first;
    m.ref = ref;
    m.by_user = by_user;
    m.at = now_ms;
    if (auto id = repo::AppendMove(tx, m); !id) return id.error();
  }
  return {};
}

}  // namespace ihos::domain::pharmacy
