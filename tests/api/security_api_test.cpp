// Security hardening (issue 17): connection exhaustion, lock-out by strangers, rule validation.
#include <boost/asio.hpp>

#include "api/harness.hpp"
#include "domain/accounts/service.hpp"
#include "support/test_db.hpp"

namespace ihos::apitest {
namespace api_security_api_test {

namespace asio = boost::asio;

// Sends `bytes` on a new connection, then closes the sending side (the client will send nothing
// more) and reads until the server closes. A server that waits for a body it was promised sees
// the end of the stream and drops the connection without an answer; one that answers from the
// headers alone is read here.
std::string SendHalfClosed(unsigned short port, const std::string& bytes) {
  asio::io_context ioc;
  asio::ip::tcp::socket sock(ioc);
  sock.connect({asio::ip::make_address("127.0.0.1"), port});
  boost::system::error_code ec;
  asio::write(sock, asio::buffer(bytes), ec);
  sock.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  std::string out;
  char buf[4096];
  for (;;) {
    const std::size_t n = sock.read_some(asio::buffer(buf), ec);
    if (ec) break;
    out.append(buf, n);
  }
  return out;
}

// POSTs a JSON body from the local address `from` (any 127.x.y.z works on loopback), so one
// test can play several client addresses.
Resp PostFrom(unsigned short port, const std::string& from, const std::string& target, const boost::json::value& body) {
  namespace bhttp = boost::beast::http;
  asio::io_context ioc;
  asio::ip::tcp::socket sock(ioc);
  sock.open(asio::ip::tcp::v4());
  sock.bind({asio::ip::make_address(from), 0});
  sock.connect({asio::ip::make_address("127.0.0.1"), port});
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  req.set(bhttp::field::content_type, "application/json");
  req.body() = boost::json::serialize(body);
  req.prepare_payload();
  bhttp::write(sock, req);
  boost::beast::flat_buffer buf;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(sock, buf, res);
  Resp out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(f.value());
  }
  out.body = res.body();
  return out;
}

class SecurityApiTest : public ApiTest {};

// Defect 2: five wrong passwords from anywhere locked the account for its owner too.
TEST_P(SecurityApiTest, AStrangerCannotLockTheOwnerOutTheOwnerAddsAnSmsCode) {
  auto a = s().NewPatient();
  for (int i = 0; i < 5; ++i) {
    auto r = PostFrom(s().port(), "127.0.0.2", "/api/v1/auth/login", {{"phone", a.phone}, {"password", "WrongPass1"}});
    EXPECT_EQ(r.status, 401) << r.body;
  }
  // The stranger's own address is refused for this phone now.
  auto again = PostFrom(s().port(), "127.0.0.2", "/api/v1/auth/login", {{"phone", a.phone}, {"password", "Wrong2"}});
  EXPECT_EQ(again.status, 429) << again.body;
  // The owner, from another address, with the right password: not refused, asked for a code.
  auto owner = PostFrom(s().port(), "127.0.0.3", "/api/v1/auth/login", {{"phone", a.phone}, {"password", a.password}});
  ASSERT_EQ(owner.status, 401) << owner.body;
  EXPECT_EQ(owner.json().at("code"), "sms_code_required");
  const std::string code = s().LastSmsCode(a.phone);
  ASSERT_EQ(code.size(), 6u);
  // A wrong code is refused; the right one signs in, once.
  const std::string wrong = code == "000000" ? "111111" : "000000";
  auto bad = PostFrom(s().port(), "127.0.0.3", "/api/v1/auth/login",
                      {{"phone", a.phone}, {"password", a.password}, {"sms_code", wrong}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.json().at("code"), "sms_code_invalid");
  auto in = PostFrom(s().port(), "127.0.0.3", "/api/v1/auth/login",
                     {{"phone", a.phone}, {"password", a.password}, {"sms_code", code}});
  ASSERT_EQ(in.status, 200) << in.body;
  EXPECT_FALSE(in.json().at("token").as_string().empty());
  auto reused = PostFrom(s().port(), "127.0.0.3", "/api/v1/auth/login",
                         {{"phone", a.phone}, {"password", a.password}, {"sms_code", code}});
  EXPECT_EQ(reused.json().at("code"), "sms_code_invalid") << reused.body;
  // Without the password there is no code: a stranger cannot make the server text the phone.
  const auto before = s().app().accounts().demo_sms()->Recent(a.phone).size();
  PostFrom(s().port(), "127.0.0.4", "/api/v1/auth/login", {{"phone", a.phone}, {"password", "WrongPass1"}});
  EXPECT_EQ(s().app().accounts().demo_sms()->Recent(a.phone).size(), before);
}

// Defect 1: the body of an upload was read (with 120 s to send it) before the token was checked.
TEST_P(SecurityApiTest, UploadWithoutTokenIsRefusedFromTheHeadersBeforeAnyBody) {
  const std::string raw = SendHalfClosed(s().port(),
                                         "POST /api/v1/files HTTP/1.1\r\nHost: x\r\n"
                                         "Content-Type: application/pdf\r\nContent-Length: 8000000\r\n\r\n");
  EXPECT_EQ(raw.rfind("HTTP/1.1 401", 0), 0u) << raw.substr(0, 300);
  EXPECT_NE(raw.find("unauthenticated"), std::string::npos);
}

TEST_P(SecurityApiTest, UploadWithABadTokenIsRefusedBeforeAnyBody) {
  const std::string raw = SendHalfClosed(s().port(),
                                         "POST /api/v1/files HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer nope\r\n"
                                         "Content-Type: application/pdf\r\nContent-Length: 8000000\r\n\r\n");
  EXPECT_EQ(raw.rfind("HTTP/1.1 401", 0), 0u) << raw.substr(0, 300);
}

TEST_P(SecurityApiTest, StaffOnlyPostFromAPatientIsRefusedBeforeAnyBody) {
  auto p = s().NewPatient();
  // Any staff-only route with a body; a patient's token is authentic but lacks the role.
  const std::string raw =
      SendHalfClosed(s().port(), "POST /api/v1/admin/users/1/roles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                     p.token + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n");
  EXPECT_EQ(raw.rfind("HTTP/1.1 403", 0), 0u) << raw.substr(0, 300);
}

TEST_P(SecurityApiTest, AuthorisedUploadStillWorks) {
  auto p = s().NewPatient();
  auto r = s().Call(boost::beast::http::verb::post, "/api/v1/files", std::string(1000, 'a'), p.token,
                    {{"Content-Type", "text/plain"}});
  EXPECT_LT(r.status, 500) << r.body;
  EXPECT_NE(r.status, 401) << r.body;
  EXPECT_NE(r.status, 403) << r.body;
}

// Defect 3: the health-code rule validator accepted any value; it saved as a new version and
// silently never matched.
TEST_P(SecurityApiTest, HealthCodeRulesNameOnlyValuesTheirFactCanTake) {
  auto admin = s().NewAdmin();
  auto authority = s().NewPatient("测试疾控");
  ASSERT_EQ(s().Post("/api/v1/admin/users/" + std::to_string(authority.id) + "/roles", {{"role", "health_authority"}},
                     admin.token)
                .status,
            200);
  auto save = [&](boost::json::object rule) {
    return s().Post(
        "/api/v1/healthcode/rules",
        {{"rules", {{"test_valid_hours", 0}, {"rules", boost::json::array{std::move(rule)}}}}, {"note", "test"}},
        authority.token);
  };
  auto field_errors = [](const Resp& r) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& e : r.json().at("errors").as_array())
      out.emplace_back(std::string(e.at("field").as_string()), std::string(e.at("code").as_string()));
    return out;
  };
  using Errors = std::vector<std::pair<std::string, std::string>>;
  const auto versions_before =
      s().Get("/api/v1/healthcode/rules", authority.token).json().at("versions").as_array().size();

  auto bogus = save({{"fact", "exposure"}, {"value", "bogus"}, {"colour", "red"}, {"days", 14}, {"negative_tests", 2}});
  ASSERT_EQ(bogus.status, 400) << bogus.body;
  EXPECT_EQ(field_errors(bogus), (Errors{{"rules[0].value", "invalid_value"}}));

  auto nul = save({{"fact", "symptom"},
                   {"value", std::string("fever\0\"'", 8)},
                   {"colour", "yellow"},
                   {"days", 7},
                   {"negative_tests", 1}});
  ASSERT_EQ(nul.status, 400) << nul.body;
  EXPECT_EQ(field_errors(nul), (Errors{{"rules[0].value", "invalid_value"}}));

  // A value of one fact is not a value of another.
  auto crossed =
      save({{"fact", "nat_test"}, {"value", "close_contact"}, {"colour", "red"}, {"days", 14}, {"negative_tests", 2}});
  ASSERT_EQ(crossed.status, 400) << crossed.body;
  EXPECT_EQ(field_errors(crossed), (Errors{{"rules[0].value", "invalid_value"}}));

  auto travel_value = save(
      {{"fact", "travel"}, {"risk", "high"}, {"value", "x"}, {"colour", "red"}, {"days", 14}, {"negative_tests", 2}});
  ASSERT_EQ(travel_value.status, 400) << travel_value.body;
  EXPECT_EQ(field_errors(travel_value), (Errors{{"rules[0].value", "invalid_value"}}));

  auto wrong_type = save({{"fact", "exposure"},
                          {"value", "close_contact"},
                          {"risk", 3},
                          {"colour", "red"},
                          {"days", 14},
                          {"negative_tests", 2}});
  ASSERT_EQ(wrong_type.status, 400) << wrong_type.body;
  EXPECT_EQ(field_errors(wrong_type), (Errors{{"rules[0].risk", "wrong_type"}, {"rules[0].risk", "invalid_value"}}));

  EXPECT_EQ(s().Get("/api/v1/healthcode/rules", authority.token).json().at("versions").as_array().size(),
            versions_before);
  // Every value of the vocabulary is accepted.
  for (const auto& [fact, value] : std::vector<std::pair<std::string, std::string>>{{"exposure", "possible_contact"},
                                                                                    {"nat_test", "positive"},
                                                                                    {"symptom", "loss_of_smell"},
                                                                                    {"fever_onsite", "fever"}}) {
    auto ok = save({{"fact", fact}, {"value", value}, {"colour", "yellow"}, {"days", 7}, {"negative_tests", 1}});
    EXPECT_EQ(ok.status, 201) << fact << "=" << value << ": " << ok.body;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, SecurityApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

// Defect 1: the connection cap was global only, so one address could take every slot.
TEST(SecurityConnections, OneClientAddressPastItsShareGets503AfterTheRequestLine) {
  app::Config c;
  c.max_connections = 100;
  c.max_connections_per_client = 2;
  TestServer s(store::Backend::sqlite, c);
  asio::io_context ioc;
  std::vector<asio::ip::tcp::socket> held;
  for (int i = 0; i < 2; ++i) {
    held.emplace_back(ioc);
    held.back().connect({asio::ip::make_address("127.0.0.1"), s.port()});
  }
  ASSERT_TRUE(WaitFor([&] { return s.app().server().open_connections() == 2; }));
  const std::string raw = s.Raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 3000);
  EXPECT_EQ(raw.rfind("HTTP/1.1 503", 0), 0u) << raw.substr(0, 200);
  EXPECT_NE(raw.find("too_many_connections"), std::string::npos);
  EXPECT_NE(raw.find("Retry-After"), std::string::npos);
  held.clear();
  ASSERT_TRUE(WaitFor([&] { return s.app().server().open_connections() == 0; }));
  EXPECT_EQ(s.Get("/healthz").status, 200);
}

}  // namespace api_security_api_test
}  // namespace ihos::apitest
