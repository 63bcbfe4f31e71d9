#pragma once
// The WebSocket hub behind GET /api/v1/ws (protocol: src/domain/consultation/README.md).
//
// The HTTP server hands an upgrade request over to Serve(); from then on the hub owns the
// socket. Per connection:
//  - everything runs on the connection's strand (the one the server accepted it on); one
//    coroutine reads, one writer drains an outgoing queue, so there is never more than one
//    async_write at a time;
//  - the first frame must be {"type":"auth","token":...} within `auth_timeout`; the token is
//    resolved by the server's Authenticator on the worker pool (and again before a call or a
//    subscription when the last check is older than `reauth_after`, so a revoked session stops);
//  - subscribe: the topic's WsTopic (authorize + backlog) runs on the worker pool; the bus
//    subscription is made first and live events are held back until the backlog was sent, so
//    nothing falls between the backlog and the live stream (duplicates are possible; clients
//    drop them by seq);
//  - call: the WsMethod runs on the worker pool; its result (or a problem+json error rendered
//    like HTTP's) is sent with the caller's `ref`;
//  - limits: frame size (a bigger frame closes with 1009), subscriptions per connection, calls
//    in flight, outgoing queue length (a client that falls too far behind is closed with 1008
//    "slow_consumer"; it catches up from the database when it reconnects);
//  - keep-alive: Beast sends a ping after idle_timeout/2 of silence and closes after
//    idle_timeout without any frame or pong;
//  - Shutdown() closes every socket with 1001 (going away).
// Malformed frames get an error frame; the connection stays open (except before auth).
//
// Thread safety: Serve runs on the connection's strand; Shutdown, CloseAll, MetricsText and
// connections() may be called from any thread.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/events.hpp"
#include "http/types.hpp"
#include "http/ws_registry.hpp"

namespace ihos::http {

struct WsLimits {
  std::size_t max_frame = 64 * 1024;              // bytes of one incoming message; past it: close 1009
  std::size_t max_queue = 1024;                   // outgoing frames waiting; past it: close 1008 slow_consumer
  std::chrono::milliseconds auth_timeout{10000};  // the auth frame must arrive by then
  std::chrono::milliseconds idle_timeout{60000};  // nothing heard (not even a pong) for this long: closed
  std::chrono::milliseconds reauth_after{60000};  // re-check the session before a call after this long
  std::chrono::milliseconds close_timeout{5000};  // a close handshake that does not finish: TCP closed
  int max_subscriptions = 64;                     // per connection
  int max_calls_in_flight = 16;                   // per connection
};

class WsHub {
 public:
  WsHub(boost::asio::thread_pool& workers, const WsRegistry& registry, events::Bus& bus, Authenticator authenticate,
        WsLimits limits = {});
  ~WsHub();

  // Completes the WebSocket handshake for `upgrade` on `stream` and serves the connection
  // until it closes. Must be awaited on the stream's strand.
  boost::asio::awaitable<void> Serve(boost::beast::tcp_stream stream,
                                     boost::beast::http::request<boost::beast::http::string_body> upgrade,
                                     std::string client);

  // Closes every connection with 1001 "server shutting down" and refuses new ones.
  void Shutdown();
  // Drops every connection's TCP socket at once (after the shutdown grace period).
  void CloseAll();

  int connections() const { return open_.load(); }
  // Prometheus text (appended to the server's /metrics).
  std::string MetricsText() const;

  struct Conn;

 private:
  boost::asio::awaitable<void> Subscribe(std::shared_ptr<Conn> c, std::string ref, std::string topic,
                                         std::int64_t after_seq);
  boost::asio::awaitable<void> Call(std::shared_ptr<Conn> c, std::string ref, std::string method,
                                    boost::json::object params);
  boost::asio::awaitable<void> WriteLoop(std::shared_ptr<Conn> c);
  void HandleFrame(const std::shared_ptr<Conn>& c, std::string_view text);
  void OnEvent(const std::shared_ptr<Conn>& c, const std::string& topic, const std::string& payload);
  void Send(const std::shared_ptr<Conn>& c, std::string frame);
  void SendError(const std::shared_ptr<Conn>& c, std::string_view ref, const Error& e, std::string_view rid = {});
  void RequestClose(const std::shared_ptr<Conn>& c, int code, std::string reason, bool drop_queue);
  // Re-checks the session when it was last checked long ago; runs on the worker pool.
  Status Recheck(Conn& c);

  boost::asio::thread_pool& workers_;
  const WsRegistry& registry_;
  events::Bus& bus_;
  Authenticator authenticate_;
  WsLimits limits_;
  std::atomic<bool> stopping_{false};
  std::mutex conns_mu_;
  std::map<Conn*, std::weak_ptr<Conn>> conns_;

  std::atomic<int> open_{0};
  std::atomic<int> subscriptions_{0};
  std::atomic<std::uint64_t> accepted_{0}, frames_in_{0}, frames_out_{0}, bad_frames_{0}, calls_ok_{0},
      calls_failed_{0}, events_{0}, slow_closed_{0}, auth_failed_{0};
};

// Raises the soft limit on open files (RLIMIT_NOFILE) towards `want` (at most the hard
// limit), so one node can hold many thousands of sockets. Returns the soft limit in force.
long RaiseFileLimit(long want);

}  // namespace ihos::http
