#pragma once
// Tests that need a triage model train one from the data folder ($IHOS_TRIAGE_DATA, else
// ../shared/data/triage beside the repository) on the train and validation splits (the test
// split stays unseen), once per data version: the file is cached in the temp directory and built
// under a lock, so parallel test processes train it once. Without the data folder these tests
// FAIL (never skip): CI runs on a clone with shared/ beside it.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "domain/triage/dataset.hpp"

namespace ihos::testsupport {

inline std::string TriageDataDir() { return domain::triage::FindDataDir(IHOS_SOURCE_DIR); }

// The model file, or "" (with `why` set) when there is no data or training failed.
inline std::string TriageTestModel(std::string* why) {
  namespace fs = std::filesystem;
  namespace tr = domain::triage;
  const std::string dir = TriageDataDir();
  if (dir.empty()) {
    *why = "triage data not found: set IHOS_TRIAGE_DATA or put shared/data/triage beside the repository";
    return "";
  }
  std::error_code ec;
  std::size_t key = std::hash<std::string>{}(dir);
  for (const char* f : {"/haodf_xf2022_train.csv", "/toyhom_internal_medicine_sample_train.csv"}) {
    key = key * 31 + fs::file_size(dir + f, ec);
    key = key * 31 + static_cast<std::size_t>(fs::last_write_time(dir + f, ec).time_since_epoch().count());
  }
  const domain::triage::TrainOptions o;
  key = key * 31 + static_cast<std::size_t>(o.dim * 1000003 + o.epoch * 10007 + o.word_ngrams * 101 + o.bucket);
  key = key * 31 + static_cast<std::size_t>(o.lr * 1e6);
  key = key * 31 + static_cast<std::size_t>(o.linear.weight * 1000 + o.linear.max_n * 10 + o.linear.epoch * 100000);
  key = key * 31 + static_cast<std::size_t>(o.linear.nb_scale * 1000 + o.linear.nb_fold * 1e6 + o.linear.nb_alpha * 1e9);
  key = key * 31 + 8;  // bump when tokens or the training code change (7: the linear model beside fastText; 8: its NB-scaled training)
  const std::string path = (fs::temp_directory_path() /
                            ("ihos-triage-test-" + std::to_string(::getuid()) + "-" + std::to_string(key) + ".bin"))
                               .string();
  const int lock = ::open((path + ".lock").c_str(), O_CREAT | O_RDWR, 0600);
  if (lock >= 0) ::flock(lock, LOCK_EX);
  if (!fs::exists(path, ec)) {
    auto rows = tr::LoadData(dir, true);
    if (!rows) {
      *why = rows.error().code + " " + rows.error().detail;
    } else {
      std::vector<tr::Example> ex;
      for (const auto& r : *rows)
        if (tr::SplitOf(r.id) != tr::Split::test) ex.push_back({tr::ModelText(r, true), r.label});
      if (auto st = tr::TrainModel(ex, {}, path); !st) *why = st.error().code + " " + st.error().detail;
    }
  }
  if (lock >= 0) {
    ::flock(lock, LOCK_UN);
    ::close(lock);
  }
  return fs::exists(path, ec) ? path : "";
}

}  // namespace ihos::testsupport
