#include "domain/dispensing/rules.hpp"

#include <sodium.h>

#include <charconv>
#include <cmath>
#include <set>

namespace ihos::domain::dispensing {
namespace {

std::string B64Url(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

std::optional<std::string> FromB64Url(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &len, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}

std::optional<std::int64_t> PositiveInt(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

}  // namespace

std::string RxRefusal(const std::string& status, std::int64_t expires_at, std::int64_t now) {
  if (status == "expired") return "rx_expired";
  if (status != "approved") return "rx_not_approved";
  if (now > expires_at) return "rx_expired";
  return "";
}

Picks PickLines(const std::map<std::int64_t, std::int64_t>& prescribed,
                const std::map<std::int64_t, std::int64_t>& ordered, const std::vector<LineChoice>& choices) {
  Picks out;
  auto left = [&](std::int64_t line) {
    auto o = ordered.find(line);
    return prescribed.at(line) - (o == ordered.end() ? 0 : o->second);
  };
  if (choices.empty()) {
    for (const auto& [line, qty] : prescribed)
      if (left(line) > 0) out.picks.push_back({line, left(line)});
    if (out.picks.empty()) out.error = "rx_nothing_left";
    return out;
  }
  std::set<std::int64_t> seen;
  for (const auto& c : choices) {
    if (!prescribed.count(c.line_no) || !seen.insert(c.line_no).second || c.quantity < 0) {
      out.error = "rx_line_unknown";
      out.line_no = c.line_no;
      out.picks.clear();
      return out;
    }
    const std::int64_t l = left(c.line_no);
    const std::int64_t q = c.quantity == 0 ? l : c.quantity;
    if (q > l || q <= 0) {
      out.error = l <= 0 ? "rx_nothing_left" : "rx_quantity_exceeded";
      out.line_no = c.line_no;
      out.picks.clear();
      return out;
    }
    out.picks.push_back({c.line_no, q});
  }
  return out;
}

bool CanMove(const std::string& from, const std::string& to) {
  static const std::multimap<std::string, std::string> kMoves = {
      {"placed", "accepted"},       {"placed", "rejected"},    {"placed", "cancelled"},   {"placed", "expired"},
      {"accepted", "dispensed"},    {"accepted", "rejected"},  {"accepted", "cancelled"}, {"dispensed", "assigned"},
      {"dispensed", "handed_over"}, {"assigned", "picked_up"}, {"assigned", "failed"},    {"picked_up", "delivered"},
      {"picked_up", "failed"},      {"failed", "dispensed"},   {"failed", "returned"},
  };
  auto [b, e] = kMoves.equal_range(from);
  for (auto it = b; it != e; ++it)
    if (it->second == to) return true;
  return false;
}

bool IsEnded(const std::string& status) {
  return status == "cancelled" || status == "rejected" || status == "expired" || status == "returned";
}

bool IsLive(const std::string& status) { return !IsEnded(status); }

std::string EndReason(const std::string& status, const std::string& reason) {
  if (status == "cancelled") return reason == kAcceptTimeout ? "not_accepted" : "patient_cancelled";
  if (status == "rejected") return "pharmacy_rejected";
  if (status == "expired") return "hold_expired";
  if (status == "returned") return "delivery_returned";
  return "";
}

std::string ItemCodeFor(const std::string& reimbursement_class) {
  if (reimbursement_class == "医保甲类") return "drug.A";
  if (reimbursement_class == "医保乙类") return "drug.B";
  return "drug.none";
}

std::int64_t DistanceM(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kR = 6'371'008.8;
  constexpr double kRad = M_PI / 180.0;
  const double dlat = (lat2 - lat1) * kRad, dlon = (lon2 - lon1) * kRad;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return static_cast<std::int64_t>(std::llround(2 * kR * std::asin(std::min(1.0, std::sqrt(a)))));
}

std::int64_t ToE6(double degrees) { return static_cast<std::int64_t>(std::llround(degrees * 1e6)); }

std::string PickupMessage(const PickupClaim& c) {
  return "ihos-pickup-v1|" + std::to_string(c.key_id) + "|" + std::to_string(c.order_id) + "|" +
         std::to_string(c.pharmacy_id) + "|" + c.nonce;
}

std::string EncodePickup(std::string_view message, std::string_view signature) {
  return std::string(kPickupPrefix) + B64Url(message) + "." + B64Url(signature);
}

std::optional<ParsedPickup> ParsePickup(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) text.remove_prefix(1);
  if (text.size() > 1000 || text.substr(0, kPickupPrefix.size()) != kPickupPrefix) return std::nullopt;
  text.remove_prefix(kPickupPrefix.size());
  const auto dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  auto msg = FromB64Url(text.substr(0, dot));
  auto sig = FromB64Url(text.substr(dot + 1));
  if (!msg || !sig || sig->size() != crypto_sign_BYTES) return std::nullopt;
  // ihos-pickup-v1|key|order|pharmacy|nonce
  std::vector<std::string_view> parts;
  std::string_view rest = *msg;
  for (std::size_t p; (p = rest.find('|')) != std::string_view::npos;) {
    parts.push_back(rest.substr(0, p));
    rest.remove_prefix(p + 1);
  }
  parts.push_back(rest);
  if (parts.size() != 5 || parts[0] != "ihos-pickup-v1" || parts[4].empty()) return std::nullopt;
  auto key = PositiveInt(parts[1]), order = PositiveInt(parts[2]), pharmacy = PositiveInt(parts[3]);
  if (!key || !order || !pharmacy) return std::nullopt;
  ParsedPickup out;
  out.claim = PickupClaim{*key, *order, *pharmacy, std::string(parts[4])};
  out.message = std::move(*msg);
  out.signature = std::move(*sig);
  return out;
}

}  // namespace ihos::domain::dispensing
