#include "wangge/geometry/wkt.h"

#include <gtest/gtest.h>

namespace wangge {
namespace {

TEST(Wkt, RoundTripsBitForBit) {
  const std::string text =
      "MULTIPOLYGON (((119.0123456789012 25.1, 119.2 25.1, 119.2 25.3, 119.0123456789012 25.1)),"
      " ((0 0, 1 0, 1 1, 0 0), (0.5 0.1, 0.9 0.1, 0.9 0.5, 0.5 0.1)))";
  Result<MultiPolygon> m = ParseWkt(text);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  Result<MultiPolygon> again = ParseWkt(ToWkt(m->view()));
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->view().vertex_count(), m->view().vertex_count());
  for (size_t i = 0; i < m->view().vertex_count(); ++i) {
    EXPECT_EQ(again->view().points()[i], m->view().points()[i]);
  }
  EXPECT_EQ(again->view().polygon(1).ring_count(), 2u);
}

TEST(Wkt, RejectsGarbageAndNonPolygons) {
  EXPECT_EQ(ParseWkt("POLYGON ((0 0, 1").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseWkt("LINESTRING (0 0, 1 1)").status().code(), StatusCode::kDataError);
}

}  // namespace
}  // namespace wangge
