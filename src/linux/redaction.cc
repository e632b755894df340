#include "linux/redaction.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "linux/runtime_dir.h"
#include "policy/profiles.h"
#include "redact/exact_values.h"

namespace cordon::linux_backend {
namespace {

constexpr size_t kMaxFileBytes = 64 << 10;
constexpr size_t kMaxTotalBytes = 1 << 20;
constexpr int kMaxFilesPerDir = 64;

// The whole file when it is a regular file of at most kMaxFileBytes; never follows a symlink out.
bool ReadSmallFile(int dirfd, const char* name, std::string& out) {
  int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return false;
  struct stat st {};
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
            static_cast<size_t>(st.st_size) <= kMaxFileBytes;
  if (ok) {
    out.resize(static_cast<size_t>(st.st_size));
    ssize_t n = read(fd, out.data(), out.size());
    ok = n > 0;
    out.resize(ok ? static_cast<size_t>(n) : 0);
  }
  close(fd);
  return ok;
}

class RedactFilter : public OutputFilter {
 public:
  RedactFilter(Redaction& owner, std::string name) : owner_(owner), name_(std::move(name)) {}
  void Write(std::string_view in, std::string& out) override {
    if (Stream* s = Get()) {
      s->Write(in, out);
      owner_.ReportNew(name_, *s);
    }
  }
  void Flush(std::string& out) override {
    if (!stream_) return;
    stream_->Flush(out);
    owner_.ReportNew(name_, *stream_);
  }
  // Without a Write there is no stream and nothing held: the end of a silent stream does not wait for the
  // redactor.
  void Finish(std::string& out) override {
    if (!stream_) return;
    stream_->Finish(out);
    owner_.ReportNew(name_, *stream_);
  }
  bool holding() const override { return stream_ && stream_->held() > 0; }
  const redact::Stream* stream() const { return stream_.get(); }

 private:
  using Stream = redact::Stream;
  // Output is withheld (dropped) when the redactor could not be built: nothing leaves unfiltered.
  Stream* Get() {
    if (!stream_ && !failed_) {
      const redact::Redactor* r = owner_.redactor();
      if (r == nullptr) failed_ = true;
      else stream_ = r->NewStream();
    }
    return stream_.get();
  }
  Redaction& owner_;
  std::string name_;
  std::unique_ptr<Stream> stream_;
  bool failed_ = false;
};

}  // namespace

std::vector<std::string> SecretValues(const std::vector<std::string>& known, const std::vector<std::string>& files) {
  std::set<std::string> values(known.begin(), known.end());
  size_t total = 0;
  auto add = [&](std::string content) {
    if (total + content.size() > kMaxTotalBytes) return;
    total += content.size();
    values.insert(std::move(content));
  };
  for (const std::string& path : files) {
    std::string content;
    if (ReadSmallFile(AT_FDCWD, path.c_str(), content)) {
      add(std::move(content));
      continue;
    }
    DIR* d = opendir(path.c_str());
    if (d == nullptr) continue;
    int count = 0;
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] == '.' && (e->d_name[1] == 0 || (e->d_name[1] == '.' && e->d_name[2] == 0))) continue;
      if (++count > kMaxFilesPerDir) break;
      if (ReadSmallFile(dirfd(d), e->d_name, content)) add(std::move(content));
    }
    closedir(d);
  }
  return {values.begin(), values.end()};
}

Status Redaction::Start(const plan::LaunchPlan& plan, const std::vector<std::string>& hidden_files,
                        audit::EventSink& events) {
  events_ = &events;
  for (const std::string& file : plan.redact_rule_files) {
    CORDON_ASSIGN_OR_RETURN(redact::RuleSet more, redact::LoadRulesFile(file));
    for (redact::Rule& r : more.rules) user_rules_.push_back(std::move(r));
  }
  files_ = hidden_files;
  std::set<std::string> own;
  for (const std::string& d : policy::CordonOwnDirs()) own.insert(plan.home + d.substr(1));  // "~/x" -> HOME/x
  for (const policy::PathRule& r : plan.fs) {
    if (r.access == policy::Access::kDeny && !own.contains(r.path)) files_.push_back(r.path);
  }
  known_values_ = plan.secret_values;
  return {};
}

const redact::Redactor* Redaction::redactor() {
  if (needed_) return redactor_.get();
  needed_ = true;
  // The compiled values contain the secrets: only a memory-backed runtime directory, never ~/.cache.
  redact::CacheOptions cache{CacheDir(/*allow_home=*/false)};
  if (!EnsurePrivateDir(cache.dir)) cache.dir.clear();
  // The built-in set (139 rules with their samples) is copied only now: a silent command never pays for it.
  redact::RuleSet rules = redact::BuiltinRuleSet();
  rules.rules.insert(rules.rules.end(), user_rules_.begin(), user_rules_.end());
  std::vector<std::string> values = SecretValues(known_values_, files_);
  for (const std::string& v : values) {
    for (size_t start = 0; start < v.size();) {
      size_t nl = std::min(v.find('\n', start), v.size());
      std::string line = v.substr(start, nl - start);
      if (line.size() >= redact::kMinExactValue) {
        std::transform(line.begin(), line.end(), line.begin(), [](unsigned char c) { return std::tolower(c); });
        lowered_.push_back(std::move(line));
      }
      start = nl + 1;
    }
  }
  auto built = redact::Redactor::Create(rules, values, cache);
  if (built.ok()) redactor_.reset(built->release());
  else failure_ = built.error().ToString();
  return redactor_.get();
}

std::string Redaction::Scrub(const std::string& text) {
  const redact::Redactor* r = redactor();
  if (r == nullptr) return "[WITHHELD: the redactor could not be built]";
  std::string out = r->RedactAll(text);
  std::string lower = out;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const std::string& v : lowered_) {
    for (size_t at = lower.find(v); at != std::string::npos; at = lower.find(v, at)) {
      const std::string marker = "[REDACTED:secret-value]";
      out.replace(at, v.size(), marker);
      lower.replace(at, v.size(), marker);
      at += marker.size();
    }
  }
  return out;
}

const std::string& Redaction::failure() const {
  static const std::string kNone;
  return needed_ ? failure_ : kNone;
}

std::unique_ptr<OutputFilter> Redaction::Filter(const std::string& stream) {
  auto f = std::make_unique<RedactFilter>(*this, stream);
  filters_.emplace_back(stream, f.get());
  return f;
}

void Redaction::ReportNew(const std::string& stream, const redact::Stream& s) {
  std::map<std::string, uint64_t>& reported = reported_[stream];
  if (events_ == nullptr || s.counts().size() == reported.size()) return;  // no rule matched for the first time
  for (const auto& [rule, count] : s.counts()) {
    if (count == 0 || !reported.emplace(rule, count).second) continue;
    events_->Emit("output.redacted", {{"stream", stream}, {"rule", rule}, {"count", count}});
  }
}

void Redaction::Report() {
  if (events_ == nullptr) return;
  for (const auto& [name, filter] : filters_) {
    const redact::Stream* s = static_cast<const RedactFilter*>(filter)->stream();
    if (s == nullptr) continue;
    ReportNew(name, *s);
    for (const auto& [rule, count] : s->counts()) {
      uint64_t& reported = reported_[name][rule];
      if (count > reported) {
        events_->Emit("output.redacted", {{"stream", name}, {"rule", rule}, {"count", count - reported}});
      }
      reported = count;
    }
  }
}

}  // namespace cordon::linux_backend
