// fs::Compile: mount operations and Landlock rules from a plan, against a real temporary tree.
#include "linux/fs_layout.h"
#include "linux/secret_search.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "policy/paths.h"

namespace cordon::linux_backend::fs {
namespace {

using policy::Access;
using policy::IsSameOrUnder;
using policy::PathRule;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

namespace stdfs = std::filesystem;

// The sandbox's own mounts get Landlock rules of their own; they are fresh filesystems inside the sandbox.
bool IsSandboxOwn(const std::string& p) {
  return p == "/" || p == "/tmp" || p == "/dev" || p == "/dev/shm" || p == "/proc";
}

class TempTree {
 public:
  explicit TempTree(const std::string& base = stdfs::temp_directory_path().string()) {
    std::string tmpl = base + "/cordon-fs-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (mkdtemp(buf.data()) == nullptr) std::abort();
    char real[PATH_MAX];
    if (realpath(buf.data(), real) == nullptr) std::abort();
    root_ = real;
  }
  ~TempTree() {
    std::error_code ec;
    stdfs::remove_all(root_, ec);
  }
  const std::string& root() const { return root_; }
  std::string P(const std::string& rel) const { return root_ + "/" + rel; }
  void Dir(const std::string& rel) const { stdfs::create_directories(P(rel)); }
  void File(const std::string& rel, const std::string& content = "x") const {
    stdfs::create_directories(stdfs::path(P(rel)).parent_path());
    std::ofstream(P(rel)) << content;
  }
  void Link(const std::string& rel, const std::string& target) const {
    stdfs::create_directories(stdfs::path(P(rel)).parent_path());
    stdfs::create_symlink(target, P(rel));
  }

 private:
  std::string root_;
};

PathRule Rule(const std::string& path, Access a, int line = 0) { return {path, a, {"test", line}}; }

const Op* FindOp(const Layout& l, OpKind kind, const std::string& dst) {
  for (const Op& op : l.ops) {
    if (op.kind == kind && op.dst == dst) return &op;
  }
  return nullptr;
}

int IndexOf(const Layout& l, OpKind kind, const std::string& dst) {
  for (size_t i = 0; i < l.ops.size(); ++i) {
    if (l.ops[i].kind == kind && l.ops[i].dst == dst) return static_cast<int>(i);
  }
  return -1;
}

const landlock::Rule* FindRule(const Layout& l, const std::string& path) {
  for (const landlock::Rule& r : l.landlock) {
    if (r.path == path) return &r;
  }
  return nullptr;
}

uint64_t RightsAt(const Layout& l, const std::string& path) {
  const landlock::Rule* r = FindRule(l, path);
  return r ? r->rights : 0;
}

bool IsMount(OpKind k) {
  return k == OpKind::kBind || k == OpKind::kBindDevice || k == OpKind::kMaskDir || k == OpKind::kMaskFile ||
         k == OpKind::kTmpfs || k == OpKind::kProc || k == OpKind::kDevpts;
}

// No mount may come after something beneath its mount point: it would hide it. (A bind of "/" is the new
// root itself, set up before everything else.)
std::vector<std::string> OrderProblems(const Layout& l) {
  std::vector<std::string> problems;
  for (size_t i = 0; i < l.ops.size(); ++i) {
    for (size_t j = i + 1; j < l.ops.size(); ++j) {
      const Op& later = l.ops[j];
      if (!IsMount(later.kind) || (later.kind == OpKind::kBind && later.dst == "/")) continue;
      if (l.ops[i].dst != later.dst && IsSameOrUnder(l.ops[i].dst, later.dst)) {
        problems.push_back(std::string(OpKindName(later.kind)) + " " + later.dst + " (#" + std::to_string(j) +
                           ") after " + OpKindName(l.ops[i].kind) + " " + l.ops[i].dst + " (#" + std::to_string(i) + ")");
      }
    }
  }
  return problems;
}

// Replays the ops on a model of the new root and lists every mount whose mount point would not exist when
// it is applied, and every mkdir/touch/symlink whose parent would not. The new root is a skeleton tmpfs (or
// the host's / when root_is_host). A bind of a host tree and a procfs provide what is beneath them; a fresh
// tmpfs or a mask is empty, and hides what was beneath it. Optional ops are skipped by the child when their
// target is missing, so they need nothing.
std::vector<std::string> MountPointProblems(const Layout& l) {
  struct Mount {
    std::string dst;
    bool has_content;
    int index;
  };
  std::vector<Mount> mounts = {{"/", l.root_is_host, -1}};
  std::vector<std::pair<std::string, int>> made;
  auto exists = [&](const std::string& p) {
    const Mount* top = nullptr;
    for (const Mount& m : mounts) {
      if (IsSameOrUnder(p, m.dst) && (top == nullptr || m.dst.size() >= top->dst.size())) top = &m;
    }
    if (top->dst == p || top->has_content) return true;
    return std::any_of(made.begin(), made.end(), [&](const auto& e) { return e.first == p && e.second > top->index; });
  };
  std::vector<std::string> problems;
  for (size_t i = 0; i < l.ops.size(); ++i) {
    const Op& op = l.ops[i];
    int idx = static_cast<int>(i);
    if (op.optional) continue;
    switch (op.kind) {
      case OpKind::kMkdir:
      case OpKind::kTouch:
      case OpKind::kSymlink:
        if (!exists(policy::ParentPath(op.dst))) problems.push_back(std::string(OpKindName(op.kind)) + " " + op.dst);
        made.emplace_back(op.dst, idx);
        break;
      case OpKind::kReadOnly:
        if (!exists(op.dst)) problems.push_back(std::string(OpKindName(op.kind)) + " " + op.dst + ": missing");
        break;
      default:
        if (op.kind == OpKind::kBind && op.dst == "/") break;  // the root itself, when root_is_host
        if (!exists(op.dst)) problems.push_back(std::string(OpKindName(op.kind)) + " " + op.dst + ": no mount point");
        mounts.push_back({op.dst, op.kind == OpKind::kBind || op.kind == OpKind::kProc, idx});
        break;
    }
  }
  return problems;
}

// The scenario of the brief: read R with R/secret (a directory) and R/a/b/file denied; write W with
// W/.git/hooks read-only.
class FsLayoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t_.File("R/top.txt");
    t_.File("R/a/sib");
    t_.File("R/a/b/file", "secret");
    t_.File("R/a/b/other");
    t_.File("R/secret/key", "secret");
    t_.Dir("R/emptydir");
    t_.Link("R/link", t_.P("R/top.txt"));
    t_.Link("R/a/dirlink", t_.P("R/a/b"));
    t_.File("W/src/main.c");
    t_.File("W/.git/hooks/pre-commit");
    t_.File("W/.git/HEAD");
    t_.File("W/README");
    R = t_.P("R");
    W = t_.P("W");
    plan_.workspace = W;
    plan_.home = t_.P("home");
    plan_.fs = {Rule(R, Access::kRead), Rule(t_.P("R/a/b/file"), Access::kDeny), Rule(t_.P("R/secret"), Access::kDeny),
                Rule(W, Access::kWrite), Rule(t_.P("W/.git/hooks"), Access::kRead)};
    std::sort(plan_.fs.begin(), plan_.fs.end(), [](const PathRule& a, const PathRule& b) { return a.path < b.path; });
  }

  Layout MustCompile() {
    Result<Layout> r = Compile(plan_);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().ToString());
    return r.ok() ? *r : Layout{};
  }

  std::vector<std::string> Denied(const Layout& l) {
    std::vector<std::string> out;
    for (const PathRule& r : l.rules) {
      if (r.access == Access::kDeny) out.push_back(r.path);
    }
    return out;
  }

  TempTree t_;
  std::string R, W;
  plan::LaunchPlan plan_;
};

TEST_F(FsLayoutTest, MasksForDeniedPaths) {
  Layout l = MustCompile();
  EXPECT_NE(FindOp(l, OpKind::kMaskDir, t_.P("R/secret")), nullptr);
  EXPECT_NE(FindOp(l, OpKind::kMaskFile, t_.P("R/a/b/file")), nullptr);
  EXPECT_EQ(FindOp(l, OpKind::kBind, t_.P("R/secret")), nullptr);
  EXPECT_FALSE(l.root_is_host);
}

TEST_F(FsLayoutTest, BindsForRoots) {
  Layout l = MustCompile();
  const Op* r = FindOp(l, OpKind::kBind, R);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->src, R);
  EXPECT_FALSE(r->writable);
  EXPECT_EQ(r->rel, R.substr(1));
  const Op* w = FindOp(l, OpKind::kBind, W);
  ASSERT_NE(w, nullptr);
  EXPECT_TRUE(w->writable);
  const Op* hooks = FindOp(l, OpKind::kBind, t_.P("W/.git/hooks"));
  ASSERT_NE(hooks, nullptr);
  EXPECT_FALSE(hooks->writable);
  // Nothing else from the host is bound, apart from the device nodes.
  for (const Op& op : l.ops) {
    if (op.kind == OpKind::kBind) {
      EXPECT_TRUE(op.dst == R || op.dst == W || op.dst == t_.P("W/.git/hooks")) << op.dst;
      EXPECT_EQ(op.src, op.dst);
    }
    if (op.kind == OpKind::kBindDevice) {
      EXPECT_TRUE(op.dst.starts_with("/dev/")) << op.dst;
    }
    if (!op.dst.empty() && op.dst != "/") {
      EXPECT_EQ(op.rel, op.dst.substr(1)) << op.dst;
    }
  }
}

TEST_F(FsLayoutTest, ParentsBeforeChildren) {
  Layout l = MustCompile();
  std::vector<std::string> problems = OrderProblems(l);
  EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems);
  EXPECT_LT(IndexOf(l, OpKind::kBind, R), IndexOf(l, OpKind::kMaskDir, t_.P("R/secret")));
  EXPECT_LT(IndexOf(l, OpKind::kBind, R), IndexOf(l, OpKind::kMaskFile, t_.P("R/a/b/file")));
  EXPECT_LT(IndexOf(l, OpKind::kBind, W), IndexOf(l, OpKind::kBind, t_.P("W/.git/hooks")));
}

TEST_F(FsLayoutTest, MountPointsExistBeforeUse) {
  Layout l = MustCompile();
  std::vector<std::string> problems = MountPointProblems(l);
  EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems);
}

TEST_F(FsLayoutTest, SandboxOwnTmpProcDev) {
  Layout l = MustCompile();
  const Op* tmp = FindOp(l, OpKind::kTmpfs, "/tmp");
  ASSERT_NE(tmp, nullptr);
  EXPECT_TRUE(tmp->writable);
  EXPECT_THAT(tmp->options, HasSubstr("size=" + std::to_string(plan_.limits.tmp_size_bytes)));
  EXPECT_THAT(tmp->options, HasSubstr("mode=1777"));
  EXPECT_NE(FindOp(l, OpKind::kProc, "/proc"), nullptr);
  EXPECT_NE(FindOp(l, OpKind::kTmpfs, "/dev"), nullptr);
  EXPECT_NE(FindOp(l, OpKind::kDevpts, "/dev/pts"), nullptr);
  EXPECT_NE(FindOp(l, OpKind::kTmpfs, "/dev/shm"), nullptr);
  for (const char* dev : {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty"}) {
    const Op* d = FindOp(l, OpKind::kBindDevice, dev);
    ASSERT_NE(d, nullptr) << dev;
    EXPECT_EQ(d->src, dev);
    EXPECT_LT(IndexOf(l, OpKind::kTouch, dev), IndexOf(l, OpKind::kBindDevice, dev)) << dev;
  }
  const Op* ptmx = FindOp(l, OpKind::kSymlink, "/dev/ptmx");
  ASSERT_NE(ptmx, nullptr);
  EXPECT_EQ(ptmx->src, "pts/ptmx");
  EXPECT_NE(FindOp(l, OpKind::kSymlink, "/dev/fd"), nullptr);
  const Op* vartmp = FindOp(l, OpKind::kSymlink, "/var/tmp");
  ASSERT_NE(vartmp, nullptr);
  EXPECT_EQ(vartmp->src, "/tmp");
  // No host /dev, /proc or /sys is bound wholesale.
  EXPECT_EQ(FindOp(l, OpKind::kBind, "/dev"), nullptr);
  EXPECT_EQ(FindOp(l, OpKind::kBind, "/proc"), nullptr);
  EXPECT_EQ(FindOp(l, OpKind::kBind, "/sys"), nullptr);
  // A stand-in home directory.
  EXPECT_NE(FindOp(l, OpKind::kMkdir, plan_.home), nullptr);
}

TEST_F(FsLayoutTest, LandlockNeverGrantsReadFileOverADeniedPath) {
  Layout l = MustCompile();
  std::vector<std::string> denied = Denied(l);
  ASSERT_THAT(denied, Contains(t_.P("R/secret")));
  ASSERT_THAT(denied, Contains(t_.P("R/a/b/file")));
  for (const landlock::Rule& r : l.landlock) {
    if (IsSandboxOwn(r.path)) continue;
    if ((r.rights & landlock::kReadFile) == 0) continue;
    for (const std::string& d : denied) {
      EXPECT_FALSE(IsSameOrUnder(d, r.path)) << r.path << " grants read_file over denied " << d;
    }
  }
  // Nor any write right inside the read-only root R. (Under the writable root W the write rights are granted
  // on W as a whole, so that files created later are writable; the read-only bind of W/.git/hooks holds.)
  for (const landlock::Rule& r : l.landlock) {
    if (IsSandboxOwn(r.path)) continue;
    if ((r.rights & (landlock::kWriteFile | landlock::kTruncate)) == 0) continue;
    EXPECT_FALSE(IsSameOrUnder(R, r.path)) << r.path << " grants write_file over read-only " << R;
    EXPECT_FALSE(IsSameOrUnder(r.path, R)) << r.path << " grants write_file inside read-only R";
  }
}

TEST_F(FsLayoutTest, LandlockSiblingsOfDeniedPathsReadable) {
  Layout l = MustCompile();
  EXPECT_TRUE(RightsAt(l, t_.P("R/a/b/other")) & landlock::kReadFile);
  EXPECT_TRUE(RightsAt(l, t_.P("R/a/sib")) & landlock::kReadFile);
  EXPECT_TRUE(RightsAt(l, t_.P("R/top.txt")) & landlock::kReadFile);
  EXPECT_TRUE(RightsAt(l, t_.P("R/emptydir")) & landlock::kReadFile);
  EXPECT_TRUE(RightsAt(l, t_.P("R/top.txt")) & landlock::kExecute);
  // The denied paths themselves get no rule at all.
  EXPECT_EQ(FindRule(l, t_.P("R/secret")), nullptr);
  EXPECT_EQ(FindRule(l, t_.P("R/secret/key")), nullptr);
  EXPECT_EQ(FindRule(l, t_.P("R/a/b/file")), nullptr);
  // No write rights anywhere in R.
  for (const landlock::Rule& r : l.landlock) {
    if (IsSameOrUnder(r.path, R)) {
      EXPECT_EQ(r.rights & ~landlock::kReadRights, 0u) << r.path;
    }
  }
}

TEST_F(FsLayoutTest, LandlockReadRootGetsReadDirButNotReadFile) {
  Layout l = MustCompile();
  const landlock::Rule* r = FindRule(l, R);
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(r->rights & landlock::kReadDir);
  EXPECT_FALSE(r->rights & landlock::kReadFile);
  // The directories on the way to a denied path: readable as directories through R, no file rights.
  EXPECT_EQ(FindRule(l, t_.P("R/a")), nullptr);
  EXPECT_EQ(FindRule(l, t_.P("R/a/b")), nullptr);
}

TEST_F(FsLayoutTest, LandlockWriteRootAndReadOnlyHooks) {
  Layout l = MustCompile();
  const landlock::Rule* w = FindRule(l, W);
  ASSERT_NE(w, nullptr);
  // Nothing is denied under W: it gets every right on itself, files created later included.
  EXPECT_EQ(w->rights, landlock::kAllRights);
  const landlock::Rule* hooks = FindRule(l, t_.P("W/.git/hooks"));
  ASSERT_NE(hooks, nullptr);
  EXPECT_EQ(hooks->rights, landlock::kReadRights);
  // No per-entry expansion was needed.
  EXPECT_EQ(FindRule(l, t_.P("W/src")), nullptr);
  EXPECT_EQ(FindRule(l, t_.P("W/README")), nullptr);
}

TEST_F(FsLayoutTest, LandlockWriteRootWithDeniedPathBeneath) {
  t_.File("W/secrets/key", "k");
  plan_.fs.push_back(Rule(t_.P("W/secrets"), Access::kDeny));
  Layout l = MustCompile();
  const landlock::Rule* w = FindRule(l, W);
  ASSERT_NE(w, nullptr);
  // Reading and executing files go to the siblings of the denied path, not to W itself...
  EXPECT_FALSE(w->rights & landlock::kReadFile);
  EXPECT_FALSE(w->rights & landlock::kExecute);
  EXPECT_TRUE(RightsAt(l, t_.P("W/src")) & landlock::kReadFile);
  EXPECT_TRUE(RightsAt(l, t_.P("W/README")) & landlock::kReadFile);
  EXPECT_TRUE(RightsAt(l, t_.P("W/.git/HEAD")) & landlock::kReadFile);
  EXPECT_EQ(FindRule(l, t_.P("W/secrets")), nullptr);
  // ...while the rights that write stay on W, so that new files are writable.
  EXPECT_TRUE(w->rights & landlock::kWriteFile);
  EXPECT_TRUE(w->rights & landlock::kMakeReg);
  EXPECT_TRUE(w->rights & landlock::kReadDir);
  EXPECT_NE(FindOp(l, OpKind::kMaskDir, t_.P("W/secrets")), nullptr);
  for (const landlock::Rule& r : l.landlock) {
    if (IsSandboxOwn(r.path) || (r.rights & landlock::kReadFile) == 0) continue;
    EXPECT_FALSE(IsSameOrUnder(t_.P("W/secrets/key"), r.path)) << r.path;
  }
}

TEST_F(FsLayoutTest, LandlockSandboxOwnRules) {
  Layout l = MustCompile();
  EXPECT_EQ(RightsAt(l, "/"), landlock::kReadDir);
  EXPECT_EQ(RightsAt(l, "/tmp"), landlock::kAllRights);
  EXPECT_TRUE(RightsAt(l, "/dev") & landlock::kWriteFile);
  EXPECT_TRUE(RightsAt(l, "/proc") & landlock::kReadFile);
}

TEST_F(FsLayoutTest, SymlinksInExpandedDirsGetNoRule) {
  Layout l = MustCompile();
  EXPECT_EQ(FindRule(l, t_.P("R/link")), nullptr);
  EXPECT_EQ(FindRule(l, t_.P("R/a/dirlink")), nullptr);
  for (const landlock::Rule& r : l.landlock) {
    struct stat st {};
    if (lstat(r.path.c_str(), &st) == 0) {
      EXPECT_FALSE(S_ISLNK(st.st_mode)) << r.path;
    }
  }
}

TEST_F(FsLayoutTest, RulesAreCanonicalAndDenialsWithoutVisibleParentDropped) {
  // A denied path under nothing visible means nothing: no mask op and no rule.
  t_.File("hidden/secret");
  plan_.fs.push_back(Rule(t_.P("hidden/secret"), Access::kDeny));
  // A denied path that does not exist is fine.
  plan_.fs.push_back(Rule(t_.P("R/not-there"), Access::kDeny));
  Layout l = MustCompile();
  EXPECT_EQ(FindOp(l, OpKind::kMaskFile, t_.P("hidden/secret")), nullptr);
  EXPECT_THAT(Denied(l), Not(Contains(t_.P("hidden/secret"))));
  EXPECT_THAT(Denied(l), Not(Contains(t_.P("R/not-there"))));
}

TEST_F(FsLayoutTest, SymlinkedRootIsResolvedAndRecreated) {
  t_.Link("Rlink", R);
  plan_.fs = {Rule(t_.P("Rlink"), Access::kRead, 3), Rule(t_.P("Rlink/secret"), Access::kDeny)};
  Layout l = MustCompile();
  // The rules name the real paths.
  EXPECT_EQ(policy::EffectiveAccess(l.rules, t_.P("R/top.txt")), Access::kRead);
  EXPECT_EQ(policy::EffectiveAccess(l.rules, t_.P("R/secret/key")), Access::kDeny);
  EXPECT_NE(FindOp(l, OpKind::kBind, R), nullptr);
  EXPECT_NE(FindOp(l, OpKind::kMaskDir, t_.P("R/secret")), nullptr);
  const Op* link = FindOp(l, OpKind::kSymlink, t_.P("Rlink"));
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->src, R);
}

TEST_F(FsLayoutTest, ExplicitMissingReadPathIsAnError) {
  plan_.fs.push_back(Rule(t_.P("missing/dir"), Access::kRead, 7));
  Result<Layout> r = Compile(plan_);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr(t_.P("missing/dir")));
  EXPECT_THAT(r.error().message, HasSubstr("test:7"));
}

TEST_F(FsLayoutTest, ExplicitMissingWritePathIsAnError) {
  plan_.fs.push_back(Rule(t_.P("missing"), Access::kWrite, 2));
  EXPECT_FALSE(Compile(plan_).ok());
}

TEST_F(FsLayoutTest, BuiltinMissingPathIsSkipped) {
  plan_.fs.push_back(Rule(t_.P("no-such-toolchain"), Access::kRead, 0));
  Layout l = MustCompile();
  EXPECT_EQ(FindOp(l, OpKind::kBind, t_.P("no-such-toolchain")), nullptr);
  EXPECT_EQ(FindRule(l, t_.P("no-such-toolchain")), nullptr);
}

TEST_F(FsLayoutTest, UnixSocketMustBeASocket) {
  plan_.unix_sockets = {t_.P("R/top.txt")};
  Result<Layout> r = Compile(plan_);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr(t_.P("R/top.txt")));
}

TEST_F(FsLayoutTest, RootReadableClonesHost) {
  plan::LaunchPlan p;
  p.workspace = W;
  p.fs = {Rule("/", Access::kRead), Rule(W, Access::kWrite), Rule(t_.P("R/secret"), Access::kDeny)};
  Result<Layout> r = Compile(p);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->root_is_host);
  const Op* root = FindOp(*r, OpKind::kBind, "/");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->rel, ".");
  EXPECT_FALSE(root->writable);
  EXPECT_EQ(IndexOf(*r, OpKind::kBind, "/"), static_cast<int>(std::find_if(r->ops.begin(), r->ops.end(), [](const Op& o) {
                                                                  return o.kind == OpKind::kBind;
                                                                }) - r->ops.begin()));
  const Op* w = FindOp(*r, OpKind::kBind, W);
  ASSERT_NE(w, nullptr);
  EXPECT_TRUE(w->writable);
  EXPECT_NE(FindOp(*r, OpKind::kMaskDir, t_.P("R/secret")), nullptr);
  // The host's /proc and /dev are still replaced by the sandbox's own.
  EXPECT_NE(FindOp(*r, OpKind::kProc, "/proc"), nullptr);
  EXPECT_NE(FindOp(*r, OpKind::kTmpfs, "/dev"), nullptr);
  std::vector<std::string> order = OrderProblems(*r);
  EXPECT_TRUE(order.empty()) << ::testing::PrintToString(order);
}

TEST(FsLayout, RootReadableWithWorkspaceUnderTmp) {
  // BUG: src/linux/fs_layout.cc Compile: when "/" is readable (root_is_host), OpBuilder::UnderBind("/") is true
  // for every path, so no skeleton mkdir is emitted for a workspace under /tmp; but the sandbox's fresh tmpfs
  // is mounted over /tmp before the workspace bind, so the mount point is gone and mounts::Apply fails:
  // `cordon run --policy P -w /tmp/x -- true` with P = {extends = "workspace-write", read = ["/"]} exits 125
  // with "bind mount /tmp/x: No such file or directory (ENOENT)".
  TempTree t("/tmp");
  t.File("W/f");
  plan::LaunchPlan p;
  p.workspace = t.P("W");
  p.fs = {Rule("/", Access::kRead), Rule(t.P("W"), Access::kWrite)};
  Result<Layout> r = Compile(p);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  std::vector<std::string> problems = MountPointProblems(*r);
  EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems);
}

// ---------------------------------------------------------------------------------------------------------------
// .env files

TEST(EnvFileName, Positives) {
  for (const char* n : {".env", ".envrc", ".env.local", ".env.production", ".env.", "prod.env", "a.env", "x.y.env"}) {
    EXPECT_TRUE(IsEnvFileName(n)) << n;
  }
}

TEST(EnvFileName, Negatives) {
  for (const char* n : {"env", "envrc", ".environment", ".envx", ".ENV", "environment.txt", "dotenv", "", ".",
                        "my.env.bak", ".venv", "x.envrc", ".env-local"}) {
    EXPECT_FALSE(IsEnvFileName(n)) << n;
  }
}

class EnvScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t_.File("R/.env", "A=1");
    t_.File("R/x/.env.local", "A=1");
    t_.File("R/x/prod.env", "A=1");
    t_.File("R/x/y/z/.envrc", "A=1");
    t_.File("R/x/notes.txt");
    t_.File("R/x/environment.cfg");
    t_.File("R/proj/.env", "A=1");          // the workspace: not hidden
    t_.File("R/proj/sub/.env.test", "A=1");  // nor anything in it
    t_.File("R/denied/.env", "A=1");        // already denied: not scanned
    t_.Dir("R/x/.env.d");                   // a directory with an env-like name is not a file to hide
    R = t_.P("R");
    plan_.workspace = t_.P("R/proj");
    plan_.fs = {Rule(R, Access::kRead), Rule(t_.P("R/denied"), Access::kDeny), Rule(t_.P("R/proj"), Access::kWrite)};
    plan_.hidden_env_roots = {R};
  }

  TempTree t_;
  std::string R;
  plan::LaunchPlan plan_;
};

TEST_F(EnvScanTest, EnvFilesOutsideWorkspaceDenied) {
  Result<Layout> r = Compile(plan_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const Layout& l = *r;
  std::vector<std::string> hidden = l.hidden_env_files;
  std::sort(hidden.begin(), hidden.end());
  std::vector<std::string> want = {t_.P("R/.env"), t_.P("R/x/.env.local"), t_.P("R/x/prod.env"),
                                   t_.P("R/x/y/z/.envrc")};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(hidden, want);
  for (const std::string& f : want) {
    EXPECT_EQ(policy::EffectiveAccess(l.rules, f), Access::kDeny) << f;
    EXPECT_NE(FindOp(l, OpKind::kMaskFile, f), nullptr) << f;
    for (const landlock::Rule& lr : l.landlock) {
      if (IsSandboxOwn(lr.path)) continue;
      if (lr.rights & landlock::kReadFile) {
        EXPECT_FALSE(IsSameOrUnder(f, lr.path)) << lr.path << " covers " << f;
      }
    }
  }
  EXPECT_NE(policy::EffectiveAccess(l.rules, t_.P("R/proj/.env")), Access::kDeny);
  EXPECT_NE(policy::EffectiveAccess(l.rules, t_.P("R/proj/sub/.env.test")), Access::kDeny);
  EXPECT_NE(policy::EffectiveAccess(l.rules, t_.P("R/x/notes.txt")), Access::kDeny);
  EXPECT_NE(policy::EffectiveAccess(l.rules, t_.P("R/x/.env.d")), Access::kDeny);
  EXPECT_THAT(l.hidden_env_files, Not(Contains(t_.P("R/denied/.env"))));
  EXPECT_TRUE(std::is_sorted(l.rules.begin(), l.rules.end(),
                             [](const PathRule& a, const PathRule& b) { return a.path < b.path; }));
}

TEST_F(EnvScanTest, NoScanWithoutHiddenEnvRoots) {
  plan_.hidden_env_roots.clear();
  Result<Layout> r = Compile(plan_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->hidden_env_files.empty());
  EXPECT_EQ(policy::EffectiveAccess(r->rules, t_.P("R/.env")), Access::kRead);
}

TEST_F(EnvScanTest, SymlinkedDirectoriesAreNotFollowed) {
  TempTree outside;
  outside.File("elsewhere/.env", "A=1");
  t_.Link("R/jump", outside.P("elsewhere"));
  Result<Layout> r = Compile(plan_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  for (const std::string& f : r->hidden_env_files) EXPECT_FALSE(f.starts_with(outside.root())) << f;
  EXPECT_THAT(r->hidden_env_files, Not(Contains(t_.P("R/jump/.env"))));
}

TEST_F(EnvScanTest, ToolAndCacheDirectoriesAreNotScanned) {
  // By design (scan cost): node_modules, .git, virtualenvs and caches are never where a project's .env lives.
  t_.File("R/node_modules/pkg/.env", "A=1");
  t_.File("R/x/.git/.env", "A=1");
  t_.File("R/x/.venv/.env", "A=1");
  t_.File("R/x/node_modules_not/.env", "A=1");  // only the exact names are skipped
  Result<Layout> r = Compile(plan_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_THAT(r->hidden_env_files, Not(Contains(t_.P("R/node_modules/pkg/.env"))));
  EXPECT_THAT(r->hidden_env_files, Not(Contains(t_.P("R/x/.git/.env"))));
  EXPECT_THAT(r->hidden_env_files, Not(Contains(t_.P("R/x/.venv/.env"))));
  EXPECT_THAT(r->hidden_env_files, Contains(t_.P("R/x/node_modules_not/.env")));
}

TEST_F(EnvScanTest, SeveralRootsShareOneScan) {
  TempTree other;
  other.File("deep/.env", "A=1");
  plan_.fs.push_back(Rule(other.root(), Access::kRead));
  plan_.hidden_env_roots.push_back(other.root());
  plan_.hidden_env_roots.push_back(t_.P("R/x"));  // nested in R: found once, not twice
  Result<Layout> r = Compile(plan_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_THAT(r->hidden_env_files, Contains(other.P("deep/.env")));
  std::vector<std::string> paths;
  for (const PathRule& pr : r->rules) paths.push_back(pr.path);
  EXPECT_EQ(std::adjacent_find(paths.begin(), paths.end()), paths.end()) << "one rule per path";
  EXPECT_EQ(policy::EffectiveAccess(r->rules, t_.P("R/x/prod.env")), Access::kDeny);
}

TEST_F(EnvScanTest, EnvSymlinkToAnotherFileIsHidden) {
  // BUG: src/linux/fs_layout.cc EnvScanner::Walk only records DT_REG entries, so a ".env" that is a symlink
  // (here to R/shared/secrets.txt, a name that does not look like a dotenv file) is neither denied itself nor
  // is its target: the secrets stay readable through the link outside the workspace.
  t_.File("R/shared/secrets.txt", "TOKEN=abc");
  t_.Link("R/other/.env", t_.P("R/shared/secrets.txt"));
  Result<Layout> r = Compile(plan_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(policy::EffectiveAccess(r->rules, t_.P("R/shared/secrets.txt")), Access::kDeny);
}

TEST(FsLayout, ReadRuleBeneathDeniedDirectoryGetsAMountPoint) {
  // BUG: src/linux/fs_layout.cc Compile/OpBuilder: a read rule beneath a denied directory (most specific wins,
  // so it should be visible) gets its bind op with no mount point: OpBuilder::UnderBind() sees the bind of R
  // above it and ignores the mask (kMaskDir, an empty read-only tmpfs) over R/secret, so no kMkdir/kTouch is
  // emitted and mounts::Apply fails with ENOENT at "bind mount R/secret/public".
  TempTree t;
  t.File("R/secret/key");
  t.File("R/secret/public/readme");
  plan::LaunchPlan p;
  p.workspace = t.P("W");
  p.fs = {Rule(t.P("R"), Access::kRead), Rule(t.P("R/secret"), Access::kDeny),
          Rule(t.P("R/secret/public"), Access::kRead)};
  Result<Layout> r = Compile(p);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_NE(FindOp(*r, OpKind::kMaskDir, t.P("R/secret")), nullptr);
  ASSERT_NE(FindOp(*r, OpKind::kBind, t.P("R/secret/public")), nullptr);
  std::vector<std::string> problems = MountPointProblems(*r);
  EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems);
}

TEST(FsLayout, PrivateFilesUnderEtcAreDenied) {
  // Entries of /etc that "other" may not read are the system's secrets; a root caller would read them.
  TempTree t;
  t.File("W/f");
  plan::LaunchPlan p;
  p.workspace = t.P("W");
  p.fs = {Rule("/etc", Access::kRead), Rule(t.P("W"), Access::kWrite)};
  Result<Layout> r = Compile(p);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  // Only for a root caller (the sandbox then runs as the host's uid 0, which file modes do not stop); an
  // unprivileged caller is held back by the modes themselves, and nothing is hidden.
  const bool root = geteuid() == 0;
  int private_seen = 0;
  std::error_code ec;
  for (const stdfs::directory_entry& e : stdfs::directory_iterator("/etc", ec)) {
    struct stat st {};
    if (lstat(e.path().c_str(), &st) != 0) continue;
    bool dir = S_ISDIR(st.st_mode);
    if (!dir && !S_ISREG(st.st_mode)) continue;
    bool world_readable = (st.st_mode & S_IROTH) && (!dir || (st.st_mode & S_IXOTH));
    std::optional<Access> a = policy::EffectiveAccess(r->rules, e.path().string());
    if (world_readable || !root) {
      EXPECT_EQ(a, Access::kRead) << e.path();
    } else {
      ++private_seen;
      EXPECT_EQ(a, Access::kDeny) << e.path();
    }
  }
  EXPECT_EQ(policy::EffectiveAccess(r->rules, "/etc/passwd"), Access::kRead);
  if (root && private_seen == 0) GTEST_SKIP() << "no private entries in this /etc";
}

TEST(FsLayout, RedundantRulesDropped) {
  TempTree t;
  t.File("R/sub/deeper/f");
  t.File("R/sub/g");
  t.File("W/x");
  plan::LaunchPlan p;
  p.workspace = t.P("W");
  p.fs = {Rule(t.P("R"), Access::kRead), Rule(t.P("R/sub"), Access::kRead), Rule(t.P("R/sub/g"), Access::kDeny),
          Rule(t.P("R/sub/deeper"), Access::kDeny), Rule(t.P("R/sub/deeper/f"), Access::kDeny),
          Rule(t.P("W"), Access::kWrite)};
  Result<Layout> r = Compile(p);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  std::vector<std::string> paths;
  for (const PathRule& pr : r->rules) paths.push_back(pr.path);
  EXPECT_THAT(paths, Contains(t.P("R")));
  EXPECT_THAT(paths, Not(Contains(t.P("R/sub"))));           // read under read
  EXPECT_THAT(paths, Not(Contains(t.P("R/sub/deeper/f"))));  // deny under deny
  EXPECT_THAT(paths, Contains(t.P("R/sub/deeper")));
  EXPECT_THAT(paths, Contains(t.P("R/sub/g")));
  // Dropping them changes nothing about what is visible.
  for (const char* rel : {"R/x", "R/sub/x", "R/sub/g", "R/sub/deeper/f", "W/x"}) {
    EXPECT_EQ(policy::EffectiveAccess(r->rules, t.P(rel)), policy::EffectiveAccess(p.fs, t.P(rel))) << rel;
  }
  EXPECT_EQ(FindOp(*r, OpKind::kBind, t.P("R/sub")), nullptr);
  EXPECT_EQ(FindOp(*r, OpKind::kMaskFile, t.P("R/sub/deeper/f")), nullptr);
}

TEST(FsLayout, OpKindNames) {
  EXPECT_STREQ(OpKindName(OpKind::kBind), "bind");
  EXPECT_STREQ(OpKindName(OpKind::kMaskDir), "mask-dir");
  EXPECT_STREQ(OpKindName(OpKind::kMaskFile), "mask-file");
  EXPECT_STREQ(OpKindName(OpKind::kTmpfs), "tmpfs");
}

}  // namespace
}  // namespace cordon::linux_backend::fs
