#include "http/ws_hub.hpp"

#include <sys/resource.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <cmath>
#include <deque>
#include <optional>
#include <sstream>
#include <vector>

#include "core/log.hpp"
#include "http/problem.hpp"
#include "http/server.hpp"
#include "http/session_cookie.hpp"
#include "http/ws_frame.hpp"

namespace ihos::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace json = boost::json;

struct WsHub::Conn {
  explicit Conn(beast::tcp_stream s) : ws(std::move(s)) {}
  websocket::stream<beast::tcp_stream> ws;
  std::string client, locale = "zh-CN";

  // Session: set by the auth frame.
  std::optional<Principal> who;
  std::string token;
  std::atomic<std::int64_t> checked_ms{0};  // steady ms of the last session check (read on workers)
  bool auth_pending = false;

  // Outgoing: only the writer coroutine writes, and only while `writing`.
  std::deque<std::string> out;
  bool writing = false;
  bool close_requested = false;
  int close_code = 1000;
  std::string close_reason;
  bool ended = false;                               // the reader has ended; nothing more is sent
  std::unique_ptr<asio::steady_timer> close_timer;  // drops the TCP connection if the close handshake stalls

  struct Sub {
    std::uint64_t bus_id = 0;
    bool live = false;                 // backlog sent; events go out as they come
    std::vector<std::string> pending;  // live events held back until then
  };
  std::map<std::string, Sub, std::less<>> subs;
  int calls = 0;
};

namespace {

std::int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string Quote(std::string_view s) { return json::serialize(json::string_view(s.data(), s.size())); }

std::string EventFrame(std::string_view topic, std::string_view payload) {
  std::string f;
  f.reserve(payload.size() + topic.size() + 40);
  f += R"({"type":"event","topic":)";
  f += Quote(topic);
  f += R"(,"event":)";
  f += payload;
  f += '}';
  return f;
}

std::string WithRef(std::string_view type, std::string_view ref) {
  std::string f = R"({"type":")";
  f += type;
  f += '"';
  if (!ref.empty()) {
    f += R"(,"ref":)";
    f += Quote(ref);
  }
  return f;
}

}  // namespace

WsHub::WsHub(asio::thread_pool& workers, const WsRegistry& registry, events::Bus& bus, Authenticator authenticate,
             WsLimits limits)
    : workers_(workers), registry_(registry), bus_(bus), authenticate_(std::move(authenticate)), limits_(limits) {}

WsHub::~WsHub() = default;

void WsHub::Send(const std::shared_ptr<Conn>& c, std::string frame) {
  if (c->ended || c->close_requested) return;
  if (c->out.size() >= limits_.max_queue) {
    // Too far behind: drop what waits and close; the client catches up from the database.
    ++slow_closed_;
    RequestClose(c, 1008, "slow_consumer", /*drop_queue=*/true);
    return;
  }
  c->out.push_back(std::move(frame));
  if (!c->writing) {
    c->writing = true;
    asio::co_spawn(c->ws.get_executor(), WriteLoop(c), asio::detached);
  }
}

void WsHub::SendError(const std::shared_ptr<Conn>& c, std::string_view ref, const Error& e, std::string_view rid) {
  const std::string id = rid.empty() ? NewRequestId() : std::string(rid);
  Reply r = RenderProblem(e, id, c->locale);
  std::string f = WithRef("error", ref);
  f += R"(,"problem":)";
  f += r.body;
  f += '}';
  Send(c, std::move(f));
}

void WsHub::RequestClose(const std::shared_ptr<Conn>& c, int code, std::string reason, bool drop_queue) {
  if (c->close_requested || c->ended) return;
  c->close_requested = true;
  c->close_code = code;
  c->close_reason = std::move(reason);
  if (drop_queue) c->out.clear();
  if (!c->writing) {
    c->writing = true;
    asio::co_spawn(c->ws.get_executor(), WriteLoop(c), asio::detached);
  }
  // A peer that neither reads nor answers the close: drop the TCP connection.
  c->close_timer = std::make_unique<asio::steady_timer>(c->ws.get_executor(), limits_.close_timeout);
  c->close_timer->async_wait([weak = std::weak_ptr<Conn>(c)](boost::system::error_code ec) {
    auto conn = weak.lock();
    if (ec || !conn || conn->ended) return;
    boost::system::error_code cec;
    beast::get_lowest_layer(conn->ws).socket().close(cec);
  });
}

asio::awaitable<void> WsHub::WriteLoop(std::shared_ptr<Conn> c) {
  while (!c->out.empty() && !c->ended) {
    std::string f = std::move(c->out.front());
    c->out.pop_front();
    auto [ec, n] = co_await c->ws.async_write(asio::buffer(f), asio::as_tuple(asio::use_awaitable));
    if (ec) {
      c->out.clear();
      c->writing = false;
      co_return;
    }
    ++frames_out_;
  }
  if (c->close_requested && !c->ended) {
    websocket::close_reason why(static_cast<websocket::close_code>(c->close_code), c->close_reason);
    co_await c->ws.async_close(why, asio::as_tuple(asio::use_awaitable));
  }
  c->writing = false;
}

void WsHub::OnEvent(const std::shared_ptr<Conn>& c, const std::string& topic, const std::string& payload) {
  auto it = c->subs.find(topic);
  if (it == c->subs.end() || c->ended) return;
  ++events_;
  if (it->second.live) {
    Send(c, EventFrame(topic, payload));
  } else if (it->second.pending.size() < limits_.max_queue) {
    it->second.pending.push_back(EventFrame(topic, payload));
  } else if (!c->close_requested) {
    ++slow_closed_;
    RequestClose(c, 1008, "slow_consumer", true);
  }
}

Status WsHub::Recheck(Conn& c) {
  const std::int64_t now = SteadyMs();
  if (now - c.checked_ms.load() < limits_.reauth_after.count()) return {};
  auto p = authenticate_(c.token);
  if (!p) return p.error();
  c.checked_ms = now;
  return {};
}

asio::awaitable<void> WsHub::Subscribe(std::shared_ptr<Conn> c, std::string ref, std::string topic,
                                       std::int64_t after_seq) {
  const WsTopic* fn = registry_.Topic(topic);
  if (!fn) {
    SendError(c, ref, MakeError(Errc::not_found, "ws_topic_not_found", "no such topic: " + topic));
    co_return;
  }
  if (c->subs.contains(topic)) {
    SendError(c, ref, MakeError(Errc::conflict, "ws_already_subscribed", topic));
    co_return;
  }
  if (static_cast<int>(c->subs.size()) >= limits_.max_subscriptions) {
    SendError(c, ref, MakeError(Errc::rate_limited, "ws_too_many_subscriptions"));
    co_return;
  }
  // Subscribe to the bus first and hold events back: an event published while the backlog is
  // read is then sent after it instead of being lost between the two.
  std::weak_ptr<Conn> weak = c;
  auto ex = c->ws.get_executor();
  auto& sub = c->subs[topic];
  const std::uint64_t id = bus_.Subscribe(topic, [this, weak, ex](const std::string& t, const std::string& p) {
    asio::post(ex, [this, weak, t, p] {
      if (auto conn = weak.lock()) OnEvent(conn, t, p);
    });
  });
  sub.bus_id = id;
  ++subscriptions_;
  const Principal who = *c->who;
  Conn* conn = c.get();  // alive: `c` is held by this coroutine
  // Captures only pointers and references: GCC 12 destroys a co_await expression's temporaries
  // twice when they own memory (a captured std::string or shared_ptr would be freed twice).
  auto work = [this, conn, fn, &who, &topic, after_seq]() -> asio::awaitable<Result<std::vector<std::string>>> {
    try {
      if (auto st = Recheck(*conn); !st) co_return st.error();
      co_return (*fn)(who, topic, after_seq);
    } catch (const std::exception& e) {
      log::Error("ws topic failed", {{"topic", topic}, {"what", e.what()}});
      co_return MakeError(Errc::internal, "internal_error");
    }
  };
  auto backlog = co_await asio::co_spawn(workers_, work, asio::use_awaitable);
  auto it = c->subs.find(topic);
  if (it == c->subs.end() || it->second.bus_id != id) co_return;  // closed or unsubscribed meanwhile
  if (!backlog) {
    bus_.Unsubscribe(id);
    --subscriptions_;
    c->subs.erase(it);
    SendError(c, ref, backlog.error());
    if (backlog.error().code == "session_expired" || backlog.error().errc == Errc::unauthenticated)
      RequestClose(c, 1008, "unauthenticated", false);
    co_return;
  }
  for (const auto& p : *backlog) Send(c, EventFrame(topic, p));
  std::string ack = WithRef("subscribed", ref);
  ack += R"(,"topic":)" + Quote(topic) + R"(,"backlog":)" + std::to_string(backlog->size()) + "}";
  Send(c, std::move(ack));
  for (auto& f : it->second.pending) Send(c, std::move(f));
  it->second.pending.clear();
  it->second.pending.shrink_to_fit();
  it->second.live = true;
}

asio::awaitable<void> WsHub::Call(std::shared_ptr<Conn> c, std::string ref, std::string method, json::object params) {
  const WsMethod* fn = registry_.Method(method);
  if (!fn) {
    SendError(c, ref, MakeError(Errc::not_found, "ws_method_not_found", "no such method: " + method));
    co_return;
  }
  if (c->calls >= limits_.max_calls_in_flight) {
    SendError(c, ref, MakeError(Errc::rate_limited, "ws_too_many_calls"));
    co_return;
  }
  ++c->calls;
  const auto start = std::chrono::steady_clock::now();
  const std::string rid = NewRequestId();
  const Principal who = *c->who;
  Conn* conn = c.get();  // alive: `c` is held by this coroutine; trivial captures (see Subscribe)
  auto work = [this, conn, fn, &who, &params, &rid, &method]() -> asio::awaitable<Result<json::value>> {
    try {
      if (auto st = Recheck(*conn); !st) co_return st.error();
      WsCall call{who, params, RequestMeta{rid, conn->client}, conn->locale};
      co_return (*fn)(call);
    } catch (const std::exception& e) {
      log::Error("ws call failed", {{"rid", rid}, {"method", method}, {"what", e.what()}});
      co_return MakeError(Errc::internal, "internal_error");
    }
  };
  auto result = co_await asio::co_spawn(workers_, work, asio::use_awaitable);
  --c->calls;
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (result) {
    ++calls_ok_;
    std::string f = WithRef("result", ref);
    f += R"(,"result":)" + json::serialize(*result) + "}";
    Send(c, std::move(f));
  } else {
    ++calls_failed_;
    if (ToHttpStatus(result.error().errc) >= 500)
      log::Error("ws call failed",
                 {{"rid", rid}, {"method", method}, {"code", result.error().code}, {"detail", result.error().detail}});
    SendError(c, ref, result.error(), rid);
    if (result.error().errc == Errc::unauthenticated) RequestClose(c, 1008, "unauthenticated", false);
  }
  log::Info("ws call", {{"rid", rid},
                        {"method", method},
                        {"ok", result.has_value()},
                        {"ms", std::round(ms * 1000) / 1000},
                        {"client", c->client}});
}

void WsHub::HandleFrame(const std::shared_ptr<Conn>& c, std::string_view text) {
  WsFrame f = ParseWsFrame(text);
  auto bad = [&](std::string_view ref, std::string detail) {
    ++bad_frames_;
    SendError(c, ref, MakeError(Errc::invalid_argument, "ws_bad_frame", std::move(detail)));
  };
  switch (f.kind) {
    case WsFrame::Kind::bad:
      return bad(f.ref, std::move(f.error));
    case WsFrame::Kind::auth:
      return bad(f.ref, "already signed in");
    case WsFrame::Kind::ping:
      Send(c, WithRef("pong", f.ref) + "}");
      return;
    case WsFrame::Kind::unsubscribe: {
      auto it = c->subs.find(f.topic);
      if (it == c->subs.end()) {
        SendError(c, f.ref, MakeError(Errc::not_found, "ws_not_subscribed", f.topic));
        return;
      }
      bus_.Unsubscribe(it->second.bus_id);
      --subscriptions_;
      c->subs.erase(it);
      Send(c, WithRef("unsubscribed", f.ref) + R"(,"topic":)" + Quote(f.topic) + "}");
      return;
    }
    case WsFrame::Kind::subscribe:
      asio::co_spawn(c->ws.get_executor(), Subscribe(c, std::move(f.ref), std::move(f.topic), f.after_seq),
                     asio::detached);
      return;
    case WsFrame::Kind::call:
      asio::co_spawn(c->ws.get_executor(), Call(c, std::move(f.ref), std::move(f.method), std::move(f.params)),
                     asio::detached);
      return;
  }
}

asio::awaitable<void> WsHub::Serve(beast::tcp_stream stream, beast::http::request<beast::http::string_body> upgrade,
                                   std::string client) {
  auto c = std::make_shared<Conn>(std::move(stream));
  // The web app's session cookie, when the upgrade carried one and no bearer header: the server
  // refused it unless the page was our own (Origin). An auth frame without a token uses it.
  const Credentials cred =
      RequestCredentials(upgrade[beast::http::field::authorization], upgrade[beast::http::field::cookie]);
  const std::string cookie_token = cred.from_cookie ? cred.token : std::string();
  c->client = std::move(client);
  c->locale = PickLocale(upgrade[beast::http::field::accept_language]);
  beast::get_lowest_layer(c->ws).expires_never();
  websocket::stream_base::timeout to{};
  to.handshake_timeout = limits_.close_timeout;
  to.idle_timeout = limits_.idle_timeout;
  to.keep_alive_pings = true;
  c->ws.set_option(to);
  c->ws.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(beast::http::field::server, "ihosd"); }));
  c->ws.read_message_max(limits_.max_frame);
  c->ws.auto_fragment(false);
  c->ws.text(true);
  auto [aec] = co_await c->ws.async_accept(upgrade, asio::as_tuple(asio::use_awaitable));
  if (aec) co_return;
  ++accepted_;
  ++open_;
  {
    std::lock_guard lock(conns_mu_);
    conns_[c.get()] = c;
  }
  if (stopping_) RequestClose(c, 1001, "server shutting down", false);

  // The auth frame must come first, and soon.
  asio::steady_timer auth_timer(co_await asio::this_coro::executor, limits_.auth_timeout);
  auth_timer.async_wait([this, weak = std::weak_ptr<Conn>(c)](boost::system::error_code ec) {
    auto conn = weak.lock();
    if (ec || !conn || conn->who || conn->ended) return;
    ++auth_failed_;
    SendError(conn, "", MakeError(Errc::unauthenticated, "ws_auth_timeout"));
    RequestClose(conn, 1008, "auth_timeout", false);
  });

  beast::flat_buffer buf;
  for (;;) {
    buf.consume(buf.size());
    auto [ec, n] = co_await c->ws.async_read(buf, asio::as_tuple(asio::use_awaitable));
    if (ec) break;  // closed, too big (Beast answers 1009), idle timeout, reset
    ++frames_in_;
    if (c->close_requested) continue;  // closing: read on until the peer's close frame
    if (!c->ws.got_text()) {
      ++bad_frames_;
      SendError(c, "", MakeError(Errc::invalid_argument, "ws_bad_frame", "binary frames are not accepted"));
      continue;
    }
    const std::string text = beast::buffers_to_string(buf.data());
    if (!c->who) {
      // Before auth only {"type":"auth","token":...} is accepted; anything else closes.
      WsFrame f = ParseWsFrame(text);
      const bool by_cookie = f.kind == WsFrame::Kind::auth && f.token.empty() && !cookie_token.empty();
      if (f.kind != WsFrame::Kind::auth || (f.token.empty() && !by_cookie)) {
        ++auth_failed_;
        SendError(c, "", MakeError(Errc::unauthenticated, "ws_auth_required"));
        RequestClose(c, 1008, "auth_required", false);
        continue;
      }
      c->token = by_cookie ? cookie_token : std::move(f.token);
      const std::string* tok = &c->token;  // trivial captures (see Subscribe)
      auto work = [this, tok]() -> asio::awaitable<Result<Principal>> {
        try {
          co_return authenticate_(*tok);
        } catch (const std::exception& e) {
          log::Error("ws auth failed", {{"what", e.what()}});
          co_return MakeError(Errc::internal, "internal_error");
        }
      };
      auto who = co_await asio::co_spawn(workers_, work, asio::use_awaitable);
      if (!who) {
        ++auth_failed_;
        SendError(c, "", who.error());
        RequestClose(c, 1008, who.error().errc == Errc::unavailable ? "unavailable" : "unauthenticated", false);
        continue;
      }
      c->who = std::move(*who);
      c->checked_ms = SteadyMs();
      auth_timer.cancel();
      Send(c, R"({"type":"ready","user_id":)" + std::to_string(c->who->user_id) + "}");
      continue;
    }
    HandleFrame(c, text);
  }

  c->ended = true;
  c->out.clear();
  auth_timer.cancel();
  if (c->close_timer) c->close_timer->cancel();
  for (auto& [_, sub] : c->subs) {
    bus_.Unsubscribe(sub.bus_id);
    --subscriptions_;
  }
  c->subs.clear();
  {
    std::lock_guard lock(conns_mu_);
    conns_.erase(c.get());
  }
  --open_;
  boost::system::error_code cec;
  beast::get_lowest_layer(c->ws).socket().shutdown(asio::ip::tcp::socket::shutdown_both, cec);
  beast::get_lowest_layer(c->ws).socket().close(cec);
}

void WsHub::Shutdown() {
  stopping_ = true;
  std::lock_guard lock(conns_mu_);
  for (auto& [_, weak] : conns_) {
    if (auto c = weak.lock()) {
      asio::post(c->ws.get_executor(), [this, c] { RequestClose(c, 1001, "server shutting down", false); });
    }
  }
}

void WsHub::CloseAll() {
  std::lock_guard lock(conns_mu_);
  for (auto& [_, weak] : conns_) {
    if (auto c = weak.lock()) {
      asio::post(c->ws.get_executor(), [c] {
        boost::system::error_code ec;
        beast::get_lowest_layer(c->ws).socket().close(ec);
      });
    }
  }
}

std::string WsHub::MetricsText() const {
  std::ostringstream out;
  auto counter = [&](const char* name, const char* help, std::uint64_t v) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " counter\n" << name << " " << v << "\n";
  };
  out << "# HELP ihos_ws_connections Open WebSocket connections.\n# TYPE ihos_ws_connections gauge\n"
      << "ihos_ws_connections " << open_.load() << "\n"
      << "# HELP ihos_ws_subscriptions Topic subscriptions of open WebSocket connections.\n"
         "# TYPE ihos_ws_subscriptions gauge\n"
      << "ihos_ws_subscriptions " << subscriptions_.load() << "\n";
  counter("ihos_ws_connections_total", "WebSocket connections accepted.", accepted_.load());
  counter("ihos_ws_frames_received_total", "WebSocket frames received.", frames_in_.load());
  counter("ihos_ws_frames_sent_total", "WebSocket frames sent.", frames_out_.load());
  counter("ihos_ws_bad_frames_total", "Malformed WebSocket frames answered with an error.", bad_frames_.load());
  counter("ihos_ws_auth_failures_total", "WebSocket connections refused at auth (bad token, timeout).",
          auth_failed_.load());
  out << "# HELP ihos_ws_calls_total WebSocket calls by outcome.\n# TYPE ihos_ws_calls_total counter\n"
      << "ihos_ws_calls_total{outcome=\"ok\"} " << calls_ok_.load() << "\n"
      << "ihos_ws_calls_total{outcome=\"error\"} " << calls_failed_.load() << "\n";
  counter("ihos_ws_events_total", "Bus events received for subscribed WebSocket connections.", events_.load());
  counter("ihos_ws_slow_consumer_closes_total", "WebSocket connections closed for falling too far behind.",
          slow_closed_.load());
  out << bus_.MetricsText();
  return out.str();
}

long RaiseFileLimit(long want) {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return -1;
  if (rl.rlim_cur != RLIM_INFINITY && static_cast<long>(rl.rlim_cur) < want) {
    rlim_t target = static_cast<rlim_t>(want);
    if (rl.rlim_max != RLIM_INFINITY && target > rl.rlim_max) target = rl.rlim_max;
    if (target > rl.rlim_cur) {
      rl.rlim_cur = target;
      setrlimit(RLIMIT_NOFILE, &rl);
      getrlimit(RLIMIT_NOFILE, &rl);
    }
  }
  return rl.rlim_cur == RLIM_INFINITY ? want : static_cast<long>(rl.rlim_cur);
}

}  // namespace ihos::http
