#pragma once
// Set-up for bench/ws_bench.cpp: the two parties of each conversation, with live sessions.
#include <cstdint>
#include <string>
#include <vector>

namespace ihos::bench {

struct PairSpec {
  std::string token_a, token_b;  // side 0 (the patient) and side 1 (the doctor, or a second user)
  std::string topic;             // what both subscribe to
  std::int64_t consultation_id = 0;
};

// `n` conversations on the database at `url` (already migrated). With `durable`, real
// consultations (accepted, so both sides may write) between patients and doctors, topic
// "consultation:{id}", started and accepted through the API of the server at `port`; else two
// users per pair and topic "bench:{i}". Throws on failure.
std::vector<PairSpec> MakePairs(const std::string& url, unsigned short port, int n, bool durable);

}  // namespace ihos::bench
