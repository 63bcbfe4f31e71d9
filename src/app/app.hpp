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
#include "domain/accounts/service.hpp"
#include "domain/directory/service.hpp"
#include "domain/triage/service.hpp"
#include "domain/scheduling/roller.hpp"
#include "domain/scheduling/service.hpp"
#include "domain/healthcode/service.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "core/events.hpp"       // live events (issue #4)
#include "http/ws_hub.hpp"       // WebSocket hub (issue #4)
#include "http/ws_registry.hpp"  // WebSocket methods and topics (issue #4)
#include "store/database.hpp"

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
  // Health code
  domain::healthcode::HealthCodeService& healthcode() { return *healthcode_; }
  // Live events and WebSocket (issue #4): publish on bus() after a commit; register WS methods
  // and topics in ws() before Start(); ws_hub() serves /api/v1/ws.
  events::Bus& bus() { return *bus_; }
  http::WsRegistry& ws() { return ws_; }
  http::WsHub& ws_hub() { return *ws_hub_; }

 private:
  App(Config config, const Clock& clock, std::unique_ptr<store::Database> db);
  void AddRoutes();  // routes.cpp: the one route table

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
  // Scheduling and booking (issue #3): the service, and the thread that rolls slots forward
  // (started in Start, stopped in Stop).
  std::unique_ptr<domain::scheduling::SchedulingService> scheduling_;
  std::unique_ptr<domain::scheduling::SlotRoller> slot_roller_;
  // Health code
  std::unique_ptr<domain::healthcode::HealthCodeService> healthcode_;
  // Live events and WebSocket (issue #4). bus_ exists from the start of the constructor (the
  // local bus, or PostgreSQL LISTEN/NOTIFY when --db is postgres so events cross nodes);
  // capabilities register in ws_ in AddRoutes/the constructor; ws_hub_ is made last.
  std::unique_ptr<events::Bus> bus_;
  http::WsRegistry ws_;
  std::unique_ptr<http::WsHub> ws_hub_;
};

int Cores();

}  // namespace ihos::app
