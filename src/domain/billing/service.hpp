#pragma once
// Billing: orders for priced services, insurance pre-settlement and settlement, self-pay through a
// payment provider, refunds, receipts, reconciliation and the ledger. See README.md beside this file
// for the invariants, the split rules and who may do what.
//
// Thread-safe. Every method blocks on the database (call from the worker pool); Sweep and
// DeliverNotifications run on the billing sweeper thread.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "domain/accounts/service.hpp"
#include "domain/billing/insurance.hpp"
#include "domain/billing/model.hpp"
#include "domain/billing/provider.hpp"
#include "store/database.hpp"

namespace ihos::domain::billing {

struct Config {
  std::int64_t hold_ms = 15LL * 60 * 1000;  // a pending order holds its place this long
  std::int64_t query_after_ms = 5000;       // a payment unheard of this long is queried at the provider
};

// What billing asks of a capability whose things are charged (wired in app/). Runs in billing's
// transaction.
struct Source {
  // The thing's patient, title, hospital grade and lines, or nullopt when there is no such thing.
  std::function<Result<std::optional<Quote>>(store::Tx&, std::int64_t source_id)> quote;
  // An unpaid hold ended: release the place (cancel the booking). Called once per order.
  std::function<Status(store::Tx&, std::int64_t source_id, std::int64_t now_ms)> release;
  // Optional: the thing's bill changed and the change is committed (paid, refunded, the unpaid
  // hold ended), so the source may tell whoever follows it. Runs on the committing thread after the
  // transaction; must not block.
  std::function<void(std::int64_t source_id)> changed;
};

// An `Idempotency-Key` and a hash of the request it came with (empty key: none given).
struct Idem {
  std::string key;
  std::string request_hash;
};

class BillingService {
 public:
  BillingService(store::Database& db, const Clock& clock, accounts::AccountService& accounts, PaymentProvider& provider,
                 Config config);

  void RegisterSource(const std::string& kind, Source source);
  // The kinds registered, sorted (what an order may be made for).
  std::vector<std::string> SourceKinds() const;
  // The medical-insurance platform's adapter (insurance.hpp); the DEMO adapter until one is set.
  // Set before serving; the adapter outlives the service.
  void SetInsuranceAdapter(InsuranceAdapter& adapter);

  // --- insurance profile (the patient or a guardian) ---
  // Errors: not_found (a patient the actor may not act for).
  Result<Profile> GetProfile(const Principal& actor, std::optional<std::int64_t> patient_id);
  // Binds through the insurance adapter (the DEMO one by default; a real deployment: the
  // 医保电子凭证); the first binding that opens a personal account posts its balance. Errors:
  // not_found; validation_failed (scheme, region_code); the adapter's.
  Result<Profile> BindProfile(const Principal& actor, std::optional<std::int64_t> patient_id, const std::string& scheme,
                              const std::string& region_code);

  // --- orders (the patient or a guardian of the thing's patient) ---
  // The order of a priced thing; made on first call (.second = true). Errors: validation_failed
  // (source_kind); not_found (no such thing, or not the actor's); conflict order_free (nothing to
  // pay), order_source_ended, price_not_set, idempotency_key_reused.
  Result<std::pair<Order, bool>> CreateOrder(const Principal& actor, const std::string& kind, std::int64_t source_id,
                                             const Idem& idem);
  Result<std::vector<Order>> Orders(const Principal& actor, const std::string& kind,
                                    std::optional<std::int64_t> source_id);
  // Errors: not_found.
  Result<Order> GetOrder(const Principal& actor, std::int64_t id);
  // The split before paying (nothing stored). Errors: not_found; conflict order_not_payable.
  Result<Split> PreSettle(const Principal& actor, std::int64_t id, bool use_insurance, bool use_personal);
  // Pays: nothing in cash -> settled now (paid); else a provider payment (paying, payment.pay_url).
  // A paid or paying order answers its state again. Errors: not_found; conflict order_not_payable,
  // order_expired, order_source_ended, idempotency_key_reused; unavailable provider_unavailable.
  Result<Order> Pay(const Principal& actor, std::int64_t id, bool use_insurance, bool use_personal, const Idem& idem);
  // Errors: not_found (also when not settled).
  Result<Receipt> GetReceipt(const Principal& actor, std::int64_t id);

  // --- the provider's notification (anyone; the signature decides) ---
  // Errors: invalid_argument bad_signature / bad_notification; conflict amount_mismatch.
  Status HandleNotification(const std::string& body, const std::string& signature);

  // --- admin ---
  Result<std::vector<Item>> Items();
  // Errors: forbidden; not_found; validation_failed.
  Result<Item> UpdateItem(const Principal& admin, const Item& item);
  // Latest of each (no filter) or every version of one region and scheme.
  Result<std::vector<Policy>> Policies(const std::string& region_code, const std::string& scheme);
  // Inserts version N+1. Errors: forbidden; validation_failed.
  Result<Policy> AddPolicy(const Principal& admin, Policy p);
  // Refunds `amount_fen` (full or partial) of a paid order. Errors: forbidden; not_found; conflict
  // order_not_refundable, refund_exceeds_payment, idempotency_key_reused; validation_failed.
  Result<Order> AdminRefund(const Principal& admin, std::int64_t id, std::int64_t amount_fen, const std::string& reason,
                            const Idem& idem);
  // Errors: forbidden; validation_failed (date, region_code).
  Result<Reconciliation> Reconcile(const Principal& admin, const std::string& region_code, const std::string& date);
  Result<LedgerCheck> CheckLedger(const Principal& admin);

  // --- for other capabilities, in their transaction ---
  // Whether the thing was paid (settled, not refunded). Errors: those of store::Tx.
  Result<bool> IsPaid(store::Tx& tx, const std::string& kind, std::int64_t source_id);

  // Expires holds (releasing the place), queries payments not heard of, completes cash refunds at
  // the provider, refunds paid orders whose service ended. Returns how many things changed.
  Result<int> Sweep();
  // Demo seed: a demo region policy and an insured demo patient (labelled demo).
  Status SeedDemo(std::int64_t patient_id, const std::string& region_code);

  PaymentProvider& provider() { return provider_; }
  const Clock& clock() const { return clock_; }

 private:
  struct Ctx;
  Result<Order> Load(store::Tx& tx, std::int64_t id);
  // Source::changed of the kind, after a commit that changed a bill of it.
  void SourceChanged(const std::string& kind, std::int64_t source_id) const;
  Result<Order> Authorized(store::Tx& tx, const Principal& actor, std::int64_t id);
  // The split by the rules (rules.cpp); `insured_no` gets the profile's person number when bound.
  Result<Split> SplitFor(store::Tx& tx, const Order& o, bool use_insurance, bool use_personal,
                         std::string* insured_no = nullptr);
  // SplitFor, agreed by the insurance platform (its pre-settlement) when anything is insured.
  Result<Split> AgreedSplit(store::Tx& tx, const Order& o, bool use_insurance, bool use_personal);
  Result<InsuranceClaim> ClaimFor(store::Tx& tx, const Order& o, const Split& s);
  Status Settle(store::Tx& tx, const Order& o, const Split& s, std::optional<std::int64_t> payment_id,
                std::int64_t now);
  // Records a refund and its ledger transaction; the cash part is completed at the provider later.
  Result<std::int64_t> RefundIn(store::Tx& tx, const Order& o, std::int64_t amount, const std::string& reason,
                                std::optional<std::int64_t> by, std::int64_t now);
  // Applies a verified "paid" from a notification or a query. `how` = applied | queried.
  Result<std::string> ApplyPaid(const ProviderPaid& paid, const std::string& how);
  Status CompleteCashRefunds();
  const Source* SourceOf(const std::string& kind) const;

  store::Database& db_;
  const Clock& clock_;
  accounts::AccountService& accounts_;
  PaymentProvider& provider_;
  Config config_;
  std::unique_ptr<InsuranceAdapter> own_insurance_;  // the DEMO adapter
  std::atomic<InsuranceAdapter*> insurance_;         // set while the sweeper may run: atomic
  InsuranceAdapter& insurance() const { return *insurance_.load(); }
  std::map<std::string, Source> sources_;
  std::int64_t paid_cursor_ = 0;
  std::mutex sweep_mu_;
};

}  // namespace ihos::domain::billing
