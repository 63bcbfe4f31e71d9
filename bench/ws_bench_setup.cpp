#include "bench/ws_bench_setup.hpp"

#include <chrono>
#include <stdexcept>

#include "store/database.hpp"
#include "support/practitioner_fixture.hpp"

namespace ihos::bench {

std::vector<PairSpec> MakePairs(const std::string& url, int n, bool durable) {
  auto db = store::Open(url, 2);
  if (!db) throw std::runtime_error("open: " + db.error().code + " " + db.error().detail);
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::vector<PairSpec> out;
  if (durable) throw std::runtime_error("consultation set-up: not built yet");
  auto users = testing::InsertPatients(**db, 2 * n, "wsb", now);
  for (int i = 0; i < n; ++i)
    out.push_back({users[2 * i].token, users[2 * i + 1].token, "bench:" + std::to_string(i), i});
  return out;
}

}  // namespace ihos::bench
