// Hierarchy: the regions of one dataset version, level by level, with their codes, names,
// attributes, parent/child links and geometry (lon/lat degrees, see wangge/geometry/point.h).
//
// Region identity is the `code` (a string, unique per version by contract). The model keeps what
// the source declared even when it breaks that contract: a duplicated code keeps both regions (Find
// returns the first), and a declared parent that does not exist leaves parent() == kNoRegion while
// parent_code() still tells what was declared. The coverage check reports both as defects; the
// builder reports them as issues. Regions are numbered level by level (all regions of level 0
// first), in the order they were added within a level.
//
//   const Hierarchy& h = ...;
//   RegionId grid = h.Find("350302001001001");
//   for (RegionId unit : h.children(grid)) Print(h.code(unit), h.name(unit));
//
// Storage is flat (arena strings, one geometry store), so the Putian-scale dataset costs one
// allocation per array, not one per region.
// Thread safety: immutable after HierarchyBuilder::Build; share freely between threads.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wangge/geometry/box.h"
#include "wangge/geometry/multi_polygon.h"
#include "wangge/hierarchy/level.h"

namespace wangge {

using RegionId = uint32_t;
inline constexpr RegionId kNoRegion = std::numeric_limits<RegionId>::max();

// A contiguous range of region ids, usable in range-for.
struct RegionRange {
  struct Iterator {
    RegionId id;
    RegionId operator*() const { return id; }
    Iterator& operator++() {
      ++id;
      return *this;
    }
    friend bool operator==(Iterator, Iterator) = default;
  };
  RegionId first = 0;
  RegionId last = 0;  // one past the end
  Iterator begin() const { return {first}; }
  Iterator end() const { return {last}; }
  size_t size() const { return last - first; }
  bool contains(RegionId id) const { return id >= first && id < last; }
};

class Hierarchy {
 public:
  Hierarchy() = default;
  Hierarchy(Hierarchy&&) noexcept = default;
  Hierarchy& operator=(Hierarchy&&) noexcept = default;
  Hierarchy(const Hierarchy&) = delete;
  Hierarchy& operator=(const Hierarchy&) = delete;

  std::span<const Level> levels() const { return levels_; }
  size_t level_count() const { return levels_.size(); }
  // Returns the index of the level named `name`, if any.
  std::optional<size_t> FindLevel(std::string_view name) const;

  size_t region_count() const { return level_of_.size(); }
  // Returns the ids of all regions of `level`. REQUIRES: level < level_count().
  RegionRange regions(size_t level) const { return {level_begin_[level], level_begin_[level + 1]}; }

  // Per-region accessors. REQUIRES: id < region_count().
  size_t level(RegionId id) const { return level_of_[id]; }
  std::string_view code(RegionId id) const { return String(3 * id); }
  std::string_view name(RegionId id) const { return String(3 * id + 1); }
  // Returns the parent code the source declared ("" at the top level).
  std::string_view parent_code(RegionId id) const { return String(3 * id + 2); }
  // Returns the declared parent if it exists on the level above, else kNoRegion.
  RegionId parent(RegionId id) const { return parent_[id]; }
  std::span<const RegionId> children(RegionId id) const {
    return std::span<const RegionId>(children_).subspan(child_begin_[id],
                                                        child_begin_[id + 1] - child_begin_[id]);
  }
  MultiPolygonView geometry(RegionId id) const;
  const Box& bounds(RegionId id) const { return bounds_[id]; }
  // Returns the source's feature id (e.g. the OGR FID), or -1 if the region was built in memory.
  int64_t feature_id(RegionId id) const { return feature_id_[id]; }

  // Attributes beyond code, parent and name, e.g. households or 网格长 phone; one list of names per
  // level, and per region one value (possibly empty) per name, as text.
  std::span<const std::string> attribute_names(size_t level) const {
    return attribute_names_[level];
  }
  // REQUIRES: index < attribute_names(level(id)).size().
  std::string_view attribute(RegionId id, size_t index) const;
  // Returns the attribute called `name`, or nullopt if the region's level has no such attribute.
  std::optional<std::string_view> attribute(RegionId id, std::string_view name) const;

  // Cache hints for writers of many answers about scattered regions: PrefetchRecord(id) asks for
  // the region's fixed-size records (level, parent, string offsets); PrefetchText(id), issued once
  // those have arrived, for its code and name. No effect on results. REQUIRES: id valid.
  // (Always inlined: GCC 12 takes an out-of-line function of prefetches for pure, and drops its
  // calls.)
  [[gnu::always_inline]] void PrefetchRecord(RegionId id) const {
    __builtin_prefetch(&level_of_[id]);
    __builtin_prefetch(&parent_[id]);
    __builtin_prefetch(&string_ends_[3 * id]);
  }
  [[gnu::always_inline]] void PrefetchText(RegionId id) const {
    const uint32_t begin = id ? string_ends_[3 * id - 1] : 0;
    __builtin_prefetch(strings_.data() + begin);
    __builtin_prefetch(strings_.data() + begin + 63);
  }

  // Returns the first region with `code`, or kNoRegion.
  RegionId Find(std::string_view code) const;
  // Returns every region id, ordered by code, then by id.
  std::span<const RegionId> by_code() const { return by_code_; }
  // Returns the bounding box of all regions.
  const Box& bounds() const { return total_bounds_; }

 private:
  friend class HierarchyBuilder;

  std::string_view String(size_t k) const {
    const uint32_t begin = k ? string_ends_[k - 1] : 0;
    return std::string_view(strings_).substr(begin, string_ends_[k] - begin);
  }

  std::vector<Level> levels_;
  std::vector<RegionId> level_begin_;  // level_count() + 1 entries
  std::vector<uint8_t> level_of_;
  std::string strings_;  // code, name, parent code of each region, back to back
  std::vector<uint32_t> string_ends_;
  std::vector<RegionId> parent_;
  std::vector<uint32_t> child_begin_;  // region_count() + 1 entries into children_
  std::vector<RegionId> children_;
  std::vector<int64_t> feature_id_;
  std::vector<Box> bounds_;
  Box total_bounds_;
  // Geometry store: region r owns points/rings/polygons [begin[r], begin[r+1]); ring and polygon
  // ends are relative to the region's own first point and ring.
  std::vector<Point> points_;
  std::vector<uint32_t> ring_ends_;
  std::vector<uint32_t> polygon_ends_;
  std::vector<uint64_t> point_begin_;
  std::vector<uint32_t> ring_begin_;
  std::vector<uint32_t> polygon_begin_;
  // Attributes.
  std::vector<std::vector<std::string>> attribute_names_;
  std::vector<uint32_t> attribute_begin_;  // region_count() + 1 entries into attribute_values_
  std::vector<std::string> attribute_values_;
  std::vector<RegionId> by_code_;  // every id, ordered by code, then by id (Find takes the first)
};

}  // namespace wangge
