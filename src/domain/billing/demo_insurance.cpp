// The DEMO medical-insurance adapter (labelled demo everywhere): see insurance.hpp.
#include "domain/billing/insurance.hpp"

namespace ihos::domain::billing {

Result<InsuranceBinding> DemoInsurance::Bind(std::int64_t patient_id, const std::string& scheme,
                                             const std::string& region_code) {
  InsuranceBinding b;
  if (scheme == "self_pay") return b;
  b.insured_no = "DEMO-" + region_code + "-" + std::to_string(patient_id);
  // A demo personal account (个人账户) for employees (城镇职工), opened once by billing.
  if (scheme == "employee") b.opening_personal_fen = 50000;
  return b;
}

Result<Split> DemoInsurance::PreSettle(const InsuranceClaim&, const Split& local) { return local; }

Result<std::string> DemoInsurance::Settle(const InsuranceClaim& claim, const Split&) {
  return "DEMO-SETL-" + std::to_string(claim.order_id);
}

Status DemoInsurance::Cancel(const InsuranceClaim&, const std::string&, std::int64_t, std::int64_t) { return {}; }

}  // namespace ihos::domain::billing
