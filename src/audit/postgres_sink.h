// The PostgreSQL store as cordon sees it: a client of the cordon-postgres helper (postgres_store.h), started
// beside cordon's own binary when a postgres:// sink is opened. Each Store waits for the helper's answer, so
// an event is committed when Store returns ok. A helper that does not answer within 15 s is killed and the
// sink fails; a helper that dies fails the sink.
#pragma once

#include <memory>
#include <string>

#include "audit/sink.h"

namespace cordon::audit {

// The helper beside the running cordon binary.
std::string DefaultPostgresHelper();

Result<std::unique_ptr<Sink>> OpenPostgresSink(const std::string& conninfo, const std::string& helper);
Result<std::unique_ptr<Source>> OpenPostgresSource(const std::string& conninfo, const std::string& helper);

}  // namespace cordon::audit
