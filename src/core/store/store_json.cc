#include "wangge/store/store_json.h"

namespace wangge {

using nlohmann::json;

std::string_view HistoryEventKindName(HistoryEvent::Kind kind) {
  return kind == HistoryEvent::Kind::kPublish ? "publish" : "rollback";
}

json VersionInfoJson(const VersionInfo& v) {
  return {{"id", v.id},
          {"draft_id", v.draft_id},
          {"source", v.source},
          {"fingerprint", v.fingerprint},
          {"region_count", v.region_count},
          {"error_count", v.error_count},
          {"published_at", FormatStoreTime(v.published_at)},
          {"author", v.meta.author},
          {"message", v.meta.message},
          {"forced_reason", v.forced_reason}};
}

json HistoryEventJson(const HistoryEvent& e) {
  return {{"kind", HistoryEventKindName(e.kind)},
          {"version", e.version},
          {"at", FormatStoreTime(e.at)},
          {"author", e.meta.author},
          {"message", e.meta.message},
          {"forced_reason", e.forced_reason}};
}

json DraftInfoJson(const DraftInfo& d) {
  return {{"id", d.id},
          {"source", d.source},
          {"created_at", FormatStoreTime(d.created_at)},
          {"author", d.meta.author},
          {"message", d.meta.message},
          {"fingerprint", d.fingerprint},
          {"region_count", d.region_count},
          {"error_count", d.error_count},
          {"warning_count", d.warning_count},
          {"sliver_count", d.sliver_count},
          {"load_error_count", d.load_error_count}};
}

}  // namespace wangge
