// Defect injection into a clean synthetic model (see wangge/synth/injected_defect.h for what each
// kind does and what its truth says).
//
//   Result<std::vector<InjectedDefect>> truth = InjectDefects(&model, graph, 2, seed);
//
// Thread safety: none needed; edits `model` in place.
#pragma once

#include <cstdint>
#include <vector>

#include "synth/internal/model.h"
#include "synth/internal/partition.h"
#include "wangge/base/result.h"
#include "wangge/synth/injected_defect.h"

namespace wangge::internal {

// Injects `per_kind` defects of every kind at unit level and ceil(per_kind / 2) of each geometric
// kind at grid level, each in a grid not used by, nor adjacent to, another defect. REQUIRES: the
// model is clean, model units are indexed like the graph's nodes. Fails with kResourceExhausted
// when the hierarchy has too few grids for that many far-apart defects.
Result<std::vector<InjectedDefect>> InjectDefects(Model* model, const UnitGraph& graph,
                                                  size_t per_kind, uint64_t seed);

}  // namespace wangge::internal
