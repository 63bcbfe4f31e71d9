#include "app/app.hpp"

#include <boost/asio.hpp>
#include <fstream>

#include "core/crypto.hpp"
#include "core/log.hpp"
#include "core/memory.hpp"
#include "domain/consultation/api.hpp"
#include "domain/dispensing/api.hpp"
#include "domain/scheduling/hooks.hpp"
#include "http/tls.hpp"
#include "store/postgres/pg_bus.hpp"  // live events across nodes

namespace ihos::app {
namespace asio = boost::asio;

int Cores() { return std::max(1u, std::thread::hardware_concurrency()); }

namespace {
// Many more workers than cores: on SQLite a writer waits on its worker for the group fsync that
// makes its commit durable (store/sqlite/wal_sync.hpp), and the more writers wait together, the
// more commits one fsync serves (measured with bench/ws_bench: 64 workers carry 5,000 chat
// messages/s with a 41 ms delivery p99 on 2 cores). Password hashing is limited to one per core.
int Workers(const Config& c) { return c.workers > 0 ? c.workers : std::max(64, 16 * Cores()); }
// Connections: a writer gives its connection back before it waits for the fsync, so fewer
// connections than workers serve; PostgreSQL's own limit (100 by default) is shared by every node.
int DbPool(const Config& c) { return c.db_pool > 0 ? c.db_pool : std::min(Workers(c), std::max(16, 4 * Cores())); }

// Live events: across nodes through PostgreSQL when the database is PostgreSQL.
std::unique_ptr<events::Bus> MakeBus(const std::string& db) {
  if (db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0) return store::postgres::MakePgBus(db);
  return events::MakeLocalBus();
}
}  // namespace

Result<std::unique_ptr<App>> App::Create(Config config, const Clock& clock) {
  crypto::SodiumInit();
  memory::KeepFreedMemory();  // before any worker thread allocates
  const int pool = DbPool(config);
  auto db = store::Open(config.db, pool);
  if (!db) return db.error();
  auto applied = store::Migrate(**db);
  if (!applied) return applied.error();
  for (const auto& m : *applied) log::Info("migration applied", {{"name", m}});
  auto app = std::unique_ptr<App>(new App(std::move(config), clock, std::move(*db)));
  // Health code: issuer keys (generated on first start, sealed with the KEK) and default rules.
  if (auto st = app->healthcode_->Init(); !st) return st.error();
  return app;
}

App::App(Config config, const Clock& clock, std::unique_ptr<store::Database> db)
    : config_(std::move(config)),
      clock_(clock),
      db_(std::move(db)),
      ioc_(config_.io_threads > 0 ? config_.io_threads : Cores()),
      workers_(Workers(config_)),
      bus_(MakeBus(config_.db)) {
  domain::accounts::Config ac;
  ac.password_profile = config_.password_profile;
  ac.session_ttl_ms = static_cast<std::int64_t>(config_.session_ttl_hours) * 3600 * 1000;
  ac.session_cache_ms = config_.session_cache_ms;  // session cache (health code speed)
  ac.session_cache_entries = static_cast<std::size_t>(config_.session_cache_entries);
  ac.register_needs_sms_code = config_.register_sms_code != "off";
  ac.sms_sender = config_.sms_sender;
  ac.sms.sends_per_address = config_.sms_sends_per_address;
  ac.sms.sends_per_phone = config_.sms_sends_per_phone;
  accounts_ = std::make_unique<domain::accounts::AccountService>(*db_, clock_, ac);
  directory_ =
      std::make_unique<domain::directory::DirectoryService>(*db_, clock_, *accounts_, domain::directory::Config{});
  // Approving a doctor grants the role: the doctor's cached sessions are dropped after the commit.
  directory_->SetRolesChangedHook([this](std::int64_t user_id) { accounts_->SessionsChanged(user_id); });
  // triage (AI self-check)
  domain::triage::Config tc;
  tc.model_path = config_.triage_model;
  tc.rate_limit = config_.triage_rate_limit;
  triage_ = std::make_unique<domain::triage::TriageService>(*directory_, clock_, tc);
  // Scheduling and booking
  domain::scheduling::Config sc;
  sc.horizon_days = config_.slot_horizon_days;
  sc.cancel_cutoff_ms = static_cast<std::int64_t>(config_.cancel_cutoff_minutes) * 60 * 1000;
  scheduling_ = std::make_unique<domain::scheduling::SchedulingService>(*db_, clock_, *accounts_, sc);
  notifications_ = std::make_unique<domain::notifications::NotificationService>(*db_, clock_);
  // An admin's suspension cancels the doctor's future bookings in the same transaction;
  // reinstatement reopens the slots the schedule still plans.
  directory_->SetSuspensionHooks(
      [this](store::Tx& tx, std::int64_t id, std::int64_t now) -> Result<int> {
        auto n = domain::scheduling::CancelFutureAppointments(tx, id, "practitioner_suspended", now);
        if (!n) return n;
        // A suspended doctor stops practising at once: their open consultations end with a notice.
        auto ended = consultation_->EndForSuspension(tx, id, now);
        if (!ended) return ended.error();
        return *n + *ended;
      },
      [](store::Tx& tx, std::int64_t id, std::int64_t now) {
        return domain::scheduling::ReopenFutureSlots(tx, id, now);
      });

  // Health code
  domain::healthcode::Config hc;
  hc.card_minutes = config_.healthcode_card_minutes;
  if (!config_.healthcode_kek.empty())
    hc.kek = config_.healthcode_kek;
  else
    log::Warn("health-code keys sealed with the dev-only KEK; set --healthcode-kek / IHOS_HEALTHCODE_KEK", {});
  hc.issuer = config_.healthcode_issuer;
  hc.exposure_window_minutes = config_.healthcode_exposure_window_minutes;
  healthcode_ = std::make_unique<domain::healthcode::HealthCodeService>(*db_, clock_, hc);
  // Tests and home services
  nattest_ = std::make_unique<domain::nattest::NatTestService>(*db_, clock_, *accounts_, *healthcode_);
  homecare_ = std::make_unique<domain::homecare::HomeCareService>(*db_, clock_, *accounts_);

  // Online consultation
  // bus_ is made in the initializer list (MakeBus: PostgreSQL LISTEN/NOTIFY when --db is postgres).
  domain::consultation::Config cc;
  cc.inactivity_close_ms = static_cast<std::int64_t>(config_.consultation_idle_close_minutes) * 60 * 1000;
  if (config_.pay_first)
    cc.paid = [this](store::Tx& tx, std::int64_t id) { return billing_->IsPaid(tx, "consultation", id); };
  consultation_ = std::make_unique<domain::consultation::ConsultationService>(*db_, clock_, *bus_, *accounts_,
                                                                              *directory_, *scheduling_, cc);
  domain::consultation::api::RegisterWs(ws_, *consultation_);

  // Drug catalogue and e-prescriptions (the signing PIN costs what a password costs).
  drugs_ = std::make_unique<domain::drugs::DrugService>(*db_, clock_);
  domain::prescriptions::Config rc;
  rc.pin_profile = config_.password_profile;
  prescriptions_ = std::make_unique<domain::prescriptions::PrescriptionService>(*db_, clock_, *drugs_, *consultation_,
                                                                                *directory_, *accounts_, rc);

  // Billing: what is charged comes from the capabilities that price it.
  domain::billing::DemoConfig dc;
  dc.secret = config_.demo_pay_secret;
  demo_pay_ = std::make_unique<domain::billing::DemoProvider>(*db_, provider_clock_, dc);
  domain::billing::Config bc;
  bc.hold_ms = static_cast<std::int64_t>(config_.payment_hold_minutes) * 60 * 1000;
  billing_ = std::make_unique<domain::billing::BillingService>(*db_, clock_, *accounts_, *demo_pay_, bc);
  RegisterBillingSources();
  // Pharmacies, staff, the stock ledger, nearby search (the account service grants pharmacy_staff)
  pharmacy_ = std::make_unique<domain::pharmacy::PharmacyService>(*db_, clock_, *accounts_);
  // Chronic-medicine need registry: matches needs to pharmacies with stock (pharmacy's service).
  domain::needs::Config nc;
  nc.match_radii_m = config_.need_match_radii_m;
  nc.default_reserve_days = config_.need_reserve_days;
  nc.max_reserve_days = config_.need_reserve_days_max;
  needs_ =
      std::make_unique<domain::needs::NeedService>(*db_, clock_, *accounts_, *drugs_, *pharmacy_, *consultation_, nc);

  // Drug orders: dispensing asks pharmacy (stock), prescriptions, drugs and billing (paid? open the
  // bill); billing charges them through the "drug_order" source. The sweeper expires orders never
  // billed (a crash between placing and billing); billing's hold expires the others.
  courier_ = std::make_unique<domain::dispensing::InHouseCourier>(*pharmacy_);
  domain::dispensing::BillingHooks dh;
  dh.paid = [this](store::Tx& tx, std::int64_t id) { return billing_->IsPaid(tx, "drug_order", id); };
  dh.open_bill = [this](const Principal& actor, std::int64_t id) -> Status {
    auto o = billing_->CreateOrder(actor, "drug_order", id, {});
    if (!o) return o.error();
    return {};
  };
  // The never-billed backstop outlasts billing's unpaid hold, so a billed order is ended by its hold
  // (never swept while the patient may still pay).
  domain::dispensing::Config dcfg;
  const std::int64_t hold_ms = static_cast<std::int64_t>(config_.payment_hold_minutes) * 60 * 1000;
  dcfg.unbilled_expiry_ms = std::max<std::int64_t>(dcfg.unbilled_expiry_ms, hold_ms + 5 * 60 * 1000);
  dcfg.accept_timeout_ms = static_cast<std::int64_t>(config_.drug_order_accept_minutes) * 60 * 1000;
  // An order meets the patient's open medicine needs of its drugs: the need registry marks them
  // fulfilled and hands back the reservations held for them, released by the order's reservation.
  dcfg.needs_met = [this](store::Tx& tx, std::int64_t patient_id, const std::vector<std::int64_t>& items,
                          const std::string& ref,
                          std::int64_t now) { return needs_->MetByOrder(tx, patient_id, items, ref, now); };
  // Every committed change of an order is pushed to its WebSocket topics (the patient's page, the
  // pharmacy console, the courier's page follow them).
  dcfg.changed = [this](const domain::dispensing::Order& o) { domain::dispensing::api::PublishChange(*bus_, o); };
  dispensing_ = std::make_unique<domain::dispensing::DispensingService>(
      *db_, clock_, *accounts_, *prescriptions_, *drugs_, *pharmacy_, *courier_, std::move(dh), dcfg);
  RegisterDispensingBilling();
  domain::dispensing::api::RegisterWs(ws_, *dispensing_);
  dispensing_sweeper_ = std::make_unique<PeriodicTask>(std::chrono::minutes(1), [this] {
    if (auto n = dispensing_->Sweep(); !n) log::Warn("dispensing sweep failed", {{"code", n.error().code}});
  });

  http::ServerLimits limits;
  limits.body_limit = config_.body_limit;
  limits.header_limit = config_.header_limit;
  limits.read_timeout = std::chrono::milliseconds(config_.read_timeout_ms);
  limits.idle_timeout = std::chrono::milliseconds(config_.idle_timeout_ms);
  limits.max_connections = config_.max_connections;
  limits.max_connections_per_client = config_.max_connections_per_client;
  limits.max_queue = config_.max_queue;  // load shedding (health code speed)
  limits.max_queue_wait = std::chrono::milliseconds(config_.max_queue_wait_ms);
  server_ = std::make_unique<http::Server>(
      ioc_, workers_, router_, [this](const std::string& token) { return accounts_->Authenticate(token); }, limits);
  // GET /api/v1/me (routes with a fast handler) is answered on the I/O thread from the session cache.
  server_->SetCachedAuthenticator([this](const std::string& token) { return accounts_->CachedPrincipal(token); });
  AddRoutes();
  server_->ServeStatic(config_.web_root);

  // WebSocket hub: after AddRoutes, where capabilities register in ws_.
  // Each socket is a file descriptor: make room for max_connections of them.
  const long files = http::RaiseFileLimit(config_.max_connections + 1024L);
  if (files < config_.max_connections + 64L)
    log::Warn("open-file limit below max_connections",
              {{"nofile", files}, {"max_connections", config_.max_connections}});
  http::WsLimits wl;
  wl.auth_timeout = std::chrono::milliseconds(config_.ws_auth_timeout_ms);
  wl.idle_timeout = std::chrono::milliseconds(config_.ws_idle_timeout_ms);
  wl.max_queue = static_cast<std::size_t>(std::max(1, config_.ws_max_queue));
  wl.max_subscriptions = config_.ws_max_subscriptions;
  wl.max_calls_in_flight = config_.ws_max_calls;
  wl.max_frame = config_.ws_max_frame_bytes;
  ws_hub_ = std::make_unique<http::WsHub>(
      workers_, ws_, *bus_, [this](const std::string& token) { return accounts_->Authenticate(token); }, wl);
  server_->ServeWebSocket(ws_hub_.get());
  // TLS (src/http/tls.hpp): throws, naming the file, when the certificate or key cannot be used.
  if (!config_.tls_cert.empty()) server_->ServeTls(std::make_shared<http::Tls>(config_.tls_cert, config_.tls_key));
}

App::~App() { Stop(); }

unsigned short App::Start() {
  auto hp = SplitListen(config_.listen);
  if (!hp) throw std::runtime_error(hp.error().detail);
  const unsigned short port = server_->Listen(hp->first, hp->second);
  if (config_.healthcode_issuer.empty())
    healthcode_->SetIssuer((config_.tls_cert.empty() ? "http://" : "https://") + hp->first + ":" +
                           std::to_string(port));
  server_->Start();
  const int n = config_.io_threads > 0 ? config_.io_threads : Cores();
  for (int i = 0; i < n; ++i) io_threads_.emplace_back([this] { ioc_.run(); });
  // Scheduling: roll slots forward now and then every slot_roll_minutes.
  slot_roller_ = std::make_unique<PeriodicTask>(
      std::chrono::minutes(config_.slot_roll_minutes > 0 ? config_.slot_roll_minutes : 60 * 24 * 365), [this] {
        auto n = scheduling_->RollSlots();
        if (n)
          log::Info("slots rolled forward", {{"practitioners", *n}});
        else
          log::Warn("slot roll failed", {{"code", n.error().code}});
      });
  // Online consultation: close silent consultations, expire unanswered ones.
  consultation_sweeper_ = std::make_unique<PeriodicTask>(std::chrono::minutes(1), [this] {
    auto n = consultation_->Sweep();
    if (!n)
      log::Warn("consultation sweep failed", {{"code", n.error().code}});
    else if (*n > 0)
      log::Info("consultations swept", {{"changed", *n}});
  });
  // Billing: the DEMO provider's notifications every 200 ms, the sweep every second.
  if (config_.billing_tick_ms > 0)
    billing_sweeper_ =
        std::make_unique<PeriodicTask>(std::chrono::milliseconds(config_.billing_tick_ms), [this, tick = 0]() mutable {
          demo_pay_->DeliverDue([this](const std::string& body, const std::string& sig) {
            return static_cast<bool>(billing_->HandleNotification(body, sig));
          });
          if (++tick % 5 != 0) return;
          auto n = billing_->Sweep();
          if (!n) log::Warn("billing sweep failed", {{"code", n.error().code}});
        });
  prescription_sweeper_ = std::make_unique<PeriodicTask>(std::chrono::minutes(1), [this] {
    auto n = prescriptions_->Sweep();
    if (!n)
      log::Warn("prescription sweep failed", {{"code", n.error().code}});
    else if (*n > 0)
      log::Info("prescriptions expired", {{"changed", *n}});
  });
  // Chronic-medicine need registry: re-match open needs, release lapsed reservations, lapse old needs.
  needs_sweeper_ = std::make_unique<PeriodicTask>(std::chrono::minutes(1), [this] {
    auto n = needs_->Sweep();
    if (!n) log::Warn("needs sweep failed", {{"code", n.error().code}});
  });
  // Memory kept through a burst (memory::KeepFreedMemory) goes back to the kernel after it.
  memory_trimmer_ = std::make_unique<PeriodicTask>(std::chrono::minutes(1), [] { memory::ReturnFreeMemory(); });
  if (!config_.port_file.empty()) {
    // Written whole under a temporary name, then renamed, so a reader never sees half a port.
    const std::string tmp = config_.port_file + ".tmp";
    std::ofstream(tmp) << port << "\n";
    std::rename(tmp.c_str(), config_.port_file.c_str());
  }
  log::Info("listening", {{"address", hp->first},
                          {"port", port},
                          {"io_threads", n},
                          {"workers", Workers(config_)},
                          {"db", db_->backend() == store::Backend::sqlite ? "sqlite" : "postgresql"}});
  return port;
}

void App::Stop() {
  if (stopped_) return;
  stopped_ = true;
  server_->Shutdown();
  slot_roller_.reset();           // scheduling
  consultation_sweeper_.reset();  // consultation
  billing_sweeper_.reset();       // billing
  prescription_sweeper_.reset();
  needs_sweeper_.reset();  // chronic-medicine need registry
  memory_trimmer_.reset();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(config_.shutdown_grace_ms);
  while (server_->open_connections() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (server_->open_connections() > 0) server_->CloseAll();
  // No ioc_.stop(): the I/O threads return once every connection coroutine has ended (a
  // handler still on the worker pool keeps its connection's work alive until it returns), so
  // no coroutine frame outlives the Server it points to.
  for (auto& t : io_threads_) t.join();
  io_threads_.clear();
  workers_.join();
  log::Info("stopped", {});
}

int App::Run() {
  // The handler is installed before Start() writes the port file: a SIGTERM sent as soon as the
  // port is known (a supervisor, a test) used to find the default action and kill the process
  // without its clean stop (Process.IhosdStopsCleanlyOnSigterm failed so in stop 29's CI).
  asio::io_context sig_ioc;
  asio::signal_set signals(sig_ioc, SIGINT, SIGTERM);
  signals.async_wait([](const boost::system::error_code&, int sig) {
    log::Info("signal received; shutting down", {{"signal", sig}});
  });
  Start();
  sig_ioc.run();
  Stop();
  return 0;
}

}  // namespace ihos::app
