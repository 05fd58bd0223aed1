// ParallelFor: runs work items [0, n) on `threads` threads (the caller's thread included), handing
// out small chunks from an atomic counter so that uneven items balance. `body(begin, end, worker)`
// gets a worker index in [0, threads) for per-thread scratch; it must not throw.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace wangge::internal::coverage {

// Returns `requested` if positive, else the hardware thread count (at least 1).
inline int ResolveThreads(int requested) {
  if (requested > 0) return requested;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

template <typename Body>
void ParallelFor(size_t n, int threads, size_t chunk, Body&& body) {
  if (n == 0) return;
  chunk = std::max<size_t>(1, chunk);
  threads = std::max(1, std::min<int>(threads, static_cast<int>((n + chunk - 1) / chunk)));
  if (threads == 1) {
    body(size_t{0}, n, 0);
    return;
  }
  std::atomic<size_t> next{0};
  auto run = [&](int worker) {
    for (;;) {
      const size_t begin = next.fetch_add(chunk, std::memory_order_relaxed);
      if (begin >= n) return;
      body(begin, std::min(n, begin + chunk), worker);
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(static_cast<size_t>(threads - 1));
  for (int w = 1; w < threads; ++w) pool.emplace_back(run, w);
  run(0);
  for (std::thread& t : pool) t.join();
}

}  // namespace wangge::internal::coverage
