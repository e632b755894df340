// cordon-postgres: the PostgreSQL store for cordon, as a process of its own (postgres_store.h says why).
// Started by cordon with a socket on stdin and stdout (postgres_protocol.h); exits at end of input. Prints
// nothing else; every failure is an answer.
#include <cstdio>
#include <iostream>
#include <string>

#include "audit/event.h"
#include "audit/postgres_protocol.h"
#include "audit/postgres_store.h"

namespace {

using cordon::audit::PostgresStore;

nlohmann::json Answer(std::unique_ptr<PostgresStore>& store, const nlohmann::json& req) {
  const std::string op = req.value("op", "");
  if (op == "open") {
    auto s = PostgresStore::Connect(req.value("conninfo", ""));
    if (!s.ok()) return {{"error", s.error().ToString()}};
    store = std::move(*s);
    return {{"ok", true}};
  }
  if (!store) return {{"error", "not connected"}};
  if (op == "store") {
    auto e = cordon::audit::ParseEvent(req.value("event", ""));
    if (!e.ok()) return {{"error", "bad event: " + e.error().ToString()}};
    if (auto r = store->Store(*e); !r.ok()) return {{"error", r.error().ToString()}};
    return {{"ok", true}};
  }
  if (op == "read") {
    uint64_t cursor = req.value("cursor", uint64_t{0});
    auto r = store->Read(cordon::audit::pgproto::ToFilter(req.value("filter", nlohmann::json::object())), &cursor);
    if (!r.ok()) return {{"error", r.error().ToString()}};
    return {{"ok", true}, {"events", *r}, {"cursor", cursor}};
  }
  return {{"error", "unknown request " + op}};
}

}  // namespace

int main() {
  std::unique_ptr<PostgresStore> store;
  std::string line;
  while (std::getline(std::cin, line)) {
    nlohmann::json req = nlohmann::json::parse(line, nullptr, false);
    nlohmann::json answer = req.is_object() ? Answer(store, req) : nlohmann::json{{"error", "bad request"}};
    std::cout << answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n' << std::flush;
    if (!std::cout) return 1;
  }
  return 0;
}
