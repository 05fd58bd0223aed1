// kill -9 during `wangge publish` at random moments, many times: after each kill the store must
// open at the old version or the new one, never broken; every version's dataset must load with the
// fingerprint its record names; and the next publish must work.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/coverage/coverage_test_util.h"
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/test_support.h"
#include "wangge/load/dataset.h"
#include "wangge/load/dataset_writer.h"
#include "wangge/snapshot/snapshot.h"
#include "wangge/store/version_store.h"

namespace wangge {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string Digits(size_t value, size_t width) {
  std::string s = std::to_string(value);
  return std::string(width - s.size(), '0') + s;
}

// `grids` grids side by side, each `w` x `h` unit squares; every shared border edge-matched, so
// the dataset is clean. `tag` goes into the unit names, so datasets differ in fingerprint only.
Hierarchy Synthetic(size_t grids, int w, int h, const std::string& tag) {
  HierarchyBuilder b(testing::GridAndUnit());
  for (size_t g = 0; g < grids; ++g) {
    const int x0 = static_cast<int>(g) * w;
    const std::string grid = "350302001001" + Digits(g + 1, 3);
    // The grid's ring carries every unit corner on its border.
    std::string ring;
    const auto add = [&ring](int x, int y) {
      ring += (ring.empty() ? "" : ", ") + std::to_string(x) + " " + std::to_string(y);
    };
    for (int x = x0; x < x0 + w; ++x) add(x, 0);
    for (int y = 0; y < h; ++y) add(x0 + w, y);
    for (int x = x0 + w; x > x0; --x) add(x, h);
    for (int y = h; y > 0; --y) add(x0, y);
    add(x0, 0);
    b.Add({.level = 0,
           .code = grid,
           .parent = "350302001001",
           .name = "网格" + grid,
           .geometry = testing::Local("POLYGON ((" + ring + "))")});
    size_t n = 0;
    for (int y = 0; y < h; ++y) {
      for (int x = x0; x < x0 + w; ++x) {
        const std::string box = "POLYGON ((" + std::to_string(x) + " " + std::to_string(y) + ", " +
                                std::to_string(x + 1) + " " + std::to_string(y) + ", " +
                                std::to_string(x + 1) + " " + std::to_string(y + 1) + ", " +
                                std::to_string(x) + " " + std::to_string(y + 1) + ", " +
                                std::to_string(x) + " " + std::to_string(y) + "))";
        const std::string code = grid + Digits(++n, 3);
        b.Add({.level = 1,
               .code = code,
               .parent = grid,
               .name = tag + code,
               .geometry = testing::Local(box)});
      }
    }
  }
  return std::move(b).Build(nullptr);
}

pid_t StartPublish(const std::string& dataset, const std::string& store) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Child: become `wangge publish` (only async-signal-safe calls before exec).
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execl(WANGGE_CLI, WANGGE_CLI, "publish", dataset.c_str(), "--store", store.c_str(),
            "--author", "crash-test", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// Checks the store opens and every version is intact; returns it.
std::unique_ptr<VersionStore> OpenAndCheck(const fs::path& dir, size_t first_to_check) {
  Result<std::unique_ptr<VersionStore>> store = VersionStore::Open(dir.string());
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return nullptr;
  const std::vector<VersionInfo> versions = (*store)->Versions();
  for (size_t i = first_to_check; i < versions.size(); ++i) {
    Result<std::string> path = (*store)->VersionDatasetPath(versions[i].id);
    EXPECT_TRUE(path.ok());
    Result<Dataset> d = LoadDataset(*path);
    EXPECT_TRUE(d.ok()) << "version " << versions[i].id << ": " << d.status().ToString();
    if (d.ok()) {
      EXPECT_EQ(Fingerprint(d->hierarchy), versions[i].fingerprint) << versions[i].id;
    }
  }
  for (const char* sub : {"versions", "drafts"}) {
    for (const fs::directory_entry& e : fs::directory_iterator(dir / sub)) {
      EXPECT_FALSE(e.path().filename().string().starts_with(".tmp-")) << e.path();
    }
  }
  return std::move(store).value();
}

TEST(StoreCrash, KillNineDuringPublishLeavesTheOldOrTheNewVersion) {
  const fs::path dir = testing::ScratchDir();
  const fs::path store_dir = dir / "store";
  std::vector<std::string> datasets;
  std::vector<std::string> fingerprints;
  for (const char* tag : {"a", "b"}) {
    const Hierarchy h = Synthetic(8, 10, 8, tag);
    datasets.push_back((dir / (std::string(tag) + ".gpkg")).string());
    ASSERT_TRUE(WriteGeoPackage(h, datasets.back()).ok());
    fingerprints.push_back(Fingerprint(h));
  }
  // Calibrate: how long an undisturbed publish takes (the slowest of three, as the machine may be
  // busy); the kills are spread over 1.5 times that, so some land after the commit too.
  double duration_s = 0;
  for (int i = 0; i < 3; ++i) {
    const Clock::time_point t0 = Clock::now();
    const int status = Wait(StartPublish(datasets[static_cast<size_t>(i) % 2], store_dir.string()));
    duration_s = std::max(duration_s, std::chrono::duration<double>(Clock::now() - t0).count());
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
  std::mt19937 random(20261122);
  std::uniform_real_distribution<double> delay(0.0, 1.5 * duration_s);
  size_t old_kept = 0, new_made = 0;
  constexpr int kRounds = 50;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    Result<std::unique_ptr<VersionStore>> opened = VersionStore::Open(store_dir.string());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    std::unique_ptr<VersionStore> before = std::move(opened).value();
    ASSERT_NE(before, nullptr);
    const size_t n = before->Versions().size();
    const VersionInfo old_live = *before->Current();
    before.reset();
    const size_t which = static_cast<size_t>(round) % 2;

    const pid_t pid = StartPublish(datasets[which], store_dir.string());
    std::this_thread::sleep_for(std::chrono::duration<double>(delay(random)));
    ::kill(pid, SIGKILL);
    Wait(pid);

    std::unique_ptr<VersionStore> after = OpenAndCheck(store_dir, n);
    ASSERT_NE(after, nullptr);
    const std::vector<VersionInfo> versions = after->Versions();
    ASSERT_TRUE(after->Current().has_value());
    const VersionInfo live = *after->Current();
    if (versions.size() == n) {
      ++old_kept;
      EXPECT_EQ(live.id, old_live.id);
      EXPECT_EQ(live.fingerprint, old_live.fingerprint);
    } else {
      ASSERT_EQ(versions.size(), n + 1);
      ++new_made;
      EXPECT_EQ(live.id, std::to_string(n + 1));
      EXPECT_EQ(live.fingerprint, fingerprints[which]);
    }
    EXPECT_EQ(after->History().back().version, live.id);
    // The next publish works (in process, from a leftover draft if the kill left one).
    Result<DraftInfo> draft = after->CreateDraft(datasets[1 - which], {"crash-test", "next"});
    ASSERT_TRUE(draft.ok()) << draft.status().ToString();
    Result<VersionInfo> next = after->Publish(draft->id, {.meta = {"crash-test", "next"}});
    ASSERT_TRUE(next.ok()) << next.status().ToString();
    EXPECT_EQ(after->Current()->fingerprint, fingerprints[1 - which]);
    for (const DraftInfo& d : after->Drafts()) ASSERT_TRUE(after->DeleteDraft(d.id, {}).ok());
  }
  OpenAndCheck(store_dir, 0);
  std::cout << "[ crash    ] " << kRounds << " kills over a " << duration_s
            << " s publish: old version kept " << old_kept << ", new version made " << new_made
            << "\n";
  EXPECT_GT(old_kept, 0u);  // the kills really interrupted publishes
}

}  // namespace
}  // namespace wangge
