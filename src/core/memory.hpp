#pragma once
// Heap tuning for a long-running server (the chat replay spent about a tenth of its
// CPU in glibc handing freed memory back to the kernel on every free: madvise + TLB flushes).
// The heap is kept instead, and returned to the kernel now and then with malloc_trim.
#include <cstddef>

namespace ihos::memory {

// Process-wide: freed memory stays in the heap up to `keep_bytes` above its in-use size
// instead of being returned at once; allocations of 4 MiB or more are their own mappings.
// Call once, before the server starts its threads.
void KeepFreedMemory(std::size_t keep_bytes = std::size_t{512} << 20);

// Returns the heap's unused pages to the kernel (every arena). Cheap when idle; the server
// calls it every minute so memory kept during a burst goes back after it.
void ReturnFreeMemory();

}  // namespace ihos::memory
