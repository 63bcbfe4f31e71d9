#pragma once
// Events between the parts of one node, and (with a cross-node bus) between nodes: a writer
// publishes a small JSON text on a topic after its transaction committed ("consultation:42"),
// every subscriber of that topic on every node receives it. Events are hints for live clients;
// the database stays the truth (a client that misses one catches up from the database).
//
// Thread safety: all members may be called from any thread. Callbacks run on a thread of the
// bus (the publisher's for the local bus); they must be quick and must not call Subscribe or
// Unsubscribe of the same bus.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace ihos::events {

class Bus {
 public:
  using Callback = std::function<void(const std::string& topic, const std::string& payload)>;
  virtual ~Bus() = default;
  // Delivers `payload` to the topic's subscribers. Never throws; an event that cannot be sent
  // (the cross-node link is down) is dropped and counted.
  virtual void Publish(std::string_view topic, std::string_view payload) = 0;
  // Returns a subscription id for Unsubscribe.
  virtual std::uint64_t Subscribe(std::string_view topic, Callback cb) = 0;
  virtual void Unsubscribe(std::uint64_t id) = 0;
  // Prometheus text about the bus (cross-node links), appended to /metrics; empty by default.
  virtual std::string MetricsText() const { return {}; }
};

// The in-process bus: Publish calls the topic's subscribers on the publishing thread.
std::unique_ptr<Bus> MakeLocalBus();

}  // namespace ihos::events
