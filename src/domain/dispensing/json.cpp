#include "domain/dispensing/json.hpp"

namespace ihos::domain::dispensing {
namespace json = boost::json;

namespace {

json::value OptInt(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

}  // namespace

json::object OrderJson(const Order& o) {
  json::array lines;
  for (const auto& l : o.lines)
    lines.push_back(json::object{{"line_no", l.line_no},
                                 {"formulary_item_id", l.formulary_item_id},
                                 {"name", l.name},
                                 {"strength", l.strength},
                                 {"prescribed", l.prescribed},
                                 {"quantity", l.quantity},
                                 {"unit_fen", l.unit_fen},
                                 {"item_code", l.item_code},
                                 {"otc_class", l.otc_class.empty() ? json::value(nullptr) : json::value(l.otc_class)},
                                 {"otc_mark_id", l.otc_mark_id ? json::value(l.otc_mark_id) : json::value(nullptr)}});
  json::array batches;
  for (const auto& b : o.batches)
    batches.push_back(json::object{{"formulary_item_id", b.formulary_item_id},
                                   {"batch_no", b.batch_no},
                                   {"expiry_date", b.expiry_date},
                                   {"quantity", b.quantity}});
  json::array events;
  for (const auto& e : o.events)
    events.push_back(json::object{{"status", e.status}, {"actor_role", e.actor_role}, {"note", e.note}, {"at", e.at}});
  return json::object{{"id", o.id},
                      {"patient_id", o.patient_id},
                      {"patient_name", o.patient_name},
                      {"kind", o.kind},
                      {"prescription_id", o.prescription_id ? json::value(o.prescription_id) : json::value(nullptr)},
                      {"pharmacy_id", o.pharmacy_id},
                      {"pharmacy_name", o.pharmacy_name},
                      {"mode", o.mode},
                      {"address", o.address},
                      {"lat", static_cast<double>(o.lat_e6) / 1e6},
                      {"lon", static_cast<double>(o.lon_e6) / 1e6},
                      {"contact_phone", o.contact_phone},
                      {"items_fen", o.items_fen},
                      {"delivery_fee_fen", o.delivery_fee_fen},
                      {"total_fen", o.total_fen()},
                      {"status", o.status},
                      {"reason", o.reason},
                      {"paid", o.paid},
                      {"courier_id", OptInt(o.courier_id)},
                      {"courier_name", o.courier_name},
                      {"pickup_used_at", OptInt(o.pickup_used_at)},
                      {"created_at", o.created_at},
                      {"updated_at", o.updated_at},
                      {"lines", std::move(lines)},
                      {"batches", std::move(batches)},
                      {"events", std::move(events)}};
}

json::object OrdersJson(const std::vector<Order>& v) {
  json::array a;
  for (const auto& o : v) a.push_back(OrderJson(o));
  return json::object{{"items", std::move(a)}};
}

json::object OrderableJson(const Orderable& o) {
  json::array lines;
  for (const auto& l : o.lines)
    lines.push_back(json::object{{"line_no", l.line_no},
                                 {"formulary_item_id", l.formulary_item_id},
                                 {"name", l.name},
                                 {"strength", l.strength},
                                 {"prescribed", l.prescribed},
                                 {"ordered", l.ordered},
                                 {"dispensed", l.dispensed},
                                 {"remaining", l.remaining()}});
  return json::object{{"prescription_id", o.prescription_id},
                      {"rx_no", o.rx_no},
                      {"status", o.status},
                      {"expires_at", o.expires_at},
                      {"refusal", o.refusal.empty() ? json::value(nullptr) : json::value(o.refusal)},
                      {"lines", std::move(lines)}};
}

json::object KeysJson(const std::vector<PublicKey>& v) {
  json::array a;
  for (const auto& k : v)
    a.push_back(
        json::object{{"id", k.id}, {"alg", "Ed25519"}, {"public_key", k.public_key}, {"created_at", k.created_at}});
  return json::object{{"items", std::move(a)}};
}

json::object ScanCheckJson(const pharmacy::ScanCheck& c) {
  json::array scans;
  for (const auto& b : c.scans)
    scans.push_back(json::object{{"code", b.code},
                                 {"formulary_item_id", b.formulary_item_id},
                                 {"batch_no", b.batch_no},
                                 {"expiry_date", b.expiry_date}});
  json::array items;
  for (const auto& i : c.items)
    items.push_back(
        json::object{{"formulary_item_id", i.formulary_item_id}, {"ordered", i.ordered}, {"scanned", i.scanned}});
  return json::object{{"complete", c.complete()}, {"scans", std::move(scans)}, {"items", std::move(items)}};
}

std::string ChangeEventJson(const Order& o) {
  return json::serialize(json::object{{"kind", "drug_order"},
                                      {"id", o.id},
                                      {"pharmacy_id", o.pharmacy_id},
                                      {"status", o.status},
                                      {"paid", o.paid},
                                      {"updated_at", o.updated_at}});
}

}  // namespace ihos::domain::dispensing
