// Redaction throughput (issue 4): the built-in rule set (Hyperscan, streaming, match starts, merging, the generic
// assignment rules with their entropy checks) over >= 100 MB of mixed source code and logs, next to a naive loop of
// std::regex searches, one rule after the other, over a small slice of the same text. Prints bytes/s for each and
// the ratio.
//
//   redact_bench [--corpus_mb=N] [google benchmark flags]
//
// The corpus: files from /usr/include (C/C++ headers) up to 3/4 of N, then synthetic logs (HTTP access lines,
// application logs with key=value pairs, JSON lines) with a few secrets per MB in the formats the rules know. Not a
// timed test: numbers vary with the machine; docs/PERFORMANCE.md records them.
#include <benchmark/benchmark.h>

#include <time.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "redact/redactor.h"

namespace {

using cordon::redact::BuiltinRules;
using cordon::redact::BuiltinRuleSet;
using cordon::redact::Redactor;
using cordon::redact::Rule;
using cordon::redact::Stream;

size_t g_corpus_mb = 128;
double g_hyperscan_bps = 0;
double g_regex_bps = 0;
size_t g_regex_rules = 0;

// CPU time of this thread: the machine may be shared, and the question is what one core does.
double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::string SyntheticLogs(size_t bytes) {
  std::mt19937 engine(42);
  auto rng = [&engine] { return static_cast<unsigned>(engine()); };
  const std::vector<Rule>& rules = BuiltinRules();
  std::string out;
  const char* methods[] = {"GET", "POST", "PUT", "DELETE"};
  const char* paths[] = {"/api/v1/users", "/healthz", "/static/app.js", "/api/v1/orders?page=2", "/login"};
  size_t next_secret = 0;
  for (size_t line = 0; out.size() < bytes; ++line) {
    char buf[512];
    switch (rng() % 4) {
      case 0:
        std::snprintf(buf, sizeof buf, "10.0.%u.%u - - [23/Nov/2024:15:%02u:%02u +0000] \"%s %s HTTP/1.1\" %u %u \"-\" \"curl/7.88.1\"\n",
                      rng() % 256, rng() % 256, rng() % 60, rng() % 60, methods[rng() % 4], paths[rng() % 5],
                      200 + rng() % 300, rng() % 100000);
        break;
      case 1:
        std::snprintf(buf, sizeof buf, "2024-11-23T15:%02u:%02u.%03uZ INFO worker=%u job_id=%08x status=done duration_ms=%u retries=%u\n",
                      rng() % 60, rng() % 60, rng() % 1000, rng() % 16, rng(), rng() % 5000, rng() % 3);
        break;
      case 2:
        std::snprintf(buf, sizeof buf, "{\"ts\":%u,\"level\":\"debug\",\"msg\":\"cache miss\",\"key\":\"user:%u\",\"token_count\":%u}\n",
                      rng(), rng() % 100000, rng() % 4096);
        break;
      default:
        std::snprintf(buf, sizeof buf, "WARN  [pool-%u-thread-%u] c.e.app.Service - slow query took %u ms: SELECT * FROM t WHERE id = %u\n",
                      rng() % 8, rng() % 32, rng() % 2000, rng());
    }
    out += buf;
    if (line % 2000 == 0) {  // a few secrets per MB
      const Rule& r = rules[next_secret++ % rules.size()];
      out += "2024-11-23T15:00:00Z DEBUG config loaded: " + r.positives[0] + "\n";
    }
  }
  return out;
}

const std::string& Corpus() {
  static const std::string corpus = [] {
    const size_t total = g_corpus_mb << 20;
    std::string out;
    out.reserve(total + (1 << 20));
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator("/usr/include", ec);
         it != std::filesystem::recursive_directory_iterator() && out.size() < total * 3 / 4; it.increment(ec)) {
      if (ec || !it->is_regular_file(ec)) continue;
      std::ifstream in(it->path(), std::ios::binary);
      std::stringstream buf;
      buf << in.rdbuf();
      out += buf.str();
    }
    out += SyntheticLogs(total - std::min(total, out.size()));
    return out;
  }();
  return corpus;
}

const Redactor& Builtin() {
  static std::unique_ptr<Redactor> r = std::move(Redactor::Create(BuiltinRuleSet(), {}).value());
  return *r;
}

const Redactor& WithValues() {
  static std::unique_ptr<Redactor> r = [] {
    std::mt19937 rng(9);
    std::vector<std::string> values;
    for (int i = 0; i < 16; ++i) {
      std::string v;
      for (int k = 0; k < 32; ++k) v += "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[rng() % 62];
      values.push_back(v);
    }
    return std::move(Redactor::Create(BuiltinRuleSet(), values).value());
  }();
  return *r;
}

void Redact(benchmark::State& state, const Redactor& r, size_t write_size, bool record) {
  const std::string& corpus = Corpus();
  std::string out;
  out.reserve(corpus.size() + (1 << 20));
  uint64_t markers = 0;
  double seconds = 0;
  for (auto _ : state) {
    double t0 = CpuSeconds();
    out.clear();
    std::unique_ptr<Stream> s = r.NewStream();
    for (size_t at = 0; at < corpus.size(); at += write_size) {
      s->Write(std::string_view(corpus).substr(at, write_size), out);
    }
    s->Finish(out);
    benchmark::DoNotOptimize(out.data());
    seconds += CpuSeconds() - t0;
    markers = 0;
    for (const auto& [id, n] : s->counts()) markers += n;
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus.size()));
  state.counters["corpus_MB"] = static_cast<double>(corpus.size()) / 1e6;
  state.counters["markers"] = static_cast<double>(markers);
  if (record) g_hyperscan_bps = static_cast<double>(state.iterations() * corpus.size()) / seconds;
}

// The worst case for the generic rules: nothing but `key = value` lines, half of them real-looking secrets (high
// entropy), half not (low entropy, placeholders), values 8 to 120 bytes long.
const std::string& AssignmentCorpus() {
  static const std::string corpus = [] {
    std::mt19937 rng(7);
    const char* keys[] = {"password", "api_key", "SECRET_KEY", "auth_token", "client_secret", "\"token\"", "db.pass"};
    const char* seps[] = {" = ", ": ", "=", " => ", ":= "};
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-";
    std::string out;
    while (out.size() < (8u << 20)) {
      out += keys[rng() % 7];
      out += seps[rng() % 5];
      size_t len = 8 + rng() % 113;
      if (rng() % 2) {
        for (size_t k = 0; k < len; ++k) out += alphabet[rng() % 66];
      } else {
        out += std::string(len, "xa-"[rng() % 3]);
      }
      out += '\n';
    }
    return out;
  }();
  return corpus;
}

void BM_Hyperscan_AssignmentsOnly_64KiBWrites(benchmark::State& state) {
  const std::string& corpus = AssignmentCorpus();
  std::string out;
  double seconds = 0;
  for (auto _ : state) {
    double t0 = CpuSeconds();
    out.clear();
    std::unique_ptr<Stream> s = Builtin().NewStream();
    for (size_t at = 0; at < corpus.size(); at += 64 << 10) s->Write(std::string_view(corpus).substr(at, 64 << 10), out);
    s->Finish(out);
    benchmark::DoNotOptimize(out.data());
    seconds += CpuSeconds() - t0;
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus.size()));
  state.counters["MB_per_cpu_s"] = static_cast<double>(state.iterations() * corpus.size()) / seconds / 1e6;
}

void BM_Hyperscan_BuiltinRules_64KiBWrites(benchmark::State& state) { Redact(state, Builtin(), 64 << 10, true); }
void BM_Hyperscan_BuiltinRules_4KiBWrites(benchmark::State& state) { Redact(state, Builtin(), 4 << 10, false); }
void BM_Hyperscan_BuiltinRulesAnd16Values_64KiBWrites(benchmark::State& state) {
  Redact(state, WithValues(), 64 << 10, false);
}

// The naive way: every rule as a std::regex, searched one after the other over the text.
void BM_NaiveStdRegex_PerRule(benchmark::State& state) {
  std::vector<std::regex> regexes;
  for (const Rule& rule : BuiltinRules()) {
    std::string p = rule.regex;
    auto flags = std::regex::ECMAScript | std::regex::optimize;
    if (p.starts_with("(?i)")) {
      p.erase(0, 4);
      flags |= std::regex::icase;
    }
    try {
      regexes.emplace_back(p, flags);
    } catch (const std::regex_error&) {
      continue;  // a construct ECMAScript lacks, e.g. (?i:…)
    }
  }
  g_regex_rules = regexes.size();
  const std::string& corpus = Corpus();
  // A slice from the source part and one from the logs part: std::regex is too slow for the whole corpus.
  const size_t slice = static_cast<size_t>(state.range(0));
  std::string text = corpus.substr(corpus.size() / 3, slice / 2) + corpus.substr(corpus.size() - slice / 2);
  size_t matches = 0;
  double seconds = 0;
  for (auto _ : state) {
    double t0 = CpuSeconds();
    for (const std::regex& re : regexes) {
      for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) ++matches;
    }
    seconds += CpuSeconds() - t0;
  }
  benchmark::DoNotOptimize(matches);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["rules"] = static_cast<double>(regexes.size());
  g_regex_bps = static_cast<double>(state.iterations() * text.size()) / seconds;
}

}  // namespace

BENCHMARK(BM_Hyperscan_BuiltinRules_64KiBWrites)->Unit(benchmark::kMillisecond)->MinTime(3);
BENCHMARK(BM_Hyperscan_BuiltinRules_4KiBWrites)->Unit(benchmark::kMillisecond)->MinTime(3);
BENCHMARK(BM_Hyperscan_BuiltinRulesAnd16Values_64KiBWrites)->Unit(benchmark::kMillisecond)->MinTime(3);
BENCHMARK(BM_Hyperscan_AssignmentsOnly_64KiBWrites)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_NaiveStdRegex_PerRule)->Arg(256 << 10)->Unit(benchmark::kMillisecond)->Iterations(1);

int main(int argc, char** argv) {
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--corpus_mb=", 12) == 0) {
      g_corpus_mb = std::strtoul(argv[i] + 12, nullptr, 10);
    } else {
      args.push_back(argv[i]);
    }
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  std::fprintf(stderr, "corpus: %.1f MB (/usr/include + synthetic logs); %zu built-in rules\n",
               static_cast<double>(Corpus().size()) / 1e6, BuiltinRules().size());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (g_hyperscan_bps > 0 && g_regex_bps > 0) {
    std::printf("\n(CPU time of the benchmark thread) built-in rules, 64 KiB writes: %.0f MB/s; naive std::regex per rule (%zu of %zu rules): %.3f MB/s; "
                "ratio %.0fx\n",
                g_hyperscan_bps / 1e6, g_regex_rules, BuiltinRules().size(), g_regex_bps / 1e6, g_hyperscan_bps / g_regex_bps);
  }
  return 0;
}
