// The streaming redactor: a command's output goes in, the same bytes come out with every secret replaced by
// `[REDACTED:<rule-id>]`. One Redactor (immutable, shareable) per run; one Stream per output stream (stdout,
// stderr), used from one thread.
//
// How a match is found: a Hyperscan streaming database reports where matches of the rules and of the exact secret
// values end; where each starts is found by an anchored backward scan (patterns.h). Overlapping or adjacent
// matches are merged into one marker, named after the match that starts first (the lowest rule index on a tie).
//
// What is held back, and for how long. Write() passes on at once every byte that can no longer be part of a
// match; it holds the rest:
//   - the current line (since the last '\n' or '\r'): a line rule's match never spans a line break, so a
//     break releases everything before it; but never more than the widest line pattern (`hold_limit()`, at most
//     kMaxRuleWidth): in a long line without breaks, bytes older than that are released (any match they could
//     be part of would be longer than its rule allows, so no secret leaks through this);
//   - from where a multi-line rule's `begin` matched (a PEM key's BEGIN line), until that rule's longest match
//     could no longer end later.
// A secret split across Write() calls at any offset is redacted as if it had come in one piece.
//
// Flush(): for the caller's idle timer (output that stopped mid-line, a prompt). The first Flush after a Write
// releases the current line up to its last blank (a word still being written may be the start of a secret); a
// second Flush with no Write in between releases that word too. Complete matches in what is released are
// redacted even if they could still grow; if a match later turns out to continue past the released bytes, its
// rest is swallowed into the same marker. What Flush can leak: a secret whose writer pauses mid-secret for two of
// the caller's timer periods has its first part released (before it is recognisable), and its rest is then
// replaced by a marker. Flush never releases an unfinished multi-line block (a private key being printed); held()
// stays > 0 until more output, its width or Finish releases it.
//
// Finish(): end of stream: everything left is released (matches that only the end of data completes included).
// The Stream is then done; Write after Finish is a broken invariant.
//
// Not protected against: a secret the rules do not describe and that is not an exact value; a program that
// transforms a secret (reverses, splits across lines, encrypts, compresses); exact values shorter than 8 bytes
// (exact_values.h).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "redact/patterns.h"
#include "redact/rules.h"

namespace cordon::redact {

class Stream;

// Where Create keeps what it compiles at run time (the user rules and the exact values: ~0.5 ms of Hyperscan per
// value) between runs, so that a run whose values did not change loads them (db_cache.h). The cached databases
// contain the secret values: `dir` must be the caller's private runtime directory ($XDG_RUNTIME_DIR/cordon,
// /run/cordon for root: memory-backed, never seen by the sandbox). It must exist, be owned by the caller and give
// group and others no access, else the cache is not used.
struct CacheOptions {
  std::string dir;       // empty: no cache
  size_t max_files = 8;  // writing an entry removes the least recently used ones beyond this
};

class Redactor {
 public:
  // Compiles `rules` and the exact `values` (see exact_values.h). The built-in rules come precompiled (embedded at
  // build time), so a run that starts with BuiltinRuleSet() only compiles its user rules and values. Fails on a
  // rule CheckRule refuses and on a pattern Hyperscan cannot compile (the message names the rule).
  static Result<std::unique_ptr<Redactor>> Create(const RuleSet& rules, std::vector<std::string> exact_values);
  // The same, with the user rules' and values' database from `cache` when it holds them, compiled and written
  // there when not (a cache that cannot be read or written is the same as none).
  static Result<std::unique_ptr<Redactor>> Create(const RuleSet& rules, std::vector<std::string> exact_values,
                                                  const CacheOptions& cache);
  ~Redactor();
  Redactor(const Redactor&) = delete;
  Redactor& operator=(const Redactor&) = delete;

  std::unique_ptr<Stream> NewStream() const;

  // All of `data` as one stream: Write + Finish. For tests and tools.
  std::string RedactAll(std::string_view data, std::map<std::string, uint64_t>* counts = nullptr) const;

  // The most bytes of a line that Write() may hold back.
  size_t hold_limit() const { return line_width_; }
  // Whether the built-in rules were loaded from the embedded databases (false: compiled at run time).
  bool used_embedded_database() const { return embedded_; }
  // Whether the user rules and exact values were loaded from the cache (false: compiled now, or none).
  bool loaded_from_cache() const { return cached_; }
  size_t pattern_count() const;

 private:
  friend class Stream;
  struct Label {
    std::string id;
    std::string marker;  // "[REDACTED:id]"
    const Rule* rule = nullptr;  // null for exact values
    uint32_t multiline_width = 0;  // multi-line rules: how long a block is held
  };
  Redactor() = default;
  Status AddDb(PatternDb db);

  std::vector<Rule> rules_;
  std::vector<Label> labels_;
  std::vector<PatternDb> dbs_;  // the built-in rules, then the rest
  hs_scratch_t* forward_scratch_ = nullptr;  // prototypes, cloned by each stream
  hs_scratch_t* reverse_scratch_ = nullptr;
  size_t line_width_ = 0;  // the widest line pattern
  bool embedded_ = false;
  bool cached_ = false;
};

class Stream {
 public:
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  // Appends to `out` every byte of the stream so far that can no longer be part of a match (redacted).
  void Write(std::string_view data, std::string& out);
  // The caller's idle timer fired: release what is safe to release (see the header comment).
  void Flush(std::string& out);
  // End of stream: release everything.
  void Finish(std::string& out);

  // Markers written per rule id (a merged match counts once, under its marker's id).
  const std::map<std::string, uint64_t>& counts() const { return counts_; }
  // Bytes received and not yet written out.
  size_t held() const { return static_cast<size_t>(end_ - emitted_); }

 private:
  friend class Redactor;
  struct Interval {
    uint64_t start;
    uint64_t end;
    uint32_t label;
  };
  struct Run {  // consecutive ends of one line pattern that needs a backward scan, settled together
    size_t db;
    unsigned id;
    uint64_t first;
    uint64_t last;
  };
  struct Block {  // an open multi-line match candidate
    uint64_t start;
    uint64_t deadline;  // no match from `start` can end after this
    uint32_t label;
    bool completed;     // a match of its rule ending after `start` was seen (Flush may release past it)
  };
  explicit Stream(const Redactor& r);
  static int OnMatch(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void* ctx);
  void Match(size_t db, unsigned id, uint64_t to);
  void MatchAt(size_t db, unsigned id, uint64_t to);
  bool Accept(const PatternInfo& p, uint64_t start, uint64_t to);
  void SettleRun(const Run& run);
  void SettleRuns();
  uint64_t FindStart(size_t db, const PatternInfo& p, unsigned id, uint64_t to);
  void AddInterval(uint64_t start, uint64_t end, uint32_t label);
  void Scan(std::string_view data);
  void Release(uint64_t upto, std::string& out);
  void Trim();
  uint64_t LastBreakBefore(uint64_t pos, uint64_t floor) const;

  const Redactor& r_;
  std::vector<hs_stream_t*> hs_;
  hs_scratch_t* forward_scratch_ = nullptr;
  hs_scratch_t* reverse_scratch_ = nullptr;
  size_t current_db_ = 0;  // which database the running scan belongs to (for the callback)

  std::string buf_;        // stream bytes [base_, end_)
  uint64_t base_ = 0;
  uint64_t end_ = 0;
  uint64_t emitted_ = 0;   // everything before this has been written out
  uint64_t marker_end_ = UINT64_MAX;  // where the last marker written ends (a match starting there joins it)
  uint64_t line_start_ = 0;           // after the last line break seen
  std::deque<Interval> pending_;      // sorted, disjoint, not adjacent; all end after emitted_
  std::vector<Block> blocks_;
  std::map<std::string, uint64_t> counts_;
  std::vector<Run> runs_;  // open runs of ends (see Match)
  std::vector<uint64_t> candidates_;  // scratch for SettleRun
  std::string reversed_;   // scratch for the backward scan
  uint64_t best_start_ = 0;
  uint64_t start_floor_ = 0;
  uint64_t scan_to_ = 0;
  unsigned wanted_id_ = 0;
  bool flushed_ = false;   // the last call was a Flush
  bool finished_ = false;
};

}  // namespace cordon::redact
