#include "wangge/geometry/wkt.h"

#include <geos/io/ParseException.h>
#include <geos/io/WKTReader.h>
#include <geos/io/WKTWriter.h>

#include "geometry/internal/geos_convert.h"

namespace wangge {

Result<MultiPolygon> ParseWkt(std::string_view wkt) {
  auto factory = geos::geom::GeometryFactory::create();
  geos::io::WKTReader reader(*factory);
  try {
    auto geometry = reader.read(std::string(wkt));
    return internal::FromGeos(*geometry);
  } catch (const geos::util::GEOSException& e) {
    return Status::InvalidArgument(std::string("bad WKT: ") + e.what());
  }
}

std::string ToWkt(const MultiPolygonView& geometry) {
  auto factory = geos::geom::GeometryFactory::create();
  geos::io::WKTWriter writer;
  writer.setTrim(true);
  writer.setRoundingPrecision(17);
  return writer.write(internal::ToGeos(*factory, geometry).get());
}

}  // namespace wangge
