// The shell parser behind command rules, and the list of commands a command line runs (exec_commands.h):
// which simple commands a string holds, what wrappers run, where standard input comes from, parse errors.
#include "policy/shell_syntax.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy/exec_commands.h"
#include "policy/exec_programs.h"

namespace cordon::policy {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Every command `argv` runs, as "words|via" joined by "; ", or "error: …".
std::string List(const std::vector<std::string>& argv) {
  Result<std::vector<ExecCommand>> r = ListCommands(argv);
  if (!r.ok()) return "error: " + r.error().message;
  std::string out;
  for (const ExecCommand& c : *r) {
    if (!out.empty()) out += "; ";
    out += ShellQuote(c.words);
    if (!c.via.empty()) out += " <" + c.via + ">";
  }
  return out;
}
// The commands in shell code (given to sh -c), without the sh itself.
std::string Sh(const std::string& code) {
  std::string all = List({"sh", "-c", code});
  if (all.starts_with("error: ")) return all;
  std::string head = ShellQuote({"sh", "-c", code});
  return all.size() > head.size() + 2 ? all.substr(head.size() + 2) : "";
}
std::string ParseError(const std::string& code) {
  Result<shell::CommandList> r = shell::Parse(code);
  EXPECT_FALSE(r.ok()) << "parsed: " << code;
  return r.ok() ? "" : r.error().message;
}
const ExecCommand* Find(const std::vector<ExecCommand>& cmds, const std::string& program) {
  for (const ExecCommand& c : cmds) {
    if (c.Program() == program) return &c;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------------------------
// Words and quoting

TEST(ShellSyntax, QuotesAndEscapesAreRemoved) {
  EXPECT_EQ(Sh("'make' x"), "make x <sh -c>");
  EXPECT_EQ(Sh("\"ma\"\"ke\" x"), "make x <sh -c>");
  EXPECT_EQ(Sh("m\\ake x"), "make x <sh -c>");
  EXPECT_EQ(Sh("ma''ke x"), "make x <sh -c>");
  EXPECT_EQ(Sh("$'\\x6dake' x"), "make x <sh -c>");
  EXPECT_EQ(Sh("$'\\155ake' x"), "make x <sh -c>");
  EXPECT_EQ(Sh("$'\\u006dake' x"), "make x <sh -c>");
  EXPECT_EQ(Sh("echo $'\\u00e9\\t\\'x'"), "echo '\xC3\xA9\t'\\''x' <sh -c>");
  EXPECT_EQ(Sh("echo \"a b\" 'c d' e\\ f"), "echo 'a b' 'c d' 'e f' <sh -c>");
  EXPECT_EQ(Sh("echo \"it's\""), "echo 'it'\\''s' <sh -c>");
  EXPECT_EQ(Sh("echo \"a\\\"b\" \"\\$x\""), "echo 'a\"b' '$x' <sh -c>");
  EXPECT_EQ(Sh("echo a\\\nb"), "echo ab <sh -c>");  // a line continuation
}

TEST(ShellSyntax, ExpansionsAreKeptAndMarkedDynamic) {
  Result<std::vector<ExecCommand>> r = ListCommands({"sh", "-c", "$CC -o x \"$HOME/y\" ${A:-b} 'lit$' *.c ~/z"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  const ExecCommand& c = r->back();
  EXPECT_EQ(c.words, (std::vector<std::string>{"$CC", "-o", "x", "$HOME/y", "${A:-b}", "lit$", "*.c", "~/z"}));
  // Per word: whether its base name is computed ("$HOME/y" is named y).
  EXPECT_EQ(c.dynamic, (std::vector<bool>{true, false, false, false, true, false, true, false}));
  r = ListCommands({"sh", "-c", "x ${D}/a$B \"$(d)\"/b ./*/c ./c* /[ab]/d {a,b}/e ~/f"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->back().dynamic, (std::vector<bool>{false, true, false, false, true, false, false, false}));
}

TEST(ShellSyntax, GlobsAndBraceExpansionAreDynamicOnlyUnquoted) {
  Result<std::vector<ExecCommand>> r =
      ListCommands({"sh", "-c", "x '*' \"?\" [ab] {a,b} {1..3} {} a{b}c \\* find -exec"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->back().dynamic,
            (std::vector<bool>{false, false, false, true, true, true, false, false, false, false, false}));
}

TEST(ShellSyntax, CommentsAreSkipped) {
  EXPECT_EQ(Sh("# sudo id"), "");
  EXPECT_EQ(Sh("echo x # ; sudo id"), "echo x <sh -c>");
  EXPECT_EQ(Sh("echo a#b"), "echo 'a#b' <sh -c>");
}

// ---------------------------------------------------------------------------------------------------------------
// Lists, pipelines, compound commands

TEST(ShellSyntax, EveryCommandOfAListIsSeen) {
  EXPECT_EQ(Sh("a; b && c || d & e | f |& g\nh"), "a <sh -c>; b <sh -c>; c <sh -c>; d <sh -c>; e <sh -c>; "
                                                     "f <sh -c>; g <sh -c>; h <sh -c>");
  EXPECT_EQ(Sh("a&&b"), "a <sh -c>; b <sh -c>");
  EXPECT_EQ(Sh("a &&\n b"), "a <sh -c>; b <sh -c>");
  EXPECT_EQ(Sh("a |\n b"), "a <sh -c>; b <sh -c>");
  EXPECT_EQ(Sh("! a"), "a <sh -c>");
  EXPECT_EQ(Sh("time -p a"), "a <sh -c>");
}

TEST(ShellSyntax, CompoundCommands) {
  EXPECT_EQ(Sh("(a; b)"), "a <sh -c>; b <sh -c>");
  EXPECT_EQ(Sh("{ a; b; }"), "a <sh -c>; b <sh -c>");
  EXPECT_EQ(Sh("if a; then b; elif c; then d; else e; fi"), "a <sh -c>; b <sh -c>; c <sh -c>; d <sh -c>; e <sh -c>");
  EXPECT_EQ(Sh("while a; do b; done; until c; do d; done"), "a <sh -c>; b <sh -c>; c <sh -c>; d <sh -c>");
  EXPECT_EQ(Sh("for i in 1 2 $(a); do b $i; done"), "a <$(…)>; b '$i' <sh -c>");
  EXPECT_EQ(Sh("for i\ndo b; done"), "b <sh -c>");
  EXPECT_EQ(Sh("for ((i=0; i<$(a); i++)); do b; done"), "a <$(…)>; b <sh -c>");
  EXPECT_EQ(Sh("select x in a b; do c; done"), "c <sh -c>");
  EXPECT_EQ(Sh("case $x in a|b) c;; (d) e ;& *) f;;& esac"), "c <sh -c>; e <sh -c>; f <sh -c>");
  EXPECT_EQ(Sh("case x in\n  a)\n    b\n    ;;\n  *) c\nesac"), "b <sh -c>; c <sh -c>");
  EXPECT_EQ(Sh("[[ -n $x && $(a) == \"y\" || ( -f z ) ]] && b"), "a <$(…)>; b <sh -c>");
  EXPECT_EQ(Sh("(( x = $(a) + 1 )); b"), "a <$(…)>; b <sh -c>");
  EXPECT_EQ(Sh("echo $(( 1 + $(a) ))"), "a <$(…)>; echo '$(( 1 + $(a) ))' <sh -c>");
}

TEST(ShellSyntax, FunctionBodiesAreListedAndCallsAreTransparent) {
  Result<std::vector<ExecCommand>> r = ListCommands({"bash", "-c", "f() { a; }; function g { b; }; function h() (c); f; g"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::vector<std::string> programs;
  for (const ExecCommand& c : *r) programs.push_back(c.Program());
  EXPECT_EQ(programs, (std::vector<std::string>{"bash", "a", "b", "c", "f", "g"}));
  EXPECT_TRUE(Find(*r, "f")->transparent);
  EXPECT_FALSE(Find(*r, "a")->transparent);
}

TEST(ShellSyntax, ReservedWordsOnlyInCommandPosition) {
  EXPECT_EQ(Sh("echo if then fi done }"), "echo if then fi done '}' <sh -c>");
  EXPECT_EQ(Sh("\"if\" x"), "if x <sh -c>");
}

TEST(ShellSyntax, AssignmentsAndRedirectionsAreNotCommands) {
  EXPECT_EQ(Sh("A=1 B=\"x y\" make x"), "make x <sh -c>");
  EXPECT_EQ(Sh("A=1"), "");
  EXPECT_EQ(Sh("a=(x $(b) y); c"), "b <$(…)>; c <sh -c>");
  EXPECT_EQ(Sh("x=$(a)"), "a <$(…)>");
  EXPECT_EQ(Sh("a > /dev/null 2>&1 < in >> log 3<>f 4>&- &>all"), "a <sh -c>");
  EXPECT_EQ(Sh(">out a"), "a <sh -c>");
  EXPECT_EQ(Sh("2>&1 a"), "a <sh -c>");
  EXPECT_EQ(Sh("a <<< 'here string'"), "a <sh -c>");
  EXPECT_EQ(Sh("A=1 echo"), "echo <sh -c>");
  EXPECT_EQ(Sh("'A=1' x"), "A=1 x <sh -c>");  // quoted: a command named A=1
}

// ---------------------------------------------------------------------------------------------------------------
// Substitutions and here-documents

TEST(ShellSyntax, SubstitutionsAreParsedRecursively) {
  EXPECT_EQ(Sh("echo $(a $(b))"), "b <$(…)>; a '$(b)' <$(…)>; echo '$(a $(b))' <sh -c>");
  EXPECT_EQ(Sh("echo `a`"), "a <$(…)>; echo '`a`' <sh -c>");
  EXPECT_EQ(Sh("echo \"x `a \\`b\\`` y\""), "b <$(…)>; a '`b`' <$(…)>; echo 'x `a \\`b\\`` y' <sh -c>");
  EXPECT_EQ(Sh("echo \"$(a \")\")\""), "a ')' <$(…)>; echo '$(a \")\")' <sh -c>");
  EXPECT_EQ(Sh("diff <(a) >(b)"), "a <$(…)>; b <$(…)>; diff '<(a)' '>(b)' <sh -c>");
  EXPECT_EQ(Sh("echo ${x:-$(a)} ${#y} ${z/\\}/q}"), "a <$(…)>; echo '${x:-$(a)}' '${#y}' '${z/\\}/q}' <sh -c>");
  EXPECT_EQ(Sh("echo $(case x in x) a;; esac)"), "a <$(…)>; echo '$(case x in x) a;; esac)' <sh -c>");
  EXPECT_EQ(Sh("echo $( (a) )"), "a <$(…)>; echo '$( (a) )' <sh -c>");
}

TEST(ShellSyntax, HereDocuments) {
  EXPECT_EQ(Sh("cat <<EOF\n$(a)\n`b`\nEOF\nc"), "a <$(…)>; b <$(…)>; cat <sh -c>; c <sh -c>");
  EXPECT_EQ(Sh("cat <<'EOF'\n$(a)\nEOF\nc"), "cat <sh -c>; c <sh -c>");
  EXPECT_EQ(Sh("cat <<\"EOF\"\n$(a)\nEOF"), "cat <sh -c>");
  EXPECT_EQ(Sh("cat <<-EOF\n\t$(a)\n\tEOF\nc"), "a <$(…)>; cat <sh -c>; c <sh -c>");
  EXPECT_EQ(Sh("cat <<A <<B; c\nx\nA\ny\nB\nd"), "cat <sh -c>; c <sh -c>; d <sh -c>");
  EXPECT_EQ(Sh("cat <<EOF | d\nsudo id\nEOF"), "cat <sh -c>; d <sh -c>");
  EXPECT_EQ(Sh("x=$(cat <<EOF\nhi\nEOF\n); y"), "cat <$(…)>; y <sh -c>");
  EXPECT_EQ(Sh("cat <<EOF\nno end"), "cat <sh -c>");  // as bash: the body ends at the end of input
}

TEST(ShellSyntax, ShellsReadingCodeFromAHereDocumentAreParsed) {
  EXPECT_EQ(Sh("bash <<'EOF'\nmake x\nEOF"), "bash <sh -c>; make x <bash <<>");
  EXPECT_EQ(Sh("sh -s <<< 'make x'"), "sh -s <sh -c>; make x <sh <<>");
  EXPECT_EQ(Sh("python3 <<'EOF'\nsudo id\nEOF"), "python3 <sh -c>");
  EXPECT_EQ(Sh("bash x.sh <<'EOF'\nsudo id\nEOF"), "bash x.sh <sh -c>");  // the here-document is its input
}

// ---------------------------------------------------------------------------------------------------------------
// Parse errors: refused, with what and where

TEST(ShellSyntax, ParseErrorsSayWhatAndWhere) {
  EXPECT_THAT(ParseError("echo 'abc"), HasSubstr("unterminated single quote (at offset 5)"));
  EXPECT_THAT(ParseError("echo \"abc"), HasSubstr("unterminated double quote"));
  EXPECT_THAT(ParseError("echo $(a"), HasSubstr("unterminated $("));
  EXPECT_THAT(ParseError("echo `a"), HasSubstr("unterminated backquote"));
  EXPECT_THAT(ParseError("echo ${a"), HasSubstr("unterminated ${"));
  EXPECT_THAT(ParseError("echo $'a"), HasSubstr("unterminated $' quote"));
  EXPECT_THAT(ParseError("if a; then b"), HasSubstr("missing `fi`"));
  EXPECT_THAT(ParseError("while a; b; done"), HasSubstr("unexpected `done`"));
  EXPECT_THAT(ParseError("while a; do b"), HasSubstr("missing `done`"));
  EXPECT_THAT(ParseError("(a"), HasSubstr("missing `)`"));
  EXPECT_THAT(ParseError("{ a"), HasSubstr("missing `}`"));
  EXPECT_THAT(ParseError("case x in a) b;;"), HasSubstr("missing `esac`"));
  EXPECT_THAT(ParseError("[[ a"), HasSubstr("missing `]]`"));
  EXPECT_THAT(ParseError("a)"), HasSubstr("unexpected `)`"));
  EXPECT_THAT(ParseError("a ;; b"), HasSubstr("unexpected `;;`"));
  EXPECT_THAT(ParseError("&& a"), HasSubstr("expected a command"));
  EXPECT_THAT(ParseError("a &&"), HasSubstr("expected a command"));
  EXPECT_THAT(ParseError("a | | b"), HasSubstr("expected a command"));
  EXPECT_THAT(ParseError("fi"), HasSubstr("unexpected `fi`"));
  EXPECT_THAT(ParseError("a >"), HasSubstr("expected a word after `>`"));
  EXPECT_THAT(ParseError("echo (a)"), HasSubstr("unexpected `(`"));
  EXPECT_THAT(ParseError("x=(a b"), HasSubstr("unterminated array"));
}

TEST(ShellSyntax, DeepNestingIsRefusedNotFollowed) {
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "$(";
  for (int i = 0; i < 200; ++i) deep += ")";
  EXPECT_THAT(ParseError("echo " + deep), HasSubstr("nested too deeply"));
  std::string parens;
  for (int i = 0; i < 300; ++i) parens += "( ";
  EXPECT_THAT(ParseError(parens + "a" + std::string(300, ')')), HasSubstr("nested too deeply"));
  // ((((…: arithmetic, as in bash
  EXPECT_TRUE(shell::Parse(std::string(300, '(') + "1" + std::string(300, ')')).ok());
  // eval eval … and bash -c "bash -c '…'": each level is a new parse of a string.
  std::string code = "make";
  for (int i = 0; i < 200; ++i) code = "eval " + code;
  EXPECT_THAT(List({"sh", "-c", code}), HasSubstr("nested too deeply"));
}

TEST(ShellSyntax, HugeCommandLinesAreRefusedNotSlow) {
  // Distinct programs in one pipeline: each one's input sources would grow without bound.
  std::string pipeline = "a0";
  for (int i = 1; i < 2000; ++i) pipeline += " | a" + std::to_string(i);
  EXPECT_THAT(List({"sh", "-c", pipeline}), HasSubstr("too many programs feed one command"));
  std::string many;
  for (int i = 0; i < 30000; ++i) many += "a;";
  EXPECT_THAT(List({"sh", "-c", many}), HasSubstr("too many commands"));
  std::string ok;
  for (int i = 0; i < 200; ++i) ok += "a" + std::to_string(i) + " | ";
  EXPECT_THAT(List({"sh", "-c", ok + "sh"}), Not(HasSubstr("error")));
}

TEST(ShellSyntax, AnErrorInNestedCodeNamesWhereTheCodeWasGiven) {
  EXPECT_THAT(List({"bash", "-c", "echo 'x"}), HasSubstr("cannot parse the shell code given to bash -c: unterminated"));
  EXPECT_THAT(List({"sh", "-c", "eval \"echo '\""}), HasSubstr("given to eval"));
  EXPECT_EQ(Sh(""), "");
}

// ---------------------------------------------------------------------------------------------------------------
// Wrappers and shells (exec_programs.cc)

TEST(ExecCommands, WrappersRunTheCommandAfterTheirOptions) {
  EXPECT_EQ(List({"env", "-u", "X", "FOO=1", "make", "x"}), "env -u X FOO=1 make x; make x <env>");
  EXPECT_EQ(List({"env", "FOO=1", "-u", "X"}), "env FOO=1 -u X; -u X <env>");  // options end at FOO=1
  EXPECT_EQ(List({"env", "-i", "-u", "X", "--chdir=/", "A=1", "sudo"}), "env -i -u X --chdir=/ A=1 sudo; sudo <env>");
  EXPECT_EQ(List({"env", "-S", "make -C 'a b'", "x"}), "env -S 'make -C '\\''a b'\\''' x; make -C 'a b' x <env>");
  EXPECT_EQ(List({"env", "-Smake x"}), "env '-Smake x'; make x <env>");
  EXPECT_EQ(List({"env", "--", "sudo"}), "env -- sudo; sudo <env>");
  EXPECT_EQ(List({"nice", "-n", "5", "sudo"}), "nice -n 5 sudo; sudo <nice>");
  EXPECT_EQ(List({"nice", "-n5", "sudo"}), "nice -n5 sudo; sudo <nice>");
  EXPECT_EQ(List({"timeout", "-s", "KILL", "-k", "1", "5s", "sudo"}), "timeout -s KILL -k 1 5s sudo; sudo <timeout>");
  EXPECT_EQ(List({"timeout", "--signal=KILL", "5", "sudo"}), "timeout --signal=KILL 5 sudo; sudo <timeout>");
  EXPECT_EQ(List({"nohup", "sudo"}), "nohup sudo; sudo <nohup>");
  EXPECT_EQ(List({"stdbuf", "-oL", "-e", "0", "sudo"}), "stdbuf -oL -e 0 sudo; sudo <stdbuf>");
  EXPECT_EQ(List({"/usr/bin/time", "-f", "%e", "sudo"}), "/usr/bin/time -f %e sudo; sudo <time>");
  EXPECT_EQ(List({"xargs", "-0", "-n1", "-I{}", "make", "{}"}), "xargs -0 -n1 '-I{}' make '{}'; make '{}' <xargs>");
  EXPECT_EQ(List({"xargs", "-a", "f", "-P", "4", "sudo"}), "xargs -a f -P 4 sudo; sudo <xargs>");
  EXPECT_EQ(List({"busybox", "make", "x"}), "busybox make x; make x <busybox>");
  EXPECT_EQ(List({"setsid", "-f", "sudo"}), "setsid -f sudo; sudo <setsid>");
  EXPECT_EQ(List({"taskset", "-c", "0", "sudo"}), "taskset -c 0 sudo; sudo <taskset>");
  EXPECT_EQ(List({"ionice", "-c3", "sudo"}), "ionice -c3 sudo; sudo <ionice>");
  EXPECT_EQ(List({"flock", "-w", "3", "/tmp/l", "make", "x"}), "flock -w 3 /tmp/l make x; make x <flock>");
  EXPECT_EQ(List({"flock", "/tmp/l", "-c", "make x"}), "flock /tmp/l -c 'make x'; make x <flock -c>");
  EXPECT_EQ(List({"watch", "-n", "1", "make", "x"}), "watch -n 1 make x; make x <watch>");
  EXPECT_EQ(List({"watch", "-x", "make", "x"}), "watch -x make x; make x <watch -x>");
  EXPECT_EQ(List({"find", ".", "-exec", "sudo", "rm", "{}", ";", "-execdir", "a", "+"}),
            "find . -exec sudo rm '{}' ';' -execdir a +; sudo rm '{}' <find -exec>; rm '{}' <sudo>; a <find -execdir>");
  EXPECT_EQ(List({"sudo", "-u", "bob", "-E", "make"}), "sudo -u bob -E make; make <sudo>");
  EXPECT_EQ(List({"doas", "-u", "root", "make"}), "doas -u root make; make <doas>");
  EXPECT_EQ(List({"su", "-", "root", "-c", "make"}), "su - root -c make; make <su -c>");
  EXPECT_EQ(List({"runuser", "-u", "bob", "--", "make"}), "runuser -u bob -- make; make <runuser>");
  EXPECT_EQ(Sh("coproc make x"), "coproc make x <sh -c>; make x <coproc>");
  EXPECT_EQ(List({"script", "-qc", "make x", "/dev/null"}), "script -qc 'make x' /dev/null; make x <script -c>");
  EXPECT_EQ(List({"script", "--command=make x"}), "script '--command=make x'; make x <script -c>");
  EXPECT_EQ(List({"script", "log"}), "script log");
  EXPECT_EQ(List({"env", "timeout", "5", "nice", "sudo"}),
            "env timeout 5 nice sudo; timeout 5 nice sudo <env>; nice sudo <timeout>; sudo <nice>");
}

TEST(ExecCommands, WrappersWithoutACommandRunNothing) {
  EXPECT_EQ(List({"env"}), "env");
  EXPECT_EQ(List({"env", "-u", "X"}), "env -u X");
  EXPECT_EQ(List({"nice"}), "nice");
  EXPECT_EQ(List({"timeout", "5"}), "timeout 5");
  EXPECT_EQ(List({"command", "-v", "sudo"}), "command -v sudo");
  EXPECT_EQ(List({"sudo", "-l"}), "sudo -l");
  EXPECT_EQ(List({"taskset", "-p", "1"}), "taskset -p 1");
  EXPECT_EQ(List({"xargs"}), "xargs");
  EXPECT_EQ(List({"find", ".", "-name", "x"}), "find . -name x");
  EXPECT_EQ(Sh("command sudo; exec sudo; builtin eval x"), "command sudo <sh -c>; sudo <command>; exec sudo <sh -c>; "
                                                           "sudo <exec>; builtin eval x <sh -c>; eval x <builtin>; "
                                                           "x <eval>");
}

TEST(ExecCommands, ShellOptionsBeforeTheCommandString) {
  EXPECT_EQ(List({"bash", "-lc", "a"}), "bash -lc a; a <bash -c>");
  EXPECT_EQ(List({"bash", "-xc", "a"}), "bash -xc a; a <bash -c>");
  EXPECT_EQ(List({"sh", "-e", "-c", "a"}), "sh -e -c a; a <sh -c>");
  EXPECT_EQ(List({"bash", "-o", "pipefail", "-c", "a"}), "bash -o pipefail -c a; a <bash -c>");
  EXPECT_EQ(List({"bash", "-euo", "pipefail", "-c", "a", "name", "arg"}), "bash -euo pipefail -c a name arg; a <bash -c>");
  EXPECT_EQ(List({"bash", "--norc", "--rcfile", "x", "-c", "a"}), "bash --norc --rcfile x -c a; a <bash -c>");
  EXPECT_EQ(List({"/bin/dash", "-c", "a"}), "/bin/dash -c a; a <dash -c>");
  EXPECT_EQ(List({"zsh", "-c", "a"}), "zsh -c a; a <zsh -c>");
  EXPECT_EQ(List({"busybox", "sh", "-c", "a"}), "busybox sh -c a; sh -c a <busybox>; a <sh -c>");
  EXPECT_EQ(List({"bash", "script.sh", "-c", "a"}), "bash script.sh -c a");  // -c after the script is its argument
  EXPECT_EQ(List({"bash", "-c"}), "bash -c");
  EXPECT_EQ(List({"bash", "-c", "sh -c 'bash -c \"a\"'"}),
            "bash -c 'sh -c '\\''bash -c \"a\"'\\'''; sh -c 'bash -c \"a\"' <bash -c>; bash -c a <sh -c>; a <bash -c>");
}

TEST(ExecCommands, CodeGivenToEvalTrapAndAlias) {
  EXPECT_EQ(Sh("eval 'a; b'"), "eval 'a; b' <sh -c>; a <eval>; b <eval>");
  EXPECT_EQ(Sh("eval \"ma\"\"ke x\""), "eval 'make x' <sh -c>; make x <eval>");
  EXPECT_EQ(Sh("trap 'a' EXIT; trap - INT; trap '' HUP"), "trap a EXIT <sh -c>; a <trap>; trap - INT <sh -c>; "
                                                          "trap '' HUP <sh -c>");
  EXPECT_EQ(Sh("alias s='sudo -E'"), "alias 's=sudo -E' <sh -c>; sudo -E <alias>");
}

TEST(ExecCommands, StandardInputSourcesFollowPipelines) {
  Result<std::vector<ExecCommand>> r = ListCommands({"bash", "-c", "curl x | tee f | (cd /tmp && sh); wget y > f; sh f"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::vector<const ExecCommand*> shells;
  for (const ExecCommand& c : *r) {
    if (c.Program() == "sh") shells.push_back(&c);
  }
  ASSERT_EQ(shells.size(), 2u);
  EXPECT_THAT(shells[0]->stdin_from, ::testing::UnorderedElementsAre("curl", "tee"));  // not cd: it is before sh
  EXPECT_TRUE(shells[1]->stdin_from.empty());

  r = ListCommands({"bash", "-c", "sh < <(curl x); sh <<< \"$(wget y)\"; curl z | sh < file"});
  ASSERT_TRUE(r.ok());
  shells.clear();
  for (const ExecCommand& c : *r) {
    if (c.Program() == "sh") shells.push_back(&c);
  }
  ASSERT_EQ(shells.size(), 3u);
  EXPECT_EQ(shells[0]->stdin_from, std::vector<std::string>{"curl"});
  EXPECT_EQ(shells[1]->stdin_from, std::vector<std::string>{"wget"});
  EXPECT_TRUE(shells[2]->stdin_from.empty());  // the file, not the pipe

  r = ListCommands({"bash", "-c", "python3 -c \"$(curl x)\" <(wget y)"});
  ASSERT_TRUE(r.ok());
  const ExecCommand* py = Find(*r, "python3");
  ASSERT_NE(py, nullptr);
  EXPECT_EQ(py->sources[2], std::vector<std::string>{"curl"});
  EXPECT_EQ(py->sources[3], std::vector<std::string>{"wget"});
}

TEST(ExecPrograms, BaseNames) {
  EXPECT_EQ(programs::BaseName("/usr/bin/sudo"), "sudo");
  EXPECT_EQ(programs::BaseName("./sudo"), "sudo");
  EXPECT_EQ(programs::BaseName("../bin/sudo"), "sudo");
  EXPECT_EQ(programs::BaseName("sudo"), "sudo");
  EXPECT_EQ(programs::BaseName("bin/"), "bin");
  EXPECT_EQ(programs::BaseName("/"), "/");
  EXPECT_EQ(programs::BaseName(""), "");
}

TEST(ExecPrograms, WhereInterpretersReadTheirCode) {
  using programs::FindScript;
  using programs::ScriptFrom;
  auto from = [](std::vector<std::string> w) { return FindScript(w).from; };
  auto words = [](std::vector<std::string> w) { return FindScript(w).words; };
  EXPECT_EQ(from({"sh"}), ScriptFrom::kStdin);
  EXPECT_EQ(from({"bash", "-s", "--", "x"}), ScriptFrom::kStdin);
  EXPECT_EQ(from({"bash", "-"}), ScriptFrom::kStdin);
  EXPECT_EQ(from({"bash", "-", "x"}), ScriptFrom::kFile);  // "-" only ends the options
  EXPECT_EQ(from({"bash", "-x", "s.sh"}), ScriptFrom::kFile);
  EXPECT_EQ(words({"bash", "-e", "-c", "code", "n"}), std::vector<size_t>{3});
  EXPECT_EQ(from({"python3"}), ScriptFrom::kStdin);
  EXPECT_EQ(from({"python3", "-"}), ScriptFrom::kStdin);
  EXPECT_EQ(from({"python3", "-u", "x.py"}), ScriptFrom::kFile);
  EXPECT_EQ(from({"python3", "-m", "json.tool"}), ScriptFrom::kModule);
  EXPECT_EQ(from({"python3", "-mjson.tool"}), ScriptFrom::kModule);
  EXPECT_EQ(words({"python3", "-Bc", "code", "-"}), std::vector<size_t>{2});
  EXPECT_EQ(words({"python3", "-W", "ignore", "-c", "code"}), std::vector<size_t>{4});
  EXPECT_EQ(words({"perl", "-lne", "print"}), std::vector<size_t>{2});
  EXPECT_EQ(words({"perl", "-pi.bak", "-e", "s/a/b/", "f"}), std::vector<size_t>{3});
  EXPECT_EQ(from({"perl"}), ScriptFrom::kStdin);
  EXPECT_EQ(words({"ruby", "-r", "json", "-e", "p 1"}), std::vector<size_t>{4});
  EXPECT_EQ(words({"node", "--eval", "x"}), std::vector<size_t>{2});
  EXPECT_EQ(words({"node", "--eval=x"}), std::vector<size_t>{1});
  EXPECT_EQ(words({"node", "-p", "x"}), std::vector<size_t>{2});
  EXPECT_EQ(from({"node", "-r", "ts-node/register", "x.ts"}), ScriptFrom::kFile);
  EXPECT_EQ(from({"node"}), ScriptFrom::kStdin);
  EXPECT_EQ(from({"source", "f"}), ScriptFrom::kFile);
  EXPECT_EQ(from({"source"}), ScriptFrom::kNone);
  EXPECT_EQ(words({"eval", "a", "b"}), (std::vector<size_t>{1, 2}));
  EXPECT_EQ(from({"lua"}), ScriptFrom::kStdin);  // unknown interpreters: read generically
  EXPECT_EQ(from({"lua", "x.lua"}), ScriptFrom::kFile);
  EXPECT_EQ(from({"lua", "-e", "x"}), ScriptFrom::kArgument);
}

TEST(ExecPrograms, GitGlobalOptionsAreSkippedForRules) {
  using programs::RuleArguments;
  EXPECT_EQ(RuleArguments({"git", "push", "-f"}), (std::vector<std::string>{"push", "-f"}));
  EXPECT_EQ(RuleArguments({"git", "-C", "r", "-c", "a=b", "--no-pager", "--git-dir=x", "--work-tree", "w", "push"}),
            std::vector<std::string>{"push"});
  EXPECT_EQ(RuleArguments({"/usr/bin/git", "-P", "push"}), std::vector<std::string>{"push"});
  EXPECT_EQ(RuleArguments({"git", "--", "push"}), std::vector<std::string>{"push"});  // git refuses `--` itself
  EXPECT_EQ(RuleArguments({"make", "-C", "dir"}), (std::vector<std::string>{"-C", "dir"}));
  EXPECT_TRUE(RuleArguments({"git"}).empty());
}

}  // namespace
}  // namespace cordon::policy
