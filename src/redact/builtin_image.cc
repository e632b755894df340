// The built-in rules' databases, compiled by redact_db_gen at build time (CORDON_REDACT_IMAGE names the file).
#include "redact/builtin_db.h"

#define CORDON_STR2(x) #x
#define CORDON_STR(x) CORDON_STR2(x)

// .incbin keeps the image out of the compiler: a 400 KB array initializer would cost seconds of build time.
__asm__(
    ".section .rodata\n"
    ".balign 64\n"
    ".global cordon_redact_image_begin\n"
    "cordon_redact_image_begin:\n"
    ".incbin \"" CORDON_STR(CORDON_REDACT_IMAGE) "\"\n"
    ".global cordon_redact_image_end\n"
    "cordon_redact_image_end:\n"
    ".previous\n");

extern "C" const char cordon_redact_image_begin[];
extern "C" const char cordon_redact_image_end[];

namespace cordon::redact {

std::string_view EmbeddedBuiltinImage() {
  return std::string_view(cordon_redact_image_begin,
                          static_cast<size_t>(cordon_redact_image_end - cordon_redact_image_begin));
}

}  // namespace cordon::redact
