// Drafts and versions (issue 7) over the server's VersionStore:
//   POST   /v1/drafts                     upload a GeoPackage, a zip or GeoJSON → a draft (201)
//   GET    /v1/drafts, /v1/drafts/{id}    drafts with their coverage counts
//   DELETE /v1/drafts/{id}
//   GET    /v1/drafts/{id}/coverage       the draft's coverage report (JSON or GeoJSON)
//   POST   /v1/drafts/{id}/publish        make it the live version (202: the swap follows)
//   GET    /v1/versions, /v1/versions/{id}
//   POST   /v1/versions/{id}/rollback     make an earlier version live again (202)
// Writes take their author from HttpRequest::principal. The store's own Status (kNotFound,
// kFailedPrecondition, ...) becomes the HTTP status in http_status.cc; a server without a store
// answers 404 naming --store.
#include <filesystem>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "server/as_of.h"
#include "server/handlers.h"
#include "server/http_status.h"
#include "server/json_text.h"
#include "server/params.h"
#include "wangge/coverage/coverage_validator.h"
#include "wangge/coverage/report_format.h"
#include "wangge/store/store_json.h"

namespace wangge::server {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

json Nullable(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

json DraftJson(const DraftInfo& d) {
  return {{"id", d.id},
          {"source", d.source},
          {"created_at", FormatStoreTime(d.created_at)},
          {"author", d.meta.author},
          {"message", d.meta.message},
          {"fingerprint", d.fingerprint},
          {"region_count", d.region_count},
          {"coverage",
           {{"errors", d.error_count},
            {"warnings", d.warning_count},
            {"slivers", d.sliver_count},
            {"load_errors", d.load_error_count}}},
          {"publishable", d.error_count == 0}};
}

// The store's records (wangge/store/store_json.h), with no reason as null, and a version's
// standing in the store and in this server.
json VersionJson(const VersionInfo& v, const PublisherState& state) {
  json j = VersionInfoJson(v);
  j["forced_reason"] = Nullable(v.forced_reason);
  j["live"] = state.live == v.id;
  j["served"] = state.served == v.id;
  return j;
}

json EventJson(const HistoryEvent& e) {
  json j = HistoryEventJson(e);
  j["forced_reason"] = Nullable(e.forced_reason);
  return j;
}

Reply JsonAnswer(int status, const json& body) {
  Reply reply;
  reply.status = status;
  reply.body = DumpJson(body);
  return reply;
}

Reply NoStore() { return ErrorReply(Status::NotFound(kNoStoreMessage)); }

std::string Author(const HttpRequest& request) {
  return request.principal.empty() ? "anonymous" : request.principal;
}

// Parses an optional JSON object body; an empty body is {}.
Result<json> ObjectBody(const HttpRequest& request) {
  if (request.body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return json::object();
  }
  const std::string type = request.MediaType();
  if (!type.empty() && type != "application/json") {
    return Status::InvalidArgument("the body must be application/json, got " + type);
  }
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded()) return Status::InvalidArgument("the body is not valid JSON");
  if (!body.is_object()) return Status::DataError("the body must be a JSON object");
  return body;
}

// Reads member `name` of `body` as a string ("" when absent).
Result<std::string> StringMember(const json& body, const char* name) {
  if (!body.contains(name) || body[name].is_null()) return std::string();
  if (!body[name].is_string()) return Status::DataError(std::string(name) + " must be a string");
  return body[name].get<std::string>();
}

// A scratch folder in the store's directory for one upload, removed when done. Its ".tmp-" name
// is what VersionStore::Open clears after a crash.
class UploadDir {
 public:
  explicit UploadDir(const std::string& store_dir) {
    std::random_device random;
    char name[32];
    std::snprintf(name, sizeof name, ".tmp-upload-%08x%08x", random(), random());
    path_ = fs::path(store_dir) / name;
  }
  ~UploadDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Returns the file name an upload is stored under, from ?name= (its last path component, so no
// traversal) or "upload" with the extension of its media type.
Result<std::string> UploadName(const HttpRequest& request, const std::string& type) {
  std::string extension;
  if (type == "application/geopackage+sqlite3" || type == "application/x-sqlite3") {
    extension = ".gpkg";
  } else if (type == "application/zip" || type == "application/x-zip-compressed") {
    extension = ".zip";
  } else if (type == "application/geo+json" || type == "application/json") {
    extension = ".geojson";
  } else {
    return Status::Unimplemented("");  // the caller answers 415
  }
  std::string name = std::string(request.Query("name").value_or(""));
  name = fs::path(name).filename().string();
  if (name.empty() || name == "." || name == ".." || name.front() == '.') name = "upload";
  if (!name.ends_with(extension)) name += extension;
  return name;
}

// Picks up writes by other processes (`wangge publish`) now rather than at the next poll, so the
// answer shows the store as it is; a changed live version wakes the publisher.
void RefreshStore(SnapshotPublisher& publisher) {
  Result<bool> changed = publisher.store().Refresh();
  if (changed.ok() && *changed) publisher.Wake();
}

}  // namespace

Reply HandleDraftCreate(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {"message", "name"}); !s.ok()) return ErrorReply(s);
  if (!context.publisher) return NoStore();
  const std::string type = request.MediaType();
  Result<std::string> name = UploadName(request, type);
  if (!name.ok()) {
    return ErrorReply(HttpError::kUnsupportedMediaType,
                      "Content-Type must be application/geopackage+sqlite3, application/zip or "
                      "application/geo+json" +
                          (type.empty() ? std::string() : ", got " + type));
  }
  if (request.body.empty()) return ErrorReply(Status::InvalidArgument("the body is empty"));
  VersionStore& store = context.publisher->store();
  UploadDir dir(store.dir());
  std::error_code error;
  fs::create_directories(dir.path(), error);
  const fs::path file = dir.path() / *name;
  {
    std::ofstream out(file, std::ios::binary);
    out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
    out.close();
    if (error || !out) return ErrorReply(Status::IoError("cannot write " + file.string()));
  }
  Result<DraftInfo> draft = store.CreateDraft(
      file.string(),
      {.author = Author(request), .message = std::string(request.Query("message").value_or(""))});
  if (!draft.ok()) {
    // An upload that cannot be read is the client's: 422, with the loader's message.
    // (A failure naming the uploaded file is about its content; anything else is the store's.)
    const StatusCode code = draft.status().code();
    const bool about_upload =
        std::string_view(draft.status().message()).find(dir.path().string()) !=
        std::string_view::npos;
    if (code == StatusCode::kInvalidArgument || code == StatusCode::kNotFound ||
        (code == StatusCode::kIoError && about_upload)) {
      return ErrorReply(Status::DataError(draft.status().message()));
    }
    return ErrorReply(draft.status());
  }
  Reply reply = JsonAnswer(201, DraftJson(*draft));
  reply.headers.emplace_back("Location", request.base_url + "/v1/drafts/" + draft->id);
  return reply;
}

Reply HandleDraftList(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {}); !s.ok()) return ErrorReply(s);
  if (!context.publisher) return NoStore();
  json drafts = json::array();
  for (const DraftInfo& d : context.publisher->store().Drafts()) drafts.push_back(DraftJson(d));
  return JsonAnswer(200, {{"drafts", std::move(drafts)}});
}

Reply HandleDraftGet(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {}); !s.ok()) return ErrorReply(s);
  if (!context.publisher) return NoStore();
  Result<DraftInfo> draft = context.publisher->store().Draft(request.path_params[0]);
  if (!draft.ok()) return ErrorReply(draft.status());
  return JsonAnswer(200, DraftJson(*draft));
}

Reply HandleDraftDelete(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {}); !s.ok()) return ErrorReply(s);
  if (!context.publisher) return NoStore();
  if (Status s = context.publisher->store().DeleteDraft(request.path_params[0],
                                                        {.author = Author(request)});
      !s.ok()) {
    return ErrorReply(s);
  }
  Reply reply;
  reply.status = 204;
  reply.content_type.clear();
  return reply;
}

Reply HandleDraftCoverage(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {"f"}); !s.ok()) return ErrorReply(s);
  if (!context.publisher) return NoStore();
  const Result<ReportFormat> format = RequestedReportFormat(request);
  if (!format.ok()) return ErrorReply(format.status());
  VersionStore& store = context.publisher->store();
  const std::string& id = request.path_params[0];
  Reply reply;
  reply.headers.emplace_back("Vary", "Accept");
  if (*format == ReportFormat::kJson) {
    Result<std::string> path = store.DraftCoverageJsonPath(id);
    if (!path.ok()) return ErrorReply(path.status());
    std::ifstream in(*path, std::ios::binary);
    if (!in) return ErrorReply(Status::IoError("cannot read " + *path));
    reply.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return reply;
  }
  // The store keeps the report as JSON only; the GeoJSON view checks the draft again.
  Result<std::string> path = store.DraftDatasetPath(id);
  if (!path.ok()) return ErrorReply(path.status());
  Result<Dataset> dataset = LoadDataset(*path);
  if (!dataset.ok()) return ErrorReply(dataset.status());
  reply.content_type = "application/geo+json";
  reply.body = FormatReportGeoJson(ValidateCoverage(dataset->hierarchy));
  return reply;
}

Reply HandleDraftPublish(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {}); !s.ok()) return ErrorReply(s);
  if (!context.publisher) return NoStore();
  Result<json> body = ObjectBody(request);
  if (!body.ok()) return ErrorReply(body.status());
  PublishRequest publish;
  publish.meta.author = Author(request);
  Result<std::string> message = StringMember(*body, "message");
  if (!message.ok()) return ErrorReply(message.status());
  publish.meta.message = *message;
  Result<std::string> reason = StringMember(*body, "reason");
  if (!reason.ok()) return ErrorReply(reason.status());
  publish.force_reason = *reason;
  if (body->contains("force") && !(*body)["force"].is_null()) {
    if (!(*body)["force"].is_boolean())
      return ErrorReply(Status::DataError("force must be true or false"));
    publish.force = (*body)["force"].get<bool>();
  }
  if (publish.force && publish.force_reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return ErrorReply(Status::DataError(
        "force needs a reason: publishing despite error-level defects is recorded with why"));
  }
  VersionStore& store = context.publisher->store();
  const std::string& id = request.path_params[0];
  Result<DraftInfo> draft = store.Draft(id);
  if (!draft.ok()) return ErrorReply(draft.status());
  Result<VersionInfo> version = store.Publish(id, publish);
  if (!version.ok()) {
    if (version.status().code() == StatusCode::kFailedPrecondition && draft->error_count > 0) {
      return ErrorReply(Status::FailedPrecondition(
          "draft " + id + " has " + std::to_string(draft->error_count) +
          " error-level coverage defects (GET /v1/drafts/" + id +
          "/coverage lists them); fix them, or publish with \"force\": true and a \"reason\""));
    }
    return ErrorReply(version.status());
  }
  context.publisher->Wake();
  PublisherState state = context.publisher->state();
  state.live = version->id;  // the worker may not have looked yet
  Reply reply = JsonAnswer(202, VersionJson(*version, state));
  reply.headers.emplace_back("Location", request.base_url + "/v1/versions/" + version->id);
  return reply;
}

Reply HandleVersionList(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {}); !s.ok()) return ErrorReply(s);
  if (!context.publisher) return NoStore();
  RefreshStore(*context.publisher);
  const VersionStore& store = context.publisher->store();
  const std::optional<VersionInfo> current = store.Current();
  PublisherState state = context.publisher->state();
  // The store may have moved on since the worker last looked: say what it holds now.
  state.live = current ? current->id : "";
  json versions = json::array();
  for (const VersionInfo& v : store.Versions()) versions.push_back(VersionJson(v, state));
  json history = json::array();
  for (const HistoryEvent& e : store.History()) history.push_back(EventJson(e));
  return JsonAnswer(200, {{"live", Nullable(state.live)},
                          {"served", Nullable(state.served)},
                          {"building", Nullable(state.building)},
                          {"last_error", Nullable(state.last_error)},
                          {"versions", std::move(versions)},
                          {"history", std::move(history)}});
}

Reply HandleVersionGet(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {}); !s.ok()) return ErrorReply(s);
  if (!context.publisher) return NoStore();
  RefreshStore(*context.publisher);
  const VersionStore& store = context.publisher->store();
  Result<VersionInfo> version = store.Version(request.path_params[0]);
  if (!version.ok()) return ErrorReply(version.status());
  PublisherState state = context.publisher->state();
  const std::optional<VersionInfo> current = store.Current();
  state.live = current ? current->id : "";
  return JsonAnswer(200, VersionJson(*version, state));
}

Reply HandleVersionRollback(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {}); !s.ok()) return ErrorReply(s);
  if (!context.publisher) return NoStore();
  Result<json> body = ObjectBody(request);
  if (!body.ok()) return ErrorReply(body.status());
  Result<std::string> message = StringMember(*body, "message");
  if (!message.ok()) return ErrorReply(message.status());
  VersionStore& store = context.publisher->store();
  Result<VersionInfo> version =
      store.Rollback(request.path_params[0], {.author = Author(request), .message = *message});
  if (!version.ok()) return ErrorReply(version.status());
  context.publisher->Wake();
  PublisherState state = context.publisher->state();
  state.live = version->id;
  Reply reply = JsonAnswer(202, VersionJson(*version, state));
  reply.headers.emplace_back("Location", request.base_url + "/v1/versions/" + version->id);
  return reply;
}

}  // namespace wangge::server
