"""Runs ClickHouse's own HTTP listener from the clickhouse-local that PyPI's chdb-core embeds.

No ClickHouse release binary can be downloaded where Waymark is developed and tested, but the
chdb-core wheel ships the current engine as a library. Since mid-2026 clickhouse-local can
open the server listeners (SYSTEM START LISTEN HTTP) with the ports of the config.xml in its
working directory; the long-running query below keeps the process, and so the listener, alive
until the process is stopped. Started and stopped by infra/stack/src/clickhouse.ts.

usage: python clickhouse-launch.py CONFIG_DIR DATA_DIR
"""

import os
import sys

KEEP_ALIVE = (
    "SYSTEM START LISTEN HTTP; "
    "SELECT sleepEachRow(1) FROM system.numbers "
    "SETTINGS max_block_size = 1, max_execution_time = 0 FORMAT Null"
)


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    config_dir, data_dir = sys.argv[1], sys.argv[2]
    # clickhouse-local reads ./config.xml, so the working directory is the config's.
    os.chdir(config_dir)
    from chdb import _chdb

    print(f"clickhouse-local (chdb-core) serving HTTP, data in {data_dir}", flush=True)
    _chdb.query(KEEP_ALIVE, "CSV", path=data_dir)
    # The keep-alive query only ends when the engine shuts down.
    print("clickhouse-local stopped", flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
