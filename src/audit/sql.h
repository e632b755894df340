// The SQL the two database stores share: the table's shape and the one query `cordon audit` runs, in
// SQLite's and PostgreSQL's spelling. Pure text; each store binds the parameters its own way.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "audit/filter.h"

namespace cordon::audit {

enum class SqlDialect { kSqlite, kPostgres };

// id: order of arrival (what --follow tails). (run, seq) is unique: a gap or a duplicate is a bug.
// The unique index on (run, seq) serves lookups by run; time and type have their own.
inline constexpr const char* kSqliteSchema =
    "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, run TEXT NOT NULL, seq INTEGER NOT NULL, "
    "time TEXT NOT NULL, type TEXT NOT NULL, decision TEXT, body TEXT NOT NULL, UNIQUE (run, seq));"
    "CREATE INDEX IF NOT EXISTS events_time ON events (time);"
    "CREATE INDEX IF NOT EXISTS events_type ON events (type);";
inline constexpr const char* kPostgresSchema =
    "CREATE TABLE IF NOT EXISTS events (id bigserial PRIMARY KEY, run text NOT NULL, seq bigint NOT NULL, "
    "time timestamptz NOT NULL, type text NOT NULL, decision text, body jsonb NOT NULL, UNIQUE (run, seq));"
    "CREATE INDEX IF NOT EXISTS events_time ON events (time);"
    "CREATE INDEX IF NOT EXISTS events_type ON events (type);";

// SELECT body … WHERE id > $1 AND id <= $2 AND <the filter, $3…$8> ORDER BY id DESC LIMIT $9.
std::string SelectSql(SqlDialect dialect);

struct SqlParams {
  uint64_t after = 0, upto = 0;
  std::vector<std::string> text;  // $3…$8: run, type, type prefix, since, until, decision; "" binds NULL
  int64_t limit = -1;             // -1: no limit
};
SqlParams ToSqlParams(const Filter& f, uint64_t after, uint64_t upto);

}  // namespace cordon::audit
