// ihosd --tls-cert/--tls-key (src/http/tls.hpp) as an operator runs it: a self-signed
// certificate made with the openssl CLI at test time, ihosd started with it, then an HTTPS request
// and a WSS connection that verify the certificate, HSTS on the answer, and the refusals (TLS 1.1,
// plain HTTP on the TLS port).
#include <openssl/ssl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "harness.hpp"

namespace ihos::apitest {
namespace api_tls_test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

const std::string kIhosd = IHOS_BINARY_DIR "/ihosd";

int RunQuiet(const std::string& cmd) {
  const int st = std::system((cmd + " >/dev/null 2>&1").c_str());
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

// One ihosd with a fresh self-signed certificate for "localhost", on a free port.
class TlsServer : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("ihosd-tls-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    cert_ = (dir_ / "cert.pem").string();
    key_ = (dir_ / "key.pem").string();
    ASSERT_EQ(RunQuiet("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost"
                  " -addext subjectAltName=DNS:localhost -keyout " +
                  key_ + " -out " + cert_),
              0)
        << "openssl CLI";
    const std::string port_file = (dir_ / "port").string();
    const std::string url = testing::FreshDatabaseUrl(store::Backend::sqlite);
    pid_ = fork();
    ASSERT_GE(pid_, 0);
    if (pid_ == 0) {
      const std::string log = (dir_ / "log").string();
      execl(kIhosd.c_str(), "ihosd", "--db", url.c_str(), "--listen", "127.0.0.1:0", "--port-file", port_file.c_str(),
            "--log-file", log.c_str(), "--web-root", "/nonexistent", "--tls-cert", cert_.c_str(), "--tls-key",
            key_.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 200 && !std::filesystem::exists(port_file); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_TRUE(std::filesystem::exists(port_file)) << "ihosd did not start";
    std::ifstream(port_file) >> port_;
  }
  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      int st = 0;
      waitpid(pid_, &st, 0);
    }
    std::filesystem::remove_all(dir_);
  }

  // A client context that trusts only the test certificate and checks the host name.
  ssl::context Trusting() {
    ssl::context ctx(ssl::context::tls_client);
    ctx.load_verify_file(cert_);
    ctx.set_verify_mode(ssl::verify_peer);
    return ctx;
  }

  std::filesystem::path dir_;
  std::string cert_, key_;
  pid_t pid_ = -1;
  unsigned short port_ = 0;
};

TEST_F(TlsServer, ServesHttpsWithHstsAndAVerifiedCertificate) {
  asio::io_context ioc;
  auto ctx = Trusting();
  beast::ssl_stream<beast::tcp_stream> s(ioc, ctx);
  ASSERT_TRUE(SSL_set_tlsext_host_name(s.native_handle(), "localhost"));
  s.set_verify_callback(ssl::host_name_verification("localhost"));
  beast::get_lowest_layer(s).expires_after(std::chrono::seconds(20));
  beast::get_lowest_layer(s).connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  s.handshake(ssl::stream_base::client);  // throws when the certificate does not verify
  EXPECT_GE(SSL_version(s.native_handle()), TLS1_2_VERSION);
  bhttp::request<bhttp::empty_body> req{bhttp::verb::get, "/healthz", 11};
  req.set(bhttp::field::host, "localhost");
  bhttp::write(s, req);
  beast::flat_buffer buf;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(s, buf, res);
  EXPECT_EQ(res.result_int(), 200) << res.body();
  EXPECT_EQ(res[bhttp::field::strict_transport_security], "max-age=31536000; includeSubDomains");
  // Keep-alive: a second request on the same TLS connection.
  bhttp::request<bhttp::empty_body> again{bhttp::verb::get, "/api/v1/me", 11};
  again.set(bhttp::field::host, "localhost");
  bhttp::write(s, again);
  bhttp::response<bhttp::string_body> res2;
  bhttp::read(s, buf, res2);
  EXPECT_EQ(res2.result_int(), 401) << res2.body();
  EXPECT_NE(res2[bhttp::field::strict_transport_security], "");
}

TEST_F(TlsServer, AnUntrustedCertificateFailsTheClientsCheck) {
  // The same connection with a client that does not trust the self-signed certificate.
  asio::io_context ioc;
  ssl::context ctx(ssl::context::tls_client);
  ctx.set_default_verify_paths();
  ctx.set_verify_mode(ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> s(ioc, ctx);
  beast::get_lowest_layer(s).expires_after(std::chrono::seconds(20));
  beast::get_lowest_layer(s).connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  boost::system::error_code ec;
  s.handshake(ssl::stream_base::client, ec);
  EXPECT_TRUE(ec) << "a self-signed certificate verified without being trusted";
}

TEST_F(TlsServer, RefusesTls11AndPlainHttp) {
  {
    asio::io_context ioc;
    ssl::context ctx(ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_VERSION);
    SSL_CTX_set_max_proto_version(ctx.native_handle(), TLS1_1_VERSION);
    SSL_CTX_set_cipher_list(ctx.native_handle(), "DEFAULT:@SECLEVEL=0");
    beast::ssl_stream<beast::tcp_stream> s(ioc, ctx);
    beast::get_lowest_layer(s).expires_after(std::chrono::seconds(20));
    beast::get_lowest_layer(s).connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    boost::system::error_code ec;
    s.handshake(ssl::stream_base::client, ec);
    ASSERT_TRUE(ec) << "a TLS 1.1 handshake succeeded";
    // Refused by the server (its alert), not by this client's own library.
    EXPECT_NE(ec.message().find("protocol version"), std::string::npos) << ec.message();
  }
  {
    // Plain HTTP on the TLS port gets no HTTP answer.
    asio::io_context ioc;
    beast::tcp_stream s(ioc);
    s.expires_after(std::chrono::seconds(20));
    s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, "/healthz", 11};
    req.set(bhttp::field::host, "localhost");
    bhttp::write(s, req);
    beast::flat_buffer buf;
    bhttp::response<bhttp::string_body> res;
    boost::system::error_code ec;
    bhttp::read(s, buf, res, ec);
    EXPECT_TRUE(ec) << "plain HTTP answered on the TLS port: " << res.result_int();
  }
}

TEST_F(TlsServer, ServesWssWithAVerifiedCertificate) {
  asio::io_context ioc;
  auto ctx = Trusting();
  beast::websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(ioc, ctx);
  ASSERT_TRUE(SSL_set_tlsext_host_name(ws.next_layer().native_handle(), "localhost"));
  ws.next_layer().set_verify_callback(ssl::host_name_verification("localhost"));
  beast::get_lowest_layer(ws).expires_after(std::chrono::seconds(20));
  beast::get_lowest_layer(ws).connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  ws.next_layer().handshake(ssl::stream_base::client);
  beast::websocket::response_type upgrade;
  ws.handshake(upgrade, "localhost", "/api/v1/ws");
  EXPECT_EQ(upgrade.result_int(), 101);
  // Through the hub: an auth frame with an unknown token is answered by an error frame.
  ws.write(asio::buffer(std::string(R"({"type":"auth","token":"not-a-session"})")));
  beast::flat_buffer buf;
  ws.read(buf);
  const auto v = boost::json::parse(beast::buffers_to_string(buf.data()));
  ASSERT_TRUE(v.is_object()) << beast::buffers_to_string(buf.data());
  EXPECT_EQ(v.at("type"), "error") << v;
}

}  // namespace api_tls_test
}  // namespace ihos::apitest
