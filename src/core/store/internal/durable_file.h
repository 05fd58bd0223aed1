// Durable file operations for the store: write under a temporary name, fsync, rename, fsync the
// folder; and an exclusive flock on a lock file, so writers in several processes take turns.
// Internal to the store module.
//
//   internal::FileLock lock;
//   if (Status s = lock.Acquire(dir + "/lock"); !s.ok()) return s;
//   Status s = internal::WriteFileDurably(dir + "/state.json", text);
//
// Thread safety: the functions are reentrant; a FileLock is owned by one thread.
#pragma once

#include <string>
#include <string_view>

#include "wangge/base/result.h"
#include "wangge/base/status.h"

namespace wangge::internal {

// Flushes the file or folder at `path` to stable storage.
Status SyncPath(const std::string& path, bool directory);

// Writes `content` to `path` atomically and durably: `path`.tmp is written and fsync'ed, renamed
// over `path`, and the folder is fsync'ed. A crash leaves either the old file or the new one
// (and possibly a stale `path`.tmp, which callers remove on open).
Status WriteFileDurably(const std::string& path, std::string_view content);

// Writes `content` to `path` (a new file) and fsyncs it; no rename (for files inside a temporary
// folder that is renamed into place afterwards).
Status WriteNewFile(const std::string& path, std::string_view content);

// Appends `line` and a newline to `path` with one write(2) on an O_APPEND descriptor, then fsyncs.
Status AppendLineDurably(const std::string& path, std::string_view line);

// Reads the whole file at `path`.
Result<std::string> ReadWholeFile(const std::string& path);

// Copies `from` to the new file `to` and fsyncs it.
Status CopyFileDurably(const std::string& from, const std::string& to);

// An exclusive flock(2) held from Acquire until destruction.
class FileLock {
 public:
  FileLock() = default;
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

  // Opens (creating) `path` and blocks until the exclusive lock is held.
  Status Acquire(const std::string& path);

 private:
  int fd_ = -1;
};

}  // namespace wangge::internal
