// Helpers shared by the version tests (versions_test.cc, versions_hot_swap_test.cc): HTTP calls as
// the planner of a StoreServer, publishing a VersionedDataset, and the truth of the probe points.
#pragma once

#include <cstdio>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/store_fixture.h"
#include "support/http_client.h"

namespace wangge::testing {

using json = nlohmann::json;

inline constexpr const char* kGpkg = "application/geopackage+sqlite3";

inline json Json(const HttpResponse& response) {
  return json::parse(response.body, nullptr, false);
}

inline HttpResponse Post(uint16_t port, const std::string& target, const std::string& body,
                         const std::string& content_type) {
  HttpClient client(port);
  return client.Request("POST", target, body,
                        content_type.empty() ? "" : "Content-Type: " + content_type + "\r\n");
}

inline HttpResponse Get(uint16_t port, const std::string& target) {
  HttpClient client(port);
  return client.Get(target);
}

// The same, as the planner of `s`.
inline HttpResponse Post(StoreServer& s, const std::string& target, const std::string& body,
                         const std::string& content_type) {
  HttpClient client(s.port());
  return client.Request(
      "POST", target, body,
      s.auth() + (content_type.empty() ? "" : "Content-Type: " + content_type + "\r\n"));
}

inline HttpResponse Get(StoreServer& s, const std::string& target) {
  HttpClient client(s.port());
  return client.Get(target, s.auth());
}

inline std::string LocateTarget(int j, const std::string& extra = "") {
  char target[128];
  std::snprintf(target, sizeof target, "/v1/locate?lon=%.4f&lat=%.2f", ProbeX(j), kProbeY);
  return target + extra;
}

// Uploads VersionedDataset(k) (or `gpkg`, its bytes made beforehand) and publishes it; returns
// the version id ("" on failure).
inline std::string PublishVersion(StoreServer& s, int k, const std::string& gpkg = "") {
  const HttpResponse draft = Post(s, "/v1/drafts?message=v" + std::to_string(k),
                                  gpkg.empty() ? VersionedGeoPackage(k) : gpkg, kGpkg);
  EXPECT_EQ(draft.status, 201) << draft.body;
  if (draft.status != 201) return "";
  const std::string id = Json(draft)["id"];
  const HttpResponse published =
      Post(s, "/v1/drafts/" + id + "/publish",
           R"({"message":"publish v)" + std::to_string(k) + "\"}", "application/json");
  EXPECT_EQ(published.status, 202) << published.body;
  if (published.status != 202) return "";
  return Json(published)["id"];
}

// The code the probe point j must get from VersionedDataset(k).
inline std::string TruthUnit(int k, int j) { return j < k ? "350302001001" : "350302001002"; }
inline std::string TruthName(int k, int j) {
  return (j < k ? "west v" : "east v") + std::to_string(k);
}

}  // namespace wangge::testing
