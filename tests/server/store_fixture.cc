#include "server/store_fixture.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "support/test_support.h"
#include "wangge/hierarchy/hierarchy_builder.h"
#include "wangge/load/dataset_writer.h"

namespace wangge::testing {
namespace fs = std::filesystem;

namespace {

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", value);
  return text;
}

std::string Box(double x0, double x1) {
  const std::string a = Number(x0), b = Number(x1);
  return "POLYGON ((" + a + " 25.40, " + b + " 25.40, " + b + " 25.42, " + a + " 25.42, " + a +
         " 25.40))";
}

}  // namespace

fs::path Scratch() {
  // Not ScratchDir(): that empties the test's folder on every call, store included.
  static const fs::path dir = [] {
    const fs::path d = ScratchDir();
    return d;
  }();
  return dir;
}

double ProbeX(int j) { return 119.0105 + 0.001 * j; }

Dataset VersionedDataset(int k, bool overlap) {
  const double split = 119.010 + 0.001 * k;
  HierarchyBuilder b({{"district", "区县"}, {"grid", "网格"}, {"unit", "单元"}});
  const std::string whole = "POLYGON ((119.00 25.40, " + Number(split) + " 25.40, 119.04 25.40, " +
                            "119.04 25.42, " + Number(split) +
                            " 25.42, 119.00 25.42, 119.00 25.40))";
  b.Add({.level = 0, .code = "350302", .name = "城厢区", .geometry = Wkt(whole)});
  b.Add({.level = 1,
         .code = "350302001",
         .parent = "350302",
         .name = "网格",
         .geometry = Wkt(whole)});
  b.Add({.level = 2,
         .code = "350302001001",
         .parent = "350302001",
         .name = "west v" + std::to_string(k),
         .geometry = Wkt(Box(119.00, split))});
  b.Add({.level = 2,
         .code = "350302001002",
         .parent = "350302001",
         .name = "east v" + std::to_string(k),
         .geometry = Wkt(Box(overlap ? split - 0.002 : split, 119.04))});
  Dataset dataset;
  dataset.source = "versioned";
  dataset.hierarchy = std::move(b).Build(nullptr);
  return dataset;
}

std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string VersionedGeoPackage(int k, bool overlap) {
  const fs::path path =
      Scratch() / ("versioned-" + std::to_string(k) + (overlap ? "-overlap" : "") + ".gpkg");
  std::error_code ignored;
  fs::remove(path, ignored);
  const Status s = WriteGeoPackage(VersionedDataset(k, overlap).hierarchy, path.string());
  EXPECT_TRUE(s.ok()) << s.ToString();
  return ReadFileBytes(path.string());
}

StoreServer::StoreServer(const std::string& name, server::ServerOptions options,
                         server::PublisherOptions publisher_options) {
  dir_ = (Scratch() / ("store-" + name)).string();
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
  Result<std::unique_ptr<VersionStore>> store = VersionStore::Open(dir_);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return;
  store_ = std::move(store).value();
  live_ = std::make_shared<LiveSnapshot>(server::EmptySnapshot());
  auto publisher = server::SnapshotPublisher::Start(store_.get(), live_, publisher_options);
  EXPECT_TRUE(publisher.ok()) << publisher.status().ToString();
  if (!publisher.ok()) return;
  publisher_ = std::move(publisher).value();
  options.host = "127.0.0.1";
  options.port = 0;
  options.threads = 2;
  options.access_log = "off";
  Result<server::NewApiKey> key = server::MakeApiKey("test.planner", server::ApiRole::kPlanner);
  EXPECT_TRUE(key.ok());
  if (!key.ok()) return;
  options.api_keys.push_back(key->entry);
  auth_ = "Authorization: Bearer " + key->secret + "\r\n";
  auto server = server::Server::Start(options, live_, publisher_.get());
  EXPECT_TRUE(server.ok()) << server.status().ToString();
  if (server.ok()) server_ = std::move(server).value();
}

StoreServer::~StoreServer() {
  server_.reset();
  publisher_.reset();
}

}  // namespace wangge::testing
