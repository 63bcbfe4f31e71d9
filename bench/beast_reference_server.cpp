// The reference for the server benchmarks (issue 18): the least an HTTP server built on the same
// libraries can do per request. A Boost.Beast coroutine server that answers every request with a
// fixed {"status":"ok"} — no routing, no logging, no metrics — with one io_context thread per core.
// bench/run.sh starts it beside ihosd and prints each ihosd figure as a fraction of this one.
//
// Usage: build/beast_reference_server PORT_FILE [THREADS]   (listens on 127.0.0.1, port 0 = any;
//        writes the chosen port to PORT_FILE; runs until killed)
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fstream>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

asio::awaitable<void> Serve(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> req;
    auto [rec, rn] = co_await http::async_read(stream, buffer, req, asio::as_tuple(asio::use_awaitable));
    if (rec) break;
    http::response<http::string_body> res{http::status::ok, req.version()};
    res.set(http::field::content_type, "application/json");
    res.keep_alive(req.keep_alive());
    res.body() = R"({"status":"ok"})";
    res.prepare_payload();
    auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
    if (wec || !res.keep_alive()) break;
  }
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

asio::awaitable<void> Accept(tcp::acceptor& acceptor, asio::io_context& ioc) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), asio::as_tuple(asio::use_awaitable));
    if (ec) continue;
    auto ex = socket.get_executor();
    asio::co_spawn(ex, Serve(std::move(socket)), asio::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const int threads = argc > 2 ? std::max(1, std::atoi(argv[2])) : std::max(1u, std::thread::hardware_concurrency());
  asio::io_context ioc(threads);
  tcp::acceptor acceptor(ioc, {asio::ip::make_address("127.0.0.1"), 0});
  std::ofstream(argv[1]) << acceptor.local_endpoint().port() << "\n";
  asio::co_spawn(ioc, Accept(acceptor, ioc), asio::detached);
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
}
