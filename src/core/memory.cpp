#include "core/memory.hpp"

#include <malloc.h>

#include <climits>

namespace ihos::memory {

void KeepFreedMemory(std::size_t keep_bytes) {
  const int keep = keep_bytes > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(keep_bytes);
  // Setting either threshold also turns off glibc's dynamic thresholds, which otherwise
  // lower the trim threshold back after each large free.
  mallopt(M_TRIM_THRESHOLD, keep);
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
}

void ReturnFreeMemory() { malloc_trim(0); }

}  // namespace ihos::memory
