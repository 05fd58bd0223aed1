#include "synth/internal/snap_noder.h"

#include <cstdint>
#include <exception>
#include <memory>
#include <string>

#include <geos/geom/CoordinateArraySequence.h>
#include <geos/geom/PrecisionModel.h>
#include <geos/noding/NodedSegmentString.h>
#include <geos/noding/snapround/SnapRoundingNoder.h>

#include "synth/internal/planar.h"

namespace wangge::internal {

Result<std::vector<std::vector<Point>>> SnapNode(const std::vector<std::vector<Point>>& polylines) {
  std::vector<std::vector<Point>> result(polylines.size());
  std::vector<geos::noding::SegmentString*> input;
  input.reserve(polylines.size());
  auto release = [](std::vector<geos::noding::SegmentString*>& strings) {
    for (geos::noding::SegmentString* s : strings) delete s;
    strings.clear();
  };
  try {
    for (size_t i = 0; i < polylines.size(); ++i) {
      const std::vector<Point>& line = polylines[i];
      auto seq = std::make_unique<geos::geom::CoordinateArraySequence>(line.size(), 2u);
      for (size_t k = 0; k < line.size(); ++k) {
        seq->setAt(geos::geom::Coordinate(line[k].x, line[k].y), k);
      }
      input.push_back(new geos::noding::NodedSegmentString(
          seq.release(), reinterpret_cast<const void*>(static_cast<uintptr_t>(i + 1))));
    }
    const geos::geom::PrecisionModel pm(kGridScale);
    geos::noding::snapround::SnapRoundingNoder noder(&pm);
    noder.computeNodes(&input);
    std::unique_ptr<std::vector<geos::noding::SegmentString*>> pieces(noder.getNodedSubstrings());
    for (geos::noding::SegmentString* piece : *pieces) {
      const auto index = reinterpret_cast<uintptr_t>(piece->getData()) - 1;
      std::vector<Point>& out = result[index];
      const geos::geom::CoordinateSequence* seq = piece->getCoordinates();
      for (size_t k = 0; k < seq->size(); ++k) {
        const Point p{seq->getX(k), seq->getY(k)};
        if (out.empty() || !(out.back() == p)) out.push_back(p);
      }
    }
    release(*pieces);
    release(input);
  } catch (const std::exception& e) {
    release(input);
    return Status::Internal(std::string("snap-rounding noder (GEOS): ") + e.what());
  }
  return result;
}

}  // namespace wangge::internal
