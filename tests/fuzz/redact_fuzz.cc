// libFuzzer target: the output redactor must give the same output however the bytes are split across Write()
// calls (compared with one Write of everything), never hold more than its bound, and survive Flush at any point.
// Built only with clang and -DCORDON_FUZZ=ON.
//
// Input: the first byte seeds where the stream is cut and where Flush is called; the rest is the output to
// redact. The seed corpus holds secrets in the rules' formats, so mutations start from matches.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <string_view>

#include "redact/redactor.h"

namespace {

using cordon::redact::Redactor;
using cordon::redact::Stream;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

const Redactor& Get() {
  static std::unique_ptr<Redactor> r = [] {
    auto c = Redactor::Create(cordon::redact::BuiltinRuleSet(), {"fuzz-secret-value-1", "another\nmulti-line value"});
    Check(c.ok());
    return std::move(c).value();
  }();
  return *r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const Redactor& r = Get();
  std::minstd_rand rng(data[0]);
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string whole = r.RedactAll(in);

  // The same bytes in random pieces: the same output, and never more held than a line pattern's width or a
  // multi-line rule's.
  std::unique_ptr<Stream> s = r.NewStream();
  std::string out;
  for (size_t at = 0; at < in.size();) {
    size_t n = 1 + rng() % (in.size() - at < 64 ? in.size() - at : 64);
    s->Write(in.substr(at, n), out);
    Check(s->held() <= cordon::redact::kMaxRuleWidth);
    at += n;
  }
  s->Finish(out);
  Check(out == whole);
  Check(s->held() == 0);

  // With Flush calls in between: no crash, and nothing held at the end. (Flush may release a secret's first part
  // before it is recognisable, by design, so its output is not compared.)
  std::unique_ptr<Stream> f = r.NewStream();
  std::string flushed;
  for (size_t at = 0; at < in.size();) {
    size_t n = 1 + rng() % (in.size() - at < 64 ? in.size() - at : 64);
    f->Write(in.substr(at, n), flushed);
    if (rng() % 4 == 0) f->Flush(flushed);
    at += n;
  }
  f->Finish(flushed);
  Check(f->held() == 0);
  return 0;
}
