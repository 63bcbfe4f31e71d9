#pragma once
// The built web app, loaded into memory at start (a few MB at most) so serving it never
// touches the disk or the worker pool. Read-only after construction; thread-safe.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/types.hpp"

namespace ihos::http {

// The client-side routes whose page uses the camera (the gate scanner /gate, the pharmacy
// counter's pickup scan /pharmacy/orders; a trailing slash is ignored). Their documents are sent
// with `Permissions-Policy: camera=(self)`, every other document with `camera=()`.
bool IsCameraRoute(std::string_view path);

class StaticFiles {
 public:
  // Loads every regular file under `dir`. A missing dir gives an empty set (and a warning).
  explicit StaticFiles(const std::string& dir);
  // The reply for a decoded URL path: the file, index.html for extension-less paths
  // (client-side routes), or nullopt (404). Paths with ".." segments are never served.
  std::optional<Reply> Get(std::string_view path) const;
  std::size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string content_type;
    std::string body;
    bool immutable;  // Vite's hashed assets under /assets/
  };
  std::unordered_map<std::string, File> files_;
};

}  // namespace ihos::http
