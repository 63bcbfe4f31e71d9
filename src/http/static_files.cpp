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

// The page's security policy. Scripts only from our own origin (the build has no inline script);
// styles also inline, because Vue, Vant and Element Plus set style attributes and the boot screen
// in index.html carries a <style>; images also from data:/blob: (QR codes, uploads previewed before
// sending); plugin content only from blob: (an admin previews a doctor's certificate PDF in an
// <embed> of the uploaded file, which Chromium's viewer frames). Never framed (clickjacking on the
// pay and prescription pages).
constexpr const char* kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; media-src 'self' blob:; worker-src 'self' blob:; "
    "object-src blob:; frame-src 'self' blob:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
// The camera only in the documents of the pages that scan or film: the gate scanner and the
// pharmacy counter's pickup-code scan. The web router loads a new document whenever a navigation
// enters or leaves one of these routes (web/src/router.ts, meta.camera), so each page runs under its
// own document's policy. The microphone stays allowed to this origin: voice input and voice clips
// are on many pages.
constexpr const char* kPermissionsRest =
    "microphone=(self), geolocation=(self), payment=(), usb=(), serial=(), bluetooth=(), "
    "hid=(), midi=(), accelerometer=(), gyroscope=(), magnetometer=(), display-capture=()";
const std::string kPermissionsCamera = std::string("camera=(self), ") + kPermissionsRest;
const std::string kPermissionsNoCamera = std::string("camera=(), ") + kPermissionsRest;

void AddSecurityHeaders(Reply& r, bool document, bool camera) {
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  if (!document) return;
  r.headers.emplace_back("Content-Security-Policy", kCsp);
  r.headers.emplace_back("Permissions-Policy", camera ? kPermissionsCamera : kPermissionsNoCamera);
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
}

}  // namespace

bool IsCameraRoute(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path == "/gate" || path == "/pharmacy/orders";
}

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
  AddSecurityHeaders(r, it->second.content_type.rfind("text/html", 0) == 0, IsCameraRoute(path));
  return r;
}

}  // namespace ihos::http
