#pragma once
// The HTTP server: accepts connections on N I/O threads, one strand and one coroutine per
// connection, reads requests with size limits and a read timeout, routes them, runs blocking
// handlers on the worker pool, writes responses with a request id, logs one JSON line per
// request and keeps /metrics counters.
//
// Thread safety: Start/Shutdown from one controlling thread; everything else is internal.
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "http/router.hpp"

namespace ihos::http {

struct ServerLimits {
  std::size_t header_limit = 16 * 1024;           // bytes; 431 past it
  std::size_t body_limit = 1024 * 1024;           // bytes; 413 past it
  std::chrono::milliseconds read_timeout{10000};  // a whole request, headers and body
  std::chrono::milliseconds idle_timeout{30000};  // keep-alive wait for the next request
  int max_connections = 10000;                    // past it: 503 and close
  // Open connections one client address may hold; past it that address's new connections get
  // 503 `too_many_connections` (after their request line). 0 = only the global cap.
  int max_connections_per_client = 0;
  // A connection over either cap may take this long to send its request line and headers
  // before it is answered 503 (or dropped).
  std::chrono::milliseconds refuse_read_timeout{2000};
  // Load shedding (health code): a request for the worker pool is answered 503
  // `overloaded` with Retry-After, without running its handler, when max_queue requests already
  // wait for a worker, or when it waited longer than max_queue_wait. 0 = no bound.
  int max_queue = 0;
  std::chrono::milliseconds max_queue_wait{0};
};

class StaticFiles;
class Tls;
class WsHub;

// A new request id: a random per-process prefix and a counter (unique across nodes and restarts).
std::string NewRequestId();

// Resolves a bearer token from memory only, on the I/O thread (never blocks): the principal when
// the token's live session is cached, nullopt otherwise (then the Authenticator decides on the
// worker pool).
using CachedAuthenticator = std::function<std::optional<Principal>(const std::string& token)>;

class Server {
 public:
  Server(boost::asio::io_context& ioc, boost::asio::thread_pool& workers, Router& router, Authenticator authenticate,
         ServerLimits limits);
  ~Server();

  // Binds and listens; returns the bound port (useful with port 0). Throws on bind failure.
  unsigned short Listen(const std::string& address, unsigned short port);
  // Serves files from `dir` (the built web app) for non-API GET/HEAD paths; index.html for
  // unknown paths without an extension (client-side routes).
  void ServeStatic(const std::string& dir);
  // Hands GET /api/v1/ws upgrades to `hub` (WebSocket; ws_hub.hpp). Shutdown and CloseAll
  // close its connections too; /metrics includes its counters. Call before Start.
  void ServeWebSocket(WsHub* hub) { hub_ = hub; }
  // TLS (tls.hpp): every accepted connection is handed to `tls`, whose decrypted side comes back
  // through Adopt; its responses carry Strict-Transport-Security. Call before Start.
  void ServeTls(std::shared_ptr<Tls> tls) { tls_ = std::move(tls); }
  // Routes with a FastHandler check access with `cached` on the I/O thread first; on a miss the
  // request goes to the worker pool as any other. Call before Start.
  void SetCachedAuthenticator(CachedAuthenticator cached) { cached_authenticate_ = std::move(cached); }
  // Serves `socket`, already connected, as an accepted connection from `client` (its address);
  // `tls`: it is the plaintext side of a TLS connection (HSTS on every response).
  void Adopt(boost::asio::ip::tcp::socket socket, std::string client, bool tls);
  boost::asio::io_context& io_context() { return ioc_; }
  // Starts accepting (on the io_context's threads).
  void Start();
  // Stops accepting, closes idle connections, lets in-flight requests finish and then closes
  // their connections. Safe to call from any thread, more than once.
  void Shutdown();
  // Closes every connection, busy or not (after the shutdown grace period). A handler still
  // running on the worker pool finishes; its response cannot be written any more.
  void CloseAll();
  bool stopping() const { return stopping_.load(); }
  int open_connections() const { return open_.load(); }

  // Prometheus text for /metrics.
  std::string MetricsText() const;
  // Worker pool queue depth (tasks posted and not yet started).
  int pool_queue() const { return queued_.load(); }
  int pool_busy() const { return busy_.load(); }
  // Requests answered 503 `overloaded` by load shedding since start.
  std::uint64_t shed() const { return shed_.load(); }

  struct Conn;

 private:
  void CloseConnections(bool busy_too);
  boost::asio::awaitable<void> AcceptLoop();
  // One connection's requests (connection.cpp).
  class Connection;
  boost::asio::awaitable<void> Session(std::shared_ptr<Conn> conn);
  // Counts a request shed and returns its refusal: 503 `overloaded`, Retry-After 1.
  Error Shed();
  // `authorized`: access was already checked from the headers (before the body was read).
  boost::asio::awaitable<Reply> Dispatch(Request& req, const Route* route, bool authorized);
  // Checks a route's access (token, role) on the worker pool; the principal, or the refusal.
  boost::asio::awaitable<Result<Principal>> Authorize(const std::string& bearer, const Route* route);
  // Counts a connection from `client`; false when that address is over its cap.
  bool AdmitClient(const std::string& client);
  void ReleaseClient(const std::string& client);

  boost::asio::io_context& ioc_;
  boost::asio::thread_pool& workers_;
  Router& router_;
  Authenticator authenticate_;
  CachedAuthenticator cached_authenticate_;
  ServerLimits limits_;
  std::size_t max_route_body_limit_ = 0;  // the largest Route::body_limit, read at Start()
  boost::asio::ip::tcp::acceptor acceptor_;
  std::unique_ptr<StaticFiles> static_;
  WsHub* hub_ = nullptr;
  std::shared_ptr<Tls> tls_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> open_{0};
  std::atomic<int> queued_{0};
  std::atomic<int> busy_{0};
  std::atomic<std::uint64_t> shed_{0};
  std::mutex conns_mu_;
  std::map<Conn*, std::weak_ptr<Conn>> conns_;
  std::mutex clients_mu_;
  std::map<std::string, int> per_client_;  // open connections by client address
};

}  // namespace ihos::http
