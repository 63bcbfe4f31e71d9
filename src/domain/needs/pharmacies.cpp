// NeedService: matching to pharmacies, pharmacy staff's view and answers, the sweeper, the
// shortage map, community workers and the demo seed.
#include <algorithm>

#include "core/civil_time.hpp"
#include "core/log.hpp"
#include "core/regions.hpp"
#include "domain/needs/repository.hpp"
#include "domain/needs/rules.hpp"
#include "domain/needs/service.hpp"
#include "domain/needs/service_internal.hpp"

namespace ihos::domain::needs {
using internal::Conflict;
using internal::NotFound;

namespace {
constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int kNearbyLimit = 500;
constexpr int kSweepBatch = 50;

std::string Names(const std::vector<Match>& ms) {
  std::string out;
  for (std::size_t i = 0; i < ms.size() && i < 3; ++i) out += (i ? "、" : "") + ms[i].pharmacy_name;
  return out;
}
}  // namespace

Result<int> NeedService::Match(std::int64_t need_id) {
  auto n = db_.With<Need>(store::TxMode::read, [&](store::Tx& tx) { return Load(tx, need_id, false); });
  if (!n) return n.error();
  if (n->status != "open") return 0;
  std::vector<needs::Match> found;
  std::int64_t radius = 0;
  for (const std::int64_t r : config_.match_radii_m) {
    radius = r;
    pharmacy::NearbyQuery q;
    q.lat = static_cast<double>(n->lat_e6) / 1e6;
    q.lon = static_cast<double>(n->lon_e6) / 1e6;
    q.radius_m = r;
    q.basket = {{n->formulary_item_id, n->quantity}};
    q.open_now = false;       // a pharmacy closed tonight can still supply tomorrow
    q.complete_only = false;  // some boxes now are better than none
    q.limit = 20;
    auto near = pharmacy_.Nearby(q);
    if (!near) return near.error();
    for (const auto& p : *near) {
      const std::int64_t avail = p.available.empty() ? 0 : p.available.front().quantity;
      if (avail <= 0 || p.pharmacy.status != "open") continue;  // closed or temporarily closed
      found.push_back({p.pharmacy.id, p.pharmacy.name, p.distance_m, avail, 0});
    }
    if (!found.empty()) break;
  }
  const std::int64_t now = clock_.NowMs();
  auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto cur = Load(tx, need_id, false);
    if (!cur) return cur.error();
    if (cur->status != "open") return {};
    auto fresh = repo::ReplaceMatches(tx, need_id, found, radius, now);
    if (!fresh) return fresh.error();
    if (fresh->empty()) return {};
    const std::string n_zh = std::to_string(found.size()), names = Names(*fresh);
    return Notify(tx, *cur, "need_matched", "附近药店有货：" + cur->drug_name, "In stock nearby: " + cur->drug_name,
                  "您登记的 " + cur->drug_name + " 在附近 " + n_zh + " 家药店有货：" + names + "。",
                  cur->drug_name + " is in stock at " + n_zh + " pharmacies near you: " + names + ".", now);
  });
  if (!st) return st.error();
  return static_cast<int>(found.size());
}

Result<std::pair<pharmacy::Pharmacy, std::vector<NearbyNeed>>> NeedService::NearPharmacy(
    const Principal& actor, std::optional<std::int64_t> pharmacy_id) {
  using Out = std::pair<pharmacy::Pharmacy, std::vector<NearbyNeed>>;
  return db_.With<Out>(store::TxMode::read, [&](store::Tx& tx) -> Result<Out> {
    auto mine = pharmacy_.PharmaciesOf(tx, actor.user_id);
    if (!mine) return mine.error();
    if (mine->empty()) return NotFound();
    const std::int64_t pid = pharmacy_id.value_or(mine->front());
    if (std::find(mine->begin(), mine->end(), pid) == mine->end()) return NotFound();
    auto p = pharmacy_.FindPharmacy(tx, pid);
    if (!p) return p.error();
    if (!*p) return NotFound();
    const auto lat = static_cast<std::int64_t>((*p)->lat * 1e6), lon = static_cast<std::int64_t>((*p)->lon * 1e6);
    const std::int64_t area = config_.pharmacy_area_m;
    const std::int64_t dlat = LatSpanE6(area), dlon = LonSpanE6(area, lat);
    auto open = repo::OpenInBox(tx, lat - dlat, lat + dlat, lon - dlon, lon + dlon, kNearbyLimit);
    if (!open) return open.error();
    std::vector<NearbyNeed> out;
    for (const auto& n : *open) {
      const std::int64_t d = DistanceM(lat, lon, n.lat_e6, n.lon_e6);
      if (d > area) continue;
      NearbyNeed nn{n.id,      n.formulary_item_id,  n.drug_name,  n.quantity, n.region_code, "",    d, n.days_left,
                    n.urgency, n.needs_prescription, n.created_at, false,      std::nullopt,  n.demo};
      nn.region_name = RegionPath(n.region_code);
      auto ms = repo::MatchesOf(tx, n.id);
      if (!ms) return ms.error();
      nn.matched = std::any_of(ms->begin(), ms->end(), [&](const needs::Match& m) { return m.pharmacy_id == pid; });
      auto a = repo::FindAnswer(tx, n.id, pid);
      if (!a) return a.error();
      nn.my_answer = *a;
      out.push_back(std::move(nn));
    }
    std::sort(out.begin(), out.end(), [](const NearbyNeed& a, const NearbyNeed& b) {
      if ((a.urgency == "urgent") != (b.urgency == "urgent")) return a.urgency == "urgent";
      return a.distance_m < b.distance_m;
    });
    return Out{std::move(**p), std::move(out)};
  });
}

Result<Answer> NeedService::AnswerNeed(const Principal& actor, std::int64_t id, std::int64_t pharmacy_id,
                                       const std::string& kind, std::int64_t quantity, const std::string& note,
                                       std::optional<int> reserve_days) {
  const std::int64_t now = clock_.NowMs();
  return db_.With<Answer>(store::TxMode::write, [&](store::Tx& tx) -> Result<Answer> {
    auto duty = pharmacy_.StaffDuty(tx, actor.user_id, pharmacy_id);
    if (!duty) return duty.error();
    if (!*duty) return NotFound();
    auto p = pharmacy_.FindPharmacy(tx, pharmacy_id);
    if (!p) return p.error();
    if (!*p) return NotFound();
    auto n = Load(tx, id, false);
    if (!n) return n.error();
    // Only consented (open) needs are visible to pharmacies; a worker's registration awaiting
    // consent is not shown even by id.
    if (n->status == "awaiting_consent") return NotFound();
    const auto plat = static_cast<std::int64_t>((*p)->lat * 1e6), plon = static_cast<std::int64_t>((*p)->lon * 1e6);
    if (DistanceM(plat, plon, n->lat_e6, n->lon_e6) > config_.pharmacy_area_m) return NotFound();
    if (n->status != "open") return Conflict("need_not_open");
    if (quantity > n->quantity) return ValidationFailed({{"quantity", "out_of_range"}});
    if (reserve_days && (*reserve_days < 1 || *reserve_days > config_.max_reserve_days))
      return ValidationFailed({{"reserve_days", "out_of_range"}});
    auto prev = repo::FindAnswer(tx, id, pharmacy_id);
    if (!prev) return prev.error();
    const std::string ref = internal::ReserveRef(id, pharmacy_id, now);
    Answer a;
    a.need_id = id;
    a.pharmacy_id = pharmacy_id;
    a.pharmacy_name = (*p)->name;
    a.answered_by = actor.user_id;
    a.kind = kind;
    a.quantity = quantity;
    a.note = note;
    a.created_at = a.updated_at = now;
    if (kind == "reserved") {
      // One live reservation per need and pharmacy; after a lapse or a release the pharmacy may
      // reserve again, under a new reference (the answer's time).
      if (*prev && (*prev)->kind == "reserved" && !(*prev)->released_at) return Conflict("need_already_reserved");
      if (*prev && (*prev)->kind == "reserved" && (*prev)->updated_at == now) return Conflict("need_already_reserved");
      if (auto st = pharmacy_.Reserve(tx, pharmacy_id, ref, {{n->formulary_item_id, quantity}}, now); !st)
        return st.error();
      a.reserved_until = now + static_cast<std::int64_t>(reserve_days.value_or(config_.default_reserve_days)) * kDayMs;
    } else if (*prev && (*prev)->kind == "reserved" && !(*prev)->released_at) {
      return Conflict("need_already_reserved");
    }
    if (auto st = repo::UpsertAnswer(tx, a); !st) return st.error();
    const std::string q = std::to_string(quantity);
    const bool reserved = kind == "reserved";
    if (auto st = Notify(tx, *n, "need_answered", (reserved ? "药店已为您预留：" : "药店可供应：") + n->drug_name,
                         (reserved ? "Reserved for you: " : "A pharmacy can supply: ") + n->drug_name,
                         (*p)->name + (reserved ? " 已为您预留 " : " 可供应 ") + q + " 盒 " + n->drug_name +
                             (reserved ? "，请在 " + CivilDateCst(*a.reserved_until) + " 前取药。" : "。") +
                             (note.empty() ? "" : "留言：" + note),
                         (*p)->name + (reserved ? " reserved " : " can supply ") + q + " box(es) of " + n->drug_name +
                             (reserved ? ", to collect by " + CivilDateCst(*a.reserved_until) + "." : ".") +
                             (note.empty() ? "" : " Note: " + note),
                         now);
        !st)
      return st.error();
    auto stored = repo::FindAnswer(tx, id, pharmacy_id);
    if (!stored) return stored.error();
    return **stored;
  });
}

Result<int> NeedService::Sweep() {
  const std::int64_t now = clock_.NowMs();
  int changed = 0;
  // Reservations whose time ended go back to the pharmacy's stock (exactly once).
  auto lapsed = db_.With<std::vector<Answer>>(
      store::TxMode::read, [&](store::Tx& tx) { return repo::LapsedReservations(tx, now, kSweepBatch); });
  if (!lapsed) return lapsed.error();
  // One failing need is logged and the sweep goes on with the others.
  for (const auto& a : *lapsed) {
    auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
      auto mine = ReleaseAnswer(tx, a, now);
      if (!mine) return mine.error();
      if (*mine) ++changed;
      return {};
    });
    if (!st) log::Warn("need reservation release failed", {{"need_id", a.need_id}, {"code", st.error().code}});
  }
  // Needs nobody closed lapse.
  auto old = db_.With<std::vector<std::int64_t>>(store::TxMode::read, [&](store::Tx& tx) {
    return repo::OpenSince(tx, now - static_cast<std::int64_t>(config_.lapse_days) * kDayMs, kSweepBatch);
  });
  if (!old) return old.error();
  for (auto id : *old) {
    auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
      auto n = Load(tx, id, false);
      if (!n) return n.error();
      auto moved = repo::SetStatus(tx, id, "open", "lapsed", "lapsed", now);
      if (!moved) return moved.error();
      if (!*moved) return {};
      ++changed;
      if (auto r = ReleaseAll(tx, id, now); !r) return r;
      return Notify(tx, *n, "need_lapsed", "用药需求已过期：" + n->drug_name, "Medicine need lapsed: " + n->drug_name,
                    "该需求登记已超过 " + std::to_string(config_.lapse_days) + " 天，如仍需要请重新登记。",
                    "This need was registered more than " + std::to_string(config_.lapse_days) +
                        " days ago; register again if you still need it.",
                    now);
    });
    if (!st) log::Warn("need lapse failed", {{"need_id", id}, {"code", st.error().code}});
  }
  // Open needs are matched again now and then: stock arrives.
  auto due = db_.With<std::vector<std::int64_t>>(
      store::TxMode::read, [&](store::Tx& tx) { return repo::DueForMatch(tx, now - config_.rematch_ms, kSweepBatch); });
  if (!due) return due.error();
  for (auto id : *due) {
    auto m = Match(id);
    if (!m) {
      log::Warn("need match failed", {{"need_id", id}, {"code", m.error().code}});
      continue;
    }
    ++changed;
  }
  return changed;
}

Result<std::vector<ShortageRow>> NeedService::Shortage(const ShortageQuery& q) {
  auto rows = db_.With<std::vector<ShortageRow>>(
      store::TxMode::read, [&](store::Tx& tx) { return repo::ShortageByCounty(tx, q.urgency, q.formulary_item_id); });
  if (!rows) return rows.error();
  std::vector<ShortageRow> in;
  for (auto& r : *rows)
    if (q.region_code.empty() || Covers(q.region_code, r.region_code)) in.push_back(std::move(r));
  return RollUp(in, q.level, clock_.NowMs());
}

Result<Worker> NeedService::RegisterWorker(const Principal& actor, const std::string& phone,
                                           const std::string& community, const std::string& region_code, bool active,
                                           const RequestMeta& meta) {
  std::vector<FieldError> errs;
  if (!FindRegion(region_code)) errs.push_back({"region_code", "unknown_region"});
  if (!IsMobile(phone)) errs.push_back({"phone", "invalid"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  // The authority names the worker by their account's phone; the look-up is audited by accounts.
  auto found = accounts_.SearchUsers(actor, phone, meta);
  if (!found) return found.error();
  auto it = std::find_if(found->begin(), found->end(), [&](const accounts::User& u) { return u.phone == phone; });
  if (it == found->end()) return NotFound();
  Worker w;
  w.user_id = it->id;
  w.name = it->real_name;
  w.community = community;
  w.region_code = region_code;
  w.region_name = RegionPath(region_code);
  w.active = active;
  w.registered_by = actor.user_id;
  w.registered_at = clock_.NowMs();
  auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) { return repo::UpsertWorker(tx, w); });
  if (!st) return st.error();
  return w;
}

Result<std::vector<Worker>> NeedService::Workers() {
  return db_.With<std::vector<Worker>>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::vector<Worker>> {
    auto ws = repo::Workers(tx);
    if (!ws) return ws.error();
    for (auto& w : *ws) {
      auto u = accounts_.FindUser(tx, w.user_id);
      if (!u) return u.error();
      if (*u) w.name = (*u)->real_name;
      w.region_name = RegionPath(w.region_code);
    }
    return ws;
  });
}

Result<std::optional<Worker>> NeedService::MyWorker(const Principal& actor) {
  return db_.With<std::optional<Worker>>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::optional<Worker>> {
    auto w = repo::FindWorker(tx, actor.user_id);
    if (!w) return w.error();
    if (*w) {
      (*w)->name = actor.real_name;
      (*w)->region_name = RegionPath((*w)->region_code);
    }
    return w;
  });
}

Status NeedService::SeedDemo(std::int64_t worker_id, std::int64_t admin_id, std::int64_t patient_id,
                             std::int64_t item_id, const std::string& region_code, std::int64_t lat_e6,
                             std::int64_t lon_e6) {
  auto item = drugs_.GetFormulary(item_id);
  if (!item) return item.error();
  const std::int64_t now = clock_.NowMs();
  std::optional<std::int64_t> made;
  auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    Worker w;
    w.user_id = worker_id;
    w.community = "演示·东湖社区";
    w.region_code = region_code;
    w.registered_by = admin_id;
    w.registered_at = now;
    w.demo = true;
    if (auto s = repo::UpsertWorker(tx, w); !s) return s;
    auto mine = repo::NeedsOfPatients(tx, {patient_id}, 100);
    if (!mine) return mine.error();
    if (std::any_of(mine->begin(), mine->end(), [](const Need& n) { return n.demo && n.status == "open"; })) return {};
    auto u = accounts_.FindUser(tx, patient_id);
    if (!u) return u.error();
    if (!*u) return NotFound();
    Need n;
    n.patient_id = patient_id;
    n.subject_name = (*u)->real_name;
    n.registered_by = patient_id;
    n.registered_as = "patient";
    n.formulary_item_id = item->id;
    n.drug_name = item->drug.name + " " + item->strength;
    n.quantity = 2;
    n.region_code = region_code;
    n.address = "演示地址";
    n.lat_e6 = lat_e6;
    n.lon_e6 = lon_e6;
    n.days_left = 2;
    n.urgency = UrgencyOf(2, false);
    n.condition = "高血压（演示）";
    n.icd10_code = "I10";
    n.needs_prescription = true;
    n.status = "open";
    n.consent = needs::Consent{"self", now, patient_id, ""};
    n.created_at = n.updated_at = now;
    n.demo = true;
    auto id = repo::InsertNeed(tx, n);
    if (!id) return id.error();
    made = *id;
    return {};
  });
  if (!st) return st;
  if (made)
    if (auto m = Match(*made); !m) return m.error();
  return {};
}

}  // namespace ihos::domain::needs
