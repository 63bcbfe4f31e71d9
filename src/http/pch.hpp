#pragma once
// Precompiled header for the Boost-heavy translation units (http, app, api, tests).
#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>
