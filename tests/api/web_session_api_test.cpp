// The web app's session (issue 17, defect 4): an HttpOnly cookie instead of a token in
// localStorage, CSRF protection of cookie-authenticated changes, the WebSocket's Origin check,
// and logout clearing the cookie. Bearer tokens (API clients) keep working unchanged.
#include "api/harness.hpp"
#include "api/ws_client.hpp"

namespace ihos::apitest {
namespace api_web_session_api_test {

namespace json = boost::json;
using boost::beast::http::verb;

class WebSessionApiTest : public ApiTest {
 protected:
  struct WebLogin {
    std::string cookie;  // "ihos_session=…", as the browser sends it back
    std::string token;   // the cookie's value
    std::string csrf;
    Resp resp;
  };
  WebLogin LoginCookie(const TestServer::Account& a) {
    WebLogin w;
    w.resp = s().Post("/api/v1/auth/login", {{"phone", a.phone}, {"password", a.password}, {"session", "cookie"}});
    const std::string sc = w.resp.header("set-cookie");
    const auto eq = sc.find('=');
    const auto semi = sc.find(';');
    if (sc.rfind("ihos_session=", 0) == 0 && semi != std::string::npos) {
      w.token = sc.substr(eq + 1, semi - eq - 1);
      w.cookie = "ihos_session=" + w.token;
    }
    if (w.resp.status == 200 && w.resp.json().as_object().contains("csrf_token"))
      w.csrf = std::string(w.resp.json().at("csrf_token").as_string());
    return w;
  }
  static std::string Code(const Resp& r) { return r.body.empty() ? "" : std::string(r.json().at("code").as_string()); }
};

TEST_P(WebSessionApiTest, CookieLoginSetsAStrictHttpOnlyCookieAndNoTokenInTheBody) {
  const auto a = s().NewPatient();
  const auto w = LoginCookie(a);
  ASSERT_EQ(w.resp.status, 200) << w.resp.body;
  const std::string sc = w.resp.header("set-cookie");
  for (const char* attr : {"HttpOnly", "Secure", "SameSite=Strict", "Path=/", "Max-Age="})
    EXPECT_NE(sc.find(attr), std::string::npos) << attr << " in " << sc;
  EXPECT_FALSE(w.token.empty());
  EXPECT_FALSE(w.resp.json().as_object().contains("token")) << "the web app never sees the session token";
  EXPECT_EQ(w.csrf.size(), 64u);
  // The cookie signs the browser in.
  const Resp me = s().Call(verb::get, "/api/v1/me", "", "", {{"Cookie", "lang=en; " + w.cookie}});
  EXPECT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json().at("id").as_int64(), a.id);
  // API clients still get a bearer token, and no cookie.
  const Resp bearer = s().Post("/api/v1/auth/login", {{"phone", a.phone}, {"password", a.password}});
  ASSERT_EQ(bearer.status, 200);
  EXPECT_TRUE(bearer.json().as_object().contains("token"));
  EXPECT_EQ(bearer.header("set-cookie"), "");
  // An unknown session mode is a field error.
  const Resp bad = s().Post("/api/v1/auth/login", {{"phone", a.phone}, {"password", a.password}, {"session", "jar"}});
  EXPECT_EQ(bad.status, 400);
}

TEST_P(WebSessionApiTest, CookieChangesNeedTheSessionsCsrfTokenBearerOnesDoNot) {
  const auto a = s().NewPatient();
  const auto w = LoginCookie(a);
  ASSERT_FALSE(w.csrf.empty());
  const std::string body = "{}";  // reaches validation (400) only past the CSRF check
  Resp r = s().Call(verb::post, "/api/v1/me/dependents", body, "", {{"Cookie", w.cookie}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  EXPECT_EQ(Code(r), "csrf_token_missing");
  r = s().Call(verb::post, "/api/v1/me/dependents", body, "",
               {{"Cookie", w.cookie}, {"X-CSRF-Token", std::string(64, 'a')}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Code(r), "csrf_token_invalid");
  // Another session's CSRF token does not fit this one.
  const auto other = LoginCookie(a);
  r = s().Call(verb::post, "/api/v1/me/dependents", body, "", {{"Cookie", w.cookie}, {"X-CSRF-Token", other.csrf}});
  EXPECT_EQ(Code(r), "csrf_token_invalid");
  r = s().Call(verb::post, "/api/v1/me/dependents", body, "", {{"Cookie", w.cookie}, {"X-CSRF-Token", w.csrf}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(Code(r), "validation_failed");
  // DELETE is a change too.
  r = s().Call(verb::delete_, "/api/v1/admin/users/1/roles/admin", "", "", {{"Cookie", w.cookie}});
  EXPECT_TRUE(r.status == 403) << r.body;
  // Reads need no CSRF token; bearer requests are exempt (a browser never adds the header itself).
  EXPECT_EQ(s().Call(verb::get, "/api/v1/me/dependents", "", "", {{"Cookie", w.cookie}}).status, 200);
  r = s().Call(verb::post, "/api/v1/me/dependents", body, a.token);
  EXPECT_EQ(Code(r), "validation_failed");
  // A bearer header wins over a cookie (and needs no CSRF token).
  r = s().Call(verb::post, "/api/v1/me/dependents", body, a.token, {{"Cookie", "ihos_session=forged"}});
  EXPECT_EQ(Code(r), "validation_failed");
}

TEST_P(WebSessionApiTest, CsrfIsCheckedFromTheHeadersBeforeAnUploadBody) {
  const auto a = s().NewPatient();
  const auto w = LoginCookie(a);
  // Headers only: the server must answer without waiting for the promised 100 kB.
  const std::string out =
      s().Raw("POST /api/v1/files HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + w.cookie +
              "\r\nContent-Type: image/png\r\nX-File-Name: a.png\r\nContent-Length: 100000\r\n\r\n");
  EXPECT_NE(out.find(" 403 "), std::string::npos) << out;
  EXPECT_NE(out.find("csrf_token_missing"), std::string::npos) << out;
}

TEST_P(WebSessionApiTest, LogoutClearsTheCookieAndRevokesTheSession) {
  const auto a = s().NewPatient();
  const auto w = LoginCookie(a);
  const Resp out =
      s().Call(verb::post, "/api/v1/auth/logout", "", "", {{"Cookie", w.cookie}, {"X-CSRF-Token", w.csrf}});
  EXPECT_EQ(out.status, 204);
  const std::string sc = out.header("set-cookie");
  EXPECT_EQ(sc.rfind("ihos_session=;", 0), 0u) << sc;
  EXPECT_NE(sc.find("Max-Age=0"), std::string::npos) << sc;
  EXPECT_EQ(s().Call(verb::get, "/api/v1/me", "", "", {{"Cookie", w.cookie}}).status, 401);
  EXPECT_EQ(s().Get("/api/v1/me", w.token).status, 401) << "the session itself is revoked";
}

TEST_P(WebSessionApiTest, WebSocketByCookieOnlyFromOurOwnOrigin) {
  const auto a = s().NewPatient();
  const auto w = LoginCookie(a);
  {
    WsClient c(s().port(), "zh-CN", {{"Cookie", w.cookie}, {"Origin", "http://127.0.0.1"}});
    c.Send(json::object{{"type", "auth"}});
    auto r = c.Next();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->at("type"), "ready") << json::serialize(*r);
    EXPECT_EQ(r->at("user_id").as_int64(), a.id);
  }
  // Another site's page cannot use the cookie: the upgrade is refused.
  EXPECT_ANY_THROW(WsClient(s().port(), "zh-CN", {{"Cookie", w.cookie}, {"Origin", "https://evil.example"}}));
  EXPECT_ANY_THROW(WsClient(s().port(), "zh-CN", {{"Cookie", w.cookie}}));
  const std::string out = s().Raw(
      "GET /api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nCookie: " +
      w.cookie + "\r\nOrigin: https://evil.example\r\n\r\n");
  EXPECT_NE(out.find(" 403 "), std::string::npos) << out;
  EXPECT_NE(out.find("ws_origin_forbidden"), std::string::npos) << out;
  // Without a cookie, an auth frame without a token is refused as before.
  WsClient c(s().port());
  c.Send(json::object{{"type", "auth"}});
  auto e = c.Next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->at("problem").at("code"), "ws_auth_required") << json::serialize(*e);
}

INSTANTIATE_TEST_SUITE_P(Backends, WebSessionApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_web_session_api_test
}  // namespace ihos::apitest
