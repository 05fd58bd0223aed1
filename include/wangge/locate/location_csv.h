// LocationCsv: located points as CSV, the one format `wangge locate` writes and POST /v1/locate
// answers for text/csv (DESIGN.md, CLI). A header
//   id,status,on_boundary,<level name>...[,distance_m]
// then one row per point
//   id,status,on_boundary,<code of the region assigned at each level, empty where none>
// with, when distances were asked for, distance_m: 0 for a point a finest-level region owns, the
// distance in metres (2 decimals) to the nearest one within the limit, else empty. Fields are
// quoted as RFC 4180 requires.
//
//   LocationCsv csv(index, /*with_distance=*/false);
//   std::string out;
//   csv.AppendHeader(out);
//   csv.AppendRows(id_fields, locations, out);  // id_fields[i]: a CSV field, written as is
//
// Rows are written a batch at a time so the codes of scattered regions are fetched a few rows
// ahead (PointIndex::PrefetchAnswers): writing costs about as much as locating.
//
// Thread safety: const methods may run concurrently; AppendRows reuses internal buffers (one
// writer per thread).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wangge/locate/point_index.h"

namespace wangge {

class LocationCsv {
 public:
  // `index` must outlive the writer.
  LocationCsv(const PointIndex& index, bool with_distance);

  void AppendHeader(std::string& out) const;

  // Appends the row of locations[i] with id_fields[i] as its id field.
  // REQUIRES: id_fields.size() == locations.size().
  void AppendRows(std::span<const std::string_view> id_fields, std::span<const Location> locations,
                  std::string& out);

  // Appends `text` as one CSV field: as is, or quoted when it holds a comma, quote or line break.
  static void AppendField(std::string& out, std::string_view text);

 private:
  void AppendRow(std::string_view id_field, const Location& where, std::string& out);

  const PointIndex& index_;
  bool with_distance_;
  std::vector<RegionId> chain_;
};

}  // namespace wangge
