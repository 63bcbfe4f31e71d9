#pragma once
// What a capability offers over the WebSocket (/api/v1/ws; protocol in
// src/domain/consultation/README.md): named methods a client calls ("consultation.send") and
// topic families it may subscribe to ("consultation:"). The WebSocket hub owns the sockets;
// capabilities register here at start-up, before the server starts (not thread-safe to add
// later; lookups are read-only afterwards).
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/principal.hpp"

namespace ihos::http {

struct WsCall {
  const Principal& actor;
  const boost::json::object& params;
  RequestMeta meta;    // request id (one per call) and client address
  std::string locale;  // "zh-CN" or "en"
};
// Runs on the worker pool (may block on the database). The value is sent as the call's result
// after the method returned (its writes are committed by then).
using WsMethod = std::function<Result<boost::json::value>(const WsCall&)>;

// Whether `actor` may subscribe to `topic` (errors: not_found for a topic they may not see) and
// the backlog to send before live events: event payloads (JSON texts) after `after_seq`.
// Runs on the worker pool.
using WsTopic = std::function<Result<std::vector<std::string>>(const Principal& actor, std::string_view topic,
                                                               std::int64_t after_seq)>;

class WsRegistry {
 public:
  void AddMethod(std::string name, WsMethod m) { methods_[std::move(name)] = std::move(m); }
  // `prefix` ends with ':' ("consultation:"); the topic is prefix + key.
  void AddTopic(std::string prefix, WsTopic t) { topics_[std::move(prefix)] = std::move(t); }

  const WsMethod* Method(std::string_view name) const {
    auto it = methods_.find(std::string(name));
    return it == methods_.end() ? nullptr : &it->second;
  }
  const WsTopic* Topic(std::string_view topic) const {
    const auto colon = topic.find(':');
    if (colon == std::string_view::npos) return nullptr;
    auto it = topics_.find(std::string(topic.substr(0, colon + 1)));
    return it == topics_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, WsMethod, std::less<>> methods_;
  std::map<std::string, WsTopic, std::less<>> topics_;
};

}  // namespace ihos::http
