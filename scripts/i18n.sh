#!/usr/bin/env bash
# Re-extracts the message ids into locales/smup.pot and merges them into the pl and en
# catalogs (translate the new entries in locales/*/LC_MESSAGES/smup.po afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel extract -F babel.cfg -k N_ -k Np_:1,2 -k _ -k gettext -k ngettext:1,2 -k __ \
  --no-location --sort-output --project "SMUP Assistant" -o locales/smup.pot \
  rules registry bot mail_gateway assistant locales
pybabel update -i locales/smup.pot -d locales -D smup --no-fuzzy-matching
