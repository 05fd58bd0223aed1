#include "wangge/tiles/tile_cache.h"

namespace wangge {
namespace {

uint64_t HashVersion(std::string_view version) {
  uint64_t hash = 14695981039346656037ull;  // FNV-1a
  for (char c : version) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return hash | 1;  // never 0, the "no version yet" value
}

}  // namespace

TileCache::TileCache(size_t max_bytes) : shard_max_bytes_(max_bytes / kShards) {}

uint64_t TileCache::Key(const TileId& tile, TileEncoding encoding) {
  // z < 32, x and y < 2^24: 5 + 24 + 24 + 1 bits.
  return (uint64_t{tile.z} << 49) | (uint64_t{tile.x} << 25) | (uint64_t{tile.y} << 1) |
         static_cast<uint64_t>(encoding);
}

uint64_t TileCache::SwitchVersion(std::string_view version) {
  const uint64_t hash = HashVersion(version);
  if (version_.load(std::memory_order_acquire) == hash) return hash;
  std::lock_guard<std::mutex> lock(version_mutex_);
  if (version_.load(std::memory_order_relaxed) == hash) return hash;
  version_.store(hash, std::memory_order_release);
  for (Shard& shard : shards_) {
    std::lock_guard<std::mutex> shard_lock(shard.mutex);
    shard.lru.clear();
    shard.map.clear();
    shard.bytes = 0;
  }
  return hash;
}

std::shared_ptr<const std::string> TileCache::Get(std::string_view version, const TileId& tile,
                                                  TileEncoding encoding) {
  const uint64_t v = SwitchVersion(version);
  const uint64_t key = Key(tile, encoding);
  Shard& shard = ShardOf(key);
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto it = shard.map.find(key);
  // An entry of another version can only be a straggler Put racing a version switch: a miss.
  if (it == shard.map.end() || it->second->version != v) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  shard.lru.splice(shard.lru.begin(), shard.lru, it->second);
  hits_.fetch_add(1, std::memory_order_relaxed);
  return it->second->bytes;
}

void TileCache::Put(std::string_view version, const TileId& tile, TileEncoding encoding,
                    std::shared_ptr<const std::string> bytes) {
  if (!bytes) return;
  const uint64_t v = SwitchVersion(version);
  const uint64_t key = Key(tile, encoding);
  const size_t cost = bytes->size() + kEntryOverhead;
  if (cost > shard_max_bytes_) return;
  Shard& shard = ShardOf(key);
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto it = shard.map.find(key);
  if (it != shard.map.end()) {
    shard.bytes -= it->second->bytes->size() + kEntryOverhead;
    shard.lru.erase(it->second);
    shard.map.erase(it);
  }
  shard.lru.push_front({key, v, std::move(bytes)});
  shard.map[key] = shard.lru.begin();
  shard.bytes += cost;
  while (shard.bytes > shard_max_bytes_) {
    const Shard::Entry& old = shard.lru.back();
    shard.bytes -= old.bytes->size() + kEntryOverhead;
    shard.map.erase(old.key);
    shard.lru.pop_back();
  }
}

size_t TileCache::bytes() const {
  size_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mutex);
    total += shard.bytes;
  }
  return total;
}

size_t TileCache::entries() const {
  size_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mutex);
    total += shard.map.size();
  }
  return total;
}

}  // namespace wangge
