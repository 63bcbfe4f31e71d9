#pragma once
// The composition root: opens the database, applies migrations, builds the services and the
// route table, and runs the server until Stop() (or SIGTERM/SIGINT in Run()).
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <thread>
#include <vector>

#include "app/config.hpp"
#include "core/clock.hpp"
#include "core/events.hpp"
#include "core/periodic.hpp"
#include "domain/accounts/service.hpp"
#include "domain/billing/demo_provider.hpp"
#include "domain/billing/service.hpp"
#include "domain/consultation/service.hpp"
#include "domain/directory/service.hpp"
#include "domain/healthcode/service.hpp"
#include "domain/notifications/service.hpp"
#include "domain/scheduling/service.hpp"
#include "domain/triage/service.hpp"
#include "http/ws_registry.hpp"
// Tests and home services
#include "domain/drugs/service.hpp"
#include "domain/homecare/service.hpp"
#include "domain/nattest/service.hpp"
#include "domain/needs/service.hpp"  // chronic-medicine need registry
#include "domain/pharmacy/service.hpp"  // pharmacies, stock, nearby search
#include "domain/prescriptions/service.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/ws_hub.hpp"  // WebSocket hub
#include "store/database.hpp"
// Drug orders (dispensing)
#include "domain/dispensing/service.hpp"

namespace ihos::app {

class App {
 public:
  // Opens and migrates the database. Errors: those of store::Open / Migrate.
  static Result<std::unique_ptr<App>> Create(Config config, const Clock& clock);
  ~App();

  // Listens and starts the I/O threads; returns the bound port. Throws on bind failure.
  unsigned short Start();
  // Graceful stop: no new connections, in-flight requests finish (up to the grace period).
  // Blocks until every thread has ended. Idempotent.
  void Stop();
  // Start, then wait for SIGTERM or SIGINT, then Stop. Returns the process exit code.
  int Run();

  store::Database& db() { return *db_; }
  http::Router& router() { return router_; }
  http::Server& server() { return *server_; }
  domain::accounts::AccountService& accounts() { return *accounts_; }
  domain::directory::DirectoryService& directory() { return *directory_; }
  // triage (AI self-check)
  domain::triage::TriageService& triage() { return *triage_; }
  domain::scheduling::SchedulingService& scheduling() { return *scheduling_; }
  domain::notifications::NotificationService& notifications() { return *notifications_; }
  // Health code
  domain::healthcode::HealthCodeService& healthcode() { return *healthcode_; }
  // Online consultation: live events (one bus per node; cross-node with
  // PostgreSQL), what is offered over the WebSocket, the service.
  events::Bus& bus() { return *bus_; }
  http::WsRegistry& ws() { return ws_; }
  domain::consultation::ConsultationService& consultation() { return *consultation_; }
  // Tests and home services
  domain::nattest::NatTestService& nattest() { return *nattest_; }
  domain::homecare::HomeCareService& homecare() { return *homecare_; }
  // Drug catalogue and e-prescriptions with pharmacist review
  domain::drugs::DrugService& drugs() { return *drugs_; }
  domain::prescriptions::PrescriptionService& prescriptions() { return *prescriptions_; }
  // Billing and the DEMO payment provider
  domain::billing::BillingService& billing() { return *billing_; }
  domain::billing::DemoProvider& demo_pay() { return *demo_pay_; }
  // Pharmacies, staff, the stock ledger, nearby search
  domain::pharmacy::PharmacyService& pharmacy() { return *pharmacy_; }
  // WebSocket hub (/api/v1/ws)
  http::WsHub& ws_hub() { return *ws_hub_; }
  // Chronic-medicine need registry (慢病用药需求登记) and the shortage map
  domain::needs::NeedService& needs() { return *needs_; }

 private:
  App(Config config, const Clock& clock, std::unique_ptr<store::Database> db);
  void AddRoutes();               // routes.cpp: the route table (calls AddMedicineRoutes)
  void AddMedicineRoutes();       // routes_medicine.cpp: its medicine part
  void RegisterBillingSources();  // billing_sources.cpp: what billing charges for

  Config config_;
  const Clock& clock_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<domain::accounts::AccountService> accounts_;
  std::unique_ptr<domain::directory::DirectoryService> directory_;
  // triage (AI self-check)
  std::unique_ptr<domain::triage::TriageService> triage_;
  boost::asio::io_context ioc_;
  boost::asio::thread_pool workers_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::vector<std::thread> io_threads_;
  bool stopped_ = false;
  // Scheduling and booking: the service, and the thread that rolls slots forward
  // (started in Start, stopped in Stop).
  std::unique_ptr<domain::scheduling::SchedulingService> scheduling_;
  std::unique_ptr<domain::notifications::NotificationService> notifications_;
  std::unique_ptr<PeriodicTask> slot_roller_;
  // Health code
  std::unique_ptr<domain::healthcode::HealthCodeService> healthcode_;
  // Online consultation; the sweeper closes silent consultations (Start/Stop).
  std::unique_ptr<events::Bus> bus_;
  http::WsRegistry ws_;
  std::unique_ptr<domain::consultation::ConsultationService> consultation_;
  std::unique_ptr<PeriodicTask> consultation_sweeper_;
  std::unique_ptr<PeriodicTask> memory_trimmer_;
  // Tests and home services
  std::unique_ptr<domain::nattest::NatTestService> nattest_;
  std::unique_ptr<domain::homecare::HomeCareService> homecare_;
  // Drug catalogue and e-prescriptions; the sweeper expires prescriptions past their validity.
  std::unique_ptr<domain::drugs::DrugService> drugs_;
  std::unique_ptr<domain::prescriptions::PrescriptionService> prescriptions_;
  std::unique_ptr<PeriodicTask> prescription_sweeper_;
  // Billing: the DEMO provider keeps real time (it plays an outside service); the sweeper delivers
  // its notifications, expires holds, queries lost payments and completes refunds.
  SystemClock provider_clock_;
  std::unique_ptr<domain::billing::DemoProvider> demo_pay_;
  std::unique_ptr<domain::billing::BillingService> billing_;
  std::unique_ptr<PeriodicTask> billing_sweeper_;
  // Pharmacies, staff, the stock ledger, nearby search
  std::unique_ptr<domain::pharmacy::PharmacyService> pharmacy_;
  // WebSocket hub: made at the end of the constructor, after AddRoutes (where
  // capabilities register in ws_). bus_ above is made in the constructor's initializer list:
  // the local bus, or PostgreSQL LISTEN/NOTIFY when --db is postgres so events cross nodes.
  std::unique_ptr<http::WsHub> ws_hub_;

  // --- drug orders (src/domain/dispensing): the service, the DEMO in-house courier, the billing
  // source "drug_order" (dispensing_billing.cpp), the sweeper for orders never billed ---
 public:
  domain::dispensing::DispensingService& dispensing() { return *dispensing_; }

 private:
  void RegisterDispensingBilling();  // dispensing_billing.cpp
  std::unique_ptr<domain::dispensing::InHouseCourier> courier_;
  std::unique_ptr<domain::dispensing::DispensingService> dispensing_;
  std::unique_ptr<PeriodicTask> dispensing_sweeper_;
  // Chronic-medicine need registry: the sweeper matches open needs again, releases lapsed
  // reservations and lapses old needs (Start/Stop).
  std::unique_ptr<domain::needs::NeedService> needs_;
  std::unique_ptr<PeriodicTask> needs_sweeper_;
};

int Cores();

}  // namespace ihos::app
