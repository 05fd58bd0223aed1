// ReadLayer: reads one level's layer into RegionInputs, in lon/lat, with every problem reported as
// a LoadIssue (see wangge/load/dataset.h for which problems fail, skip or only warn).
//
//   LayerResult r = ReadLayer(job);        // opens its own GDAL handle
//   if (!r.status.ok()) return r.status;
//
// Thread safety: reentrant; each call opens its own dataset handle, so layers can be read on
// different threads at once.
#pragma once

#include <string>
#include <vector>

#include "wangge/base/status.h"
#include "wangge/hierarchy/hierarchy_builder.h"
#include "wangge/load/dataset.h"
#include "wangge/load/manifest.h"

namespace wangge::internal {

struct LayerJob {
  size_t level = 0;
  std::string level_name;
  std::string file;          // a file GDAL can open
  std::string layer;         // layer name in `file`
  bool layer_given = false;  // if false and `file` holds one layer, that layer is used
  FieldMapping fields;
  bool parent_optional = false;  // a missing default parent field means "no parents"
  std::string crs;               // overrides the layer's CRS; "" = the layer's own
  std::string encoding;          // the manifest's .dbf encoding; "" = none
};

struct LayerResult {
  Status status;  // not OK: the whole load fails
  LayerInfo info;
  std::vector<std::string> attribute_names;
  std::vector<RegionInput> regions;  // .level == job.level
  std::vector<LoadIssue> issues;
};

LayerResult ReadLayer(const LayerJob& job);

}  // namespace wangge::internal
