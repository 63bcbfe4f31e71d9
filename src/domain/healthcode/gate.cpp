#include "domain/healthcode/gate.hpp"

#include <algorithm>

#include "core/crypto.hpp"
#include "core/regions.hpp"
#include "domain/healthcode/json.hpp"
#include "domain/healthcode/repository.hpp"
#include "domain/healthcode/shc.hpp"

namespace ihos::domain::healthcode {
using store::Tx;
using store::TxMode;

namespace {
// Cards kept verified: a card lives 5 minutes, so this is a few minutes of distinct cards at a
// busy installation's gates (each entry is a few hundred bytes).
constexpr std::size_t kVerifiedCards = 100'000;
const std::vector<std::string> kVenueKinds = {"hospital", "clinic", "pharmacy",   "supermarket", "station",
                                              "school",   "office", "restaurant", "checkpoint",  "other"};
}  // namespace

GateService::GateService(store::Database& db, const Clock& clock, Issuer& issuer, StatusService& status)
    : db_(db), clock_(clock), issuer_(issuer), status_(status), verified_(kVerifiedCards) {}

Result<VenueRow> GateService::AddVenue(const Principal& auth, const std::string& name, const std::string& kind,
                                       const std::string& region_code, const std::string& address) {
  std::vector<FieldError> errs;
  if (name.empty()) errs.push_back({"name", "required"});
  if (std::find(kVenueKinds.begin(), kVenueKinds.end(), kind) == kVenueKinds.end())
    errs.push_back({"kind", "invalid_value"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  return db_.With<VenueRow>(TxMode::write, [&](Tx& tx) -> Result<VenueRow> {
    if (FindRegion(region_code) == nullptr) return ValidationFailed({{"region_code", "region_unknown"}});
    VenueRow v{0, name, kind, region_code, address, crypto::RandomToken(12), false};
    auto id = repo::InsertVenue(tx, v, auth.user_id, clock_.NowMs());
    if (!id) return id.error();
    v.id = *id;
    return v;
  });
}

Result<std::vector<VenueRow>> GateService::Venues() {
  return db_.With<std::vector<VenueRow>>(TxMode::read, [&](Tx& tx) { return repo::Venues(tx, 500); });
}

Result<std::string> GateService::VenueQrSvg(std::int64_t venue_id) {
  return db_.With<std::string>(TxMode::read, [&](Tx& tx) -> Result<std::string> {
    auto v = repo::FindVenue(tx, venue_id);
    if (!v) return v.error();
    if (!*v) return MakeError(Errc::not_found, "venue_not_found");
    return shc::TextQrSvg("ihos-venue:" + (*v)->code, 8);
  });
}

Result<CheckedIn> GateService::CheckIn(const Principal& me, const std::string& venue_code) {
  return db_.With<CheckedIn>(TxMode::write, [&](Tx& tx) -> Result<CheckedIn> {
    auto v = repo::FindVenueByCode(tx, venue_code);
    if (!v) return v.error();
    if (!*v) return MakeError(Errc::not_found, "venue_not_found");
    const std::int64_t now = clock_.NowMs();
    auto id = repo::InsertCheckIn(tx, me.user_id, (*v)->id, now, "venue_qr");
    if (!id) return id.error();
    return CheckedIn{*id, **v, now};
  });
}

Result<std::vector<CheckInRow>> GateService::MyCheckIns(const Principal& me) {
  return db_.With<std::vector<CheckInRow>>(TxMode::read, [&](Tx& tx) { return repo::CheckInsOf(tx, me.user_id, 100); });
}

Result<std::vector<ScanRow>> GateService::Scans(int limit) {
  return db_.With<std::vector<ScanRow>>(TxMode::read, [&](Tx& tx) { return repo::Scans(tx, limit); });
}

Result<Verification> GateService::Verify(const Principal& gate, const std::string& qr_text,
                                         const std::string& gate_name, std::optional<std::int64_t> venue_id) {
  const std::int64_t now = clock_.NowMs();
  Verification out;
  ScanToLog job;
  auto keys = issuer_.Keys();
  [&] {
    const std::string key = verified_.Key(qr_text);
    std::shared_ptr<const VerifiedCards::Card> card = verified_.Get(key, now / 1000);
    if (card) {
      // Only while the key that verified it is still a verifier under the card's kid (the kid is
      // the key's thumbprint; a reload or rotation makes new key objects: checked in full again).
      auto vk = keys->verifiers.find(card->kid);
      if (vk == keys->verifiers.end() || vk->second.get() != card->verifier) card = nullptr;
    }
    if (!card) {
      auto jws = shc::FromQrText(qr_text);
      if (!jws) return;
      auto parsed = shc::ParseJws(*jws);
      if (!parsed) return;
      job.kid = parsed->kid;
      auto vk = keys->verifiers.find(parsed->kid);
      if (vk == keys->verifiers.end()) {
        out.result = "unknown_key";
        return;
      }
      if (!vk->second->Verify(parsed->signing_input, parsed->signature)) {
        out.result = "invalid_signature";
        return;
      }
      auto fresh = std::make_shared<VerifiedCards::Card>();
      fresh->kid = parsed->kid;
      fresh->verifier = vk->second.get();
      fresh->claims = ParseCardPayload(parsed->payload_json, issuer_.issuer());
      verified_.Put(key, fresh, now / 1000);
      card = std::move(fresh);
    }
    job.kid = card->kid;
    const CardClaims& c = card->claims;
    if (!c.right_issuer) {
      out.result = "wrong_issuer";
      return;
    }
    job.rid = c.rid;
    out.name_masked = c.name_masked;
    out.id_number_masked = c.id_number_masked;
    out.birth_date = c.birth_date;
    if (c.nbf) out.issued_at = *c.nbf * 1000;
    if (c.exp) out.expires_at = *c.exp * 1000;
    out.latest_test = c.latest_test;
    if (!c.complete) return;  // malformed: no colour
    out.colour = c.colour;
    if (now / 1000 < *c.nbf - 60)
      out.result = "not_yet_valid";
    else if (now / 1000 >= *c.exp)
      out.result = "expired";
    else
      out.result = "valid";
  }();
  job.gate_name = gate_name;
  job.result = out.result;
  job.colour = out.colour;
  job.venue_id = venue_id;
  job.issued_s = out.issued_at ? *out.issued_at / 1000 : 0;
  job.now = now;
  job.gate_user = gate.user_id;
  if (auto st = WriteScan(job); !st) return st.error();
  out.result = job.result;
  out.scan_id = job.scan_id;
  out.checked_in = job.checked_in;
  return out;
}

Status GateService::WriteScan(ScanToLog& j) {
  std::vector<std::int64_t> recomputed_people;
  const std::string judged = j.result;
  auto done = db_.Transact(TxMode::write, [&](Tx& tx) -> Status {
    RecomputedScope scope(recomputed_people);
    j.result = judged;  // outputs are written afresh should the body run again
    j.user.reset();
    j.checked_in = false;
    if (!j.rid.empty()) {
      const std::string key = j.kid + "|" + j.rid;
      {
        std::lock_guard lock(rid_mu_);
        if (auto it = rid_users_.find(key); it != rid_users_.end()) j.user = it->second;
      }
      if (!j.user) {
        auto u = repo::RidUser(tx, j.kid, j.rid);
        if (!u) return u.error();
        if (*u) {
          j.user = **u;
          std::lock_guard lock(rid_mu_);
          if (rid_users_.size() > 500'000) rid_users_.clear();
          rid_users_.emplace(key, *j.user);
        }
      }
    }
    if (j.user && j.result == "valid") {
      // The holder's colour may be due for a change that nobody has read yet (a required test
      // lapsed, a period ended): recompute it now, so a card shown before the change is revoked
      // before it is judged, not when its holder next opens the app.
      auto cur = repo::FindStatus(tx, *j.user);
      if (!cur) return cur.error();
      if (*cur && (*cur)->next_check_at && *(*cur)->next_check_at <= j.now) {
        if (auto ev = status_.Recompute(tx, *j.user, "period.ended"); !ev) return ev.error();
      }
      auto revoked = repo::RevokedBefore(tx, *j.user);
      if (!revoked) return revoked.error();
      if (*revoked && j.issued_s < **revoked) j.result = "revoked";
    }
    if (j.venue_id) {
      auto v = repo::FindVenue(tx, *j.venue_id);
      if (!v) return v.error();
      if (!*v) return MakeError(Errc::not_found, "venue_not_found");  // nothing logged
    }
    auto id = repo::InsertScan(tx, NewScan{j.venue_id, j.gate_name, j.gate_user, j.now, j.result, j.colour, j.user});
    if (!id) return id.error();
    j.scan_id = *id;
    if (j.venue_id && j.user && j.result == "valid") {
      if (auto c = repo::InsertCheckIn(tx, *j.user, *j.venue_id, j.now, "gate_scan"); !c) return c.error();
      j.checked_in = true;
    }
    return {};
  });
  status_.Invalidate(recomputed_people);  // a colour recomputed here: drop its cached card
  return done;
}

}  // namespace ihos::domain::healthcode
