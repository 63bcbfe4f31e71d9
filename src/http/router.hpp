#pragma once
// The route table: path templates with {name} segments, one handler per method.
// Not thread-safe to modify; read-only (and so thread-safe) once the server runs.
#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/types.hpp"

namespace ihos::http {

// Per-route counters for /metrics. Lock-free.
struct RouteMetrics {
  static constexpr std::array<double, 12> kBucketsMs = {0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500};
  std::array<std::atomic<std::uint64_t>, 5> by_status_class{};              // 1xx..5xx
  std::array<std::atomic<std::uint64_t>, kBucketsMs.size() + 1> buckets{};  // last = +Inf
  std::atomic<std::uint64_t> count{0};
  std::atomic<std::uint64_t> sum_us{0};
  void Observe(int status, double ms);
};

// A route's answer from memory, on the I/O thread: must not block (no database, no lock held
// for long). nullopt: not in memory, the route's Handler answers on the worker pool instead.
using FastHandler = std::function<std::optional<Reply>(Request&)>;

struct Route {
  Verb method;
  std::string path;  // template
  Access access;
  Handler handler;
  std::string summary;
  bool on_io_thread = false;   // trivial, non-blocking handlers (healthz, metrics) run inline
  // Optional: tried first on the I/O thread, after the access check from the session cache
  // (Server::SetCachedAuthenticator); when it answers, `handler` does not run.
  FastHandler fast;
  std::size_t body_limit = 0;  // bytes; 0 = the server's limit. Only larger limits (uploads) are useful.
  std::unique_ptr<RouteMetrics> metrics = std::make_unique<RouteMetrics>();
};

struct Match {
  const Route* route = nullptr;  // null: not found or method not allowed
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<std::string> allow;  // methods the path has, when route is null but the path exists
};

class Router {
 public:
  // Adds a route and returns it (to set body_limit). Throws std::logic_error on a duplicate
  // method+template (a programming error).
  Route& Add(Verb method, std::string path, Access access, Handler handler, std::string summary,
             bool on_io_thread = false);
  // `path` is the raw (percent-encoded) path of the request target: it is split at its literal
  // '/' first and each segment decoded after, so an encoded "%2F" stays inside its segment (a
  // path parameter) and never reaches another route.
  Match Find(Verb method, std::string_view path) const;
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }
  // Metrics of requests that matched no route (404/405, static files).
  RouteMetrics& unmatched() { return unmatched_; }
  RouteMetrics& static_files() { return static_; }
  const RouteMetrics& unmatched() const { return unmatched_; }
  const RouteMetrics& static_files() const { return static_; }

 private:
  std::vector<std::unique_ptr<Route>> routes_;
  std::vector<std::vector<std::string>> templates_;  // each route's path split at '/' (same order)
  RouteMetrics unmatched_;
  RouteMetrics static_;
};

}  // namespace ihos::http
