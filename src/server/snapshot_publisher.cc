#include "server/snapshot_publisher.h"

#include <algorithm>
#include <iostream>
#include <utility>

#include "wangge/hierarchy/hierarchy_builder.h"
#include "wangge/load/dataset.h"

namespace wangge::server {

std::shared_ptr<const Snapshot> EmptySnapshot() {
  Dataset dataset;
  dataset.source = "(no version published)";
  dataset.hierarchy = HierarchyBuilder(DefaultLevels()).Build(nullptr);
  SnapshotOptions options;
  options.check_coverage = false;
  Result<std::shared_ptr<const Snapshot>> built = BuildSnapshot(std::move(dataset), options);
  if (!built.ok()) return nullptr;
  // The version name stays empty: "no version yet" for /readyz and /v1/locate.
  auto copy = std::const_pointer_cast<Snapshot>(std::move(built).value());
  copy->version.clear();
  return copy;
}

SnapshotPublisher::SnapshotPublisher(VersionStore* store, std::shared_ptr<LiveSnapshot> live,
                                     const PublisherOptions& options)
    : store_(store), live_(std::move(live)), options_(options) {}

Result<std::unique_ptr<SnapshotPublisher>> SnapshotPublisher::Start(
    VersionStore* store, std::shared_ptr<LiveSnapshot> live, const PublisherOptions& options) {
  std::unique_ptr<SnapshotPublisher> publisher(
      new SnapshotPublisher(store, std::move(live), options));
  if (std::optional<VersionInfo> current = store->Current()) {
    Result<std::shared_ptr<const Snapshot>> built = publisher->Build(current->id, options.snapshot);
    if (!built.ok()) return built.status();
    publisher->live_->Publish(std::move(built).value());
    publisher->state_.served = current->id;
    publisher->state_.live = current->id;
    publisher->state_.builds = 1;
  }
  publisher->worker_ = std::thread([p = publisher.get()] { p->Run(); });
  return publisher;
}

SnapshotPublisher::~SnapshotPublisher() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

PublisherState SnapshotPublisher::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

void SnapshotPublisher::Wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

bool SnapshotPublisher::WaitServed(const std::string& version, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] {
    return state_.served == version || (state_.failed == version && state_.building.empty());
  });
  return state_.served == version;
}

void PrepareTiles(const Snapshot& snapshot) {
  if (snapshot.tiles) snapshot.tile_source().Prepare();
}

void SnapshotPublisher::Run() {
  PrepareTiles(*live_->Get());  // the version Start published, now that the server answers
  std::unique_lock lock(mutex_);
  while (!stop_) {
    if (options_.poll_ms > 0) {
      wake_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms),
                     [&] { return stop_ || woken_; });
    } else {
      wake_.wait(lock, [&] { return stop_ || woken_; });
    }
    if (stop_) break;
    woken_ = false;
    lock.unlock();
    Reconcile();
    lock.lock();
  }
}

void SnapshotPublisher::Reconcile() {
  Result<bool> refreshed = store_->Refresh();
  if (!refreshed.ok()) {
    std::lock_guard lock(mutex_);
    state_.last_error = "cannot re-read the store: " + refreshed.status().ToString();
    return;
  }
  const std::optional<VersionInfo> current = store_->Current();
  if (!current) return;
  {
    std::lock_guard lock(mutex_);
    state_.live = current->id;
    // Nothing to do when served, and a version whose build failed is not retried until the
    // store's live version changes again (a restart retries it).
    if (state_.served == current->id || state_.failed == current->id) return;
    state_.building = current->id;
  }
  const auto start = std::chrono::steady_clock::now();
  SnapshotOptions options = options_.snapshot;
  options.threads = options_.build_threads;
  Result<std::shared_ptr<const Snapshot>> built = Build(current->id, options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (built.ok()) {
    PrepareTiles(**built);  // so the new version's first tiles are as quick as the old one's
    live_->Publish(*built);
  }
  {
    std::lock_guard lock(mutex_);
    state_.building.clear();
    if (built.ok()) {
      state_.served = current->id;
      state_.failed.clear();
      state_.last_error.clear();
      state_.last_build_seconds = seconds;
      ++state_.builds;
    } else {
      state_.failed = current->id;
      state_.last_error = built.status().ToString();
      ++state_.build_failures;
      std::cerr << "wangge serve: building version " << current->id << " failed, version "
                << (state_.served.empty() ? "(none)" : state_.served)
                << " stays live: " << state_.last_error << "\n";
    }
  }
  changed_.notify_all();
}

Result<std::shared_ptr<const Snapshot>> SnapshotPublisher::Build(
    const std::string& version, const SnapshotOptions& options) const {
  Result<std::string> path = store_->VersionDatasetPath(version);
  if (!path.ok()) return path.status();
  Result<Dataset> dataset = LoadDataset(*path);
  if (!dataset.ok()) return dataset.status().WithContext("version " + version);
  SnapshotOptions with_version = options;
  with_version.version = version;
  Result<std::shared_ptr<const Snapshot>> built =
      BuildSnapshot(std::move(dataset).value(), with_version);
  if (!built.ok()) return built.status().WithContext("version " + version);
  return built;
}

Result<std::shared_ptr<const Snapshot>> SnapshotPublisher::SnapshotOf(const std::string& version) {
  std::shared_ptr<const Snapshot> served = live_->Get();
  if (served->version == version) return served;
  return Cached("version " + version,
                [&](const SnapshotOptions& options) { return Build(version, options); });
}

Result<std::shared_ptr<const Snapshot>> SnapshotPublisher::DraftSnapshot(
    const std::string& draft_id) {
  return Cached("draft " + draft_id,
                [&](const SnapshotOptions& options) -> Result<std::shared_ptr<const Snapshot>> {
                  Result<std::string> path = store_->DraftDatasetPath(draft_id);
                  if (!path.ok()) return path.status();
                  Result<Dataset> dataset = LoadDataset(*path);
                  if (!dataset.ok()) return dataset.status().WithContext("draft " + draft_id);
                  SnapshotOptions named = options;
                  named.version = "draft " + draft_id;
                  return BuildSnapshot(std::move(dataset).value(), named);
                });
}

Result<std::shared_ptr<const Snapshot>> SnapshotPublisher::Cached(
    const std::string& key,
    const std::function<Result<std::shared_ptr<const Snapshot>>(const SnapshotOptions&)>& build) {
  Built built;
  bool build_here = false;
  std::promise<Result<std::shared_ptr<const Snapshot>>> promise;
  {
    std::lock_guard lock(cache_mutex_);
    for (auto it = cache_.begin(); it != cache_.end(); ++it) {
      if (it->first != key) continue;
      cache_.splice(cache_.begin(), cache_, it);
      built = it->second;
      break;
    }
    if (!built.valid()) {
      built = promise.get_future().share();
      build_here = true;
      cache_.emplace_front(key, built);
      while (cache_.size() > std::max<size_t>(options_.as_of_cache, 1)) cache_.pop_back();
    }
  }
  if (build_here) {
    SnapshotOptions options;
    options.threads = 1;  // a request thread: leave the other cores to the other requests
    options.check_coverage = false;
    options.build_tiles = false;  // locate only
    Result<std::shared_ptr<const Snapshot>> result = build(options);
    if (!result.ok()) {  // not cached: a later request tries again
      std::lock_guard lock(cache_mutex_);
      for (auto it = cache_.begin(); it != cache_.end(); ++it) {
        if (it->first == key) {
          cache_.erase(it);
          break;
        }
      }
    }
    promise.set_value(std::move(result));
  }
  return built.get();
}

}  // namespace wangge::server
