// TileCache: a bounded in-memory cache of rendered tiles for the HTTP server, keyed by snapshot
// version, tile and encoding. It holds tiles of one version only: the first Get or Put with another
// version drops everything (a publish or rollback never serves stale tiles, and the old tiles'
// memory goes at once). Least-recently-used tiles are evicted when the bytes held exceed the bound.
// TileSource itself keeps no cache, so offline rendering (MBTiles, benchmarks) pays nothing for it.
//
//   TileCache cache(256 << 20);
//   auto hit = cache.Get(snapshot->version, tile, TileEncoding::kGzip);
//   if (!hit) cache.Put(snapshot->version, tile, TileEncoding::kGzip, bytes = ...);
//
// Thread safety: all methods may be called concurrently (16 independently locked shards).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "wangge/tiles/tile_id.h"

namespace wangge {

enum class TileEncoding : uint8_t { kIdentity = 0, kGzip = 1 };

class TileCache {
 public:
  // `max_bytes` bounds the tile bytes held (plus a small per-entry overhead).
  explicit TileCache(size_t max_bytes);
  TileCache(const TileCache&) = delete;
  TileCache& operator=(const TileCache&) = delete;

  // Returns the cached bytes, or nullptr on a miss. A `version` other than the cache's current one
  // empties the cache first.
  std::shared_ptr<const std::string> Get(std::string_view version, const TileId& tile,
                                         TileEncoding encoding);
  // Stores `bytes` (an empty tile is worth caching too). A `version` other than the current one
  // empties the cache first.
  void Put(std::string_view version, const TileId& tile, TileEncoding encoding,
           std::shared_ptr<const std::string> bytes);

  size_t bytes() const;
  size_t entries() const;
  uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }

 private:
  static constexpr size_t kShards = 16;
  static constexpr size_t kEntryOverhead = 96;
  struct Shard {
    mutable std::mutex mutex;
    struct Entry {
      uint64_t key;
      uint64_t version;  // hash of the version that stored it
      std::shared_ptr<const std::string> bytes;
    };
    std::list<Entry> lru;  // front = newest
    std::unordered_map<uint64_t, decltype(lru)::iterator> map;
    size_t bytes = 0;
  };

  // Empties all shards if `version` is not the current version; returns the version's hash.
  uint64_t SwitchVersion(std::string_view version);
  static uint64_t Key(const TileId& tile, TileEncoding encoding);
  Shard& ShardOf(uint64_t key) { return shards_[(key * 0x9e3779b97f4a7c15ull) >> 60]; }

  const size_t shard_max_bytes_;
  std::array<Shard, kShards> shards_;
  std::mutex version_mutex_;
  std::atomic<uint64_t> version_{0};  // hash of the current version, 0 before the first call
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
};

}  // namespace wangge
