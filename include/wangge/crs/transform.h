// CrsTransform: a coordinate transformation between two CRSs through PROJ, e.g. from a
// CGCS2000 Gauss-Krüger zone (EPSG:4527) to lon/lat (EPSG:4490). A CRS is anything proj_create
// accepts: "EPSG:4527", WKT (also ESRI .prj text), PROJJSON, or a PROJ string ("+proj=tmerc ...";
// "+type=crs" is added when missing). Axis order is always normalised for visualisation: x is
// easting or longitude, y northing or latitude, whatever the authority says (EPSG:4326 and
// EPSG:4490 are lat/lon by the book; here they are lon/lat like everywhere else in wangge).
//
//   Result<CrsTransform> t = CrsTransform::Create("EPSG:4527", "EPSG:4490");
//   if (!t.ok()) return t.status();
//   Status s = t->Apply(std::span<Point>(points));    // in place
//
// Datum shifts: PROJ picks the operation per point as proj_create_crs_to_crs does, without network
// grids. In PROJ 9.1 CGCS2000 (EPSG:4490) → WGS84 (EPSG:4326) is a "ballpark" null shift, i.e. the
// identity; wangge treats the two as equal (they differ by well under a centimetre).
//
// Thread safety: a CrsTransform may be used from any number of threads at once. PROJ objects and
// contexts are not thread-safe, so each thread transforms with its own PROJ context and its own
// proj_clone() of the operation, made on first use in that thread and kept in a thread-local cache
// until the thread ends (entries of destroyed transforms are dropped on the next miss). Copies are
// cheap and share the operation and the per-thread clones.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "wangge/base/result.h"
#include "wangge/base/status.h"
#include "wangge/geometry/point.h"

namespace wangge {
namespace internal {
struct CrsTransformShared;  // the operation, shared by copies (transform.cc)
}  // namespace internal

class CrsTransform {
 public:
  // Creates the transformation from `source_crs` to `target_crs`. Returns kInvalidArgument naming
  // the string and PROJ's message when either is not a CRS PROJ knows, or when PROJ finds no
  // operation between them.
  static Result<CrsTransform> Create(std::string_view source_crs, std::string_view target_crs);

  // Transforms one point. Returns kInvalidArgument for a non-finite input or when PROJ cannot
  // transform it (e.g. outside the projection's domain), naming the point and PROJ's reason.
  Result<Point> Apply(Point p) const;

  // Transforms `points` in place, without allocating. On error returns kInvalidArgument naming the
  // index and value of the first point that is not finite or cannot be transformed; the points
  // before it are transformed, that point and the ones after it are unspecified.
  Status Apply(std::span<Point> points) const;

  const std::string& source_crs() const;
  const std::string& target_crs() const;

 private:
  explicit CrsTransform(std::shared_ptr<internal::CrsTransformShared> shared)
      : shared_(std::move(shared)) {}

  std::shared_ptr<internal::CrsTransformShared> shared_;  // never null
};

// Returns the transformation from `source_crs` to CGCS2000 lon/lat (EPSG:4490), i.e.
// CrsTransform::Create(source_crs, "EPSG:4490").
Result<CrsTransform> ToLonLat(std::string_view source_crs);

// Returns a one-line description of a CRS for people, e.g.
// "EPSG:4527 (CGCS2000 / 3-degree Gauss-Kruger zone 39)". A CRS without an identifier (WKT without
// ID, a PROJ string) is matched against the EPSG database and named by its code when the match is
// certain; otherwise the result is its name, or its PROJ string when it has no name. Returns
// kInvalidArgument as CrsTransform::Create does.
Result<std::string> DescribeCrs(std::string_view crs_text);

}  // namespace wangge
