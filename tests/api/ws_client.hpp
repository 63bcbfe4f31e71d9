#pragma once
// A small blocking WebSocket client for API tests (Beast): connect to /api/v1/ws, send JSON
// frames, wait for the next frame (or one of a type) with a timeout, see how the server closed.
// One io_context per client; a read is always outstanding so pings are answered.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ihos::apitest {

class WsClient {
 public:
  // Connects and completes the handshake; throws on failure.
  // `extra`: more handshake headers (Cookie, Origin).
  explicit WsClient(unsigned short port, std::string locale = "zh-CN",
                    std::vector<std::pair<std::string, std::string>> extra = {})
      : ws_(ioc_) {
    boost::beast::get_lowest_layer(ws_).connect(
        boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    ws_.set_option(
        boost::beast::websocket::stream_base::decorator([locale, extra](boost::beast::websocket::request_type& r) {
          r.set(boost::beast::http::field::accept_language, locale);
          for (const auto& [k, v] : extra) r.set(k, v);
        }));
    ws_.read_message_max(16 * 1024 * 1024);
    ws_.handshake("127.0.0.1", "/api/v1/ws");
    StartRead();
  }
  ~WsClient() {
    boost::system::error_code ec;
    boost::beast::get_lowest_layer(ws_).socket().close(ec);
  }

  void SendText(const std::string& text, bool binary = false) {
    ws_.binary(binary);
    bool done = false;
    boost::system::error_code err;
    ws_.async_write(boost::asio::buffer(text), [&](boost::system::error_code ec, std::size_t) {
      err = ec;
      done = true;
    });
    Run([&] { return done; }, std::chrono::milliseconds(5000));
  }
  void Send(const boost::json::value& v) { SendText(boost::json::serialize(v)); }

  // The next frame, or nullopt after `timeout` or when the connection closed.
  std::optional<boost::json::value> Next(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    Run([&] { return !inbox_.empty() || closed_; }, timeout);
    if (inbox_.empty()) return std::nullopt;
    auto v = boost::json::parse(inbox_.front());
    inbox_.pop_front();
    return v;
  }
  // The next frame of `type` (others are skipped), or nullopt.
  std::optional<boost::json::value> NextOf(std::string_view type,
                                           std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      auto v = Next(left);
      if (!v) return std::nullopt;
      if (v->is_object() && v->as_object().contains("type") && v->at("type").as_string() == type) return v;
    }
  }
  // Sends auth and returns the answer (ready or error).
  std::optional<boost::json::value> Auth(const std::string& token) {
    Send({{"type", "auth"}, {"token", token}});
    return Next();
  }

  // Waits until the server closed; the close code (0 when it did not close in time).
  int WaitClosed(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    Run([&] { return closed_; }, timeout);
    return closed_ ? static_cast<int>(ws_.reason().code) : 0;
  }
  std::string CloseReason() const { return std::string(ws_.reason().reason.data(), ws_.reason().reason.size()); }
  bool closed() const { return closed_; }

 private:
  template <class Pred>
  void Run(Pred done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      ioc_.restart();
      ioc_.run_one_until(deadline);
    }
  }
  void StartRead() {
    ws_.async_read(buf_, [this](boost::system::error_code ec, std::size_t) {
      if (ec) {
        closed_ = true;
        return;
      }
      inbox_.push_back(boost::beast::buffers_to_string(buf_.data()));
      buf_.consume(buf_.size());
      StartRead();
    });
  }

  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buf_;
  std::deque<std::string> inbox_;
  bool closed_ = false;
};

}  // namespace ihos::apitest
