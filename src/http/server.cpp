#include "http/server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/url/parse.hpp>
#include <sstream>
#include <utility>

#include "core/crypto.hpp"
#include "core/access_log.hpp"
#include "core/log.hpp"
#include "http/problem.hpp"
#include "http/session_cookie.hpp"
#include "http/static_files.hpp"
#include "http/tls.hpp"
#include "http/ws_hub.hpp"

namespace ihos::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

struct Server::Conn {
  explicit Conn(tcp::socket s) : stream(std::move(s)) {}
  beast::tcp_stream stream;
  std::string client;  // set by Adopt (TLS): the peer's address; else read from the socket
  bool tls = false;    // the plaintext side of a TLS connection (tls.hpp): responses carry HSTS
  bool busy = false;   // a request is being read or handled; touched only on the strand
};

namespace {

constexpr int kUploadReadTimeoutMs = 120000;  // reading a large upload body

bool ValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  return true;
}

bool IsApiPath(std::string_view p) {
  return p.rfind("/api/", 0) == 0 || p.rfind("/.well-known/", 0) == 0 || p == "/api" || p == "/healthz" ||
         p == "/readyz" || p == "/metrics";
}

// The start line and fields exactly as Beast's serializer writes them ("HTTP/1.1 200 OK\r\n", each
// field "Name: value\r\n" in order, a blank line), in one buffer: written with the body in one
// gather write, instead of the serializer walking a buffer sequence of one piece per field, which
// cost more instructions than everything else in writing a small response.
std::string SerializedHeader(const bhttp::response<bhttp::string_body>& res) {
  const unsigned version = res.version();
  const unsigned code = res.result_int();
  const auto reason = res.reason();
  std::size_t size = 13 + reason.size() + 2 + 2;
  for (const auto& f : res) size += f.name_string().size() + 2 + f.value().size() + 2;
  std::string out;
  out.reserve(size);
  const char start[] = {'H', 'T', 'T', 'P', '/', static_cast<char>('0' + version / 10), '.',
                        static_cast<char>('0' + version % 10), ' ', static_cast<char>('0' + code / 100),
                        static_cast<char>('0' + (code / 10) % 10), static_cast<char>('0' + code % 10), ' '};
  out.append(start, sizeof start);
  out.append(reason.data(), reason.size());
  out += "\r\n";
  for (const auto& f : res) {
    out.append(f.name_string().data(), f.name_string().size());
    out += ": ";
    out.append(f.value().data(), f.value().size());
    out += "\r\n";
  }
  out += "\r\n";
  return out;
}

// RAII counter bump for pool gauges.
struct Gauge {
  std::atomic<int>& g;
  explicit Gauge(std::atomic<int>& x) : g(x) { ++g; }
  ~Gauge() { --g; }
};

}  // namespace

// Request ids: a random per-process prefix and a counter, so they are unique across nodes and
// restarts without a getrandom() call per request.
std::string NewRequestId() {
  static const std::string prefix = crypto::RandomHex(4);
  static std::atomic<std::uint64_t> counter{0};
  static constexpr char kHex[] = "0123456789abcdef";
  const auto n = static_cast<std::uint32_t>(counter.fetch_add(1));
  std::string id;
  id.reserve(prefix.size() + 9);
  id += prefix;
  id += '-';
  for (int shift = 28; shift >= 0; shift -= 4) id += kHex[(n >> shift) & 0xf];  // "%08x"
  return id;
}

Server::Server(asio::io_context& ioc, asio::thread_pool& workers, Router& router, Authenticator authenticate,
               ServerLimits limits)
    : ioc_(ioc),
      workers_(workers),
      router_(router),
      authenticate_(std::move(authenticate)),
      limits_(limits),
      acceptor_(asio::make_strand(ioc)) {}

Server::~Server() = default;

unsigned short Server::Listen(const std::string& address, unsigned short port) {
  tcp::endpoint ep(asio::ip::make_address(address), port);
  acceptor_.open(ep.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(ep);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  return acceptor_.local_endpoint().port();
}

void Server::ServeStatic(const std::string& dir) { static_ = std::make_unique<StaticFiles>(dir); }

void Server::Start() {
  for (const auto& r : router_.routes()) max_route_body_limit_ = std::max(max_route_body_limit_, r->body_limit);
  asio::co_spawn(acceptor_.get_executor(), AcceptLoop(), asio::detached);
}

void Server::Shutdown() {
  if (stopping_.exchange(true)) return;
  asio::post(acceptor_.get_executor(), [this] {
    boost::system::error_code ec;
    acceptor_.close(ec);
  });
  CloseConnections(/*busy_too=*/false);
  if (hub_) hub_->Shutdown();
}

void Server::CloseAll() {
  CloseConnections(/*busy_too=*/true);
  if (hub_) hub_->CloseAll();
}

void Server::CloseConnections(bool busy_too) {
  std::lock_guard lock(conns_mu_);
  for (auto& [_, weak] : conns_) {
    if (auto c = weak.lock()) {
      asio::post(c->stream.get_executor(), [c, busy_too] {
        if (busy_too || !c->busy) {
          boost::system::error_code ec;
          c->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
          c->stream.socket().close(ec);
        }
      });
    }
  }
}

asio::awaitable<void> Server::AcceptLoop() {
  for (;;) {
    auto [ec, sock] = co_await acceptor_.async_accept(asio::make_strand(ioc_), asio::as_tuple(asio::use_awaitable));
    if (ec) {
      if (stopping_ || ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
      // Out of file descriptors and the like: back off briefly instead of spinning.
      asio::steady_timer t(acceptor_.get_executor(), std::chrono::milliseconds(50));
      co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    if (tls_) {
      tls_->Accept(std::move(sock), *this);  // comes back through Adopt after the handshake
      continue;
    }
    Adopt(std::move(sock), "", false);
  }
}

void Server::Adopt(tcp::socket socket, std::string client, bool tls) {
  auto conn = std::make_shared<Conn>(std::move(socket));
  conn->client = std::move(client);
  conn->tls = tls;
  {
    std::lock_guard lock(conns_mu_);
    conns_[conn.get()] = conn;
  }
  asio::co_spawn(conn->stream.get_executor(), Session(conn), asio::detached);
}

namespace {

bool RoleAllowed(const Route* route, const Principal& p) {
  if (route->access.kind != Access::Kind::roles) return true;
  for (const auto& r : route->access.roles)
    if (p.Has(r)) return true;
  return false;
}

// The route's access check from the token alone: the principal, or unauthenticated/forbidden.
Result<Principal> CheckAccess(const Authenticator& authenticate, const std::string& bearer, const Route* route) {
  if (bearer.empty()) return MakeError(Errc::unauthenticated, "unauthenticated");
  auto p = authenticate(bearer);
  if (!p) return p.error();
  if (!RoleAllowed(route, *p)) return MakeError(Errc::forbidden, "forbidden");
  return std::move(*p);
}

}  // namespace

bool Server::AdmitClient(const std::string& client) {
  std::lock_guard lock(clients_mu_);
  const int n = ++per_client_[client];
  return limits_.max_connections_per_client <= 0 || n <= limits_.max_connections_per_client;
}

void Server::ReleaseClient(const std::string& client) {
  std::lock_guard lock(clients_mu_);
  auto it = per_client_.find(client);
  if (it != per_client_.end() && --it->second <= 0) per_client_.erase(it);
}

asio::awaitable<Result<Principal>> Server::Authorize(const std::string& bearer, const Route* route) {
  if (bearer.empty()) co_return MakeError(Errc::unauthenticated, "unauthenticated");
  if (limits_.max_queue > 0 && queued_.load() >= limits_.max_queue) {
    ++shed_;
    Error e = MakeError(Errc::unavailable, "overloaded");
    e.retry_after_s = 1;
    co_return e;
  }
  ++queued_;
  co_return co_await asio::co_spawn(
      workers_,
      [this, &bearer, route]() -> asio::awaitable<Result<Principal>> {
        --queued_;
        Gauge busy(busy_);
        co_return CheckAccess(authenticate_, bearer, route);
      },
      asio::use_awaitable);
}

asio::awaitable<Reply> Server::Dispatch(Request& req, const Route* route, bool authorized) {
  // From memory on this I/O thread when the route can (no hop to the worker pool): access from
  // the session cache, then the route's fast handler. A cached principal also spares the worker
  // a second authentication when the fast handler cannot answer.
  if (route->fast && !route->on_io_thread) {
    if (!authorized && route->access.kind != Access::Kind::anyone && cached_authenticate_ && !req.bearer.empty()) {
      if (auto p = cached_authenticate_(req.bearer)) {
        if (!RoleAllowed(route, *p))
          co_return RenderProblem(MakeError(Errc::forbidden, "forbidden"), req.request_id, req.locale);
        req.principal = std::move(*p);
        authorized = true;
      }
    }
    if (authorized || route->access.kind == Access::Kind::anyone) {
      log::ScopedRequestId rid(req.request_id);
      if (auto r = route->fast(req)) co_return std::move(*r);
    }
  }
  auto run = [this, &req, route, authorized]() -> Result<Reply> {
    if (route->access.kind != Access::Kind::anyone && !authorized) {
      auto p = CheckAccess(authenticate_, req.bearer, route);
      if (!p) return p.error();
      req.principal = std::move(*p);
    }
    log::ScopedRequestId rid(req.request_id);
    return route->handler(req);
  };
  Result<Reply> result = MakeError(Errc::internal, "internal_error");
  // Load shedding: past the queue bound, or after waiting too long for a worker, the request is
  // refused without running its handler (no authentication, no database), so what is admitted
  // keeps a bounded latency. Routes on the I/O thread (/healthz) are never shed.
  const auto overloaded = [this] {
    ++shed_;
    Error e = MakeError(Errc::unavailable, "overloaded");
    e.retry_after_s = 1;
    return e;
  };
  if (route->on_io_thread) {
    result = run();
  } else if (limits_.max_queue > 0 && queued_.load() >= limits_.max_queue) {
    result = overloaded();
  } else {
    ++queued_;
    const auto enqueued = std::chrono::steady_clock::now();
    result = co_await asio::co_spawn(
        workers_,
        [this, run, enqueued, overloaded]() -> asio::awaitable<Result<Reply>> {
          --queued_;
          if (limits_.max_queue_wait.count() > 0 &&
              std::chrono::steady_clock::now() - enqueued > limits_.max_queue_wait)
            co_return overloaded();
          Gauge busy(busy_);
          co_return run();
        },
        asio::use_awaitable);
  }
  if (!result) {
    const Error& e = result.error();
    if (ToHttpStatus(e.errc) >= 500 &&
        e.code != "overloaded")  // the client sees only the request id; the log keeps why
      log::Error("request failed",
                 {{"rid", req.request_id}, {"route", route->path}, {"code", e.code}, {"detail", e.detail}});
    co_return RenderProblem(e, req.request_id, req.locale);
  }
  co_return std::move(*result);
}

asio::awaitable<void> Server::Session(std::shared_ptr<Conn> conn) {
  Gauge open(open_);
  struct Unregister {
    Server* s;
    Conn* c;
    ~Unregister() {
      std::lock_guard lock(s->conns_mu_);
      s->conns_.erase(c);
    }
  } unregister{this, conn.get()};

  auto& stream = conn->stream;
  boost::system::error_code ec;
  const auto remote = stream.socket().remote_endpoint(ec);
  const std::string client = !conn->client.empty() ? conn->client : ec ? "" : remote.address().to_string();
  const bool client_admitted = AdmitClient(client);
  struct ReleaseOnExit {
    Server* s;
    const std::string& client;
    ~ReleaseOnExit() { s->ReleaseClient(client); }
  } release_client{this, client};
  beast::flat_buffer buf;

  // Writes `reply` and one access-log line; false when the connection must close.
  auto respond = [&](Request& req, Reply reply, bool keep_alive, RouteMetrics& metrics, std::string_view route,
                     std::chrono::steady_clock::time_point start, unsigned version) -> asio::awaitable<bool> {
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(reply.status), version};
    res.set(bhttp::field::server, "ihosd");
    if (!reply.content_type.empty()) res.set(bhttp::field::content_type, reply.content_type);
    res.set("X-Request-Id", req.request_id);
    res.set("X-Content-Type-Options", "nosniff");
    if (conn->tls) res.set(bhttp::field::strict_transport_security, Tls::kHsts);
    if (IsApiPath(req.path)) res.set(bhttp::field::cache_control, "no-store");
    for (auto& [k, v] : reply.headers) res.set(k, v);
    const bool alive = keep_alive && !stopping_;
    res.keep_alive(alive);
    const std::size_t bytes = reply.body.size();
    res.body() = req.method == Verb::head ? std::string() : std::move(reply.body);
    res.prepare_payload();
    if (req.method == Verb::head) res.content_length(bytes);
    // Counted before the write, so a client that reads /metrics right after a response sees it.
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    metrics.Observe(reply.status, ms);
    stream.expires_after(limits_.read_timeout);
    const std::string head = SerializedHeader(res);
    const std::array<asio::const_buffer, 2> bufs{asio::buffer(head), asio::buffer(res.body())};
    auto [wec, n] = co_await asio::async_write(stream, bufs, asio::as_tuple(asio::use_awaitable));
    log::Access(req.request_id, bhttp::to_string(req.method), route, reply.status, std::round(ms * 1000) / 1000, bytes,
                client);
    co_return !wec && alive;
  };

  if (open_.load() > limits_.max_connections || !client_admitted) {
    // Over capacity (all connections, or this client address's share): read the request line and
    // headers briefly, answer 503 and close, so the client sees why instead of a reset.
    Request req;
    req.request_id = NewRequestId();
    req.client_addr = client;
    bhttp::request_parser<bhttp::empty_body> head;
    head.header_limit(static_cast<std::uint32_t>(limits_.header_limit));
    stream.expires_after(std::min(limits_.refuse_read_timeout, limits_.read_timeout));
    auto [rec, rn] = co_await bhttp::async_read_header(stream, buf, head, asio::as_tuple(asio::use_awaitable));
    if (!rec) {
      Error e = MakeError(Errc::unavailable, "too_many_connections");
      e.retry_after_s = 1;
      co_await respond(req, RenderProblem(e, req.request_id, "zh-CN"), false, router_.unmatched(), "-",
                       std::chrono::steady_clock::now(), head.get().version());
      boost::system::error_code cec;
      stream.socket().shutdown(tcp::socket::shutdown_send, cec);
      // Drain briefly so unread input does not turn the answer into a reset.
      char sink[4096];
      stream.expires_after(std::chrono::milliseconds(500));
      for (std::size_t drained = 0; drained < 64 * 1024;) {
        auto [dec, n] = co_await stream.async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
        if (dec) break;
        drained += n;
      }
    }
    boost::system::error_code cec;
    stream.socket().close(cec);
    co_return;
  }

  bool first = true;
  bool linger = false;  // drain the socket before closing (after refusing a request mid-read)
  for (;;) {
    conn->busy = false;
    if (stopping_) break;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits_.header_limit));
    parser.body_limit(std::max(limits_.body_limit, max_route_body_limit_));
    if (!first && buf.size() == 0) {
      // Between requests a kept-alive client may stay silent for the idle timeout; once its
      // next request starts, the whole request must arrive within the read timeout.
      stream.expires_after(limits_.idle_timeout);
      auto [iec, in] = co_await stream.async_read_some(buf.prepare(4096), asio::as_tuple(asio::use_awaitable));
      if (iec) break;
      buf.commit(in);
    }
    first = false;
    stream.expires_after(limits_.read_timeout);
    auto [hec, hn] = co_await bhttp::async_read_header(stream, buf, parser, asio::as_tuple(asio::use_awaitable));
    const auto start = std::chrono::steady_clock::now();
    conn->busy = true;
    std::optional<Principal> early_principal;
    if (!hec) {
      // A route may accept a larger body (file uploads), with time to send it; every other body
      // keeps the server's limits. The header was parsed with the largest limit of any route,
      // so the declared length is checked here against the matched route's own limit.
      // Access (token, role) is checked from the headers before any body is read, so a client
      // without a session cannot hold a connection open by trickling an upload; only an
      // authorised upload gets the long body timeout.
      std::size_t body_limit = limits_.body_limit;
      auto body_timeout = limits_.read_timeout;
      const Route* early_route = nullptr;
      // Without a body still to read (a GET) there is nothing for these checks to guard, so the
      // route is found only once, after the read.
      if (!parser.is_done()) {
        if (auto target = boost::urls::parse_origin_form(parser.get().target()); target) {
          const auto raw = target->encoded_path();
          const Match m = router_.Find(parser.get().method(), std::string_view(raw.data(), raw.size()));
          early_route = m.route;
        }
      }
      if (early_route && !parser.is_done() && early_route->access.kind != Access::Kind::anyone) {
        const auto& h = parser.get();
        const Credentials cred = RequestCredentials(h[bhttp::field::authorization], h[bhttp::field::cookie]);
        auto p = co_await Authorize(cred.token, early_route);
        if (p) {
          if (auto st = CheckCsrf(h.method(), cred, h["X-CSRF-Token"]); !st) p = st.error();
        }
        if (!p) {
          Request req;
          req.client_addr = client;
          const auto rid = parser.get()["X-Request-Id"];
          req.request_id = ValidRequestId(rid) ? std::string(rid) : NewRequestId();
          req.locale = PickLocale(parser.get()[bhttp::field::accept_language]);
          co_await respond(req, RenderProblem(p.error(), req.request_id, req.locale), false, *early_route->metrics,
                           early_route->path, start, parser.get().version());
          linger = true;
          break;
        }
        early_principal = std::move(*p);
      }
      if (early_route && early_route->body_limit > body_limit) {
        body_limit = early_route->body_limit;
        if (early_principal) body_timeout = std::max(body_timeout, std::chrono::milliseconds(kUploadReadTimeoutMs));
      }
      parser.body_limit(body_limit);
      stream.expires_after(body_timeout);
      if (const auto declared = parser.content_length(); declared && *declared > body_limit) {
        hec = bhttp::error::body_limit;
      } else {
        auto [bec, bn] = co_await bhttp::async_read(stream, buf, parser, asio::as_tuple(asio::use_awaitable));
        hec = bec;
      }
    }
    Request req;
    req.client_addr = client;
    if (hec) {
      // Refusals that can still be answered; anything else just closes: the peer left, the
      // server is shutting down, or the client was too slow (tcp_stream has already closed the
      // socket on timeout, so a slow client is dropped without a reply).
      Error e;
      if (hec == bhttp::error::header_limit) {
        e = MakeError(Errc::header_too_large, "header_too_large");
      } else if (hec == bhttp::error::body_limit) {
        e = MakeError(Errc::payload_too_large, "payload_too_large");
      } else if (hec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
                 hec != bhttp::error::end_of_stream && hec != bhttp::error::partial_message) {
        e = MakeError(Errc::invalid_argument, "malformed_request", hec.message());
      } else {
        break;
      }
      req.request_id = NewRequestId();
      req.locale = "zh-CN";
      Reply r = RenderProblem(e, req.request_id, req.locale);
      co_await respond(req, std::move(r), false, router_.unmatched(), "-", start, 11);
      linger = true;
      break;
    }

    auto& msg = parser.get();
    req.method = msg.method();
    const auto rid = msg["X-Request-Id"];
    req.request_id = ValidRequestId(rid) ? std::string(rid) : NewRequestId();
    req.locale = PickLocale(msg[bhttp::field::accept_language]);
    req.content_type = std::string(msg[bhttp::field::content_type]);
    // The session: a bearer token (API clients) or the web app's cookie, whose state-changing
    // requests must carry the session's CSRF token (session_cookie.hpp).
    const Credentials cred = RequestCredentials(msg[bhttp::field::authorization], msg[bhttp::field::cookie]);
    req.bearer = cred.token;
    const Status csrf = CheckCsrf(msg.method(), cred, msg["X-CSRF-Token"]);
    for (const auto& field : msg) {
      const auto name = field.name_string();
      // X-* headers, Idempotency-Key (billing: create order, pay, refund), User-Agent (sessions).
      if (((name.size() > 2 && (name[0] == 'x' || name[0] == 'X') && name[1] == '-') ||
           beast::iequals(name, "Idempotency-Key") || beast::iequals(name, "User-Agent")) &&
          req.x_headers.size() < 16) {
        std::string lower(name);
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        req.x_headers.emplace_back(std::move(lower), std::string(field.value()));
      }
    }
    req.body = std::move(msg.body());
    const bool keep_alive = msg.keep_alive();
    const unsigned version = msg.version();

    auto target = boost::urls::parse_origin_form(msg.target());
    if (!target) {
      co_await respond(
          req, RenderProblem(MakeError(Errc::invalid_argument, "malformed_request"), req.request_id, req.locale), false,
          router_.unmatched(), "-", start, version);
      break;
    }
    req.path = target->path();
    // Routing uses the raw path (segments decoded after the split: an encoded '/' stays a
    // parameter's character, router.hpp).
    const std::string raw_path(target->encoded_path().data(), target->encoded_path().size());
    for (auto p : target->params()) req.query.emplace_back(p.key, p.value);

    if (hub_ && req.path == "/api/v1/ws") {
      // WebSocket: the hub takes the connection over (ws_hub.hpp); the server forgets it.
      // A cookie session is used only when the page that opens the socket is our own (Origin).
      const bool cross_site_cookie =
          cred.from_cookie && !SameOrigin(msg[bhttp::field::origin], msg[bhttp::field::host]);
      if (beast::websocket::is_upgrade(msg) && !stopping_ && !cross_site_cookie) {
        {
          std::lock_guard lock(conns_mu_);
          conns_.erase(conn.get());
        }
        co_await hub_->Serve(std::move(stream), parser.release(), client);
        co_return;
      }
      const Error e = stopping_           ? MakeError(Errc::unavailable, "ws_shutting_down")
                      : cross_site_cookie ? MakeError(Errc::forbidden, "ws_origin_forbidden")
                                          : MakeError(Errc::invalid_argument, "ws_upgrade_required");
      co_await respond(req, RenderProblem(e, req.request_id, req.locale), false, router_.unmatched(), "-", start,
                       version);
      break;
    }

    Reply reply;
    RouteMetrics* metrics = &router_.unmatched();
    std::string route_name = "unmatched";
    try {
      if (IsApiPath(req.path) || !static_) {
        Match m = router_.Find(req.method, raw_path);
        if (m.route) {
          req.route = m.route->path;
          req.path_params = std::move(m.params);
          metrics = m.route->metrics.get();
          route_name = m.route->path;
          const bool authorized = early_principal.has_value();
          if (authorized) req.principal = std::move(early_principal);
          if (!csrf && m.route->access.kind != Access::Kind::anyone)
            reply = RenderProblem(csrf.error(), req.request_id, req.locale);
          else
            reply = co_await Dispatch(req, m.route, authorized);
        } else if (!m.allow.empty()) {
          Error e = MakeError(Errc::method_not_allowed, "method_not_allowed");
          e.allow = m.allow;
          reply = RenderProblem(e, req.request_id, req.locale);
        } else {
          reply = RenderProblem(MakeError(Errc::not_found, "route_not_found"), req.request_id, req.locale);
        }
      } else {
        metrics = &router_.static_files();
        route_name = "static";
        std::optional<Reply> file;
        if (req.method == Verb::get || req.method == Verb::head) file = static_->Get(req.path);
        if (file) {
          reply = std::move(*file);
        } else if (req.method == Verb::get || req.method == Verb::head) {
          reply = RenderProblem(MakeError(Errc::not_found, "not_found"), req.request_id, req.locale);
        } else {
          Error e = MakeError(Errc::method_not_allowed, "method_not_allowed");
          e.allow = {"GET", "HEAD"};
          reply = RenderProblem(e, req.request_id, req.locale);
        }
      }
    } catch (const std::exception& ex) {
      log::Error("unhandled exception", {{"rid", req.request_id}, {"route", route_name}, {"what", ex.what()}});
      reply = RenderProblem(MakeError(Errc::internal, "internal_error"), req.request_id, req.locale);
    }
    if (!co_await respond(req, std::move(reply), keep_alive, *metrics, route_name, start, version)) break;
  }
  boost::system::error_code cec;
  stream.socket().shutdown(tcp::socket::shutdown_send, cec);
  if (linger && !cec) {
    // The client may still be sending the request we refused (an oversized body or header).
    // Closing with unread input makes the kernel send a reset, which can destroy our answer
    // before the client reads it; so read and discard for a moment first (like nginx's
    // lingering_close), bounded in time and bytes.
    char sink[8192];
    std::size_t drained = 0;
    stream.expires_after(std::chrono::seconds(2));
    while (drained < 4 * 1024 * 1024) {
      auto [dec, n] = co_await stream.async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
      if (dec) break;
      drained += n;
    }
  }
  stream.socket().close(cec);
}

std::string Server::MetricsText() const {
  std::ostringstream out;
  out << "# HELP ihos_http_requests_total HTTP requests by route, method and status class.\n"
         "# TYPE ihos_http_requests_total counter\n";
  auto each = [&](auto&& fn) {
    for (const auto& r : router_.routes()) fn(std::string(bhttp::to_string(r->method)), r->path, *r->metrics);
    fn(std::string("ANY"), std::string("unmatched"), std::as_const(router_).unmatched());
    fn(std::string("GET"), std::string("static"), std::as_const(router_).static_files());
  };
  each([&](const std::string& m, const std::string& p, const RouteMetrics& rm) {
    for (int c = 0; c < 5; ++c) {
      const auto n = rm.by_status_class[c].load();
      if (n)
        out << "ihos_http_requests_total{route=\"" << p << "\",method=\"" << m << "\",status=\"" << c + 1 << "xx\"} "
            << n << "\n";
    }
  });
  out << "# HELP ihos_http_request_duration_seconds Time from request read to response written.\n"
         "# TYPE ihos_http_request_duration_seconds histogram\n";
  each([&](const std::string& m, const std::string& p, const RouteMetrics& rm) {
    if (rm.count.load() == 0) return;
    std::uint64_t cum = 0;
    const std::string labels = "route=\"" + p + "\",method=\"" + m + "\"";
    for (std::size_t b = 0; b < RouteMetrics::kBucketsMs.size(); ++b) {
      cum += rm.buckets[b].load();
      out << "ihos_http_request_duration_seconds_bucket{" << labels << ",le=\"" << RouteMetrics::kBucketsMs[b] / 1000.0
          << "\"} " << cum << "\n";
    }
    cum += rm.buckets.back().load();
    out << "ihos_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} " << cum << "\n";
    out << "ihos_http_request_duration_seconds_sum{" << labels << "} " << rm.sum_us.load() / 1e6 << "\n";
    out << "ihos_http_request_duration_seconds_count{" << labels << "} " << rm.count.load() << "\n";
  });
  out << "# HELP ihos_http_open_connections Open client connections.\n# TYPE ihos_http_open_connections gauge\n"
      << "ihos_http_open_connections " << open_.load() << "\n"
      << "# HELP ihos_worker_pool_queue Tasks waiting for a worker thread.\n# TYPE ihos_worker_pool_queue gauge\n"
      << "ihos_worker_pool_queue " << queued_.load() << "\n"
      << "# HELP ihos_worker_pool_busy Worker threads running a task.\n# TYPE ihos_worker_pool_busy gauge\n"
      << "ihos_worker_pool_busy " << busy_.load() << "\n"
      << "# HELP ihos_http_shed_total Requests answered 503 overloaded without running.\n# TYPE ihos_http_shed_total "
         "counter\n"
      << "ihos_http_shed_total " << shed_.load() << "\n";
  if (hub_) out << hub_->MetricsText();
  return out.str();
}

}  // namespace ihos::http
