#include "http/server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <sstream>
#include <utility>

#include "core/crypto.hpp"
#include "core/log.hpp"
#include "http/problem.hpp"
#include "http/server_conn.hpp"
#include "http/static_files.hpp"
#include "http/tls.hpp"
#include "http/ws_hub.hpp"

namespace ihos::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

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

Error Server::Shed() {
  ++shed_;
  Error e = MakeError(Errc::unavailable, "overloaded");
  e.retry_after_s = 1;
  return e;
}

asio::awaitable<Result<Principal>> Server::Authorize(const std::string& bearer, const Route* route) {
  if (bearer.empty()) co_return MakeError(Errc::unauthenticated, "unauthenticated");
  if (limits_.max_queue > 0 && queued_.load() >= limits_.max_queue) co_return Shed();
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
  if (route->on_io_thread) {
    result = run();
  } else if (limits_.max_queue > 0 && queued_.load() >= limits_.max_queue) {
    result = Shed();
  } else {
    ++queued_;
    const auto enqueued = std::chrono::steady_clock::now();
    result = co_await asio::co_spawn(
        workers_,
        [this, run, enqueued]() -> asio::awaitable<Result<Reply>> {
          --queued_;
          if (limits_.max_queue_wait.count() > 0 &&
              std::chrono::steady_clock::now() - enqueued > limits_.max_queue_wait)
            co_return Shed();
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
