#include "wangge/store/version_store.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/coverage/coverage_test_util.h"
#include <cpl_vsi.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/test_support.h"
#include "wangge/load/dataset.h"
#include "wangge/load/dataset_writer.h"
#include "wangge/snapshot/snapshot.h"

namespace wangge {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;
using testing::MakeHierarchy;
using testing::RegionSpec;

// Two grids of two units each; `gap` leaves the last unit out (an error-level gap);
// `shift` moves the border between the first grid's units (a different version).
Hierarchy Grids(bool gap = false, int shift = 0) {
  const std::string x = std::to_string(2 + shift);
  std::vector<RegionSpec> specs = {
      {0, "350302001001001", "350302001001",
       "POLYGON ((0 0, " + x + " 0, 4 0, 4 4, " + x + " 4, 0 4, 0 0))"},
      {0, "350302001001002", "350302001001", "POLYGON ((4 0, 8 0, 8 2, 8 4, 4 4, 4 2, 4 0))"},
      {1, "350302001001001001", "350302001001001",
       "POLYGON ((0 0, " + x + " 0, " + x + " 4, 0 4, 0 0))"},
      {1, "350302001001001002", "350302001001001",
       "POLYGON ((" + x + " 0, 4 0, 4 4, " + x + " 4, " + x + " 0))"},
      {1, "350302001001002001", "350302001001002", "POLYGON ((4 0, 8 0, 8 2, 4 2, 4 0))"},
  };
  if (!gap) {
    specs.push_back(
        {1, "350302001001002002", "350302001001002", "POLYGON ((4 2, 8 2, 8 4, 4 4, 4 2))"});
  }
  return testing::MakeHierarchy(specs);
}

std::string WriteDataset(const Hierarchy& h, const fs::path& path) {
  EXPECT_TRUE(WriteGeoPackage(h, path.string()).ok());
  return path.string();
}

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::unique_ptr<VersionStore> OpenOrDie(const fs::path& dir) {
  Result<std::unique_ptr<VersionStore>> store = VersionStore::Open(dir.string());
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

std::vector<json> AuditRecords(const fs::path& dir) {
  std::vector<json> out;
  std::ifstream in(dir / "audit.jsonl");
  std::string line;
  while (std::getline(in, line)) out.push_back(json::parse(line));
  return out;
}

const WriteMeta kMeta{"li.planner", "三月调整"};

TEST(VersionStore, OpensANewStoreAndReopensIt) {
  const fs::path dir = testing::ScratchDir() / "store";
  {
    std::unique_ptr<VersionStore> store = OpenOrDie(dir);
    ASSERT_NE(store, nullptr);
    EXPECT_FALSE(store->Current().has_value());
    EXPECT_TRUE(store->Versions().empty());
    EXPECT_TRUE(store->History().empty());
    EXPECT_TRUE(store->Drafts().empty());
    EXPECT_EQ(store->VersionAt(StoreClock::now()).status().code(), StatusCode::kNotFound);
  }
  EXPECT_TRUE(fs::exists(dir / "state.json"));
  EXPECT_NE(OpenOrDie(dir), nullptr);
}

TEST(VersionStore, RefusesAFolderThatIsNotAStore) {
  const fs::path dir = testing::ScratchDir();
  std::ofstream(dir / "notes.txt") << "mine";
  Result<std::unique_ptr<VersionStore>> store = VersionStore::Open(dir.string());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr("notes.txt"));
}

TEST(VersionStore, CorruptStateIsAClearErrorNamingTheFile) {
  const fs::path dir = testing::ScratchDir() / "store";
  ASSERT_NE(OpenOrDie(dir), nullptr);
  for (const std::string& bad : {std::string("{\"schema\": \"wangge.store/1\", \"live\""),
                                 std::string("{\"schema\": \"wangge.store/1\", \"live\": \"3\", "
                                             "\"versions\": [], \"history\": []}"),
                                 std::string("")}) {
    std::ofstream(dir / "state.json", std::ios::trunc) << bad;
    Result<std::unique_ptr<VersionStore>> store = VersionStore::Open(dir.string());
    ASSERT_FALSE(store.ok()) << bad;
    EXPECT_EQ(store.status().code(), StatusCode::kDataError);
    EXPECT_THAT(store.status().message(), HasSubstr((dir / "state.json").string()));
  }
}

TEST(VersionStore, CreateDraftRecordsTheCoverageCheckAndTheDataset) {
  const fs::path dir = testing::ScratchDir();
  const Hierarchy h = Grids();
  const std::string source = WriteDataset(h, dir / "putian.gpkg");
  std::unique_ptr<VersionStore> store = OpenOrDie(dir / "store");
  Result<DraftInfo> draft = store->CreateDraft(source, kMeta);
  ASSERT_TRUE(draft.ok()) << draft.status().ToString();
  EXPECT_EQ(draft->id.size(), 16u);
  EXPECT_EQ(draft->source, "putian.gpkg");
  EXPECT_EQ(draft->meta.author, "li.planner");
  EXPECT_EQ(draft->meta.message, "三月调整");
  EXPECT_EQ(draft->region_count, 6u);
  EXPECT_EQ(draft->fingerprint, Fingerprint(h));
  EXPECT_EQ(draft->error_count, 0u);
  EXPECT_EQ(draft->sliver_count, 0u);
  EXPECT_EQ(draft->load_error_count, 0u);

  Result<std::string> package = store->DraftDatasetPath(draft->id);
  ASSERT_TRUE(package.ok());
  Result<Dataset> reloaded = LoadDataset(*package);
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ(Fingerprint(reloaded->hierarchy), draft->fingerprint);
  EXPECT_EQ(Read(*package), Read(source));  // a GeoPackage in wangge's layout is copied verbatim
  Result<std::string> coverage = store->DraftCoverageJsonPath(draft->id);
  ASSERT_TRUE(coverage.ok());
  EXPECT_EQ(json::parse(Read(*coverage))["schema"], "wangge.coverage-report/1");

  ASSERT_EQ(store->Drafts().size(), 1u);
  EXPECT_EQ(store->Drafts()[0].id, draft->id);
  Result<DraftInfo> again = store->Draft(draft->id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->fingerprint, draft->fingerprint);
  EXPECT_EQ(again->created_at, draft->created_at);
}

TEST(VersionStore, CreateDraftFailsOnUnreadableInputAndWritesNothing) {
  const fs::path dir = testing::ScratchDir();
  std::unique_ptr<VersionStore> store = OpenOrDie(dir / "store");
  Result<DraftInfo> missing = store->CreateDraft((dir / "nope.gpkg").string(), kMeta);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  std::ofstream(dir / "junk.gpkg") << "not a geopackage";
  EXPECT_FALSE(store->CreateDraft((dir / "junk.gpkg").string(), kMeta).ok());
  EXPECT_TRUE(store->Drafts().empty());
  EXPECT_TRUE(fs::is_empty(dir / "store" / "drafts"));
  const std::vector<json> audit = AuditRecords(dir / "store");
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0]["action"], "create_draft");
  EXPECT_THAT(audit[0]["outcome"].get<std::string>(), HasSubstr("not_found"));
}

TEST(VersionStore, PublishMakesTheDraftLiveAndConsumesIt) {
  const fs::path dir = testing::ScratchDir();
  std::unique_ptr<VersionStore> store = OpenOrDie(dir / "store");
  Result<DraftInfo> draft = store->CreateDraft(WriteDataset(Grids(), dir / "a.gpkg"), kMeta);
  ASSERT_TRUE(draft.ok());
  Result<VersionInfo> v = store->Publish(draft->id, {.meta = {"wang", "first"}});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->id, "1");
  EXPECT_EQ(v->draft_id, draft->id);
  EXPECT_EQ(v->fingerprint, draft->fingerprint);
  EXPECT_EQ(v->region_count, 6u);
  EXPECT_EQ(v->meta.author, "wang");
  EXPECT_TRUE(v->forced_reason.empty());
  ASSERT_TRUE(store->Current().has_value());
  EXPECT_EQ(store->Current()->id, "1");
  EXPECT_TRUE(store->Drafts().empty());
  EXPECT_EQ(store->Draft(draft->id).status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(dir / "store" / "drafts" / draft->id));
  Result<std::string> path = store->VersionDatasetPath("1");
  ASSERT_TRUE(path.ok());
  Result<Dataset> loaded = LoadDataset(*path);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(Fingerprint(loaded->hierarchy), v->fingerprint);
  const json record = json::parse(Read(dir / "store" / "versions" / "1" / "version.json"));
  EXPECT_EQ(record["fingerprint"], v->fingerprint);

  // Publishing the same draft again: it is gone.
  EXPECT_EQ(store->Publish(draft->id, {.meta = kMeta}).status().code(), StatusCode::kNotFound);
  // A restart resumes the live version.
  store.reset();
  std::unique_ptr<VersionStore> reopened = OpenOrDie(dir / "store");
  ASSERT_TRUE(reopened->Current().has_value());
  EXPECT_EQ(reopened->Current()->id, "1");
  EXPECT_EQ(reopened->Current()->published_at, v->published_at);
  EXPECT_EQ(reopened->Current()->meta.message, "first");
}

TEST(VersionStore, PublishRefusesUnknownDraftsAndBadIds) {
  std::unique_ptr<VersionStore> store = OpenOrDie(testing::ScratchDir() / "store");
  for (const char* id : {"0123456789abcdef", "../../etc", "", "ZZZZZZZZZZZZZZZZ"}) {
    Result<VersionInfo> v = store->Publish(id, {.meta = kMeta});
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.status().code(), StatusCode::kNotFound) << id;
  }
  EXPECT_EQ(store->DeleteDraft("0123456789abcdef", kMeta).code(), StatusCode::kNotFound);
  EXPECT_FALSE(store->Current().has_value());
}

TEST(VersionStore, PublishRefusesErrorLevelDefectsUnlessForcedWithAReason) {
  const fs::path dir = testing::ScratchDir();
  std::unique_ptr<VersionStore> store = OpenOrDie(dir / "store");
  Result<DraftInfo> draft =
      store->CreateDraft(WriteDataset(Grids(/*gap=*/true), dir / "gap.gpkg"), kMeta);
  ASSERT_TRUE(draft.ok());
  EXPECT_EQ(draft->error_count, 1u);

  Result<VersionInfo> refused = store->Publish(draft->id, {.meta = kMeta});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("1 error-level"));
  Result<VersionInfo> no_reason = store->Publish(draft->id, {.meta = kMeta, .force = true});
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(store->Current().has_value());
  EXPECT_EQ(store->Drafts().size(), 1u);  // refusals keep the draft

  Result<VersionInfo> forced = store->Publish(
      draft->id, {.meta = kMeta, .force = true, .force_reason = "gap is the new reservoir"});
  ASSERT_TRUE(forced.ok()) << forced.status().ToString();
  EXPECT_EQ(forced->error_count, 1u);
  EXPECT_EQ(forced->forced_reason, "gap is the new reservoir");
  ASSERT_EQ(store->History().size(), 1u);
  EXPECT_EQ(store->History()[0].forced_reason, "gap is the new reservoir");
  store.reset();
  EXPECT_EQ(OpenOrDie(dir / "store")->Current()->forced_reason, "gap is the new reservoir");
}

TEST(VersionStore, RollbackRefusalsAndToggling) {
  const fs::path dir = testing::ScratchDir();
  std::unique_ptr<VersionStore> store = OpenOrDie(dir / "store");
  Result<VersionInfo> none = store->Rollback("", kMeta);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kFailedPrecondition);

  const auto publish = [&](const Hierarchy& h, const std::string& name) {
    Result<DraftInfo> d = store->CreateDraft(WriteDataset(h, dir / name), kMeta);
    EXPECT_TRUE(d.ok());
    return store->Publish(d->id, {.meta = kMeta});
  };
  ASSERT_TRUE(publish(Grids(), "a.gpkg").ok());
  Result<VersionInfo> only = store->Rollback("", kMeta);
  ASSERT_FALSE(only.ok());
  EXPECT_EQ(only.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store->Rollback("1", kMeta).status().code(), StatusCode::kFailedPrecondition);

  ASSERT_TRUE(publish(Grids(false, 1), "b.gpkg").ok());
  EXPECT_EQ(store->Rollback("2", kMeta).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store->Rollback("9", kMeta).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->Rollback("x", kMeta).status().code(), StatusCode::kNotFound);
  Result<VersionInfo> back = store->Rollback("", {"zhao", "bad border"});
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->id, "1");
  EXPECT_EQ(store->Current()->id, "1");
  EXPECT_EQ(store->Rollback("1", kMeta).status().code(), StatusCode::kFailedPrecondition);
  Result<VersionInfo> forward = store->Rollback("", kMeta);  // the one live before: 2
  ASSERT_TRUE(forward.ok());
  EXPECT_EQ(forward->id, "2");
  EXPECT_EQ(store->Versions().size(), 2u);  // rollbacks never add or remove versions
  const std::vector<HistoryEvent> history = store->History();
  ASSERT_EQ(history.size(), 4u);
  EXPECT_EQ(history[2].kind, HistoryEvent::Kind::kRollback);
  EXPECT_EQ(history[2].meta.author, "zhao");
  EXPECT_EQ(history[2].meta.message, "bad border");
}

TEST(VersionStore, VersionAtAnswersAsOfAnyTimeAcrossPublishesAndRollbacks) {
  const fs::path dir = testing::ScratchDir();
  std::unique_ptr<VersionStore> store = OpenOrDie(dir / "store");
  const StoreClock::time_point start = StoreClock::now();
  std::vector<std::string> drafts;
  for (int i = 0; i < 3; ++i) {
    Result<DraftInfo> d = store->CreateDraft(
        WriteDataset(Grids(false, i - 1), dir / (std::to_string(i) + ".gpkg")), kMeta);
    ASSERT_TRUE(d.ok());
    drafts.push_back(d->id);
  }
  const auto pause = [] { std::this_thread::sleep_for(std::chrono::milliseconds(3)); };
  ASSERT_TRUE(store->Publish(drafts[0], {.meta = kMeta}).ok());  // 1
  pause();
  ASSERT_TRUE(store->Publish(drafts[1], {.meta = kMeta}).ok());  // 2
  pause();
  ASSERT_TRUE(store->Rollback("1", kMeta).ok());  // 1
  pause();
  ASSERT_TRUE(store->Publish(drafts[2], {.meta = kMeta}).ok());  // 3
  pause();
  ASSERT_TRUE(store->Rollback("2", kMeta).ok());  // 2
  const std::vector<HistoryEvent> history = store->History();
  ASSERT_EQ(history.size(), 5u);
  const std::vector<std::string> expected = {"1", "2", "1", "3", "2"};
  EXPECT_EQ(store->VersionAt(start).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->VersionAt(history[0].at - std::chrono::microseconds(1)).status().code(),
            StatusCode::kNotFound);
  for (size_t i = 0; i < history.size(); ++i) {
    EXPECT_EQ(history[i].version, expected[i]);
    EXPECT_EQ(*store->VersionAt(history[i].at), expected[i]) << i;
    if (i + 1 < history.size()) {
      const auto middle = history[i].at + (history[i + 1].at - history[i].at) / 2;
      EXPECT_EQ(*store->VersionAt(middle), expected[i]) << i;
      EXPECT_EQ(*store->VersionAt(history[i + 1].at - std::chrono::microseconds(1)), expected[i]);
    }
  }
  EXPECT_EQ(*store->VersionAt(StoreClock::now() + std::chrono::hours(24 * 365)), "2");
  // The same answers after a restart (times survive the round trip through state.json).
  store.reset();
  std::unique_ptr<VersionStore> reopened = OpenOrDie(dir / "store");
  for (size_t i = 0; i < history.size(); ++i) {
    EXPECT_EQ(*reopened->VersionAt(history[i].at), expected[i]);
  }
}

TEST(VersionStore, RefreshPicksUpAnotherWritersChanges) {
  const fs::path dir = testing::ScratchDir();
  std::unique_ptr<VersionStore> writer = OpenOrDie(dir / "store");
  std::unique_ptr<VersionStore> reader = OpenOrDie(dir / "store");
  Result<bool> unchanged = reader->Refresh();
  ASSERT_TRUE(unchanged.ok());
  EXPECT_FALSE(*unchanged);
  Result<DraftInfo> d = writer->CreateDraft(WriteDataset(Grids(), dir / "a.gpkg"), kMeta);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(reader->Drafts().size(), 1u);  // drafts are read from disk
  ASSERT_TRUE(writer->Publish(d->id, {.meta = kMeta}).ok());
  EXPECT_FALSE(reader->Current().has_value());
  Result<bool> changed = reader->Refresh();
  ASSERT_TRUE(changed.ok());
  EXPECT_TRUE(*changed);
  EXPECT_EQ(reader->Current()->id, "1");
  EXPECT_FALSE(*reader->Refresh());
  // The reader writes next: it must build on the writer's state, not its own stale copy.
  Result<DraftInfo> d2 = reader->CreateDraft(WriteDataset(Grids(false, 1), dir / "b.gpkg"), kMeta);
  ASSERT_TRUE(d2.ok());
  ASSERT_TRUE(reader->Publish(d2->id, {.meta = kMeta}).ok());
  ASSERT_TRUE(writer->Rollback("", kMeta).ok());  // writer had not refreshed: still sees 2
  EXPECT_TRUE(*reader->Refresh());
  EXPECT_EQ(reader->Current()->id, "1");
  EXPECT_EQ(reader->History().size(), 3u);
}

TEST(VersionStore, AuditRecordsEveryWriteAndEveryRefusal) {
  const fs::path dir = testing::ScratchDir();
  std::unique_ptr<VersionStore> store = OpenOrDie(dir / "store");
  Result<DraftInfo> gap = store->CreateDraft(WriteDataset(Grids(true), dir / "g.gpkg"), kMeta);
  ASSERT_TRUE(gap.ok());
  EXPECT_FALSE(store->Publish(gap->id, {.meta = kMeta}).ok());
  ASSERT_TRUE(store->DeleteDraft(gap->id, {"li", "wrong file"}).ok());
  Result<DraftInfo> ok = store->CreateDraft(WriteDataset(Grids(), dir / "a.gpkg"), kMeta);
  ASSERT_TRUE(ok.ok());
  ASSERT_TRUE(store->Publish(ok->id, {.meta = kMeta}).ok());
  EXPECT_FALSE(store->Rollback("", kMeta).ok());
  ASSERT_TRUE(store->Audit("denied", {"anonymous", ""}, "forbidden", "POST /v1/publish").ok());

  const std::vector<json> audit = AuditRecords(dir / "store");
  const std::vector<std::pair<std::string, bool>> expected = {
      {"create_draft", true}, {"publish", false},  {"delete_draft", true}, {"create_draft", true},
      {"publish", true},      {"rollback", false}, {"denied", false}};
  ASSERT_EQ(audit.size(), expected.size());
  for (size_t i = 0; i < audit.size(); ++i) {
    EXPECT_EQ(audit[i]["action"], expected[i].first) << i;
    EXPECT_EQ(audit[i]["outcome"] == "ok", expected[i].second) << i << audit[i].dump();
    EXPECT_TRUE(ParseStoreTime(audit[i]["at"].get<std::string>()).ok());
  }
  EXPECT_EQ(audit[2]["author"], "li");
  EXPECT_EQ(audit[2]["message"], "wrong file");
  EXPECT_THAT(audit[1]["outcome"].get<std::string>(), HasSubstr("failed_precondition"));
  EXPECT_EQ(audit[6]["detail"], "POST /v1/publish");
  EXPECT_TRUE(store->Drafts().empty());

  // A crash mid-append leaves a line without its newline; only that line is lost.
  std::ofstream(dir / "store" / "audit.jsonl", std::ios::app) << "{\"at\": \"2026-";
  ASSERT_TRUE(store->Audit("denied", {"x", ""}, "unauthorized").ok());
  std::ifstream in(dir / "store" / "audit.jsonl");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), expected.size() + 2);
  EXPECT_EQ(json::parse(lines.back())["outcome"], "unauthorized");
}

// Writes `files` (name → content) into a new zip archive through GDAL's /vsizip/.
void WriteZip(const fs::path& zip, const std::vector<std::pair<std::string, std::string>>& files) {
  for (const auto& [name, content] : files) {
    const std::string member = "/vsizip/" + zip.string() + "/" + name;
    VSILFILE* f = VSIFOpenL(member.c_str(), "wb");
    ASSERT_NE(f, nullptr) << member;
    ASSERT_EQ(VSIFWriteL(content.data(), 1, content.size(), f), content.size());
    VSIFCloseL(f);
  }
}

TEST(VersionStore, CreateDraftAcceptsZippedGeoPackageAndZippedGeoJsonFiles) {
  const fs::path dir = testing::ScratchDir();
  const Hierarchy h = Grids();
  WriteZip(dir / "one.zip", {{"putian/putian.gpkg", Read(WriteDataset(h, dir / "p.gpkg"))}});
  std::unique_ptr<VersionStore> store = OpenOrDie(dir / "store");
  Result<DraftInfo> zipped = store->CreateDraft((dir / "one.zip").string(), kMeta);
  ASSERT_TRUE(zipped.ok()) << zipped.status().ToString();
  EXPECT_EQ(zipped->source, "one.zip");
  EXPECT_EQ(zipped->fingerprint, Fingerprint(h));

  const auto feature = [](const std::string& code, const std::string& parent,
                          const std::string& ring) {
    return R"({"type":"Feature","properties":{"code":")" + code + R"(","parent":")" + parent +
           R"(","name":")" + code + R"("},"geometry":{"type":"Polygon","coordinates":[)" + ring +
           "]}}";
  };
  const std::string grid = R"({"type":"FeatureCollection","features":[)" +
                           feature("350302001001001", "",
                                   "[[119,25],[119.0005,25],[119.001,25],[119.001,25.001],[119."
                                   "0005,25.001],[119,25.001],[119,25]]") +
                           "]}";
  const std::string unit =
      R"({"type":"FeatureCollection","features":[)" +
      feature("350302001001001001", "350302001001001",
              "[[119,25],[119.0005,25],[119.0005,25.001],[119,25.001],[119,25]]") +
      "," +
      feature("350302001001001002", "350302001001001",
              "[[119.0005,25],[119.001,25],[119.001,25.001],[119.0005,25.001],[119.0005,25]]") +
      "]}";
  WriteZip(dir / "files.zip", {{"grid.geojson", grid}, {"unit.geojson", unit}});
  Result<DraftInfo> files = store->CreateDraft((dir / "files.zip").string(), kMeta);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(files->region_count, 3u);
  EXPECT_EQ(files->error_count, 0u);
  Result<Dataset> normalised = LoadDataset(*store->DraftDatasetPath(files->id));
  ASSERT_TRUE(normalised.ok());
  EXPECT_EQ(Fingerprint(normalised->hierarchy), files->fingerprint);
  EXPECT_EQ(normalised->hierarchy.level_count(), 2u);

  WriteZip(dir / "evil.zip", {{"../escape.gpkg", "x"}});
  EXPECT_FALSE(store->CreateDraft((dir / "evil.zip").string(), kMeta).ok());
  EXPECT_FALSE(fs::exists(dir / "escape.gpkg"));
}

TEST(VersionStore, DeleteDraftRemovesIt) {
  const fs::path dir = testing::ScratchDir();
  std::unique_ptr<VersionStore> store = OpenOrDie(dir / "store");
  Result<DraftInfo> d = store->CreateDraft(WriteDataset(Grids(), dir / "a.gpkg"), kMeta);
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(store->DeleteDraft(d->id, kMeta).ok());
  EXPECT_TRUE(store->Drafts().empty());
  EXPECT_TRUE(fs::is_empty(dir / "store" / "drafts"));
  EXPECT_EQ(store->DeleteDraft(d->id, kMeta).code(), StatusCode::kNotFound);
}

TEST(VersionStore, OpenRemovesLeftoversOfInterruptedWrites) {
  const fs::path dir = testing::ScratchDir();
  {
    std::unique_ptr<VersionStore> store = OpenOrDie(dir / "store");
    Result<DraftInfo> d = store->CreateDraft(WriteDataset(Grids(), dir / "a.gpkg"), kMeta);
    ASSERT_TRUE(d.ok());
    ASSERT_TRUE(store->Publish(d->id, {.meta = kMeta}).ok());
  }
  const fs::path root = dir / "store";
  fs::create_directories(root / "versions" / ".tmp-999999999-0000000000000000");
  fs::create_directories(root / "versions" / "2");  // renamed in, never committed
  fs::create_directories(root / "drafts" / ".tmp-999999999-1111111111111111");
  std::ofstream(root / "state.json.tmp") << "half";
  std::unique_ptr<VersionStore> store = OpenOrDie(root);
  EXPECT_EQ(store->Current()->id, "1");
  EXPECT_FALSE(fs::exists(root / "versions" / "2"));
  EXPECT_FALSE(fs::exists(root / "state.json.tmp"));
  EXPECT_TRUE(fs::is_empty(root / "drafts"));
  EXPECT_EQ(std::distance(fs::directory_iterator(root / "versions"), fs::directory_iterator()), 1);
}

TEST(StoreTime, FormatsAndParsesUtcTimes) {
  Result<StoreClock::time_point> day = ParseStoreTime("2026-03-01");
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(FormatStoreTime(*day), "2026-03-01T00:00:00.000000Z");
  Result<StoreClock::time_point> t = ParseStoreTime("2026-03-01T08:30:05.25Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatStoreTime(*t), "2026-03-01T08:30:05.250000Z");
  EXPECT_EQ(*ParseStoreTime(FormatStoreTime(*t)), *t);
  EXPECT_TRUE(ParseStoreTime("2026-03-01T08:30:05Z").ok());
  for (const char* bad : {"", "2026-3-1", "2026-03-01T08:30:05", "2026-13-01", "yesterday",
                          "2026-03-01T08:30:05.1234567Z", "2026-03-01 08:30:05Z"}) {
    EXPECT_EQ(ParseStoreTime(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace wangge
