#include "audit/sqlite_sink.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>

#include "audit/sql.h"
#include "base/unique_fd.h"

namespace cordon::audit {
namespace {

constexpr int kBusyTimeoutMs = 10000;

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct FinalizeStmt {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;
using Stmt = std::unique_ptr<sqlite3_stmt, FinalizeStmt>;

// SQLite's message, and the system's error under it ("disk I/O error: No space left on device").
Error DbError(sqlite3* db) { return MakeError(sqlite3_errmsg(db), sqlite3_system_errno(db)); }

Result<Db> OpenDb(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) return db ? DbError(db.get()) : MakeError(sqlite3_errstr(rc));
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  return db;
}

Result<Stmt> Prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) return DbError(db);
  return Stmt(raw);
}

Status Exec(sqlite3* db, const char* sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) == SQLITE_OK) return {};
  Error e = MakeError(msg != nullptr ? msg : sqlite3_errmsg(db));
  sqlite3_free(msg);
  return e;
}

void BindText(sqlite3_stmt* s, int i, const std::string& v) {
  if (v.empty()) {
    sqlite3_bind_null(s, i);
  } else {
    sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
}

class SqliteStore : public Sink, public Source {
 public:
  explicit SqliteStore(Db db) : db_(std::move(db)) {}

  Status Prepare() { return Assign(insert_, kInsertSql); }

  Status Store(const Event& e) override {
    sqlite3_stmt* s = insert_.get();
    sqlite3_reset(s);
    BindText(s, 1, e.run);
    sqlite3_bind_int64(s, 2, static_cast<sqlite3_int64>(e.seq));
    BindText(s, 3, e.time);
    BindText(s, 4, e.type);
    BindText(s, 5, e.decision);
    BindText(s, 6, e.json);
    // Autocommit: the event is committed (and, synchronous=FULL, on disk) when step returns.
    if (sqlite3_step(s) != SQLITE_DONE) return DbError(db_.get());
    return {};
  }
  Status Finish() override { return {}; }

  Result<std::vector<Event>> Read(const Filter& f, uint64_t* cursor, size_t* skipped) override {
    if (!select_) CORDON_TRY(Assign(select_, SelectSql(SqlDialect::kSqlite)));
    if (!last_id_) CORDON_TRY(Assign(last_id_, "SELECT coalesce(max(id), 0) FROM events"));
    // One read transaction: the newest id and the matches come from the same snapshot.
    CORDON_TRY(Exec(db_.get(), "BEGIN"));
    Result<std::vector<Event>> out = ReadIn(f, cursor, skipped);
    (void)Exec(db_.get(), "COMMIT");
    return out;
  }

 private:
  static constexpr const char* kInsertSql =
      "INSERT INTO events (run, seq, time, type, decision, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

  Status Assign(Stmt& stmt, const std::string& sql) {
    CORDON_ASSIGN_OR_RETURN(stmt, audit::Prepare(db_.get(), sql));
    return {};
  }

  Result<std::vector<Event>> ReadIn(const Filter& f, uint64_t* cursor, size_t* skipped) {
    sqlite3_reset(last_id_.get());
    if (sqlite3_step(last_id_.get()) != SQLITE_ROW) return DbError(db_.get());
    const auto newest = static_cast<uint64_t>(sqlite3_column_int64(last_id_.get(), 0));
    sqlite3_reset(last_id_.get());  // a statement not reset keeps its snapshot: --follow would see nothing new
    sqlite3_stmt* s = select_.get();
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    const SqlParams p = ToSqlParams(f, *cursor, newest);
    sqlite3_bind_int64(s, 1, static_cast<sqlite3_int64>(p.after));
    sqlite3_bind_int64(s, 2, static_cast<sqlite3_int64>(p.upto));
    for (size_t i = 0; i < p.text.size(); ++i) BindText(s, static_cast<int>(i) + 3, p.text[i]);
    sqlite3_bind_int64(s, static_cast<int>(p.text.size()) + 3, p.limit);
    std::vector<Event> out;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      const auto* body = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
      Result<Event> e = ParseEvent(body != nullptr ? body : "");
      if (e.ok()) {
        out.push_back(std::move(*e));
      } else {
        ++*skipped;
      }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) return DbError(db_.get());
    std::reverse(out.begin(), out.end());  // newest first, for the limit
    *cursor = newest;
    return out;
  }

  Db db_;
  Stmt insert_, select_, last_id_;
};

}  // namespace

Result<std::unique_ptr<Sink>> OpenSqliteSink(const std::string& path) {
  // The file first, so that it is created 0600 (SQLite would use 0644); -wal and -shm take its mode.
  if (UniqueFd fd(open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600)); !fd.valid()) {
    return ErrnoError("");
  }
  CORDON_ASSIGN_OR_RETURN(Db db, OpenDb(path, SQLITE_OPEN_READWRITE));
  CORDON_TRY(Exec(db.get(), "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"));
  CORDON_TRY(Exec(db.get(), kSqliteSchema));
  auto store = std::make_unique<SqliteStore>(std::move(db));
  CORDON_TRY(store->Prepare());
  return std::unique_ptr<Sink>(std::move(store));
}

Result<std::unique_ptr<Source>> OpenSqliteSource(const std::string& path) {
  if (access(path.c_str(), F_OK) != 0) return ErrnoError("");
  CORDON_ASSIGN_OR_RETURN(Db db, OpenDb(path, SQLITE_OPEN_READONLY));
  return std::unique_ptr<Source>(std::make_unique<SqliteStore>(std::move(db)));
}

}  // namespace cordon::audit
