#pragma once
// Home services: the catalogue, orders with their timeline, nurses' service areas. Typed values
// only — no JSON (json.cpp), no SQL (repository.cpp). Times are Unix milliseconds.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/notifications/model.hpp"

namespace ihos::domain::homecare {

// One entry of the catalogue (homecare_services); price in fen.
struct ServiceItem {
  std::string code, kind;  // kind: nursing | escort
  std::string name_zh, name_en;
  std::int64_t price_fen = 0;
  std::int64_t duration_minutes = 0;
  bool demo = false;  // a demo price shipped by the migration
};

// A price an admin set (the demo flag is gone).
struct PriceChange {
  std::string code;
  std::int64_t price_fen = 0;
  bool active = true;
};

struct OrderInput {
  std::optional<std::int64_t> patient_id;
  std::string service_code, region_code, address, contact_phone, date, start_time, end_time, note;
};

// An order (FHIR ServiceRequest) with its service's names and the patient's and nurse's names.
// status: requested | accepted | arrived | completed | cancelled.
struct Order {
  std::int64_t id = 0;
  std::int64_t patient_id = 0;
  std::string patient_name;  // masked by the service for nurses
  std::int64_t booked_by = 0;
  std::string service_code, service_kind, service_name_zh, service_name_en;
  std::int64_t price_fen = 0;
  bool price_demo = false;
  std::string region_code;
  std::string address, contact_phone;  // "" when the viewer may not see them
  std::int64_t window_start = 0;
  std::int64_t window_end = 0;
  std::string note;
  std::string status;
  std::optional<std::int64_t> nurse_id;
  std::optional<std::string> nurse_name;
  std::string service_note;
  std::string cancel_reason;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct NewOrder {
  std::int64_t patient_id = 0;
  std::int64_t booked_by = 0;
  std::string service_code;
  std::int64_t price_fen = 0;
  std::string region_code, address, contact_phone;
  std::int64_t window_start = 0;
  std::int64_t window_end = 0;
  std::string note;
  std::int64_t created_at = 0;
};

// One step of an order's timeline (homecare_events).
struct Event {
  std::string status;
  std::string actor_role;  // patient | guardian | nurse
  std::string note;
  std::int64_t at = 0;
};

// Who an order is shown to: the patient's side (patient, guardian, booker), a nurse looking at
// an open order in the area (no street address or phone), or the nurse who accepted it.
enum class Audience { patient, nurse_open, nurse_assigned };

struct OrderView {
  Order order;
  Audience audience = Audience::patient;
  std::optional<std::vector<Event>> events;  // the timeline; none on the board's open list
};

struct NurseBoard {
  std::vector<std::string> areas;  // region codes
  std::vector<OrderView> open;     // requested, in the area, window not ended
  std::vector<OrderView> mine;     // accepted or arrived, and the last week's others
};

// A notice of a status change: a notifications::Message (user_id set per addressee).
using Notice = notifications::Message;

}  // namespace ihos::domain::homecare
