#include "audit/sql.h"

namespace cordon::audit {

std::string SelectSql(SqlDialect dialect) {
  const bool pg = dialect == SqlDialect::kPostgres;
  auto p = [pg](int n, const char* pg_type) {
    return (pg ? "$" : "?") + std::to_string(n) + (pg ? std::string("::") + pg_type : "");
  };
  auto optional = [&](int n, const char* pg_type, const std::string& test) {
    return " AND (" + p(n, pg_type) + " IS NULL OR " + test + ")";
  };
  return std::string("SELECT ") + (pg ? "body::text" : "body") + " FROM events WHERE id > " + p(1, "bigint") +
         " AND id <= " + p(2, "bigint") + optional(3, "text", "run = " + p(3, "text")) +
         optional(4, "text", "type = " + p(4, "text")) +
         optional(5, "text", "substr(type, 1, length(" + p(5, "text") + ")) = " + p(5, "text")) +
         optional(6, "timestamptz", "time >= " + p(6, "timestamptz")) +
         optional(7, "timestamptz", "time < " + p(7, "timestamptz")) +
         optional(8, "text", "decision = " + p(8, "text")) + " ORDER BY id DESC LIMIT " + p(9, "bigint");
}

SqlParams ToSqlParams(const Filter& f, uint64_t after, uint64_t upto) {
  const bool prefix = !f.type.empty() && f.type.back() == '.';
  return SqlParams{after,
                   upto,
                   {f.run, prefix ? "" : f.type, prefix ? f.type : "", f.since, f.until, f.decision},
                   f.limit == 0 ? -1 : static_cast<int64_t>(f.limit)};
}

}  // namespace cordon::audit
