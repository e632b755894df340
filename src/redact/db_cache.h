// The cache of a Redactor's run-time pattern database (its user rules and exact secret values, everything that
// is not the embedded built-in image) between runs: Hyperscan takes ~0.5 ms per exact value to compile, and the
// values change rarely.
//
// An entry is one file in the cache directory, named "redact-" + the hex of a BLAKE2b-256 digest (libsodium's
// crypto_generichash) of everything the compiled database depends on: the file format version, hs_version(), the
// Hyperscan platform of this CPU (hs_populate_platform) and every pattern in order (PatternKey). The file holds a
// header (magic, format version, the key, a digest of the pattern table, the payload's length) and the payload
// PatternDb::Serialize writes (the pattern table and hs_serialize_database() of both databases, whose bytecode
// Hyperscan checks itself with a CRC32C when it loads it: digesting those hundreds of KB too would double the
// time a hit takes). A file whose header, lengths, digest or databases do not check out, or whose pattern table
// does not match the patterns, is not used.
//
// The serialized databases contain the secret values (as literals, in every encoding looked for), and the file
// name is a digest of them: the cache belongs in the caller's private, memory-backed runtime directory
// ($XDG_RUNTIME_DIR/cordon, /run/cordon for root), which the sandbox cannot see. A directory that is not a
// directory owned by the caller without group or other permissions is not used; files are created 0600 with
// O_NOFOLLOW, written to a temporary name and renamed into place (a concurrent reader sees a whole file or
// none), and only files owned by the caller without group or other permissions are read.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "redact/patterns.h"

namespace cordon::redact {

// What one pattern of the database depends on. An exact literal is keyed by its bytes, not by its regex
// (LiteralRegex, four times as long), so that a hit never builds the regexes.
struct PatternKey {
  std::string_view text;  // the regex, or the literal's bytes
  bool literal = false;
  PatternInfo info;       // kind, label and multiline (the label carries an exact literal's form)
};

// The entry's file name for `patterns` (in the order they are compiled) on this CPU and Hyperscan build. Empty
// when libsodium cannot be initialized.
std::string DbCacheName(const std::vector<PatternKey>& patterns);

// The database cached under `name` in `dir`; an error when the directory is not private to the caller, there is
// no such entry, or it does not match `patterns` (corrupt, truncated, another format). A hit marks the entry as
// recently used.
Result<PatternDb> LoadCachedDb(const std::string& dir, const std::string& name,
                               const std::vector<PatternKey>& patterns);

// Writes `db` under `name` in `dir` (atomically), then removes the least recently used entries beyond
// `max_files` (and temporary files that a writer left behind). Best effort: an error only says why.
Status StoreCachedDb(const std::string& dir, const std::string& name, const PatternDb& db, size_t max_files);

}  // namespace cordon::redact
