#include "bench/ws_bench_setup.hpp"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "store/database.hpp"
#include "support/practitioner_fixture.hpp"

namespace ihos::bench {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace json = boost::json;

namespace {

// One keep-alive HTTP connection to the server under test.
class Http {
 public:
  explicit Http(unsigned short port) : stream_(ioc_) {
    stream_.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  std::pair<int, json::value> Post(const std::string& target, const json::value& body, const std::string& token) {
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    req.set(bhttp::field::content_type, "application/json");
    req.set(bhttp::field::authorization, "Bearer " + token);
    req.body() = json::serialize(body);
    req.prepare_payload();
    bhttp::write(stream_, req);
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream_, buf_, res);
    boost::system::error_code ec;
    auto v = json::parse(res.body(), ec);
    return {static_cast<int>(res.result_int()), ec ? json::value(res.body()) : v};
  }

 private:
  asio::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buf_;
};

}  // namespace

std::vector<PairSpec> MakePairs(const std::string& url, unsigned short port, int n, bool durable) {
  auto db = store::Open(url, 2);
  if (!db) throw std::runtime_error("open: " + db.error().code + " " + db.error().detail);
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  std::vector<PairSpec> out(static_cast<std::size_t>(n));
  auto patients = testing::InsertPatients(**db, n, "wsp", now);
  if (!durable) {
    auto others = testing::InsertPatients(**db, n, "wso", now);
    for (int i = 0; i < n; ++i) out[i] = {patients[i].token, others[i].token, "bench:" + std::to_string(i), i};
    return out;
  }
  // Doctors: one per 50 conversations (a busy doctor's day), each with their own hospital.
  const int doctors_n = std::max(1, (n + 49) / 50);
  auto doctor_users = testing::InsertPatients(**db, doctors_n, "wsd", now);
  std::vector<std::int64_t> practitioner(doctors_n);
  for (int d = 0; d < doctors_n; ++d)
    practitioner[d] = testing::InsertPractitioner(**db, doctor_users[d].id).practitioner_id;
  // Consultations through the API: the patient starts ("ask now"), the doctor accepts.
  std::atomic<int> next{0};
  std::mutex mu;
  std::string failure;
  auto work = [&] {
    try {
      Http http(port);
      for (int i = next++; i < n; i = next++) {
        const int d = i % doctors_n;
        json::object intake{
            {"chief_complaint", "咳嗽三天，夜间加重"}, {"duration", "3天"}, {"symptoms", json::array{"咳嗽", "咽痛"}}};
        auto [st, c] =
            http.Post("/api/v1/consultations",
                      json::object{{"kind", "text"}, {"practitioner_id", practitioner[d]}, {"intake", intake}},
                      patients[i].token);
        if (st != 201) throw std::runtime_error("start consultation: " + std::to_string(st) + " " + json::serialize(c));
        const auto id = c.at("id").to_number<std::int64_t>();
        auto [ast, a] =
            http.Post("/api/v1/consultations/" + std::to_string(id) + "/accept", json::object{}, doctor_users[d].token);
        if (ast != 200) throw std::runtime_error("accept: " + std::to_string(ast) + " " + json::serialize(a));
        out[i] = {patients[i].token, doctor_users[d].token, "consultation:" + std::to_string(id), id};
      }
    } catch (const std::exception& e) {
      std::lock_guard lock(mu);
      if (failure.empty()) failure = e.what();
      next = n;
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) threads.emplace_back(work);
  for (auto& t : threads) t.join();
  if (!failure.empty()) throw std::runtime_error(failure);
  return out;
}

}  // namespace ihos::bench
