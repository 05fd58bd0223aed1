// A synthetic, perfectly nested and edge-matched hierarchy for the tiles tests and benchmark: a
// square lattice of cells whose borders are wavy polylines (generated once per lattice edge and
// used by both neighbours, reversed on one side), so every level's regions are blocks of cells
// whose rings run through exactly the same vertices as their children's. Reproducible from the
// seed.
//
//   Hierarchy h = MakeLatticeHierarchy({.cells = 32});
//
// Codes are "<level>-<column>-<row>" of the block at that level; parents are the enclosing block.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "wangge/hierarchy/hierarchy.h"

namespace wangge::testing {

struct LatticeOptions {
  double lon0 = 119.00;  // south-west corner
  double lat0 = 25.40;
  double cell_deg = 0.002;  // cell side in degrees (~200 m)
  int cells = 32;           // cells per side
  int wiggles = 6;          // interior vertices per cell edge
  double jitter = 0.2;      // lattice node jitter, fraction of a cell
  double wave = 0.12;       // border waviness, fraction of a cell
  uint32_t seed = 1;
  // Level names and block sides in cells, coarsest first; each side divides the one before.
  std::vector<std::pair<std::string, int>> levels = {
      {"city", 32}, {"district", 16}, {"town", 8}, {"community", 4}, {"grid", 2}, {"unit", 1}};
};

Hierarchy MakeLatticeHierarchy(const LatticeOptions& options);

}  // namespace wangge::testing
