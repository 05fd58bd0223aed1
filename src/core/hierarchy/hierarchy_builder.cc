#include "wangge/hierarchy/hierarchy_builder.h"

#include <algorithm>
#include <cassert>
#include <numeric>
#include <utility>

namespace wangge {

HierarchyBuilder::HierarchyBuilder(std::vector<Level> levels)
    : levels_(std::move(levels)), attribute_names_(levels_.size()) {
  assert(!levels_.empty() && levels_.size() <= 255);
  for (Level& level : levels_) {
    if (level.label.empty()) level.label = level.name;
  }
}

void HierarchyBuilder::SetAttributeNames(size_t level, std::vector<std::string> names) {
  attribute_names_[level] = std::move(names);
}

void HierarchyBuilder::Add(RegionInput region) {
  assert(region.level < levels_.size());
  regions_.push_back(std::move(region));
}

Hierarchy HierarchyBuilder::Build(std::vector<HierarchyIssue>* issues) && {
  Hierarchy h;
  const size_t n = regions_.size();
  // Order by level, keeping the insertion order within a level.
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return regions_[a].level < regions_[b].level; });

  h.levels_ = std::move(levels_);
  h.attribute_names_ = std::move(attribute_names_);
  h.level_begin_.assign(h.levels_.size() + 1, 0);
  for (const RegionInput& r : regions_) ++h.level_begin_[r.level + 1];
  std::partial_sum(h.level_begin_.begin(), h.level_begin_.end(), h.level_begin_.begin());

  size_t string_bytes = 0, point_count = 0, ring_count = 0, polygon_count = 0;
  for (const RegionInput& r : regions_) {
    string_bytes += r.code.size() + r.name.size() + r.parent.size();
    const MultiPolygonView g = r.geometry.view();
    point_count += g.vertex_count();
    ring_count += g.ring_count();
    polygon_count += g.polygon_count();
  }
  h.strings_.reserve(string_bytes);
  h.string_ends_.reserve(3 * n);
  h.points_.reserve(point_count);
  h.ring_ends_.reserve(ring_count);
  h.polygon_ends_.reserve(polygon_count);
  h.level_of_.reserve(n);
  h.feature_id_.reserve(n);
  h.bounds_.reserve(n);
  h.point_begin_.reserve(n + 1);
  h.ring_begin_.reserve(n + 1);
  h.polygon_begin_.reserve(n + 1);
  h.attribute_begin_.reserve(n + 1);
  h.point_begin_.push_back(0);
  h.ring_begin_.push_back(0);
  h.polygon_begin_.push_back(0);
  h.attribute_begin_.push_back(0);

  for (uint32_t source : order) {
    RegionInput& r = regions_[source];
    for (const std::string* s : {&r.code, &r.name, &r.parent}) {
      h.strings_ += *s;
      h.string_ends_.push_back(static_cast<uint32_t>(h.strings_.size()));
    }
    h.level_of_.push_back(static_cast<uint8_t>(r.level));
    h.feature_id_.push_back(r.feature_id);
    const MultiPolygonView g = r.geometry.view();
    h.points_.insert(h.points_.end(), g.points().begin(), g.points().end());
    h.ring_ends_.insert(h.ring_ends_.end(), g.ring_ends().begin(), g.ring_ends().end());
    h.polygon_ends_.insert(h.polygon_ends_.end(), g.polygon_ends().begin(), g.polygon_ends().end());
    h.point_begin_.push_back(h.points_.size());
    h.ring_begin_.push_back(static_cast<uint32_t>(h.ring_ends_.size()));
    h.polygon_begin_.push_back(static_cast<uint32_t>(h.polygon_ends_.size()));
    h.bounds_.push_back(g.bounds());
    h.total_bounds_.Add(h.bounds_.back());
    r.attributes.resize(h.attribute_names_[r.level].size());
    for (std::string& value : r.attributes) h.attribute_values_.push_back(std::move(value));
    h.attribute_begin_.push_back(static_cast<uint32_t>(h.attribute_values_.size()));
    r.geometry = MultiPolygon();
  }
  regions_.clear();

  // Code index: ids ordered by code; among equal codes the first region wins.
  h.by_code_.resize(n);
  std::iota(h.by_code_.begin(), h.by_code_.end(), RegionId{0});
  std::stable_sort(h.by_code_.begin(), h.by_code_.end(),
                   [&h](RegionId a, RegionId b) { return h.code(a) < h.code(b); });
  std::vector<RegionId> duplicates;
  for (size_t i = 1; i < n; ++i) {
    if (h.code(h.by_code_[i]) == h.code(h.by_code_[i - 1])) duplicates.push_back(h.by_code_[i]);
  }
  std::sort(duplicates.begin(), duplicates.end());
  for (RegionId id : duplicates) {
    if (!issues) break;
    issues->push_back({HierarchyIssue::Kind::kDuplicateCode, id,
                       "code " + std::string(h.code(id)) + " is used by more than one " +
                           h.levels_[h.level(id)].name + " region"});
  }

  // Parent links: the declared parent must exist on the level directly above.
  h.parent_.assign(n, kNoRegion);
  std::vector<uint32_t> child_count(n + 1, 0);
  for (RegionId id = 0; id < n; ++id) {
    const std::string_view parent_code = h.parent_code(id);
    const size_t level = h.level(id);
    if (level == 0 && parent_code.empty()) continue;
    const RegionId parent = parent_code.empty() ? kNoRegion : h.Find(parent_code);
    if (parent != kNoRegion && level > 0 && h.level(parent) == level - 1) {
      h.parent_[id] = parent;
      ++child_count[parent + 1];
    } else if (level > 0 && issues) {
      std::string message = h.levels_[level].name + " " + std::string(h.code(id));
      if (parent_code.empty()) {
        message += " declares no parent";
      } else if (parent == kNoRegion) {
        message += " declares parent " + std::string(parent_code) + ", which does not exist";
      } else {
        message += " declares parent " + std::string(parent_code) + ", which is a " +
                   h.levels_[h.level(parent)].name + ", not a " + h.levels_[level - 1].name;
      }
      issues->push_back({HierarchyIssue::Kind::kMissingParent, id, std::move(message)});
    }
  }
  std::partial_sum(child_count.begin(), child_count.end(), child_count.begin());
  h.child_begin_ = child_count;
  h.children_.resize(child_count[n]);
  for (RegionId id = 0; id < n; ++id) {
    if (h.parent_[id] != kNoRegion) h.children_[child_count[h.parent_[id]]++] = id;
  }
  return h;
}

}  // namespace wangge
