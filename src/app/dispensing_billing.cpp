// What billing charges for a drug order (source "drug_order"), asked of the dispensing service in
// billing's transaction. One line per drug at the pharmacy's price: item drug.A / drug.B /
// drug.none from the drug's NRDL reimbursement class (医保甲类 / 医保乙类 / not listed), insurable
// because a prescription order comes from an approved prescription; an OTC order's lines are all
// drug.none (self-pay: no prescription, no insurance settlement); a delivery order adds the
// delivery fee (item `delivery`, never insurable).
// An unpaid hold releases the reserved stock; a cancelled, rejected, expired or returned order is
// ended, so billing's sweeper refunds a paid one exactly once.
#include "app/app.hpp"
#include "domain/dispensing/rules.hpp"

namespace ihos::app {

using domain::billing::Line;
using domain::billing::Quote;

void App::RegisterDispensingBilling() {
  domain::billing::Source drug_order;
  drug_order.quote = [this](store::Tx& tx, std::int64_t id) -> Result<std::optional<Quote>> {
    auto o = dispensing_->ForBilling(tx, id);
    if (!o) return o.error();
    if (!*o) return std::optional<Quote>();
    Quote q;
    q.patient_id = (*o)->patient_id;
    q.title = "药品订单 · " + (*o)->pharmacy_name;
    q.hospital_grade = "ungraded";  // a retail pharmacy (定点零售药店) has no hospital grade
    q.free = (*o)->total_fen() == 0;
    q.ended = domain::dispensing::IsEnded((*o)->status);
    q.end_reason = domain::dispensing::EndReason((*o)->status, (*o)->reason);
    for (const auto& l : (*o)->lines) {
      Line b;
      b.item_code = l.item_code;
      b.name = l.name + (l.strength.empty() ? "" : " " + l.strength);
      b.unit_fen = l.unit_fen;
      b.quantity = static_cast<int>(l.quantity);
      q.lines.push_back(std::move(b));
    }
    if ((*o)->mode == "delivery" && (*o)->delivery_fee_fen > 0) {
      Line d;
      d.item_code = "delivery";
      d.name = "配送费";
      d.unit_fen = (*o)->delivery_fee_fen;
      q.lines.push_back(std::move(d));
    }
    return std::optional<Quote>(std::move(q));
  };
  drug_order.release = [this](store::Tx& tx, std::int64_t id, std::int64_t now) -> Status {
    return dispensing_->ReleaseUnpaid(tx, id, now);
  };
  // Paid, refunded or expired by billing: the order's followers are told (after billing's commit).
  drug_order.changed = [this](std::int64_t id) { dispensing_->Changed(id); };
  billing_->RegisterSource("drug_order", std::move(drug_order));
}

}  // namespace ihos::app
