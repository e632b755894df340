#include "policy/exec_commands.h"

#include <algorithm>
#include <optional>
#include <set>

#include "policy/exec_programs.h"
#include "policy/shell_syntax.h"

namespace cordon::policy {
namespace {

// Bounds on what one command line may hold, so that a crafted one cannot make the check itself slow or big
// (a pipeline of many distinct programs would otherwise cost quadratic memory). Far beyond real commands;
// beyond them the command is refused.
constexpr size_t kMaxCommands = 20000;
constexpr size_t kMaxSources = 256;

class Walker {
 public:
  Status Argv(const std::vector<std::string>& argv) {
    ExecCommand c;
    c.words = argv;
    c.dynamic.assign(argv.size(), false);  // exec'd as given: no shell expands them
    c.sources.assign(argv.size(), {});
    Command(std::move(c), nullptr, 0);
    if (error_) return MakeError(*error_);
    return {};
  }
  std::vector<ExecCommand> Take() { return std::move(out_); }

 private:
  void AddAll(std::vector<std::string>& to, const std::vector<std::string>& from) {
    for (const std::string& s : from) {
      if (std::find(to.begin(), to.end(), s) != to.end()) continue;
      if (to.size() >= kMaxSources) {
        if (!error_) error_ = "too many programs feed one command to check";
        return;
      }
      to.push_back(s);
    }
  }

  bool Deeper(int depth) {
    if (depth <= shell::kMaxDepth) return true;
    if (!error_) error_ = "commands nested too deeply";
    return false;
  }

  // What the commands listed since `mark` may write: their programs, and whatever reached their input.
  std::vector<std::string> OutputsSince(size_t mark) {
    std::vector<std::string> names;
    for (size_t i = mark; i < out_.size(); ++i) {
      AddAll(names, {out_[i].Program()});
      AddAll(names, out_[i].stdin_from);
    }
    return names;
  }

  void List(const shell::CommandList& list, const std::vector<std::string>& stdin_from, const std::string& via,
            int depth) {
    if (!Deeper(depth)) return;
    for (const shell::Pipeline& p : list.pipelines) {
      std::vector<std::string> upstream = stdin_from;
      for (const shell::Command& c : p.commands) {
        size_t mark = out_.size();
        Node(c, upstream, via, depth);
        if (error_) return;
        upstream = OutputsSince(mark);  // the next command of the pipeline reads this one's output
      }
    }
  }

  // Lists the commands of each substitution in `w`; returns the programs whose output ends up in the word.
  std::vector<std::string> Substitutions(const shell::Word& w, const std::vector<std::string>& stdin_from,
                                         int depth) {
    size_t mark = out_.size();
    for (const shell::CommandList& l : w.substitutions) List(l, stdin_from, "$(…)", depth + 1);
    return OutputsSince(mark);
  }

  void Node(const shell::Command& c, const std::vector<std::string>& upstream, const std::string& via, int depth) {
    std::vector<std::string> stdin_from = upstream;
    const shell::Word* stdin_script = nullptr;  // a here-document or here-string a shell may read its code from
    for (const shell::Redirect& r : c.redirects) {
      std::vector<std::string> sources = Substitutions(r.target, upstream, depth);
      if (r.here_doc) sources = Substitutions(*r.here_doc, upstream, depth);
      if (r.fd != 0) continue;
      stdin_script = nullptr;
      if (r.op == "<" || r.op == "<<<" || r.op == "<<" || r.op == "<<-") {
        stdin_from = sources;  // a plain file: nothing we know of
        if (r.op == "<<<") stdin_script = &r.target;
        if (r.here_doc) stdin_script = r.here_doc.get();
      } else {
        stdin_from.clear();  // <& and <> : a descriptor or file
      }
    }
    if (c.compound) {
      for (const shell::Word& w : c.words) Substitutions(w, stdin_from, depth);
      if (!c.function_name.empty()) functions_.insert(c.function_name);
      for (const shell::CommandList& body : c.bodies) List(body, stdin_from, via, depth + 1);
      return;
    }
    for (const shell::Word& w : c.assignments) Substitutions(w, stdin_from, depth);
    if (c.words.empty()) return;
    ExecCommand e;
    for (const shell::Word& w : c.words) {
      e.sources.push_back(Substitutions(w, stdin_from, depth));
      e.words.push_back(w.text);
      const size_t slash = w.text.rfind('/');
      e.dynamic.push_back(w.dynamic && w.literal_from > (slash == std::string::npos ? 0 : slash + 1));
    }
    e.stdin_from = std::move(stdin_from);
    e.via = via;
    Command(std::move(e), stdin_script, depth);
  }

  // Lists `e`, then what it runs.
  void Command(ExecCommand e, const shell::Word* stdin_script, int depth) {
    if (!Deeper(depth) || e.words.empty()) return;
    if (out_.size() >= kMaxCommands) {
      if (!error_) error_ = "too many commands to check";
      return;
    }
    const size_t index = out_.size();
    out_.push_back(e);
    if (e.dynamic[0]) return;  // nothing is known about a program named by an expansion
    if (functions_.count(e.words[0]) != 0) out_[index].transparent = true;
    const std::string name = e.Program();
    std::vector<programs::Nested> nested = programs::NestedCommands(e.words);
    for (const programs::Nested& n : nested) {
      if (n.kind == programs::Nested::Kind::kScript) {
        Script(n.script, n.via, e.stdin_from, depth);
        if (error_) return;
        continue;
      }
      ExecCommand inner;
      for (const std::string& w : n.prefix) {
        inner.words.push_back(w);
        inner.dynamic.push_back(e.dynamic[n.prefix_from]);
        inner.sources.push_back(e.sources[n.prefix_from]);
      }
      for (size_t i = n.begin; i < n.end; ++i) {
        inner.words.push_back(e.words[i]);
        inner.dynamic.push_back(e.dynamic[i]);
        inner.sources.push_back(e.sources[i]);
      }
      inner.stdin_from = e.stdin_from;
      inner.via = n.via;
      Command(std::move(inner), stdin_script, depth + 1);
      if (error_) return;
    }
    if (!nested.empty()) out_[index].transparent = true;
    // bash <<'EOF' … EOF, bash <<< '…': the shell's code is the here-document.
    if (stdin_script != nullptr && programs::IsShell(name) &&
        programs::FindScript(e.words).from == programs::ScriptFrom::kStdin) {
      Script(stdin_script->text, name + " <<", e.stdin_from, depth);
    }
  }

  void Script(const std::string& code, const std::string& via, const std::vector<std::string>& stdin_from,
              int depth) {
    if (!Deeper(depth + 1)) return;
    Result<shell::CommandList> parsed = shell::Parse(code);
    if (!parsed.ok()) {
      if (!error_) error_ = "cannot parse the shell code given to " + via + ": " + parsed.error().message;
      return;
    }
    List(*parsed, stdin_from, via, depth + 1);
  }

  std::vector<ExecCommand> out_;
  std::set<std::string> functions_;  // defined by the shell code seen so far
  std::optional<std::string> error_;
};

bool NeedsQuotes(const std::string& w) {
  if (w.empty()) return true;
  return std::any_of(w.begin(), w.end(), [](char c) {
    return !(std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-_./=:,+@%^").find(c) != std::string_view::npos);
  });
}

}  // namespace

std::string ExecCommand::Program() const {
  return words.empty() ? std::string() : std::string(programs::BaseName(words[0]));
}

Result<std::vector<ExecCommand>> ListCommands(const std::vector<std::string>& argv) {
  Walker w;
  CORDON_TRY(w.Argv(argv));
  return w.Take();
}

std::string ShellQuote(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) {
    if (!out.empty()) out += ' ';
    if (!NeedsQuotes(w)) {
      out += w;
      continue;
    }
    out += '\'';
    for (char c : w) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += '\'';
  }
  return out;
}

}  // namespace cordon::policy
