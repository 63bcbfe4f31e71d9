// WebSocket text messages (the hub's JSON frames: auth, ping, subscribe, unsubscribe, call).
// Invariant: a decoded frame respects the protocol's limits.
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "http/ws_frame.hpp"

using ihos::http::WsFrame;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const WsFrame f = ihos::http::ParseWsFrame(std::string_view(reinterpret_cast<const char*>(data), size));
  FUZZ_CHECK(f.ref.size() <= ihos::http::kWsMaxRef);
  switch (f.kind) {
    case WsFrame::Kind::bad:
      FUZZ_CHECK(!f.error.empty());
      break;
    case WsFrame::Kind::auth:
      // "" only when the frame has no "token" member (the session cookie authenticates).
      FUZZ_CHECK(f.token.size() <= ihos::http::kWsMaxToken);
      break;
    case WsFrame::Kind::subscribe:
      FUZZ_CHECK(f.after_seq >= 0);
      [[fallthrough]];
    case WsFrame::Kind::unsubscribe:
      FUZZ_CHECK(!f.topic.empty() && f.topic.size() <= ihos::http::kWsMaxTopic);
      break;
    case WsFrame::Kind::call:
      FUZZ_CHECK(!f.method.empty() && f.method.size() <= ihos::http::kWsMaxMethod);
      break;
    case WsFrame::Kind::ping:
      break;
  }
  return 0;
}
