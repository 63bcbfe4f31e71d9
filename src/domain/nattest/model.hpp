#pragma once
// Nucleic-acid test booking: sites, slots, bookings and their samples. Typed values only — no
// JSON (json.cpp), no SQL (repository.cpp). Times are Unix milliseconds, dates CST "YYYY-MM-DD".
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ihos::domain::nattest {

struct SiteInput {
  std::string name, kind, region_code, address, opening_hours;  // kind: hospital | sampling_point
  std::int64_t price_fen = 0;                                   // per test; 0 = explicitly free
};

struct Site {
  std::int64_t id = 0;
  std::string name, kind, region_code, address, opening_hours;
  bool demo = false;
  std::int64_t free_places = 0;  // from now to the booking horizon (lists only)
  std::int64_t price_fen = 0;    // per test; 0 = explicitly free
};

// Slots for dates [from_date, from_date + days), one every window_minutes from start_time to
// end_time (CST "HH:MM"), each with `capacity` places.
struct SlotPlan {
  std::string from_date;
  int days = 1;
  std::string start_time, end_time;
  int window_minutes = 60;
  int capacity = 0;
};

struct SlotPlanOutcome {
  std::int64_t created = 0;   // slots added
  std::int64_t existing = 0;  // slots the plan names that were there already (kept as they are)
};

struct Slot {
  std::int64_t id = 0;
  std::int64_t site_id = 0;
  std::string date;
  std::int64_t start_at = 0;
  std::int64_t end_at = 0;
  std::int64_t capacity = 0;
  std::int64_t booked = 0;
};

// The slots of a site on a date, and whether each can be booked now.
struct SiteDay {
  std::int64_t site_id = 0;
  std::string date;
  struct Item {
    Slot slot;
    bool bookable = false;
  };
  std::vector<Item> items;
};

struct HomeVisitInput {
  std::optional<std::int64_t> patient_id;
  std::string region_code, address, date, start_time, end_time;
};

// A test booking (FHIR ServiceRequest) with its site, patient name, sample and result.
// status: booked | accepted (home visits) | collected | resulted | cancelled.
struct Booking {
  std::int64_t id = 0;
  std::int64_t patient_id = 0;
  std::string patient_name;  // masked by the service for staff
  std::int64_t booked_by = 0;
  std::string mode;  // site | home
  std::optional<std::int64_t> site_id;
  std::optional<std::string> site_name, site_address;
  std::optional<std::int64_t> slot_id;
  std::optional<std::string> region_code;  // home visits
  std::string address;                     // home visits; "" when the viewer may not see it
  std::string date;
  std::int64_t window_start = 0;
  std::int64_t window_end = 0;
  std::string status;
  std::optional<std::int64_t> accepted_at, accepted_by;
  std::optional<std::string> sample_no;
  std::optional<std::int64_t> collected_at;
  std::optional<std::string> result;  // negative | positive
  std::optional<std::int64_t> reported_at;
  std::string cancel_reason;
  std::optional<std::string> cancelled_by;
  std::optional<std::int64_t> cancelled_at;
  std::int64_t created_at = 0;
  std::int64_t price_fen = 0;  // the site's price when booked (billing item nat.test); 0 = free
};

struct NewBooking {
  std::int64_t patient_id = 0;
  std::int64_t booked_by = 0;
  std::string mode;  // site | home
  std::optional<std::int64_t> site_id, slot_id;
  std::optional<std::string> region_code;
  std::string address;  // home visits; "" at a site
  std::string date;
  std::int64_t window_start = 0;
  std::int64_t window_end = 0;
  std::int64_t created_at = 0;
};

// A lab result as recorded: the booking after the update and the health code's fact and colour.
struct RecordedResult {
  Booking booking;
  std::int64_t fact_id = 0;
  std::string colour;
};

}  // namespace ihos::domain::nattest
