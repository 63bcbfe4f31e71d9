#pragma once
// ihosd configuration: flags, each with an IHOS_* environment variable, and sane defaults.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/crypto.hpp"
#include "core/error.hpp"

namespace ihos::domain::accounts {
class SmsSender;
}

namespace ihos::app {

struct Config {
  std::string db = "sqlite:var/ihos.db";  // or postgresql://...
  std::string listen = "127.0.0.1:8080";  // HOST:PORT, port 0 = any free port
  int io_threads = 0;                     // 0 = number of cores
  int workers = 0;                        // 0 = max(64, 16 x cores)
  int db_pool = 0;                        // 0 = min(workers, max(16, 4 x cores))
  std::string web_root = "web/dist";
  std::string port_file;  // written with the bound port once listening
  // TLS (src/http/tls.hpp): with both, ihosd serves HTTPS and WSS only, with HSTS; else plain HTTP.
  std::string tls_cert;  // PEM certificate chain
  std::string tls_key;   // PEM private key
  std::string log_level = "info";
  std::string log_file;  // empty = stdout
  crypto::PasswordProfile password_profile = crypto::PasswordProfile::interactive;
  int session_ttl_hours = 24 * 7;
  std::size_t body_limit = 1024 * 1024;
  std::size_t upload_limit = 8 * 1024 * 1024;  // POST /api/v1/files
  std::size_t header_limit = 16 * 1024;
  int read_timeout_ms = 10000;
  int idle_timeout_ms = 30000;
  int max_connections = 10000;
  int max_connections_per_client = 1000;  // per client address; past it 503 too_many_connections; 0 = no cap
  int shutdown_grace_ms = 10000;
  // triage (AI self-check)
  std::string triage_model = "var/triage.bin";  // built by `ihos triage train`; absent: red flags only
  int triage_rate_limit = 30;                   // self-check requests per client address per minute
  // Scheduling and booking
  int slot_horizon_days = 14;       // slots are materialised this many days ahead (China Standard Time dates)
  int cancel_cutoff_minutes = 120;  // patients may cancel until this long before the start
  int slot_roll_minutes = 60;       // how often slots are rolled forward (also once at start); 0 = only at start
  // Health code
  int healthcode_card_minutes = 5;
  std::string healthcode_kek;     // empty = the dev default (a warning is logged)
  std::string healthcode_issuer;  // empty = http://<bound listen address>
  int healthcode_exposure_window_minutes = 60;
  // Online consultation
  int consultation_idle_close_minutes = 24 * 60;  // an active consultation silent this long is closed
  // Billing
  bool pay_first = false;  // true: a priced consultation with a chosen doctor is served once paid; false: 先诊疗后付费
  int payment_hold_minutes = 15;  // an unpaid order holds its place this long
  std::string demo_pay_secret;    // HMAC key of the DEMO payment provider; empty = random per start
  int billing_tick_ms =
      200;  // DEMO notifications delivered this often, the billing sweep every 5 ticks; 0 = off (tests drive it)
  // Drug distribution network (pharmacy, needs, dispensing)
  int drug_order_accept_minutes = 120;  // a paid order not accepted this long is cancelled, refunded; 0 = never
  std::vector<std::int64_t> need_match_radii_m = {5000,
                                                  10000};  // a need is matched within the first radius with a pharmacy
  int need_reserve_days = 3;      // a pharmacy's reservation for a need lasts this long by default
  int need_reserve_days_max = 7;  // and at most this long
  // Load shedding (health code speed): 503 overloaded + Retry-After past these; 0 = no bound
  int max_queue = 256;           // requests waiting for a worker
  int max_queue_wait_ms = 1000;  // how long a request may wait for a worker
  // WebSocket /api/v1/ws; see http::WsLimits
  int ws_auth_timeout_ms = 10000;              // the auth frame must come by then
  int ws_idle_timeout_ms = 60000;              // silent (not even a pong) this long: closed; pinged at half
  int ws_max_queue = 1024;                     // outgoing frames a slow client may fall behind before it is closed
  int ws_max_subscriptions = 64;               // per connection
  int ws_max_calls = 16;                       // calls in flight per connection
  std::size_t ws_max_frame_bytes = 64 * 1024;  // largest incoming message; past it: close 1009
  // Session cache (health code speed): a session read from the database is trusted this long in
  // this process; another node's logout or role change shows within it. 0 disables.
  int session_cache_ms = 2000;
  int session_cache_entries = 50000;
  // Phone verification at registration: "required" (an SMS code for purpose register)
  // or "off". SMS code send limits per client address and per phone per hour.
  std::string register_sms_code = "required";
  int sms_sends_per_address = 30;
  int sms_sends_per_phone = 10;
  // The SMS provider; null: the demo provider. Not a flag: set by embedders and tests.
  std::shared_ptr<domain::accounts::SmsSender> sms_sender;
};

// Parses argv (and IHOS_* environment variables). Returns the config, or an exit code when
// the process should stop now (--help, or a bad flag, already reported on stderr).
struct ParsedConfig {
  Config config;
  int exit_code = -1;  // >= 0: exit with it
};
ParsedConfig ParseConfig(int argc, char** argv);

// "127.0.0.1:8080" -> host, port. Errors: invalid_argument.
Result<std::pair<std::string, unsigned short>> SplitListen(const std::string& listen);

}  // namespace ihos::app
