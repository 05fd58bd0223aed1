#include "wangge/tiles/mbtiles.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include <sqlite3.h>

#include "wangge/tiles/gzip.h"

namespace wangge {
namespace {

// RAII for the SQLite handles used here.
struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;
using Statement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

Status SqliteError(sqlite3* db, const std::string& path, std::string_view what) {
  return Status::IoError(path + ": " + std::string(what) + ": " +
                         (db ? sqlite3_errmsg(db) : "cannot open"));
}

Status Exec(sqlite3* db, const std::string& path, const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    Status s = Status::IoError(path + ": " + sql.substr(0, 40) + ": " + (error ? error : "?"));
    sqlite3_free(error);
    return s;
  }
  return Status::Ok();
}

struct RenderedTile {
  TileId id;
  std::string gzip;
  size_t mvt_bytes = 0;
};

// Renders the tiles of one zoom on `threads` threads and hands them to the caller's thread in
// batches through a bounded queue.
class ZoomRenderer {
 public:
  ZoomRenderer(const TileSource& source, const TileRange& range, size_t threads, int gzip_level)
      : source_(source), range_(range), gzip_level_(gzip_level) {
    for (size_t t = 0; t < threads; ++t) workers_.emplace_back([this] { Work(); });
  }
  ~ZoomRenderer() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      cancelled_ = true;
    }
    space_.notify_all();
    for (std::thread& t : workers_) t.join();
  }

  // Returns false when all tiles are done; fills `out` otherwise (empty tiles are not handed
  // over). A failed render is reported through status().
  bool Next(std::vector<RenderedTile>* out) {
    out->clear();
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [&] { return !queue_.empty() || finished_workers_ == workers_.size(); });
    if (queue_.empty()) return false;
    while (!queue_.empty()) {
      out->push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    space_.notify_all();
    return true;
  }
  const Status& status() const { return status_; }
  uint64_t visited() const { return next_.load(); }

 private:
  void Work() {
    const uint64_t width = range_.max_x - range_.min_x + 1;
    const uint64_t total = range_.size();
    for (uint64_t i = next_.fetch_add(1); i < total; i = next_.fetch_add(1)) {
      const TileId id{range_.z, static_cast<uint32_t>(range_.min_x + i % width),
                      static_cast<uint32_t>(range_.min_y + i / width)};
      Result<std::string> mvt = source_.Render(id);
      RenderedTile tile{id, {}, 0};
      Status failure;
      if (!mvt.ok()) {
        failure = mvt.status();
      } else if (!mvt->empty()) {
        Result<std::string> gz = GzipCompress(*mvt, gzip_level_);
        if (gz.ok()) {
          tile.gzip = std::move(gz).value();
          tile.mvt_bytes = mvt->size();
        } else {
          failure = gz.status();
        }
      }
      std::unique_lock<std::mutex> lock(mutex_);
      if (!failure.ok() && status_.ok()) status_ = failure;
      if (!status_.ok() || cancelled_) break;
      if (tile.gzip.empty()) continue;
      space_.wait(lock, [&] { return queue_.size() < kMaxQueued || cancelled_; });
      if (cancelled_) break;
      queue_.push_back(std::move(tile));
      ready_.notify_one();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    ++finished_workers_;
    ready_.notify_all();
  }

  static constexpr size_t kMaxQueued = 512;
  const TileSource& source_;
  const TileRange range_;
  const int gzip_level_;
  std::atomic<uint64_t> next_{0};
  std::mutex mutex_;
  std::condition_variable ready_;
  std::condition_variable space_;
  std::deque<RenderedTile> queue_;
  size_t finished_workers_ = 0;
  bool cancelled_ = false;
  Status status_;
  std::vector<std::thread> workers_;
};

std::string FormatDouble(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.7f", v);
  return text;
}

Result<MbtilesStats> Write(const TileSource& source, const std::string& path,
                           const std::string& partial, const MbtilesOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  sqlite3* raw = nullptr;
  const int open =
      sqlite3_open_v2(partial.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  Db db(raw);
  if (open != SQLITE_OK) return SqliteError(raw, path, "cannot create");
  for (const char* sql : {
           "PRAGMA synchronous = OFF",
           "PRAGMA journal_mode = OFF",
           "PRAGMA page_size = 8192",
           "CREATE TABLE metadata (name TEXT, value TEXT)",
           "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, "
           "tile_data BLOB)",
           "BEGIN",
       }) {
    Status s = Exec(db.get(), path, sql);
    if (!s.ok()) return s;
  }

  const TileSourceOptions& o = source.options();
  const Box& b = source.bounds();
  const uint32_t center_zoom =
      std::clamp<uint32_t>(options.min_zoom + 2, options.min_zoom, options.max_zoom);
  const std::pair<std::string, std::string> metadata[] = {
      {"name", o.name},
      {"format", "pbf"},
      {"type", "overlay"},
      {"version", "1.0.0"},
      {"description", "Region hierarchy: one layer per level, plus label points"},
      {"minzoom", std::to_string(options.min_zoom)},
      {"maxzoom", std::to_string(options.max_zoom)},
      {"bounds", FormatDouble(b.min_x) + "," + FormatDouble(b.min_y) + "," + FormatDouble(b.max_x) +
                     "," + FormatDouble(b.max_y)},
      {"center", FormatDouble((b.min_x + b.max_x) / 2) + "," +
                     FormatDouble((b.min_y + b.max_y) / 2) + "," + std::to_string(center_zoom)},
      {"json", source.VectorLayersJson()},
  };
  {
    sqlite3_stmt* raw_statement = nullptr;
    if (sqlite3_prepare_v2(db.get(), "INSERT INTO metadata (name, value) VALUES (?, ?)", -1,
                           &raw_statement, nullptr) != SQLITE_OK) {
      return SqliteError(db.get(), path, "prepare metadata insert");
    }
    Statement insert(raw_statement);
    for (const auto& [name, value] : metadata) {
      sqlite3_bind_text(insert.get(), 1, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
      sqlite3_bind_text(insert.get(), 2, value.data(), static_cast<int>(value.size()),
                        SQLITE_STATIC);
      if (sqlite3_step(insert.get()) != SQLITE_DONE) {
        return SqliteError(db.get(), path, "insert metadata");
      }
      sqlite3_reset(insert.get());
    }
  }

  sqlite3_stmt* raw_statement = nullptr;
  if (sqlite3_prepare_v2(db.get(),
                         "INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data) "
                         "VALUES (?, ?, ?, ?)",
                         -1, &raw_statement, nullptr) != SQLITE_OK) {
    return SqliteError(db.get(), path, "prepare tile insert");
  }
  Statement insert(raw_statement);
  MbtilesStats stats;
  stats.written_per_zoom.assign(options.max_zoom + 1, 0);
  const size_t threads = options.threads > 0
                             ? options.threads
                             : std::max<size_t>(1, std::thread::hardware_concurrency());
  std::vector<RenderedTile> batch;
  for (uint32_t z = options.min_zoom; z <= options.max_zoom && !b.empty(); ++z) {
    const TileRange range = TilesCovering(b, z);
    ZoomRenderer renderer(source, range, threads, options.gzip_level);
    while (renderer.Next(&batch)) {
      for (const RenderedTile& t : batch) {
        const int64_t row = (int64_t{1} << z) - 1 - t.id.y;  // TMS
        sqlite3_bind_int64(insert.get(), 1, z);
        sqlite3_bind_int64(insert.get(), 2, t.id.x);
        sqlite3_bind_int64(insert.get(), 3, row);
        sqlite3_bind_blob(insert.get(), 4, t.gzip.data(), static_cast<int>(t.gzip.size()),
                          SQLITE_STATIC);
        if (sqlite3_step(insert.get()) != SQLITE_DONE) {
          return SqliteError(db.get(), path, "insert tile");
        }
        sqlite3_reset(insert.get());
        ++stats.tiles_written;
        ++stats.written_per_zoom[z];
        stats.mvt_bytes += t.mvt_bytes;
        stats.stored_bytes += t.gzip.size();
      }
    }
    if (!renderer.status().ok()) return renderer.status();
    stats.tiles_rendered += range.size();
    if (options.on_zoom_done) options.on_zoom_done(z, stats.written_per_zoom[z]);
  }
  insert.reset();
  for (const char* sql : {
           "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)",
           "CREATE UNIQUE INDEX metadata_index ON metadata (name)",
           "COMMIT",
       }) {
    Status s = Exec(db.get(), path, sql);
    if (!s.ok()) return s;
  }
  if (sqlite3_close(db.release()) != SQLITE_OK) return Status::IoError(path + ": close failed");
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

}  // namespace

Result<MbtilesStats> WriteMbtiles(const TileSource& source, const std::string& path,
                                  const MbtilesOptions& options) {
  if (options.min_zoom > options.max_zoom || options.max_zoom > kMaxTileZoom) {
    return Status::InvalidArgument("zoom range " + std::to_string(options.min_zoom) + "-" +
                                   std::to_string(options.max_zoom) +
                                   " must satisfy min <= max <= " + std::to_string(kMaxTileZoom));
  }
  const std::string partial = path + ".partial";
  std::error_code ec;
  std::filesystem::remove(partial, ec);
  Result<MbtilesStats> stats = Write(source, path, partial, options);
  if (!stats.ok()) {
    std::filesystem::remove(partial, ec);
    return stats;
  }
  std::filesystem::rename(partial, path, ec);
  if (ec) {
    std::filesystem::remove(partial, ec);
    return Status::IoError(path + ": cannot rename " + partial + ": " + ec.message());
  }
  return stats;
}

}  // namespace wangge
