#pragma once
// The base of a repository suite: the GoogleTest parameter is the backend, `db_` the suite's fresh
// database (made in the suite's SetUp with FreshDatabase), and reads and writes that fail the test
// with the store's error code and detail instead of hiding it behind an empty value.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "store/database.hpp"

namespace ihos::testing {

class StoreSuite : public ::testing::TestWithParam<store::Backend> {
 protected:
  template <class F>
  Status Write(F&& f) {
    return db_->Transact(store::TxMode::write, std::forward<F>(f));
  }
  template <class T, class F>
  T Read(F&& f) {
    return Checked(db_->With<T>(store::TxMode::read, std::forward<F>(f)));
  }
  template <class T, class F>
  T WriteR(F&& f) {
    return Checked(db_->With<T>(store::TxMode::write, std::forward<F>(f)));
  }
  // The first column of the first row of `sql` (a query the test wrote, never input).
  std::int64_t Scalar(const std::string& sql, const store::Params& p = {}) {
    return Read<std::int64_t>([&](store::Tx& tx) -> Result<std::int64_t> {
      auto rows = tx.Query(sql, p);
      if (!rows) return rows.error();
      return rows->front().Int(0);
    });
  }
  // Rows in `table`.
  std::int64_t Count(const std::string& table) { return Scalar("SELECT COUNT(*) FROM " + table); }

  std::unique_ptr<store::Database> db_;

 private:
  template <class T>
  static T Checked(Result<T> r) {
    EXPECT_TRUE(r) << (r ? "" : r.error().code + " " + r.error().detail);
    return r ? std::move(*r) : T{};
  }
};

}  // namespace ihos::testing
