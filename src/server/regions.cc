// GET /v1/regions/{code}: one region with its level, parent chain (top level first), children
// codes and attributes; its geometry is at /collections/{level}/items/{code}.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "server/handlers.h"
#include "server/http_status.h"
#include "server/json_text.h"
#include "server/params.h"

namespace wangge::server {

Reply HandleRegion(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {}); !s.ok()) return ErrorReply(s);
  const std::shared_ptr<const Snapshot> snapshot = context.live->Get();
  const Hierarchy& h = snapshot->hierarchy();
  const std::string& code = request.path_params[0];
  const RegionId id = h.Find(code);
  if (id == kNoRegion) {
    return ErrorReply(Status::NotFound("no region \"" + code.substr(0, 64) + "\""));
  }
  const size_t level = h.level(id);
  auto region_ref = [&](RegionId r) {
    return nlohmann::json{
        {"level", h.levels()[h.level(r)].name}, {"code", h.code(r)}, {"name", h.name(r)}};
  };
  nlohmann::json ancestors = nlohmann::json::array();
  for (RegionId r = h.parent(id); r != kNoRegion; r = h.parent(r)) {
    ancestors.push_back(region_ref(r));
  }
  std::reverse(ancestors.begin(), ancestors.end());
  nlohmann::json children = nlohmann::json::array();
  for (RegionId child : h.children(id)) children.push_back(h.code(child));
  nlohmann::json attributes = nlohmann::json::object();
  const auto names = h.attribute_names(level);
  for (size_t a = 0; a < names.size(); ++a) attributes[names[a]] = h.attribute(id, a);
  const Box& b = h.bounds(id);
  const std::string& level_name = h.levels()[level].name;
  nlohmann::json body = {
      {"version", snapshot->version},
      {"code", h.code(id)},
      {"name", h.name(id)},
      {"level", level_name},
      {"level_label", h.levels()[level].label},
      {"parent",
       h.parent_code(id).empty() ? nlohmann::json(nullptr) : nlohmann::json(h.parent_code(id))},
      {"ancestors", ancestors},
      {"children_level", level + 1 < h.level_count() ? nlohmann::json(h.levels()[level + 1].name)
                                                     : nlohmann::json(nullptr)},
      {"children", children},
      {"attributes", attributes},
      {"bbox", b.empty() ? nlohmann::json(nullptr)
                         : nlohmann::json::array({b.min_x, b.min_y, b.max_x, b.max_y})},
      {"links",
       {{{"href", request.base_url + "/collections/" + level_name + "/items/" + code},
         {"rel", "item"},
         {"type", "application/geo+json"},
         {"title", "The region's geometry as an OGC API feature"}}}}};
  Reply reply;
  reply.body = DumpJson(body);
  reply.headers.emplace_back("Wangge-Dataset-Version", snapshot->version);
  return reply;
}

}  // namespace wangge::server
