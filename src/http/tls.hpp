#pragma once
// HTTPS and WSS served by ihosd itself (`--tls-cert FILE --tls-key FILE`), for deployments
// without a reverse proxy (docs/deploy.md has the nginx alternative).
//
// A TLS connection is accepted by the Server as usual and handed to Tls::Accept: OpenSSL (through
// Beast's ssl_stream) does the handshake, TLS 1.2 or 1.3 only, within `handshake_timeout`; the
// decrypted bytes then go through a socket pair to the Server's ordinary HTTP session
// (Server::Adopt, with the client's real address), which answers with Strict-Transport-Security.
// A WebSocket upgrade on it is the hub's as on plain HTTP. So the request path (limits, access
// checks, timeouts) is the same code with or without TLS; the cost is one socket pair and one
// copy per connection.
//
// Thread safety: Accept may be called from any I/O thread; the context is shared read-only.
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <memory>
#include <string>

namespace ihos::http {

class Server;

class Tls {
 public:
  // Loads a PEM certificate chain and its private key. Throws std::runtime_error naming the
  // file when either cannot be read or they do not match.
  Tls(const std::string& cert_file, const std::string& key_file,
      std::chrono::milliseconds handshake_timeout = std::chrono::milliseconds(10000));
  ~Tls();

  // Serves the TLS connection `socket` (just accepted) through `server`.
  void Accept(boost::asio::ip::tcp::socket socket, Server& server);

  // The HSTS header value sent on every TLS response (one year, subdomains included).
  static constexpr const char* kHsts = "max-age=31536000; includeSubDomains";

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace ihos::http
