// HugePageAllocator: a std::allocator for the index's big flat arrays that asks Linux for
// transparent huge pages (madvise MADV_HUGEPAGE on 2 MiB-aligned blocks). A lookup touches one or
// two random cache lines of a ~100 MB index; with 4 KiB pages each of those also misses the TLB,
// which costs as much again (more in a virtual machine). Small arrays, and systems without
// MADV_HUGEPAGE, get plain std::allocator memory. Elements are default-initialized: resize() on a
// vector of numbers leaves the new ones unwritten, for a parallel fill to write (rather than a
// serial pass zeroing ~100 MB first).
//
//   std::vector<uint64_t, HugePageAllocator<uint64_t>> arena;
//
// Thread safety: stateless.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <utility>

#include <sys/mman.h>

namespace wangge::internal {

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  static constexpr size_t kHugePage = size_t{1} << 21;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT(google-explicit-constructor)

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePage) return std::allocator<T>().allocate(n);
    const size_t rounded = (bytes + kHugePage - 1) & ~(kHugePage - 1);
    void* p = std::aligned_alloc(kHugePage, rounded);
    if (p == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    madvise(p, rounded, MADV_HUGEPAGE);  // advice only: failure leaves ordinary pages
#endif
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t n) {
    if (n * sizeof(T) < kHugePage) {
      std::allocator<T>().deallocate(p, n);
    } else {
      std::free(p);
    }
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    if constexpr (sizeof...(Args) == 0) {
      ::new (static_cast<void*>(p)) U;
    } else {
      ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
  }
  template <typename U>
  friend bool operator==(const HugePageAllocator&, const HugePageAllocator<U>&) {
    return true;
  }
};

}  // namespace wangge::internal
