// A compiled set of patterns: a Hyperscan streaming database that reports where matches END (no start-of-match
// mode: see regex_reverse.h for why), and a block-mode database of the reversed variable-width patterns, anchored,
// that finds where a match that ended at a given offset starts. Fixed-width patterns need no reverse pattern.
//
// The only file besides redactor.cc that calls Hyperscan's compiler; the databases are immutable and shared by
// every stream of a Redactor.
#pragma once

#include <hs/hs.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace cordon::redact {

enum class PatternKind : uint8_t {
  kMatch,  // a match is redacted
  kBegin,  // where a multi-line rule's match may start: hold output from here
};

struct PatternInfo {
  PatternKind kind = PatternKind::kMatch;
  uint32_t label = 0;      // index into the Redactor's labels (rule id and its checks)
  uint32_t min_width = 0;  // bytes, from Hyperscan's analysis
  uint32_t max_width = 0;
  bool multiline = false;  // may span line breaks (multi-line rules only)
  bool reversed = false;   // has a reverse pattern (min_width != max_width)
};

struct PatternSource {
  std::string regex;  // Hyperscan syntax
  PatternInfo info;   // kind, label, multiline; widths are filled in by Compile
};

struct HsDatabaseFree {
  void operator()(hs_database_t* db) const { hs_free_database(db); }
};
using HsDatabase = std::unique_ptr<hs_database_t, HsDatabaseFree>;

class PatternDb {
 public:
  // Compiles `sources` (ids are their indices). Errors name the pattern's index in the message's context.
  static Result<PatternDb> Compile(std::vector<PatternSource> sources);
  // The byte image of both databases and the pattern table, for embedding at build time. `fingerprint` ties it
  // to the rules it was built from; Deserialize refuses an image with another fingerprint or for another CPU.
  Result<std::string> Serialize(uint64_t fingerprint) const;
  static Result<PatternDb> Deserialize(std::string_view image, uint64_t fingerprint);
  // How many leading bytes of an image are this format's own (magic, fingerprint, pattern table); the rest is
  // Hyperscan's serialized databases, whose bytecode hs_deserialize_database checks itself (CRC32C). 0 when
  // `image` is too short to be one.
  static size_t TableSize(std::string_view image);

  const hs_database_t* forward() const { return forward_.get(); }
  const hs_database_t* reverse() const { return reverse_.get(); }  // null when every pattern is fixed-width
  const std::vector<PatternInfo>& patterns() const { return patterns_; }

 private:
  HsDatabase forward_;
  HsDatabase reverse_;
  std::vector<PatternInfo> patterns_;
};

// Widths of one regex, and whether Hyperscan compiles it (streaming, and its reversal in block mode). The error
// quotes Hyperscan's message.
struct RegexWidths {
  uint32_t min_width = 0;
  uint32_t max_width = 0;
};
Result<RegexWidths> AnalyzeRegex(const std::string& regex);

// The reverse pattern for `regex`: "^" + one context byte + Reverse(regex), for the anchored backward scan.
Result<std::string> ReversePattern(const std::string& regex);

// Hyperscan wants a literal as a regex: every byte as \xHH.
std::string LiteralRegex(std::string_view bytes);

}  // namespace cordon::redact
