// Synthesize: a realistic synthetic six-level hierarchy (city, district, town, community, grid,
// unit: DefaultLevels()) inside real district outlines, reproducible from a seed, for tests and
// benchmarks at the scale of a real city.
//
//   SynthOptions options;
//   options.districts_path = "data/putian/districts.geojson";
//   options.scale = SynthScale::Putian();
//   options.seed = 42;
//   Result<SynthResult> r = Synthesize(options);   // r->hierarchy, r->defects
//
// What it builds:
//   - Counts exactly as the scale says, per level. Units follow a density model: dense urban
//     centres (城厢/荔城, 涵江, 秀屿, 仙游 county seat), town seats, villages on the plain, few in
//     the hills and the western mountains; 20–60 vertices per unit (20–59 distinct vertices, so at
//     most 60 points with the closing one), borders that wiggle.
//   - Every level is vertex-exact seamless: the units are one noded planar partition of the
//     cleaned districts (wangge/synth/districts.h; see src/core/synth/internal/units.h for the
//     method), and every upper region is the exact union of its children (shared directed
//     segments cancel), so siblings share identical vertices and a parent's boundary is made of
//     its children's edges. The districts equal the cleaned outlines (plus the vertices where unit
//     borders meet them, and collinear vertices on a few border segments).
//   - Groups are contiguous: towns, communities and grids are connected sets of adjacent units
//     (recursive bisection of the unit adjacency graph; islands are linked to the nearest land).
//   - Regions are added level by level; units grid by grid, each level in numbering order.
//   - Codes follow the default code model (DESIGN.md): city "3503" (parent ""), district = the
//     GB/T 2260 code from the file, town = district + 3 (街道 001–099 in urban areas, 镇 100–199),
//     community = town + 3 (社区/居委会 001–199, 村/村委会 200–399), grid = community + 3, unit =
//     grid + 3. Siblings are numbered west→east in bands from north to south.
//   - Names: "…街道"/"…镇", "…社区"/"…村", "第N网格", "第N单元"; attributes: units and grids
//     `households` (20–60 per unit, a grid's is the sum and at most 500), grids `网格长` (a
//     person's name) and `phone` (fictitious: "0594-0…", which no real number starts with).
//   - Same options → byte-identical hierarchy (own PRNG, no std distributions; parallel steps do
//     not depend on scheduling). Across machines, libm differences in sin/exp may change bits.
//   - With defects_per_kind = N > 0: N defects of every kind at unit level, and ceil(N/2) of each
//     geometric kind at grid level, each described in `defects` (wangge/synth/injected_defect.h).
//
// Thread safety: Synthesize is reentrant; it uses TBB internally.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "wangge/base/result.h"
#include "wangge/hierarchy/hierarchy.h"
#include "wangge/synth/districts.h"
#include "wangge/synth/injected_defect.h"

namespace wangge {

// How big a synthetic city is.
struct SynthScale {
  std::string name;
  // District codes to build in; empty means every district in the file. Cleaning always uses all
  // of them, so a subset keeps the borders it has in the full city.
  std::vector<std::string> districts;
  size_t towns = 0;
  size_t communities = 0;
  size_t grids = 0;
  size_t units = 0;

  // Putian's published figures: 54 towns/streets, 973 communities, 10,439 grids, 134,753 units,
  // in the five districts.
  static SynthScale Putian();
  // For tests: 城厢区 and 荔城区 only, 8 towns, 48 communities, 250 grids, 3,000 units.
  static SynthScale Small();
  // Returns the preset named "putian" or "small".
  static Result<SynthScale> Named(std::string_view name);
};

struct SynthOptions {
  std::string districts_path;  // e.g. data/putian/districts.geojson
  SynthScale scale = SynthScale::Putian();
  uint64_t seed = 1;
  size_t defects_per_kind = 0;
};

struct SynthStats {
  size_t voronoi_edges = 0;
  size_t straightened_edges = 0;
  size_t border_cells = 0;
  size_t noded_segments = 0;
  size_t reassigned_faces = 0;
  size_t vertex_count_fixes = 0;       // units whose point count the balancer fixed
  size_t vertex_count_violations = 0;  // units outside 20–60 points (0 unless something failed)
  size_t multipart_units = 0;
  double seconds = 0;
};

struct SynthResult {
  Hierarchy hierarchy;
  std::vector<InjectedDefect> defects;
  // The cleaned outlines of the districts built in (scale.districts), and what cleaning did.
  std::vector<DistrictOutline> districts;
  DistrictCleaning cleaning;
  SynthStats stats;
};

// Builds the hierarchy. Fails with kInvalidArgument on impossible options (a district code not in
// the file, fewer units than groups), with the reader's error on a bad districts file.
Result<SynthResult> Synthesize(const SynthOptions& options);

}  // namespace wangge
