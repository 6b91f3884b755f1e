#!/usr/bin/env bash
# Debian packages the project needs: installed when missing and we are root, else the
# exact command to run is printed and set-up stops.
set -euo pipefail

packages=(libzbar0 poppler-utils librsvg2-bin chromium)
python=${PYTHON:-python3}
# npm installs the EPCIS schemas the tests check against (Makefile: EPCIS_SCHEMAS).
command -v npm >/dev/null || packages+=(npm)
if ! "$python" -c "import ensurepip" 2>/dev/null; then
    packages+=("python3-venv")
fi

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    # Wait for another package manager (unattended upgrades, a second shell) instead of failing.
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
else
    echo "These Debian packages are missing. Install them, then run make again:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
