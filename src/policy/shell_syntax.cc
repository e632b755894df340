#include "policy/shell_syntax.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>
#include <optional>

namespace cordon::policy::shell {
namespace {

bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
// The characters that end an unquoted word.
bool IsMeta(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '<' || c == '>' || c == '(' ||
         c == ')';
}

// Longest first, so that "<<-" is not read as "<<" then "-".
constexpr std::array<std::string_view, 23> kOperators = {";;&", "<<<", "<<-", "&>>", "&&", "||", ";;", ";&",
                                                          "|&",  "&>",  "<<",  "<>",  "<&", ">>", ">&", ">|",
                                                          ";",   "&",   "|",   "(",   ")",  "<",  ">"};

bool IsRedirectOp(std::string_view op) {
  for (std::string_view r : {"<", ">", ">>", ">|", "<>", "<&", ">&", "<<", "<<-", "<<<", "&>", "&>>"}) {
    if (op == r) return true;
  }
  return false;
}

enum class TokKind { kEnd, kWord, kOp, kNewline };

struct Token {
  TokKind kind = TokKind::kEnd;
  std::string op;      // kOp
  int fd = -1;         // kOp: the descriptor written before a redirection ("2>")
  Word word;           // kWord
  std::string unquoted;  // kWord: '1' for each character of word.text that came from unquoted literal text
  bool plain = false;  // kWord: no quoting, escapes or expansions at all, so it may be a reserved word
  size_t pos = 0;
};

// Where a list ends: at one of these reserved words (in command position) or operators.
struct Stop {
  std::initializer_list<std::string_view> words;
  std::initializer_list<std::string_view> ops;
};

struct PendingHereDoc {
  std::string delimiter;
  bool strip_tabs = false;
  bool quoted = false;
  std::shared_ptr<Word> body;
};

class Parser {
 public:
  Parser(std::string_view src, int depth, size_t base) : s_(src), depth_(depth), base_(base) {}

  Result<CommandList> ParseScript() {
    CommandList list = ParseList(Stop{});
    if (!failed_ && Peek().kind != TokKind::kEnd) Fail(Peek().pos, "unexpected " + Describe(Peek()));
    if (failed_) return MakeError(error_);
    return list;
  }

  // A here-document body whose delimiter was not quoted: expansions and \$ \` \\ escapes, as in double quotes.
  Result<Word> HereDocBody() {
    Word w;
    std::string unquoted;
    LexDouble(w, unquoted, /*here_doc=*/true);
    if (failed_) return MakeError(error_);
    return w;
  }

 private:
  // ---- errors ---------------------------------------------------------------------------------------------

  void Fail(size_t pos, const std::string& what) {
    if (failed_) return;
    failed_ = true;
    error_ = what + " (at offset " + std::to_string(base_ + pos) + ")";
  }
  void FailWith(const Error& e) {
    if (failed_) return;
    failed_ = true;
    error_ = e.message;
  }
  bool Enter(size_t pos) {
    if (++depth_ <= kMaxDepth) return true;
    Fail(pos, "nested too deeply");
    return false;
  }
  void Leave() { --depth_; }

  static std::string Describe(const Token& t) {
    switch (t.kind) {
      case TokKind::kEnd: return "end of input";
      case TokKind::kNewline: return "newline";
      case TokKind::kOp: return "`" + t.op + "`";
      case TokKind::kWord: return "`" + t.word.text + "`";
    }
    return "?";
  }

  // ---- lexer ------------------------------------------------------------------------------------------------

  const Token& Peek() {
    if (!peeked_) {
      Token t = Lex();  // may parse substitutions, which use peeked_ themselves and leave it empty
      peeked_ = std::move(t);
    }
    return *peeked_;
  }
  Token Next() {
    Peek();
    Token t = std::move(*peeked_);
    peeked_.reset();
    return t;
  }
  static bool IsWord(const Token& t, std::string_view w) {
    return t.kind == TokKind::kWord && t.plain && t.word.text == w;
  }
  static bool IsOp(const Token& t, std::string_view op) { return t.kind == TokKind::kOp && t.op == op; }
  static bool IsStop(const Token& t, const Stop& stop) {
    if (t.kind == TokKind::kWord && t.plain) {
      return std::find(stop.words.begin(), stop.words.end(), t.word.text) != stop.words.end();
    }
    return t.kind == TokKind::kOp && std::find(stop.ops.begin(), stop.ops.end(), t.op) != stop.ops.end();
  }

  char At(size_t i) const { return i < s_.size() ? s_[i] : '\0'; }

  void SkipBlanks() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == ' ' || c == '\t') {
        ++pos_;
      } else if (c == '\\' && At(pos_ + 1) == '\n') {
        pos_ += 2;
      } else if (c == '#') {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
  }

  Token Lex() {
    Token t;
    if (failed_) return t;
    SkipBlanks();
    t.pos = pos_;
    if (pos_ >= s_.size()) return t;
    char c = s_[pos_];
    if (c == '\n') {
      ++pos_;
      t.kind = TokKind::kNewline;
      ReadHereDocs();
      return t;
    }
    size_t d = pos_;
    while (d < s_.size() && std::isdigit(static_cast<unsigned char>(s_[d]))) ++d;
    if (d > pos_ && d - pos_ <= 9 && (At(d) == '<' || At(d) == '>') && At(d + 1) != '(') {
      t.fd = std::stoi(std::string(s_.substr(pos_, d - pos_)));
      pos_ = d;
      LexOperator(t);
      return t;
    }
    if ((c == '<' || c == '>') && At(pos_ + 1) == '(') {
      LexWord(t);
      return t;
    }
    if (IsMeta(c)) {
      LexOperator(t);
      return t;
    }
    LexWord(t);
    return t;
  }

  void LexOperator(Token& t) {
    t.kind = TokKind::kOp;
    for (std::string_view op : kOperators) {
      if (s_.substr(pos_, op.size()) == op) {
        t.op = op;
        pos_ += op.size();
        return;
      }
    }
    Fail(pos_, "unexpected character");  // not reached: every meta character starts an operator
  }

  static void Put(Word& w, std::string& unquoted, char c, bool literal) {
    w.text.push_back(c);
    unquoted.push_back(literal ? '1' : '0');
  }
  void PutRaw(Word& w, std::string& unquoted, size_t from) {
    w.text.append(s_.substr(from, pos_ - from));
    unquoted.append(pos_ - from, '0');
    w.dynamic = true;
    w.literal_from = w.text.size();
  }

  void LexWord(Token& t) {
    t.kind = TokKind::kWord;
    Word& w = t.word;
    std::string& unq = t.unquoted;
    const size_t start = pos_;
    bool plain = true;
    while (pos_ < s_.size() && !failed_) {
      char c = s_[pos_];
      if ((c == '<' || c == '>') && pos_ == start && At(pos_ + 1) == '(') {
        plain = false;
        pos_ += 2;
        CommandList inner = ParseNested(start, "unterminated process substitution");
        w.substitutions.push_back(std::move(inner));
        PutRaw(w, unq, start);
        continue;
      }
      if (IsMeta(c)) break;
      if (c == '\\') {
        plain = false;
        w.quoted = true;
        if (pos_ + 1 >= s_.size()) {
          Put(w, unq, '\\', false);
          ++pos_;
        } else if (s_[pos_ + 1] == '\n') {
          pos_ += 2;  // a line continuation
        } else {
          Put(w, unq, s_[pos_ + 1], false);
          pos_ += 2;
        }
        continue;
      }
      if (c == '\'') {
        plain = false;
        w.quoted = true;
        LexSingle(w, unq);
        continue;
      }
      if (c == '"') {
        plain = false;
        w.quoted = true;
        ++pos_;
        LexDouble(w, unq, /*here_doc=*/false);
        continue;
      }
      if (c == '`') {
        plain = false;
        LexBackquote(w, unq, /*in_double=*/false);
        continue;
      }
      if (c == '$') {
        if (LexDollar(w, unq, /*in_double=*/false)) plain = false;
        continue;
      }
      Put(w, unq, c, true);
      ++pos_;
    }
    t.plain = plain;
    MarkGlobs(w, unq);
  }

  // Unquoted *, ?, [..] and {a,b} / {1..3} make the word's value depend on the shell (files, expansion).
  static void MarkGlobs(Word& w, const std::string& unq) {
    const std::string& t = w.text;
    size_t bracket = std::string::npos, brace = std::string::npos;
    bool brace_list = false;
    auto dynamic_to = [&w](size_t end) {
      w.dynamic = true;
      w.literal_from = std::max(w.literal_from, end);
    };
    for (size_t i = 0; i < t.size(); ++i) {
      if (unq[i] != '1') continue;
      char c = t[i];
      if (c == '*' || c == '?') {
        dynamic_to(i + 1);
      } else if (c == '[') {
        bracket = i;
      } else if (c == ']' && bracket != std::string::npos && i > bracket + 1) {
        dynamic_to(i + 1);
      } else if (c == '{') {
        brace = i;
        brace_list = false;
      } else if (brace != std::string::npos && (c == ',' || (c == '.' && i + 1 < t.size() && t[i + 1] == '.'))) {
        brace_list = true;
      } else if (c == '}' && brace != std::string::npos && brace_list) {
        dynamic_to(i + 1);
      }
    }
  }

  void LexSingle(Word& w, std::string& unq) {
    size_t close = s_.find('\'', pos_ + 1);
    if (close == std::string_view::npos) return Fail(pos_, "unterminated single quote");
    for (size_t i = pos_ + 1; i < close; ++i) Put(w, unq, s_[i], false);
    pos_ = close + 1;
  }

  // After the opening quote (or over a whole here-document body). Backslash escapes only $ ` \ newline (and "
  // inside double quotes).
  void LexDouble(Word& w, std::string& unq, bool here_doc) {
    const size_t start = pos_ == 0 ? 0 : pos_ - 1;
    while (!failed_) {
      if (pos_ >= s_.size()) {
        if (!here_doc) Fail(start, "unterminated double quote");
        return;
      }
      char c = s_[pos_];
      if (c == '"' && !here_doc) {
        ++pos_;
        return;
      }
      if (c == '\\' && pos_ + 1 < s_.size()) {
        char n = s_[pos_ + 1];
        if (n == '\n') {
          pos_ += 2;
          continue;
        }
        if (n == '$' || n == '`' || n == '\\' || (n == '"' && !here_doc)) {
          Put(w, unq, n, false);
          pos_ += 2;
          continue;
        }
      }
      if (c == '`') {
        LexBackquote(w, unq, /*in_double=*/true);
        continue;
      }
      if (c == '$') {
        LexDollar(w, unq, /*in_double=*/true);
        continue;
      }
      Put(w, unq, c, false);
      ++pos_;
    }
  }

  // At a '$'. Returns false when it is a plain dollar sign.
  bool LexDollar(Word& w, std::string& unq, bool in_double) {
    const size_t start = pos_;
    const char n = At(pos_ + 1);
    if (n == '(' && At(pos_ + 2) == '(') {  // $(( arithmetic )), which may hold $( ) inside
      if (!Enter(start)) return true;
      pos_ += 3;
      ScanNested(w, '(', ')', 2, start);
      Leave();
      PutRaw(w, unq, start);
      return true;
    }
    if (n == '(') {
      pos_ += 2;
      CommandList inner = ParseNested(start, "unterminated $(");
      w.substitutions.push_back(std::move(inner));
      PutRaw(w, unq, start);
      return true;
    }
    if (n == '{') {
      if (!Enter(start)) return true;
      pos_ += 2;
      ScanNested(w, '{', '}', 1, start);
      Leave();
      PutRaw(w, unq, start);
      return true;
    }
    if (n == '\'' && !in_double) {
      pos_ += 2;
      w.quoted = true;
      LexAnsiC(w, unq, start);
      return true;
    }
    if (n == '"' && !in_double) {  // $"…": a translated string, otherwise double quotes
      pos_ += 2;
      w.quoted = true;
      LexDouble(w, unq, /*here_doc=*/false);
      return true;
    }
    if (IsNameStart(n)) {
      pos_ += 2;
      while (pos_ < s_.size() && IsNameChar(s_[pos_])) ++pos_;
      PutRaw(w, unq, start);
      return true;
    }
    if (n != '\0' && (std::isdigit(static_cast<unsigned char>(n)) || std::string_view("@*#?-$!").find(n) != std::string_view::npos)) {
      pos_ += 2;
      PutRaw(w, unq, start);
      return true;
    }
    Put(w, unq, '$', !in_double);
    ++pos_;
    return false;
  }

  // $'…' with the escapes bash knows; the result is literal text.
  void LexAnsiC(Word& w, std::string& unq, size_t start) {
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    while (true) {
      if (pos_ >= s_.size()) return Fail(start, "unterminated $' quote");
      char c = s_[pos_++];
      if (c == '\'') return;
      if (c != '\\' || pos_ >= s_.size()) {
        Put(w, unq, c, false);
        continue;
      }
      char e = s_[pos_++];
      uint32_t v = 0;
      int digits = 0;
      switch (e) {
        case 'n': v = '\n'; break;
        case 't': v = '\t'; break;
        case 'r': v = '\r'; break;
        case 'a': v = '\a'; break;
        case 'b': v = '\b'; break;
        case 'f': v = '\f'; break;
        case 'v': v = '\v'; break;
        case 'e': case 'E': v = 0x1b; break;
        case 'c': v = pos_ < s_.size() ? (s_[pos_++] & 0x1f) : 'c'; break;
        case 'x': case 'u': case 'U': {
          int max = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          while (digits < max && pos_ < s_.size() && hex(s_[pos_]) >= 0) v = v * 16 + hex(s_[pos_++]), ++digits;
          if (digits == 0) {
            Put(w, unq, '\\', false);
            v = static_cast<unsigned char>(e);
          }
          break;
        }
        default:
          if (e >= '0' && e <= '7') {
            v = e - '0';
            while (++digits < 3 && pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '7') v = v * 8 + (s_[pos_++] - '0');
            v &= 0xff;
          } else if (e == '\\' || e == '\'' || e == '"' || e == '?') {
            v = static_cast<unsigned char>(e);
          } else {
            Put(w, unq, '\\', false);
            v = static_cast<unsigned char>(e);
          }
      }
      AppendCodePoint(w, unq, (e == 'u' || e == 'U') && digits > 0, v);
    }
  }
  static void AppendCodePoint(Word& w, std::string& unq, bool unicode, uint32_t v) {
    if (!unicode || v < 0x80) return Put(w, unq, static_cast<char>(v), false);
    auto put = [&](uint32_t b) { Put(w, unq, static_cast<char>(b), false); };
    if (v < 0x800) {
      put(0xC0 | (v >> 6));
    } else if (v < 0x10000) {
      put(0xE0 | (v >> 12));
      put(0x80 | ((v >> 6) & 0x3F));
    } else {
      put(0xF0 | ((v >> 18) & 0x07));
      put(0x80 | ((v >> 12) & 0x3F));
      put(0x80 | ((v >> 6) & 0x3F));
    }
    put(0x80 | (v & 0x3F));
  }

  // `…`: the text up to the closing backquote, with \` \\ \$ (and \" inside double quotes) unescaped, is parsed
  // as a script of its own.
  void LexBackquote(Word& w, std::string& unq, bool in_double) {
    const size_t start = pos_++;
    std::string inner;
    while (true) {
      if (pos_ >= s_.size()) return Fail(start, "unterminated backquote");
      char c = s_[pos_];
      if (c == '`') {
        ++pos_;
        break;
      }
      if (c == '\\' && pos_ + 1 < s_.size()) {
        char n = s_[pos_ + 1];
        if (n == '`' || n == '\\' || n == '$' || (in_double && n == '"')) {
          inner.push_back(n);
          pos_ += 2;
          continue;
        }
      }
      inner.push_back(c);
      ++pos_;
    }
    if (depth_ + 1 > kMaxDepth) return Fail(start, "nested too deeply");
    Result<CommandList> sub = Parser(inner, depth_ + 1, base_ + start + 1).ParseScript();
    if (!sub.ok()) return FailWith(sub.error());
    w.substitutions.push_back(std::move(sub).value());
    PutRaw(w, unq, start);
  }

  // $( … ) and <( … ): a list up to the matching ')', parsed in place. pos_ is just after the '('.
  CommandList ParseNested(size_t start, const char* unterminated) {
    CommandList inner;
    if (!Enter(start)) return inner;
    inner = ParseList(Stop{{}, {")"}});
    Token close = Next();
    if (!IsOp(close, ")")) Fail(start, unterminated);
    Leave();
    return inner;
  }

  // ${…} and ((…)): skipped to the matching `close`, but substitutions inside are parsed (${x:-$(id)} runs id).
  void ScanNested(Word& w, char open, char close, int depth, size_t start) {
    while (depth > 0 && !failed_) {
      if (pos_ >= s_.size()) return Fail(start, open == '{' ? "unterminated ${" : "unterminated ((");
      char c = s_[pos_];
      Word scratch;
      std::string scratch_unq;
      if (c == '\\') {
        pos_ += 2;
        continue;
      }
      if (c == '\'') {
        size_t q = s_.find('\'', pos_ + 1);
        if (q == std::string_view::npos) return Fail(pos_, "unterminated single quote");
        pos_ = q + 1;
        continue;
      }
      if (c == '"') {
        ++pos_;
        LexDouble(scratch, scratch_unq, /*here_doc=*/false);
      } else if (c == '`') {
        LexBackquote(scratch, scratch_unq, /*in_double=*/false);
      } else if (c == '$' && (At(pos_ + 1) == '(' || At(pos_ + 1) == '{')) {
        LexDollar(scratch, scratch_unq, /*in_double=*/false);
      } else {
        if (c == open) ++depth;
        if (c == close) --depth;
        ++pos_;
        continue;
      }
      for (CommandList& l : scratch.substitutions) w.substitutions.push_back(std::move(l));
    }
  }

  void ReadHereDocs() {
    std::vector<PendingHereDoc> pending = std::move(pending_);
    pending_.clear();
    for (PendingHereDoc& p : pending) {
      const size_t body_start = pos_;
      std::string raw;
      while (pos_ < s_.size()) {  // a missing delimiter ends the body at the end of input, as in bash
        size_t eol = s_.find('\n', pos_);
        size_t end = eol == std::string_view::npos ? s_.size() : eol;
        std::string_view line = s_.substr(pos_, end - pos_);
        pos_ = eol == std::string_view::npos ? s_.size() : eol + 1;
        if (p.strip_tabs) {
          while (!line.empty() && line.front() == '\t') line.remove_prefix(1);
        }
        if (line == p.delimiter) break;
        raw.append(line);
        raw.push_back('\n');
      }
      if (p.quoted) {
        p.body->text = raw;
        p.body->quoted = true;
        continue;
      }
      if (depth_ + 1 > kMaxDepth) return Fail(body_start, "nested too deeply");
      Result<Word> body = Parser(raw, depth_ + 1, base_ + body_start).HereDocBody();
      if (!body.ok()) return FailWith(body.error());
      *p.body = std::move(body).value();
    }
  }

  // ---- parser -----------------------------------------------------------------------------------------------

  void SkipNewlines() {
    while (!failed_ && Peek().kind == TokKind::kNewline) Next();
  }

  void Expect(std::string_view word) {
    Token t = Next();
    if (IsWord(t, word)) return;
    Fail(t.pos, "missing `" + std::string(word) + "`" + (t.kind == TokKind::kEnd ? "" : " before " + Describe(t)));
  }
  void ExpectOp(std::string_view op) {
    Token t = Next();
    if (IsOp(t, op)) return;
    Fail(t.pos, "missing `" + std::string(op) + "`" + (t.kind == TokKind::kEnd ? "" : " before " + Describe(t)));
  }

  CommandList ParseList(const Stop& stop) {
    CommandList list;
    if (!Enter(pos_)) return list;
    bool need_command = false;
    while (!failed_) {
      SkipNewlines();
      const Token& t = Peek();
      if (t.kind == TokKind::kEnd || IsStop(t, stop)) {
        if (need_command) Fail(t.pos, "expected a command before " + Describe(t));
        break;
      }
      list.pipelines.push_back(ParsePipeline());
      need_command = false;
      if (failed_) break;
      const Token& sep = Peek();
      if (IsOp(sep, ";") || IsOp(sep, "&")) {
        Next();
      } else if (IsOp(sep, "&&") || IsOp(sep, "||")) {
        Next();
        need_command = true;
      } else if (sep.kind == TokKind::kNewline || sep.kind == TokKind::kEnd || IsStop(sep, stop)) {
        continue;
      } else {
        Fail(sep.pos, "unexpected " + Describe(sep));
      }
    }
    Leave();
    return list;
  }

  Pipeline ParsePipeline() {
    Pipeline p;
    // `!` and the `time` keyword (with -p) only change statuses and reports.
    while (!failed_ && (IsWord(Peek(), "!") || IsWord(Peek(), "time"))) {
      bool time = IsWord(Peek(), "time");
      Next();
      if (time && IsWord(Peek(), "-p")) Next();
    }
    p.commands.push_back(ParseCommand());
    while (!failed_ && (IsOp(Peek(), "|") || IsOp(Peek(), "|&"))) {
      Next();
      SkipNewlines();
      p.commands.push_back(ParseCommand());
    }
    return p;
  }

  Command ParseCommand() {
    const Token& t = Peek();
    Command c;
    if (t.kind == TokKind::kWord && t.plain) {
      const std::string& w = t.word.text;
      if (w == "if") {
        c = ParseIf();
      } else if (w == "while" || w == "until") {
        c = ParseWhile();
      } else if (w == "for" || w == "select") {
        c = ParseFor();
      } else if (w == "case") {
        c = ParseCase();
      } else if (w == "{") {
        Next();
        c.compound = true;
        c.bodies.push_back(ParseList(Stop{{"}"}, {}}));
        Expect("}");
      } else if (w == "function") {
        return ParseFunction();
      } else if (w == "[[") {
        c = ParseConditional();
      } else if (w == "then" || w == "fi" || w == "do" || w == "done" || w == "else" || w == "elif" ||
                 w == "esac" || w == "}" || w == "]]") {
        Fail(t.pos, "unexpected `" + w + "`");
        return c;
      } else {
        return ParseSimple();
      }
    } else if (IsOp(t, "(")) {
      Token open = Next();
      c.compound = true;
      if (pos_ == open.pos + 1 && At(pos_) == '(') {  // (( arithmetic ))
        Word w;
        if (Enter(open.pos)) {
          ScanNested(w, '(', ')', 1, open.pos);
          Leave();
        }
        c.words.push_back(std::move(w));
      } else {
        c.bodies.push_back(ParseList(Stop{{}, {")"}}));
        ExpectOp(")");
      }
    } else if (t.kind == TokKind::kWord || (t.kind == TokKind::kOp && IsRedirectOp(t.op))) {
      return ParseSimple();
    } else {
      Fail(t.pos, "expected a command, found " + Describe(t));
      return c;
    }
    while (!failed_ && Peek().kind == TokKind::kOp && IsRedirectOp(Peek().op)) ParseRedirect(c);
    return c;
  }

  Command ParseSimple() {
    Command c;
    while (!failed_) {
      const Token& t = Peek();
      if (t.kind == TokKind::kOp && IsRedirectOp(t.op)) {
        ParseRedirect(c);
        continue;
      }
      if (t.kind != TokKind::kWord) break;
      Token w = Next();
      if (c.words.empty() && IsAssignment(w)) {
        const bool array = w.word.text.back() == '=' && IsOp(Peek(), "(");
        c.assignments.push_back(std::move(w.word));
        if (array) ParseArrayValues(c);
        continue;
      }
      c.words.push_back(std::move(w.word));
      if (c.words.size() == 1 && c.assignments.empty() && c.redirects.empty() && IsOp(Peek(), "(")) {
        return ParseFunctionBody(std::move(c.words[0].text));
      }
    }
    if (!failed_ && c.words.empty() && c.assignments.empty() && c.redirects.empty()) {
      Fail(Peek().pos, "expected a command, found " + Describe(Peek()));
    }
    return c;
  }

  static bool IsAssignment(const Token& t) {
    const std::string& s = t.word.text;
    const std::string& unq = t.unquoted;
    if (s.empty() || !IsNameStart(s[0]) || unq[0] != '1') return false;
    size_t i = 0;
    while (i < s.size() && IsNameChar(s[i]) && unq[i] == '1') ++i;
    if (i < s.size() && s[i] == '[') {
      size_t close = s.find(']', i);
      if (close == std::string::npos) return false;
      i = close + 1;
    }
    if (i < s.size() && s[i] == '+' && unq[i] == '1') ++i;
    return i < s.size() && s[i] == '=' && unq[i] == '1';
  }

  // a=(one two "three"): the values are words, kept for the substitutions inside them.
  void ParseArrayValues(Command& c) {
    Token open = Next();
    while (!failed_) {
      SkipNewlines();
      const Token& t = Peek();
      if (IsOp(t, ")")) {
        Next();
        return;
      }
      if (t.kind != TokKind::kWord) return Fail(open.pos, "unterminated array assignment");
      c.assignments.push_back(Next().word);
    }
  }

  void ParseRedirect(Command& c) {
    Token op = Next();
    Token target = Next();
    if (target.kind != TokKind::kWord) return Fail(op.pos, "expected a word after `" + op.op + "`");
    Redirect r;
    r.op = op.op;
    r.fd = op.fd >= 0 ? op.fd : (op.op[0] == '<' ? 0 : 1);
    r.target = std::move(target.word);
    if (r.op == "<<" || r.op == "<<-") {
      r.here_doc = std::make_shared<Word>();
      pending_.push_back({r.target.text, r.op == "<<-", r.target.quoted, r.here_doc});
    }
    c.redirects.push_back(std::move(r));
  }

  Command ParseIf() {
    Next();
    Command c;
    c.compound = true;
    c.bodies.push_back(ParseList(Stop{{"then"}, {}}));
    Expect("then");
    c.bodies.push_back(ParseList(Stop{{"elif", "else", "fi"}, {}}));
    while (!failed_) {
      if (IsWord(Peek(), "elif")) {
        Next();
        c.bodies.push_back(ParseList(Stop{{"then"}, {}}));
        Expect("then");
        c.bodies.push_back(ParseList(Stop{{"elif", "else", "fi"}, {}}));
        continue;
      }
      if (IsWord(Peek(), "else")) {
        Next();
        c.bodies.push_back(ParseList(Stop{{"fi"}, {}}));
      }
      Expect("fi");
      break;
    }
    return c;
  }

  Command ParseWhile() {
    Next();
    Command c;
    c.compound = true;
    c.bodies.push_back(ParseList(Stop{{"do"}, {}}));
    Expect("do");
    c.bodies.push_back(ParseList(Stop{{"done"}, {}}));
    Expect("done");
    return c;
  }

  Command ParseFor() {
    Next();
    Command c;
    c.compound = true;
    if (IsOp(Peek(), "(")) {  // for (( init; test; step ))
      Token open = Next();
      if (pos_ != open.pos + 1 || At(pos_) != '(') {
        Fail(open.pos, "unexpected `(`");
        return c;
      }
      Word w;
      if (Enter(open.pos)) {
        ScanNested(w, '(', ')', 1, open.pos);
        Leave();
      }
      c.words.push_back(std::move(w));
    } else {
      Token name = Next();
      if (name.kind != TokKind::kWord) {
        Fail(name.pos, "expected a variable name after `for`");
        return c;
      }
      SkipNewlines();
      if (IsWord(Peek(), "in")) {
        Next();
        while (!failed_ && Peek().kind == TokKind::kWord) c.words.push_back(Next().word);
      }
    }
    if (IsOp(Peek(), ";")) Next();
    SkipNewlines();
    if (IsWord(Peek(), "{")) {  // bash also takes `for x in a; { …; }`
      CommandList body;
      body.pipelines.push_back(Pipeline{{ParseCommand()}});
      c.bodies.push_back(std::move(body));
      return c;
    }
    Expect("do");
    c.bodies.push_back(ParseList(Stop{{"done"}, {}}));
    Expect("done");
    return c;
  }

  Command ParseCase() {
    Token kw = Next();
    Command c;
    c.compound = true;
    Token subject = Next();
    if (subject.kind != TokKind::kWord) {
      Fail(kw.pos, "expected a word after `case`");
      return c;
    }
    c.words.push_back(std::move(subject.word));
    SkipNewlines();
    Expect("in");
    while (!failed_) {
      SkipNewlines();
      if (IsWord(Peek(), "esac")) {
        Next();
        break;
      }
      if (Peek().kind == TokKind::kEnd) {
        Fail(kw.pos, "missing `esac`");
        break;
      }
      if (IsOp(Peek(), "(")) Next();
      while (!failed_) {
        Token pattern = Next();
        if (pattern.kind != TokKind::kWord) {
          Fail(pattern.pos, "expected a case pattern, found " + Describe(pattern));
          break;
        }
        c.words.push_back(std::move(pattern.word));
        if (IsOp(Peek(), "|")) {
          Next();
          continue;
        }
        ExpectOp(")");
        break;
      }
      c.bodies.push_back(ParseList(Stop{{"esac"}, {";;", ";&", ";;&"}}));
      if (IsOp(Peek(), ";;") || IsOp(Peek(), ";&") || IsOp(Peek(), ";;&")) Next();
    }
    return c;
  }

  // [[ … ]]: operands are words, not commands; && || ( ) < > inside are part of the test.
  Command ParseConditional() {
    Token open = Next();
    Command c;
    c.compound = true;
    while (!failed_) {
      Token t = Next();
      if (t.kind == TokKind::kEnd) {
        Fail(open.pos, "missing `]]`");
        break;
      }
      if (IsWord(t, "]]")) break;
      if (t.kind == TokKind::kWord) c.words.push_back(std::move(t.word));
    }
    return c;
  }

  Command ParseFunction() {
    Token kw = Next();
    Token name = Next();
    if (name.kind != TokKind::kWord) {
      Fail(kw.pos, "expected a function name after `function`");
      return {};
    }
    if (!IsOp(Peek(), "(")) {
      SkipNewlines();
      return FunctionOf(std::move(name.word.text), ParseCommand());
    }
    return ParseFunctionBody(std::move(name.word.text));
  }

  // At the "(" of "name ( )": the body is the compound command that follows.
  Command ParseFunctionBody(std::string name) {
    Token open = Next();
    if (!IsOp(Next(), ")")) {
      Fail(open.pos, "unexpected `(`");
      return {};
    }
    SkipNewlines();
    return FunctionOf(std::move(name), ParseCommand());
  }

  static Command FunctionOf(std::string name, Command body) {
    Command def;
    def.compound = true;
    def.function_name = std::move(name);
    CommandList list;
    list.pipelines.push_back(Pipeline{{std::move(body)}});
    def.bodies.push_back(std::move(list));
    return def;
  }

  std::string_view s_;
  size_t pos_ = 0;
  int depth_;
  size_t base_;  // offset of s_ in the text the user wrote, for messages
  std::optional<Token> peeked_;
  std::vector<PendingHereDoc> pending_;
  bool failed_ = false;
  std::string error_;
};

}  // namespace

Result<CommandList> Parse(std::string_view script) { return Parser(script, 0, 0).ParseScript(); }

}  // namespace cordon::policy::shell
