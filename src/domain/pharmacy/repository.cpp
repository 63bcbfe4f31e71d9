#include "domain/pharmacy/repository.hpp"

namespace ihos::domain::pharmacy::repo {

namespace {

constexpr char kPharmacyCols[] =
    "p.id, p.name, p.licence_no, p.region_code, p.address, p.lat, p.lon, p.status, p.status_note, p.delivers, "
    "p.delivery_radius_m, p.delivery_fee_fen, p.pickup_counter, p.phone, p.demo";

Pharmacy ToPharmacy(const store::Row& r) {
  Pharmacy p;
  p.id = r.Int(0);
  p.name = r.Text(1);
  p.licence_no = r.Text(2);
  p.region_code = r.Text(3);
  p.address = r.Text(4);
  p.lat = r.Real(5);
  p.lon = r.Real(6);
  p.status = r.Text(7);
  p.status_note = r.Text(8);
  p.delivers = r.Int(9) != 0;
  p.delivery_radius_m = r.Int(10);
  p.delivery_fee_fen = r.Int(11);
  p.pickup_counter = r.Text(12);
  p.phone = r.Text(13);
  p.demo = r.Int(14) != 0;
  return p;
}

constexpr char kAppCols[] =
    "a.id, a.user_id, u.real_name, a.kind, a.pharmacy_id, COALESCE(p.name, a.name), a.duty, a.licence_no, "
    "a.region_code, a.address, a.lat, a.lon, a.phone, a.note, a.status, a.reason, a.created_at, a.reviewed_at "
    "FROM pharmacy_applications a JOIN users u ON u.id = a.user_id LEFT JOIN pharmacies p ON p.id = a.pharmacy_id";

Application ToApplication(const store::Row& r) {
  Application a;
  a.id = r.Int(0);
  a.user_id = r.Int(1);
  a.user_name = r.Text(2);
  a.kind = r.Text(3);
  a.pharmacy_id = r.OptInt(4);
  a.pharmacy_name = r.Text(5);
  a.duty = r.Text(6);
  a.licence_no = r.Text(7);
  a.region_code = r.Text(8);
  a.address = r.Text(9);
  a.lat = r.Real(10);
  a.lon = r.Real(11);
  a.phone = r.Text(12);
  a.note = r.Text(13);
  a.status = r.Text(14);
  a.reason = r.Text(15);
  a.created_at = r.Int(16);
  a.reviewed_at = r.OptInt(17);
  return a;
}

constexpr char kMoveCols[] =
    "id, pharmacy_id, item_id, kind, batch_no, expiry_date, on_hand_delta, reserved_delta, ref, reason, cost_fen, "
    "by_user, at FROM pharmacy_stock_moves";

StockMove ToMove(const store::Row& r) {
  StockMove m;
  m.id = r.Int(0);
  m.pharmacy_id = r.Int(1);
  m.formulary_item_id = r.Int(2);
  m.kind = r.Text(3);
  m.batch_no = r.Text(4);
  m.expiry_date = r.Text(5);
  m.on_hand_delta = r.Int(6);
  m.reserved_delta = r.Int(7);
  m.ref = r.Text(8);
  m.reason = r.Text(9);
  m.cost_fen = r.OptInt(10);
  m.by_user = r.OptInt(11);
  m.at = r.Int(12);
  return m;
}

store::Value Opt(const std::optional<std::int64_t>& v) {
  if (v) return *v;
  return nullptr;
}

Status InsertHours(store::Tx& tx, std::int64_t id, const std::vector<Hours>& hours) {
  for (const auto& h : hours)
    if (auto r =
            tx.Exec("INSERT INTO pharmacy_hours (pharmacy_id, weekday, open_min, close_min) VALUES ($1, $2, $3, $4)",
                    {id, std::int64_t{h.weekday}, std::int64_t{h.open_min}, std::int64_t{h.close_min}});
        !r)
      return r.error();
  return {};
}

}  // namespace

Result<std::int64_t> InsertPharmacy(store::Tx& tx, const Pharmacy& p, std::int64_t now) {
  auto r = tx.Query(
      "INSERT INTO pharmacies (name, licence_no, region_code, address, lat, lon, status, status_note, delivers, "
      "delivery_radius_m, delivery_fee_fen, pickup_counter, phone, demo, created_at, updated_at) VALUES ($1, $2, $3, "
      "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id",
      {p.name, p.licence_no, p.region_code, p.address, p.lat, p.lon, p.status, p.status_note,
       std::int64_t{p.delivers ? 1 : 0}, p.delivery_radius_m, p.delivery_fee_fen, p.pickup_counter, p.phone,
       std::int64_t{p.demo ? 1 : 0}, now});
  if (!r) return r.error();
  const std::int64_t id = r->front().Int(0);
  if (auto st = InsertHours(tx, id, p.hours); !st) return st.error();
  return id;
}

Result<std::optional<Pharmacy>> FindPharmacy(store::Tx& tx, std::int64_t id) {
  auto r = tx.Query(std::string("SELECT ") + kPharmacyCols + " FROM pharmacies p WHERE p.id = $1", {id});
  if (!r) return r.error();
  if (r->empty()) return std::optional<Pharmacy>();
  Pharmacy p = ToPharmacy(r->front());
  auto h = HoursOf(tx, id);
  if (!h) return h.error();
  p.hours = std::move(*h);
  return std::optional<Pharmacy>(std::move(p));
}

Result<std::vector<Hours>> HoursOf(store::Tx& tx, std::int64_t id) {
  auto h = tx.Query(
      "SELECT weekday, open_min, close_min FROM pharmacy_hours WHERE pharmacy_id = $1 ORDER BY weekday, open_min",
      {id});
  if (!h) return h.error();
  std::vector<Hours> out;
  for (const auto& row : *h)
    out.push_back({static_cast<int>(row.Int(0)), static_cast<int>(row.Int(1)), static_cast<int>(row.Int(2))});
  return out;
}

Result<std::optional<std::int64_t>> PharmacyByLicence(store::Tx& tx, const std::string& licence_no) {
  auto r = tx.Query("SELECT id FROM pharmacies WHERE licence_no = $1", {licence_no});
  if (!r) return r.error();
  if (r->empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(r->front().Int(0));
}

Status UpdateSettings(store::Tx& tx, std::int64_t id, const Settings& s, std::int64_t now) {
  auto r = tx.Exec(
      "UPDATE pharmacies SET status = $2, status_note = $3, delivers = $4, delivery_radius_m = $5, "
      "delivery_fee_fen = $6, pickup_counter = $7, phone = $8, updated_at = $9 WHERE id = $1",
      {id, s.status, s.status_note, std::int64_t{s.delivers ? 1 : 0}, s.delivery_radius_m, s.delivery_fee_fen,
       s.pickup_counter, s.phone, now});
  if (!r) return r.error();
  if (auto d = tx.Exec("DELETE FROM pharmacy_hours WHERE pharmacy_id = $1", {id}); !d) return d.error();
  return InsertHours(tx, id, s.hours);
}

Result<std::vector<Candidate>> InBox(store::Tx& tx, double min_lat, double max_lat, double min_lon, double max_lon,
                                     bool open_only, int weekday, int minute) {
  const std::string open =
      "(p.status = 'open' AND EXISTS (SELECT 1 FROM pharmacy_hours h WHERE h.pharmacy_id = p.id AND h.weekday = $5 "
      "AND h.open_min <= $6 AND h.close_min > $6))";
  std::string sql = std::string("SELECT ") + kPharmacyCols + ", CASE WHEN " + open + " THEN 1 ELSE 0 END ";
  if (tx.backend() == store::Backend::sqlite)
    sql +=
        "FROM pharmacy_geo g JOIN pharmacies p ON p.id = g.id WHERE g.min_lat >= $1 AND g.max_lat <= $2 AND "
        "g.min_lon >= $3 AND g.max_lon <= $4";
  else
    sql +=
        "FROM pharmacies p WHERE point(p.lon, p.lat) <@ box(point(CAST($3 AS DOUBLE PRECISION), CAST($1 AS DOUBLE "
        "PRECISION)), point(CAST($4 AS DOUBLE PRECISION), CAST($2 AS DOUBLE PRECISION)))";
  if (open_only) sql += " AND " + open;
  auto r = tx.Query(sql, {min_lat, max_lat, min_lon, max_lon, std::int64_t{weekday}, std::int64_t{minute}});
  if (!r) return r.error();
  std::vector<Candidate> out;
  out.reserve(r->size());
  for (const auto& row : *r) out.push_back({ToPharmacy(row), row.Int(15) != 0});
  return out;
}

Result<std::optional<std::string>> StaffDuty(store::Tx& tx, std::int64_t user_id, std::int64_t pharmacy_id) {
  auto r = tx.Query("SELECT duty FROM pharmacy_staff WHERE user_id = $1 AND pharmacy_id = $2 AND active = 1",
                    {user_id, pharmacy_id});
  if (!r) return r.error();
  if (r->empty()) return std::optional<std::string>();
  return std::optional<std::string>(r->front().Text(0));
}

Result<std::vector<std::int64_t>> PharmaciesOf(store::Tx& tx, std::int64_t user_id) {
  auto r = tx.Query("SELECT pharmacy_id FROM pharmacy_staff WHERE user_id = $1 AND active = 1 ORDER BY pharmacy_id",
                    {user_id});
  if (!r) return r.error();
  std::vector<std::int64_t> out;
  for (const auto& row : *r) out.push_back(row.Int(0));
  return out;
}

Status UpsertStaff(store::Tx& tx, std::int64_t pharmacy_id, std::int64_t user_id, const std::string& duty,
                   std::int64_t now) {
  auto r = tx.Exec(
      "INSERT INTO pharmacy_staff (pharmacy_id, user_id, duty, active, created_at) VALUES ($1, $2, $3, 1, $4) "
      "ON CONFLICT (pharmacy_id, user_id) DO UPDATE SET duty = excluded.duty, active = 1",
      {pharmacy_id, user_id, duty, now});
  if (!r) return r.error();
  return {};
}

Result<std::int64_t> InsertApplication(store::Tx& tx, const Application& a, std::int64_t now) {
  auto r = tx.Query(
      "INSERT INTO pharmacy_applications (user_id, kind, pharmacy_id, duty, name, licence_no, region_code, address, "
      "lat, lon, phone, note, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
      "'pending', $13) RETURNING id",
      {a.user_id, a.kind, Opt(a.pharmacy_id), a.duty, a.pharmacy_name, a.licence_no, a.region_code, a.address, a.lat,
       a.lon, a.phone, a.note, now});
  if (!r) return r.error();
  return r->front().Int(0);
}

Result<std::optional<Application>> FindApplication(store::Tx& tx, std::int64_t id) {
  auto r = tx.Query(std::string("SELECT ") + kAppCols + " WHERE a.id = $1", {id});
  if (!r) return r.error();
  if (r->empty()) return std::optional<Application>();
  return std::optional<Application>(ToApplication(r->front()));
}

Result<std::vector<Application>> Applications(store::Tx& tx, const std::string& status, std::int64_t user_id,
                                              int limit) {
  auto r = tx.Query(std::string("SELECT ") + kAppCols +
                        " WHERE (a.status = $1 OR $1 = '') AND (a.user_id = $2 OR $2 = 0) ORDER BY a.id DESC LIMIT $3",
                    {status, user_id, std::int64_t{limit}});
  if (!r) return r.error();
  std::vector<Application> out;
  for (const auto& row : *r) out.push_back(ToApplication(row));
  return out;
}

Result<bool> HasPendingApplication(store::Tx& tx, std::int64_t user_id) {
  auto r = tx.Query("SELECT 1 FROM pharmacy_applications WHERE user_id = $1 AND status = 'pending'", {user_id});
  if (!r) return r.error();
  return !r->empty();
}

Result<bool> ReviewApplication(store::Tx& tx, std::int64_t id, const std::string& status, const std::string& reason,
                               std::optional<std::int64_t> pharmacy_id, std::int64_t by, std::int64_t now) {
  auto r = tx.Exec(
      "UPDATE pharmacy_applications SET status = $2, reason = $3, pharmacy_id = COALESCE($4, pharmacy_id), "
      "reviewed_by = $5, reviewed_at = $6 WHERE id = $1 AND status = 'pending'",
      {id, status, reason, Opt(pharmacy_id), by, now});
  if (!r) return r.error();
  return *r == 1;
}

Status EnsureItem(store::Tx& tx, std::int64_t pharmacy_id, std::int64_t item_id) {
  auto r = tx.Exec(
      "INSERT INTO pharmacy_items (pharmacy_id, item_id, reserved) VALUES ($1, $2, 0) "
      "ON CONFLICT (pharmacy_id, item_id) DO NOTHING",
      {pharmacy_id, item_id});
  if (!r) return r.error();
  return {};
}

Result<std::optional<ItemRow>> LockItem(store::Tx& tx, std::int64_t pharmacy_id, std::int64_t item_id) {
  std::string sql = "SELECT price_fen, reserved FROM pharmacy_items WHERE pharmacy_id = $1 AND item_id = $2";
  if (tx.backend() == store::Backend::postgres) sql += " FOR UPDATE";
  auto r = tx.Query(sql, {pharmacy_id, item_id});
  if (!r) return r.error();
  if (r->empty()) return std::optional<ItemRow>();
  return std::optional<ItemRow>(ItemRow{r->front().OptInt(0), r->front().Int(1)});
}

Status SetPrice(store::Tx& tx, std::int64_t pharmacy_id, std::int64_t item_id, std::int64_t price_fen) {
  auto r = tx.Exec(
      "INSERT INTO pharmacy_items (pharmacy_id, item_id, price_fen, reserved) VALUES ($1, $2, $3, 0) "
      "ON CONFLICT (pharmacy_id, item_id) DO UPDATE SET price_fen = excluded.price_fen",
      {pharmacy_id, item_id, price_fen});
  if (!r) return r.error();
  return {};
}

Result<std::vector<std::optional<std::int64_t>>> Prices(store::Tx& tx, std::int64_t pharmacy_id,
                                                        const std::vector<std::int64_t>& item_ids) {
  std::vector<std::optional<std::int64_t>> out;
  for (auto id : item_ids) {
    auto r =
        tx.Query("SELECT price_fen FROM pharmacy_items WHERE pharmacy_id = $1 AND item_id = $2", {pharmacy_id, id});
    if (!r) return r.error();
    out.push_back(r->empty() ? std::nullopt : r->front().OptInt(0));
  }
  return out;
}

Result<std::vector<Batch>> Batches(store::Tx& tx, std::int64_t pharmacy_id, std::int64_t item_id) {
  auto r = tx.Query(
      "SELECT batch_no, expiry_date, on_hand FROM pharmacy_batches WHERE pharmacy_id = $1 AND item_id = $2 "
      "ORDER BY expiry_date, batch_no",
      {pharmacy_id, item_id});
  if (!r) return r.error();
  std::vector<Batch> out;
  for (const auto& row : *r) out.push_back({row.Text(0), row.Text(1), row.Int(2)});
  return out;
}

Result<std::vector<ItemBatch>> BatchesNamed(store::Tx& tx, std::int64_t pharmacy_id, const std::string& batch_no) {
  auto r = tx.Query(
      "SELECT item_id, batch_no, expiry_date, on_hand FROM pharmacy_batches WHERE pharmacy_id = $1 AND batch_no = $2 "
      "ORDER BY item_id",
      {pharmacy_id, batch_no});
  if (!r) return r.error();
  std::vector<ItemBatch> out;
  for (const auto& row : *r) out.push_back({row.Int(0), row.Text(1), row.Text(2), row.Int(3)});
  return out;
}

Result<std::int64_t> AppendMove(store::Tx& tx, const StockMove& m) {
  auto r = tx.Query(
      "INSERT INTO pharmacy_stock_moves (pharmacy_id, item_id, kind, batch_no, expiry_date, on_hand_delta, "
      "reserved_delta, ref, reason, cost_fen, by_user, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
      "RETURNING id",
      {m.pharmacy_id, m.formulary_item_id, m.kind, m.batch_no, m.expiry_date, m.on_hand_delta, m.reserved_delta, m.ref,
       m.reason, Opt(m.cost_fen), Opt(m.by_user), m.at});
  if (!r) return r.error();
  if (m.on_hand_delta != 0) {
    // Update the batch, or make it. A batch below zero fails its CHECK (on_hand >= 0), and a
    // negative move on a batch that is not there fails it on insert: never negative.
    auto u = tx.Exec(
        "UPDATE pharmacy_batches SET on_hand = on_hand + $4 WHERE pharmacy_id = $1 AND item_id = $2 AND batch_no = $3",
        {m.pharmacy_id, m.formulary_item_id, m.batch_no, m.on_hand_delta});
    if (!u) return u.error();
    if (*u == 0) {
      auto b = tx.Exec(
          "INSERT INTO pharmacy_batches (pharmacy_id, item_id, batch_no, expiry_date, on_hand) VALUES ($1, $2, $3, "
          "$4, $5)",
          {m.pharmacy_id, m.formulary_item_id, m.batch_no, m.expiry_date, m.on_hand_delta});
      if (!b) return b.error();
    }
  }
  if (m.reserved_delta != 0) {
    auto u = tx.Exec("UPDATE pharmacy_items SET reserved = reserved + $3 WHERE pharmacy_id = $1 AND item_id = $2",
                     {m.pharmacy_id, m.formulary_item_id, m.reserved_delta});
    if (!u) return u.error();
  }
  return r->front().Int(0);
}

Result<std::vector<StockMove>> MovesOfRef(store::Tx& tx, const std::string& ref) {
  auto r = tx.Query(std::string("SELECT ") + kMoveCols + " WHERE ref = $1 ORDER BY id", {ref});
  if (!r) return r.error();
  std::vector<StockMove> out;
  for (const auto& row : *r) out.push_back(ToMove(row));
  return out;
}

Result<std::vector<StockMove>> MovesOf(store::Tx& tx, std::int64_t pharmacy_id, std::int64_t item_id, int limit) {
  auto r = tx.Query(
      std::string("SELECT ") + kMoveCols + " WHERE pharmacy_id = $1 AND item_id = $2 ORDER BY id DESC LIMIT $3",
      {pharmacy_id, item_id, std::int64_t{limit}});
  if (!r) return r.error();
  std::vector<StockMove> out;
  for (const auto& row : *r) out.push_back(ToMove(row));
  return out;
}

Result<SupplyMap> SupplyOf(store::Tx& tx, const std::vector<std::int64_t>& pharmacy_ids,
                           const std::vector<std::int64_t>& item_ids, const std::string& today) {
  SupplyMap out;
  if (pharmacy_ids.empty() || item_ids.empty()) return out;
  constexpr std::size_t kChunk = 400;
  for (std::size_t at = 0; at < pharmacy_ids.size(); at += kChunk) {
    store::Params params{today};
    std::string items, pharmacies;
    for (auto id : item_ids) {
      params.push_back(id);
      items += (items.empty() ? "$" : ", $") + std::to_string(params.size());
    }
    for (std::size_t i = at; i < std::min(pharmacy_ids.size(), at + kChunk); ++i) {
      params.push_back(pharmacy_ids[i]);
      pharmacies += (pharmacies.empty() ? "$" : ", $") + std::to_string(params.size());
    }
    auto r = tx.Query(
        "SELECT i.pharmacy_id, i.item_id, i.price_fen, i.reserved, COALESCE((SELECT SUM(b.on_hand) FROM "
        "pharmacy_batches b WHERE b.pharmacy_id = i.pharmacy_id AND b.item_id = i.item_id AND b.expiry_date >= $1), "
        "0) FROM pharmacy_items i WHERE i.item_id IN (" +
            items + ") AND i.pharmacy_id IN (" + pharmacies + ")",
        params);
    if (!r) return r.error();
    for (const auto& row : *r) out[{row.Int(0), row.Int(1)}] = Supply{row.OptInt(2), row.Int(3), row.Int(4)};
  }
  return out;
}

Result<std::vector<StockItem>> StockList(store::Tx& tx, std::int64_t pharmacy_id) {
  auto r = tx.Query("SELECT item_id, price_fen, reserved FROM pharmacy_items WHERE pharmacy_id = $1 ORDER BY item_id",
                    {pharmacy_id});
  if (!r) return r.error();
  std::vector<StockItem> out;
  std::map<std::int64_t, std::size_t> at;
  for (const auto& row : *r) {
    StockItem s;
    s.formulary_item_id = row.Int(0);
    s.price_fen = row.OptInt(1);
    s.reserved = row.Int(2);
    at[s.formulary_item_id] = out.size();
    out.push_back(std::move(s));
  }
  auto b = tx.Query(
      "SELECT item_id, batch_no, expiry_date, on_hand FROM pharmacy_batches WHERE pharmacy_id = $1 AND on_hand > 0 "
      "ORDER BY item_id, expiry_date, batch_no",
      {pharmacy_id});
  if (!b) return b.error();
  for (const auto& row : *b)
    if (auto it = at.find(row.Int(0)); it != at.end())
      out[it->second].batches.push_back({row.Text(1), row.Text(2), row.Int(3)});
  return out;
}

Result<std::vector<DueBatch>> ExpiredWithStock(store::Tx& tx, const std::string& today, int limit) {
  auto r = tx.Query(
      "SELECT pharmacy_id, item_id, batch_no FROM pharmacy_batches WHERE expiry_date < $1 AND on_hand > 0 ORDER BY "
      "pharmacy_id, item_id, batch_no LIMIT $2",
      {today, std::int64_t{limit}});
  if (!r) return r.error();
  std::vector<DueBatch> out;
  for (const auto& row : *r) out.push_back({row.Int(0), row.Int(1), row.Text(2)});
  return out;
}

Result<LevelCheck> CheckLevels(store::Tx& tx) {
  LevelCheck c;
  auto n = tx.Query("SELECT COUNT(*) FROM pharmacy_stock_moves");
  if (!n) return n.error();
  c.moves_checked = n->front().Int(0);
  // Batches: stored on hand vs the sum of the moves' on_hand_delta (a full outer comparison).
  std::map<std::tuple<std::int64_t, std::int64_t, std::string>, std::pair<std::int64_t, std::int64_t>> batches;
  auto stored = tx.Query("SELECT pharmacy_id, item_id, batch_no, on_hand FROM pharmacy_batches");
  if (!stored) return stored.error();
  for (const auto& row : *stored) batches[{row.Int(0), row.Int(1), row.Text(2)}].first = row.Int(3);
  auto moved = tx.Query(
      "SELECT pharmacy_id, item_id, batch_no, SUM(on_hand_delta) FROM pharmacy_stock_moves WHERE on_hand_delta <> 0 "
      "GROUP BY pharmacy_id, item_id, batch_no");
  if (!moved) return moved.error();
  for (const auto& row : *moved) batches[{row.Int(0), row.Int(1), row.Text(2)}].second = row.Int(3);
  for (const auto& [k, v] : batches) {
    ++c.levels_checked;
    if (v.first != v.second)
      c.differences.push_back({std::get<0>(k), std::get<1>(k), std::get<2>(k), v.first, v.second});
  }
  std::map<std::pair<std::int64_t, std::int64_t>, std::pair<std::int64_t, std::int64_t>> reserved;
  auto items = tx.Query("SELECT pharmacy_id, item_id, reserved FROM pharmacy_items");
  if (!items) return items.error();
  for (const auto& row : *items) reserved[{row.Int(0), row.Int(1)}].first = row.Int(2);
  auto res = tx.Query(
      "SELECT pharmacy_id, item_id, SUM(reserved_delta) FROM pharmacy_stock_moves WHERE reserved_delta <> 0 GROUP BY "
      "pharmacy_id, item_id");
  if (!res) return res.error();
  for (const auto& row : *res) reserved[{row.Int(0), row.Int(1)}].second = row.Int(2);
  for (const auto& [k, v] : reserved) {
    ++c.levels_checked;
    if (v.first != v.second) c.differences.push_back({k.first, k.second, "", v.first, v.second});
  }
  return c;
}

}  // namespace ihos::domain::pharmacy::repo
