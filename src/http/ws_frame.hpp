#pragma once
// Decoding one incoming WebSocket text message (protocol: src/domain/consultation/README.md) into
// what the hub does with it. Pure: no connection, no I/O (the hub in ws_hub.cpp acts on the
// result; the fuzz target fuzz/ws_frame_fuzz.cpp feeds it arbitrary bytes).
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace ihos::http {

inline constexpr std::size_t kWsMaxTopic = 200;
inline constexpr std::size_t kWsMaxRef = 64;
inline constexpr std::size_t kWsMaxMethod = 100;
inline constexpr std::size_t kWsMaxToken = 512;

struct WsFrame {
  enum class Kind { bad, auth, ping, subscribe, unsubscribe, call };
  Kind kind = Kind::bad;
  std::string ref;             // the caller's reference ("" when absent or unreadable)
  std::string error;           // Kind::bad: why (the detail of the ws_bad_frame error)
  std::string token;           // auth ("" when absent: the session cookie is used)
  std::string topic;           // subscribe, unsubscribe
  std::int64_t after_seq = 0;  // subscribe
  std::string method;          // call
  boost::json::object params;  // call ({} when absent or null)
};

// Decodes `text` (any bytes). Never throws.
WsFrame ParseWsFrame(std::string_view text);

}  // namespace ihos::http
