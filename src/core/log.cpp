#include "core/log.hpp"

#include <spdlog/async.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>
#include <chrono>

#include "core/mask.hpp"

namespace ihos::log {
namespace {

void MaskValue(boost::json::value& v) {
  if (v.is_string()) {
    v = MaskDigitsInText(v.get_string());
  } else if (v.is_object()) {
    for (auto& kv : v.get_object()) MaskValue(kv.value());
  } else if (v.is_array()) {
    for (auto& e : v.get_array()) MaskValue(e);
  }
}

thread_local std::string_view current_request_id;

}  // namespace

std::string_view CurrentRequestId() { return current_request_id; }
ScopedRequestId::ScopedRequestId(std::string_view rid) : previous_(current_request_id) { current_request_id = rid; }
ScopedRequestId::~ScopedRequestId() { current_request_id = previous_; }

void Init(std::string_view level, std::string_view path) {
  spdlog::init_thread_pool(8192, 1);  // slots are preallocated: 8192 keeps idle RSS small
  std::shared_ptr<spdlog::logger> logger;
  if (path.empty()) {
    logger = spdlog::create_async_nb<spdlog::sinks::stdout_sink_mt>("ihos");
  } else {
    logger = spdlog::create_async_nb<spdlog::sinks::basic_file_sink_mt>("ihos", std::string(path));
  }
  logger->set_pattern("%v");
  logger->set_level(spdlog::level::from_str(std::string(level)));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

std::string Format(std::string_view level, std::string_view msg, boost::json::object fields) {
  boost::json::object line;
  line["ts"] =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  line["level"] = level;
  line["msg"] = MaskDigitsInText(msg);
  for (auto& kv : fields) {
    if (kv.key() != "rid") MaskValue(kv.value());  // request ids are opaque and must match verbatim
    line[kv.key()] = std::move(kv.value());
  }
  return boost::json::serialize(line);
}

void Info(std::string_view msg, boost::json::object fields) {
  if (spdlog::should_log(spdlog::level::info)) spdlog::info(Format("info", msg, std::move(fields)));
}
void Warn(std::string_view msg, boost::json::object fields) {
  if (spdlog::should_log(spdlog::level::warn)) spdlog::warn(Format("warn", msg, std::move(fields)));
}
void Error(std::string_view msg, boost::json::object fields) { spdlog::error(Format("error", msg, std::move(fields))); }

}  // namespace ihos::log
