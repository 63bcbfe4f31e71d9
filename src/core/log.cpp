#include "core/access_log.hpp"
#include "core/log.hpp"

#include <spdlog/async.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>
#include <boost/json/serializer.hpp>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

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

// Info lines (the access log: one per request) are gathered and handed to the asynchronous logger
// in batches, every kBatchInterval or once kBatchBytes have gathered, instead of one queue entry
// and one wake-up of the logger thread per line: the wake-ups (a futex per line, a context switch
// on 2 cores) cost more than the rest of a /healthz request. Warnings and errors flush the batch
// first and go out at once, so lines stay in order and what explains a failure is not delayed.
class Batcher {
 public:
  static constexpr auto kBatchInterval = std::chrono::milliseconds(20);
  static constexpr std::size_t kBatchBytes = 64 * 1024;

  Batcher() : flusher_([this] { Run(); }) {}
  ~Batcher() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    flusher_.join();
    Flush();
  }

  void Add(const std::string& line) {
    bool first = false;
    bool full = false;
    {
      std::lock_guard lock(mu_);
      first = buf_.empty();
      if (!first) buf_ += '\n';
      buf_ += line;
      full = buf_.size() >= kBatchBytes;
    }
    if (full) {
      Flush();
    } else if (first) {
      cv_.notify_one();  // one wake-up per batch, not per line
    }
  }

  // Hands what has gathered to the logger. One batch at a time, so a warning that flushes first
  // never overtakes a batch the flusher thread is still handing over.
  void Flush() {
    std::lock_guard emit(emit_mu_);
    std::string out;
    {
      std::lock_guard lock(mu_);
      out.swap(buf_);
    }
    if (!out.empty()) spdlog::info(out);
  }

 private:
  // Sleeps while nothing has gathered (an idle server does not wake), then lets a batch gather
  // for kBatchInterval.
  void Run() {
    std::unique_lock lock(mu_);
    while (!stop_) {
      cv_.wait(lock, [this] { return stop_ || !buf_.empty(); });
      cv_.wait_for(lock, kBatchInterval, [this] { return stop_; });
      lock.unlock();
      Flush();
      lock.lock();
    }
  }

  std::mutex emit_mu_;  // held while a batch is handed over (before mu_)
  std::mutex mu_;
  std::condition_variable cv_;
  std::string buf_;
  bool stop_ = false;
  std::thread flusher_;
};

// Set by Init (after spdlog's registry exists, so it is destroyed first and its last batch still
// reaches the logger at exit).
Batcher* batcher = nullptr;

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
  static Batcher process_batcher;
  batcher = &process_batcher;
}

void Flush() {
  if (batcher) batcher->Flush();
  spdlog::default_logger()->flush();
}

std::string Format(std::string_view level, std::string_view msg, boost::json::object fields) {
  bool reserved_key = false;
  for (auto& kv : fields) {
    const std::string_view k = kv.key();
    if (k == "ts" || k == "level" || k == "msg") reserved_key = true;
    if (k != "rid") MaskValue(kv.value());  // request ids are opaque and must match verbatim
  }
  const auto ts =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  if (reserved_key) {  // a field replaces ts, level or msg in place: merge through an object
    boost::json::object line;
    line["ts"] = ts;
    line["level"] = level;
    line["msg"] = MaskDigitsInText(msg);
    for (auto& kv : fields) line[kv.key()] = std::move(kv.value());
    return boost::json::serialize(line);
  }
  // The same text as serializing {ts, level, msg, fields...} as one object, written straight out:
  // building that object (a hash table, a copy of every field) cost more than the rest of a
  // /healthz request's access line.
  std::string out = "{\"ts\":";
  out += std::to_string(ts);
  out += ",\"level\":";
  out += boost::json::serialize(boost::json::string_view(level.data(), level.size()));
  out += ",\"msg\":";
  const std::string masked = MaskDigitsInText(msg);
  out += boost::json::serialize(boost::json::string_view(masked));
  if (fields.empty()) {
    out += '}';
  } else {
    const std::string rest = boost::json::serialize(fields);  // "{...}": its members follow msg
    out += ',';
    out.append(rest, 1, std::string::npos);
  }
  return out;
}

namespace {

// True when `s` serializes as itself between quotes (nothing to escape) and masking leaves it as
// it is (no run of 11+ digits).
bool Plain(std::string_view s) {
  std::size_t digits = 0;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || c == '"' || c == '\\') return false;
    digits = (c >= '0' && c <= '9') ? digits + 1 : 0;
    if (digits >= 11) return false;
  }
  return true;
}

void AppendQuoted(std::string& out, std::string_view s) {
  out += '"';
  out.append(s.data(), s.size());
  out += '"';
}

template <class Int>
void AppendInt(std::string& out, Int v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

}  // namespace

std::string FormatAccess(std::string_view rid, std::string_view method, std::string_view route, int status, double ms,
                         std::uint64_t bytes, std::string_view client) {
  if (!Plain(rid) || !Plain(method) || !Plain(route) || !Plain(client))
    return Format("info", "access",
                  {{"rid", rid},
                   {"method", method},
                   {"route", route},
                   {"status", status},
                   {"ms", ms},
                   {"bytes", bytes},
                   {"client", client}});
  std::string out;
  out.reserve(160 + rid.size() + route.size() + client.size());
  out += "{\"ts\":";
  AppendInt(out, std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count());
  out += ",\"level\":\"info\",\"msg\":\"access\",\"rid\":";
  AppendQuoted(out, rid);
  out += ",\"method\":";
  AppendQuoted(out, method);
  out += ",\"route\":";
  AppendQuoted(out, route);
  out += ",\"status\":";
  AppendInt(out, status);
  out += ",\"ms\":";
  {  // numbers as the JSON serializer writes them (its own double format)
    const boost::json::value v(ms);
    boost::json::serializer sr;
    sr.reset(&v);
    char buf[64];
    const auto text = sr.read(buf, sizeof buf);
    out.append(text.data(), text.size());
  }
  out += ",\"bytes\":";
  AppendInt(out, bytes);
  out += ",\"client\":";
  AppendQuoted(out, client);
  out += '}';
  return out;
}

void Access(std::string_view rid, std::string_view method, std::string_view route, int status, double ms,
            std::uint64_t bytes, std::string_view client) {
  if (!spdlog::should_log(spdlog::level::info)) return;
  std::string line = FormatAccess(rid, method, route, status, ms, bytes, client);
  if (batcher) {
    batcher->Add(line);
  } else {
    spdlog::info(line);
  }
}

void Info(std::string_view msg, boost::json::object fields) {
  if (!spdlog::should_log(spdlog::level::info)) return;
  if (batcher) {
    batcher->Add(Format("info", msg, std::move(fields)));
  } else {
    spdlog::info(Format("info", msg, std::move(fields)));
  }
}
void Warn(std::string_view msg, boost::json::object fields) {
  if (!spdlog::should_log(spdlog::level::warn)) return;
  if (batcher) batcher->Flush();
  spdlog::warn(Format("warn", msg, std::move(fields)));
}
void Error(std::string_view msg, boost::json::object fields) {
  if (batcher) batcher->Flush();
  spdlog::error(Format("error", msg, std::move(fields)));
}

}  // namespace ihos::log
