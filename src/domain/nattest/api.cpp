#include "domain/nattest/api.hpp"

#include <boost/json.hpp>

#include "domain/nattest/json.hpp"
#include "http/json_io.hpp"
#include "http/params.hpp"

namespace ihos::domain::nattest::api {
namespace json = boost::json;
using http::Reply;
using http::Request;
using http::Send;

namespace {

constexpr http::StringRule kShort{.min_chars = 1, .max_chars = 64};
constexpr http::StringRule kName{.min_chars = 1, .max_chars = 100};
constexpr http::StringRule kAddress{.min_chars = 1, .max_chars = 200};
constexpr http::StringRule kNote{.max_chars = 500, .multiline = true};

// The sample number from the path: the scanner may send it in lower case.
std::string SampleNo(const Request& req) {
  std::string s = req.Param("sample_no");
  if (!s.empty() && s[0] == 'n') s[0] = 'N';
  return s;
}

}  // namespace

http::Handler Sites(NatTestService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto region = http::QueryString(req, "region", 6);
    if (!region) return region.error();
    return Send(s.Sites(*region), SitesJson);
  };
}

http::Handler AddSite(NatTestService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    SiteInput in{r.String("name", kName),
                 r.Enum("kind", {"hospital", "sampling_point"}),
                 r.String("region_code", {.min_chars = 6, .max_chars = 6}),
                 r.String("address", kAddress),
                 r.OptString("opening_hours", {.max_chars = 200}).value_or(""),
                 r.OptInt("price_fen", 0, 10'000'000).value_or(0)};
    if (auto st = r.Finish(); !st) return st.error();
    return Send(s.AddSite(req.Actor(), in), NewSiteJson, 201);
  };
}

http::Handler AddSlots(NatTestService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    SlotPlan p;
    p.from_date = r.String("from_date", {.max_chars = 10});
    p.days = static_cast<int>(r.Int("days", 1, 31));
    p.start_time = r.String("start_time", {.max_chars = 5});
    p.end_time = r.String("end_time", {.max_chars = 5});
    p.window_minutes = static_cast<int>(r.Int("window_minutes", 10, 240));
    p.capacity = static_cast<int>(r.Int("capacity", 1, 10000));
    if (auto st = r.Finish(); !st) return st.error();
    return Send(s.AddSlots(*id, p), SlotPlanJson, 201);
  };
}

http::Handler SiteSlots(NatTestService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto date = http::QueryString(req, "date", 10);
    if (!date) return date.error();
    return Send(s.SiteSlots(*id, *date), SiteDayJson);
  };
}

http::Handler BookSlot(NatTestService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::int64_t slot = r.Int("slot_id", 1, INT64_MAX);
    auto patient = r.OptInt("patient_id", 1, INT64_MAX);
    if (auto st = r.Finish(); !st) return st.error();
    return Send(s.BookSlot(req.Actor(), slot, patient, req.Meta()), BookingJson, 201);
  };
}

http::Handler BookHomeVisit(NatTestService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    HomeVisitInput in;
    in.patient_id = r.OptInt("patient_id", 1, INT64_MAX);
    in.region_code = r.String("region_code", {.min_chars = 6, .max_chars = 6});
    in.address = r.String("address", kAddress);
    in.date = r.String("date", {.max_chars = 10});
    in.start_time = r.String("start_time", {.max_chars = 5});
    in.end_time = r.String("end_time", {.max_chars = 5});
    if (auto st = r.Finish(); !st) return st.error();
    return Send(s.BookHomeVisit(req.Actor(), in, req.Meta()), BookingJson, 201);
  };
}

http::Handler MyBookings(NatTestService& s) {
  return [&s](Request& req) -> Result<Reply> { return Send(s.MyBookings(req.Actor()), BookingsJson); };
}

http::Handler Cancel(NatTestService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto reason = http::OptionalTextBody(req, "reason", kNote);
    if (!reason) return reason.error();
    return Send(s.Cancel(req.Actor(), *id, reason->value_or(""), req.Meta()), BookingJson);
  };
}

http::Handler HomeVisits(NatTestService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto region = http::QueryString(req, "region", 6);
    if (!region) return region.error();
    return Send(s.HomeVisits(req.Actor(), *region), BookingsJson);
  };
}

http::Handler AcceptHomeVisit(NatTestService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    return Send(s.AcceptHomeVisit(req.Actor(), *id, req.Meta()), BookingJson);
  };
}

http::Handler Sample(NatTestService& s) {
  return [&s](Request& req) -> Result<Reply> {
    return Send(s.Sample(req.Actor(), SampleNo(req), req.Meta()), BookingJson);
  };
}

http::Handler Collect(NatTestService& s) {
  return [&s](Request& req) -> Result<Reply> {
    return Send(s.Collect(req.Actor(), SampleNo(req), req.Meta()), BookingJson);
  };
}

http::Handler PendingSamples(NatTestService& s) {
  return [&s](Request& req) -> Result<Reply> { return Send(s.PendingSamples(req.Actor()), BookingsJson); };
}

http::Handler EnterResult(NatTestService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string result = r.Enum("result", {"negative", "positive"});
    if (auto st = r.Finish(); !st) return st.error();
    return Send(s.EnterResult(req.Actor(), SampleNo(req), result, req.Meta()), RecordedResultJson, 201);
  };
}

}  // namespace ihos::domain::nattest::api
