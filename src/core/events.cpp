#include "core/events.hpp"

#include <exception>
#include <map>
#include <mutex>
#include <vector>

#include "core/log.hpp"

namespace ihos::events {
namespace {

class LocalBus final : public Bus {
 public:
  void Publish(std::string_view topic, std::string_view payload) override {
    std::vector<Callback> targets;
    {
      std::lock_guard lock(mu_);
      auto [lo, hi] = by_topic_.equal_range(std::string(topic));
      for (auto it = lo; it != hi; ++it) targets.push_back(subs_.at(it->second));
    }
    const std::string t(topic), p(payload);
    for (auto& cb : targets) {
      // A subscriber's failure is its own; the publisher and the other subscribers go on, and
      // the log keeps what failed (with the request that published, when there is one).
      try {
        cb(t, p);
      } catch (const std::exception& e) {
        log::Error("event subscriber failed", {{"rid", log::CurrentRequestId()}, {"topic", t}, {"what", e.what()}});
      } catch (...) {
        log::Error("event subscriber failed",
                   {{"rid", log::CurrentRequestId()}, {"topic", t}, {"what", "non-standard exception"}});
      }
    }
  }

  std::uint64_t Subscribe(std::string_view topic, Callback cb) override {
    std::lock_guard lock(mu_);
    const auto id = ++next_;
    subs_.emplace(id, std::move(cb));
    by_topic_.emplace(std::string(topic), id);
    topic_of_.emplace(id, std::string(topic));
    return id;
  }

  void Unsubscribe(std::uint64_t id) override {
    std::lock_guard lock(mu_);
    auto t = topic_of_.find(id);
    if (t == topic_of_.end()) return;
    auto [lo, hi] = by_topic_.equal_range(t->second);
    for (auto it = lo; it != hi; ++it) {
      if (it->second == id) {
        by_topic_.erase(it);
        break;
      }
    }
    topic_of_.erase(t);
    subs_.erase(id);
  }

 private:
  std::mutex mu_;
  std::uint64_t next_ = 0;
  std::map<std::uint64_t, Callback> subs_;
  std::multimap<std::string, std::uint64_t> by_topic_;
  std::map<std::uint64_t, std::string> topic_of_;
};

}  // namespace

std::unique_ptr<Bus> MakeLocalBus() { return std::make_unique<LocalBus>(); }

}  // namespace ihos::events
