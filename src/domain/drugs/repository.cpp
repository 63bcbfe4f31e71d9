#include "domain/drugs/repository.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "core/text.hpp"
#include "domain/drugs/rules.hpp"
#include "store/value.hpp"

namespace ihos::domain::drugs::repo {
namespace {

constexpr char kDrugCols[] =
    "d.id, d.nhsa_id, d.name, d.name_en, d.section, d.kind, d.reimbursement_class, d.dosage_form, d.category_path, "
    "d.therapeutic_class, d.controlled, d.controlled_source, d.antimicrobial, d.antimicrobial_chronic_exempt, "
    "d.allergy_classes, d.pinyin";
constexpr std::size_t kDrugColCount = 16;

std::string JoinBars(const std::vector<std::string>& v) {
  if (v.empty()) return "";
  std::string s = "|";
  for (const auto& x : v) s += x + "|";
  return s;
}
std::vector<std::string> SplitBars(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == '|') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// The one mapper of a drugs row (columns kDrugCols from offset `o`).
Drug DrugFrom(const store::Row& r, std::size_t o = 0) {
  Drug d;
  d.id = r.Int(o + 0);
  d.nhsa_id = r.Int(o + 1);
  d.name = r.Text(o + 2);
  d.name_en = r.Text(o + 3);
  d.section = r.Text(o + 4);
  d.kind = r.Text(o + 5);
  d.reimbursement_class = r.Text(o + 6);
  d.dosage_form = r.Text(o + 7);
  d.category_path = r.Text(o + 8);
  d.therapeutic_class = r.Text(o + 9);
  d.controlled = r.Text(o + 10);
  d.controlled_source = r.Text(o + 11);
  d.antimicrobial = r.Int(o + 12) != 0;
  d.antimicrobial_chronic_exempt = r.Int(o + 13) != 0;
  d.allergy_classes = SplitBars(r.Text(o + 14));
  d.pinyin = r.Text(o + 15);
  return d;
}

constexpr char kFormularyCols[] =
    "f.id, f.name_en, f.strength, f.dose_unit, f.strength_amount_milli, f.package_unit, f.package_size, f.price_fen, "
    "f.routes, f.max_single_milli, f.max_daily_milli, f.child_max_daily_milli_per_kg, f.min_age_years, "
    "f.special_storage, f.insert_source, f.demo";

// The one mapper of a formulary row joined with its drug (kFormularyCols, then kDrugCols).
FormularyItem FormularyFrom(const store::Row& r) {
  FormularyItem f;
  f.id = r.Int(0);
  f.name_en = r.Text(1);
  f.strength = r.Text(2);
  f.dose_unit = r.Text(3);
  f.strength_amount_milli = r.Int(4);
  f.package_unit = r.Text(5);
  f.package_size = r.Int(6);
  f.price_fen = r.Int(7);
  f.routes = SplitBars(r.Text(8));
  f.max_single_milli = r.OptInt(9);
  f.max_daily_milli = r.OptInt(10);
  f.child_max_daily_milli_per_kg = r.OptInt(11);
  f.min_age_years = r.Int(12);
  f.special_storage = r.Text(13);
  f.insert_source = r.Text(14);
  f.demo = r.Int(15) != 0;
  f.drug = DrugFrom(r, 16);
  if (f.drug.name_en.empty()) f.drug.name_en = f.name_en;
  return f;
}

std::string SearchText(const Drug& d) {
  return text::LowerAscii(d.name + " " + d.pinyin + " " + d.category_path + " " + d.name_en);
}

std::string Like(const std::string& s) {
  std::string out = "%";
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

constexpr std::string_view kDrugInsert =
    "INSERT INTO drugs (nhsa_id, name, name_en, section, kind, reimbursement_class, dosage_form, category_path, "
    "therapeutic_class, controlled, controlled_source, antimicrobial, antimicrobial_chronic_exempt, "
    "allergy_classes, pinyin, search_text)";
constexpr std::size_t kDrugInsertColumns = 16;
constexpr std::string_view kDrugUpsert =
    " ON CONFLICT (nhsa_id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, "
    "section = excluded.section, kind = excluded.kind, reimbursement_class = excluded.reimbursement_class, "
    "dosage_form = excluded.dosage_form, category_path = excluded.category_path, "
    "therapeutic_class = excluded.therapeutic_class, controlled = excluded.controlled, "
    "controlled_source = excluded.controlled_source, antimicrobial = excluded.antimicrobial, "
    "antimicrobial_chronic_exempt = excluded.antimicrobial_chronic_exempt, "
    "allergy_classes = excluded.allergy_classes, pinyin = excluded.pinyin, search_text = excluded.search_text";

void AppendDrugValues(const Drug& d, store::Params& p) {
  p.emplace_back(d.nhsa_id);
  p.emplace_back(d.name);
  p.emplace_back(d.name_en);
  p.emplace_back(d.section);
  p.emplace_back(d.kind);
  p.emplace_back(d.reimbursement_class);
  p.emplace_back(d.dosage_form);
  p.emplace_back(d.category_path);
  p.emplace_back(d.therapeutic_class);
  p.emplace_back(d.controlled);
  p.emplace_back(d.controlled_source);
  p.emplace_back(std::int64_t{d.antimicrobial});
  p.emplace_back(std::int64_t{d.antimicrobial_chronic_exempt});
  p.emplace_back(JoinBars(d.allergy_classes));
  p.emplace_back(d.pinyin);
  p.emplace_back(SearchText(d));
}

}  // namespace

Status UpsertDrug(store::Tx& tx, const Drug& d) { return UpsertDrugs(tx, {d}); }

Status UpsertDrugs(store::Tx& tx, const std::vector<Drug>& drugs) {
  // A list that holds one nhsa_id twice (ReadNrdl already keeps a file's first entry): the later
  // entry's values at the first one's place, what one statement a drug gave (PostgreSQL refuses
  // to update one row twice in one statement).
  std::vector<const Drug*> rows;
  std::unordered_map<decltype(Drug::nhsa_id), std::size_t> at;
  rows.reserve(drugs.size());
  for (const Drug& d : drugs) {
    auto [it, fresh] = at.emplace(d.nhsa_id, rows.size());
    if (fresh)
      rows.push_back(&d);
    else
      rows[it->second] = &d;
  }
  return store::InsertRows(
      tx, kDrugInsert, kDrugInsertColumns, rows.size(),
      [&](std::size_t i, store::Params& p) { AppendDrugValues(*rows[i], p); }, kDrugUpsert);
}

Status ReplaceInteractions(store::Tx& tx, const std::vector<Interaction>& pairs) {
  if (auto r = tx.Exec("DELETE FROM drug_interactions"); !r) return r.error();
  return store::InsertRows(
      tx, "INSERT INTO drug_interactions (a, b, level, source)", 4, pairs.size(),
      [&](std::size_t i, store::Params& p) {
        p.emplace_back(pairs[i].a);
        p.emplace_back(pairs[i].b);
        p.emplace_back(pairs[i].level);
        p.emplace_back(pairs[i].source);
      },
      " ON CONFLICT DO NOTHING");
}

Result<std::optional<Drug>> FindDrug(store::Tx& tx, std::int64_t id) {
  auto rows = tx.Query(std::string("SELECT ") + kDrugCols + " FROM drugs d WHERE d.id = $1", {id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Drug>{};
  return std::optional<Drug>{DrugFrom(rows->front())};
}

Result<std::optional<Drug>> FindDrugByName(store::Tx& tx, const std::string& name, const std::string& dosage_form) {
  auto rows = tx.Query(std::string("SELECT ") + kDrugCols +
                           " FROM drugs d WHERE d.name = $1 AND (d.dosage_form = $2 OR $2 = '') ORDER BY d.nhsa_id "
                           "LIMIT 1",
                       {name, dosage_form});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Drug>{};
  return std::optional<Drug>{DrugFrom(rows->front())};
}

Result<std::vector<Drug>> SearchDrugs(store::Tx& tx, const DrugQuery& q) {
  // Pinyin initials match from the start (bfl -> 布洛芬); anything else is a fragment of the
  // name, English name or category.
  auto rows = tx.Query(
      std::string("SELECT ") + kDrugCols +
          " FROM drugs d WHERE (d.pinyin LIKE $1 ESCAPE '\\' OR d.search_text LIKE $2 ESCAPE '\\') "
          "AND d.category_path LIKE $3 ESCAPE '\\' ORDER BY length(d.name), d.nhsa_id LIMIT $4",
      {Like(text::LowerAscii(q.q)).substr(1), Like(text::LowerAscii(q.q)), Like(q.category), std::int64_t{q.limit}});
  if (!rows) return rows.error();
  std::vector<Drug> out;
  for (const auto& r : *rows) out.push_back(DrugFrom(r));
  return out;
}

Result<std::int64_t> CountDrugs(store::Tx& tx) {
  auto rows = tx.Query("SELECT COUNT(*) FROM drugs");
  if (!rows) return rows.error();
  return rows->front().Int(0);
}

Result<std::int64_t> InsertFormulary(store::Tx& tx, const FormularyInput& in, std::int64_t now_ms) {
  auto rows = tx.Query(
      "INSERT INTO formulary (drug_id, name_en, strength, dose_unit, strength_amount_milli, package_unit, "
      "package_size, price_fen, routes, max_single_milli, max_daily_milli, child_max_daily_milli_per_kg, "
      "min_age_years, special_storage, insert_source, demo, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
      "$10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
      {in.drug_id, in.name_en, in.strength, in.dose_unit, in.strength_amount_milli, in.package_unit, in.package_size,
       in.price_fen, JoinBars(in.routes), store::OrNull(in.max_single_milli), store::OrNull(in.max_daily_milli),
       store::OrNull(in.child_max_daily_milli_per_kg), in.min_age_years, in.special_storage, in.insert_source,
       std::int64_t{in.demo}, now_ms});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}

namespace {
std::string FormularySelect() {
  return std::string("SELECT ") + kFormularyCols + ", " + kDrugCols +
         " FROM formulary f JOIN drugs d ON d.id = f.drug_id";
}
}  // namespace

Result<std::optional<FormularyItem>> FindFormulary(store::Tx& tx, std::int64_t id) {
  auto rows = tx.Query(FormularySelect() + " WHERE f.id = $1 AND f.active = 1", {id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<FormularyItem>{};
  return std::optional<FormularyItem>{FormularyFrom(rows->front())};
}

Result<std::vector<FormularyItem>> SearchFormulary(store::Tx& tx, const DrugQuery& q) {
  auto rows = tx.Query(
      FormularySelect() +
          " WHERE f.active = 1 AND (d.pinyin LIKE $1 ESCAPE '\\' OR d.search_text LIKE $2 ESCAPE '\\' "
          "OR lower(f.name_en) LIKE $2 ESCAPE '\\') AND d.category_path LIKE $3 ESCAPE '\\' "
          "ORDER BY length(d.name), f.id LIMIT $4",
      {Like(text::LowerAscii(q.q)).substr(1), Like(text::LowerAscii(q.q)), Like(q.category), std::int64_t{q.limit}});
  if (!rows) return rows.error();
  std::vector<FormularyItem> out;
  for (const auto& r : *rows) out.push_back(FormularyFrom(r));
  return out;
}

Result<std::vector<FormularyItem>> FormularyByIds(store::Tx& tx, const std::vector<std::int64_t>& ids) {
  std::vector<FormularyItem> out;
  for (auto id : ids) {
    auto f = FindFormulary(tx, id);
    if (!f) return f.error();
    if (*f) out.push_back(**f);
  }
  return out;
}

Result<std::vector<Interaction>> InteractionsAmong(store::Tx& tx, const std::vector<std::string>& names) {
  std::vector<Interaction> out;
  if (names.size() < 2) return out;
  // One statement: both ends among the names (placeholders $1..$n, used twice).
  std::string in;
  store::Params params;
  for (std::size_t i = 0; i < names.size(); ++i) {
    in += (i ? ", $" : "$") + std::to_string(i + 1);
    params.emplace_back(names[i]);
  }
  auto rows = tx.Query(
      "SELECT a, b, level, source FROM drug_interactions WHERE a IN (" + in + ") AND b IN (" + in + ")", params);
  if (!rows) return rows.error();
  for (const auto& r : *rows) out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3)});
  return out;
}

// --- OTC marks (migration 0060)
namespace {

constexpr char kMarkCols[] =
    "m.id, m.formulary_item_id, m.action, m.otc_class, m.reference, m.reason, m.advice, m.max_per_order, m.demo, "
    "m.by_user, u.real_name, m.at";
// The newest mark row of the formulary line `f`.
constexpr char kLatestMark[] = "m.id = (SELECT MAX(x.id) FROM formulary_otc_marks x WHERE x.formulary_item_id = f.id)";

// The one mapper of a formulary_otc_marks row (kMarkCols from offset `o`).
OtcMark MarkFrom(const store::Row& r, std::size_t o = 0) {
  OtcMark m;
  m.id = r.Int(o + 0);
  m.formulary_item_id = r.Int(o + 1);
  m.action = r.Text(o + 2);
  m.otc_class = r.Text(o + 3);
  m.reference = r.Text(o + 4);
  m.reason = r.Text(o + 5);
  m.advice = r.Text(o + 6);
  m.max_per_order = r.Int(o + 7);
  m.demo = r.Int(o + 8) != 0;
  m.by_user = r.OptInt(o + 9);
  m.by_name = r.Text(o + 10);
  m.at = r.Int(o + 11);
  return m;
}

}  // namespace

Result<std::int64_t> InsertOtcMark(store::Tx& tx, const OtcMark& m) {
  auto rows = tx.Query(
      "INSERT INTO formulary_otc_marks (formulary_item_id, action, otc_class, reference, reason, advice, "
      "max_per_order, demo, by_user, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
      {m.formulary_item_id, m.action, m.otc_class, m.reference, m.reason, m.advice, m.max_per_order,
       std::int64_t{m.demo ? 1 : 0}, store::OrNull(m.by_user), m.at});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}

Result<std::vector<OtcMark>> OtcHistory(store::Tx& tx, std::int64_t formulary_item_id) {
  auto rows = tx.Query(std::string("SELECT ") + kMarkCols +
                           " FROM formulary_otc_marks m LEFT JOIN users u ON u.id = m.by_user "
                           "WHERE m.formulary_item_id = $1 ORDER BY m.id DESC LIMIT 200",
                       {formulary_item_id});
  if (!rows) return rows.error();
  std::vector<OtcMark> out;
  for (const auto& r : *rows) out.push_back(MarkFrom(r));
  return out;
}

Result<std::map<std::int64_t, OtcMark>> CurrentOtc(store::Tx& tx, const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, OtcMark> out;
  for (auto id : ids) {
    auto rows = tx.Query(std::string("SELECT ") + kMarkCols +
                             " FROM formulary_otc_marks m LEFT JOIN users u ON u.id = m.by_user "
                             "WHERE m.formulary_item_id = $1 ORDER BY m.id DESC LIMIT 1",
                         {id});
    if (!rows) return rows.error();
    if (!rows->empty()) out[id] = MarkFrom(rows->front());
  }
  return out;
}

Result<std::vector<OtcItem>> SearchOtc(store::Tx& tx, const DrugQuery& q) {
  auto rows = tx.Query(
      std::string("SELECT ") + kFormularyCols + ", " + kDrugCols + ", " + kMarkCols +
          " FROM formulary f JOIN drugs d ON d.id = f.drug_id JOIN formulary_otc_marks m ON m.formulary_item_id = f.id "
          "AND " +
          kLatestMark +
          " LEFT JOIN users u ON u.id = m.by_user"
          " WHERE f.active = 1 AND m.action = 'mark' AND (d.pinyin LIKE $1 ESCAPE '\\' OR d.search_text LIKE $2 "
          "ESCAPE '\\' OR lower(f.name_en) LIKE $2 ESCAPE '\\') ORDER BY length(d.name), f.id LIMIT $3",
      {Like(text::LowerAscii(q.q)).substr(1), Like(text::LowerAscii(q.q)), std::int64_t{q.limit}});
  if (!rows) return rows.error();
  std::vector<OtcItem> out;
  for (const auto& r : *rows) out.push_back(OtcItem{FormularyFrom(r), MarkFrom(r, 32)});
  return out;
}

}  // namespace ihos::domain::drugs::repo
