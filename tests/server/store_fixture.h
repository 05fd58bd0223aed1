// Shared by the version tests: a server over a VersionStore in a scratch folder, and small
// datasets whose answers reveal their version.
//
//   VersionedDataset(k): district 350302 (119.00–119.04 x 25.40–25.42) = grid 350302001, split into
//   units 350302001001 "west vK" (119.00 .. SplitX(k)) and 350302001002 "east vK" (SplitX(k) ..
//   119.04), SplitX(k) = 119.010 + 0.001 k. Probe point j (ProbeX(j) = 119.0105 + 0.001 j, lat
//   25.41) lies in the west unit exactly when j < k. With `overlap`, the east unit starts 0.002
//   further west: an overlap, an error-level defect.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "server/server.h"
#include "server/snapshot_publisher.h"
#include "wangge/load/dataset.h"
#include "wangge/store/version_store.h"

namespace wangge::testing {

Dataset VersionedDataset(int k, bool overlap = false);
double ProbeX(int j);
inline constexpr double kProbeY = 25.41;

// A scratch folder for the whole test program (created once, unlike ScratchDir()).
std::filesystem::path Scratch();

// Writes VersionedDataset(k, overlap) as a GeoPackage and returns its bytes.
std::string VersionedGeoPackage(int k, bool overlap = false);

// Returns the bytes of a file.
std::string ReadFileBytes(const std::string& path);

// A VersionStore in a fresh scratch folder, its SnapshotPublisher and a Server on 127.0.0.1:0
// with one planner API key (named "test.planner").
class StoreServer {
 public:
  // Fails the test (and leaves server() null) when something cannot start.
  explicit StoreServer(const std::string& name, server::ServerOptions options = {},
                       server::PublisherOptions publisher_options = {});
  ~StoreServer();

  uint16_t port() const { return server_->port(); }
  // "Authorization: Bearer <key>\r\n" for the planner key the server is configured with.
  const std::string& auth() const { return auth_; }
  const std::string& dir() const { return dir_; }
  VersionStore& store() { return *store_; }
  server::SnapshotPublisher& publisher() { return *publisher_; }
  std::shared_ptr<LiveSnapshot> live() { return live_; }
  server::Server* server() { return server_.get(); }

 private:
  std::string dir_;
  std::string auth_;
  std::unique_ptr<VersionStore> store_;
  std::shared_ptr<LiveSnapshot> live_;
  std::unique_ptr<server::SnapshotPublisher> publisher_;
  std::unique_ptr<server::Server> server_;
};

}  // namespace wangge::testing
