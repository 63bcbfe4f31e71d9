#pragma once
// The server's access log: one line per request, through the process logger of log.hpp.
#include <cstdint>
#include <string>
#include <string_view>

namespace ihos::log {

// One access-log line at info level: the same text as Info("access", {{"rid", rid}, {"method", method},
// {"route", route}, {"status", status}, {"ms", ms}, {"bytes", bytes}, {"client", client}}), written
// without building a JSON object (the server writes one per request).
void Access(std::string_view rid, std::string_view method, std::string_view route, int status, double ms,
            std::uint64_t bytes, std::string_view client);
// The line that Access would write, for tests.
std::string FormatAccess(std::string_view rid, std::string_view method, std::string_view route, int status, double ms,
                         std::uint64_t bytes, std::string_view client);

}  // namespace ihos::log
