#pragma once
// What a user is told (an appointment cancelled, a test result, a home-care order accepted),
// in zh-CN and en, written when the event happens. No JSON, no SQL.
#include <cstdint>
#include <optional>
#include <string>

namespace ihos::domain::notifications {

// A stored notification, as its addressee reads it.
struct Notification {
  std::int64_t id = 0;
  std::int64_t user_id = 0;  // the addressee
  std::string kind;          // a stable code: appointment_cancelled, nat_result, homecare_accepted, ...
  std::string title_zh, title_en, body_zh, body_en;
  std::optional<std::int64_t> appointment_id;  // the appointment it is about, if any
  std::int64_t created_at = 0;
  std::optional<std::int64_t> read_at;
};

// A notification to send: everything but the id and read_at.
struct Message {
  std::int64_t user_id = 0;
  std::string kind;
  std::string title_zh, title_en, body_zh, body_en;
  std::optional<std::int64_t> appointment_id;
};

}  // namespace ihos::domain::notifications
