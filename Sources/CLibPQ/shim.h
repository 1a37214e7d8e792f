// PostgreSQL's client library API (Debian libpq-dev), headers only: MappingStore loads libpq.so.5 at run time
// (PostgresLibrary.swift), when a PostgreSQL mapping database is first used, not at every process start.
#include <postgresql/libpq-fe.h>
