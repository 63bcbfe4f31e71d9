#pragma once
// JSON-lines logging through spdlog. Each line is one JSON object with "ts", "level", "msg"
// and the fields given. Text fields (except "rid", the opaque request id) pass through
// MaskDigitsInText, so phone and ID numbers never reach a log unmasked.
#include <boost/json/object.hpp>
#include <string_view>

namespace ihos::log {

// Installs the process logger: asynchronous, to stdout (or `path` when non-empty). Info lines are
// handed to it in batches (at most ~20 ms late); warnings and errors flush the batch and go at once.
void Init(std::string_view level, std::string_view path = {});
// Hands the pending batch to the logger and flushes it (the last lines before exit).
void Flush();
void Info(std::string_view msg, boost::json::object fields = {});
void Warn(std::string_view msg, boost::json::object fields = {});
void Error(std::string_view msg, boost::json::object fields = {});
// The request id of the request this thread is serving, "" when none: for log lines written
// below a handler (an event subscriber that fails). http::Server sets it around each handler.
std::string_view CurrentRequestId();
// Sets CurrentRequestId() for this thread until destroyed; `rid` must outlive the scope.
class ScopedRequestId {
 public:
  explicit ScopedRequestId(std::string_view rid);
  ~ScopedRequestId();
  ScopedRequestId(const ScopedRequestId&) = delete;
  ScopedRequestId& operator=(const ScopedRequestId&) = delete;

 private:
  std::string_view previous_;
};
// The line that Info would write, for tests.
std::string Format(std::string_view level, std::string_view msg, boost::json::object fields);

}  // namespace ihos::log
