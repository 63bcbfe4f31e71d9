#include "store/sqlite/wal_sync.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>

#include "store/backend_common.hpp"

namespace ihos::store::sqlite {

WalSync::Flush WalSync::FsyncFile(std::string path) {
  struct State {
    std::string path;
    int fd = -1;  // used by one flusher at a time (WaitDurable admits one)
    ~State() {
      if (fd >= 0) ::close(fd);
    }
  };
  auto state = std::make_shared<State>();
  state->path = std::move(path);
  return [state]() -> bool {
    struct stat by_path {};
    if (::stat(state->path.c_str(), &by_path) != 0) return errno == ENOENT;
    struct stat by_fd {};
    if (state->fd < 0 || ::fstat(state->fd, &by_fd) != 0 || by_fd.st_ino != by_path.st_ino ||
        by_fd.st_dev != by_path.st_dev) {
      if (state->fd >= 0) ::close(state->fd);
      state->fd = ::open(state->path.c_str(), O_RDONLY | O_CLOEXEC);
      if (state->fd < 0) return false;
      const auto slash = state->path.rfind('/');
      const std::string dir = slash == std::string::npos ? "." : state->path.substr(0, slash == 0 ? 1 : slash);
      const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
      }
    }
    return ::fsync(state->fd) == 0;
  };
}

std::uint64_t WalSync::Committed() {
  std::lock_guard<std::mutex> l(mu_);
  return ++committed_;
}

Status WalSync::WaitDurable(std::uint64_t ticket) {
  std::unique_lock<std::mutex> l(mu_);
  while (synced_ < ticket) {
    if (flushing_) {
      cv_.wait(l);
      continue;
    }
    // Leader: flush for every commit made so far (followers arriving meanwhile wait for the next).
    flushing_ = true;
    const std::uint64_t target = committed_;
    l.unlock();
    const bool ok = flush_();
    l.lock();
    flushing_ = false;
    ++flushes_;
    if (ok) synced_ = std::max(synced_, target);
    cv_.notify_all();
    if (!ok) return detail::Unavailable("fsync of the SQLite WAL failed: the write may not be durable");
  }
  return {};
}

std::uint64_t WalSync::flushes() const {
  std::lock_guard<std::mutex> l(mu_);
  return flushes_;
}

}  // namespace ihos::store::sqlite
