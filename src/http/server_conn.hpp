#pragma once
// Internal to the server (server.cpp, connection.cpp): one accepted connection's stream and state.
#include <atomic>
#include <boost/beast/core/tcp_stream.hpp>
#include <string>

#include "http/server.hpp"

namespace ihos::http {

struct Server::Conn {
  explicit Conn(boost::asio::ip::tcp::socket s) : stream(std::move(s)) {}
  boost::beast::tcp_stream stream;
  std::string client;  // set by Adopt (TLS): the peer's address; else read from the socket
  bool tls = false;    // the plaintext side of a TLS connection (tls.hpp): responses carry HSTS
  bool busy = false;   // a request is being read or handled; touched only on the strand
};

// RAII counter bump for the server's gauges (open connections, busy workers).
struct Gauge {
  std::atomic<int>& g;
  explicit Gauge(std::atomic<int>& x) : g(x) { ++g; }
  ~Gauge() { --g; }
};

}  // namespace ihos::http
