#pragma once
// The rules of drug orders as pure functions (unit-tested in tests/unit/dispensing_rules_test.cpp):
// when a prescription may be ordered, how much of each line, the status machine, the billing item
// of a drug, distances, and the pickup code's text. See README.md beside this file.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/dispensing/model.hpp"

namespace ihos::domain::dispensing {

// "" when a prescription in `status`, expiring at `expires_at`, may be ordered at `now`;
// else rx_not_approved (pending_review, rejected, cancelled, dispensed) or rx_expired.
std::string RxRefusal(const std::string& status, std::int64_t expires_at, std::int64_t now);

// The lines to order: each chosen line (or every line with something left when `choices` is
// empty) at the chosen quantity (0 = what is left). `prescribed` and `ordered` are per line_no.
// Errors (the code): rx_line_unknown (a line not on the prescription, or twice), rx_quantity_exceeded
// (more than is left of a line), rx_nothing_left (every line is already ordered).
struct Pick {
  std::int64_t line_no = 0;
  std::int64_t quantity = 0;
};
struct Picks {
  std::vector<Pick> picks;
  std::string error;         // "" when ok
  std::int64_t line_no = 0;  // the line the error is about
};
Picks PickLines(const std::map<std::int64_t, std::int64_t>& prescribed,
                const std::map<std::int64_t, std::int64_t>& ordered, const std::vector<LineChoice>& choices);

// Whether `to` may follow `from`, and which side moves it: "patient" | "pharmacy" | "courier" | "system".
bool CanMove(const std::string& from, const std::string& to);
// Live: the order still holds (or has used) its share of the prescription.
bool IsLive(const std::string& status);
// Ended before the patient got the medicine: nothing is owed (billing refunds a paid order once).
bool IsEnded(const std::string& status);
// The refund reason billing records for an ended order ("" when not ended): a cancelled order
// whose reason is kAcceptTimeout (the sweeper: paid, never accepted in time) is "not_accepted".
inline constexpr char kAcceptTimeout[] = "accept_timeout";
std::string EndReason(const std::string& status, const std::string& reason = "");

// drug.A for 医保甲类, drug.B for 医保乙类, drug.none otherwise (not in the NRDL, or the class blank).
std::string ItemCodeFor(const std::string& reimbursement_class);

// Great-circle distance in metres (haversine, mean Earth radius 6,371,008.8 m).
std::int64_t DistanceM(double lat1, double lon1, double lat2, double lon2);
std::int64_t ToE6(double degrees);

// The pickup code: "IHOSPU1." + base64url(message) + "." + base64url(Ed25519 signature of the
// message), message = "ihos-pickup-v1|<key id>|<order id>|<pharmacy id>|<nonce>".
inline constexpr std::string_view kPickupPrefix = "IHOSPU1.";
std::string PickupMessage(const PickupClaim& c);
// The code's text for a message and its raw signature.
std::string EncodePickup(std::string_view message, std::string_view signature);
// The message and signature of a well-formed code with its fields (nothing verified yet);
// nullopt for anything else (never throws).
struct ParsedPickup {
  PickupClaim claim;
  std::string message;
  std::string signature;  // raw bytes
};
std::optional<ParsedPickup> ParsePickup(std::string_view text);

}  // namespace ihos::domain::dispensing
