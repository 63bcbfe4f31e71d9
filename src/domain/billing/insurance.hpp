#pragma once
// The medical-insurance platform (医保) behind one interface: binding a patient's insurance, the
// platform's pre-settlement, settlement and its cancellation. ihos computes the split itself
// (rules.cpp) and shows it; the adapter is where a real deployment asks the platform to agree and
// to move the fund's money. The DEMO adapter (demo_insurance.cpp) agrees with the local split and
// moves nothing outside ihos. README.md beside this file names what a real adapter (医保电子凭证,
// 国家医保信息平台 through the regional gateway) needs.
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "domain/billing/model.hpp"

namespace ihos::domain::billing {

// What the platform answers when a patient's insurance is bound.
struct InsuranceBinding {
  std::string insured_no;                 // 人员编号 (psn_no) at the platform
  std::int64_t opening_personal_fen = 0;  // a personal account (个人账户) to open once, 0: none
};

// One order as the platform sees it: who, where insured, what.
struct InsuranceClaim {
  std::int64_t order_id = 0;
  std::int64_t patient_id = 0;
  std::string insured_no;
  std::string scheme;
  std::string region_code;
  std::string hospital_grade;
};

class InsuranceAdapter {
 public:
  virtual ~InsuranceAdapter() = default;
  virtual std::string name() const = 0;  // stored on the profile (insurance_profiles.adapter)
  virtual bool demo() const = 0;

  // Binds the patient's insurance for `scheme` in `region_code` (统筹区). A real adapter verifies the
  // 医保电子凭证 (the code the patient shows in the national app) and answers the person number.
  // Errors: validation_failed; unavailable insurance_unavailable.
  virtual Result<InsuranceBinding> Bind(std::int64_t patient_id, const std::string& scheme,
                                        const std::string& region_code) = 0;
  // The platform's pre-settlement (预结算) of `local`, the split ihos computed. Answers the split the
  // platform agrees to (the demo: `local` itself). Nothing is committed. Errors: conflict
  // insurance_split_mismatch; unavailable insurance_unavailable.
  virtual Result<Split> PreSettle(const InsuranceClaim& claim, const Split& local) = 0;
  // Commits the settlement (结算) of the fund's and personal account's parts; answers the platform's
  // settlement number. Runs inside ihos's settlement transaction: an adapter that calls out must be
  // idempotent by order id (a retried transaction settles again with the same claim).
  virtual Result<std::string> Settle(const InsuranceClaim& claim, const Split& split) = 0;
  // Reverses (冲正 / 撤销结算) `fund_fen` and `personal_fen` of a settlement, exactly: a full or a
  // partial refund. Idempotent by `refund_ref` ("order:<order id>:refund:<n>", the order's n-th
  // refund): it runs inside ihos's refund transaction, and a retried transaction asks again with
  // the same reference.
  virtual Status Cancel(const InsuranceClaim& claim, const std::string& refund_ref, std::int64_t fund_fen,
                        std::int64_t personal_fen) = 0;
};

// The DEMO adapter (labelled demo): binds anyone, opens a demo personal account of ¥500 for
// employees (城镇职工), agrees with every local split, keeps no books of its own.
class DemoInsurance : public InsuranceAdapter {
 public:
  std::string name() const override { return "demo"; }
  bool demo() const override { return true; }
  Result<InsuranceBinding> Bind(std::int64_t patient_id, const std::string& scheme,
                                const std::string& region_code) override;
  Result<Split> PreSettle(const InsuranceClaim& claim, const Split& local) override;
  Result<std::string> Settle(const InsuranceClaim& claim, const Split& split) override;
  Status Cancel(const InsuranceClaim& claim, const std::string& refund_ref, std::int64_t fund_fen,
                std::int64_t personal_fen) override;
};

}  // namespace ihos::domain::billing
