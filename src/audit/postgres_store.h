// The PostgreSQL store, on libpq: table `events` (sql.h; body jsonb), created if missing, every event its own
// committed INSERT (synchronous_commit on). Runs in the cordon-postgres helper (postgres_helper.cc), not in
// cordon itself: cordon is linked statically and Debian ships libpq's dependencies (Kerberos, LDAP) as shared
// libraries only.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <vector>

#include "audit/event.h"
#include "audit/filter.h"
#include "base/result.h"

namespace cordon::audit {

class PostgresStore {
 public:
  // `conninfo`: a postgres:// URI or key=value string; libpq's PG* environment variables fill the rest.
  // Gives up connecting after 10 s unless the conninfo says otherwise.
  static Result<std::unique_ptr<PostgresStore>> Connect(const std::string& conninfo);
  Status Store(const Event& e);
  // Like Source::Read, with the bodies as the server prints them.
  Result<std::vector<std::string>> Read(const Filter& f, uint64_t* cursor);

 private:
  struct Finish {
    void operator()(PGconn* c) const { PQfinish(c); }
  };
  explicit PostgresStore(PGconn* conn) : conn_(conn) {}
  Status Exec(const char* sql);
  std::unique_ptr<PGconn, Finish> conn_;
};

}  // namespace cordon::audit
