// Health-code storage (domain/healthcode/repository.hpp) and the parts built on it, on SQLite and
// PostgreSQL, without HTTP.
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "domain/healthcode/repository.hpp"
#include "domain/healthcode/service.hpp"
#include "domain/healthcode/shc.hpp"
#include "support/practitioner_fixture.hpp"
#include "support/test_db.hpp"

namespace ihos::domain::healthcode {
namespace {

using store::Tx;
using store::TxMode;

class HealthCodeStoreTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    db_ = testing::FreshDatabase(GetParam(), 4);
    now_ = 1'794'961'560'000;  // 2026-11-18 08:26 CST
    auto people = testing::InsertPatients(*db_, 3, "hc", now_);
    for (const auto& p : people) users_.push_back(p.id);
  }
  // Runs `f` in a write transaction and fails the test on an error.
  template <class F>
  void InTx(F&& f) {
    auto st = db_->Transact(TxMode::write, [&](Tx& tx) -> Status {
      f(tx);
      return {};
    });
    ASSERT_TRUE(st) << st.error().code << " " << st.error().detail;
  }
  std::int64_t Fact(Tx& tx, std::int64_t user, std::string kind, std::string value, std::int64_t at,
                    std::optional<std::string> region = std::nullopt, std::string detail = "") {
    auto id = repo::InsertFact(tx, NewFact{user, std::move(kind), std::move(value), at, std::move(region),
                                           std::move(detail), "self", user, now_});
    EXPECT_TRUE(id);
    return id ? *id : 0;
  }
  std::unique_ptr<store::Database> db_;
  std::int64_t now_ = 0;
  std::vector<std::int64_t> users_;
};

TEST_P(HealthCodeStoreTest, FactsMapEveryColumnAndWithdrawnFactsLeaveTheRules) {
  InTx([&](Tx& tx) {
    const auto sample = Fact(tx, users_[0], "nat_test", "negative", now_ - 3600000, std::nullopt, "S-1");
    const auto fever = Fact(tx, users_[0], "symptom", "fever", now_ - 1000);
    Fact(tx, users_[1], "nat_test", "positive", now_ - 10, std::nullopt, "S-2");

    auto facts = repo::FactsOf(tx, users_[0], 200);
    ASSERT_TRUE(facts);
    ASSERT_EQ(facts->size(), 2u);
    EXPECT_EQ((*facts)[0].id, fever) << "newest first";
    EXPECT_EQ((*facts)[0].kind, "symptom");
    EXPECT_EQ((*facts)[0].value, "fever");
    EXPECT_FALSE((*facts)[0].region_code);
    EXPECT_FALSE((*facts)[0].withdrawn_at);
    EXPECT_EQ((*facts)[0].source, "self");
    EXPECT_EQ((*facts)[0].entered_at, now_);
    EXPECT_FALSE((*facts)[0].demo);
    EXPECT_EQ((*facts)[1].detail, "S-1");

    EXPECT_TRUE(*repo::SampleExists(tx, "S-1"));
    EXPECT_FALSE(*repo::SampleExists(tx, "S-3"));
    auto latest = repo::LatestTest(tx, users_[0]);
    ASSERT_TRUE(latest && *latest);
    EXPECT_EQ((*latest)->first, "negative");

    auto open = repo::OpenFact(tx, fever);
    ASSERT_TRUE(open && *open);
    EXPECT_EQ((*open)->first, users_[0]);
    EXPECT_EQ((*open)->second, "symptom");
    // Withdrawing someone else's fact through an appeal changes nothing.
    EXPECT_FALSE(*repo::WithdrawFact(tx, fever, users_[1], "appeal #1: no", now_));
    EXPECT_TRUE(*repo::WithdrawFact(tx, fever, users_[0], "appeal #1: wrong", now_));
    EXPECT_FALSE(*repo::WithdrawFact(tx, fever, users_[0], "again", now_)) << "already withdrawn";
    EXPECT_FALSE(*repo::OpenFact(tx, fever));
    auto after = repo::FactsOf(tx, users_[0], 200);
    ASSERT_TRUE(after);
    EXPECT_EQ((*after)[0].withdrawn_reason, std::optional<std::string>("appeal #1: wrong"));
    auto for_rules = repo::FactsForRules(tx, users_[0]);
    ASSERT_TRUE(for_rules);
    ASSERT_EQ(for_rules->size(), 1u);
    EXPECT_EQ((*for_rules)[0].id, sample);
  });
}

TEST_P(HealthCodeStoreTest, TravelFactsCarryTheHighestRiskInForceOnTheArrivalDateAndTravellersAreFoundByPrefix) {
  InTx([&](Tx& tx) {
    // Arrived in 东城区 (110101) on 2026-11-10; Beijing (110000) high from the 9th, the county low.
    Fact(tx, users_[0], "travel", "arrival", now_ - 8 * 86400000LL, "110101", "2026-11-10");
    Fact(tx, users_[1], "travel", "arrival", now_, "310101", "2026-11-10");
    ASSERT_TRUE(repo::InsertRiskArea(tx, RiskAreaRow{0, "110000", "high", "2026-11-09", std::nullopt, "", false},
                                     users_[2], now_));
    auto low = repo::InsertRiskArea(tx, RiskAreaRow{0, "110101", "low", "2026-11-01", "2026-11-05", "over", false},
                                    users_[2], now_);
    ASSERT_TRUE(low);
    auto facts = repo::FactsForRules(tx, users_[0]);
    ASSERT_TRUE(facts);
    ASSERT_EQ(facts->size(), 1u);
    EXPECT_EQ((*facts)[0].risk, "high");
    EXPECT_EQ((*facts)[0].region_code, "110101");
    auto shanghai = repo::FactsForRules(tx, users_[1]);
    ASSERT_TRUE(shanghai);
    EXPECT_EQ((*shanghai)[0].risk, "");

    EXPECT_EQ(*repo::TravellersTo(tx, "11"), std::vector<std::int64_t>{users_[0]});
    EXPECT_EQ(*repo::TravellersTo(tx, "110101"), std::vector<std::int64_t>{users_[0]});
    EXPECT_TRUE(repo::TravellersTo(tx, "1102")->empty());

    auto all = repo::RiskAreas(tx, false, "2026-11-18", 500);
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ((*all)[0].id, *low) << "newest first";
    EXPECT_EQ((*all)[0].end_date, std::optional<std::string>("2026-11-05"));
    EXPECT_EQ((*all)[0].note, "over");
    auto current = repo::RiskAreas(tx, true, "2026-11-18", 500);
    ASSERT_TRUE(current);
    ASSERT_EQ(current->size(), 1u);
    EXPECT_EQ((*current)[0].level, "high");
    EXPECT_FALSE((*current)[0].end_date);
    ASSERT_TRUE(repo::SetRiskAreaEnd(tx, (*current)[0].id, "2026-11-17"));
    EXPECT_TRUE(repo::RiskAreas(tx, true, "2026-11-18", 500)->empty());
    EXPECT_EQ((*repo::FindRiskArea(tx, (*current)[0].id))->end_date, std::optional<std::string>("2026-11-17"));
  });
}

TEST_P(HealthCodeStoreTest, StatusHistoryRevocationsAndTheSnapshot) {
  InTx([&](Tx& tx) {
    const auto u = users_[0];
    EXPECT_FALSE(*repo::FindStatus(tx, u));
    ASSERT_TRUE(repo::UpsertStatus(tx, u, StatusRow{"yellow", "[]", "2026-11-25", now_, 1, now_ + 1000}));
    ASSERT_TRUE(
        repo::UpsertStatus(tx, u, StatusRow{"red", "[{\"code\":\"x\"}]", std::nullopt, now_ + 1, 2, std::nullopt}));
    auto s = repo::FindStatus(tx, u);
    ASSERT_TRUE(s && *s);
    EXPECT_EQ((*s)->colour, "red");
    EXPECT_EQ((*s)->reasons, "[{\"code\":\"x\"}]");
    EXPECT_FALSE((*s)->changes_on);
    EXPECT_FALSE((*s)->next_check_at);
    EXPECT_EQ((*s)->rule_version, 2);
    EXPECT_EQ(*repo::PeopleWithStatus(tx), std::vector<std::int64_t>{u});

    ASSERT_TRUE(repo::InsertHistory(tx, u, HistoryRow{0, "yellow", std::nullopt, "[]", "first.view", 1, now_}));
    ASSERT_TRUE(repo::InsertHistory(tx, u, HistoryRow{0, "red", "yellow", "[]", "fact.added:exposure", 2, now_ + 1}));
    auto h = repo::History(tx, u, 100);
    ASSERT_TRUE(h);
    ASSERT_EQ(h->size(), 2u);
    EXPECT_EQ((*h)[0].previous_colour, std::optional<std::string>("yellow"));
    EXPECT_EQ((*h)[0].cause, "fact.added:exposure");
    EXPECT_FALSE((*h)[1].previous_colour);

    EXPECT_FALSE(*repo::RevokedBefore(tx, u));
    ASSERT_TRUE(repo::InsertRevocation(tx, u, 100, "colour.yellow", now_));
    ASSERT_TRUE(repo::InsertRevocation(tx, u, 200, "colour.red", now_ + 5));
    EXPECT_EQ(*repo::RevokedBefore(tx, u), std::optional<std::int64_t>(200));
    auto since = repo::RevokedSince(tx, now_ - 1);
    ASSERT_TRUE(since);
    ASSERT_EQ(since->size(), 1u);
    EXPECT_EQ((*since)[0], std::make_pair(u, std::int64_t{200}));
    EXPECT_EQ(*repo::MaxRevocationId(tx), 2);

    const KeyRow key{"kid-1", "{\"kty\":\"EC\"}", "sealed", "rid-sealed", std::nullopt};
    ASSERT_TRUE(repo::InsertKey(tx, key, now_));
    ASSERT_TRUE(repo::InsertKey(tx, key, now_)) << "an existing kid is left as it is";
    EXPECT_EQ(*repo::CountKeys(tx), 1);
    EXPECT_FALSE(*repo::RidUser(tx, "kid-1", "rid-a"));
    ASSERT_TRUE(repo::InsertRid(tx, "kid-1", u, "rid-a"));
    ASSERT_TRUE(repo::InsertRid(tx, "kid-1", u, "rid-a")) << "idempotent";
    EXPECT_EQ(*repo::RidUser(tx, "kid-1", "rid-a"), std::optional<std::int64_t>(u));

    Fact(tx, u, "nat_test", "negative", now_ - 5000, std::nullopt, "S-9");
    auto snap = repo::ReadSnap(tx, u, "kid-1");
    ASSERT_TRUE(snap);
    ASSERT_TRUE(snap->status);
    EXPECT_EQ(snap->status->colour, "red");
    EXPECT_EQ(snap->who.real_name, "测试患者");
    EXPECT_EQ(snap->who.birth_date, "1990-01-01");
    EXPECT_TRUE(snap->has_rid);
    EXPECT_EQ(snap->not_before, 200);
    ASSERT_TRUE(snap->test);
    EXPECT_EQ(snap->test->second, now_ - 5000);
    auto other = repo::ReadSnap(tx, users_[1], "kid-1");
    ASSERT_TRUE(other);
    EXPECT_FALSE(other->status);
    EXPECT_FALSE(other->has_rid);
    EXPECT_EQ(other->not_before, 0);
    auto none = repo::ReadSnap(tx, 999999, "kid-1");
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, "person_not_found");
  });
}

TEST_P(HealthCodeStoreTest, KeysRuleSetsAndAppeals) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(repo::InsertKey(tx, KeyRow{"old", "{}", "p1", "r1", std::nullopt}, now_ - 10));
    ASSERT_TRUE(repo::RetireSigningKeys(tx, now_ - 5));
    ASSERT_TRUE(repo::InsertKey(tx, KeyRow{"new", "{}", "p2", "r2", std::nullopt}, now_));
    auto signing = repo::SigningKeys(tx);
    ASSERT_TRUE(signing);
    ASSERT_EQ(signing->size(), 1u);
    EXPECT_EQ((*signing)[0].kid, "new");
    EXPECT_EQ((*signing)[0].private_sealed, "p2");
    auto live = repo::LiveKeys(tx, now_ - 6);
    ASSERT_TRUE(live);
    ASSERT_EQ(live->size(), 2u);
    EXPECT_EQ((*live)[0].kid, "old") << "oldest first";
    EXPECT_EQ((*live)[0].retired_at, std::optional<std::int64_t>(now_ - 5));
    EXPECT_EQ(repo::LiveKeys(tx, now_ - 5)->size(), 1u) << "retired before the cut-off";

    const auto before = *repo::CountRuleSets(tx);
    auto v = repo::InsertRuleSet(tx, "{\"rules\":[]}", "empty", users_[2], now_);
    ASSERT_TRUE(v);
    EXPECT_EQ(*repo::CountRuleSets(tx), before + 1);
    auto cur = repo::CurrentRuleSet(tx);
    ASSERT_TRUE(cur && *cur);
    EXPECT_EQ((*cur)->version, *v);
    EXPECT_EQ((*cur)->note, "empty");
    EXPECT_EQ(repo::RuleSets(tx, 20)->front().body, "{\"rules\":[]}");

    EXPECT_EQ(*repo::CountOpenAppeals(tx, users_[0]), 0);
    auto a = repo::InsertAppeal(tx, users_[0], "red", "not me", now_);
    ASSERT_TRUE(a);
    EXPECT_EQ(*repo::CountOpenAppeals(tx, users_[0]), 1);
    ASSERT_TRUE(repo::ResolveAppeal(tx, *a, "rejected", "it was", users_[2], now_ + 1));
    auto found = repo::FindAppeal(tx, *a);
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->status, "rejected");
    EXPECT_EQ((*found)->resolution, std::optional<std::string>("it was"));
    EXPECT_EQ((*found)->resolved_at, std::optional<std::int64_t>(now_ + 1));
    EXPECT_EQ((*found)->real_name, "测试患者");
    EXPECT_EQ(repo::AppealsOf(tx, users_[0])->size(), 1u);
    EXPECT_EQ(repo::Appeals(tx, "rejected", 200)->size(), 1u);
    EXPECT_TRUE(repo::Appeals(tx, "open", 200)->empty());
    EXPECT_EQ(repo::Appeals(tx, "", 200)->size(), 1u);
  });
}

TEST_P(HealthCodeStoreTest, VenuesCheckInsScansAndTheContactSearch) {
  InTx([&](Tx& tx) {
    auto venue = repo::InsertVenue(tx, VenueRow{0, "一号超市", "supermarket", "110101", "东城", "CODE1", false},
                                   users_[2], now_);
    ASSERT_TRUE(venue);
    auto by_code = repo::FindVenueByCode(tx, "CODE1");
    ASSERT_TRUE(by_code && *by_code);
    EXPECT_EQ((*by_code)->id, *venue);
    EXPECT_EQ((*by_code)->address, "东城");
    EXPECT_FALSE(*repo::FindVenue(tx, *venue + 100));
    EXPECT_EQ(repo::Venues(tx, 500)->size(), 1u);

    // The case at 10:00; one person 30 minutes later (a contact), one 3 hours later (not).
    const std::int64_t t = now_ - 86400000;
    ASSERT_TRUE(repo::InsertCheckIn(tx, users_[0], *venue, t, "venue_qr"));
    ASSERT_TRUE(repo::InsertCheckIn(tx, users_[1], *venue, t + 1800000, "gate_scan"));
    ASSERT_TRUE(repo::InsertCheckIn(tx, users_[2], *venue, t + 3 * 3600000, "venue_qr"));
    auto hits = repo::Contacts(tx, users_[0], 3600000, now_ - 14 * 86400000LL);
    ASSERT_TRUE(hits);
    ASSERT_EQ(hits->size(), 1u);
    EXPECT_EQ((*hits)[0].user_id, users_[1]);
    EXPECT_EQ((*hits)[0].first_at, t + 1800000);
    EXPECT_EQ((*hits)[0].venue_name, "一号超市");
    EXPECT_TRUE(repo::Contacts(tx, users_[0], 3600000, t + 1)->empty()) << "visits before the look-back do not count";
    auto mine = repo::CheckInsOf(tx, users_[1], 100);
    ASSERT_TRUE(mine);
    ASSERT_EQ(mine->size(), 1u);
    EXPECT_EQ(mine->front().source, "gate_scan");
    EXPECT_EQ(mine->front().venue_name, "一号超市");

    auto s1 = repo::InsertScan(tx, NewScan{*venue, "东门", users_[2], now_, "valid", "green", users_[0]});
    auto s2 = repo::InsertScan(
        tx, NewScan{std::nullopt, "西门", users_[2], now_ + 1, "malformed", std::nullopt, std::nullopt});
    ASSERT_TRUE(s1 && s2);
    auto scans = repo::Scans(tx, 50);
    ASSERT_TRUE(scans);
    ASSERT_EQ(scans->size(), 2u);
    EXPECT_EQ((*scans)[0].id, *s2);
    EXPECT_FALSE((*scans)[0].venue_id);
    EXPECT_FALSE((*scans)[0].colour);
    EXPECT_EQ((*scans)[1].venue_id, std::optional<std::int64_t>(*venue));
    EXPECT_EQ((*scans)[1].colour, std::optional<std::string>("green"));
    EXPECT_EQ(repo::Scans(tx, 1)->size(), 1u);
  });
}

TEST_P(HealthCodeStoreTest, ShownCardVerifiesAtTheGateUntilAWorseColourRevokesIt) {
  ManualClock clock(now_);
  HealthCodeService hc(*db_, clock, Config{});
  ASSERT_TRUE(hc.Init());
  hc.SetIssuer("http://test");
  Principal me{users_[0], "测试患者", {"patient"}};
  Principal gate{users_[2], "门岗", {"nurse"}};
  Principal auth{users_[2], "卫健", {"health_authority"}};
  auto code = hc.status().Show(me);
  ASSERT_TRUE(code) << code.error().code;
  EXPECT_EQ(code->status.colour, "green");
  auto ok = hc.gate().Verify(gate, code->card->qr_text, "东门", std::nullopt);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->result, "valid");
  EXPECT_EQ(ok->colour, std::optional<std::string>("green"));
  EXPECT_GT(ok->scan_id, 0);

  std::string id_number;
  ASSERT_TRUE(db_->Transact(TxMode::read, [&](Tx& tx) -> Status {
    id_number = (*repo::FindIdentity(tx, users_[0]))->id_number;
    return {};
  }));
  auto flagged = hc.facts().SetExposure(auth, id_number, "close_contact", "", RequestMeta{"r2", ""});
  ASSERT_TRUE(flagged) << flagged.error().code;
  EXPECT_EQ(flagged->colour, Colour::red);
  auto revoked = hc.gate().Verify(gate, code->card->qr_text, "东门", std::nullopt);
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->result, "revoked");
  auto again = hc.status().Show(me);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status.colour, "red") << "the status cache was dropped by the write";
  EXPECT_NE(again->card->jws, code->card->jws);
  auto bad = hc.gate().Verify(gate, "shc:/0123", "东门", std::nullopt);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->result, "malformed");
  auto no_venue = hc.gate().Verify(gate, code->card->qr_text, "东门", 424242);
  ASSERT_FALSE(no_venue);
  EXPECT_EQ(no_venue.error().code, "venue_not_found");
}

INSTANTIATE_TEST_SUITE_P(Backends, HealthCodeStoreTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace ihos::domain::healthcode
