// The terminal filter: what makes a terminal type into its own input, or write the clipboard, is taken out;
// colours and cursor movement pass; split sequences are followed.
#include "linux/terminal_filter.h"

#include <gtest/gtest.h>

namespace cordon::linux_backend {
namespace {

std::string Filter(std::string_view in, uint64_t* removed = nullptr) {
  TerminalFilter f;
  std::string out;
  f.Write(in, out);
  if (removed != nullptr) *removed = f.removed();
  return out;
}

TEST(TerminalFilter, ColoursAndCursorMovesPass) {
  const std::string text = "\x1b[1;31mred\x1b[0m \x1b[2K\r\x1b[3A done\x1b[?25l\x1b[?25h\x1b" "7\x1b" "8\n";
  EXPECT_EQ(Filter(text), text);
}

TEST(TerminalFilter, ReportRequestsAndStringsAreRemoved) {
  uint64_t removed = 0;
  std::string in = std::string("a\x1b]0;title\x07") + "b\x1b]52;c;ZXZpbA==\x1b\\" + "c\x1b[21t" + "d\x1b[6n" + "e\x1b[c" +
                   "f\x1bP$qm\x1b\\" + "g\x1b_apc\x1b\\" + "h\x1b^pm\x1b\\" + "i\x1bXsos\x1b\\" + "j\x1b[?1$p" + "k";
  EXPECT_EQ(Filter(in, &removed), "abcdefghijk");
  EXPECT_EQ(removed, 10u);
}

TEST(TerminalFilter, SplitAtEveryByteGivesTheSameOutput) {
  const std::string in = "x\x1b]52;c;ZXZpbA==\x07y\x1b[31mz\x1b[21tw\x1bP1$r\x1b\\v";
  const std::string whole = Filter(in);
  for (size_t cut = 0; cut <= in.size(); ++cut) {
    TerminalFilter f;
    std::string out;
    f.Write(std::string_view(in).substr(0, cut), out);
    f.Write(std::string_view(in).substr(cut), out);
    EXPECT_EQ(out, whole) << cut;
  }
  EXPECT_EQ(whole, "xy\x1b[31mzwv");
}

TEST(TerminalFilter, AnEndlessCsiIsDropped) {
  std::string in = "\x1b[" + std::string(200, '1') + "m after";
  std::string out = Filter(in);
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
  EXPECT_NE(out.find("after"), std::string::npos);
}

}  // namespace
}  // namespace cordon::linux_backend
