// HierarchyBuilder: collects regions in any order, then builds an immutable Hierarchy, resolving
// parent codes and reporting what breaks the model (duplicate codes, parents that do not exist on
// the level above). Nothing is dropped: an offending region stays in the Hierarchy and the issue
// says which one it is.
//
//   HierarchyBuilder b(DefaultLevels());
//   b.Add({.level = 4, .code = "350302001001001", .parent = "350302001001", .name = "第1网格",
//          .geometry = std::move(polygon)});
//   std::vector<HierarchyIssue> issues;
//   Hierarchy h = std::move(b).Build(&issues);
//
// Thread safety: none; use from one thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wangge/geometry/multi_polygon.h"
#include "wangge/hierarchy/hierarchy.h"
#include "wangge/hierarchy/level.h"

namespace wangge {

struct RegionInput {
  size_t level = 0;
  std::string code;
  std::string parent;  // the parent's code; empty at the top level
  std::string name;
  std::vector<std::string> attributes;  // one per attribute name of the level, missing → ""
  MultiPolygon geometry;
  int64_t feature_id = -1;
};

struct HierarchyIssue {
  enum class Kind { kDuplicateCode, kMissingParent };
  Kind kind;
  RegionId region;  // in the built Hierarchy
  std::string message;
};

class HierarchyBuilder {
 public:
  // REQUIRES: 1 <= levels.size() <= 255.
  explicit HierarchyBuilder(std::vector<Level> levels);

  // Declares the extra attribute columns of `level`, in the order RegionInput::attributes uses.
  void SetAttributeNames(size_t level, std::vector<std::string> names);
  // Adds a region. REQUIRES: region.level < level count.
  void Add(RegionInput region);
  size_t size() const { return regions_.size(); }

  // Builds the hierarchy; appends model issues to `issues` if not null.
  Hierarchy Build(std::vector<HierarchyIssue>* issues) &&;

 private:
  std::vector<Level> levels_;
  std::vector<std::vector<std::string>> attribute_names_;
  std::vector<RegionInput> regions_;
};

}  // namespace wangge
