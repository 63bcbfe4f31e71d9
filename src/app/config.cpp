#include "app/config.hpp"

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdio>
#include <map>

namespace ihos::app {

ParsedConfig ParseConfig(int argc, char** argv) {
  ParsedConfig out;
  Config& c = out.config;
  CLI::App cli{"ihosd — the ihos internet hospital server"};
  std::string profile = "interactive";
  cli.add_option("--db", c.db, "database: sqlite:PATH or postgresql://...")->envname("IHOS_DB")->capture_default_str();
  cli.add_option("--listen", c.listen, "HOST:PORT to listen on (port 0: any free port)")
      ->envname("IHOS_LISTEN")
      ->capture_default_str();
  cli.add_option("--threads", c.io_threads, "I/O threads (0 = cores)")->envname("IHOS_THREADS");
  cli.add_option("--workers", c.workers,
                 "worker threads for database and hashing (0 = max(64, 16 x cores); a writer waits on its thread for "
                 "the group fsync, password hashing runs at most one per core)")
      ->envname("IHOS_WORKERS");
  cli.add_option("--db-pool", c.db_pool, "database connections (0 = min(workers, max(16, 4 x cores)))")
      ->envname("IHOS_DB_POOL");
  cli.add_option("--web-root", c.web_root, "directory of the built web app")
      ->envname("IHOS_WEB_ROOT")
      ->capture_default_str();
  cli.add_option("--port-file", c.port_file, "write the bound port to this file once listening");
  auto* tls_cert = cli.add_option("--tls-cert", c.tls_cert, "serve HTTPS/WSS (TLS 1.2+, HSTS): PEM certificate chain")
                       ->envname("IHOS_TLS_CERT")
                       ->check(CLI::ExistingFile);
  auto* tls_key = cli.add_option("--tls-key", c.tls_key, "the PEM private key of --tls-cert")
                      ->envname("IHOS_TLS_KEY")
                      ->check(CLI::ExistingFile);
  tls_cert->needs(tls_key);
  tls_key->needs(tls_cert);
  cli.add_option("--log-level", c.log_level, "trace|debug|info|warn|error")
      ->envname("IHOS_LOG_LEVEL")
      ->capture_default_str();
  cli.add_option("--log-file", c.log_file, "JSON-lines log file (default stdout)")->envname("IHOS_LOG_FILE");
  cli.add_option("--password-hash-profile", profile,
                 "Argon2id cost: interactive (default), moderate, or test (libsodium minimum; tests only)")
      ->envname("IHOS_PASSWORD_HASH_PROFILE")
      ->check(CLI::IsMember({"interactive", "moderate", "test"}));
  cli.add_option("--session-ttl-hours", c.session_ttl_hours, "session lifetime")->capture_default_str();
  cli.add_option("--body-limit", c.body_limit, "max request body bytes (413 past it)")->capture_default_str();
  cli.add_option("--upload-limit", c.upload_limit, "max uploaded file bytes (413 past it)")
      ->envname("IHOS_UPLOAD_LIMIT")
      ->capture_default_str();
  cli.add_option("--header-limit", c.header_limit, "max request header bytes (431 past it)")->capture_default_str();
  cli.add_option("--read-timeout-ms", c.read_timeout_ms, "a request must arrive within this time")
      ->capture_default_str();
  cli.add_option("--idle-timeout-ms", c.idle_timeout_ms, "keep-alive idle time")->capture_default_str();
  cli.add_option("--max-connections", c.max_connections, "open connections past which new ones get 503")
      ->capture_default_str();
  cli.add_option("--max-connections-per-client", c.max_connections_per_client,
                 "open connections one client address may hold (0 = no cap); past it new ones get 503")
      ->envname("IHOS_MAX_CONNECTIONS_PER_CLIENT")
      ->capture_default_str();
  cli.add_option("--shutdown-grace-ms", c.shutdown_grace_ms, "time in-flight requests get on SIGTERM")
      ->capture_default_str();
  // triage (AI self-check)
  cli.add_option("--triage-model", c.triage_model, "triage model file (ihos triage train builds it)")
      ->envname("IHOS_TRIAGE_MODEL")
      ->capture_default_str();
  cli.add_option("--triage-rate-limit", c.triage_rate_limit, "self-check requests per client address per minute")
      ->envname("IHOS_TRIAGE_RATE_LIMIT")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  // Scheduling and booking
  cli.add_option("--slot-horizon-days", c.slot_horizon_days, "days ahead that bookable slots are made")
      ->envname("IHOS_SLOT_HORIZON_DAYS")
      ->check(CLI::Range(1, 90))
      ->capture_default_str();
  cli.add_option("--cancel-cutoff-minutes", c.cancel_cutoff_minutes,
                 "patients may cancel an appointment until this many minutes before it starts")
      ->envname("IHOS_CANCEL_CUTOFF_MINUTES")
      ->check(CLI::Range(0, 7 * 24 * 60))
      ->capture_default_str();
  // Billing
  cli.add_option("--pay-first", c.pay_first,
                 "priced consultations with a chosen doctor are served only once paid (false: 先诊疗后付费)")
      ->envname("IHOS_PAY_FIRST")
      ->capture_default_str();
  cli.add_option("--payment-hold-minutes", c.payment_hold_minutes, "how long an unpaid order holds its place")
      ->envname("IHOS_PAYMENT_HOLD_MINUTES")
      ->check(CLI::Range(1, 24 * 60))
      ->capture_default_str();
  cli.add_option("--demo-pay-secret", c.demo_pay_secret, "HMAC key of the DEMO payment provider (default: random)")
      ->envname("IHOS_DEMO_PAY_SECRET");
  cli.add_option("--slot-roll-minutes", c.slot_roll_minutes, "how often slots are rolled forward (0: only at start)")
      ->envname("IHOS_SLOT_ROLL_MINUTES")
      ->check(CLI::Range(0, 24 * 60))
      ->capture_default_str();
  // Health code
  cli.add_option("--healthcode-card-minutes", c.healthcode_card_minutes, "life of a signed health card (exp - nbf)")
      ->envname("IHOS_HEALTHCODE_CARD_MINUTES")
      ->check(CLI::Range(1, 1440))
      ->capture_default_str();
  cli.add_option("--healthcode-kek", c.healthcode_kek,
                 "passphrase of the key-encryption key that seals the card-signing keys (default: a dev-only value)")
      ->envname("IHOS_HEALTHCODE_KEK");
  cli.add_option("--healthcode-issuer", c.healthcode_issuer, "base URL in the cards' iss (default http://LISTEN)")
      ->envname("IHOS_HEALTHCODE_ISSUER");
  cli.add_option("--healthcode-exposure-window-minutes", c.healthcode_exposure_window_minutes,
                 "a check-in within this many minutes of a confirmed case's visit is a possible contact")
      ->envname("IHOS_HEALTHCODE_EXPOSURE_WINDOW_MINUTES")
      ->check(CLI::Range(1, 24 * 60))
      ->capture_default_str();
  // Online consultation
  cli.add_option("--consultation-idle-close-minutes", c.consultation_idle_close_minutes,
                 "an active consultation with no message for this long is closed")
      ->envname("IHOS_CONSULTATION_IDLE_CLOSE_MINUTES")
      ->check(CLI::Range(1, 30 * 24 * 60))
      ->capture_default_str();
  // Drug distribution network (src/domain/dispensing, src/domain/needs)
  cli.add_option("--drug-order-accept-minutes", c.drug_order_accept_minutes,
                 "a paid drug order the pharmacy has not accepted this long after it was placed is cancelled, its "
                 "stock released and refunded (0 = never)")
      ->envname("IHOS_DRUG_ORDER_ACCEPT_MINUTES")
      ->check(CLI::Range(0, 7 * 24 * 60))
      ->capture_default_str();
  cli.add_option("--need-match-radii-m", c.need_match_radii_m,
                 "radii (metres, comma-separated) a medicine need is matched within: the next only when no pharmacy "
                 "has the drug within the one before")
      ->envname("IHOS_NEED_MATCH_RADII_M")
      ->delimiter(',')
      ->check(CLI::Range(100, 50000))
      ->capture_default_str();
  cli.add_option("--need-reserve-days", c.need_reserve_days,
                 "how many days a pharmacy's reservation for a medicine need lasts when it does not say")
      ->envname("IHOS_NEED_RESERVE_DAYS")
      ->check(CLI::Range(1, 30))
      ->capture_default_str();
  cli.add_option("--need-reserve-days-max", c.need_reserve_days_max,
                 "the longest a pharmacy may reserve stock for a medicine need, in days")
      ->envname("IHOS_NEED_RESERVE_DAYS_MAX")
      ->check(CLI::Range(1, 30))
      ->capture_default_str();
  // Load shedding (health code speed)
  cli.add_option("--max-queue", c.max_queue,
                 "requests waiting for a worker past which new ones get 503 overloaded with Retry-After (0 = no bound)")
      ->envname("IHOS_MAX_QUEUE")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  cli.add_option("--max-queue-wait-ms", c.max_queue_wait_ms,
                 "a request that waited longer than this for a worker gets 503 overloaded (0 = no bound)")
      ->envname("IHOS_MAX_QUEUE_WAIT_MS")
      ->check(CLI::Range(0, 600000))
      ->capture_default_str();
  // WebSocket /api/v1/ws limits (http::WsLimits, src/http/WEBSOCKET.md). Connections
  // count against --max-connections like any other.
  cli.add_option("--ws-auth-timeout-ms", c.ws_auth_timeout_ms,
                 "a WebSocket must send its auth frame within this time (else closed 1008 auth_timeout)")
      ->envname("IHOS_WS_AUTH_TIMEOUT_MS")
      ->check(CLI::Range(100, 600000))
      ->capture_default_str();
  cli.add_option("--ws-idle-timeout-ms", c.ws_idle_timeout_ms,
                 "a WebSocket silent this long (not even a pong) is closed; the server pings at half of it")
      ->envname("IHOS_WS_IDLE_TIMEOUT_MS")
      ->check(CLI::Range(1000, 3600000))
      ->capture_default_str();
  cli.add_option("--ws-max-queue", c.ws_max_queue,
                 "outgoing frames a slow WebSocket client may fall behind before it is closed 1008 slow_consumer")
      ->envname("IHOS_WS_MAX_QUEUE")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cli.add_option("--ws-max-subscriptions", c.ws_max_subscriptions,
                 "topics one WebSocket may follow at once (429 ws_too_many_subscriptions past it)")
      ->envname("IHOS_WS_MAX_SUBSCRIPTIONS")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cli.add_option("--ws-max-calls", c.ws_max_calls, "calls in flight on one WebSocket (429 ws_too_many_calls past it)")
      ->envname("IHOS_WS_MAX_CALLS")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cli.add_option("--ws-max-frame-bytes", c.ws_max_frame_bytes,
                 "largest incoming WebSocket message (a bigger one closes the socket with 1009)")
      ->envname("IHOS_WS_MAX_FRAME_BYTES")
      ->check(CLI::Range(4096, 16 * 1024 * 1024))
      ->capture_default_str();
  // Session cache (health code speed)
  cli.add_option("--session-cache-ms", c.session_cache_ms,
                 "how long a session read from the database is trusted without reading it again; a logout or "
                 "role change on another node shows within this time (0 = no cache)")
      ->envname("IHOS_SESSION_CACHE_MS")
      ->check(CLI::Range(0, 60000))
      ->capture_default_str();
  cli.add_option("--session-cache-entries", c.session_cache_entries, "sessions the cache holds at most")
      ->envname("IHOS_SESSION_CACHE_ENTRIES")
      ->check(CLI::Range(0, 10000000))
      ->capture_default_str();
  // Phone verification at registration
  cli.add_option("--register-sms-code", c.register_sms_code,
                 "registration proves the phone by an SMS code (required) or asks none (off)")
      ->envname("IHOS_REGISTER_SMS_CODE")
      ->check(CLI::IsMember({"required", "off"}))
      ->capture_default_str();
  cli.add_option("--sms-sends-per-address", c.sms_sends_per_address, "SMS codes sent per client address per hour")
      ->envname("IHOS_SMS_SENDS_PER_ADDRESS")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cli.add_option("--sms-sends-per-phone", c.sms_sends_per_phone, "SMS codes sent per phone number per hour")
      ->envname("IHOS_SMS_SENDS_PER_PHONE")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    out.exit_code = cli.exit(e);
    return out;
  }
  static const std::map<std::string, crypto::PasswordProfile> kProfiles = {
      {"interactive", crypto::PasswordProfile::interactive},
      {"moderate", crypto::PasswordProfile::moderate},
      {"test", crypto::PasswordProfile::test}};
  c.password_profile = kProfiles.at(profile);
  if (c.need_reserve_days > c.need_reserve_days_max) {
    std::fprintf(stderr, "--need-reserve-days (%d) is longer than --need-reserve-days-max (%d)\n", c.need_reserve_days,
                 c.need_reserve_days_max);
    out.exit_code = 2;
  }
  if (c.need_match_radii_m.empty()) {
    std::fprintf(stderr, "--need-match-radii-m needs at least one radius\n");
    out.exit_code = 2;
  }
  return out;
}

Result<std::pair<std::string, unsigned short>> SplitListen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) return MakeError(Errc::invalid_argument, "invalid_value", "--listen needs HOST:PORT");
  unsigned port = 0;
  const std::string p = listen.substr(colon + 1);
  auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (ec != std::errc() || ptr != p.data() + p.size() || port > 65535)
    return MakeError(Errc::invalid_argument, "invalid_value", "bad port in --listen");
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return std::make_pair(host, static_cast<unsigned short>(port));
}

}  // namespace ihos::app
