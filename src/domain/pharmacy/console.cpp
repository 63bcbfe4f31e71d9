// The pharmacy console (settings, stock list, receipts, adjustments, prices, move history) and
// staff onboarding (applications and their review). Access: a pharmacy the actor is not active
// staff of is not_found.
#include <algorithm>
#include <map>

#include "core/regions.hpp"
#include "domain/audit/audit.hpp"
#include "domain/pharmacy/repository.hpp"
#include "domain/pharmacy/rules.hpp"
#include "domain/pharmacy/service.hpp"

namespace ihos::domain::pharmacy {

namespace {

audit::Entry Audit(std::int64_t now, const Principal& actor, std::string action, std::string type, std::int64_t id,
                   std::string reason, const RequestMeta& meta) {
  return audit::Entry{now,
                      actor.user_id,
                      actor.AuditRole(),
                      std::move(action),
                      std::nullopt,
                      std::move(type),
                      std::to_string(id),
                      std::move(reason),
                      meta.request_id};
}

bool ValidDuty(const std::string& d) { return d == "counter" || d == "courier" || d == "manager"; }

Error NotFound() { return MakeError(Errc::not_found, "not_found"); }

void CheckPlace(std::vector<FieldError>& errs, const std::string& region_code, double lat, double lon) {
  if (region_code.size() != 6 || !FindRegion(region_code)) errs.push_back({"region_code", "unknown_region"});
  if (!(lat >= 3 && lat <= 54)) errs.push_back({"lat", "out_of_range"});  // China's extent
  if (!(lon >= 73 && lon <= 136)) errs.push_back({"lon", "out_of_range"});
}

}  // namespace

Result<std::string> PharmacyService::DutyOf(store::Tx& tx, const Principal& actor, std::int64_t pharmacy_id,
                                            bool admin_reads) {
  auto p = repo::FindPharmacy(tx, pharmacy_id);
  if (!p) return p.error();
  if (!*p) return NotFound();
  if (admin_reads && actor.Has("admin")) return std::string("admin");
  if (!actor.Has("pharmacy_staff")) return NotFound();
  auto d = repo::StaffDuty(tx, actor.user_id, pharmacy_id);
  if (!d) return d.error();
  if (!*d) return NotFound();
  return **d;
}

Result<Pharmacy> PharmacyService::GetPharmacy(std::int64_t id) {
  auto p =
      db_.With<std::optional<Pharmacy>>(store::TxMode::read, [&](store::Tx& tx) { return repo::FindPharmacy(tx, id); });
  if (!p) return p.error();
  if (!*p) return NotFound();
  return std::move(**p);
}

Result<std::vector<MyPharmacy>> PharmacyService::Mine(const Principal& actor) {
  return db_.With<std::vector<MyPharmacy>>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::vector<MyPharmacy>> {
    std::vector<MyPharmacy> out;
    auto ids = repo::PharmaciesOf(tx, actor.user_id);
    if (!ids) return ids.error();
    for (auto id : *ids) {
      auto p = repo::FindPharmacy(tx, id);
      if (!p) return p.error();
      auto d = repo::StaffDuty(tx, actor.user_id, id);
      if (!d) return d.error();
      if (!*p || !*d) continue;
      const bool open = OpenNow(**p);
      out.push_back({std::move(**p), **d, open});
    }
    return out;
  });
}

Result<Pharmacy> PharmacyService::UpdateSettings(const Principal& actor, std::int64_t pharmacy_id, const Settings& s,
                                                 const RequestMeta& meta) {
  std::vector<FieldError> errs;
  if (auto code = CheckHours(s.hours); !code.empty()) errs.push_back({"hours", code});
  if (s.status != "open" && s.status != "closed" && s.status != "temporarily_closed")
    errs.push_back({"status", "invalid"});
  if (s.status_note.size() > 600) errs.push_back({"status_note", "too_long"});
  if (s.delivery_radius_m < 0 || s.delivery_radius_m > kMaxRadiusM)
    errs.push_back({"delivery_radius_m", "out_of_range"});
  if (s.delivery_fee_fen < 0 || s.delivery_fee_fen > 100'000) errs.push_back({"delivery_fee_fen", "out_of_range"});
  if (s.pickup_counter.size() > 200) errs.push_back({"pickup_counter", "too_long"});
  if (s.phone.size() > 40) errs.push_back({"phone", "too_long"});
  auto p = db_.With<Pharmacy>(store::TxMode::write, [&](store::Tx& tx) -> Result<Pharmacy> {
    auto duty = DutyOf(tx, actor, pharmacy_id, false);
    if (!duty) return duty.error();
    if (*duty != "manager") return MakeError(Errc::forbidden, "not_pharmacy_manager");
    if (!errs.empty()) return ValidationFailed(errs);
    if (auto st = repo::UpdateSettings(tx, pharmacy_id, s, clock_.NowMs()); !st) return st.error();
    if (auto st = audit::Append(tx, Audit(clock_.NowMs(), actor, "pharmacy.settings", "Pharmacy", pharmacy_id,
                                          s.status + " " + s.status_note, meta));
        !st)
      return st.error();
    auto done = repo::FindPharmacy(tx, pharmacy_id);
    if (!done) return done.error();
    return std::move(**done);
  });
  return p;
}

Result<std::vector<StockItem>> PharmacyService::Stock(const Principal& actor, std::int64_t pharmacy_id) {
  const std::string today = CivilDateCst(clock_.NowMs());
  auto list = StockLevels(actor, pharmacy_id, today);
  if (!list) return list;
  // Names from the drugs capability's service (its formulary), after the stock transaction.
  std::vector<std::int64_t> ids;
  for (const auto& i : *list) ids.push_back(i.formulary_item_id);
  auto items = drugs_.FormularyByIds(ids);
  if (!items) return items.error();
  std::map<std::int64_t, const drugs::FormularyItem*> by_id;
  for (const auto& f : *items) by_id[f.id] = &f;
  for (auto& i : *list)
    if (auto it = by_id.find(i.formulary_item_id); it != by_id.end())
      i.name = it->second->drug.name + " " + it->second->strength + "×" + std::to_string(it->second->package_size) +
               it->second->package_unit;
  std::stable_sort(list->begin(), list->end(), [](const StockItem& a, const StockItem& b) { return a.name < b.name; });
  return list;
}

Result<std::vector<StockItem>> PharmacyService::StockLevels(const Principal& actor, std::int64_t pharmacy_id,
                                                            const std::string& today) {
  return db_.With<std::vector<StockItem>>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::vector<StockItem>> {
    if (auto d = DutyOf(tx, actor, pharmacy_id, true); !d) return d.error();
    auto list = repo::StockList(tx, pharmacy_id);
    if (!list) return list.error();
    for (auto& item : *list) {
      std::int64_t unexpired = 0;
      for (auto& b : item.batches) {
        b.expired = Expired(b.expiry_date, today);
        b.near_expiry = NearExpiry(b.expiry_date, today);
        item.on_hand += b.on_hand;
        if (!b.expired) unexpired += b.on_hand;
      }
      item.available = std::max<std::int64_t>(0, unexpired - item.reserved);
    }
    return list;
  });
}

Result<bool> PharmacyService::KnownItem(std::int64_t item_id) {
  if (item_id <= 0) return false;
  auto f = drugs_.GetFormulary(item_id);
  if (f) return true;
  if (f.error().code == "not_found") return false;
  return f.error();
}

Result<StockMove> PharmacyService::ReceiveIn(store::Tx& tx, std::int64_t pharmacy_id, const Receipt& r,
                                             std::optional<std::int64_t> by, std::int64_t now_ms) {
  // The item is the caller's (seed, benchmark, tests); the ledger's foreign key still refuses an
  // unknown one.
  return ReceiveChecked(tx, pharmacy_id, r, by, now_ms, true);
}

Result<StockMove> PharmacyService::ReceiveChecked(store::Tx& tx, std::int64_t pharmacy_id, const Receipt& r,
                                                  std::optional<std::int64_t> by, std::int64_t now_ms,
                                                  bool item_known) {
  std::vector<FieldError> errs;
  if (r.batch_no.empty() || r.batch_no.size() > 64) errs.push_back({"batch_no", "required"});
  if (!IsValidIsoDate(r.expiry_date))
    errs.push_back({"expiry_date", "invalid_date"});
  else if (Expired(r.expiry_date, CivilDateCst(now_ms)))
    errs.push_back({"expiry_date", "already_expired"});
  if (r.quantity < 1 || r.quantity > kMaxQuantity) errs.push_back({"quantity", "out_of_range"});
  if (r.cost_fen && (*r.cost_fen < 0 || *r.cost_fen > 100'000'000)) errs.push_back({"cost_fen", "out_of_range"});
  if (r.price_fen && (*r.price_fen < 0 || *r.price_fen > 100'000'000)) errs.push_back({"price_fen", "out_of_range"});
  if (!item_known) errs.push_back({"formulary_item_id", "not_found"});
  if (!errs.empty()) return ValidationFailed(errs);
  if (auto st = repo::EnsureItem(tx, pharmacy_id, r.formulary_item_id); !st) return st.error();
  auto row = repo::LockItem(tx, pharmacy_id, r.formulary_item_id);
  if (!row) return row.error();
  auto batches = repo::Batches(tx, pharmacy_id, r.formulary_item_id);
  if (!batches) return batches.error();
  for (const auto& b : *batches)
    if (b.batch_no == r.batch_no && b.expiry_date != r.expiry_date)
      return MakeError(Errc::conflict, "batch_expiry_mismatch", b.expiry_date);
  if (r.price_fen)
    if (auto st = repo::SetPrice(tx, pharmacy_id, r.formulary_item_id, *r.price_fen); !st) return st.error();
  StockMove m;
  m.pharmacy_id = pharmacy_id;
  m.formulary_item_id = r.formulary_item_id;
  m.kind = "received";
  m.batch_no = r.batch_no;
  m.expiry_date = r.expiry_date;
  m.on_hand_delta = r.quantity;
  m.cost_fen = r.cost_fen;
  m.by_user = by;
  m.at = now_ms;
  auto id = repo::AppendMove(tx, m);
  if (!id) return id.error();
  m.id = *id;
  return m;
}

Result<StockMove> PharmacyService::Receive(const Principal& actor, std::int64_t pharmacy_id, const Receipt& r,
                                           const RequestMeta& meta) {
  // The formulary is the drugs capability's: asked through its service before the transaction.
  auto known = KnownItem(r.formulary_item_id);
  if (!known) return known.error();
  return db_.With<StockMove>(store::TxMode::write, [&](store::Tx& tx) -> Result<StockMove> {
    auto duty = DutyOf(tx, actor, pharmacy_id, false);
    if (!duty) return duty.error();
    if (*duty == "courier") return MakeError(Errc::forbidden, "not_counter_staff");
    auto m = ReceiveChecked(tx, pharmacy_id, r, actor.user_id, clock_.NowMs(), *known);
    if (!m) return m;
    if (auto st = audit::Append(tx, Audit(m->at, actor, "pharmacy.stock_received", "PharmacyStockMove", m->id,
                                          r.batch_no + " x" + std::to_string(r.quantity), meta));
        !st)
      return st.error();
    return m;
  });
}

Result<StockMove> PharmacyService::Adjust(const Principal& actor, std::int64_t pharmacy_id, const Adjustment& a,
                                          const RequestMeta& meta) {
  std::vector<FieldError> errs;
  if (a.reason.empty() || a.reason.size() > 600) errs.push_back({"reason", "required"});
  if (a.delta == 0 || a.delta < -kMaxQuantity || a.delta > kMaxQuantity) errs.push_back({"delta", "out_of_range"});
  if (a.batch_no.empty()) errs.push_back({"batch_no", "required"});
  const std::int64_t now = clock_.NowMs();
  const std::string today = CivilDateCst(now);
  return db_.With<StockMove>(store::TxMode::write, [&](store::Tx& tx) -> Result<StockMove> {
    auto duty = DutyOf(tx, actor, pharmacy_id, false);
    if (!duty) return duty.error();
    if (*duty == "courier") return MakeError(Errc::forbidden, "not_counter_staff");
    if (!errs.empty()) return ValidationFailed(errs);
    auto row = repo::LockItem(tx, pharmacy_id, a.formulary_item_id);
    if (!row) return row.error();
    if (!*row) return ValidationFailed({{"formulary_item_id", "not_found"}});
    auto batches = repo::Batches(tx, pharmacy_id, a.formulary_item_id);
    if (!batches) return batches.error();
    auto it = std::find_if(batches->begin(), batches->end(), [&](const Batch& b) { return b.batch_no == a.batch_no; });
    if (it == batches->end()) return ValidationFailed({{"batch_no", "not_found"}});
    if (it->on_hand + a.delta < 0) return MakeError(Errc::conflict, "stock_insufficient", "batch " + a.batch_no);
    if (a.delta < 0 && !Expired(it->expiry_date, today)) {
      std::int64_t unexpired = 0;
      for (const auto& b : *batches)
        if (!Expired(b.expiry_date, today)) unexpired += b.on_hand;
      // Reserved goods stay covered: an adjustment never takes what an order holds.
      if (unexpired + a.delta < (*row)->reserved)
        return MakeError(Errc::conflict, "stock_insufficient", "reserved " + std::to_string((*row)->reserved));
    }
    StockMove m;
    m.pharmacy_id = pharmacy_id;
    m.formulary_item_id = a.formulary_item_id;
    m.kind = "adjusted";
    m.batch_no = it->batch_no;
    m.expiry_date = it->expiry_date;
    m.on_hand_delta = a.delta;
    m.reason = a.reason;
    m.by_user = actor.user_id;
    m.at = now;
    auto id = repo::AppendMove(tx, m);
    if (!id) return id.error();
    m.id = *id;
    if (auto st = audit::Append(tx, Audit(now, actor, "pharmacy.stock_adjusted", "PharmacyStockMove", m.id,
                                          std::to_string(a.delta) + " " + a.reason, meta));
        !st)
      return st.error();
    return m;
  });
}

Result<std::vector<StockMove>> PharmacyService::Moves(const Principal& actor, std::int64_t pharmacy_id,
                                                      std::int64_t item_id) {
  return db_.With<std::vector<StockMove>>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::vector<StockMove>> {
    if (auto d = DutyOf(tx, actor, pharmacy_id, true); !d) return d.error();
    return repo::MovesOf(tx, pharmacy_id, item_id, 200);
  });
}

Status PharmacyService::SetPrice(const Principal& actor, std::int64_t pharmacy_id, std::int64_t item_id,
                                 std::int64_t price_fen, const RequestMeta& meta) {
  auto known = KnownItem(item_id);
  if (!known) return known.error();
  return db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto duty = DutyOf(tx, actor, pharmacy_id, false);
    if (!duty) return duty.error();
    if (*duty != "manager") return MakeError(Errc::forbidden, "not_pharmacy_manager");
    if (price_fen < 0 || price_fen > 100'000'000) return ValidationFailed({{"price_fen", "out_of_range"}});
    if (!*known) return ValidationFailed({{"formulary_item_id", "not_found"}});
    if (auto st = repo::SetPrice(tx, pharmacy_id, item_id, price_fen); !st) return st;
    return audit::Append(tx, Audit(clock_.NowMs(), actor, "pharmacy.price", "Pharmacy", pharmacy_id,
                                   std::to_string(item_id) + "=" + std::to_string(price_fen), meta));
  });
}

Result<std::int64_t> PharmacyService::CreatePharmacyIn(store::Tx& tx, const Pharmacy& p, std::int64_t now_ms) {
  return repo::InsertPharmacy(tx, p, now_ms);
}

Status PharmacyService::AddStaffIn(store::Tx& tx, std::int64_t pharmacy_id, std::int64_t user_id,
                                   const std::string& duty, std::optional<std::int64_t> by, std::int64_t now_ms) {
  if (!ValidDuty(duty)) return ValidationFailed({{"duty", "invalid"}});
  if (auto st = repo::UpsertStaff(tx, pharmacy_id, user_id, duty, now_ms); !st) return st;
  if (accounts_)
    if (auto st = accounts_->GrantRoleIn(tx, user_id, "pharmacy_staff", by.value_or(user_id), now_ms); !st) return st;
  return {};
}

Result<Application> PharmacyService::Apply(const Principal& actor, Application in, const RequestMeta& meta) {
  std::vector<FieldError> errs;
  in.user_id = actor.user_id;
  if (in.kind == "register") {
    in.duty = "manager";
    in.pharmacy_id.reset();
    if (in.pharmacy_name.empty() || in.pharmacy_name.size() > 200) errs.push_back({"name", "required"});
    if (!ValidLicenceNo(in.licence_no)) errs.push_back({"licence_no", "invalid_format"});
    if (in.address.empty() || in.address.size() > 400) errs.push_back({"address", "required"});
    CheckPlace(errs, in.region_code, in.lat, in.lon);
  } else if (in.kind == "join") {
    if (!in.pharmacy_id) errs.push_back({"pharmacy_id", "required"});
    if (!ValidDuty(in.duty)) errs.push_back({"duty", "invalid"});
  } else {
    errs.push_back({"kind", "invalid"});
  }
  if (in.note.size() > 1000) errs.push_back({"note", "too_long"});
  if (in.phone.size() > 40) errs.push_back({"phone", "too_long"});
  if (!errs.empty()) return ValidationFailed(errs);
  return db_.With<Application>(store::TxMode::write, [&](store::Tx& tx) -> Result<Application> {
    if (in.kind == "join") {
      auto p = repo::FindPharmacy(tx, *in.pharmacy_id);
      if (!p) return p.error();
      if (!*p) return NotFound();
      auto d = repo::StaffDuty(tx, actor.user_id, *in.pharmacy_id);
      if (!d) return d.error();
      if (*d) return MakeError(Errc::conflict, "already_pharmacy_staff");
    } else {
      auto taken = repo::PharmacyByLicence(tx, in.licence_no);
      if (!taken) return taken.error();
      if (*taken) return MakeError(Errc::conflict, "licence_number_taken");
    }
    auto pending = repo::HasPendingApplication(tx, actor.user_id);
    if (!pending) return pending.error();
    if (*pending) return MakeError(Errc::conflict, "application_pending");
    auto id = repo::InsertApplication(tx, in, clock_.NowMs());
    if (!id) return id.error();
    if (auto st = audit::Append(
            tx, Audit(clock_.NowMs(), actor, "pharmacy_application.create", "PharmacyApplication", *id, in.kind, meta));
        !st)
      return st.error();
    auto a = repo::FindApplication(tx, *id);
    if (!a) return a.error();
    return std::move(**a);
  });
}

Result<std::vector<Application>> PharmacyService::MyApplications(const Principal& actor) {
  return db_.With<std::vector<Application>>(
      store::TxMode::read, [&](store::Tx& tx) { return repo::Applications(tx, "", actor.user_id, 50); });
}

Result<std::vector<Application>> PharmacyService::Applications(const Principal& admin, const std::string& status) {
  if (!admin.Has("admin")) return MakeError(Errc::forbidden, "forbidden");
  if (!status.empty() && status != "pending" && status != "approved" && status != "rejected")
    return ValidationFailed({{"status", "invalid"}});
  return db_.With<std::vector<Application>>(store::TxMode::read,
                                            [&](store::Tx& tx) { return repo::Applications(tx, status, 0, 200); });
}

Result<Application> PharmacyService::Approve(const Principal& admin, std::int64_t id, const RequestMeta& meta) {
  if (!admin.Has("admin")) return MakeError(Errc::forbidden, "forbidden");
  auto app = db_.With<Application>(store::TxMode::write, [&](store::Tx& tx) -> Result<Application> {
    auto a = repo::FindApplication(tx, id);
    if (!a) return a.error();
    if (!*a) return NotFound();
    if ((*a)->status != "pending") return MakeError(Errc::conflict, "application_not_pending");
    const std::int64_t now = clock_.NowMs();
    std::int64_t pharmacy_id = (*a)->pharmacy_id.value_or(0);
    if ((*a)->kind == "register") {
      auto taken = repo::PharmacyByLicence(tx, (*a)->licence_no);
      if (!taken) return taken.error();
      if (*taken) return MakeError(Errc::conflict, "licence_number_taken");
      // A new pharmacy starts closed: its manager sets hours, status and delivery in the console.
      Pharmacy p;
      p.name = (*a)->pharmacy_name;
      p.licence_no = (*a)->licence_no;
      p.region_code = (*a)->region_code;
      p.address = (*a)->address;
      p.lat = (*a)->lat;
      p.lon = (*a)->lon;
      p.phone = (*a)->phone;
      p.status = "closed";
      auto pid = repo::InsertPharmacy(tx, p, now);
      if (!pid) return pid.error();
      pharmacy_id = *pid;
    }
    auto moved = repo::ReviewApplication(tx, id, "approved", "", pharmacy_id, admin.user_id, now);
    if (!moved) return moved.error();
    if (!*moved) return MakeError(Errc::conflict, "application_not_pending");
    if (auto st = AddStaffIn(tx, pharmacy_id, (*a)->user_id, (*a)->duty, admin.user_id, now); !st) return st.error();
    if (auto st =
            audit::Append(tx, Audit(now, admin, "pharmacy_application.approve", "PharmacyApplication", id, "", meta));
        !st)
      return st.error();
    auto done = repo::FindApplication(tx, id);
    if (!done) return done.error();
    return std::move(**done);
  });
  if (!app && app.error().code == "unique_violation") return MakeError(Errc::conflict, "licence_number_taken");
  if (app && accounts_) accounts_->SessionsChanged(app->user_id);
  return app;
}

Result<Application> PharmacyService::Reject(const Principal& admin, std::int64_t id, const std::string& reason,
                                            const RequestMeta& meta) {
  if (!admin.Has("admin")) return MakeError(Errc::forbidden, "forbidden");
  if (reason.empty() || reason.size() > 600) return ValidationFailed({{"reason", "required"}});
  return db_.With<Application>(store::TxMode::write, [&](store::Tx& tx) -> Result<Application> {
    auto a = repo::FindApplication(tx, id);
    if (!a) return a.error();
    if (!*a) return NotFound();
    auto moved = repo::ReviewApplication(tx, id, "rejected", reason, std::nullopt, admin.user_id, clock_.NowMs());
    if (!moved) return moved.error();
    if (!*moved) return MakeError(Errc::conflict, "application_not_pending");
    if (auto st = audit::Append(
            tx, Audit(clock_.NowMs(), admin, "pharmacy_application.reject", "PharmacyApplication", id, reason, meta));
        !st)
      return st.error();
    auto done = repo::FindApplication(tx, id);
    if (!done) return done.error();
    return std::move(**done);
  });
}

Result<int> PharmacyService::ExpireDue(const Principal& admin) {
  if (!admin.Has("admin")) return MakeError(Errc::forbidden, "forbidden");
  const std::int64_t now = clock_.NowMs();
  const std::string today = CivilDateCst(now);
  return db_.With<int>(store::TxMode::write, [&](store::Tx& tx) -> Result<int> {
    auto due = repo::ExpiredWithStock(tx, today, 500);
    if (!due) return due.error();
    int n = 0;
    for (const auto& d : *due) {
      auto row = repo::LockItem(tx, d.pharmacy_id, d.item_id);
      if (!row) return row.error();
      auto batches = repo::Batches(tx, d.pharmacy_id, d.item_id);
      if (!batches) return batches.error();
      for (const auto& b : *batches) {
        if (b.batch_no != d.batch_no || b.on_hand <= 0 || !Expired(b.expiry_date, today)) continue;
        StockMove m;
        m.pharmacy_id = d.pharmacy_id;
        m.formulary_item_id = d.item_id;
        m.kind = "expired";
        m.batch_no = b.batch_no;
        m.expiry_date = b.expiry_date;
        m.on_hand_delta = -b.on_hand;
        m.reason = "past expiry " + b.expiry_date;
        m.by_user = admin.user_id;
        m.at = now;
        if (auto id = repo::AppendMove(tx, m); !id) return id.error();
        ++n;
      }
    }
    return n;
  });
}

Result<LevelCheck> PharmacyService::CheckLevels(const Principal& admin) {
  if (!admin.Has("admin")) return MakeError(Errc::forbidden, "forbidden");
  return db_.With<LevelCheck>(store::TxMode::read, [&](store::Tx& tx) { return repo::CheckLevels(tx); });
}

}  // namespace ihos::domain::pharmacy
