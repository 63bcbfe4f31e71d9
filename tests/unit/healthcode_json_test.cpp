// Health code JSON (domain/healthcode/json.hpp): the card payload read back without exceptions,
// whatever a signed-but-odd payload holds.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "domain/healthcode/json.hpp"

namespace ihos::domain::healthcode {
namespace {

constexpr char kIss[] = "http://gate.test";

std::string Payload(const std::optional<std::pair<std::string, std::int64_t>>& test = std::nullopt) {
  return CardPayload(kIss, 5, "张*丰", "1101**********002X", "1990-01-01", Colour::yellow, test, "rid-1",
                     1'794'961'560);
}

TEST(HealthCodeCardPayload, ACardReadsBackEveryClaim) {
  const CardClaims c = ParseCardPayload(Payload(std::make_pair(std::string("negative"), 1'794'961'000'000)), kIss);
  EXPECT_TRUE(c.complete);
  EXPECT_TRUE(c.right_issuer);
  EXPECT_EQ(c.rid, "rid-1");
  EXPECT_EQ(c.colour, std::optional<std::string>("yellow"));
  EXPECT_EQ(c.name_masked, std::optional<std::string>("张*丰"));
  EXPECT_EQ(c.id_number_masked, std::optional<std::string>("1101**********002X"));
  EXPECT_EQ(c.birth_date, std::optional<std::string>("1990-01-01"));
  EXPECT_EQ(c.nbf, std::optional<std::int64_t>(1'794'961'560));
  EXPECT_EQ(c.exp, std::optional<std::int64_t>(1'794'961'560 + 300));
  EXPECT_EQ(c.latest_test, std::optional<std::string>("negative"));
  EXPECT_FALSE(ParseCardPayload(Payload(), kIss).latest_test);
  EXPECT_TRUE(ParseCardPayload(Payload(), kIss).complete);
}

TEST(HealthCodeCardPayload, AnotherIssuerIsNamedAndNothingElseIsRead) {
  const CardClaims c = ParseCardPayload(Payload(), "http://elsewhere");
  EXPECT_FALSE(c.right_issuer);
  EXPECT_FALSE(c.complete);
  EXPECT_TRUE(c.rid.empty());
  EXPECT_FALSE(c.colour);
}

TEST(HealthCodeCardPayload, WrongTypesAndMissingClaimsAreIncompleteNotThrown) {
  namespace json = boost::json;
  const json::object good = json::parse(Payload()).as_object();
  const auto with = [&](auto&& change) {
    json::value v = good;
    change(v.as_object());
    return ParseCardPayload(json::serialize(v), kIss);
  };
  for (const std::string& text : {std::string(""), std::string("[]"), std::string("{"), std::string("{\"iss\":1}")})
    EXPECT_FALSE(ParseCardPayload(text, kIss).complete) << text;
  EXPECT_FALSE(with([](json::object& o) { o["nbf"] = "soon"; }).complete);
  EXPECT_FALSE(with([](json::object& o) { o["exp"] = 1.5; }).complete);
  EXPECT_FALSE(with([](json::object& o) { o["vc"] = json::array{}; }).complete);
  auto no_entries = with([](json::object& o) {
    o["vc"].as_object()["credentialSubject"].as_object()["fhirBundle"].as_object()["entry"] = json::object{};
  });
  EXPECT_FALSE(no_entries.complete);
  EXPECT_EQ(no_entries.rid, "rid-1") << "what was read before the bad claim stays";
  EXPECT_FALSE(no_entries.colour);
  auto nameless = with([](json::object& o) {
    auto& entry = o["vc"].as_object()["credentialSubject"].as_object()["fhirBundle"].as_object()["entry"].as_array();
    entry[0].as_object()["resource"].as_object()["name"] = json::array{};
  });
  EXPECT_FALSE(nameless.complete);
  EXPECT_EQ(nameless.colour, std::optional<std::string>("yellow"));
  EXPECT_FALSE(nameless.name_masked);
  EXPECT_FALSE(nameless.nbf);
}

TEST(HealthCodeJson, StoredJwkCoordinatesAreReadWithoutThrowing) {
  EXPECT_EQ(JwkXY("{\"kty\":\"EC\",\"x\":\"ab\",\"y\":\"cd\"}"),
            std::make_optional(std::make_pair(std::string("ab"), std::string("cd"))));
  EXPECT_FALSE(JwkXY("{\"x\":1,\"y\":\"cd\"}"));
  EXPECT_FALSE(JwkXY("not json"));
}

}  // namespace
}  // namespace ihos::domain::healthcode
