#pragma once
// HTTP handlers of billing: insurance profile, orders, pre-settlement, payment, receipts, the
// provider's notification and the demo provider's page, and the admin's prices, policies, refunds,
// reconciliation and ledger check. Routes are listed in src/app/routes_medicine.cpp (and docs/openapi.yaml).
#include "domain/billing/demo_provider.hpp"
#include "domain/billing/service.hpp"
#include "http/types.hpp"

namespace ihos::domain::billing::api {

http::Handler GetProfile(BillingService& svc);
http::Handler BindProfile(BillingService& svc);
http::Handler CreateOrder(BillingService& svc);
http::Handler Orders(BillingService& svc);
http::Handler GetOrder(BillingService& svc);
http::Handler PreSettle(BillingService& svc);
http::Handler Pay(BillingService& svc);
http::Handler Receipt(BillingService& svc);
http::Handler Notify(BillingService& svc);
http::Handler Items(BillingService& svc);
http::Handler UpdateItem(BillingService& svc);
http::Handler Policies(BillingService& svc);
http::Handler AddPolicy(BillingService& svc);
http::Handler Refund(BillingService& svc);
http::Handler Reconcile(BillingService& svc);
http::Handler LedgerCheck(BillingService& svc);
// The demo provider's page.
http::Handler DemoGet(DemoProvider& demo);
http::Handler DemoConfirm(DemoProvider& demo);
http::Handler DemoResend(DemoProvider& demo);

}  // namespace ihos::domain::billing::api
