#include "redact/redactor.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "redact/builtin_db.h"
#include "redact/db_cache.h"
#include "redact/exact_values.h"

namespace cordon::redact {
namespace {

// Write() scans at most this much before releasing, so a 10 MB write without line breaks does not pile up
// pending matches or buffer copies.
constexpr size_t kSlice = 64 * 1024;
// A line rule's backward scan may look one byte before its window (for \b), and a report may come one byte late
// (a trailing \b needs the next byte): keep that much history beyond the widest line pattern.
constexpr size_t kHistorySlack = 2;
constexpr uint64_t kNone = UINT64_MAX;

[[noreturn]] void Die(const char* what, int code) {
  std::fprintf(stderr, "cordon: redactor: %s failed (%d)\n", what, code);
  std::abort();
}

bool IsBreak(char c) { return c == '\n' || c == '\r'; }
bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

hs_scratch_t* CloneScratch(hs_scratch_t* proto) {
  if (proto == nullptr) return nullptr;
  hs_scratch_t* s = nullptr;
  if (hs_error_t e = hs_clone_scratch(proto, &s); e != HS_SUCCESS) Die("hs_clone_scratch", e);
  return s;
}

}  // namespace

// ---- Redactor

Redactor::~Redactor() {
  hs_free_scratch(forward_scratch_);
  hs_free_scratch(reverse_scratch_);
}

size_t Redactor::pattern_count() const {
  size_t n = 0;
  for (const PatternDb& db : dbs_) n += db.patterns().size();
  return n;
}

Status Redactor::AddDb(PatternDb db) {
  for (size_t i = 0; i < db.patterns().size(); ++i) {
    const PatternInfo& p = db.patterns()[i];
    const Label& label = labels_.at(p.label);
    if (p.max_width > kMaxRuleWidth) {
      return MakeError("rule `" + label.id + "`: " +
                       (p.max_width == UINT32_MAX ? std::string("matches of unbounded length")
                                                  : "matches up to " + std::to_string(p.max_width) + " bytes") +
                       ": bound every repeat ({0,N} instead of * and +) to at most " + std::to_string(kMaxRuleWidth) +
                       " bytes in all");
    }
    if (p.min_width == 0) return MakeError("rule `" + label.id + "`: matches the empty string");
    if (!p.multiline) line_width_ = std::max<size_t>(line_width_, p.max_width);
  }
  if (hs_error_t e = hs_alloc_scratch(db.forward(), &forward_scratch_); e != HS_SUCCESS) {
    return MakeError("cannot allocate Hyperscan scratch space (" + std::to_string(e) + ")");
  }
  if (db.reverse() != nullptr) {
    if (hs_error_t e = hs_alloc_scratch(db.reverse(), &reverse_scratch_); e != HS_SUCCESS) {
      return MakeError("cannot allocate Hyperscan scratch space (" + std::to_string(e) + ")");
    }
  }
  dbs_.push_back(std::move(db));
  return {};
}

Result<std::unique_ptr<Redactor>> Redactor::Create(const RuleSet& rules, std::vector<std::string> exact_values) {
  return Create(rules, std::move(exact_values), CacheOptions{});
}

Result<std::unique_ptr<Redactor>> Redactor::Create(const RuleSet& rules, std::vector<std::string> exact_values,
                                                   const CacheOptions& cache) {
  std::unique_ptr<Redactor> r(new Redactor());
  r->rules_ = rules.rules;
  for (const Rule& rule : r->rules_) {
    if (std::count_if(r->rules_.begin(), r->rules_.end(), [&](const Rule& o) { return o.id == rule.id; }) > 1) {
      return MakeError("rule id `" + rule.id + "` is used twice");
    }
    r->labels_.push_back({rule.id, "[REDACTED:" + rule.id + "]", &rule});
  }
  const size_t first_exact = r->labels_.size();
  for (ExactForm f : {ExactForm::kRaw, ExactForm::kBase64, ExactForm::kHex}) {
    r->labels_.push_back({ExactFormLabel(f), std::string("[REDACTED:") + ExactFormLabel(f) + "]", nullptr});
  }

  // The built-in rules, when the set starts with them, come from the databases embedded at build time: compiling
  // them takes seconds.
  const std::vector<Rule>& builtin = BuiltinRules();
  size_t first_compiled = 0;
  if (r->rules_.size() >= builtin.size() &&
      std::equal(builtin.begin(), builtin.end(), r->rules_.begin(), [](const Rule& a, const Rule& b) {
        return a.id == b.id && a.regex == b.regex && a.begin == b.begin;
      })) {
    Result<PatternDb> db = PatternDb::Deserialize(EmbeddedBuiltinImage(), RulesFingerprint(builtin));
    if (db.ok()) {
      CORDON_TRY(r->AddDb(std::move(db).value()));
      first_compiled = builtin.size();
      r->embedded_ = true;
    }
  }
  std::vector<PatternSource> sources = RuleSources(r->rules_, first_compiled);
  std::vector<ExactLiteral> literals = ExactValueLiterals(exact_values);
  auto literal_info = [&](const ExactLiteral& lit) {
    PatternInfo info;
    info.label = static_cast<uint32_t>(first_exact + static_cast<size_t>(lit.form));
    return info;
  };
  // The user rules and the values: from the cache when it has them.
  std::string cache_name;
  if (!cache.dir.empty() && (!sources.empty() || !literals.empty())) {
    std::vector<PatternKey> keys;
    keys.reserve(sources.size() + literals.size());
    for (const PatternSource& s : sources) keys.push_back({s.regex, false, s.info});
    for (const ExactLiteral& lit : literals) keys.push_back({lit.bytes, true, literal_info(lit)});
    cache_name = DbCacheName(keys);
    if (!cache_name.empty()) {
      if (Result<PatternDb> hit = LoadCachedDb(cache.dir, cache_name, keys); hit.ok()) {
        CORDON_TRY(r->AddDb(std::move(hit).value()));
        r->cached_ = true;
        sources.clear();
        literals.clear();
      }
    }
  }
  for (const ExactLiteral& lit : literals) sources.push_back({LiteralRegex(lit.bytes), literal_info(lit)});
  if (!sources.empty()) {
    std::vector<uint32_t> labels;
    for (const PatternSource& s : sources) labels.push_back(s.info.label);
    Result<PatternDb> db = PatternDb::Compile(std::move(sources));
    if (!db.ok()) {
      // Name the rule rather than the pattern index.
      Error e = std::move(db).error();
      size_t at = e.message.find("(pattern ");
      if (at != std::string::npos) {
        size_t index = std::strtoul(e.message.c_str() + at + 9, nullptr, 10);
        if (index < labels.size()) e.message.replace(at, e.message.find(')', at) + 1 - at, "(rule `" + r->labels_[labels[index]].id + "`)");
      } else if (e.message.starts_with("pattern ")) {
        size_t index = std::strtoul(e.message.c_str() + 8, nullptr, 10);
        if (index < labels.size()) e.message = "rule `" + r->labels_[labels[index]].id + "`" + e.message.substr(e.message.find(':'));
      }
      return e;
    }
    CORDON_TRY(r->AddDb(std::move(db).value()));
    // Best effort: a cache that cannot be written is simply not there next time.
    if (!cache_name.empty()) (void)StoreCachedDb(cache.dir, cache_name, r->dbs_.back(), cache.max_files);
  }
  if (r->dbs_.empty()) return MakeError("nothing to redact: no rules and no exact values");
  // A multi-line rule's blocks are held for the width of its main pattern.
  for (const PatternDb& db : r->dbs_) {
    for (const PatternInfo& p : db.patterns()) {
      if (p.kind == PatternKind::kMatch && p.multiline) r->labels_[p.label].multiline_width = p.max_width;
    }
  }
  return r;
}

std::unique_ptr<Stream> Redactor::NewStream() const { return std::unique_ptr<Stream>(new Stream(*this)); }

std::string Redactor::RedactAll(std::string_view data, std::map<std::string, uint64_t>* counts) const {
  std::unique_ptr<Stream> s = NewStream();
  std::string out;
  out.reserve(data.size());
  s->Write(data, out);
  s->Finish(out);
  if (counts != nullptr) *counts = s->counts();
  return out;
}

// ---- Stream

Stream::Stream(const Redactor& r) : r_(r) {
  for (const PatternDb& db : r_.dbs_) {
    hs_stream_t* s = nullptr;
    if (hs_error_t e = hs_open_stream(db.forward(), 0, &s); e != HS_SUCCESS) Die("hs_open_stream", e);
    hs_.push_back(s);
  }
  forward_scratch_ = CloneScratch(r_.forward_scratch_);
  reverse_scratch_ = CloneScratch(r_.reverse_scratch_);
}

Stream::~Stream() {
  for (hs_stream_t* s : hs_) {
    if (s != nullptr) hs_close_stream(s, nullptr, nullptr, nullptr);
  }
  hs_free_scratch(forward_scratch_);
  hs_free_scratch(reverse_scratch_);
}

int Stream::OnMatch(unsigned id, unsigned long long /*from*/, unsigned long long to, unsigned /*flags*/, void* ctx) {
  auto* s = static_cast<Stream*>(ctx);
  s->Match(s->current_db_, id, to);
  return 0;
}

uint64_t Stream::LastBreakBefore(uint64_t pos, uint64_t floor) const {
  floor = std::max(floor, base_);
  if (pos <= floor) return kNone;
  const char* begin = buf_.data() + (floor - base_);
  size_t len = static_cast<size_t>(pos - floor);
  const void* nl = memrchr(begin, '\n', len);
  const void* cr = memrchr(begin, '\r', len);
  const char* hit = std::max(static_cast<const char*>(nl), static_cast<const char*>(cr));
  if (hit == nullptr) return kNone;
  return base_ + static_cast<uint64_t>(hit - buf_.data());
}

uint64_t Stream::FindStart(size_t db, const PatternInfo& p, unsigned id, uint64_t to) {
  uint64_t floor = to > p.max_width ? to - p.max_width : 0;
  if (p.multiline && p.kind == PatternKind::kMatch) {
    // A multi-line match starts where its rule's `begin` last matched before its end, within the rule's width.
    // (A backward scan over a key's body at each of its ends would cost the body's length squared.)
    uint64_t start = kNone;
    for (const Block& b : blocks_) {
      if (b.label == p.label && b.start >= floor && b.start < to && (start == kNone || b.start > start)) start = b.start;
    }
    return start;
  }
  if (!p.multiline) {
    // A line pattern matches within the line that `to` ends in.
    uint64_t lb = LastBreakBefore(to, floor);
    if (lb != kNone) floor = lb + 1;
  }
  floor = std::max(floor, base_);
  if (!p.reversed) {
    if (to < p.max_width || to - p.max_width < floor) return kNone;
    return to - p.max_width;
  }
  // Backward scan: the byte after the match (or a line break at the end of data) gives a trailing \b its
  // context, then the bytes from `to` down to the window's floor, and one more before it when there is one.
  uint64_t lo = floor > base_ ? floor - 1 : floor;
  reversed_.clear();
  reversed_ += to < end_ ? buf_[static_cast<size_t>(to - base_)] : '\n';
  for (uint64_t k = to; k > lo; --k) reversed_ += buf_[static_cast<size_t>(k - 1 - base_)];
  best_start_ = kNone;
  start_floor_ = floor;
  wanted_id_ = id;
  auto on_reverse = [](unsigned rid, unsigned long long, unsigned long long rto, unsigned, void* ctx) -> int {
    auto* s = static_cast<Stream*>(ctx);
    if (rid != s->wanted_id_) return 0;
    // `rto` counts the context byte: the match covers rto-1 bytes before `to`.
    uint64_t len = rto - 1;
    uint64_t to_end = s->scan_to_;
    if (len > to_end) return 0;
    uint64_t start = to_end - len;
    if (start >= s->start_floor_ && (s->best_start_ == kNone || start < s->best_start_)) s->best_start_ = start;
    return 0;
  };
  scan_to_ = to;
  if (hs_error_t e = hs_scan(r_.dbs_[db].reverse(), reversed_.data(), static_cast<unsigned>(reversed_.size()), 0,
                             reverse_scratch_, on_reverse, this);
      e != HS_SUCCESS) {
    Die("hs_scan (reverse)", e);
  }
  return best_start_;
}

// An unbounded tail (`password=…{7,127}`) reports a match at every byte of the value, and each end would need a
// backward scan for its start: text made of such assignments went at ~1 MB/s. Consecutive ends of one such
// pattern are gathered into a run and settled once: when the first and the last end have the same start (the
// usual case: a value growing from one key), every end in between has it too, and the longest end that passes
// the rule's entropy gate covers the shorter ones. Otherwise each end is handled on its own, as before.
void Stream::Match(size_t db, unsigned id, uint64_t to) {
  const PatternInfo& p = r_.dbs_[db].patterns()[id];
  if (!p.reversed || p.multiline || p.kind != PatternKind::kMatch) return MatchAt(db, id, to);
  for (Run& run : runs_) {
    if (run.db != db || run.id != id) continue;
    if (to == run.last + 1) {
      run.last = to;
      return;
    }
    SettleRun(run);
    run.first = run.last = to;
    return;
  }
  runs_.push_back({db, id, to, to});
}

void Stream::SettleRun(const Run& run) {
  const PatternInfo& p = r_.dbs_[run.db].patterns()[run.id];
  uint64_t start = FindStart(run.db, p, run.id, run.last);
  if (start != kNone && run.first != run.last && FindStart(run.db, p, run.id, run.first) != start) start = kNone;
  if (start == kNone) {
    for (uint64_t to = run.first; to <= run.last; ++to) MatchAt(run.db, run.id, to);
    return;
  }
  const Rule* rule = r_.labels_[p.label].rule;
  if (rule == nullptr || rule->min_entropy <= 0) {
    Accept(p, start, run.last);
    return;
  }
  // The value starts at the same byte for every end (the one after the key and separator); its entropy grows
  // with it a byte at a time. The longest end that passes the whole gate wins.
  const char* data = buf_.data() - base_;  // data[k]: the stream's byte k
  std::string_view longest(data + start, static_cast<size_t>(run.last - start));
  const uint64_t value_start = start + static_cast<uint64_t>(RuleValue(*rule, longest).data() - longest.data());
  RunningEntropy entropy;
  uint64_t counted = value_start;  // entropy covers [value_start, counted)
  candidates_.clear();
  for (uint64_t to = std::max(run.first, value_start + 1); to <= run.last; ++to) {
    uint64_t value_end = to;
    while (value_end > value_start && ValueTrailChar(data[value_end - 1])) --value_end;
    for (; counted < value_end; ++counted) entropy.Add(static_cast<unsigned char>(data[counted]));
    if (counted > value_start && entropy.bits() >= rule->min_entropy) candidates_.push_back(to);
  }
  for (auto to = candidates_.rbegin(); to != candidates_.rend(); ++to) {
    if (Accept(p, start, *to)) break;
  }
}

void Stream::SettleRuns() {
  for (const Run& run : runs_) SettleRun(run);
  runs_.clear();
}

void Stream::MatchAt(size_t db, unsigned id, uint64_t to) {
  const PatternInfo& p = r_.dbs_[db].patterns()[id];
  uint64_t start = FindStart(db, p, id, to);
  if (start == kNone) return;
  const Redactor::Label& label = r_.labels_[p.label];
  if (p.kind == PatternKind::kBegin) {
    for (const Block& b : blocks_) {
      if (b.start == start && b.label == p.label) return;
    }
    blocks_.push_back({start, start + label.multiline_width, p.label, false});
    return;
  }
  Accept(p, start, to);
}

// A match [start, to) of a kMatch pattern: redacted unless its rule's entropy gate refuses the value.
bool Stream::Accept(const PatternInfo& p, uint64_t start, uint64_t to) {
  const Redactor::Label& label = r_.labels_[p.label];
  if (label.rule != nullptr && label.rule->min_entropy > 0) {
    std::string_view match(buf_.data() + (start - base_), static_cast<size_t>(to - start));
    std::string_view value = RuleValue(*label.rule, match);
    if (ShannonEntropy(value) < label.rule->min_entropy || NotASecret(value)) return false;
  }
  if (p.multiline) {
    for (Block& b : blocks_) {
      if (b.label == p.label && b.start >= start && b.start < to) b.completed = true;
    }
  }
  if (to <= emitted_) return true;  // released already (a Flush): nothing left to hide
  AddInterval(std::max(start, emitted_), to, p.label);
  return true;
}

void Stream::AddInterval(uint64_t start, uint64_t end, uint32_t label) {
  // The common case: one more end of the match that is already last (a rule reports every end of a run).
  if (!pending_.empty() && pending_.back().start <= start && start <= pending_.back().end &&
      (pending_.back().start < start || pending_.back().label <= label)) {
    pending_.back().end = std::max(pending_.back().end, end);
    return;
  }
  Interval n{start, end, label};
  // pending_ is sorted and its intervals neither overlap nor touch: the ones this one joins are contiguous.
  auto hi = std::upper_bound(pending_.begin(), pending_.end(), end,
                             [](uint64_t e, const Interval& iv) { return e < iv.start; });
  auto lo = hi;
  while (lo != pending_.begin() && std::prev(lo)->end >= start) --lo;
  for (auto it = lo; it != hi; ++it) {
    if (it->start < n.start || (it->start == n.start && it->label < n.label)) n.label = it->label;
    n.start = std::min(n.start, it->start);
    n.end = std::max(n.end, it->end);
  }
  auto at = pending_.erase(lo, hi);
  pending_.insert(at, n);
}

void Stream::Scan(std::string_view data) {
  uint64_t chunk_start = end_;
  buf_.append(data);
  end_ += data.size();
  for (size_t i = 0; i < hs_.size(); ++i) {
    current_db_ = i;
    if (hs_error_t e = hs_scan_stream(hs_[i], data.data(), static_cast<unsigned>(data.size()), 0, forward_scratch_,
                                      OnMatch, this);
        e != HS_SUCCESS) {
      Die("hs_scan_stream", e);
    }
  }
  SettleRuns();
  for (size_t k = data.size(); k > 0; --k) {
    if (IsBreak(data[k - 1])) {
      line_start_ = chunk_start + k;
      break;
    }
  }
  std::erase_if(blocks_, [&](const Block& b) { return end_ > b.deadline; });
}

void Stream::Release(uint64_t upto, std::string& out) {
  upto = std::min(upto, end_);
  while (emitted_ < upto) {
    if (pending_.empty() || pending_.front().start >= upto) {
      out.append(buf_, static_cast<size_t>(emitted_ - base_), static_cast<size_t>(upto - emitted_));
      emitted_ = upto;
      break;
    }
    Interval& iv = pending_.front();
    if (iv.start > emitted_) {
      out.append(buf_, static_cast<size_t>(emitted_ - base_), static_cast<size_t>(iv.start - emitted_));
      emitted_ = iv.start;
    }
    if (marker_end_ != emitted_) {
      const Redactor::Label& label = r_.labels_[iv.label];
      out += label.marker;
      ++counts_[label.id];
    }
    uint64_t stop = std::min(iv.end, upto);
    emitted_ = stop;
    marker_end_ = stop;
    if (iv.end <= upto) {
      pending_.pop_front();
    } else {
      iv.start = upto;  // the rest follows as part of the same marker
    }
  }
}

void Stream::Trim() {
  uint64_t history = r_.line_width_ + kHistorySlack;
  uint64_t keep = std::min(emitted_, end_ > history ? end_ - history : 0);
  if (keep <= base_) return;
  size_t drop = static_cast<size_t>(keep - base_);
  // Move the buffer only when that frees a good part of it.
  if (drop < 4096 && drop * 2 < buf_.size()) return;
  buf_.erase(0, drop);
  base_ = keep;
}

void Stream::Write(std::string_view data, std::string& out) {
  if (finished_) Die("Write after Finish", 0);
  for (size_t at = 0; at < data.size(); at += kSlice) {
    Scan(data.substr(at, kSlice));
    // No match that is still to be reported can start before the current line, nor more than the widest line
    // pattern before the end (plus one byte: a report may wait for the byte after the match), nor after an open
    // multi-line block's start.
    uint64_t upto = std::max(line_start_, end_ > r_.line_width_ ? end_ - r_.line_width_ : 0);
    for (const Block& b : blocks_) upto = std::min(upto, b.start);
    Release(std::max(upto, emitted_), out);
    Trim();
  }
  flushed_ = false;
}

void Stream::Flush(std::string& out) {
  if (finished_) return;
  uint64_t upto = end_;
  if (!flushed_) {
    // Keep the word being written: it may be the start of a secret.
    upto = emitted_;
    for (uint64_t k = end_; k > emitted_; --k) {
      if (IsBlank(buf_[static_cast<size_t>(k - 1 - base_)])) {
        upto = k;
        break;
      }
    }
  }
  for (const Block& b : blocks_) {
    if (!b.completed) upto = std::min(upto, b.start);
  }
  Release(std::max(upto, emitted_), out);
  Trim();
  flushed_ = true;
}

void Stream::Finish(std::string& out) {
  if (finished_) return;
  for (size_t i = 0; i < hs_.size(); ++i) {
    current_db_ = i;
    if (hs_error_t e = hs_close_stream(hs_[i], forward_scratch_, OnMatch, this); e != HS_SUCCESS) {
      Die("hs_close_stream", e);
    }
    hs_[i] = nullptr;
  }
  SettleRuns();
  blocks_.clear();
  Release(end_, out);
  finished_ = true;
}

}  // namespace cordon::redact
