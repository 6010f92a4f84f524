#!/usr/bin/env bash
# The Debian packages the tests need beyond Node: Chromium + a CJK font (the browser path: crawlers/browser/)
# and tesseract with Simplified Chinese (OCR of table pictures: parsers/ocr/). Installs only what is missing.
# Run by .ci/run (failure fails CI) and before `npm test` (pretest: failure only warns; the browser and OCR
# tests then skip with a message outside CI).
set -uo pipefail
echo "== system packages (Debian): Chromium + a CJK font (browser path), tesseract + chi_sim (OCR of table pictures)"
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s fonts-wqy-zenhei >/dev/null 2>&1 || need+=(fonts-wqy-zenhei)
command -v tesseract >/dev/null || need+=(tesseract-ocr)
dpkg -s tesseract-ocr-chi-sim >/dev/null 2>&1 || need+=(tesseract-ocr-chi-sim)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" != 0 ] && SUDO="sudo"
  apt_log=$(mktemp)
  if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"; } >"$apt_log" 2>&1; then
    tail -n 30 "$apt_log"; echo "apt-get install ${need[*]} failed"; exit 1
  fi
fi
/usr/bin/chromium --version 2>/dev/null | tail -n 1
