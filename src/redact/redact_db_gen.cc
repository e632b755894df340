// Build-time tool: compiles the built-in rules into the image that builtin_image.cc embeds.
//   redact_db_gen OUTPUT
#include <cstdio>
#include <fstream>

#include "redact/builtin_db.h"

int main(int argc, char** argv) {
  using namespace cordon::redact;
  if (argc != 2) {
    std::fprintf(stderr, "usage: redact_db_gen OUTPUT\n");
    return 2;
  }
  const std::vector<Rule>& rules = BuiltinRules();
  cordon::Result<PatternDb> db = PatternDb::Compile(RuleSources(rules));
  if (!db.ok()) {
    std::fprintf(stderr, "redact_db_gen: %s\n", db.error().ToString().c_str());
    return 1;
  }
  cordon::Result<std::string> image = db->Serialize(RulesFingerprint(rules));
  if (!image.ok()) {
    std::fprintf(stderr, "redact_db_gen: %s\n", image.error().ToString().c_str());
    return 1;
  }
  std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
  out.write(image->data(), static_cast<std::streamsize>(image->size()));
  if (!out.flush()) {
    std::fprintf(stderr, "redact_db_gen: cannot write %s\n", argv[1]);
    return 1;
  }
  return 0;
}
