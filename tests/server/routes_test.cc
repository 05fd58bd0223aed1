// The route table and Dispatch on their own: matching, parameters, 404/405/OPTIONS, and a handler
// that fails without leaking its detail.
#include "server/routes.h"

#include <stdexcept>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/http_status.h"

namespace wangge::server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

Reply Ok(const Context&, const HttpRequest& request) {
  Reply reply;
  for (const std::string& p : request.path_params) reply.body += "[" + p + "]";
  return reply;
}

Reply Throws(const Context&, const HttpRequest&) {
  throw std::runtime_error("secret database password in /etc/wangge");
}

TEST(RouteTable, MatchesLiteralAndParameterSegmentsAndDecodesParameters) {
  RouteTable t;
  t.Add(HttpMethod::kGet, "/", Ok);
  t.Add(HttpMethod::kGet, "/a/{x}/b/{y}", Ok);
  t.Add(HttpMethod::kGet, "/tiles/{z}/{x}/{y}.mvt", Ok);
  std::vector<std::string> params;
  EXPECT_EQ(t.Match("/", &params), 0u);
  EXPECT_EQ(t.Match("/a/%E7%BD%91%20x/b/2", &params), 1u);
  EXPECT_THAT(params, ElementsAre("网 x", "2"));
  EXPECT_EQ(t.Match("/tiles/1/2/3.mvt", &params), 2u);
  EXPECT_THAT(params, ElementsAre("1", "2", "3"));
  EXPECT_EQ(t.Match("/tiles/1/2/.mvt", &params), RouteTable::kNoRoute);
  EXPECT_EQ(t.Match("/a//b/2", &params), RouteTable::kNoRoute);
  EXPECT_EQ(t.Match("/a/1/b/2/", &params), RouteTable::kNoRoute);
  EXPECT_EQ(t.Match("/a/%zz/b/2", &params), RouteTable::kNoRoute);
  EXPECT_EQ(t.Match("", &params), RouteTable::kNoRoute);
  EXPECT_EQ(t.Allow(1), "GET, HEAD, OPTIONS");
}

TEST(PercentDecode, DecodesEscapesAndPlusOnlyInQueries) {
  EXPECT_EQ(PercentDecode("a%2Cb+c", true), "a,b c");
  EXPECT_EQ(PercentDecode("a%2cb+c", false), "a,b+c");
  EXPECT_FALSE(PercentDecode("%4", true));
  EXPECT_FALSE(PercentDecode("%g0", true));
}

TEST(Dispatch, AnswersNotFoundMethodNotAllowedPreflightAndHidesInternalErrors) {
  RouteTable t;
  t.Add(HttpMethod::kGet, "/ok/{id}", Ok);
  t.Add(HttpMethod::kGet, "/boom", Throws);
  Context context;
  size_t route = 0;
  HttpRequest request;
  request.path = "/ok/7";
  EXPECT_EQ(Dispatch(t, context, request, &route).body, "[7]");
  EXPECT_EQ(route, 0u);
  request.path = "/nope";
  Reply reply = Dispatch(t, context, request, &route);
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(route, RouteTable::kNoRoute);
  request.path = "/ok/7";
  request.method = HttpMethod::kPost;
  reply = Dispatch(t, context, request, &route);
  EXPECT_EQ(reply.status, 405);
  EXPECT_THAT(reply.headers, ::testing::Contains(std::pair<std::string, std::string>(
                                 "Allow", "GET, HEAD, OPTIONS")));
  request.method = HttpMethod::kOptions;
  EXPECT_EQ(Dispatch(t, context, request, &route).status, 204);
  request.method = HttpMethod::kGet;
  request.path = "/boom";
  reply = Dispatch(t, context, request, &route);
  EXPECT_EQ(reply.status, 500);
  EXPECT_EQ(reply.body, R"({"error":{"code":"internal","message":"internal error"}})");
  EXPECT_THAT(reply.body, Not(HasSubstr("secret")));
}

TEST(ErrorReply, MapsEveryStatusCodeAndTellsNoInternalDetail) {
  EXPECT_EQ(ErrorReply(Status::InvalidArgument("x")).status, 400);
  EXPECT_EQ(ErrorReply(Status::NotFound("x")).status, 404);
  EXPECT_EQ(ErrorReply(Status::DataError("x")).status, 422);
  EXPECT_EQ(ErrorReply(Status::FailedPrecondition("x")).status, 409);
  EXPECT_EQ(ErrorReply(Status::ResourceExhausted("x")).status, 413);
  EXPECT_EQ(ErrorReply(Status::Unimplemented("x")).status, 501);
  const Reply io = ErrorReply(Status::IoError("/srv/wangge/store/v7.gpkg: disk full"));
  EXPECT_EQ(io.status, 500);
  EXPECT_THAT(io.body, Not(HasSubstr("disk")));
  EXPECT_EQ(ErrorReply(HttpError::kUnsupportedMediaType, "m").status, 415);
  EXPECT_EQ(ErrorReply(Status::DataError("point 3: \"lon\"\n")).body,
            R"({"error":{"code":"data_error","message":"point 3: \"lon\"\n"}})");
}

}  // namespace
}  // namespace wangge::server
