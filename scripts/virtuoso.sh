#!/usr/bin/env bash
# Start Virtuoso (Debian's virtuoso-opensource) on loopback with a minimal configuration, for the
# remote-store tests, and let its SPARQL endpoint accept updates (loopback only: this is a test
# server). Prints the endpoint URL. Usage: scripts/virtuoso.sh start DIR [HTTP_PORT [SQL_PORT]]
#                                         scripts/virtuoso.sh stop DIR
set -euo pipefail
cmd=${1:?start or stop}; dir=${2:?a working folder}
http_port=${3:-8890}; sql_port=${4:-1111}
isql=$(command -v isql-vt || command -v isql)

if [[ $cmd == stop ]]; then
  "$isql" "127.0.0.1:$(cat "$dir/sql-port")" dba dba exec="shutdown();" >/dev/null 2>&1 || true
  exit 0
fi

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
echo "$sql_port" > "$dir/sql-port"
cat > "$dir/virtuoso.ini" <<INI
[Database]
DatabaseFile = $dir/virtuoso.db
ErrorLogFile = $dir/virtuoso.log
LockFile = $dir/virtuoso.lck
TransactionFile = $dir/virtuoso.trx
xa_persistent_file = $dir/virtuoso.pxa
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = $dir/virtuoso-temp.db
TransactionFile = $dir/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:$sql_port
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = ., $dir
CheckpointInterval = 60

[HTTPServer]
ServerPort = 127.0.0.1:$http_port
ServerRoot = $dir
MaxClientConnections = 8
ServerThreads = 8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
INI

(cd "$dir" && virtuoso-t +configfile "$dir/virtuoso.ini" +wait >"$dir/start.log" 2>&1)
for _ in $(seq 1 60); do
  if "$isql" "127.0.0.1:$sql_port" dba dba exec="status();" >/dev/null 2>&1; then break; fi
  sleep 1
done
# The anonymous SPARQL user may update (loopback test server only).
"$isql" "127.0.0.1:$sql_port" dba dba exec="GRANT SPARQL_UPDATE TO \"SPARQL\";" >/dev/null
echo "http://127.0.0.1:$http_port/sparql"
