#pragma once
// Health code, gate part: venues and their QR, check-ins, and verifying a scanned card with the
// scan log (one write transaction per scan; the store group-commits concurrent ones, ADR 0004).
//
// Thread-safe. Every method blocks on the database: call it from the worker pool. Errors: those
// named per method, and the store's (unavailable, internal).
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "domain/healthcode/issuer.hpp"
#include "domain/healthcode/model.hpp"
#include "domain/healthcode/status.hpp"
#include "domain/healthcode/verified_cards.hpp"
#include "store/database.hpp"

namespace ihos::domain::healthcode {

// One scan to log: what Verify found, and what the write adds (the holder, a revocation).
struct ScanToLog {
  // in
  std::string rid, kid, gate_name, result;
  std::optional<std::string> colour;
  std::optional<std::int64_t> venue_id;
  std::int64_t issued_s = 0, now = 0, gate_user = 0;
  // filled by WriteScan (result may become "revoked")
  std::optional<std::int64_t> user;
  std::int64_t scan_id = 0;
  bool checked_in = false;
};

class GateService {
 public:
  // `status` recomputes a holder whose colour is due for a change before their card is judged.
  GateService(store::Database& db, const Clock& clock, Issuer& issuer, StatusService& status);

  // Errors: validation_failed (name, kind, region_unknown).
  Result<VenueRow> AddVenue(const Principal& auth, const std::string& name, const std::string& kind,
                            const std::string& region_code, const std::string& address);
  Result<std::vector<VenueRow>> Venues();  // the first 500, by id
  // The venue's check-in QR (`ihos-venue:<code>`) as SVG. Errors: not_found "venue_not_found".
  Result<std::string> VenueQrSvg(std::int64_t venue_id);
  // Errors: not_found "venue_not_found".
  Result<CheckedIn> CheckIn(const Principal& me, const std::string& venue_code);
  Result<std::vector<CheckInRow>> MyCheckIns(const Principal& me);  // newest 100
  Result<std::vector<ScanRow>> Scans(int limit);                    // newest first
  std::size_t CachedCards() const { return verified_.size(); }      // for tests

  // Verifies a scanned `shc:/` text: signature against the issuer keys, nbf/exp, revocation. Logs
  // the scan (and a check-in at the venue when given and the card is valid). Never an error for a
  // bad card: `result` says why (valid, expired, not_yet_valid, revoked, invalid_signature,
  // unknown_key, wrong_issuer, malformed). Errors: not_found "venue_not_found". A scan goes to
  // hc_scans, not to the audit chain (which would serialise every scan): no request metadata.
  // A card that verified before is taken from VerifiedCards (no decoding, no ES256) while the key
  // that verified it is current and the card has not expired; revocation is read for every scan.
  Result<Verification> Verify(const Principal& gate, const std::string& qr_text, const std::string& gate_name,
                              std::optional<std::int64_t> venue_id);

 private:
  // Logs one scan in its own write transaction (the holder's colour recomputed first when a
  // period of it ended; a card issued before a revocation becomes "revoked").
  // Errors: not_found "venue_not_found"; the store's.
  Status WriteScan(ScanToLog& job);

  store::Database& db_;
  const Clock& clock_;
  Issuer& issuer_;
  StatusService& status_;
  VerifiedCards verified_;
  // kid|rid -> user id (hc_rids rows are never changed or deleted).
  std::mutex rid_mu_;
  std::unordered_map<std::string, std::int64_t> rid_users_;
};

}  // namespace ihos::domain::healthcode
