// The route table, second part: the medicine pillar (ICD-10, drugs and e-prescriptions with
// pharmacist review, billing, pharmacies, drug orders, the chronic-medicine need registry). Called
// at the end of App::AddRoutes (routes.cpp); the same rules hold: every route states who may call
// it, and every route is documented in docs/openapi.yaml.
#include "app/app.hpp"
#include "domain/billing/api.hpp"
#include "domain/dispensing/api.hpp"
#include "domain/drugs/api.hpp"
#include "domain/icd10/api.hpp"
#include "domain/needs/api.hpp"
#include "domain/pharmacy/api.hpp"
#include "domain/prescriptions/api.hpp"

namespace ihos::app {
namespace {

using http::Access;
using http::Verb;

const std::vector<std::string> kAdmin = {"admin"};

}  // namespace

void App::AddMedicineRoutes() {
  auto& r = router_;
  // ICD-10 catalogue (src/domain/icd10): the diagnoses a doctor chooses from
  r.Add(Verb::get, "/api/v1/icd10", Access::SignedIn(), domain::icd10::api::Search(*db_),
        "Search the ICD-10 catalogue by Chinese name fragment or code prefix, best matches first");
  r.Add(Verb::get, "/api/v1/icd10/{code}", Access::SignedIn(), domain::icd10::api::Get(*db_), "One ICD-10 code");

  // Drug catalogue (src/domain/drugs) and e-prescriptions with pharmacist review (src/domain/prescriptions)
  {
    namespace dg = domain::drugs::api;
    namespace rx = domain::prescriptions::api;
    auto& ds = *drugs_;
    auto& ps = *prescriptions_;
    const std::vector<std::string> kDoctor = {"doctor"};
    const std::vector<std::string> kPharmacist = {"pharmacist"};
    const std::vector<std::string> kSigner = {"doctor", "pharmacist"};
    const std::vector<std::string> kVerifier = {"pharmacist", "pharmacy_staff", "doctor", "admin"};
    r.Add(Verb::get, "/api/v1/drugs", Access::SignedIn(), dg::Search(ds),
          "Find drugs by name fragment, pinyin initials (bfl) or category: the formulary (default) or the catalogue");
    r.Add(Verb::get, "/api/v1/formulary/{id}", Access::SignedIn(), dg::GetFormulary(ds), "One formulary line");
    r.Add(Verb::post, "/api/v1/admin/formulary", Access::Roles(kAdmin), dg::AddFormulary(ds),
          "Add a catalogue drug to the formulary with strength, package, price and insert limits (admin)");
    const std::vector<std::string> kOtcReviser = {"pharmacist", "admin"};
    r.Add(Verb::get, "/api/v1/otc/drugs", Access::SignedIn(), dg::SearchOtc(ds),
          "Formulary lines a pharmacist marked OTC (甲类/乙类), with the reference and per-order limit");
    r.Add(Verb::get, "/api/v1/formulary/{id}/otc", Access::Roles(kOtcReviser), dg::OtcHistory(ds),
          "A formulary line's OTC marks and revocations, newest first (pharmacist, admin)");
    r.Add(Verb::post, "/api/v1/formulary/{id}/otc", Access::Roles(kPharmacist), dg::MarkOtc(ds),
          "Mark a formulary line OTC 甲类/乙类 with the NMPA reference (pharmacist; audited)");
    r.Add(Verb::post, "/api/v1/formulary/{id}/otc/revoke", Access::Roles(kOtcReviser), dg::RevokeOtc(ds),
          "Revoke a formulary line's OTC mark with a reason (pharmacist, admin; audited)");
    r.Add(Verb::get, "/api/v1/patients/{id}/allergies", Access::SignedIn(), rx::Allergies(ps),
          "A patient's recorded drug and drug-class allergies (self or guardian)");
    r.Add(Verb::post, "/api/v1/patients/{id}/allergies", Access::SignedIn(), rx::AddAllergy(ps),
          "Record an allergy to a drug or a drug class (self or guardian)");
    r.Add(Verb::delete_, "/api/v1/patients/{id}/allergies/{allergy_id}", Access::SignedIn(), rx::RemoveAllergy(ps),
          "Mark an allergy removed (kept in the record)");
    r.Add(Verb::get, "/api/v1/consultations/{id}/allergies", Access::Roles(kDoctor), rx::ConsultationAllergies(ps),
          "The patient's allergies, for the treating doctor (audited)");
    r.Add(Verb::post, "/api/v1/consultations/{id}/allergies", Access::Roles(kDoctor), rx::RecordAllergy(ps),
          "Record an allergy from the questionnaire, confirmed by the treating doctor");
    r.Add(Verb::post, "/api/v1/consultations/{id}/allergies/{allergy_id}/confirm", Access::Roles(kDoctor),
          rx::ConfirmAllergy(ps), "Confirm an allergy the patient or guardian recorded (treating doctor)");
    r.Add(Verb::post, "/api/v1/me/signing-pin", Access::Roles(kSigner), rx::SetPin(ps),
          "Set or change my signing PIN: a new Ed25519 key sealed by it (doctor, pharmacist)");
    r.Add(Verb::get, "/api/v1/prescriptions/keys", Access::Anyone(), rx::Keys(ps),
          "Published prescription signing keys, for offline verification");
    r.Add(Verb::post, "/api/v1/prescriptions/check", Access::Roles(kDoctor), rx::Check(ps),
          "Every rule hit of a draft prescription (the treating doctor; nothing stored)");
    r.Add(Verb::post, "/api/v1/prescriptions", Access::Roles(kDoctor), rx::Create(ps),
          "Sign a prescription with the PIN: checked again, then pending pharmacist review");
    r.Add(Verb::get, "/api/v1/prescriptions/{id}", Access::SignedIn(), rx::Get(ps),
          "A prescription (patient, guardian, its doctor, a pharmacist of the hospital; audited for staff)");
    r.Add(Verb::post, "/api/v1/prescriptions/{id}/cancel", Access::Roles(kDoctor), rx::Cancel(ps),
          "Cancel my prescription before it is dispensed (doctor)");
    r.Add(Verb::get, "/api/v1/consultations/{id}/prescriptions", Access::SignedIn(), rx::OfConsultation(ps),
          "The prescriptions of a consultation, every version");
    r.Add(Verb::get, "/api/v1/me/prescriptions", Access::SignedIn(), rx::Mine(ps),
          "My (or a ward's) prescriptions with their status");
    r.Add(Verb::get, "/api/v1/pharmacist/queue", Access::Roles(kPharmacist), rx::Queue(ps),
          "Prescriptions waiting for review in my hospital, oldest first (pharmacist)");
    r.Add(Verb::get, "/api/v1/pharmacist/prescriptions/{id}", Access::Roles(kPharmacist), rx::ForReview(ps),
          "A prescription side by side with the patient's allergies, active prescriptions, record and rule hits");
    r.Add(Verb::post, "/api/v1/pharmacist/prescriptions/{id}/review", Access::Roles(kPharmacist), rx::Review(ps),
          "Approve (signed with the PIN) or reject with a reason (pharmacist)");
    r.Add(Verb::get, "/api/v1/pharmacist/stats", Access::Roles(kPharmacist), rx::Stats(ps),
          "My review count, median review time and intervention rate (pharmacist)");
    r.Add(Verb::post, "/api/v1/admin/pharmacists", Access::Roles(kAdmin), rx::AddPharmacist(ps),
          "Register a pharmacist of a hospital (admin)");
    r.Add(Verb::post, "/api/v1/prescriptions/verify", Access::Roles(kVerifier), rx::Verify(ps),
          "Verify a prescription QR: both signatures and the current status");
  }

  // Billing: insurance, orders, payment, refunds, receipts; the DEMO provider's page
  {
    namespace bill = domain::billing::api;
    auto& b = *billing_;
    auto& demo = *demo_pay_;
    r.Add(Verb::get, "/api/v1/billing/profile", Access::SignedIn(), bill::GetProfile(b),
          "My (or a ward's) medical-insurance profile and demo personal-account balance");
    r.Add(Verb::put, "/api/v1/billing/profile", Access::SignedIn(), bill::BindProfile(b),
          "Bind a medical-insurance profile through the demo adapter (scheme, insured region)");
    r.Add(Verb::post, "/api/v1/billing/orders", Access::SignedIn(), bill::CreateOrder(b),
          "The order of a priced consultation or appointment (made once; Idempotency-Key)");
    r.Add(Verb::get, "/api/v1/billing/orders", Access::SignedIn(), bill::Orders(b), "My and my wards' bills");
    r.Add(Verb::get, "/api/v1/billing/orders/{id}", Access::SignedIn(), bill::GetOrder(b),
          "A bill with its split, payment, refunds and receipt number");
    r.Add(Verb::post, "/api/v1/billing/orders/{id}/presettle", Access::SignedIn(), bill::PreSettle(b),
          "Insurance pre-settlement: fund, personal account and cash per line, nothing stored");
    r.Add(Verb::post, "/api/v1/billing/orders/{id}/pay", Access::SignedIn(), bill::Pay(b),
          "Pay: settles at once when nothing is due in cash, else a provider payment (Idempotency-Key)");
    r.Add(Verb::get, "/api/v1/billing/orders/{id}/receipt", Access::SignedIn(), bill::Receipt(b),
          "The electronic receipt (电子票据) of a settled bill");
    r.Add(Verb::post, "/api/v1/billing/notify/demo", Access::Anyone(), bill::Notify(b),
          "Payment notification from the DEMO provider (HMAC-SHA256 signed)");
    r.Add(Verb::get, "/api/v1/billing/items", Access::Roles(kAdmin), bill::Items(b),
          "Billing items and their insurance class (admin)");
    r.Add(Verb::put, "/api/v1/billing/items/{code}", Access::Roles(kAdmin), bill::UpdateItem(b),
          "Set an item's insurance class (admin)");
    r.Add(Verb::get, "/api/v1/billing/policies", Access::Roles(kAdmin), bill::Policies(b),
          "Insurance policies: the latest of each region and scheme, or one's history (admin)");
    r.Add(Verb::post, "/api/v1/billing/policies", Access::Roles(kAdmin), bill::AddPolicy(b),
          "A new version of a region's insurance policy (admin)");
    r.Add(Verb::post, "/api/v1/billing/orders/{id}/refunds", Access::Roles(kAdmin), bill::Refund(b),
          "Refund a paid bill in full or in part (admin; Idempotency-Key)");
    r.Add(Verb::get, "/api/v1/billing/reconciliation", Access::Roles(kAdmin), bill::Reconcile(b),
          "Daily reconciliation statement of a region against the ledger (admin)");
    r.Add(Verb::get, "/api/v1/billing/ledger/check", Access::Roles(kAdmin), bill::LedgerCheck(b),
          "Ledger balance check: unbalanced transactions and account balances (admin)");
    r.Add(Verb::get, "/api/v1/demo-pay/{out_trade_no}", Access::SignedIn(), bill::DemoGet(demo),
          "DEMO payment provider: the payment the payer is asked to confirm");
    r.Add(Verb::post, "/api/v1/demo-pay/{out_trade_no}/confirm", Access::SignedIn(), bill::DemoConfirm(demo),
          "DEMO payment provider: the payer confirms; the notification follows asynchronously");
    r.Add(Verb::post, "/api/v1/demo-pay/{out_trade_no}/resend", Access::SignedIn(), bill::DemoResend(demo),
          "DEMO payment provider: send the notification again (sandbox)");
  }

  // Pharmacies: nearby search, the pharmacy console (stock ledger), staff onboarding
  {
    namespace ph = domain::pharmacy::api;
    auto& p = *pharmacy_;
    const std::vector<std::string> kStaff = {"pharmacy_staff"};
    const std::vector<std::string> kStaffOrAdmin = {"pharmacy_staff", "admin"};
    r.Add(Verb::get, "/api/v1/pharmacies/nearby", Access::Anyone(), ph::Nearby(p),
          "Pharmacies near a point: open now, within the radius, with the basket in stock, by distance");
    r.Add(Verb::get, "/api/v1/pharmacies/{id}", Access::Anyone(), ph::Get(p), "A pharmacy: hours, status, delivery");
    r.Add(Verb::get, "/api/v1/pharmacy/mine", Access::Roles(kStaff), ph::Mine(p), "The pharmacies I work at");
    r.Add(Verb::put, "/api/v1/pharmacies/{id}/settings", Access::Roles(kStaff), ph::UpdateSettings(p),
          "Hours, status with a note, delivery and pickup counter (the pharmacy's manager)");
    r.Add(Verb::get, "/api/v1/pharmacies/{id}/stock", Access::Roles(kStaffOrAdmin), ph::Stock(p),
          "Stock: on hand, reserved and available per item, with batches and expiry");
    r.Add(Verb::post, "/api/v1/pharmacies/{id}/stock/receipts", Access::Roles(kStaff), ph::Receive(p),
          "Receive a batch (batch number, expiry date, quantity)");
    r.Add(Verb::post, "/api/v1/pharmacies/{id}/stock/adjustments", Access::Roles(kStaff), ph::Adjust(p),
          "Adjust a batch up or down, with a reason");
    r.Add(Verb::get, "/api/v1/pharmacies/{id}/stock/{item}/moves", Access::Roles(kStaffOrAdmin), ph::Moves(p),
          "The stock moves of an item, newest first");
    r.Add(Verb::put, "/api/v1/pharmacies/{id}/prices/{item}", Access::Roles(kStaff), ph::SetPrice(p),
          "Set the pharmacy's price of an item (the pharmacy's manager)");
    r.Add(Verb::post, "/api/v1/pharmacy-applications", Access::SignedIn(), ph::Apply(p),
          "Apply to join a pharmacy, or to register a new one with its licence");
    r.Add(Verb::get, "/api/v1/pharmacy-applications", Access::SignedIn(), ph::MyApplications(p),
          "My pharmacy staff applications");
    r.Add(Verb::get, "/api/v1/admin/pharmacy-applications", Access::Roles(kAdmin), ph::Applications(p),
          "Pharmacy staff applications to review (admin)");
    r.Add(Verb::post, "/api/v1/admin/pharmacy-applications/{id}/approve", Access::Roles(kAdmin), ph::Approve(p),
          "Approve: the pharmacy_staff role and the staff row (admin)");
    r.Add(Verb::post, "/api/v1/admin/pharmacy-applications/{id}/reject", Access::Roles(kAdmin), ph::Reject(p),
          "Reject with a reason (admin)");
    r.Add(Verb::get, "/api/v1/admin/pharmacy-stock/check", Access::Roles(kAdmin), ph::CheckLevels(p),
          "Recompute stock levels from the moves and report any difference (admin)");
    r.Add(Verb::post, "/api/v1/admin/pharmacy-stock/expire", Access::Roles(kAdmin), ph::ExpireDue(p),
          "Write off the stock of batches past their expiry date (admin)");
  }

  // Drug orders (src/domain/dispensing): the patient, the pharmacy's staff (checked per pharmacy by
  // the service: StaffDuty), couriers (CourierProvider), the public pickup-code keys
  {
    namespace dsp = domain::dispensing::api;
    auto& d = *dispensing_;
    r.Add(Verb::get, "/api/v1/drug-orderable/{prescription_id}", Access::SignedIn(), dsp::Orderable(d),
          "What of my (or a ward's) prescription can be ordered: prescribed, ordered, dispensed per line");
    r.Add(Verb::post, "/api/v1/drug-orders", Access::SignedIn(), dsp::Place(d),
          "Order an approved prescription's drugs at a pharmacy (delivery or pickup); reserves stock");
    r.Add(Verb::post, "/api/v1/otc-orders", Access::SignedIn(), dsp::PlaceOtc(d),
          "Order OTC drugs without a prescription at a pharmacy (delivery or pickup; self-pay); reserves stock");
    r.Add(Verb::get, "/api/v1/me/drug-orders", Access::SignedIn(), dsp::Mine(d), "My and my wards' drug orders");
    r.Add(Verb::get, "/api/v1/drug-orders/{id}", Access::SignedIn(), dsp::Get(d),
          "A drug order with its timeline (patient, guardian, its pharmacy's staff, its courier)");
    r.Add(Verb::post, "/api/v1/drug-orders/{id}/cancel", Access::SignedIn(), dsp::Cancel(d),
          "Cancel a drug order before dispensing (patient or guardian)");
    r.Add(Verb::get, "/api/v1/drug-orders/{id}/pickup-code", Access::SignedIn(), dsp::PickupCode(d),
          "The signed pickup code of a pickup order, with its QR");
    r.Add(Verb::get, "/api/v1/pickup-keys", Access::Anyone(), dsp::PickupKeys(d),
          "Public keys (Ed25519) that verify pickup codes offline");
    r.Add(Verb::get, "/api/v1/me/pharmacy-staff", Access::SignedIn(), dsp::MyPharmacies(d),
          "The pharmacies I am staff of");
    r.Add(Verb::get, "/api/v1/pharmacy-orders/{pharmacy_id}", Access::SignedIn(), dsp::Queue(d),
          "A pharmacy's drug orders (its staff)");
    r.Add(Verb::post, "/api/v1/pharmacy-orders/{pharmacy_id}/pickup-scans", Access::SignedIn(), dsp::ScanPickup(d),
          "Scan a pickup code at the pharmacy's counter (its staff)");
    r.Add(Verb::post, "/api/v1/drug-orders/{id}/accept", Access::SignedIn(), dsp::Accept(d),
          "Accept a paid drug order (its pharmacy's staff)");
    r.Add(Verb::post, "/api/v1/drug-orders/{id}/reject", Access::SignedIn(), dsp::Reject(d),
          "Reject a drug order with a reason (its pharmacy's staff)");
    r.Add(Verb::post, "/api/v1/drug-orders/{id}/dispense", Access::SignedIn(), dsp::Dispense(d),
          "Dispense a drug order from stock, optionally the boxes scanned (its pharmacy's staff)");
    r.Add(Verb::post, "/api/v1/drug-orders/{id}/batch-check", Access::SignedIn(), dsp::BatchCheck(d),
          "Check scanned batch or trace codes against the stock ledger before dispensing (its pharmacy's staff)");
    r.Add(Verb::post, "/api/v1/drug-orders/{id}/redeliver", Access::SignedIn(), dsp::Redeliver(d),
          "Send a failed delivery out again (its pharmacy's staff)");
    r.Add(Verb::post, "/api/v1/drug-orders/{id}/take-back", Access::SignedIn(), dsp::TakeBack(d),
          "Take a failed delivery back into stock (its pharmacy's staff)");
    r.Add(Verb::get, "/api/v1/me/courier/drug-orders", Access::SignedIn(), dsp::CourierBoard(d),
          "Delivery orders waiting at my pharmacies and mine (courier)");
    r.Add(Verb::post, "/api/v1/drug-orders/{id}/courier", Access::SignedIn(), dsp::CourierMove(d),
          "Courier timeline: assigned, picked up, delivered or failed with a reason");
  }

  // Chronic-medicine need registry (慢病用药需求登记), pharmacies' answers, the shortage map.
  // The literal paths come before /needs/{id}.
  {
    namespace nd = domain::needs::api;
    auto& n = *needs_;
    const std::vector<std::string> kPharmacyStaff = {"pharmacy_staff"};
    const std::vector<std::string> kOversight = {"health_authority", "admin"};
    r.Add(Verb::post, "/api/v1/needs", Access::SignedIn(), nd::Register(n),
          "Register a medicine need (patient, guardian; a community worker for a patient, pending consent)");
    r.Add(Verb::get, "/api/v1/needs", Access::SignedIn(), nd::List(n),
          "My and my wards' needs (as=patient), or those I registered as a community worker (as=worker)");
    r.Add(Verb::get, "/api/v1/needs/consents", Access::SignedIn(), nd::AwaitingConsent(n),
          "Community workers' registrations waiting for my consent (by my account's phone)");
    r.Add(Verb::get, "/api/v1/needs/nearby", Access::Roles(kPharmacyStaff), nd::Nearby(n),
          "Open needs around my pharmacy, urgent and nearest first (pharmacy staff)");
    r.Add(Verb::get, "/api/v1/needs/shortage", Access::Roles(kOversight), nd::Shortage(n),
          "Shortage map: unmet needs by region and drug (health authority, admin)");
    r.Add(Verb::get, "/api/v1/needs/workers", Access::Roles(kOversight), nd::Workers(n),
          "Community workers (health authority, admin)");
    r.Add(Verb::post, "/api/v1/needs/workers", Access::Roles(kOversight), nd::RegisterWorker(n),
          "Register or update a community worker by their account's phone (health authority, admin)");
    r.Add(Verb::get, "/api/v1/needs/worker-me", Access::SignedIn(), nd::MyWorker(n),
          "My community-worker record, or null");
    r.Add(Verb::get, "/api/v1/needs/{id}", Access::SignedIn(), nd::Get(n),
          "A need with its consent, matched pharmacies and answers (the patient side)");
    r.Add(Verb::post, "/api/v1/needs/{id}/consent", Access::SignedIn(), nd::Consent(n),
          "Consent to a worker's registration: the worker enters the SMS code, or the patient confirms in the app");
    r.Add(Verb::post, "/api/v1/needs/{id}/consent-code", Access::SignedIn(), nd::ResendCode(n),
          "Send the consent code to the patient's phone again (the registering worker)");
    r.Add(Verb::post, "/api/v1/needs/{id}/status", Access::SignedIn(), nd::Finish(n),
          "Mark a need fulfilled, closed or cancelled (the patient side); releases its reservations");
    r.Add(Verb::post, "/api/v1/needs/{id}/consultation", Access::SignedIn(), nd::LinkConsultation(n),
          "Start (or link) the follow-up consultation for a need that needs a new prescription");
    r.Add(Verb::post, "/api/v1/needs/{id}/answers", Access::Roles(kPharmacyStaff), nd::Answer(n),
          "A pharmacy answers a need: can supply, or reserved for some days (pharmacy staff)");
  }
}

}  // namespace ihos::app
