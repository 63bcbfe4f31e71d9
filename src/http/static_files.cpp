#include "http/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/log.hpp"

namespace ihos::http {
namespace {

std::string ContentType(const std::filesystem::path& p) {
  const std::string ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".woff") return "font/woff";
  if (ext == ".ttf") return "font/ttf";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".webmanifest") return "application/manifest+json";
  return "application/octet-stream";
}

}  // namespace

StaticFiles::StaticFiles(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    log::Warn("web root missing; only the API is served", {{"web_root", dir}});
    return;
  }
  for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    const std::string rel = "/" + fs::relative(entry.path(), dir).generic_string();
    files_[rel] = File{ContentType(entry.path()), buf.str(), rel.rfind("/assets/", 0) == 0};
  }
}

std::optional<Reply> StaticFiles::Get(std::string_view path) const {
  if (path.find("..") != std::string_view::npos) return std::nullopt;
  std::string key(path);
  if (key.empty() || key == "/") key = "/index.html";
  auto it = files_.find(key);
  if (it == files_.end()) {
    const auto slash = key.rfind('/');
    if (key.find('.', slash) != std::string::npos) return std::nullopt;
    it = files_.find("/index.html");
    if (it == files_.end()) return std::nullopt;
  }
  Reply r{200, it->second.content_type, it->second.body, {}};
  r.headers.emplace_back("Cache-Control", it->second.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  return r;
}

}  // namespace ihos::http
