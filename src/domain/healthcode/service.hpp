#pragma once
// Health code (健康码): the capability as ihosd wires it. The parts own their state:
//  - issuer.hpp     keys, signed cards, JWKS, CRL, key rotation
//  - status.hpp     rule set, recomputed colour and history, "show my code" (snapshot and card caches)
//  - facts.hpp      declarations, lab results (one, from a booking, CSV), fever, vaccination, exposure
//  - authority.hpp  rules, risk areas, appeals, reading a person
//  - gate.hpp       venues, check-ins, verify, the scan log
// This facade constructs them in order and initialises the storage they need. See README.md.
//
// Thread-safe; the parts live as long as the facade.
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "domain/healthcode/authority.hpp"
#include "domain/healthcode/facts.hpp"
#include "domain/healthcode/gate.hpp"
#include "domain/healthcode/issuer.hpp"
#include "domain/healthcode/model.hpp"
#include "domain/healthcode/status.hpp"
#include "store/database.hpp"

namespace ihos::domain::healthcode {

class HealthCodeService {
 public:
  HealthCodeService(store::Database& db, const Clock& clock, Config config);

  // Stores the first issuer key (sealed with the KEK) and the default rule set when there are
  // none, then loads the keys. Errors: internal "healthcode_key_sealed" when a stored key does
  // not open with this KEK.
  Status Init();
  // The base URL in a card's `iss`; set before the server starts.
  void SetIssuer(std::string issuer) { issuer_.SetIssuer(std::move(issuer)); }
  const std::string& issuer() const { return issuer_.issuer(); }
  const Clock& clock() const { return clock_; }

  Issuer& cards() { return issuer_; }
  StatusService& status() { return status_; }
  FactsService& facts() { return facts_; }
  AuthorityService& authority() { return authority_; }
  GateService& gate() { return gate_; }

  // ihos seed-demo: three demo venues, a medium-risk demo area (武昌区 420106, from three days
  // before `now`) and, when a user has `patient_phone`, a demo negative test 20 hours before
  // `now`. Every row is marked demo; nothing is written when demo venues exist already. One
  // transaction. Errors: those of the store.
  Status SeedDemo(std::int64_t now, const std::string& patient_phone);
  // After a caller's transaction that used FactsService::AddTestResultTx ended (committed or not):
  // the people its body recomputed (collected by a RecomputedScope opened in the body).
  void Invalidate(const std::vector<std::int64_t>& people) { status_.Invalidate(people); }

  // See Issuer::RotateKey.
  static Result<std::string> RotateKey(store::Database& db, const std::string& kek, std::int64_t now_ms) {
    return Issuer::RotateKey(db, kek, now_ms);
  }
  // Card issue without the database (for the benchmark): the shc:/ text of one person's card.
  std::string SignCardForBench(const std::string& masked_name, const std::string& birth_date, Colour colour,
                               std::int64_t user_id) {
    return issuer_.SignQrText(masked_name, birth_date, colour, user_id);
  }

 private:
  store::Database& db_;
  const Clock& clock_;
  Issuer issuer_;
  StatusService status_;
  FactsService facts_;
  AuthorityService authority_;
  GateService gate_;
};

}  // namespace ihos::domain::healthcode
