#include "audit/postgres_store.h"

#include "audit/sql.h"

namespace cordon::audit {
namespace {

struct Clear {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, Clear>;

// libpq's messages span lines ("…failed: Connection refused\n\tIs the server running…"): one line.
std::string OneLine(const char* text) {
  std::string out;
  for (const char* c = text; c != nullptr && *c != '\0'; ++c) {
    if (*c == '\n' || *c == '\t' || *c == '\r') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += *c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out.empty() ? "unknown PostgreSQL error" : out;
}

// A key both servers of one database agree on, so that two runs creating the table at once do not collide.
constexpr const char* kSchemaLockSql = "SELECT pg_advisory_xact_lock(4242424201)";

}  // namespace

Result<std::unique_ptr<PostgresStore>> PostgresStore::Connect(const std::string& conninfo) {
  // Earlier keywords are defaults the conninfo (expanded from dbname) overrides.
  const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {"10", "cordon", conninfo.c_str(), nullptr};
  std::unique_ptr<PostgresStore> store(new PostgresStore(PQconnectdbParams(keys, values, 1)));
  if (!store->conn_) return MakeError("out of memory");
  if (PQstatus(store->conn_.get()) != CONNECTION_OK) return MakeError(OneLine(PQerrorMessage(store->conn_.get())));
  // The server's notices ("relation already exists, skipping") would land on the caller's stderr.
  PQsetNoticeProcessor(store->conn_.get(), [](void*, const char*) {}, nullptr);
  CORDON_TRY(store->Exec("SET synchronous_commit TO on"));
  CORDON_TRY(store->Exec("BEGIN"));
  CORDON_TRY(store->Exec(kSchemaLockSql));
  CORDON_TRY(store->Exec(kPostgresSchema));
  CORDON_TRY(store->Exec("COMMIT"));
  return store;
}

Status PostgresStore::Exec(const char* sql) {
  PgResult r(PQexec(conn_.get(), sql));
  ExecStatusType st = PQresultStatus(r.get());
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return {};
  Error e = MakeError(OneLine(PQerrorMessage(conn_.get())));
  if (PQtransactionStatus(conn_.get()) == PQTRANS_INERROR) PgResult(PQexec(conn_.get(), "ROLLBACK"));
  return e;
}

Status PostgresStore::Store(const Event& e) {
  static constexpr const char* kInsert =
      "INSERT INTO events (run, seq, time, type, decision, body) "
      "VALUES ($1, $2::bigint, $3::timestamptz, $4, $5, $6::jsonb)";
  const std::string seq = std::to_string(e.seq);
  const char* params[] = {e.run.c_str(),  seq.c_str(), e.time.c_str(), e.type.c_str(),
                          e.decision.empty() ? nullptr : e.decision.c_str(), e.json.c_str()};
  PgResult r(PQexecParams(conn_.get(), kInsert, 6, nullptr, params, nullptr, nullptr, 0));
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) return MakeError(OneLine(PQerrorMessage(conn_.get())));
  return {};
}

Result<std::vector<std::string>> PostgresStore::Read(const Filter& f, uint64_t* cursor) {
  // One snapshot for the newest id and the matches.
  CORDON_TRY(Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  PgResult newest(PQexec(conn_.get(), "SELECT coalesce(max(id), 0) FROM events"));
  if (PQresultStatus(newest.get()) != PGRES_TUPLES_OK) {
    Error e = MakeError(OneLine(PQerrorMessage(conn_.get())));
    (void)Exec("ROLLBACK");
    return e;
  }
  const uint64_t upto = std::stoull(PQgetvalue(newest.get(), 0, 0));
  const SqlParams p = ToSqlParams(f, *cursor, upto);
  std::vector<std::string> values = {std::to_string(p.after), std::to_string(p.upto)};
  values.insert(values.end(), p.text.begin(), p.text.end());
  values.push_back(std::to_string(p.limit));
  std::vector<const char*> params;
  for (size_t i = 0; i < values.size(); ++i) {
    const bool null = (i >= 2 && i < 2 + p.text.size() && values[i].empty()) || (i == values.size() - 1 && p.limit < 0);
    params.push_back(null ? nullptr : values[i].c_str());
  }
  const std::string sql = SelectSql(SqlDialect::kPostgres);
  PgResult r(PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(params.size()), nullptr, params.data(), nullptr,
                          nullptr, 0));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
    Error e = MakeError(OneLine(PQerrorMessage(conn_.get())));
    (void)Exec("ROLLBACK");
    return e;
  }
  std::vector<std::string> out;
  for (int i = PQntuples(r.get()) - 1; i >= 0; --i) out.emplace_back(PQgetvalue(r.get(), i, 0));
  CORDON_TRY(Exec("COMMIT"));
  *cursor = upto;
  return out;
}

}  // namespace cordon::audit
