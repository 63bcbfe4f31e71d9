#include "core/qr.hpp"

#include <qrencode.h>

#include <charconv>

namespace ihos::qr {

// Each row's dark runs become "h" strokes of a one-unit-wide path, moved relatively from the end
// of the previous run: about 6 bytes per run instead of the 14 of a closed rectangle.
std::string SvgOf(const unsigned char* modules, int width, int module_px) {
  const int quiet = 4;
  const int units = width + 2 * quiet;
  std::string path;
  path.reserve(static_cast<std::size_t>(width) * width / 2);
  char num[16];
  auto put = [&](int v) {
    auto r = std::to_chars(num, num + sizeof num, v);
    path.append(num, r.ptr);
  };
  for (int y = 0; y < width; ++y) {
    const unsigned char* row = modules + static_cast<std::ptrdiff_t>(y) * width;
    int x = 0, pen = -1;  // pen: where the last run ended, -1 before the row's first run
    while (x < width) {
      if (!(row[x] & 1)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < width && (row[x + run] & 1)) ++run;
      if (pen < 0) {
        path += 'M';
        put(x + quiet);
        path += ' ';
        put(y + quiet);
        path += ".5";
      } else {
        path += 'm';
        put(x - pen);
        path += " 0";
      }
      path += 'h';
      put(run);
      x += run;
      pen = x;
    }
  }
  const std::string px = std::to_string(units * module_px), u = std::to_string(units);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + px + "\" height=\"" + px + "\" viewBox=\"0 0 " + u +
         " " + u +
         "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path stroke=\"#000\" "
         "d=\"" +
         path + "\"/></svg>";
}

std::string Svg(std::string_view text, int module_px) {
  QRcode* qr = QRcode_encodeString8bit(std::string(text).c_str(), 0, QR_ECLEVEL_M);
  if (!qr) return "";
  std::string svg = SvgOf(qr->data, qr->width, module_px);
  QRcode_free(qr);
  return svg;
}

}  // namespace ihos::qr
