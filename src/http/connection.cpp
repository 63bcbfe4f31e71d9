// One connection's requests, one after another (Server::Connection, started by Server::Session):
// each request is read within the
// limits, its access is checked from the headers before a body is read, it is routed, answered and
// logged; a refusal mid-read is answered and the connection lingers before it closes.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/url/parse.hpp>
#include <array>
#include <cctype>
#include <cmath>
#include <optional>
#include <utility>

#include "core/access_log.hpp"
#include "core/log.hpp"
#include "http/problem.hpp"
#include "http/server.hpp"
#include "http/server_conn.hpp"
#include "http/session_cookie.hpp"
#include "http/static_files.hpp"
#include "http/tls.hpp"
#include "http/ws_hub.hpp"

// GCC 12 warns that Asio's coroutine frames are allocated with aligned_alloc (inlined from
// thread_info_base::allocate) and released with the frame's sized operator delete. That operator
// delete hands the memory back to thread_info_base::deallocate, which frees it with aligned_delete,
// the matching call: the warning is a false positive (it appeared when the one large Session
// coroutine became several). Off for this file only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace ihos::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kUploadReadTimeoutMs = 120000;  // reading a large upload body

bool ValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  return true;
}

// The client's X-Request-Id when it is a sane one, else a new id.
std::string RequestIdOf(std::string_view given) { return ValidRequestId(given) ? std::string(given) : NewRequestId(); }

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

// The headers a handler may read: X-*, Idempotency-Key (billing: create order, pay, refund),
// User-Agent (sessions); at most 16, names lowercased.
void CopyHandlerHeaders(const bhttp::request<bhttp::string_body>& msg, Request& req) {
  for (const auto& field : msg) {
    const auto name = field.name_string();
    if (((name.size() > 2 && (name[0] == 'x' || name[0] == 'X') && name[1] == '-') ||
         beast::iequals(name, "Idempotency-Key") || beast::iequals(name, "User-Agent")) &&
        req.x_headers.size() < 16) {
      std::string lower(name);
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      req.x_headers.emplace_back(std::move(lower), std::string(field.value()));
    }
  }
}

}  // namespace

class Server::Connection {
 public:
  Connection(Server& server, std::shared_ptr<Conn> conn, std::string client)
      : s_(server), conn_(std::move(conn)), stream_(conn_->stream), client_(std::move(client)) {}

  // Over a connection cap: reads the request line and headers briefly, answers 503 and closes, so
  // the client sees why instead of a reset.
  asio::awaitable<void> Refuse();
  // Serves requests until the client, the server or a refusal ends the connection.
  asio::awaitable<void> Serve();

 private:
  using Parser = bhttp::request_parser<bhttp::string_body>;
  // What a request's headers allow before its body is read.
  struct BodyAllowance {
    std::optional<Principal> principal;  // access already checked from the headers
    std::size_t limit;
    std::chrono::milliseconds timeout;
  };
  struct Routed {
    Reply reply;
    RouteMetrics* metrics;
    std::string name;
  };

  // Writes `reply` and one access-log line; false when the connection must close.
  asio::awaitable<bool> Respond(Request& req, Reply reply, bool keep_alive, RouteMetrics& metrics,
                                std::string_view route, Clock::time_point start, unsigned version);
  // Reads and discards what the client still sends, bounded in time and bytes, so that closing
  // with unread input does not make the kernel reset the connection before our answer is read.
  asio::awaitable<void> Drain(std::chrono::milliseconds for_at_most, std::size_t max_bytes);
  // For a request with a body still to read: the route's body limit and time, and its access
  // checked from the headers; nullopt when the request was refused (answered; the connection
  // lingers and closes).
  asio::awaitable<std::optional<BodyAllowance>> AllowBody(const Parser& parser, Clock::time_point start);
  // Answers a request that could not be read whole (too large, malformed); false when there is
  // nobody to answer (the peer left, the server stops, the client was too slow).
  asio::awaitable<bool> RefuseUnreadable(boost::system::error_code ec, Clock::time_point start);
  // /api/v1/ws: the hub takes the connection over (true) or the upgrade is refused (answered).
  asio::awaitable<bool> Upgrade(Parser& parser, Request& req, const Credentials& cred, Clock::time_point start);
  // The API route's or the static file's answer.
  asio::awaitable<Routed> Answer(Request& req, const std::string& raw_path, std::optional<Principal> early,
                                const Status& csrf);

  Server& s_;
  std::shared_ptr<Conn> conn_;
  beast::tcp_stream& stream_;
  const std::string client_;
  beast::flat_buffer buf_;
};

asio::awaitable<bool> Server::Connection::Respond(Request& req, Reply reply, bool keep_alive, RouteMetrics& metrics,
                                                  std::string_view route, Clock::time_point start, unsigned version) {
  bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(reply.status), version};
  res.set(bhttp::field::server, "ihosd");
  if (!reply.content_type.empty()) res.set(bhttp::field::content_type, reply.content_type);
  res.set("X-Request-Id", req.request_id);
  res.set("X-Content-Type-Options", "nosniff");
  if (conn_->tls) res.set(bhttp::field::strict_transport_security, Tls::kHsts);
  if (IsApiPath(req.path)) res.set(bhttp::field::cache_control, "no-store");
  for (auto& [k, v] : reply.headers) res.set(k, v);
  const bool alive = keep_alive && !s_.stopping_;
  res.keep_alive(alive);
  const std::size_t bytes = reply.body.size();
  res.body() = req.method == Verb::head ? std::string() : std::move(reply.body);
  res.prepare_payload();
  if (req.method == Verb::head) res.content_length(bytes);
  // Counted before the write, so a client that reads /metrics right after a response sees it.
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  metrics.Observe(reply.status, ms);
  stream_.expires_after(s_.limits_.read_timeout);
  const std::string head = SerializedHeader(res);
  const std::array<asio::const_buffer, 2> bufs{asio::buffer(head), asio::buffer(res.body())};
  auto [wec, n] = co_await asio::async_write(stream_, bufs, asio::as_tuple(asio::use_awaitable));
  log::Access(req.request_id, bhttp::to_string(req.method), route, reply.status, std::round(ms * 1000) / 1000, bytes,
              client_);
  co_return !wec && alive;
}

asio::awaitable<void> Server::Connection::Drain(std::chrono::milliseconds for_at_most, std::size_t max_bytes) {
  char sink[8192];
  stream_.expires_after(for_at_most);
  for (std::size_t drained = 0; drained < max_bytes;) {
    auto [ec, n] = co_await stream_.async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
    if (ec) break;
    drained += n;
  }
}

asio::awaitable<void> Server::Connection::Refuse() {
  Request req;
  req.request_id = NewRequestId();
  req.client_addr = client_;
  bhttp::request_parser<bhttp::empty_body> head;
  head.header_limit(static_cast<std::uint32_t>(s_.limits_.header_limit));
  stream_.expires_after(std::min(s_.limits_.refuse_read_timeout, s_.limits_.read_timeout));
  auto [ec, n] = co_await bhttp::async_read_header(stream_, buf_, head, asio::as_tuple(asio::use_awaitable));
  boost::system::error_code cec;
  if (!ec) {
    Error e = MakeError(Errc::unavailable, "too_many_connections");
    e.retry_after_s = 1;
    co_await Respond(req, RenderProblem(e, req.request_id, "zh-CN"), false, s_.router_.unmatched(), "-", Clock::now(),
                     head.get().version());
    stream_.socket().shutdown(tcp::socket::shutdown_send, cec);
    co_await Drain(std::chrono::milliseconds(500), 64 * 1024);
  }
  stream_.socket().close(cec);
}

asio::awaitable<std::optional<Server::Connection::BodyAllowance>> Server::Connection::AllowBody(
    const Parser& parser, Clock::time_point start) {
  // A route may accept a larger body (file uploads), with time to send it; every other body keeps
  // the server's limits. The header was parsed with the largest limit of any route, so the
  // declared length is checked against the matched route's own limit. Access (token, role) is
  // checked from the headers before any body is read, so a client without a session cannot hold a
  // connection open by trickling an upload; only an authorised upload gets the long body timeout.
  BodyAllowance allow{std::nullopt, s_.limits_.body_limit, s_.limits_.read_timeout};
  const auto& h = parser.get();
  const Route* route = nullptr;
  if (auto target = boost::urls::parse_origin_form(h.target()); target) {
    const auto raw = target->encoded_path();
    route = s_.router_.Find(h.method(), std::string_view(raw.data(), raw.size())).route;
  }
  if (!route) co_return allow;
  if (route->access.kind != Access::Kind::anyone) {
    const Credentials cred = RequestCredentials(h[bhttp::field::authorization], h[bhttp::field::cookie]);
    auto p = co_await s_.Authorize(cred.token, route);
    if (p) {
      if (auto st = CheckCsrf(h.method(), cred, h["X-CSRF-Token"]); !st) p = st.error();
    }
    if (!p) {
      Request req;
      req.client_addr = client_;
      req.request_id = RequestIdOf(h["X-Request-Id"]);
      req.locale = PickLocale(h[bhttp::field::accept_language]);
      co_await Respond(req, RenderProblem(p.error(), req.request_id, req.locale), false, *route->metrics, route->path,
                       start, h.version());
      co_return std::nullopt;
    }
    allow.principal = std::move(*p);
  }
  if (route->body_limit > allow.limit) {
    allow.limit = route->body_limit;
    if (allow.principal) allow.timeout = std::max(allow.timeout, std::chrono::milliseconds(kUploadReadTimeoutMs));
  }
  co_return allow;
}

asio::awaitable<bool> Server::Connection::RefuseUnreadable(boost::system::error_code ec, Clock::time_point start) {
  // The refusals that can still be answered; anything else just closes: the peer left, the server
  // is shutting down, or the client was too slow (tcp_stream has already closed the socket on
  // timeout, so a slow client is dropped without a reply).
  Error e;
  if (ec == bhttp::error::header_limit) {
    e = MakeError(Errc::header_too_large, "header_too_large");
  } else if (ec == bhttp::error::body_limit) {
    e = MakeError(Errc::payload_too_large, "payload_too_large");
  } else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
             ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
    e = MakeError(Errc::invalid_argument, "malformed_request", ec.message());
  } else {
    co_return false;
  }
  Request req;
  req.client_addr = client_;
  req.request_id = NewRequestId();
  req.locale = "zh-CN";
  co_await Respond(req, RenderProblem(e, req.request_id, req.locale), false, s_.router_.unmatched(), "-", start, 11);
  co_return true;
}

asio::awaitable<bool> Server::Connection::Upgrade(Parser& parser, Request& req, const Credentials& cred,
                                                  Clock::time_point start) {
  // A cookie session is used only when the page that opens the socket is our own (Origin).
  const auto& msg = parser.get();
  const bool cross_site_cookie = cred.from_cookie && !SameOrigin(msg[bhttp::field::origin], msg[bhttp::field::host]);
  if (beast::websocket::is_upgrade(msg) && !s_.stopping_ && !cross_site_cookie) {
    {
      std::lock_guard lock(s_.conns_mu_);
      s_.conns_.erase(conn_.get());
    }
    co_await s_.hub_->Serve(std::move(stream_), parser.release(), client_);
    co_return true;
  }
  const Error e = s_.stopping_        ? MakeError(Errc::unavailable, "ws_shutting_down")
                  : cross_site_cookie ? MakeError(Errc::forbidden, "ws_origin_forbidden")
                                      : MakeError(Errc::invalid_argument, "ws_upgrade_required");
  co_await Respond(req, RenderProblem(e, req.request_id, req.locale), false, s_.router_.unmatched(), "-", start,
                   msg.version());
  co_return false;
}

asio::awaitable<Server::Connection::Routed> Server::Connection::Answer(Request& req, const std::string& raw_path,
                                                                      std::optional<Principal> early,
                                                                      const Status& csrf) {
  Routed out{{}, &s_.router_.unmatched(), "unmatched"};
  try {
    if (IsApiPath(req.path) || !s_.static_) {
      Match m = s_.router_.Find(req.method, raw_path);
      if (m.route) {
        req.route = m.route->path;
        req.path_params = std::move(m.params);
        out.metrics = m.route->metrics.get();
        out.name = m.route->path;
        const bool authorized = early.has_value();
        if (authorized) req.principal = std::move(early);
        if (!csrf && m.route->access.kind != Access::Kind::anyone)
          out.reply = RenderProblem(csrf.error(), req.request_id, req.locale);
        else
          out.reply = co_await s_.Dispatch(req, m.route, authorized);
      } else if (!m.allow.empty()) {
        Error e = MakeError(Errc::method_not_allowed, "method_not_allowed");
        e.allow = m.allow;
        out.reply = RenderProblem(e, req.request_id, req.locale);
      } else {
        out.reply = RenderProblem(MakeError(Errc::not_found, "route_not_found"), req.request_id, req.locale);
      }
    } else {
      out.metrics = &s_.router_.static_files();
      out.name = "static";
      std::optional<Reply> file;
      if (req.method == Verb::get || req.method == Verb::head) file = s_.static_->Get(req.path);
      if (file) {
        out.reply = std::move(*file);
      } else if (req.method == Verb::get || req.method == Verb::head) {
        out.reply = RenderProblem(MakeError(Errc::not_found, "not_found"), req.request_id, req.locale);
      } else {
        Error e = MakeError(Errc::method_not_allowed, "method_not_allowed");
        e.allow = {"GET", "HEAD"};
        out.reply = RenderProblem(e, req.request_id, req.locale);
      }
    }
  } catch (const std::exception& ex) {
    log::Error("unhandled exception", {{"rid", req.request_id}, {"route", out.name}, {"what", ex.what()}});
    out.reply = RenderProblem(MakeError(Errc::internal, "internal_error"), req.request_id, req.locale);
  }
  co_return out;
}

asio::awaitable<void> Server::Connection::Serve() {
  const ServerLimits& limits = s_.limits_;
  bool first = true;
  bool linger = false;  // drain the socket before closing (after refusing a request mid-read)
  for (;;) {
    conn_->busy = false;
    if (s_.stopping_) break;
    Parser parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
    parser.body_limit(std::max(limits.body_limit, s_.max_route_body_limit_));
    if (!first && buf_.size() == 0) {
      // Between requests a kept-alive client may stay silent for the idle timeout; once its next
      // request starts, the whole request must arrive within the read timeout.
      stream_.expires_after(limits.idle_timeout);
      auto [iec, in] = co_await stream_.async_read_some(buf_.prepare(4096), asio::as_tuple(asio::use_awaitable));
      if (iec) break;
      buf_.commit(in);
    }
    first = false;
    stream_.expires_after(limits.read_timeout);
    auto [ec, hn] = co_await bhttp::async_read_header(stream_, buf_, parser, asio::as_tuple(asio::use_awaitable));
    const auto start = Clock::now();
    conn_->busy = true;
    std::optional<Principal> early_principal;
    // Without a body still to read (a GET) there is nothing for the early checks to guard, so the
    // route is found only once, after the read.
    if (!ec && !parser.is_done()) {
      auto allow = co_await AllowBody(parser, start);
      if (!allow) {
        linger = true;
        break;
      }
      early_principal = std::move(allow->principal);
      parser.body_limit(allow->limit);
      stream_.expires_after(allow->timeout);
      if (const auto declared = parser.content_length(); declared && *declared > allow->limit) {
        ec = bhttp::error::body_limit;
      } else {
        auto [bec, bn] = co_await bhttp::async_read(stream_, buf_, parser, asio::as_tuple(asio::use_awaitable));
        ec = bec;
      }
    }
    if (ec) {
      linger = co_await RefuseUnreadable(ec, start);
      break;
    }

    auto& msg = parser.get();
    Request req;
    req.client_addr = client_;
    req.method = msg.method();
    req.request_id = RequestIdOf(msg["X-Request-Id"]);
    req.locale = PickLocale(msg[bhttp::field::accept_language]);
    req.content_type = std::string(msg[bhttp::field::content_type]);
    // The session: a bearer token (API clients) or the web app's cookie, whose state-changing
    // requests must carry the session's CSRF token (session_cookie.hpp).
    const Credentials cred = RequestCredentials(msg[bhttp::field::authorization], msg[bhttp::field::cookie]);
    req.bearer = cred.token;
    const Status csrf = CheckCsrf(msg.method(), cred, msg["X-CSRF-Token"]);
    CopyHandlerHeaders(msg, req);
    req.body = std::move(msg.body());
    const bool keep_alive = msg.keep_alive();
    const unsigned version = msg.version();

    auto target = boost::urls::parse_origin_form(msg.target());
    if (!target) {
      co_await Respond(req,
                       RenderProblem(MakeError(Errc::invalid_argument, "malformed_request"), req.request_id, req.locale),
                       false, s_.router_.unmatched(), "-", start, version);
      break;
    }
    req.path = target->path();
    // Routing uses the raw path (segments decoded after the split: an encoded '/' stays a
    // parameter's character, router.hpp).
    const std::string raw_path(target->encoded_path().data(), target->encoded_path().size());
    for (auto p : target->params()) req.query.emplace_back(p.key, p.value);

    if (s_.hub_ && req.path == "/api/v1/ws") {
      // WebSocket: the hub takes the connection over (ws_hub.hpp); the server forgets it.
      if (co_await Upgrade(parser, req, cred, start)) co_return;
      break;
    }
    Routed routed = co_await Answer(req, raw_path, std::move(early_principal), csrf);
    if (!co_await Respond(req, std::move(routed.reply), keep_alive, *routed.metrics, routed.name, start, version)) break;
  }
  boost::system::error_code cec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, cec);
  // The client may still be sending the request we refused (an oversized body or header): read
  // and discard for a moment first (like nginx's lingering_close).
  if (linger && !cec) co_await Drain(std::chrono::seconds(2), 4 * 1024 * 1024);
  stream_.socket().close(cec);
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
  boost::system::error_code ec;
  const auto remote = conn->stream.socket().remote_endpoint(ec);
  const std::string client = !conn->client.empty() ? conn->client : ec ? "" : remote.address().to_string();
  const bool client_admitted = AdmitClient(client);
  struct ReleaseOnExit {
    Server* s;
    const std::string& client;
    ~ReleaseOnExit() { s->ReleaseClient(client); }
  } release_client{this, client};
  // A copy: `conn` (a parameter, destroyed with the frame, after Unregister) keeps the Conn alive
  // until it has left conns_, so a new connection cannot reuse its address while it is listed.
  Connection connection(*this, conn, client);
  if (open_.load() > limits_.max_connections || !client_admitted)
    co_await connection.Refuse();
  else
    co_await connection.Serve();
}

}  // namespace ihos::http
