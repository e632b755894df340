#include "redact/patterns.h"

#include <cstdlib>
#include <cstring>

#include "redact/regex_reverse.h"

namespace cordon::redact {
namespace {

constexpr char kMagic[8] = {'c', 'r', 'd', 'b', '0', '0', '0', '1'};

Error HsError(hs_compile_error_t* e, const std::string& what) {
  Error err = MakeError(what + ": " + (e != nullptr && e->message != nullptr ? e->message : "unknown error"));
  hs_free_compile_error(e);
  return err;
}

Result<HsDatabase> CompileMulti(const std::vector<std::string>& regexes, const std::vector<unsigned>& ids,
                                unsigned mode, const std::string& what) {
  std::vector<const char*> exprs;
  std::vector<unsigned> flags(regexes.size(), 0);
  for (const std::string& r : regexes) exprs.push_back(r.c_str());
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()), mode, nullptr,
                       &db, &err) != HS_SUCCESS) {
    std::string which = err != nullptr && err->expression >= 0 ? " (pattern " + std::to_string(ids[err->expression]) + ")"
                                                               : "";
    return HsError(err, what + which);
  }
  return HsDatabase(db);
}

void PutU32(std::string& out, uint32_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }
void PutU64(std::string& out, uint64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool Get(void* out, size_t n) {
    if (in_.size() - pos_ < n) return false;
    std::memcpy(out, in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  bool Bytes(size_t n, std::string_view& out) {
    if (in_.size() - pos_ < n) return false;
    out = in_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool done() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

Result<std::string> SerializeDb(const hs_database_t* db) {
  char* bytes = nullptr;
  size_t len = 0;
  if (hs_serialize_database(db, &bytes, &len) != HS_SUCCESS) return MakeError("hs_serialize_database failed");
  std::string out(bytes, len);
  std::free(bytes);  // NOLINT(cppcoreguidelines-no-malloc): Hyperscan allocates with malloc
  return out;
}

Result<HsDatabase> DeserializeDb(std::string_view bytes) {
  hs_database_t* db = nullptr;
  hs_error_t e = hs_deserialize_database(bytes.data(), bytes.size(), &db);
  if (e == HS_DB_PLATFORM_ERROR) return MakeError("the embedded database was built for another CPU");
  if (e != HS_SUCCESS) return MakeError("hs_deserialize_database failed (" + std::to_string(e) + ")");
  return HsDatabase(db);
}

}  // namespace

std::string LiteralRegex(std::string_view bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 4);
  for (unsigned char c : bytes) {
    out += "\\x";
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

Result<std::string> ReversePattern(const std::string& regex) {
  CORDON_ASSIGN_OR_RETURN(std::string rev, ReverseRegex(regex));
  return "^[\\s\\S](?:" + rev + ")";
}

Result<RegexWidths> AnalyzeRegex(const std::string& regex) {
  hs_expr_info_t* info = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_expression_info(regex.c_str(), 0, &info, &err) != HS_SUCCESS) return HsError(err, "regex");
  RegexWidths w{info->min_width, info->max_width};
  std::free(info);  // NOLINT(cppcoreguidelines-no-malloc)
  hs_database_t* db = nullptr;
  if (hs_compile(regex.c_str(), 0, HS_MODE_STREAM, nullptr, &db, &err) != HS_SUCCESS) return HsError(err, "regex");
  hs_free_database(db);
  if (w.max_width == UINT32_MAX || w.min_width == w.max_width) return w;
  CORDON_ASSIGN_OR_RETURN(std::string rev, ReversePattern(regex));
  if (hs_compile(rev.c_str(), 0, HS_MODE_BLOCK, nullptr, &db, &err) != HS_SUCCESS) {
    return HsError(err, "regex (reversed: " + rev + ")");
  }
  hs_free_database(db);
  return w;
}

Result<PatternDb> PatternDb::Compile(std::vector<PatternSource> sources) {
  PatternDb out;
  std::vector<std::string> fwd, rev;
  std::vector<unsigned> fwd_ids, rev_ids;
  for (size_t i = 0; i < sources.size(); ++i) {
    PatternSource& s = sources[i];
    hs_expr_info_t* info = nullptr;
    hs_compile_error_t* err = nullptr;
    if (hs_expression_info(s.regex.c_str(), 0, &info, &err) != HS_SUCCESS) {
      return HsError(err, "pattern " + std::to_string(i));
    }
    s.info.min_width = info->min_width;
    s.info.max_width = info->max_width;
    std::free(info);  // NOLINT(cppcoreguidelines-no-malloc)
    s.info.reversed = s.info.min_width != s.info.max_width;
    fwd.push_back(s.regex);
    fwd_ids.push_back(static_cast<unsigned>(i));
    if (s.info.reversed) {
      Result<std::string> r = ReversePattern(s.regex);
      if (!r.ok()) return MakeError("pattern " + std::to_string(i) + ": " + r.error().ToString());
      rev.push_back(std::move(r).value());
      rev_ids.push_back(static_cast<unsigned>(i));
    }
    out.patterns_.push_back(s.info);
  }
  if (fwd.empty()) return MakeError("no patterns to compile");
  CORDON_ASSIGN_OR_RETURN(out.forward_, CompileMulti(fwd, fwd_ids, HS_MODE_STREAM, "compiling the patterns"));
  if (!rev.empty()) {
    CORDON_ASSIGN_OR_RETURN(out.reverse_, CompileMulti(rev, rev_ids, HS_MODE_BLOCK, "compiling the reversed patterns"));
  }
  return out;
}

Result<std::string> PatternDb::Serialize(uint64_t fingerprint) const {
  std::string out(kMagic, sizeof kMagic);
  PutU64(out, fingerprint);
  PutU32(out, static_cast<uint32_t>(patterns_.size()));
  for (const PatternInfo& p : patterns_) {
    out += static_cast<char>(p.kind);
    PutU32(out, p.label);
    PutU32(out, p.min_width);
    PutU32(out, p.max_width);
    out += static_cast<char>((p.multiline ? 1 : 0) | (p.reversed ? 2 : 0));
  }
  CORDON_ASSIGN_OR_RETURN(std::string fwd, SerializeDb(forward_.get()));
  PutU64(out, fwd.size());
  out += fwd;
  std::string rev;
  if (reverse_) {
    CORDON_ASSIGN_OR_RETURN(rev, SerializeDb(reverse_.get()));
  }
  PutU64(out, rev.size());
  out += rev;
  return out;
}

size_t PatternDb::TableSize(std::string_view image) {
  constexpr size_t kFixed = sizeof kMagic + 8 + 4;  // magic, fingerprint, count
  constexpr size_t kEntry = 1 + 4 + 4 + 4 + 1;      // kind, label, min_width, max_width, bits
  uint32_t n = 0;
  if (image.size() < kFixed) return 0;
  std::memcpy(&n, image.data() + kFixed - sizeof n, sizeof n);
  if ((image.size() - kFixed) / kEntry < n) return 0;
  return kFixed + size_t{n} * kEntry;
}

Result<PatternDb> PatternDb::Deserialize(std::string_view image, uint64_t fingerprint) {
  Reader in(image);
  char magic[sizeof kMagic];
  uint64_t fp = 0;
  uint32_t n = 0;
  if (!in.Get(magic, sizeof magic) || std::memcmp(magic, kMagic, sizeof magic) != 0 || !in.Get(&fp, sizeof fp) ||
      !in.Get(&n, sizeof n)) {
    return MakeError("not a pattern database image");
  }
  if (fp != fingerprint) return MakeError("the embedded database was built from other rules");
  PatternDb out;
  for (uint32_t i = 0; i < n; ++i) {
    PatternInfo p;
    uint8_t kind = 0, bits = 0;
    if (!in.Get(&kind, 1) || !in.Get(&p.label, 4) || !in.Get(&p.min_width, 4) || !in.Get(&p.max_width, 4) ||
        !in.Get(&bits, 1) || kind > static_cast<uint8_t>(PatternKind::kBegin)) {
      return MakeError("truncated pattern database image");
    }
    p.kind = static_cast<PatternKind>(kind);
    p.multiline = (bits & 1) != 0;
    p.reversed = (bits & 2) != 0;
    out.patterns_.push_back(p);
  }
  uint64_t len = 0;
  std::string_view fwd, rev;
  if (!in.Get(&len, sizeof len) || !in.Bytes(len, fwd) || !in.Get(&len, sizeof len) || !in.Bytes(len, rev) ||
      !in.done()) {
    return MakeError("truncated pattern database image");
  }
  CORDON_ASSIGN_OR_RETURN(out.forward_, DeserializeDb(fwd));
  if (!rev.empty()) {
    CORDON_ASSIGN_OR_RETURN(out.reverse_, DeserializeDb(rev));
  }
  return out;
}

}  // namespace cordon::redact
