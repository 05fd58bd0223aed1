// DeriveParents: builds the missing upper levels of a hierarchy from the levels a city does
// maintain (often only grids and units), by coverage union, so that they match their children
// vertex for vertex by construction (`wangge check --derive-parents`).
//
//   Result<Hierarchy> full = DeriveParents(units_and_grids);   // city … community derived
//   CoverageReport r = ValidateCoverage(*full);               // checks units against grids
//
// Rules:
//   - The result has the levels of `options.levels` from the top down to the source's finest
//     level (matched by name; every source level must be among them).
//   - A level the source has (with at least one region) is copied as it is.
//   - A missing level gets one region per distinct parent code declared by the level below; a
//     region below that declares no parent gets the prefix of its own code that the code model
//     gives the missing level (e.g. a 12-digit community code → its 9-digit town). Where the
//     model leaves the level unconstrained (the city, by default), all regions below share one
//     parent whose code is their longest common prefix of an even number of digits.
//   - A derived region's geometry is the union of its children's (children of a derived level
//     are themselves derived first, so everything bottoms out at maintained levels): GEOS
//     CoverageUnion, exact when the children are edge-matched; otherwise a general union, noted.
//   - Derived regions have an empty name and no attributes.
//
// Thread safety: reentrant.
#pragma once

#include <string>
#include <vector>

#include "wangge/base/result.h"
#include "wangge/coverage/coverage_options.h"
#include "wangge/hierarchy/hierarchy.h"
#include "wangge/hierarchy/level.h"

namespace wangge {

struct DeriveOptions {
  std::vector<Level> levels = DefaultLevels();  // the full level list, coarsest first
  CodeModel code_model;                         // ancestor codes from code prefixes
};

// Returns the hierarchy with its missing upper levels derived. Fails (kInvalidArgument) if a
// source level is not among options.levels or the levels are out of order. Appends a note per
// derived region whose children could not be merged exactly to `notes`, if given.
Result<Hierarchy> DeriveParents(const Hierarchy& source, const DeriveOptions& options = {},
                                std::vector<std::string>* notes = nullptr);

}  // namespace wangge
