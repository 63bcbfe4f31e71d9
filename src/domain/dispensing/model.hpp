#pragma once
// Drug orders (FHIR MedicationDispense; "drug orders" in the UI): an approved prescription's lines
// ordered at one pharmacy for delivery or pickup, their payment through billing, dispensing from
// the pharmacy's stock, the courier timeline and the signed pickup code. No JSON, no SQL. See
// README.md beside this file.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ihos::domain::dispensing {

// One prescription line ordered here. Quantities are boxes; prices the pharmacy's, in fen.
struct OrderLine {
  std::int64_t line_no = 0;  // the prescription line
  std::int64_t formulary_item_id = 0;
  std::string name;
  std::string strength;
  std::int64_t prescribed = 0;  // boxes on the prescription line
  std::int64_t quantity = 0;
  std::int64_t unit_fen = 0;
  std::string item_code;  // drug.A | drug.B | drug.none (from the NRDL reimbursement class)
  std::string otc_class;  // OTC orders: A (甲类) | B (乙类), as marked when sold; "" for prescription lines
  // OTC orders: the mark (formulary_otc_marks.id) the line was sold under — for 甲类, the one whose
  // advice the buyer acknowledged; 0 for prescription lines.
  std::int64_t otc_mark_id = 0;
};

struct Batch {
  std::int64_t formulary_item_id = 0;
  std::string batch_no;
  std::string expiry_date;
  std::int64_t quantity = 0;
};

struct Event {
  std::string status;
  std::string actor_role;  // patient | pharmacy | courier | system
  std::string note;
  std::int64_t at = 0;
};

struct Order {
  std::int64_t id = 0;
  std::int64_t patient_id = 0;
  std::string patient_name;
  std::int64_t created_by = 0;
  std::string kind = "rx";           // rx (an approved prescription's lines) | otc (OTC lines, no prescription)
  std::int64_t prescription_id = 0;  // 0 for OTC orders
  std::int64_t pharmacy_id = 0;
  std::string pharmacy_name;
  std::string mode;  // delivery | pickup
  std::string address;
  std::int64_t lat_e6 = 0;
  std::int64_t lon_e6 = 0;
  std::string contact_phone;
  std::int64_t items_fen = 0;
  std::int64_t delivery_fee_fen = 0;
  // placed | accepted | dispensed | assigned | picked_up | delivered | failed | handed_over | returned |
  // cancelled | rejected | expired
  std::string status;
  std::string reason;
  std::optional<std::int64_t> courier_id;
  std::string courier_name;
  std::int64_t rx_line_count = 0;
  std::string pickup_nonce;
  std::optional<std::int64_t> pickup_used_at;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::vector<OrderLine> lines;
  std::vector<Batch> batches;
  std::vector<Event> events;
  // Filled for views:
  bool paid = false;  // settled in billing (or free)
  std::int64_t total_fen() const { return items_fen + delivery_fee_fen; }
};

// What the patient asks for one line: quantity 0 = what is left of it.
struct LineChoice {
  std::int64_t line_no = 0;
  std::int64_t quantity = 0;
};

struct OrderInput {
  std::int64_t prescription_id = 0;
  std::int64_t pharmacy_id = 0;
  std::string mode;  // delivery | pickup
  std::string address;
  double lat = 0;
  double lon = 0;
  std::string contact_phone;
  // Empty: every line, all that is left of it (the whole remainder or nothing). Some lines or
  // smaller quantities: partial supply, the rest stays orderable elsewhere.
  std::vector<LineChoice> lines;
};

// One OTC line asked for: a formulary line marked OTC, in boxes.
struct OtcLineChoice {
  std::int64_t formulary_item_id = 0;
  std::int64_t quantity = 0;
};

// An OTC order (no prescription) at one pharmacy.
struct OtcOrderInput {
  std::int64_t patient_id = 0;  // 0: the actor; else a ward the actor may act for
  std::int64_t pharmacy_id = 0;
  std::string mode;  // delivery | pickup
  std::string address;
  double lat = 0;
  double lon = 0;
  std::string contact_phone;
  std::vector<OtcLineChoice> lines;
  // The formulary lines whose marking pharmacist's advice the buyer read and acknowledges (each
  // 甲类 line must be among them).
  std::vector<std::int64_t> advice_acknowledged_items;
};

// How much of one prescription line is prescribed, ordered (live orders) and dispensed.
struct LineProgress {
  std::int64_t line_no = 0;
  std::int64_t formulary_item_id = 0;
  std::string name;
  std::string strength;
  std::int64_t prescribed = 0;
  std::int64_t ordered = 0;    // in live orders (not cancelled, rejected, expired or returned)
  std::int64_t dispensed = 0;  // of those, dispensed
  std::int64_t remaining() const { return prescribed - ordered; }
};

// A prescription's lines as orderable now.
struct Orderable {
  std::int64_t prescription_id = 0;
  std::string rx_no;
  std::string status;
  std::int64_t expires_at = 0;
  std::string refusal;  // "" | rx_not_approved | rx_expired
  std::vector<LineProgress> lines;
};

// A decoded, verified pickup code.
struct PickupClaim {
  std::int64_t key_id = 0;
  std::int64_t order_id = 0;
  std::int64_t pharmacy_id = 0;
  std::string nonce;
};

struct PublicKey {
  std::int64_t id = 0;
  std::string public_key;  // base64url, 32 bytes
  std::int64_t created_at = 0;
};

}  // namespace ihos::domain::dispensing
