#include "wangge/store/version_store.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <system_error>
#include <tuple>
#include <utility>

#include <nlohmann/json.hpp>
#include <signal.h>
#include <unistd.h>

#include "store/internal/durable_file.h"
#include "store/internal/upload.h"
#include "wangge/coverage/coverage_validator.h"
#include "wangge/coverage/report_format.h"
#include "wangge/load/dataset_writer.h"
#include "wangge/snapshot/snapshot.h"
#include "wangge/store/store_json.h"

namespace wangge {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr char kStateSchema[] = "wangge.store/1";
constexpr char kStateFile[] = "state.json";
constexpr char kTempPrefix[] = ".tmp-";

// ---- time: ISO 8601 UTC with microseconds, e.g. "2026-03-01T08:00:00.000000Z"

std::string FormatTime(StoreClock::time_point t) {
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  auto seconds = static_cast<std::time_t>(us / 1000000);
  long long fraction = us % 1000000;
  if (fraction < 0) {
    fraction += 1000000;
    --seconds;
  }
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, fraction);
  return text;
}

bool ParseTime(std::string_view text, StoreClock::time_point* t) {
  // Fixed positions: YYYY-MM-DD[THH:MM:SS[.f{1,6}]Z]
  const auto digits = [&](size_t at, size_t n, int* out) {
    if (at + n > text.size()) return false;
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      v = v * 10 + (text[i] - '0');
    }
    *out = v;
    return true;
  };
  std::tm tm{};
  int year = 0, month = 0, day = 0;
  if (!digits(0, 4, &year) || text.size() < 10 || text[4] != '-' || !digits(5, 2, &month) ||
      text[7] != '-' || !digits(8, 2, &day) || month < 1 || month > 12 || day < 1 || day > 31) {
    return false;
  }
  long long micros = 0;
  if (text.size() > 10) {
    if (text[10] != 'T' || text.size() < 20 || text[13] != ':' || text[16] != ':' ||
        !digits(11, 2, &tm.tm_hour) || !digits(14, 2, &tm.tm_min) || !digits(17, 2, &tm.tm_sec) ||
        tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60 || text.back() != 'Z') {
      return false;
    }
    const std::string_view fraction = text.substr(19, text.size() - 20);
    if (!fraction.empty()) {
      if (fraction[0] != '.' || fraction.size() < 2 || fraction.size() > 7) return false;
      for (size_t i = 1; i < 7; ++i) {
        const char c = i < fraction.size() ? fraction[i] : '0';
        if (c < '0' || c > '9') return false;
        micros = micros * 10 + (c - '0');
      }
    }
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  const std::time_t seconds = timegm(&tm);
  *t = StoreClock::time_point(std::chrono::duration_cast<StoreClock::duration>(
      std::chrono::seconds(seconds) + std::chrono::microseconds(micros)));
  return true;
}

// Returns now, truncated to the microseconds the store records.
StoreClock::time_point Now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(StoreClock::now());
}

// ---- ids and names

std::string RandomHex16() {
  static thread_local std::mt19937_64 random(std::random_device{}() ^
                                             (static_cast<uint64_t>(::getpid()) << 32));
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(random()));
  return text;
}

bool IsDraftId(std::string_view id) {
  return id.size() == 16 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

bool IsVersionId(std::string_view id) {
  return !id.empty() && id.size() < 10 && id[0] != '0' &&
         std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A temporary name owned by this process: ".tmp-<pid>-<random>".
std::string TempName() { return kTempPrefix + std::to_string(::getpid()) + "-" + RandomHex16(); }

// Returns true if `name` is a temporary of a writer that is gone (crashed or killed).
bool IsStaleTemp(const std::string& name) {
  if (!name.starts_with(kTempPrefix)) return false;
  const std::string rest = name.substr(sizeof kTempPrefix - 1);
  char* end = nullptr;
  const long pid = std::strtol(rest.c_str(), &end, 10);
  if (end == rest.c_str() || *end != '-' || pid <= 0) return true;
  return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

// Removes a folder tree: renamed to a temporary name first, so a crash midway leaves a leftover
// that RemoveLeftovers finishes, never a half-removed draft or version.
void RemoveTree(const fs::path& path) {
  std::error_code ec;
  const fs::path doomed = path.parent_path() / TempName();
  fs::rename(path, doomed, ec);
  if (ec) return;
  (void)internal::SyncPath(path.parent_path().string(), /*directory=*/true);
  fs::remove_all(doomed, ec);
}

// Reads the field `key` of object `j` into `out`; throws json::exception naming the key if it is
// missing or of the wrong type.
template <typename T>
void Get(const json& j, const char* key, T* out) {
  j.at(key).get_to(*out);
}

StoreClock::time_point GetTime(const json& j, const char* key) {
  StoreClock::time_point t;
  const std::string text = j.at(key).get<std::string>();
  if (!ParseTime(text, &t)) {
    throw std::invalid_argument(std::string("bad time in '") + key + "': " + text);
  }
  return t;
}

VersionInfo VersionFromJson(const json& j) {
  VersionInfo v;
  Get(j, "id", &v.id);
  Get(j, "draft_id", &v.draft_id);
  Get(j, "source", &v.source);
  Get(j, "fingerprint", &v.fingerprint);
  Get(j, "region_count", &v.region_count);
  Get(j, "error_count", &v.error_count);
  v.published_at = GetTime(j, "published_at");
  Get(j, "author", &v.meta.author);
  Get(j, "message", &v.meta.message);
  Get(j, "forced_reason", &v.forced_reason);
  if (!IsVersionId(v.id)) throw std::invalid_argument("bad version id '" + v.id + "'");
  return v;
}

HistoryEvent EventFromJson(const json& j) {
  HistoryEvent e;
  const std::string kind = j.at("kind").get<std::string>();
  if (kind != "publish" && kind != "rollback") {
    throw std::invalid_argument("bad history kind '" + kind + "'");
  }
  e.kind = kind == "publish" ? HistoryEvent::Kind::kPublish : HistoryEvent::Kind::kRollback;
  Get(j, "version", &e.version);
  e.at = GetTime(j, "at");
  Get(j, "author", &e.meta.author);
  Get(j, "message", &e.meta.message);
  Get(j, "forced_reason", &e.forced_reason);
  return e;
}

DraftInfo DraftFromJson(const json& j) {
  DraftInfo d;
  Get(j, "id", &d.id);
  Get(j, "source", &d.source);
  d.created_at = GetTime(j, "created_at");
  Get(j, "author", &d.meta.author);
  Get(j, "message", &d.meta.message);
  Get(j, "fingerprint", &d.fingerprint);
  Get(j, "region_count", &d.region_count);
  Get(j, "error_count", &d.error_count);
  Get(j, "warning_count", &d.warning_count);
  Get(j, "sliver_count", &d.sliver_count);
  Get(j, "load_error_count", &d.load_error_count);
  return d;
}

std::string StateText(const std::vector<VersionInfo>& versions,
                      const std::vector<HistoryEvent>& history) {
  json v = json::array();
  for (const VersionInfo& info : versions) v.push_back(VersionInfoJson(info));
  json h = json::array();
  for (const HistoryEvent& e : history) h.push_back(HistoryEventJson(e));
  json state = {{"schema", kStateSchema},
                {"live", history.empty() ? json(nullptr) : json(history.back().version)},
                {"versions", std::move(v)},
                {"history", std::move(h)}};
  return state.dump(2) + "\n";
}

// Parses state.json; throws on anything malformed or inconsistent.
void ParseState(const std::string& text, std::vector<VersionInfo>* versions,
                std::vector<HistoryEvent>* history) {
  const json state = json::parse(text);
  if (state.at("schema").get<std::string>() != kStateSchema) {
    throw std::invalid_argument("unknown schema '" + state.at("schema").get<std::string>() + "'");
  }
  for (const json& v : state.at("versions")) versions->push_back(VersionFromJson(v));
  for (const json& e : state.at("history")) history->push_back(EventFromJson(e));
  for (size_t i = 0; i < versions->size(); ++i) {
    if ((*versions)[i].id != std::to_string(i + 1)) {
      throw std::invalid_argument("versions are not numbered 1, 2, ... in order");
    }
  }
  for (const HistoryEvent& e : *history) {
    if (!IsVersionId(e.version) || std::stoul(e.version) > versions->size()) {
      throw std::invalid_argument("history names unknown version '" + e.version + "'");
    }
  }
  const json& live = state.at("live");
  const std::string expected = history->empty() ? "" : history->back().version;
  if ((live.is_null() && !expected.empty()) ||
      (!live.is_null() && live.get<std::string>() != expected)) {
    throw std::invalid_argument("'live' disagrees with the history");
  }
}

// Returns the file name part of an upload's path, for the record ("putian.gpkg").
std::string SourceName(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  if (name.empty()) name = fs::path(path).parent_path().filename().string();
  return name.empty() ? path : name;
}

// Returns true when the loaded dataset is exactly one local GeoPackage file, so that a byte copy
// of it loads to the same hierarchy as what was checked (no manifest, no folder, no -wal file
// with uncommitted pages).
bool CanCopyVerbatim(const Dataset& d, const std::string& load_path) {
  std::error_code ec;
  if (fs::path(load_path).extension() != ".gpkg" || !fs::is_regular_file(load_path, ec)) {
    return false;
  }
  if (fs::exists(load_path + "-wal", ec)) return false;
  for (const LayerInfo& layer : d.layers) {
    if (layer.file != load_path || layer.driver != "GPKG") return false;
  }
  return !d.layers.empty();
}

std::string ErrorCountsText(const DraftInfo& d) {
  return std::to_string(d.error_count) + " error-level coverage defects and " +
         std::to_string(d.load_error_count) + " features that could not be loaded";
}

}  // namespace

std::string FormatStoreTime(StoreClock::time_point t) { return FormatTime(t); }

Result<StoreClock::time_point> ParseStoreTime(std::string_view text) {
  StoreClock::time_point t;
  if (!ParseTime(text, &t)) {
    return Status::InvalidArgument("'" + std::string(text) +
                                   "' is not a date (YYYY-MM-DD) or UTC time "
                                   "(YYYY-MM-DDTHH:MM:SS[.ffffff]Z)");
  }
  return t;
}

// ---------------------------------------------------------------------------------- open/state

Result<std::unique_ptr<VersionStore>> VersionStore::Open(const std::string& dir,
                                                         const CoverageOptions& coverage) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IoError(dir + ": cannot create the store folder: " + ec.message());
  if (!fs::is_directory(dir, ec)) return Status::FailedPrecondition(dir + ": not a folder");
  const fs::path root(dir);
  if (!fs::exists(root / kStateFile, ec)) {
    for (const fs::directory_entry& e : fs::directory_iterator(root, ec)) {
      const std::string name = e.path().filename().string();
      if (name == "lock" || name == "versions" || name == "drafts" || name == "audit.jsonl" ||
          name == "state.json.tmp" || name.starts_with(kTempPrefix)) {
        continue;
      }
      return Status::FailedPrecondition(dir + ": not a wangge store (no state.json, but holds " +
                                        name + "); use an empty or new folder");
    }
  }
  std::unique_ptr<VersionStore> store(new VersionStore());
  store->dir_ = dir;
  store->coverage_ = coverage;
  internal::FileLock lock;
  if (Status s = lock.Acquire((root / "lock").string()); !s.ok()) return s;
  for (const char* sub : {"versions", "drafts"}) {
    fs::create_directory(root / sub, ec);
    if (ec) return Status::IoError((root / sub).string() + ": cannot create: " + ec.message());
  }
  if (!fs::exists(root / kStateFile, ec)) {
    if (Status s = internal::SyncPath(dir, /*directory=*/true); !s.ok()) return s;
    if (Status s = internal::WriteFileDurably((root / kStateFile).string(), StateText({}, {}));
        !s.ok()) {
      return s;
    }
  }
  if (Status s = store->ReloadState(); !s.ok()) return s;
  store->RemoveLeftovers();
  return store;
}

Status VersionStore::ReloadState() {
  const std::string path = (fs::path(dir_) / kStateFile).string();
  Result<std::string> text = internal::ReadWholeFile(path);
  if (!text.ok()) return text.status();
  std::vector<VersionInfo> versions;
  std::vector<HistoryEvent> history;
  try {
    ParseState(*text, &versions, &history);
  } catch (const std::exception& e) {
    return Status::DataError(path + ": corrupt store state: " + e.what());
  }
  std::lock_guard guard(mutex_);
  versions_ = std::move(versions);
  history_ = std::move(history);
  return Status::Ok();
}

Status VersionStore::CommitState(std::vector<VersionInfo> versions,
                                 std::vector<HistoryEvent> history) {
  const std::string path = (fs::path(dir_) / kStateFile).string();
  if (Status s = internal::WriteFileDurably(path, StateText(versions, history)); !s.ok()) return s;
  std::lock_guard guard(mutex_);
  versions_ = std::move(versions);
  history_ = std::move(history);
  return Status::Ok();
}

void VersionStore::RemoveLeftovers() const {
  const fs::path root(dir_);
  std::error_code ec;
  fs::remove(root / "state.json.tmp", ec);
  std::vector<std::string> consumed;
  size_t version_count = 0;
  {
    std::lock_guard guard(mutex_);
    version_count = versions_.size();
    for (const VersionInfo& v : versions_) consumed.push_back(v.draft_id);
  }
  for (const char* sub : {"versions", "drafts"}) {
    std::vector<fs::path> doomed;
    for (const fs::directory_entry& e : fs::directory_iterator(root / sub, ec)) {
      const std::string name = e.path().filename().string();
      if (IsStaleTemp(name)) {
        doomed.push_back(e.path());
      } else if (std::string_view(sub) == "versions" && !name.starts_with(kTempPrefix) &&
                 (!IsVersionId(name) || std::stoul(name) > version_count)) {
        doomed.push_back(e.path());  // renamed into place, but the publish never committed
      } else if (std::string_view(sub) == "drafts" &&
                 std::find(consumed.begin(), consumed.end(), name) != consumed.end()) {
        doomed.push_back(e.path());  // published; the publish stopped before removing it
      }
    }
    for (const fs::path& p : doomed) fs::remove_all(p, ec);
  }
}

Result<bool> VersionStore::Refresh() {
  std::string before;
  {
    std::lock_guard guard(mutex_);
    before = history_.empty() ? "" : history_.back().version;
  }
  std::lock_guard write_guard(write_mutex_);
  if (Status s = ReloadState(); !s.ok()) return s;
  std::lock_guard guard(mutex_);
  return (history_.empty() ? "" : history_.back().version) != before;
}

// ---------------------------------------------------------------------------------- drafts

Result<DraftInfo> VersionStore::CreateDraft(const std::string& source_path, const WriteMeta& meta) {
  const auto fail = [&](const Status& s) {
    (void)Audit("create_draft", meta, s.ToString(), source_path);
    return s;
  };
  Result<internal::Upload> upload = internal::ResolveUpload(source_path);
  if (!upload.ok()) return fail(upload.status());
  Result<Dataset> loaded = LoadDataset(upload->load_path());
  if (!loaded.ok()) return fail(loaded.status());
  const Dataset& dataset = *loaded;
  if (dataset.hierarchy.region_count() == 0) {
    return fail(Status::DataError(source_path + ": no region could be loaded"));
  }
  CoverageValidator validator(coverage_);
  const CoverageReport report = validator.Validate(dataset.hierarchy);

  DraftInfo draft;
  draft.id = RandomHex16();
  draft.source = SourceName(source_path);
  draft.created_at = Now();
  draft.meta = meta;
  draft.fingerprint = Fingerprint(dataset.hierarchy);
  draft.region_count = dataset.hierarchy.region_count();
  draft.error_count = report.count(Severity::kError);
  draft.warning_count = report.count(Severity::kWarning);
  draft.sliver_count = report.count(Severity::kSliver);
  draft.load_error_count = dataset.error_count();

  // Written under a temporary name this process owns, then renamed into place under the lock.
  const fs::path drafts = fs::path(dir_) / "drafts";
  const fs::path temp = drafts / TempName();
  std::error_code ec;
  fs::create_directory(temp, ec);
  if (ec) return fail(Status::IoError(temp.string() + ": cannot create: " + ec.message()));
  struct Cleanup {
    fs::path path;
    ~Cleanup() {
      std::error_code e;
      if (!path.empty()) fs::remove_all(path, e);
    }
  } cleanup{temp};
  const std::string package = (temp / "dataset.gpkg").string();
  Status written = CanCopyVerbatim(dataset, upload->load_path())
                       ? internal::CopyFileDurably(upload->load_path(), package)
                       : WriteGeoPackage(dataset.hierarchy, package, {.spatial_index = false});
  if (!written.ok()) return fail(written);
  if (Status s =
          internal::WriteNewFile((temp / "coverage.json").string(), FormatReportJson(report));
      !s.ok()) {
    return fail(s);
  }
  if (Status s =
          internal::WriteNewFile((temp / "draft.json").string(), DraftInfoJson(draft).dump(2));
      !s.ok()) {
    return fail(s);
  }
  if (Status s = internal::SyncPath(temp.string(), /*directory=*/true); !s.ok()) return fail(s);
  {
    std::lock_guard write_guard(write_mutex_);
    internal::FileLock lock;
    if (Status s = lock.Acquire((fs::path(dir_) / "lock").string()); !s.ok()) return fail(s);
    fs::rename(temp, drafts / draft.id, ec);
    if (ec)
      return fail(
          Status::IoError((drafts / draft.id).string() + ": cannot rename: " + ec.message()));
    cleanup.path.clear();
    if (Status s = internal::SyncPath(drafts.string(), /*directory=*/true); !s.ok()) return fail(s);
  }
  (void)Audit("create_draft", meta, "ok",
              "draft " + draft.id + " from " + draft.source + ": " +
                  std::to_string(draft.region_count) + " regions, " + ErrorCountsText(draft));
  return draft;
}

Result<DraftInfo> VersionStore::ReadDraft(const std::string& draft_id) const {
  if (!IsDraftId(draft_id)) return Status::NotFound("no draft '" + draft_id + "'");
  {
    std::lock_guard guard(mutex_);
    for (const VersionInfo& v : versions_) {
      if (v.draft_id == draft_id) {
        return Status::NotFound("draft " + draft_id + " was published as version " + v.id);
      }
    }
  }
  const std::string path = (fs::path(dir_) / "drafts" / draft_id / "draft.json").string();
  Result<std::string> text = internal::ReadWholeFile(path);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) {
      return Status::NotFound("no draft '" + draft_id + "'");
    }
    return text.status();
  }
  try {
    return DraftFromJson(json::parse(*text));
  } catch (const std::exception& e) {
    return Status::DataError(path + ": corrupt draft record: " + e.what());
  }
}

std::vector<DraftInfo> VersionStore::Drafts() const {
  std::vector<DraftInfo> out;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(fs::path(dir_) / "drafts", ec)) {
    Result<DraftInfo> d = ReadDraft(e.path().filename().string());
    if (d.ok()) out.push_back(std::move(d).value());
  }
  std::sort(out.begin(), out.end(), [](const DraftInfo& a, const DraftInfo& b) {
    return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
  });
  return out;
}

Result<DraftInfo> VersionStore::Draft(const std::string& draft_id) const {
  return ReadDraft(draft_id);
}

Result<std::string> VersionStore::DraftDatasetPath(const std::string& draft_id) const {
  Result<DraftInfo> d = ReadDraft(draft_id);
  if (!d.ok()) return d.status();
  return (fs::path(dir_) / "drafts" / draft_id / "dataset.gpkg").string();
}

Result<std::string> VersionStore::DraftCoverageJsonPath(const std::string& draft_id) const {
  Result<DraftInfo> d = ReadDraft(draft_id);
  if (!d.ok()) return d.status();
  return (fs::path(dir_) / "drafts" / draft_id / "coverage.json").string();
}

Status VersionStore::DeleteDraft(const std::string& draft_id, const WriteMeta& meta) {
  std::lock_guard write_guard(write_mutex_);
  internal::FileLock lock;
  Status s = lock.Acquire((fs::path(dir_) / "lock").string());
  if (s.ok()) s = ReloadState();
  if (s.ok()) {
    Result<DraftInfo> d = ReadDraft(draft_id);
    if (d.ok()) {
      RemoveTree(fs::path(dir_) / "drafts" / draft_id);
    } else {
      s = d.status();
    }
  }
  (void)Audit("delete_draft", meta, s.ok() ? "ok" : s.ToString(), "draft " + draft_id);
  return s;
}

// ---------------------------------------------------------------------------------- versions

Result<VersionInfo> VersionStore::Publish(const std::string& draft_id,
                                          const PublishRequest& request) {
  std::lock_guard write_guard(write_mutex_);
  const auto fail = [&](const Status& s) {
    (void)Audit("publish", request.meta, s.ToString(), "draft " + draft_id);
    return s;
  };
  internal::FileLock lock;
  if (Status s = lock.Acquire((fs::path(dir_) / "lock").string()); !s.ok()) return fail(s);
  if (Status s = ReloadState(); !s.ok()) return fail(s);
  RemoveLeftovers();
  Result<DraftInfo> draft = ReadDraft(draft_id);
  if (!draft.ok()) return fail(draft.status());
  if (request.force && request.force_reason.empty()) {
    return fail(Status::InvalidArgument("a forced publish needs a reason"));
  }
  const bool defective = draft->error_count > 0 || draft->load_error_count > 0;
  if (defective && !request.force) {
    return fail(Status::FailedPrecondition("draft " + draft_id + " has " + ErrorCountsText(*draft) +
                                           "; fix them, or force the publish with a reason"));
  }

  std::vector<VersionInfo> versions;
  std::vector<HistoryEvent> history;
  {
    std::lock_guard guard(mutex_);
    versions = versions_;
    history = history_;
  }
  VersionInfo version;
  version.id = std::to_string(versions.size() + 1);
  version.draft_id = draft->id;
  version.source = draft->source;
  version.fingerprint = draft->fingerprint;
  version.region_count = draft->region_count;
  version.error_count = draft->error_count;
  version.published_at = Now();
  // Keep the history in time order even if the clock steps back.
  if (!history.empty()) version.published_at = std::max(version.published_at, history.back().at);
  version.meta = request.meta;
  if (defective) version.forced_reason = request.force_reason;

  // 1. versions/.tmp-*/ with the dataset (a hard link to the draft's immutable file) and
  //    version.json, synced, renamed to versions/<id>: invisible until state.json names it.
  const fs::path versions_dir = fs::path(dir_) / "versions";
  const fs::path temp = versions_dir / TempName();
  const fs::path draft_dir = fs::path(dir_) / "drafts" / draft_id;
  std::error_code ec;
  fs::create_directory(temp, ec);
  if (ec) return fail(Status::IoError(temp.string() + ": cannot create: " + ec.message()));
  fs::create_hard_link(draft_dir / "dataset.gpkg", temp / "dataset.gpkg", ec);
  if (ec) {
    Status s = internal::CopyFileDurably((draft_dir / "dataset.gpkg").string(),
                                         (temp / "dataset.gpkg").string());
    if (!s.ok()) {
      fs::remove_all(temp, ec);
      return fail(s);
    }
  }
  Status s = internal::WriteNewFile((temp / "version.json").string(),
                                    VersionInfoJson(version).dump(2) + "\n");
  if (s.ok()) s = internal::SyncPath(temp.string(), /*directory=*/true);
  if (s.ok()) {
    fs::rename(temp, versions_dir / version.id, ec);
    if (ec) {
      s = Status::IoError((versions_dir / version.id).string() +
                          ": cannot rename: " + ec.message());
    }
  }
  if (!s.ok()) {
    fs::remove_all(temp, ec);
    return fail(s);
  }
  if (s = internal::SyncPath(versions_dir.string(), /*directory=*/true); !s.ok()) return fail(s);

  // 2. The commit point: state.json names the version and makes it live.
  HistoryEvent event;
  event.kind = HistoryEvent::Kind::kPublish;
  event.version = version.id;
  event.at = version.published_at;
  event.meta = request.meta;
  event.forced_reason = version.forced_reason;
  versions.push_back(version);
  history.push_back(event);
  if (s = CommitState(std::move(versions), std::move(history)); !s.ok()) return fail(s);

  // 3. The draft is consumed (a leftover is removed by the next open or write if we stop here).
  RemoveTree(draft_dir);
  (void)Audit("publish", request.meta, "ok",
              "draft " + draft_id + " -> version " + version.id +
                  (version.forced_reason.empty() ? "" : "; forced: " + version.forced_reason));
  return version;
}

Result<VersionInfo> VersionStore::Rollback(const std::string& version_id, const WriteMeta& meta) {
  std::lock_guard write_guard(write_mutex_);
  const auto fail = [&](const Status& s) {
    (void)Audit("rollback", meta, s.ToString(),
                version_id.empty() ? "to the previous version" : "to version " + version_id);
    return s;
  };
  internal::FileLock lock;
  if (Status s = lock.Acquire((fs::path(dir_) / "lock").string()); !s.ok()) return fail(s);
  if (Status s = ReloadState(); !s.ok()) return fail(s);
  std::vector<VersionInfo> versions;
  std::vector<HistoryEvent> history;
  {
    std::lock_guard guard(mutex_);
    versions = versions_;
    history = history_;
  }
  if (history.empty()) {
    return fail(Status::FailedPrecondition("nothing to roll back to: no version was published"));
  }
  const std::string live = history.back().version;
  std::string target = version_id;
  if (target.empty()) {
    for (size_t i = history.size(); i-- > 0;) {
      if (history[i].version != live) {
        target = history[i].version;
        break;
      }
    }
    if (target.empty()) {
      return fail(Status::FailedPrecondition("nothing to roll back to: version " + live +
                                             " is the only one that was ever live"));
    }
  }
  if (!IsVersionId(target) || std::stoul(target) > versions.size()) {
    return fail(Status::NotFound("no version '" + target + "'"));
  }
  if (target == live) {
    return fail(Status::FailedPrecondition("version " + target + " is already live"));
  }
  HistoryEvent event;
  event.kind = HistoryEvent::Kind::kRollback;
  event.version = target;
  event.at = std::max(Now(), history.back().at);
  event.meta = meta;
  history.push_back(event);
  if (Status s = CommitState(std::move(versions), std::move(history)); !s.ok()) return fail(s);
  (void)Audit("rollback", meta, "ok", "version " + live + " -> version " + target);
  return *Version(target);
}

std::optional<VersionInfo> VersionStore::Current() const {
  std::lock_guard guard(mutex_);
  if (history_.empty()) return std::nullopt;
  return versions_[std::stoul(history_.back().version) - 1];
}

std::vector<VersionInfo> VersionStore::Versions() const {
  std::lock_guard guard(mutex_);
  return versions_;
}

Result<VersionInfo> VersionStore::Version(const std::string& version_id) const {
  std::lock_guard guard(mutex_);
  if (!IsVersionId(version_id) || std::stoul(version_id) > versions_.size()) {
    return Status::NotFound("no version '" + version_id + "'");
  }
  return versions_[std::stoul(version_id) - 1];
}

std::vector<HistoryEvent> VersionStore::History() const {
  std::lock_guard guard(mutex_);
  return history_;
}

Result<std::string> VersionStore::VersionAt(StoreClock::time_point t) const {
  std::lock_guard guard(mutex_);
  // The history is in time order: the last event at or before t decides.
  const auto after =
      std::upper_bound(history_.begin(), history_.end(), t,
                       [](StoreClock::time_point x, const HistoryEvent& e) { return x < e.at; });
  if (after == history_.begin()) {
    return Status::NotFound(history_.empty() ? "no version has been published"
                                             : FormatTime(t) + " precedes the first publish (" +
                                                   FormatTime(history_.front().at) + ")");
  }
  return std::prev(after)->version;
}

Result<std::string> VersionStore::VersionDatasetPath(const std::string& version_id) const {
  Result<VersionInfo> v = Version(version_id);
  if (!v.ok()) return v.status();
  return (fs::path(dir_) / "versions" / version_id / "dataset.gpkg").string();
}

// ---------------------------------------------------------------------------------- audit

Status VersionStore::Audit(std::string_view action, const WriteMeta& meta, std::string_view outcome,
                           std::string_view detail) {
  const json record = {{"at", FormatTime(Now())}, {"action", action},   {"author", meta.author},
                       {"message", meta.message}, {"outcome", outcome}, {"detail", detail}};
  return internal::AppendLineDurably((fs::path(dir_) / "audit.jsonl").string(),
                                     record.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace wangge
