// SnapshotPublisher: keeps the server's LiveSnapshot on the store's live version. A background
// thread builds the snapshot of each newly live version (publish, rollback, or a `wangge publish`
// run by another process against the same store, seen by polling VersionStore::Refresh) from the
// version's GeoPackage, then swaps it in with LiveSnapshot::Publish. Request threads never build
// and never wait: they answer from the old snapshot until the swap, and a build that fails leaves
// the old one live and its error in state().
// It also answers "as of" lookups: a small LRU of locate-only snapshots of older versions.
//
//   auto publisher = SnapshotPublisher::Start(store.get(), live, {.poll_ms = 1000});
//   (*publisher)->Wake();                      // after a write through this process's store
//   PublisherState s = (*publisher)->state();  // served / building version, last error
//
// Thread safety: every method may be called from any thread. Builds are serialised (one worker),
// so snapshots are published in the order the store made their versions live.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "wangge/base/result.h"
#include "wangge/snapshot/snapshot.h"
#include "wangge/store/version_store.h"

namespace wangge::server {

struct PublisherOptions {
  // How often the worker re-reads the store for writes by other processes (0 = never; writes
  // through this process wake it at once).
  int poll_ms = 1000;
  // Locate-only snapshots of older versions kept for as-of lookups.
  size_t as_of_cache = 2;
  // How live snapshots are built (SnapshotOptions::version is set per version; threads applies to
  // the first build in Start).
  SnapshotOptions snapshot;
  // Threads of a background build: fewer than the cores, so requests keep their speed meanwhile.
  int build_threads = 1;
};

struct PublisherState {
  std::string served;    // the version LiveSnapshot holds ("" before the first publish)
  std::string live;      // the store's live version ("" before the first publish)
  std::string building;  // the version being built now, "" when idle
  std::string failed;    // the last version whose build failed ("" if none since a success)
  std::string last_error;
  uint64_t builds = 0;          // snapshots built and published
  uint64_t build_failures = 0;  // builds that failed
  double last_build_seconds = 0;
};

// Builds the snapshot's simplification tables and label points (TileSource::Prepare), which
// BuildSnapshot leaves to the first tile of each zoom so that a server is ready sooner.
void PrepareTiles(const Snapshot& snapshot);

class SnapshotPublisher {
 public:
  // Builds the snapshot of the store's live version (if any) and publishes it to `live` before
  // returning, so a server starts on the current version, then starts the worker. Fails if that
  // first build fails. REQUIRES: store and live outlive the publisher.
  static Result<std::unique_ptr<SnapshotPublisher>> Start(VersionStore* store,
                                                          std::shared_ptr<LiveSnapshot> live,
                                                          const PublisherOptions& options);
  ~SnapshotPublisher();  // stops the worker (waits for a build in progress)
  SnapshotPublisher(const SnapshotPublisher&) = delete;
  SnapshotPublisher& operator=(const SnapshotPublisher&) = delete;

  VersionStore& store() const { return *store_; }
  PublisherState state() const;

  // Makes the worker look at the store now (after a publish or rollback through this process).
  void Wake();

  // Waits until `version` is served, a build of it failed, or `timeout` passes; returns whether
  // it is served. For tests and the CLI.
  bool WaitServed(const std::string& version, std::chrono::milliseconds timeout);

  // Returns a snapshot of published version `version` for as-of lookups: the live snapshot when
  // it serves that version, else a locate-only snapshot (no coverage, built on the caller's
  // thread on a cache miss; concurrent callers for one version share one build).
  Result<std::shared_ptr<const Snapshot>> SnapshotOf(const std::string& version);

  // Returns a locate-only snapshot of draft `draft_id` (for its diff and impact), cached in the
  // same LRU; built on the caller's thread on a miss. Its version name is "draft <id>".
  Result<std::shared_ptr<const Snapshot>> DraftSnapshot(const std::string& draft_id);

 private:
  SnapshotPublisher(VersionStore* store, std::shared_ptr<LiveSnapshot> live,
                    const PublisherOptions& options);
  void Run();
  // Builds and publishes the store's live version if it is not served yet.
  void Reconcile();
  Result<std::shared_ptr<const Snapshot>> Build(const std::string& version,
                                                const SnapshotOptions& options) const;
  // Returns the cached locate-only snapshot under `key`, building it with `build` on a miss.
  Result<std::shared_ptr<const Snapshot>> Cached(
      const std::string& key,
      const std::function<Result<std::shared_ptr<const Snapshot>>(const SnapshotOptions&)>& build);

  VersionStore* store_;
  std::shared_ptr<LiveSnapshot> live_;
  PublisherOptions options_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;     // the worker waits here
  std::condition_variable changed_;  // WaitServed waits here
  bool stop_ = false;
  bool woken_ = false;
  PublisherState state_;  // guarded by mutex_

  using Built = std::shared_future<Result<std::shared_ptr<const Snapshot>>>;
  std::mutex cache_mutex_;
  std::list<std::pair<std::string, Built>> cache_;  // most recently used first

  std::thread worker_;
};

// Returns an empty snapshot (the levels of a default hierarchy, no regions, version "") that a
// server serves until its store has a first version.
std::shared_ptr<const Snapshot> EmptySnapshot();

}  // namespace wangge::server
