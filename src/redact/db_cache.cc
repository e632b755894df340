#include "redact/db_cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <memory>
#include <string_view>

#include "base/hex.h"
#include "base/unique_fd.h"

namespace cordon::redact {
namespace {

// Bump when what the key covers, the file layout or how the databases are compiled (modes, flags) changes.
constexpr uint32_t kFormat = 1;
constexpr char kMagic[8] = {'c', 'r', 'd', 'c', 'a', 'c', 'h', 'e'};
constexpr std::string_view kPrefix = "redact-";
constexpr size_t kDigest = 32;
constexpr size_t kNameSize = kPrefix.size() + 2 * kDigest;
// The header: magic, format, reserved (0), key, digest of the payload's pattern table, payload length.
constexpr size_t kKeyAt = sizeof kMagic + 4 + 4;
constexpr size_t kDigestAt = kKeyAt + kDigest;
constexpr size_t kLengthAt = kDigestAt + kDigest;
constexpr size_t kHeader = kLengthAt + 8;
static_assert(kHeader == 88);
constexpr size_t kMaxFile = 256 << 20;
// A temporary file this old was left by a writer that died.
constexpr time_t kStaleTemp = 60;

using Digest = std::array<unsigned char, kDigest>;

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

class Hasher {
 public:
  Hasher() { crypto_generichash_init(&st_, nullptr, 0, kDigest); }
  void Add(const void* data, size_t n) { crypto_generichash_update(&st_, static_cast<const unsigned char*>(data), n); }
  void U8(uint8_t v) { Add(&v, sizeof v); }
  void U32(uint32_t v) { Add(&v, sizeof v); }
  void U64(uint64_t v) { Add(&v, sizeof v); }
  void Bytes(std::string_view s) {  // length-prefixed: no two lists hash the same input
    U64(s.size());
    Add(s.data(), s.size());
  }
  Digest Final() {
    Digest d{};
    crypto_generichash_final(&st_, d.data(), d.size());
    return d;
  }

 private:
  crypto_generichash_state st_;
};

Digest HashOf(std::string_view data) {
  Digest d{};
  crypto_generichash(d.data(), d.size(), reinterpret_cast<const unsigned char*>(data.data()), data.size(), nullptr, 0);
  return d;
}

std::string ToHex(const Digest& d) { return Hex(d.data(), d.size()); }

bool IsEntryName(std::string_view name) {
  return name.size() == kNameSize && name.starts_with(kPrefix) &&
         std::all_of(name.begin() + kPrefix.size(), name.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// The key's bytes back from an entry name.
bool KeyOf(std::string_view name, Digest& key) {
  if (!IsEntryName(name)) return false;
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  for (size_t i = 0; i < kDigest; ++i) {
    key[i] = static_cast<unsigned char>(nibble(name[kPrefix.size() + 2 * i]) << 4 |
                                        nibble(name[kPrefix.size() + 2 * i + 1]));
  }
  return true;
}

uint64_t Fingerprint(const Digest& key) {
  uint64_t fp = 0;
  std::memcpy(&fp, key.data(), sizeof fp);
  return fp;
}

// Owned by us, nobody else may read, write or enter it.
bool PrivateTo(const struct stat& st) { return st.st_uid == geteuid() && (st.st_mode & 077) == 0; }

Result<UniqueFd> OpenDir(const std::string& dir) {
  if (dir.empty() || dir[0] != '/') return MakeError("the cache directory is not an absolute path");
  UniqueFd fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) return ErrnoError("open " + dir);
  struct stat st {};
  if (fstat(fd.get(), &st) != 0) return ErrnoError("stat " + dir);
  if (!PrivateTo(st)) return MakeError(dir + " is not private to the caller (owner and mode 0700)");
  return fd;
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Removes stale temporary files and the least recently used entries beyond `max_files`.
void Evict(int dirfd, size_t max_files) {
  int fd = dup(dirfd);
  if (fd < 0) return;
  DIR* d = fdopendir(fd);
  if (d == nullptr) {
    close(fd);
    return;
  }
  struct Entry {
    timespec mtime;
    std::string name;
  };
  std::vector<Entry> entries;
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  while (dirent* e = readdir(d)) {
    std::string_view name = e->d_name;
    if (!name.starts_with(kPrefix)) continue;
    struct stat st {};
    if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) continue;
    if (IsEntryName(name)) {
      entries.push_back({st.st_mtim, std::string(name)});
    } else if (name.size() > kNameSize && IsEntryName(name.substr(0, kNameSize)) &&
               name.substr(kNameSize).starts_with(".tmp-") && st.st_mtim.tv_sec < now.tv_sec - kStaleTemp) {
      unlinkat(dirfd, e->d_name, 0);
    }
  }
  closedir(d);
  if (entries.size() <= max_files) return;
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.mtime.tv_sec != b.mtime.tv_sec ? a.mtime.tv_sec < b.mtime.tv_sec : a.mtime.tv_nsec < b.mtime.tv_nsec;
  });
  for (size_t i = 0; i + max_files < entries.size(); ++i) unlinkat(dirfd, entries[i].name.c_str(), 0);
}

}  // namespace

std::string DbCacheName(const std::vector<PatternKey>& patterns) {
  if (!SodiumReady()) return "";
  Hasher h;
  h.Bytes("cordon redact db cache");
  h.U32(kFormat);
  h.Bytes(hs_version());
  hs_platform_info_t platform{};
  if (hs_populate_platform(&platform) != HS_SUCCESS) return "";
  h.U32(platform.tune);
  h.U64(platform.cpu_features);
  h.U64(platform.reserved1);
  h.U64(platform.reserved2);
  h.U64(patterns.size());
  for (const PatternKey& p : patterns) {
    h.U8(p.literal ? 1 : 0);
    h.Bytes(p.text);
    h.U8(static_cast<uint8_t>(p.info.kind));
    h.U32(p.info.label);
    h.U8(p.info.multiline ? 1 : 0);
  }
  return std::string(kPrefix) + ToHex(h.Final());
}

Result<PatternDb> LoadCachedDb(const std::string& dir, const std::string& name,
                               const std::vector<PatternKey>& patterns) {
  Digest key{};
  if (!SodiumReady() || !KeyOf(name, key)) return MakeError("not a cache entry name: " + name);
  CORDON_ASSIGN_OR_RETURN(UniqueFd dirfd, OpenDir(dir));
  UniqueFd fd(openat(dirfd.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoError("open " + name);
  struct stat st {};
  if (fstat(fd.get(), &st) != 0) return ErrnoError("stat " + name);
  if (!S_ISREG(st.st_mode) || !PrivateTo(st)) return MakeError(name + " is not a private regular file");
  if (st.st_size < static_cast<off_t>(kHeader) || st.st_size > static_cast<off_t>(kMaxFile)) {
    return MakeError(name + ": not a cache entry (size)");
  }
  const size_t size = static_cast<size_t>(st.st_size);
  std::unique_ptr<char[]> buf = std::make_unique_for_overwrite<char[]>(size);
  for (size_t got = 0; got < size;) {
    ssize_t n = read(fd.get(), buf.get() + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return MakeError(name + ": short read");
    got += static_cast<size_t>(n);
  }

  const char* p = buf.get();
  uint32_t format = 0;
  uint64_t len = 0;
  std::memcpy(&format, p + sizeof kMagic, sizeof format);
  std::memcpy(&len, p + kLengthAt, sizeof len);
  if (std::memcmp(p, kMagic, sizeof kMagic) != 0 || format != kFormat) return MakeError(name + ": another format");
  if (std::memcmp(p + kKeyAt, key.data(), kDigest) != 0) return MakeError(name + ": another key");
  if (len != size - kHeader) return MakeError(name + ": truncated");
  std::string_view payload(p + kHeader, size - kHeader);
  size_t table = PatternDb::TableSize(payload);
  if (table == 0 || std::memcmp(HashOf(payload.substr(0, table)).data(), p + kDigestAt, kDigest) != 0) {
    return MakeError(name + ": corrupt");
  }

  CORDON_ASSIGN_OR_RETURN(PatternDb db, PatternDb::Deserialize(payload, Fingerprint(key)));
  const std::vector<PatternInfo>& infos = db.patterns();
  if (infos.size() != patterns.size()) return MakeError(name + ": another pattern list");
  for (size_t i = 0; i < infos.size(); ++i) {
    const PatternInfo& a = infos[i];
    const PatternInfo& b = patterns[i].info;
    bool widths = patterns[i].literal ? a.min_width == patterns[i].text.size() && a.max_width == a.min_width
                                      : a.min_width <= a.max_width;
    if (a.kind != b.kind || a.label != b.label || a.multiline != b.multiline || !widths ||
        a.reversed != (a.min_width != a.max_width) || (a.reversed && db.reverse() == nullptr)) {
      return MakeError(name + ": another pattern list");
    }
  }
  futimens(fd.get(), nullptr);  // recently used: evicted last
  return db;
}

Status StoreCachedDb(const std::string& dir, const std::string& name, const PatternDb& db, size_t max_files) {
  Digest key{};
  if (!SodiumReady() || !KeyOf(name, key)) return MakeError("not a cache entry name: " + name);
  if (max_files == 0) return {};
  CORDON_ASSIGN_OR_RETURN(UniqueFd dirfd, OpenDir(dir));
  CORDON_ASSIGN_OR_RETURN(std::string payload, db.Serialize(Fingerprint(key)));
  if (payload.size() > kMaxFile - kHeader) return MakeError("the database is too large to cache");

  std::string header(kMagic, sizeof kMagic);
  uint32_t words[2] = {kFormat, 0};
  header.append(reinterpret_cast<const char*>(words), sizeof words);
  header.append(reinterpret_cast<const char*>(key.data()), key.size());
  Digest digest = HashOf(std::string_view(payload).substr(0, PatternDb::TableSize(payload)));
  header.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  uint64_t len = payload.size();
  header.append(reinterpret_cast<const char*>(&len), sizeof len);

  static std::atomic<unsigned> counter{0};
  std::string tmp = name + ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(gettid()) + "-" +
                    std::to_string(counter.fetch_add(1));
  UniqueFd fd(openat(dirfd.get(), tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd.valid()) return ErrnoError("create " + dir + "/" + tmp);
  bool ok = WriteAll(fd.get(), header) && WriteAll(fd.get(), payload);
  int err = errno;
  fd.Reset();
  if (!ok || renameat(dirfd.get(), tmp.c_str(), dirfd.get(), name.c_str()) != 0) {
    if (ok) err = errno;
    unlinkat(dirfd.get(), tmp.c_str(), 0);
    return Error{"write " + dir + "/" + name, err, {}};
  }
  Evict(dirfd.get(), max_files);
  return {};
}

}  // namespace cordon::redact
