// Overload benchmark (health code, issue #5 Speed; figures for the note, not a test): drives one
// GET route of a running ihosd on 127.0.0.1 in three phases and prints what a user would notice:
//   1. normal:   C keep-alive clients, each sending its next request when the last one is answered;
//   2. overload: 10 x C clients (ten times the load the node carried in phase 1), for a bounded time;
//   3. recovery: C clients again, right after the overload stops.
// Per phase: answered req/s, admitted (2xx) req/s, shed (503 overloaded with Retry-After), other
// statuses, connection errors, and the p50/p99/max latency of admitted requests; for the recovery
// its first second separately ("recovers at once").
// Usage: overload_bench PORT PATH TOKEN [CLIENTS=64] [SECONDS=10] [FACTOR=10]
#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Stats {
  std::vector<double> admitted_ms, first_second_ms;
  long shed = 0, shed_without_retry_after = 0, other = 0, errors = 0;
  Clock::time_point start;
};

asio::awaitable<void> Client(tcp::endpoint ep, std::string path, std::string token, Clock::time_point end, Stats& st) {
  auto ex = co_await asio::this_coro::executor;
  beast::flat_buffer buf;
  std::optional<beast::tcp_stream> s;
  while (Clock::now() < end) {
    if (!s) {
      s.emplace(ex);
      s->expires_after(std::chrono::seconds(10));
      auto [ec] = co_await s->async_connect(ep, asio::as_tuple(asio::use_awaitable));
      if (ec) {
        ++st.errors;
        s.reset();
        asio::steady_timer t(ex, std::chrono::milliseconds(10));
        co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
        continue;
      }
    }
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, path, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    req.set(bhttp::field::authorization, "Bearer " + token);
    const auto t0 = Clock::now();
    s->expires_after(std::chrono::seconds(30));
    auto [wec, wn] = co_await bhttp::async_write(*s, req, asio::as_tuple(asio::use_awaitable));
    bhttp::response<bhttp::string_body> res;
    boost::system::error_code rec = wec;
    if (!wec)
      std::tie(rec, std::ignore) = co_await bhttp::async_read(*s, buf, res, asio::as_tuple(asio::use_awaitable));
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    if (rec) {
      ++st.errors;
      s.reset();
      buf.clear();
      continue;
    }
    const int code = static_cast<int>(res.result_int());
    if (code / 100 == 2) {
      st.admitted_ms.push_back(ms);
      if (t0 - st.start < std::chrono::seconds(1)) st.first_second_ms.push_back(ms);
    } else if (code == 503 && res.body().find("overloaded") != std::string::npos) {
      ++st.shed;
      if (res[bhttp::field::retry_after].empty()) ++st.shed_without_retry_after;
    } else {
      ++st.other;
    }
    if (!res.keep_alive()) s.reset();
  }
  if (s) {
    boost::system::error_code ec;
    s->socket().shutdown(tcp::socket::shutdown_both, ec);
  }
}

double Pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

Stats Phase(const char* name, tcp::endpoint ep, const std::string& path, const std::string& token, int clients,
            int seconds) {
  asio::io_context io(1);
  Stats st;
  st.start = Clock::now();
  const auto end = st.start + std::chrono::seconds(seconds);
  for (int i = 0; i < clients; ++i) asio::co_spawn(io, Client(ep, path, token, end, st), asio::detached);
  io.run();
  const double secs = std::chrono::duration<double>(Clock::now() - st.start).count();
  const double admitted = static_cast<double>(st.admitted_ms.size());
  std::printf(
      "%-9s %4d clients %3ds: answered %8.0f req/s, admitted %8.0f req/s, shed %8ld (%.0f/s%s), other %ld, "
      "conn errors %ld; admitted latency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
      name, clients, seconds, (admitted + static_cast<double>(st.shed + st.other)) / secs, admitted / secs, st.shed,
      static_cast<double>(st.shed) / secs, st.shed_without_retry_after ? ", SOME WITHOUT Retry-After" : "", st.other,
      st.errors, Pct(st.admitted_ms, 0.5), Pct(st.admitted_ms, 0.99), Pct(st.admitted_ms, 1.0));
  return st;
}

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s PORT PATH TOKEN [CLIENTS=64] [SECONDS=10] [FACTOR=10]\n", argv[0]);
    return 2;
  }
  const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(std::stoi(argv[1])));
  const std::string path = argv[2], token = argv[3];
  const int clients = argc > 4 ? std::stoi(argv[4]) : 64;
  const int seconds = argc > 5 ? std::stoi(argv[5]) : 10;
  const int factor = argc > 6 ? std::stoi(argv[6]) : 10;
  Stats normal = Phase("normal", ep, path, token, clients, seconds);
  Stats over = Phase("overload", ep, path, token, clients * factor, seconds);
  Stats rec = Phase("recovery", ep, path, token, clients, seconds);
  std::printf("recovery, first second: %zu admitted, p99 %.1f ms (normal p99 %.1f ms)\n", rec.first_second_ms.size(),
              Pct(rec.first_second_ms, 0.99), Pct(normal.admitted_ms, 0.99));
  (void)over;
  return 0;
}
