#!/usr/bin/env bash
# First-boot provisioning of a box: a system user, the data dir, the settings file and the
# systemd unit. Run as root from the checkout after `npm install`.
set -euo pipefail
cd "$(dirname "$0")/.."

id lunette >/dev/null 2>&1 || useradd --system --home /var/lib/lunette --shell /usr/sbin/nologin lunette
install -d -o lunette -g lunette -m 0750 /var/lib/lunette
install -d -m 0755 /etc/lunette
[ -f /etc/lunette/lunette.env ] || install -m 0640 -g lunette appliance/lunette.env /etc/lunette/lunette.env
if [ "$(pwd)" != /opt/lunette ]; then
  echo "note: the unit expects the checkout at /opt/lunette (this one is at $(pwd))" >&2
fi
install -m 0644 systemd/lunette.service /etc/systemd/system/lunette.service
systemctl daemon-reload
echo "provisioned: edit /etc/lunette/lunette.env, then: systemctl enable --now lunette"
