#pragma once
// Binding optional values: nullopt becomes SQL NULL.
#include <optional>

#include "store/database.hpp"

namespace ihos::store {

template <class T>
Value OrNull(const std::optional<T>& v) {
  return v ? Value(*v) : Value(nullptr);
}

}  // namespace ihos::store
