// Snapshot: everything the service answers from for one dataset version, built once and never
// changed: the loaded Dataset (hierarchy, provenance, load issues), the indexes built over it —
// the PointIndex for lookups, one BoxIndex per level for bounding-box queries and the TileSource
// for map layers — and its coverage report.
// LiveSnapshot holds the current one; request threads take a shared_ptr to it for the length of a
// request, so publishing a new version never waits for requests and never drops one, and an old
// snapshot's memory is freed when the last request using it finishes.
//
//   Result<std::shared_ptr<const Snapshot>> built = BuildSnapshot(std::move(dataset));
//   if (!built.ok()) return built.status();
//   auto live = std::make_shared<LiveSnapshot>(*built);
//   std::shared_ptr<const Snapshot> s = live->Get();   // per request
//   Location where = s->point_index().Locate({119.0076, 25.4310});
//
// Thread safety: a Snapshot is immutable and shared freely; LiveSnapshot's Get and Publish may be
// called concurrently from any threads.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wangge/base/result.h"
#include "wangge/coverage/coverage_options.h"
#include "wangge/coverage/coverage_report.h"
#include "wangge/geometry/box.h"
#include "wangge/hierarchy/hierarchy.h"
#include "wangge/load/dataset.h"
#include "wangge/locate/point_index.h"
#include "wangge/snapshot/box_index.h"
#include "wangge/tiles/tile_source.h"

namespace wangge {

struct Snapshot {
  // The version name every answer carries: the store's version id when served from a store
  // (SnapshotOptions::version), else the fingerprint.
  std::string version;
  // Identifies the content: a fingerprint of every code, parent, name, attribute and vertex, as 16
  // hex digits. Equal datasets have equal fingerprints; the base of ETags and tile cache keys.
  std::string fingerprint;
  std::chrono::system_clock::time_point built_at;
  Dataset dataset;
  // Over dataset.hierarchy; set by BuildSnapshot.
  std::optional<PointIndex> locator;
  // One per level; item i of level l is region hierarchy().regions(l).first + i.
  std::vector<BoxIndex> level_boxes;
  // The coverage check of the hierarchy; unset when SnapshotOptions::check_coverage is false.
  std::optional<CoverageReport> coverage;
  // Vector tiles, TileJSON and style of the hierarchy; unset when SnapshotOptions::build_tiles is
  // false. Its per-zoom tables are built on first use (TileSource::Prepare builds them all).
  std::optional<TileSource> tiles;

  const Hierarchy& hierarchy() const { return dataset.hierarchy; }
  // REQUIRES: built by BuildSnapshot.
  const PointIndex& point_index() const { return *locator; }
  // REQUIRES: built by BuildSnapshot with build_tiles.
  const TileSource& tile_source() const { return *tiles; }

  // Returns the regions of `level` whose geometry intersects the closed box `query` (touching
  // counts), in ascending id order. The box index narrows the candidates; each candidate's rings
  // are then tested against the box, so a region whose bounding box merely overlaps is left out.
  // REQUIRES: level < hierarchy().level_count().
  std::vector<RegionId> RegionsIntersecting(size_t level, const Box& query) const;
};

struct SnapshotOptions {
  // The name answers carry (Snapshot::version); empty = the content fingerprint.
  std::string version;
  // Threads for building the indexes and checking coverage: 0 = all cores, 1 = everything one
  // after the other on the calling thread. With more than one, the parts (point index, coverage
  // check, tile source, fingerprint and box indexes) are built side by side; the snapshot is the
  // same either way.
  int threads = 0;
  // Whether to run the coverage check (about a second for a Putian-sized city).
  bool check_coverage = true;
  CoverageOptions coverage;
  // Whether to build the TileSource; false leaves Snapshot::tiles unset (a locate-only snapshot,
  // e.g. for answering as of an older version, which needs no map layers).
  bool build_tiles = true;
  // How the TileSource renders (zoom ranges per level, extent, ...).
  TileSourceOptions tiles;
};

// Builds the snapshot of `dataset` and all its indexes. Fails only if an index cannot be built
// (e.g. a hierarchy without levels).
Result<std::shared_ptr<const Snapshot>> BuildSnapshot(Dataset dataset,
                                                      const SnapshotOptions& options = {});

// Returns the content fingerprint of a hierarchy as 16 lower-case hex digits.
std::string Fingerprint(const Hierarchy& hierarchy);

class LiveSnapshot {
 public:
  // REQUIRES: initial != nullptr.
  explicit LiveSnapshot(std::shared_ptr<const Snapshot> initial) : current_(std::move(initial)) {}

  // Returns the current snapshot; the caller keeps it alive as long as it holds the pointer.
  std::shared_ptr<const Snapshot> Get() const { return current_.load(std::memory_order_acquire); }
  // Makes `next` current for every later Get(). REQUIRES: next != nullptr.
  void Publish(std::shared_ptr<const Snapshot> next) {
    current_.store(std::move(next), std::memory_order_release);
  }

 private:
  std::atomic<std::shared_ptr<const Snapshot>> current_;
};

}  // namespace wangge
