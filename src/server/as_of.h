// "As of" answers: which snapshot a request is answered from. Without `at`, the live one; with
// `at=TIME`, the version that was live at TIME (VersionStore::VersionAt), answered from a
// locate-only snapshot of it (SnapshotPublisher::SnapshotOf).
//
// TIME is a date or an RFC 3339 timestamp:
//   2026-03-01                     the START of that day (00:00:00) in China Standard Time
//   2026-03-01T09:30:00+08:00      a timestamp with its offset (Z = UTC); seconds and a fraction
//   2026-03-01T09:30               are optional, a space may stand for the T; no offset = +08:00
// A report filed at 2026-03-01T00:00:00+08:00 or later that day is therefore answered "as of"
// its own timestamp, and `at=DATE` answers for the first moment of DATE.
//
//   Reply error;
//   std::shared_ptr<const Snapshot> s = SnapshotForRequest(context, request, &error);
//   if (!s) return error;
//
// Thread safety: reentrant.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "server/context.h"
#include "server/http_types.h"
#include "wangge/base/result.h"
#include "wangge/snapshot/snapshot.h"
#include "wangge/store/version_store.h"

namespace wangge::server {

// Parses TIME as above; kInvalidArgument naming `at` when malformed.
Result<StoreClock::time_point> ParseAsOf(std::string_view text);

// Returns the snapshot to answer `request` from: the live one, or with an `at` parameter the
// version live then. Returns nullptr and sets `*error` to a 404 when the server has no store or
// TIME precedes the first version, a 400 for a malformed TIME, and, without `at`, a 503 while a
// store-backed server has no version yet.
std::shared_ptr<const Snapshot> SnapshotForRequest(const Context& context,
                                                   const HttpRequest& request, Reply* error);

// The message of the 404 every store endpoint answers on a server started without --store.
inline constexpr std::string_view kNoStoreMessage =
    "this server has no version store: start it with `wangge serve --store DIR` to manage "
    "drafts and versions";

}  // namespace wangge::server
