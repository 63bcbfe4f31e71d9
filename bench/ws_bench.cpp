// WebSocket load generator for /api/v1/ws (issue #4; figures for the closing note, not a test).
//
// The server runs in a child process (forked first, so each side has its own open-file limit:
// 10k connections need 10k descriptors on each side); the load generator runs here, on one
// thread, on loopback. Connections come in pairs (the two parties of a conversation), each
// authenticated and subscribed to the pair's topic.
//
//   live:   N connections; M of them send at a target total rate R for T seconds (each sender at
//           most 16 calls in flight). Reports connections held, acknowledged (committed) messages
//           per second, and delivery latency p50/p99/max: the sender's send -> the other party's
//           event frame.
//   replay: the "Haodf peak day": K conversations of 20 messages each (the two sides take turns;
//           each message is sent when the previous one reached the other side), C conversations
//           at a time over C connection pairs. Reports the time, and the time extrapolated
//           linearly to 200,000 conversations (stated as such).
//
// The message method: `consultation.send` (a real, committed chat message in a real consultation)
// when the server has it, else `bench.send` (registered here: publishes only, no database write —
// a transport-only figure, labelled so).
//
// Usage: ws_bench [--mode live|replay] [--db URL] [--connections N] [--senders M] [--rate R]
//                 [--seconds T] [--conversations K] [--concurrent C] [--method bench.send]
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

#include "app/app.hpp"
#include "bench/ws_bench_setup.hpp"
#include "core/crypto.hpp"
#include "core/memory.hpp"
#include "http/ws_hub.hpp"
#include "store/migrations.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace json = boost::json;
using namespace ihos;
using Steady = std::chrono::steady_clock;

namespace {

std::int64_t Arg(int argc, char** argv, const char* name, std::int64_t def) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == name) return std::stoll(argv[i + 1]);
  return def;
}
std::string ArgS(int argc, char** argv, const char* name, std::string def) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == name) return argv[i + 1];
  return def;
}

double Ms(Steady::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// ---- the server (child process) ----

[[noreturn]] void RunServer(const std::string& url, int max_connections, int port_fd) {
  spdlog::set_level(spdlog::level::warn);
  app::Config c;
  c.db = url;
  c.listen = "127.0.0.1:0";
  c.web_root = "/nonexistent";
  c.slot_roll_minutes = 0;
  c.max_connections = max_connections;
  c.max_connections_per_client = 0;  // every bench connection comes from 127.0.0.1
  c.ws_max_calls = 64;
  if (const char* w = std::getenv("IHOS_BENCH_WORKERS")) c.workers = std::atoi(w);
  static SystemClock clock;
  auto app = app::App::Create(c, clock);
  if (!app) {
    std::cerr << "server: " << app.error().code << " " << app.error().detail << "\n";
    _exit(1);
  }
  auto& a = **app;
  // Transport-only method for when the consultation capability is absent.
  a.ws().AddTopic("bench:", [](const Principal&, std::string_view, std::int64_t) -> Result<std::vector<std::string>> {
    return std::vector<std::string>{};
  });
  a.ws().AddMethod("bench.send", [&a](const http::WsCall& call) -> Result<json::value> {
    const auto* id = call.params.if_contains("consultation_id");
    const auto* cm = call.params.if_contains("client_msg_id");
    if (!id || !cm || !cm->is_string()) return ValidationFailed({{"client_msg_id", "required"}});
    json::object ev{{"kind", "message"}, {"sender_id", call.actor.user_id}, {"client_msg_id", cm->as_string()}};
    a.bus().Publish("bench:" + std::to_string(id->to_number<std::int64_t>()), json::serialize(ev));
    return json::object{{"client_msg_id", cm->as_string()}};
  });
  const bool has_consultation = a.ws().Method("consultation.send") != nullptr;
  const unsigned short port = a.Start();
  std::string line = std::to_string(port) + " " + (has_consultation ? "1" : "0") + "\n";
  [[maybe_unused]] auto w = write(port_fd, line.data(), line.size());
  close(port_fd);
  // Run until the parent closes stdin... simpler: until SIGTERM.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  a.Stop();
  _exit(0);
}

// ---- the clients ----

struct Stats {
  std::size_t ready = 0, failed = 0, sent = 0, acked = 0, errors = 0, delivered = 0, behind = 0;
  std::vector<double> latency_ms;  // send -> the other party's event
  std::vector<double> ack_ms;      // send -> result (committed)
  std::string first_error;
};

struct Conn;
struct Pair {
  bench::PairSpec spec;
  Conn* side[2] = {nullptr, nullptr};
  // replay
  std::unique_ptr<asio::steady_timer> wake;
  int waiting_msg = -1;  // message number waiting to reach the other side
  int waiting_ack = -1;  // message number whose result (or error) the sender waits for
};

struct Msg {
  Steady::time_point sent;
  int sender = -1;  // connection index
  bool acked = false, delivered = false, answered = false;  // answered: a result or an error came
};

struct Shared {
  asio::io_context& ioc;
  std::string method;
  Stats stats;
  std::vector<Msg> msgs;
  std::vector<Pair> pairs;
  bool measuring = false;
};

struct Conn : std::enable_shared_from_this<Conn> {
  Conn(asio::io_context& ioc, Shared& s, int i, int p, int side) : ws(ioc), sh(s), index(i), pair(p), side(side) {}
  websocket::stream<beast::tcp_stream> ws;
  Shared& sh;
  int index, pair, side;
  beast::flat_buffer buf;
  std::deque<std::string> out;
  bool writing = false;
  bool ready = false;
  int inflight = 0;
  int subscribed = 0;  // "subscribed" acks seen

  void Send(std::string f) {
    out.push_back(std::move(f));
    if (writing) return;
    writing = true;
    asio::co_spawn(ws.get_executor(), WriteLoop(shared_from_this()), asio::detached);
  }
  static asio::awaitable<void> WriteLoop(std::shared_ptr<Conn> c) {
    while (!c->out.empty()) {
      std::string f = std::move(c->out.front());
      c->out.pop_front();
      auto [ec, n] = co_await c->ws.async_write(asio::buffer(f), asio::as_tuple(asio::use_awaitable));
      if (ec) break;
    }
    c->writing = false;
  }
};

std::string CallFrame(const Shared& sh, const bench::PairSpec& p, int num) {
  std::string id = "m" + std::to_string(num);
  return R"({"type":"call","ref":")" + id + R"(","method":")" + sh.method + R"(","params":{"consultation_id":)" +
         std::to_string(p.consultation_id) + R"(,"client_msg_id":")" + id +
         R"(","kind":"text","text":"医生您好，我咳嗽三天了，夜里加重，没有发烧。"}})";
}

// The message number in `"client_msg_id":"m123"` of a frame, or -1.
int MsgNum(std::string_view f) {
  static constexpr std::string_view key = R"("client_msg_id":"m)";
  const auto at = f.find(key);
  if (at == std::string_view::npos) return -1;
  int n = 0;
  bool any = false;
  for (auto i = at + key.size(); i < f.size() && f[i] >= '0' && f[i] <= '9'; ++i) {
    n = n * 10 + (f[i] - '0');
    any = true;
  }
  return any ? n : -1;
}

void OnFrame(Conn& c, std::string_view f) {
  auto& sh = c.sh;
  if (f.find(R"("type":"event")") != std::string_view::npos) {
    const int n = MsgNum(f);
    if (n < 0 || n >= static_cast<int>(sh.msgs.size())) return;
    auto& m = sh.msgs[n];
    if (m.sender == c.index || m.delivered) return;
    m.delivered = true;
    ++sh.stats.delivered;
    if (sh.measuring) sh.stats.latency_ms.push_back(Ms(Steady::now() - m.sent));
    auto& p = sh.pairs[c.pair];
    if (p.wake && p.waiting_msg == n) p.wake->cancel();
    return;
  }
  if (f.find(R"("type":"result")") != std::string_view::npos || f.find(R"("type":"error")") != std::string_view::npos) {
    const bool ok = f.find(R"("type":"result")") != std::string_view::npos;
    // ref "m123"
    const auto r = f.find(R"("ref":"m)");
    int n = -1;
    if (r != std::string_view::npos) {
      n = 0;
      for (auto i = r + 8; i < f.size() && f[i] >= '0' && f[i] <= '9'; ++i) n = n * 10 + (f[i] - '0');
    }
    if (n >= 0 && n < static_cast<int>(sh.msgs.size())) {
      --c.inflight;
      sh.msgs[n].answered = true;
      if (auto& p = sh.pairs[c.pair]; p.wake && p.waiting_ack == n) p.wake->cancel();
      if (ok) {
        sh.msgs[n].acked = true;
        ++sh.stats.acked;
        if (sh.measuring) sh.stats.ack_ms.push_back(Ms(Steady::now() - sh.msgs[n].sent));
        return;
      }
    }
    if (!ok) {
      ++sh.stats.errors;
      if (sh.stats.first_error.empty()) sh.stats.first_error = std::string(f.substr(0, 400));
    }
    return;
  }
  if (f.find(R"("type":"subscribed")") != std::string_view::npos) {
    ++c.subscribed;
    auto& p = sh.pairs[c.pair];
    if (p.wake) p.wake->cancel();
  }
}

asio::awaitable<void> Reader(std::shared_ptr<Conn> c) {
  for (;;) {
    auto [ec, n] = co_await c->ws.async_read(c->buf, asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    const std::string f = beast::buffers_to_string(c->buf.data());
    c->buf.consume(c->buf.size());
    OnFrame(*c, f);
  }
}

// Connects, signs in and (when `subscribe`) subscribes to the pair's topic.
asio::awaitable<bool> Open(std::shared_ptr<Conn> c, unsigned short port, bool subscribe) {
  auto& low = beast::get_lowest_layer(c->ws);
  low.expires_after(std::chrono::seconds(30));
  auto [cec] = co_await low.async_connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                          asio::as_tuple(asio::use_awaitable));
  if (cec) co_return false;
  auto [hec] = co_await c->ws.async_handshake("127.0.0.1", "/api/v1/ws", asio::as_tuple(asio::use_awaitable));
  if (hec) co_return false;
  low.expires_never();
  websocket::stream_base::timeout to{};
  to.handshake_timeout = std::chrono::seconds(30);
  to.idle_timeout = websocket::stream_base::none();
  to.keep_alive_pings = false;
  c->ws.set_option(to);
  auto& p = c->sh.pairs[c->pair];
  const std::string& token = c->side == 0 ? p.spec.token_a : p.spec.token_b;
  const std::string auth = R"({"type":"auth","token":")" + token + "\"}";
  auto [wec, wn] = co_await c->ws.async_write(asio::buffer(auth), asio::as_tuple(asio::use_awaitable));
  if (wec) co_return false;
  auto [rec, rn] = co_await c->ws.async_read(c->buf, asio::as_tuple(asio::use_awaitable));
  if (rec) co_return false;
  const std::string ready = beast::buffers_to_string(c->buf.data());
  c->buf.consume(c->buf.size());
  if (ready.find(R"("type":"ready")") == std::string::npos) {
    if (c->sh.stats.first_error.empty()) c->sh.stats.first_error = ready;
    co_return false;
  }
  if (subscribe) {
    const std::string sub = R"({"type":"subscribe","topic":")" + p.spec.topic + R"(","after_seq":0})";
    auto [sec, sn] = co_await c->ws.async_write(asio::buffer(sub), asio::as_tuple(asio::use_awaitable));
    if (sec) co_return false;
    for (;;) {  // backlog events, then "subscribed"
      auto [bec, bn] = co_await c->ws.async_read(c->buf, asio::as_tuple(asio::use_awaitable));
      if (bec) co_return false;
      const std::string f = beast::buffers_to_string(c->buf.data());
      c->buf.consume(c->buf.size());
      if (f.find(R"("type":"subscribed")") != std::string::npos) break;
      if (f.find(R"("type":"error")") != std::string::npos) {
        if (c->sh.stats.first_error.empty()) c->sh.stats.first_error = f;
        co_return false;
      }
    }
  }
  c->ready = true;
  co_return true;
}

// Opens all connections, at most `parallel` handshakes at a time.
void OpenAll(asio::io_context& ioc, std::vector<std::shared_ptr<Conn>>& conns, unsigned short port, bool subscribe,
             int parallel) {
  std::size_t next = 0, done = 0;
  Stats& st = conns.front()->sh.stats;
  std::function<void()> launch = [&] {
    if (next >= conns.size()) return;
    auto c = conns[next++];
    asio::co_spawn(ioc, Open(c, port, subscribe), [&, c](std::exception_ptr, bool ok) {
      ++done;
      if (ok) {
        ++st.ready;
        asio::co_spawn(ioc, Reader(c), asio::detached);
      } else {
        ++st.failed;
      }
      launch();
    });
  };
  for (int i = 0; i < parallel; ++i) launch();
  while (done < conns.size()) ioc.run_one();
}

double Pct(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

long Rss() {
  long kb = 0;
  if (FILE* f = std::fopen("/proc/self/status", "r")) {
    char line[256];
    while (std::fgets(line, sizeof line, f))
      if (std::sscanf(line, "VmRSS: %ld", &kb) == 1) break;
    std::fclose(f);
  }
  return kb;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = ArgS(argc, argv, "--mode", "live");
  const int connections = static_cast<int>(Arg(argc, argv, "--connections", 10000)) / 2 * 2;
  const int senders = static_cast<int>(Arg(argc, argv, "--senders", 1000));
  const double rate = static_cast<double>(Arg(argc, argv, "--rate", 5000));
  const int seconds = static_cast<int>(Arg(argc, argv, "--seconds", 10));
  const int conversations = static_cast<int>(Arg(argc, argv, "--conversations", 2000));
  const int concurrent = static_cast<int>(Arg(argc, argv, "--concurrent", 200));
  const int per_conversation = static_cast<int>(Arg(argc, argv, "--messages", 20));
  std::string method = ArgS(argc, argv, "--method", "");
  std::string url = ArgS(argc, argv, "--db", "");
  std::string tmpdir;
  if (url.empty()) {
    char tmpl[] = "/tmp/ihos-ws-bench.XXXXXX";
    tmpdir = mkdtemp(tmpl);
    url = "sqlite:" + tmpdir + "/bench.db";
  }
  http::RaiseFileLimit(1 << 20);
  memory::KeepFreedMemory();  // the generator too, as the server does (core/memory.hpp)
  const int pairs_n = mode == "replay" ? concurrent : connections / 2;

  // The server first (before this process has any threads), in a child with its own limits.
  int fds[2];
  if (pipe(fds) != 0) return 1;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // the child waits for it with sigwait
  const pid_t child = fork();
  if (child == 0) {
    close(fds[0]);
    RunServer(url, pairs_n * 2 + 1000, fds[1]);
  }
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
  close(fds[1]);
  char line[64] = {0};
  std::size_t got = 0;
  while (got < sizeof line - 1) {
    auto n = read(fds[0], line + got, sizeof line - 1 - got);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  close(fds[0]);
  unsigned short port = 0;
  int has_consultation = 0;
  if (std::sscanf(line, "%hu %d", &port, &has_consultation) != 2) {
    std::cerr << "server did not start\n";
    return 1;
  }
  if (method.empty()) method = has_consultation ? "consultation.send" : "bench.send";
  const bool durable = method == "consultation.send";

  // Set-up: users, sessions and (with the consultation capability) consultations, by SQL.
  spdlog::set_level(spdlog::level::warn);
  const int needed = mode == "replay" ? conversations : pairs_n;
  auto setup_start = Steady::now();
  std::vector<bench::PairSpec> specs = bench::MakePairs(url, port, needed, durable);
  const double setup_s = Ms(Steady::now() - setup_start) / 1000;

  asio::io_context ioc(1);
  Shared sh{ioc, method, {}, {}, {}, false};
  sh.pairs.resize(pairs_n);
  for (int i = 0; i < pairs_n; ++i) {
    sh.pairs[i].spec = specs[static_cast<std::size_t>(i) % specs.size()];
    sh.pairs[i].wake = std::make_unique<asio::steady_timer>(ioc);
  }
  std::vector<std::shared_ptr<Conn>> conns;
  for (int i = 0; i < pairs_n * 2; ++i) {
    conns.push_back(std::make_shared<Conn>(ioc, sh, i, i / 2, i % 2));
    sh.pairs[i / 2].side[i % 2] = conns.back().get();
  }
  std::printf("ws bench (%s): %u cores, server in a child process, method %s (%s), set-up %.1f s\n", mode.c_str(),
              std::thread::hardware_concurrency(), method.c_str(),
              durable ? "committed consultation messages" : "transport only, no database write", setup_s);

  const auto open_start = Steady::now();
  if (mode == "live") OpenAll(ioc, conns, port, /*subscribe=*/true, 256);
  const double open_s = Ms(Steady::now() - open_start) / 1000;
  std::printf("  connections: %zu held of %d (%zu failed), opened%s in %.1f s; client RSS %ld MB\n", sh.stats.ready,
              pairs_n * 2, sh.stats.failed, mode == "live" ? ", authenticated and subscribed" : " and authenticated",
              open_s, Rss() / 1024);
  if (!sh.stats.first_error.empty()) std::printf("  first error: %s\n", sh.stats.first_error.c_str());

  if (mode == "live") {
    std::vector<int> sender_conns;
    for (int i = 0; i < std::min(senders, pairs_n * 2); ++i) {
      // Spread senders over pairs, alternating sides.
      const int p = (i * std::max(1, pairs_n / std::max(1, senders))) % pairs_n;
      sender_conns.push_back(p * 2 + (i % 2));
    }
    const std::size_t total = static_cast<std::size_t>(rate * seconds) + 16;
    sh.msgs.resize(total);
    sh.measuring = true;
    const auto start = Steady::now();
    const auto end = start + std::chrono::seconds(seconds);
    std::size_t next_sender = 0;
    asio::steady_timer tick(ioc);
    std::function<void()> pace = [&] {
      const auto now = Steady::now();
      if (now >= end) return;
      const auto due = std::min<std::size_t>(total, static_cast<std::size_t>(rate * Ms(now - start) / 1000));
      while (sh.stats.sent + sh.stats.behind < due) {
        auto& c = *conns[sender_conns[next_sender++ % sender_conns.size()]];
        if (!c.ready || c.inflight >= 16) {
          ++sh.stats.behind;  // this sender is still waiting: the server is behind
          continue;
        }
        const int n = static_cast<int>(sh.stats.sent++);
        sh.msgs[n].sent = Steady::now();
        sh.msgs[n].sender = c.index;
        ++c.inflight;
        c.Send(CallFrame(sh, sh.pairs[c.pair].spec, n));
      }
      tick.expires_after(std::chrono::milliseconds(1));
      tick.async_wait([&](boost::system::error_code) { pace(); });
    };
    pace();
    ioc.run_until(end);
    const double window = Ms(Steady::now() - start) / 1000;
    const std::size_t acked_in_window = sh.stats.acked;
    ioc.run_for(std::chrono::seconds(3));  // drain
    std::printf("  offered %.0f msg/s from %zu senders for %d s: sent %zu, skipped %zu (sender had 16 in flight)\n",
                rate, sender_conns.size(), seconds, sh.stats.sent, sh.stats.behind);
    std::printf("  acknowledged: %.0f msg/s in the window (%zu), %zu in all; errors %zu\n",
                static_cast<double>(acked_in_window) / window, acked_in_window, sh.stats.acked, sh.stats.errors);
    std::printf("  ack latency (send -> result after commit): p50 %.1f ms, p99 %.1f ms\n", Pct(sh.stats.ack_ms, 0.5),
                Pct(sh.stats.ack_ms, 0.99));
    std::printf(
        "  delivery latency (send -> other party's event): p50 %.1f ms, p99 %.1f ms, max %.1f ms (%zu delivered)\n",
        Pct(sh.stats.latency_ms, 0.5), Pct(sh.stats.latency_ms, 0.99), Pct(sh.stats.latency_ms, 1.0),
        sh.stats.delivered);
  } else {
    // Replay: pair i works through conversations i, i+C, i+2C, ...; both sides subscribe to the
    // conversation, take turns sending `per_conversation` messages (the next is sent when the
    // previous one reached the other side), unsubscribe, and go on with the next.
    sh.msgs.resize(static_cast<std::size_t>(conversations) * per_conversation + 16);
    std::size_t next_msg = 0, finished = 0;
    const auto start = Steady::now();
    auto run_pair = [&](int pi) -> asio::awaitable<void> {
      auto& p = sh.pairs[pi];
      for (int conv = pi; conv < conversations; conv += pairs_n) {
        const auto& spec = specs[conv];
        p.spec = spec;
        // Each conversation: both parties open the chat (connect, sign in, subscribe).
        auto ca = std::make_shared<Conn>(ioc, sh, 2 * pi, pi, 0);
        auto cb = std::make_shared<Conn>(ioc, sh, 2 * pi + 1, pi, 1);
        // (awaitables made outside the co_await: GCC 12 destroys a co_await expression's
        // non-trivial temporaries twice)
        auto open_a = Open(ca, port, true);
        bool ok = co_await std::move(open_a);
        auto open_b = Open(cb, port, true);
        if (ok) ok = co_await std::move(open_b);
        if (!ok) {
          ++sh.stats.failed;
          continue;
        }
        sh.stats.ready += 2;
        asio::co_spawn(ioc, Reader(ca), asio::detached);
        asio::co_spawn(ioc, Reader(cb), asio::detached);
        Conn* a = ca.get();
        Conn* b = cb.get();
        std::vector<int> numbers;
        for (int k = 0; k < per_conversation; ++k) {
          Conn* s = k % 2 == 0 ? a : b;
          const int n = static_cast<int>(next_msg++);
          numbers.push_back(n);
          sh.msgs[n].sent = Steady::now();
          sh.msgs[n].sender = s->index;
          p.waiting_msg = n;
          ++s->inflight;
          ++sh.stats.sent;
          s->Send(CallFrame(sh, spec, n));
          while (!sh.msgs[n].delivered) {
            p.wake->expires_after(std::chrono::seconds(10));
            auto [ec] = co_await p.wake->async_wait(asio::as_tuple(asio::use_awaitable));
            if (!ec) break;  // timed out: go on
          }
        }
        // The conversation ends when every message was also answered (the result comes after the
        // commit, and may come after the other side saw the message): closing sooner would lose
        // the count of the last acknowledgements.
        for (const int n : numbers) {
          p.waiting_ack = n;
          while (!sh.msgs[n].answered) {
            p.wake->expires_after(std::chrono::seconds(10));
            auto [ec] = co_await p.wake->async_wait(asio::as_tuple(asio::use_awaitable));
            if (!ec) break;  // timed out: go on
          }
        }
        p.waiting_ack = -1;
        boost::system::error_code ec;
        beast::get_lowest_layer(ca->ws).socket().close(ec);
        beast::get_lowest_layer(cb->ws).socket().close(ec);
        ++finished;
      }
    };
    sh.measuring = true;
    std::size_t running = 0;
    for (int i = 0; i < pairs_n; ++i) {
      ++running;
      asio::co_spawn(ioc, run_pair(i), [&](std::exception_ptr) { --running; });
    }
    while (running > 0) ioc.run_one();
    ioc.run_for(std::chrono::milliseconds(500));
    const double took = Ms(Steady::now() - start) / 1000;
    std::printf(
        "  replay: %zu conversations x %d messages = %zu messages (%zu acknowledged, %zu delivered, %zu errors) "
        "in %.1f s with %d at a time (%zu chat connections opened): %.0f msg/s\n",
        finished, per_conversation, sh.stats.sent, sh.stats.acked, sh.stats.delivered, sh.stats.errors, took, pairs_n,
        sh.stats.ready, static_cast<double>(sh.stats.acked) / took);
    std::printf("  delivery latency: p50 %.1f ms, p99 %.1f ms\n", Pct(sh.stats.latency_ms, 0.5),
                Pct(sh.stats.latency_ms, 0.99));
    const std::size_t expected = static_cast<std::size_t>(conversations) * per_conversation;
    std::printf("  every message acknowledged and delivered: %s (%zu sent of %zu, %zu acknowledged, %zu delivered)\n",
                sh.stats.sent == expected && sh.stats.acked == expected && sh.stats.delivered == expected ? "yes" : "NO",
                sh.stats.sent, expected, sh.stats.acked, sh.stats.delivered);
    if (finished > 0 && finished < 200000)
      std::printf("  Haodf peak day (200,000 conversations x %d), extrapolated linearly from this run: %.1f min\n",
                  per_conversation, took * 200000.0 / static_cast<double>(finished) / 60);
  }
  if (!sh.stats.first_error.empty()) std::printf("  first error: %s\n", sh.stats.first_error.c_str());

  conns.clear();
  kill(child, SIGTERM);
  int status = 0;
  waitpid(child, &status, 0);
  if (!tmpdir.empty()) std::filesystem::remove_all(tmpdir);
  return 0;
}
