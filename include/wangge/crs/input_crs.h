// InputCrs: the coordinate system of incoming reports (`wangge locate --crs`, the HTTP `crs=`
// parameter), and the conversion of their points to the lon/lat every lookup works in.
//
// Accepted names, case-insensitive, surrounding spaces ignored:
//   wgs84, cgcs2000, EPSG:4326, EPSG:4490   lon/lat degrees, taken as they are (CGCS2000 and WGS84
//                                           differ by well under a centimetre; PROJ 9.1 itself
//                                           transforms one to the other as the identity)
//   gcj02                                   GCJ-02 lon/lat (AMap, Tencent), see china_offsets.h
//   bd09, bd09ll                            BD-09 lon/lat (Baidu), see china_offsets.h
//   EPSG:<n>                                any other CRS in PROJ's database, e.g. a CGCS2000
//                                           Gauss-Krüger zone (EPSG:4527); x = easting/longitude
// Baidu's projected "bd09mc" is not supported. A report's CRS should be explicit: the GCJ-02 offset
// (20–700 m) is larger than a grid, so a wrong guess almost always gives the wrong grid.
//
//   Result<InputCrs> crs = InputCrs::Parse("gcj02");
//   if (!crs.ok()) return crs.status();
//   Result<Point> lonlat = crs->ToLonLat({119.0102, 25.4311});
//
// Results are lon/lat degrees (x = lon, y = lat) in CGCS2000, equal to WGS84 for wangge's purposes.
// Conversion rejects, with kInvalidArgument naming the value, a non-finite coordinate, a point
// PROJ cannot transform, and a result outside |lon| ≤ 180, |lat| ≤ 90.
//
// Thread safety: immutable; copies are cheap (EPSG transforms are shared, see CrsTransform) and may
// be used from any number of threads at once.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "wangge/base/result.h"
#include "wangge/base/status.h"
#include "wangge/crs/transform.h"
#include "wangge/geometry/point.h"

namespace wangge {

class InputCrs {
 public:
  enum class Kind {
    kLonLat,  // WGS84 / CGCS2000 lon/lat: no conversion
    kGcj02,
    kBd09,
    kProj,  // an EPSG CRS converted by PROJ
  };

  // Creates WGS84 lon/lat, the default of `wangge locate` and the HTTP API.
  InputCrs() = default;

  // Parses one of the names above. Returns kInvalidArgument naming the text for an unknown name
  // and for an EPSG code PROJ does not know (with PROJ's message). EPSG transforms are kept in a
  // process-wide cache, so parsing the same code per request costs a map look-up.
  static Result<InputCrs> Parse(std::string_view name_text);

  Kind kind() const { return kind_; }
  // Returns the canonical name: "wgs84", "cgcs2000", "gcj02", "bd09" or "EPSG:<n>".
  const std::string& name() const { return name_; }

  // Converts one point to lon/lat.
  Result<Point> ToLonLat(Point p) const;

  // Converts `points` to lon/lat in place, without allocating. On error returns kInvalidArgument
  // naming the index and value of the first bad point; the points before it are converted, that
  // point and the ones after it are unspecified.
  Status ToLonLat(std::span<Point> points) const;

 private:
  InputCrs(Kind kind, std::string name, std::optional<CrsTransform> transform)
      : kind_(kind), name_(std::move(name)), transform_(std::move(transform)) {}

  Kind kind_ = Kind::kLonLat;
  std::string name_ = "wgs84";
  std::optional<CrsTransform> transform_;  // set iff kind_ == kProj
};

}  // namespace wangge
