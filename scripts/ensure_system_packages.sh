#!/usr/bin/env bash
# Install the Debian packages the set-up needs when they are missing (as root), or say
# clearly what to install. Usage: ensure_system_packages.sh run|test|bench
set -euo pipefail

need=()
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
if [ "${1:-run}" = "test" ] || [ "${1:-run}" = "bench" ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql postgresql-contrib)
fi
if [ "${1:-run}" = "bench" ]; then
  command -v wrk >/dev/null 2>&1 || need+=(wrk)
fi
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${need[*]}. Install them (e.g. sudo apt-get install -y ${need[*]}) and run again." >&2
  exit 2
fi
echo "Installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
