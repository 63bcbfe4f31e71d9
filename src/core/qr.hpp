#pragma once
// QR codes as compact SVG (libqrencode): dark modules drawn as one-unit horizontal strokes with
// relative moves, a 4-module quiet zone, white background. Thread-safe.
#include <string>
#include <string_view>

namespace ihos::qr {

// The SVG of an encoded symbol: `width` x `width` modules (libqrencode's QRcode::data, bit 0 =
// dark), `module_px` pixels per module.
std::string SvgOf(const unsigned char* modules, int width, int module_px);
// `text` encoded as 8-bit bytes at error-correction level M; "" when it does not fit a symbol.
std::string Svg(std::string_view text, int module_px = 4);

}  // namespace ihos::qr
