// False positives of the built-in redaction rules on real text that holds no secrets: every regular file under the
// given directories (default /usr/include and /usr/share/doc) goes through its own stream, and every marker
// counts as a false positive. Prints the totals, the count per rule (worst first) and, with --examples N, the first
// N redacted lines per rule with their files, to see what the rule took.
//
//   redact_fp_scan [--examples N] [--max-per-mb X --min-mb M] [DIR...]
//
// With --max-per-mb it is a test (ctest redact_false_positives): it fails when text files get more than X
// markers per MB, or when less than M MB of text was scanned (so an empty machine cannot pass it).
//
// Files with a NUL byte in their first 8 KiB (compressed docs, binaries) are counted apart as "binary".
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "redact/redactor.h"

namespace {

struct Totals {
  uint64_t files = 0;
  uint64_t bytes = 0;
  uint64_t markers = 0;
  std::map<std::string, uint64_t> per_rule;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace cordon::redact;
  size_t examples = 0;
  double max_per_mb = -1, min_mb = 0;
  std::vector<std::string> dirs;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--examples") == 0 && i + 1 < argc) {
      examples = std::strtoul(argv[++i], nullptr, 10);
    } else if (std::strcmp(argv[i], "--max-per-mb") == 0 && i + 1 < argc) {
      max_per_mb = std::strtod(argv[++i], nullptr);
    } else if (std::strcmp(argv[i], "--min-mb") == 0 && i + 1 < argc) {
      min_mb = std::strtod(argv[++i], nullptr);
    } else {
      dirs.emplace_back(argv[i]);
    }
  }
  if (dirs.empty()) dirs = {"/usr/include", "/usr/share/doc"};
  cordon::Result<std::unique_ptr<Redactor>> r = Redactor::Create(BuiltinRuleSet(), {});
  if (!r.ok()) {
    std::fprintf(stderr, "redact_fp_scan: %s\n", r.error().ToString().c_str());
    return 1;
  }
  Totals text, binary;
  std::map<std::string, std::vector<std::string>> shown;
  for (const std::string& dir : dirs) {
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, std::filesystem::directory_options::skip_permission_denied, ec);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (ec || !it->is_regular_file(ec) || it->is_symlink(ec)) continue;
      std::ifstream in(it->path(), std::ios::binary);
      std::stringstream buf;
      buf << in.rdbuf();
      std::string data = buf.str();
      bool is_binary = std::memchr(data.data(), '\0', std::min<size_t>(data.size(), 8192)) != nullptr;
      Totals& t = is_binary ? binary : text;
      std::map<std::string, uint64_t> counts;
      std::string out = (*r)->RedactAll(data, &counts);
      ++t.files;
      t.bytes += data.size();
      for (const auto& [id, n] : counts) {
        t.markers += n;
        t.per_rule[id] += n;
        if (examples == 0 || is_binary) continue;
        std::vector<std::string>& ex = shown[id];
        const std::string marker = "[REDACTED:" + id + "]";
        for (size_t at = out.find(marker); at != std::string::npos && ex.size() < examples; at = out.find(marker, at + 1)) {
          size_t b = out.rfind('\n', at);
          b = b == std::string::npos ? 0 : b + 1;
          size_t e = out.find('\n', at);
          std::string line = out.substr(b, std::min<size_t>(e == std::string::npos ? out.size() - b : e - b, 200));
          ex.push_back(it->path().string() + ": " + line);
        }
      }
    }
  }
  auto report = [](const char* what, const Totals& t) {
    std::printf("%s: %llu files, %.1f MB, %llu markers (%.2f per MB)\n", what, static_cast<unsigned long long>(t.files),
                static_cast<double>(t.bytes) / 1e6, static_cast<unsigned long long>(t.markers),
                t.bytes > 0 ? static_cast<double>(t.markers) / (static_cast<double>(t.bytes) / 1e6) : 0.0);
    std::vector<std::pair<uint64_t, std::string>> worst;
    for (const auto& [id, n] : t.per_rule) worst.emplace_back(n, id);
    std::sort(worst.rbegin(), worst.rend());
    for (const auto& [n, id] : worst) std::printf("  %6llu  %s\n", static_cast<unsigned long long>(n), id.c_str());
  };
  report("text", text);
  report("binary", binary);
  for (const auto& [id, lines] : shown) {
    std::printf("\n%s:\n", id.c_str());
    for (const std::string& l : lines) std::printf("  %s\n", l.c_str());
  }
  if (max_per_mb < 0) return 0;
  const double mb = static_cast<double>(text.bytes) / 1e6;
  const double rate = mb > 0 ? static_cast<double>(text.markers) / mb : 0;
  if (mb < min_mb) {
    std::printf("FAIL: only %.1f MB of text scanned (at least %.1f needed)\n", mb, min_mb);
    return 1;
  }
  if (rate > max_per_mb) {
    std::printf("FAIL: %.3f false positives per MB (at most %.3f allowed)\n", rate, max_per_mb);
    return 1;
  }
  std::printf("ok: %.3f false positives per MB of text (limit %.3f)\n", rate, max_per_mb);
  return 0;
}
