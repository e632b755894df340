#include "audit/sink_spec.h"

#include <pwd.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>

#include "audit/jsonl_sink.h"
#include "audit/postgres_sink.h"
#include "audit/sqlite_sink.h"

namespace cordon::audit {
namespace {

// postgres://user:secret@host/db?password=secret → postgres://user:***@host/db?password=***
std::string HidePassword(std::string uri) {
  const size_t authority = uri.find("://") + 3;
  const size_t at = uri.find('@', authority);
  const size_t colon = uri.find(':', authority);
  if (at != std::string::npos && colon < at && uri.find('/', authority) > at) uri.replace(colon + 1, at - colon - 1, "***");
  for (size_t p = uri.find("password="); p != std::string::npos; p = uri.find("password=", p + 1)) {
    const size_t value = p + 9, end = uri.find('&', value);
    uri.replace(value, (end == std::string::npos ? uri.size() : end) - value, "***");
  }
  return uri;
}

// "word:" at the start, where word looks like a URI scheme.
std::string SchemeOf(const std::string& text) {
  size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(text[0]))) return "";
  for (size_t i = 0; i < colon; ++i) {
    char c = text[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return "";
  }
  return text.substr(0, colon);
}

std::string HomeDir() {
  const char* home = getenv("HOME");
  if (home != nullptr && home[0] == '/') return home;
  if (passwd* pw = getpwuid(getuid()); pw != nullptr && pw->pw_dir != nullptr && pw->pw_dir[0] == '/') return pw->pw_dir;
  return "";
}

}  // namespace

Result<SinkSpec> ParseSinkSpec(const std::string& text) {
  const std::string scheme = SchemeOf(text);
  auto file = [&](SinkSpec::Kind kind, const std::string& path) -> Result<SinkSpec> {
    if (path.empty()) return MakeError("audit sink '" + text + "': no path after '" + scheme + ":'");
    return SinkSpec{kind, path, -1, false, (kind == SinkSpec::Kind::kSqlite ? "sqlite:" : "jsonl:") + path};
  };
  if (text.empty()) return MakeError("empty audit sink: give jsonl:PATH, sqlite:PATH, postgres://… or a path");
  if (text == "-") return StreamSpec(STDERR_FILENO);
  if (scheme.empty()) return file(SinkSpec::Kind::kJsonl, text);
  if (scheme == "jsonl") return file(SinkSpec::Kind::kJsonl, text.substr(6));
  if (scheme == "sqlite") return file(SinkSpec::Kind::kSqlite, text.substr(7));
  if (scheme == "postgres" || scheme == "postgresql") {
    if (!text.starts_with(scheme + "://")) return MakeError("audit sink '" + text + "': expected " + scheme + "://…");
    return SinkSpec{SinkSpec::Kind::kPostgres, text, -1, false, HidePassword(text)};
  }
  return MakeError("audit sink '" + text + "': unknown scheme '" + scheme +
                   "' (known: jsonl:, sqlite:, postgres://, postgresql://; write ./" + text + " for a file)");
}

SinkSpec StreamSpec(int fd) {
  return SinkSpec{SinkSpec::Kind::kStream, "", fd, false, fd == STDERR_FILENO ? "stderr" : "fd " + std::to_string(fd)};
}

Result<SinkSpec> DefaultSpec() {
  std::string state;
  if (const char* xdg = getenv("XDG_STATE_HOME"); xdg != nullptr && xdg[0] == '/') {
    state = xdg;
  } else if (std::string home = HomeDir(); !home.empty()) {
    state = home + "/.local/state";
  } else {
    return MakeError("no place for the audit log: set HOME or XDG_STATE_HOME, or give --audit");
  }
  const std::string path = state + "/cordon/events.jsonl";
  return SinkSpec{SinkSpec::Kind::kJsonl, path, -1, true, "jsonl:" + path};
}

Result<std::unique_ptr<Sink>> OpenSink(const SinkSpec& spec) {
  switch (spec.kind) {
    case SinkSpec::Kind::kJsonl: return OpenJsonlFile(spec.target, spec.make_dirs);
    case SinkSpec::Kind::kStream: return OpenJsonlStream(spec.fd);
    case SinkSpec::Kind::kSqlite: return OpenSqliteSink(spec.target);
    case SinkSpec::Kind::kPostgres: return OpenPostgresSink(spec.target, DefaultPostgresHelper());
  }
  return MakeError("unknown sink kind");
}

Result<std::unique_ptr<Source>> OpenSource(const SinkSpec& spec) {
  switch (spec.kind) {
    case SinkSpec::Kind::kJsonl: return OpenJsonlSource(spec.target);
    case SinkSpec::Kind::kStream: return MakeError(spec.name + " cannot be read back");
    case SinkSpec::Kind::kSqlite: return OpenSqliteSource(spec.target);
    case SinkSpec::Kind::kPostgres: return OpenPostgresSource(spec.target, DefaultPostgresHelper());
  }
  return MakeError("unknown sink kind");
}

}  // namespace cordon::audit
