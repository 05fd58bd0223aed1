// The JSON of the store's records (wangge/store/version_store.h): what versions/<id>/version.json,
// drafts/<id>/draft.json and state.json hold, and what `wangge versions --format json` prints;
// docs/versions.md gives the schema. Times are FormatStoreTime's UTC text.
//
//   nlohmann::json j = VersionInfoJson(store.Current().value());
//
// Thread safety: reentrant.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "wangge/store/version_store.h"

namespace wangge {

// Returns "publish" or "rollback".
std::string_view HistoryEventKindName(HistoryEvent::Kind kind);

nlohmann::json VersionInfoJson(const VersionInfo& version);
nlohmann::json HistoryEventJson(const HistoryEvent& event);
nlohmann::json DraftInfoJson(const DraftInfo& draft);

}  // namespace wangge
