// VersionStore: the boundary versions of one city on local disk — drafts a planner uploads, the
// immutable published versions, which one is live, and the history of who made which live when
// and why — so that a server can restart into the current version, answer "as of" a date, and
// planners can publish and roll back without ever leaving a half-written store behind.
//
//   Result<std::unique_ptr<VersionStore>> store = VersionStore::Open("/var/lib/wangge");
//   Result<DraftInfo> draft = (*store)->CreateDraft("upload/putian-2026-03.gpkg",
//                                                   {.author = "li.planner", .message =
//                                                   "三月调整"});
//   Result<VersionInfo> live = (*store)->Publish(draft->id, {.author = "li.planner"});
//   Result<std::string> then = (*store)->VersionAt(time_of_report);   // as-of lookups
//
// On disk (DIR):
//   state.json                 the commit point: the live version id and the full history, replaced
//                              atomically (write state.json.tmp, fsync, rename, fsync DIR)
//   versions/<id>/dataset.gpkg immutable once its directory is renamed into place; <id> is 1, 2,
//   ... versions/<id>/version.json VersionInfo drafts/<id>/dataset.gpkg   a draft: the upload
//   copied byte for byte when it is one GeoPackage in
//                              wangge's default layout, else normalised with WriteGeoPackage (no
//                              R-tree index); publishing hard-links it into versions/<id>/
//   drafts/<id>/draft.json     DraftInfo;  drafts/<id>/coverage.json its coverage report (JSON
//   schema
//                              of docs/coverage-report.md)
//   audit.jsonl                append-only, one JSON object per write attempt (fsync'd)
//   lock                       flock'd by every writer, so several processes (a server and the
//                              `wangge publish` CLI) may share one store
// Every write goes to a ".tmp-*" name first and is renamed into place after fsync; Open (and every
// write) removes such leftovers of an interrupted write. state.json alone decides what exists: a
// versions/<id> it does not name is a leftover. Layout, crash-safety argument, history and as-of
// semantics: docs/versions.md. A crash (kill -9, power loss) at any moment leaves the
// store at the old state or the new one, never between.
//
// Publishing refuses a draft whose coverage check found error-level defects (or whose upload had
// features the loader could not read: DraftInfo::load_error_count) unless
// PublishRequest::force is set with a non-empty reason; the reason is recorded in the version and
// in the history. Rollback makes an earlier published version live again (a new history event; no
// version is ever deleted or changed).
//
// Thread safety: all methods may be called from any thread; writes are serialised by a mutex in
// process and by the flock across processes. Reads see the state as of their call; Refresh()
// picks up writes made by other processes.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wangge/base/result.h"
#include "wangge/base/status.h"
#include "wangge/coverage/coverage_options.h"
#include "wangge/coverage/coverage_report.h"
#include "wangge/load/dataset.h"

namespace wangge {

using StoreClock = std::chrono::system_clock;

// Who does a write and why; recorded in drafts, versions, history and the audit log.
struct WriteMeta {
  std::string author;   // e.g. the API key's name or the OS user of `wangge publish`
  std::string message;  // why, in the planner's words
};

struct DraftInfo {
  std::string id;      // 16 random hex digits
  std::string source;  // what was uploaded, e.g. "putian-2026-03.gpkg" (file name only)
  StoreClock::time_point created_at;
  WriteMeta meta;
  std::string fingerprint;  // content fingerprint (wangge/snapshot/snapshot.h Fingerprint)
  size_t region_count = 0;
  // The coverage check run when the draft was created.
  size_t error_count = 0;
  size_t warning_count = 0;
  size_t sliver_count = 0;
  size_t load_error_count = 0;  // LoadIssue errors while reading the upload
};

struct VersionInfo {
  std::string id;  // "1", "2", ... in publish order
  std::string draft_id;
  std::string source;
  std::string fingerprint;
  size_t region_count = 0;
  size_t error_count = 0;  // coverage errors at publish time (non-zero only when forced)
  StoreClock::time_point published_at;
  WriteMeta meta;
  std::string forced_reason;  // non-empty when published despite error-level defects
};

// One change of the live version.
struct HistoryEvent {
  enum class Kind { kPublish, kRollback };
  Kind kind = Kind::kPublish;
  std::string version;  // the version live from `at` until the next event
  StoreClock::time_point at;
  WriteMeta meta;
  std::string forced_reason;
};

struct PublishRequest {
  WriteMeta meta;
  bool force = false;        // publish despite error-level defects ...
  std::string force_reason;  // ... REQUIRED non-empty when force is set
};

// Returns `t` as the store records times: ISO 8601 UTC with microseconds,
// e.g. "2026-03-01T08:00:00.000000Z".
std::string FormatStoreTime(StoreClock::time_point t);
// Parses "2026-03-01" (midnight UTC), "2026-03-01T08:00:00Z" or "2026-03-01T08:00:00.123456Z"
// (UTC; 1 to 6 fraction digits); kInvalidArgument otherwise.
Result<StoreClock::time_point> ParseStoreTime(std::string_view text);

class VersionStore {
 public:
  // Opens the store in `dir`, creating it (and its parents) if absent; removes leftovers of
  // interrupted writes. Fails if `dir` is not a store (other files there) or state.json is corrupt.
  static Result<std::unique_ptr<VersionStore>> Open(const std::string& dir,
                                                    const CoverageOptions& coverage = {});

  const std::string& dir() const { return dir_; }

  // --- drafts
  // Loads `source_path` (any source LoadDataset reads: a GeoPackage, a folder, a YAML manifest,
  // a .zip of Shapefiles or GeoJSON via /vsizip/, a .geojson), writes it as the draft's GeoPackage,
  // runs the coverage check and records both. Fails (nothing written) when the source cannot be
  // read or loads with no regions; load issues are counted, not fatal.
  Result<DraftInfo> CreateDraft(const std::string& source_path, const WriteMeta& meta);
  std::vector<DraftInfo> Drafts() const;  // oldest first
  Result<DraftInfo> Draft(const std::string& draft_id) const;
  // Returns the path of the draft's GeoPackage / coverage report JSON.
  Result<std::string> DraftDatasetPath(const std::string& draft_id) const;
  Result<std::string> DraftCoverageJsonPath(const std::string& draft_id) const;
  Status DeleteDraft(const std::string& draft_id, const WriteMeta& meta);

  // --- versions
  // Makes the draft a new immutable version and the live one (the draft is consumed). Fails with
  // kFailedPrecondition when the draft has error-level defects and the request is not forced with
  // a reason; kInvalidArgument when forced with an empty reason; kNotFound for an unknown draft.
  Result<VersionInfo> Publish(const std::string& draft_id, const PublishRequest& request);
  // Makes the published version `version_id` live again; with an empty id, the version that was
  // live before the current one. kNotFound for an unknown version; kFailedPrecondition when there
  // is nothing to roll back to or `version_id` is already live.
  Result<VersionInfo> Rollback(const std::string& version_id, const WriteMeta& meta);

  // The live version, nullopt before the first publish.
  std::optional<VersionInfo> Current() const;
  std::vector<VersionInfo> Versions() const;  // in publish order
  Result<VersionInfo> Version(const std::string& version_id) const;
  std::vector<HistoryEvent> History() const;  // oldest first
  // Returns the version live at `t`; kNotFound when `t` precedes the first publish.
  Result<std::string> VersionAt(StoreClock::time_point t) const;
  // Returns the path of a published version's GeoPackage (load it with LoadDataset).
  Result<std::string> VersionDatasetPath(const std::string& version_id) const;

  // --- audit
  // Appends one record (fsync'd) to audit.jsonl: time, action (e.g. "publish", "rollback",
  // "create_draft", "delete_draft", or a server's "denied"), author, outcome ("ok" or the error),
  // and free-form detail. The store's own writes call this themselves, refusals included.
  Status Audit(std::string_view action, const WriteMeta& meta, std::string_view outcome,
               std::string_view detail = {});

  // Re-reads state.json when another process changed it; returns true if the live version changed.
  Result<bool> Refresh();

 private:
  VersionStore() = default;
  // Reads state.json into versions_ / history_. REQUIRES: write_mutex_ held (or in Open).
  Status ReloadState();
  // Writes the state durably, then installs it in memory. REQUIRES: write_mutex_ and the flock.
  Status CommitState(std::vector<VersionInfo> versions, std::vector<HistoryEvent> history);
  // Removes leftovers of interrupted writes. REQUIRES: the flock.
  void RemoveLeftovers() const;
  Result<DraftInfo> ReadDraft(const std::string& draft_id) const;

  std::string dir_;
  CoverageOptions coverage_;
  std::mutex write_mutex_;  // serialises this object's writes (held for a whole write)
  mutable std::mutex mutex_;
  std::vector<VersionInfo> versions_;  // guarded by mutex_
  std::vector<HistoryEvent> history_;  // guarded by mutex_
};

}  // namespace wangge
