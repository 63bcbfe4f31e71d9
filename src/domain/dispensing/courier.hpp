#pragma once
// Who carries delivery orders. The interface a delivery company's API sits behind; the in-house
// DEMO implementation lets the pharmacy's own staff with duty `courier` take orders from their
// page. README.md names what a real provider needs.
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "domain/dispensing/model.hpp"
#include "domain/pharmacy/service.hpp"
#include "store/database.hpp"

namespace ihos::domain::dispensing {

class CourierProvider {
 public:
  virtual ~CourierProvider() = default;
  virtual std::string Name() const = 0;
  virtual bool Demo() const = 0;
  // Whether `user_id` may carry the pharmacy's orders (take, pick up, deliver, report failure).
  virtual Result<bool> MayCarry(store::Tx& tx, std::int64_t pharmacy_id, std::int64_t user_id) = 0;
  // A delivery order was dispensed and waits for a courier. A company's adapter books a rider
  // here (its order id comes back through its status callbacks); in-house: nothing to do.
  virtual Status Dispatch(store::Tx& tx, const Order& order) = 0;
};

// DEMO: the pharmacy's own couriers (pharmacy staff with duty `courier`).
class InHouseCourier final : public CourierProvider {
 public:
  explicit InHouseCourier(pharmacy::PharmacyService& pharmacies) : pharmacies_(pharmacies) {}
  std::string Name() const override { return "in_house"; }
  bool Demo() const override { return true; }
  Result<bool> MayCarry(store::Tx& tx, std::int64_t pharmacy_id, std::int64_t user_id) override {
    auto duty = pharmacies_.StaffDuty(tx, user_id, pharmacy_id);
    if (!duty) return duty.error();
    return *duty && **duty == "courier";
  }
  Status Dispatch(store::Tx&, const Order&) override { return {}; }

 private:
  pharmacy::PharmacyService& pharmacies_;
};

}  // namespace ihos::domain::dispensing
