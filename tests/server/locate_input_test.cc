// The batch body parsers on their own: shapes, ids, offsets in error messages.
#include "server/locate_input.h"

#include <cmath>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wangge::server {
namespace {

using ::testing::HasSubstr;

TEST(ParseJsonBatch, ReadsPairsTriplesAndObjectsWithRawIds) {
  auto batch = ParseJsonBatch(
      " [ [1.5,-2e-1] , [3,4,5], {\"lat\":6,\"id\":\"a\\\"b\",\"lon\":7}, {\"id\":-0.5e3,"
      "\"lon\":1,\"lat\":2,\"extra\":[{\"x\":null},true]} ] \n");
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_EQ(batch->format, PointBatch::Format::kJsonArray);
  ASSERT_EQ(batch->points.size(), 4u);
  EXPECT_EQ(batch->points[0], (Point{1.5, -0.2}));
  EXPECT_EQ(batch->points[1], (Point{3, 4}));
  EXPECT_EQ(batch->points[2], (Point{7, 6}));
  EXPECT_EQ(batch->ids[0], "");
  EXPECT_EQ(batch->ids[2], "\"a\\\"b\"");
  EXPECT_EQ(batch->ids[3], "-0.5e3");
}

TEST(ParseJsonBatch, NamesTheByteOfASyntaxErrorAndThePointOfAShapeError) {
  auto syntax = ParseJsonBatch("[[1,2],[3,4}");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(syntax.status().message(), HasSubstr("byte 11"));
  auto shape = ParseJsonBatch("[[1,2],[3,4],{\"lon\":\"5\",\"lat\":6}]");
  ASSERT_FALSE(shape.ok());
  EXPECT_EQ(shape.status().code(), StatusCode::kDataError);
  EXPECT_THAT(shape.status().message(), HasSubstr("point 2: lon must be a number"));
}

TEST(ParseJsonBatch, AnOverflowingNumberIsAnInvalidPointNotAnError) {
  auto batch = ParseJsonBatch("[[1e400, 2]]");
  ASSERT_TRUE(batch.ok());
  EXPECT_TRUE(std::isnan(batch->points[0].x));
}

TEST(ParseJsonBatch, KeepsTheOtherMembersOfAFeatureCollection) {
  auto batch = ParseJsonBatch(
      R"({"name": "r", "features": [{"type": "Feature", "geometry": {"type": "Point",
          "coordinates": [1, 2]}, "properties": {}}], "version": "old", "type": "FeatureCollection",
          "bbox": [0, 0, 1, 1]})");
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_EQ(batch->format, PointBatch::Format::kGeoJson);
  ASSERT_EQ(batch->features.size(), 1u);
  EXPECT_EQ(batch->points[0], (Point{1, 2}));
  ASSERT_EQ(batch->members.size(), 2u);
  EXPECT_EQ(batch->members[0], R"("name": "r")");
  EXPECT_EQ(batch->members[1], R"("bbox": [0, 0, 1, 1])");
}

TEST(ParseCsvBatch, HeaderOrNoHeaderQuotesBomAndCrLf) {
  auto batch = ParseCsvBatch("\xEF\xBB\xBFid,lon,lat\r\n\"a \"\"1\"\"\",1.5,2\r\n\r\nb, 3 ,\"4\"");
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  ASSERT_EQ(batch->points.size(), 2u);
  EXPECT_EQ(batch->ids[0], "\"a \"\"1\"\"\"");
  EXPECT_EQ(batch->points[0], (Point{1.5, 2}));
  EXPECT_EQ(batch->ids[1], "b");
  EXPECT_EQ(batch->points[1], (Point{3, 4}));
  auto plain = ParseCsvBatch("x,1,2\ny,3,4\n");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->points.size(), 2u);
}

TEST(ParseCsvBatch, ReportsTheLineOfABadRecord) {
  auto bad = ParseCsvBatch("id,lon,lat\na,1,2\n\"multi\nline\",1,2\nb,1,two\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kDataError);
  EXPECT_THAT(bad.status().message(), HasSubstr("line 5"));
  auto unterminated = ParseCsvBatch("a,\"1,2\n");
  ASSERT_FALSE(unterminated.ok());
  EXPECT_EQ(unterminated.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace wangge::server
