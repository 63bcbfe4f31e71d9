#pragma once
// Precompiled header for the capability libraries (src/domain/<name>, not their api.cpp, which
// use src/http/pch.hpp): Boost.JSON, boost::system::result and the standard headers nearly every
// domain file includes. Third-party and standard headers only: a project header here would make
// every capability rebuild when it changes. docs/adr/0003-build-targets.md.
#include <algorithm>
#include <boost/json.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>
