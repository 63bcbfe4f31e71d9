#include "store/postgres/pg_bus.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "core/crypto.hpp"
#include "core/log.hpp"

namespace ihos::store::postgres {
namespace {

constexpr std::size_t kMaxNotify = 7900;  // PostgreSQL refuses payloads of 8000 bytes and more
constexpr std::size_t kMaxQueue = 20000;  // notifications waiting to be sent
constexpr std::size_t kBatch = 200;       // notifications per round trip
constexpr auto kMinBackoff = std::chrono::milliseconds(100);
constexpr auto kMaxBackoff = std::chrono::milliseconds(5000);
constexpr const char* kResync = R"({"kind":"resync"})";
constexpr const char* kChanged = R"({"kind":"changed"})";

std::string ChannelFor(const std::string& schema) {
  if (schema.empty() || schema == "public") return "ihos_events";
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char ch : schema) h = (h ^ ch) * 1099511628211ULL;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return std::string("ihos_events_") + buf;
}

struct PgConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using PgConn = std::unique_ptr<PGconn, PgConnDeleter>;

void IgnoreNotice(void*, const char*) {}

// Connects and finds the channel of the connection's schema; null (and `why`) on failure.
PgConn Connect(const std::string& uri, std::string& channel, std::string& why) {
  const char* keys[] = {"connect_timeout", "application_name", "dbname", "client_encoding", nullptr};
  const char* vals[] = {"5", "ihos-bus", uri.c_str(), "UTF8", nullptr};
  PgConn c(PQconnectdbParams(keys, vals, /*expand_dbname=*/1));
  if (!c || PQstatus(c.get()) != CONNECTION_OK) {
    why = c ? PQerrorMessage(c.get()) : "out of memory";
    return nullptr;
  }
  PQsetNoticeProcessor(c.get(), IgnoreNotice, nullptr);
  PGresult* r = PQexec(c.get(), "SELECT current_schema()");
  const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
  if (ok)
    channel = ChannelFor(PQgetisnull(r, 0, 0) ? "" : PQgetvalue(r, 0, 0));
  else
    why = PQerrorMessage(c.get());
  PQclear(r);
  if (!ok) c.reset();
  return c;
}

class PgBus final : public events::Bus {
 public:
  explicit PgBus(std::string uri)
      : uri_(std::move(uri)),
        node_(crypto::RandomHex(8)),
        local_(events::MakeLocalBus()),
        wake_(eventfd(0, EFD_CLOEXEC)) {
    listener_ = std::thread([this] { Listen(); });
    publisher_ = std::thread([this] { PublishLoop(); });
  }

  ~PgBus() override {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    Wake();
    listener_.join();
    publisher_.join();
    if (wake_ >= 0) close(wake_);
  }

  void Publish(std::string_view topic, std::string_view payload) override {
    local_->Publish(topic, payload);
    if (topic.find('\n') != std::string_view::npos) return;
    std::string note;
    note.reserve(node_.size() + topic.size() + payload.size() + 2);
    note.append(node_).append(1, '\n').append(topic).append(1, '\n');
    if (note.size() + payload.size() <= kMaxNotify) {
      note.append(payload);
    } else {
      note.append(kChanged);
      ++oversized_;
    }
    {
      std::lock_guard lock(mu_);
      if (queue_.size() >= kMaxQueue) {
        ++dropped_;
        return;
      }
      queue_.push_back(std::move(note));
    }
    cv_.notify_one();
  }

  std::uint64_t Subscribe(std::string_view topic, Callback cb) override {
    const auto id = local_->Subscribe(topic, std::move(cb));
    std::lock_guard lock(subs_mu_);
    topic_of_[id] = std::string(topic);
    return id;
  }

  void Unsubscribe(std::uint64_t id) override {
    local_->Unsubscribe(id);
    std::lock_guard lock(subs_mu_);
    topic_of_.erase(id);
  }

  std::string MetricsText() const override {
    std::ostringstream out;
    auto counter = [&](const char* name, const char* help, std::uint64_t v) {
      out << "# HELP " << name << " " << help << "\n# TYPE " << name << " counter\n" << name << " " << v << "\n";
    };
    counter("ihos_bus_published_total", "Events sent to the other nodes (PostgreSQL NOTIFY).", published_.load());
    counter("ihos_bus_received_total", "Events received from the other nodes.", received_.load());
    counter("ihos_bus_dropped_total", "Events that could not be sent to the other nodes.", dropped_.load());
    counter("ihos_bus_oversized_total", "Events too big for a notification, sent as a 'changed' hint.",
            oversized_.load());
    counter("ihos_bus_reconnects_total", "Re-connections of the bus's PostgreSQL links.", reconnects_.load());
    out << "# HELP ihos_bus_listening Whether the node is listening for other nodes' events.\n"
           "# TYPE ihos_bus_listening gauge\nihos_bus_listening "
        << (listening_.load() ? 1 : 0) << "\n";
    return out.str();
  }

 private:
  void Wake() {
    if (wake_ < 0) return;
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = write(wake_, &one, sizeof one);
  }

  bool Stopping() {
    std::lock_guard lock(mu_);
    return stop_;
  }

  // Sleeps for the backoff (or until stopped); doubles it for next time.
  void Backoff(std::chrono::milliseconds& b) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, b, [this] { return stop_; });
    b = std::min(b * 2, kMaxBackoff);
  }

  // Tells this node's subscribers of every topic that events may have been missed.
  void Resync() {
    std::vector<std::string> topics;
    {
      std::lock_guard lock(subs_mu_);
      for (const auto& [_, t] : topic_of_) topics.push_back(t);
    }
    std::sort(topics.begin(), topics.end());
    topics.erase(std::unique(topics.begin(), topics.end()), topics.end());
    for (const auto& t : topics) local_->Publish(t, kResync);
  }

  void Listen() {
    auto backoff = kMinBackoff;
    bool was_connected = false;
    while (!Stopping()) {
      std::string channel, why;
      PgConn c = Connect(uri_, channel, why);
      if (c) {
        char* ident = PQescapeIdentifier(c.get(), channel.c_str(), channel.size());
        const std::string sql = std::string("LISTEN ") + (ident ? ident : "ihos_events");
        if (ident) PQfreemem(ident);
        PGresult* r = PQexec(c.get(), sql.c_str());
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
          why = PQerrorMessage(c.get());
          c.reset();
        }
        PQclear(r);
      }
      if (!c) {
        if (listening_.exchange(false) || !was_connected)
          log::Warn("event bus: cannot listen on PostgreSQL; retrying", {{"detail", why}});
        Backoff(backoff);
        continue;
      }
      backoff = kMinBackoff;
      listening_ = true;
      if (was_connected) {
        ++reconnects_;
        log::Info("event bus: listening again", {{"channel", channel}});
        Resync();
      }
      was_connected = true;
      // Wait for notifications (or the stop signal).
      while (!Stopping()) {
        pollfd fds[2] = {{PQsocket(c.get()), POLLIN, 0}, {wake_, POLLIN, 0}};
        const int n = poll(fds, wake_ >= 0 ? 2 : 1, 1000);
        if (n < 0) continue;
        if (fds[0].revents == 0) continue;
        if (!PQconsumeInput(c.get())) {
          log::Warn("event bus: lost the PostgreSQL link; reconnecting", {{"detail", PQerrorMessage(c.get())}});
          break;
        }
        while (PGnotify* note = PQnotifies(c.get())) {
          Deliver(note->extra ? note->extra : "");
          PQfreemem(note);
        }
        if (PQstatus(c.get()) != CONNECTION_OK) break;
      }
      listening_ = false;
    }
  }

  void Deliver(std::string_view note) {
    const auto a = note.find('\n');
    if (a == std::string_view::npos) return;
    if (note.substr(0, a) == node_) return;  // our own: already delivered here
    const auto b = note.find('\n', a + 1);
    if (b == std::string_view::npos) return;
    ++received_;
    local_->Publish(note.substr(a + 1, b - a - 1), note.substr(b + 1));
  }

  void PublishLoop() {
    auto backoff = kMinBackoff;
    PgConn c;
    std::string channel;
    std::vector<std::string> batch;
    for (;;) {
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (stop_) return;  // what is still queued is dropped: the other nodes catch up from the database
        while (!queue_.empty() && batch.size() < kBatch) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      if (!c) {
        std::string why;
        c = Connect(uri_, channel, why);
        if (!c) {
          log::Warn("event bus: cannot publish to PostgreSQL; retrying", {{"detail", why}});
          dropped_ += batch.size();
          batch.clear();
          Backoff(backoff);
          continue;
        }
        backoff = kMinBackoff;
      }
      std::string sql = "SELECT 1";
      std::vector<const char*> params{channel.c_str()};
      for (std::size_t i = 0; i < batch.size(); ++i) {
        sql += ",pg_notify($1,$" + std::to_string(i + 2) + ")";
        params.push_back(batch[i].c_str());
      }
      PGresult* r = PQexecParams(c.get(), sql.c_str(), static_cast<int>(params.size()), nullptr, params.data(), nullptr,
                                 nullptr, 0);
      if (PQresultStatus(r) == PGRES_TUPLES_OK) {
        published_ += batch.size();
      } else {
        dropped_ += batch.size();
        if (PQstatus(c.get()) != CONNECTION_OK) {
          log::Warn("event bus: lost the PostgreSQL publishing link; reconnecting",
                    {{"detail", PQerrorMessage(c.get())}});
          c.reset();
          ++reconnects_;
        } else {
          log::Warn("event bus: notify failed", {{"detail", PQresultErrorMessage(r)}});
        }
      }
      PQclear(r);
      batch.clear();
    }
  }

  const std::string uri_;
  const std::string node_;
  std::unique_ptr<events::Bus> local_;
  int wake_ = -1;

  std::mutex mu_;  // stop_ and queue_
  std::condition_variable cv_;
  bool stop_ = false;
  std::deque<std::string> queue_;

  std::mutex subs_mu_;
  std::map<std::uint64_t, std::string> topic_of_;

  std::atomic<bool> listening_{false};
  std::atomic<std::uint64_t> published_{0}, received_{0}, dropped_{0}, oversized_{0}, reconnects_{0};
  std::thread listener_, publisher_;
};

}  // namespace

std::unique_ptr<events::Bus> MakePgBus(std::string uri) { return std::make_unique<PgBus>(std::move(uri)); }

}  // namespace ihos::store::postgres
