// ihosd: read the configuration, build the App, run it.
#include <iostream>

#include "app/app.hpp"
#include "core/log.hpp"

int main(int argc, char** argv) {
  auto parsed = ihos::app::ParseConfig(argc, argv);
  if (parsed.exit_code >= 0) return parsed.exit_code;
  ihos::log::Init(parsed.config.log_level, parsed.config.log_file);
  static ihos::SystemClock clock;
  try {
    auto app = ihos::app::App::Create(parsed.config, clock);
    if (!app) {
      ihos::log::Error("cannot start", {{"code", app.error().code}, {"detail", app.error().detail}});
      std::cerr << "ihosd: cannot start: " << app.error().code << ": " << app.error().detail << "\n";
      return 1;
    }
    const int rc = (*app)->Run();
    ihos::log::Flush();
    return rc;
  } catch (const std::exception& e) {
    ihos::log::Error("fatal", {{"what", e.what()}});
    std::cerr << "ihosd: " << e.what() << "\n";
    return 1;
  }
}
