#include "http/tls.hpp"

#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <stdexcept>

#include "core/log.hpp"
#include "http/server.hpp"

namespace ihos::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

struct Tls::Impl {
  ssl::context ctx{ssl::context::tls_server};
  std::chrono::milliseconds handshake_timeout;
};

namespace {

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// A connected pair of stream sockets (AF_UNIX) wrapped as asio sockets: the first for the HTTP
// session, the second for the pump. asio never looks at the address family of a socket it only
// reads, writes and closes. False when the kernel refuses (out of file descriptors).
bool SocketPair(tcp::socket& session, tcp::socket& pump) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return false;
  boost::system::error_code ec;
  session.assign(tcp::v4(), fds[0], ec);
  if (ec) {
    ::close(fds[0]);
    ::close(fds[1]);
    return false;
  }
  pump.assign(tcp::v4(), fds[1], ec);
  if (ec) {
    ::close(fds[1]);
    return false;
  }
  return true;
}

// Copies TLS -> plain until either side ends, then half-closes the plain side (the session sees
// the end of its request stream).
asio::awaitable<void> TlsToPlain(std::shared_ptr<TlsStream> tls, std::shared_ptr<tcp::socket> plain) {
  std::array<char, 16384> buf;
  for (;;) {
    auto [ec, n] = co_await tls->async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
    if (n > 0) {
      auto [wec, wn] =
          co_await asio::async_write(*plain, asio::buffer(buf.data(), n), asio::as_tuple(asio::use_awaitable));
      if (wec) break;
    }
    if (ec) break;
  }
  boost::system::error_code ec;
  plain->shutdown(tcp::socket::shutdown_send, ec);
}

// Copies plain -> TLS until the session closes its side, then ends the TLS session (close_notify,
// bounded in time) and closes both sockets.
asio::awaitable<void> PlainToTls(std::shared_ptr<TlsStream> tls, std::shared_ptr<tcp::socket> plain) {
  std::array<char, 16384> buf;
  for (;;) {
    auto [ec, n] = co_await plain->async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
    if (n > 0) {
      beast::get_lowest_layer(*tls).expires_after(std::chrono::seconds(30));
      auto [wec, wn] =
          co_await asio::async_write(*tls, asio::buffer(buf.data(), n), asio::as_tuple(asio::use_awaitable));
      beast::get_lowest_layer(*tls).expires_never();
      if (wec) break;
    }
    if (ec) break;
  }
  // close_notify, then the socket. The shutdown may wait for the peer's close_notify behind the
  // reader's pending read, which has no timeout: a timer closes the socket after 2 s whatever
  // happens, which ends both.
  auto guard = std::make_shared<asio::steady_timer>(tls->get_executor(), std::chrono::seconds(2));
  guard->async_wait([tls](boost::system::error_code ec) {
    if (!ec) beast::get_lowest_layer(*tls).socket().close(ec);
  });
  co_await tls->async_shutdown(asio::as_tuple(asio::use_awaitable));
  guard->cancel();
  boost::system::error_code ec;
  beast::get_lowest_layer(*tls).socket().close(ec);
  plain->close(ec);
}

asio::awaitable<void> Handshake(std::shared_ptr<Tls::Impl> impl, std::shared_ptr<TlsStream> tls, Server* server) {
  boost::system::error_code ec;
  const auto remote = beast::get_lowest_layer(*tls).socket().remote_endpoint(ec);
  std::string client = ec ? "-" : remote.address().to_string();
  beast::get_lowest_layer(*tls).expires_after(impl->handshake_timeout);
  auto [hec] = co_await tls->async_handshake(ssl::stream_base::server, asio::as_tuple(asio::use_awaitable));
  if (hec) {  // not TLS, an old protocol version, a scanner, too slow: dropped silently
    beast::get_lowest_layer(*tls).socket().close(ec);
    co_return;
  }
  beast::get_lowest_layer(*tls).expires_never();
  tcp::socket session(asio::make_strand(server->io_context())), pump(tls->get_executor());
  if (!SocketPair(session, pump)) {
    log::Error("tls: socketpair failed", {{"client", client}});
    beast::get_lowest_layer(*tls).socket().close(ec);
    co_return;
  }
  auto plain = std::make_shared<tcp::socket>(std::move(pump));
  server->Adopt(std::move(session), std::move(client), /*tls=*/true);
  asio::co_spawn(tls->get_executor(), TlsToPlain(tls, plain), asio::detached);
  co_await PlainToTls(tls, plain);
}

}  // namespace

Tls::Tls(const std::string& cert_file, const std::string& key_file, std::chrono::milliseconds handshake_timeout)
    : impl_(std::make_shared<Impl>()) {
  impl_->handshake_timeout = handshake_timeout;
  auto& ctx = impl_->ctx;
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                  ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  // Forward-secret AEAD suites only for TLS 1.2 (TLS 1.3's are all of that kind).
  SSL_CTX_set_cipher_list(ctx.native_handle(),
                          "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
                          "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305");
  boost::system::error_code ec;
  ctx.use_certificate_chain_file(cert_file, ec);
  if (ec) throw std::runtime_error("--tls-cert " + cert_file + ": " + ec.message());
  ctx.use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) throw std::runtime_error("--tls-key " + key_file + ": " + ec.message());
  if (SSL_CTX_check_private_key(ctx.native_handle()) != 1)
    throw std::runtime_error("--tls-key " + key_file + " does not match the certificate " + cert_file);
}

Tls::~Tls() = default;

void Tls::Accept(tcp::socket socket, Server& server) {
  auto ex = socket.get_executor();
  auto tls = std::make_shared<TlsStream>(beast::tcp_stream(std::move(socket)), impl_->ctx);
  asio::co_spawn(ex, Handshake(impl_, tls, &server), asio::detached);
}

}  // namespace ihos::http
