// Reversal of a regex in the Hyperscan subset of PCRE: Reverse(P) matches reverse(w) exactly when P matches w.
//
// Why: the redactor must know where a match starts. Hyperscan's start-of-match mode (HS_FLAG_SOM_LEFTMOST)
// refuses most bounded patterns whose repeated class can contain the pattern's own prefix ("Pattern is too large"
// for `glc_[A-Za-z0-9+/=_\-]{32,200}` or `token[:=][^\s"']{8,128}`), so the forward scan only reports where
// matches end, and the start is found by scanning the bytes before that end backwards with Reverse(P), anchored.
//
// Understood: literals, escapes (\d \w \s \h \v and negations, \t \n \r \f \e \a, \xHH, \x{H…}, \0oo, \cX,
// escaped punctuation, \Q…\E), classes [...] (copied verbatim: order does not matter in a class), `.`, groups
// (…), (?:…), inline flags (?i) (?s) (?-i) and scoped (?i:…), alternation, quantifiers ? * + {n} {n,} {n,m} with
// an optional lazy `?` (meaningless when every match is reported), \b and \B (symmetric), comments (?#…).
// Refused with an error: anchors (^ $ \A \z \Z \G), lookaround, atomic groups, backreferences, possessive
// quantifiers, named groups, Unicode properties, (?x) and (?m) — constructs the redactor cannot reverse or
// that make no sense on a stream.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace cordon::redact {

Result<std::string> ReverseRegex(std::string_view pattern);

}  // namespace cordon::redact
