#include "http/router.hpp"

#include <boost/beast/http/verb.hpp>
#include <stdexcept>

namespace ihos::http {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One path segment percent-decoded (a malformed escape is kept as it is).
std::string DecodeSegment(std::string_view seg) {
  std::string out;
  out.reserve(seg.size());
  for (std::size_t i = 0; i < seg.size(); ++i) {
    if (seg[i] == '%' && i + 2 < seg.size()) {
      const int hi = HexDigit(seg[i + 1]), lo = HexDigit(seg[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(seg[i]);
  }
  return out;
}

std::vector<std::string> SplitDecoded(std::string_view raw_path) {
  std::vector<std::string> out;
  for (auto seg : Split(raw_path)) out.push_back(DecodeSegment(seg));
  return out;
}

bool IsParam(std::string_view seg) { return seg.size() > 2 && seg.front() == '{' && seg.back() == '}'; }

// Matches `path` against the template split into `t`; fills params on success.
bool MatchTemplate(const std::vector<std::string>& t, const std::vector<std::string>& segs,
                   std::vector<std::pair<std::string, std::string>>* params) {
  if (t.size() != segs.size()) return false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (IsParam(t[i])) {
      if (params) params->emplace_back(t[i].substr(1, t[i].size() - 2), segs[i]);
    } else if (t[i] != segs[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

void RouteMetrics::Observe(int status, double ms) {
  const int cls = status / 100;
  if (cls >= 1 && cls <= 5) by_status_class[cls - 1].fetch_add(1, std::memory_order_relaxed);
  std::size_t b = 0;
  while (b < kBucketsMs.size() && ms > kBucketsMs[b]) ++b;
  buckets[b].fetch_add(1, std::memory_order_relaxed);
  count.fetch_add(1, std::memory_order_relaxed);
  sum_us.fetch_add(static_cast<std::uint64_t>(ms * 1000), std::memory_order_relaxed);
}

Route& Router::Add(Verb method, std::string path, Access access, Handler handler, std::string summary,
                   bool on_io_thread) {
  for (const auto& r : routes_)
    if (r->method == method && r->path == path)
      throw std::logic_error("duplicate route " + std::string(boost::beast::http::to_string(method)) + " " + path);
  auto r = std::make_unique<Route>();
  r->method = method;
  r->path = std::move(path);
  r->access = std::move(access);
  r->handler = std::move(handler);
  r->summary = std::move(summary);
  r->on_io_thread = on_io_thread;
  std::vector<std::string> segs;
  for (auto seg : Split(r->path)) segs.emplace_back(seg);
  templates_.push_back(std::move(segs));
  routes_.push_back(std::move(r));
  return *routes_.back();
}

Match Router::Find(Verb method, std::string_view path) const {
  const auto segs = SplitDecoded(path);
  Match m;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i]->method == method) {
      std::vector<std::pair<std::string, std::string>> params;
      if (MatchTemplate(templates_[i], segs, &params)) {
        m.route = routes_[i].get();
        m.params = std::move(params);
        return m;
      }
    }
  }
  for (std::size_t i = 0; i < routes_.size(); ++i)
    if (MatchTemplate(templates_[i], segs, nullptr))
      m.allow.emplace_back(boost::beast::http::to_string(routes_[i]->method));
  return m;
}

}  // namespace ihos::http
