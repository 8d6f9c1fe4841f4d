#!/usr/bin/env bash
# Regenerates the expected report, JSON, exit codes and check line of every capture under pcaps/
# (test/golden/<dir>__<name>.{txt,json,json.exit,check}). Run after an intended output change, then
# read the diff before committing it: the golden files are the output contract.
#   .txt        stdout and stderr of `vrrpwatch -r FILE`, then "exit N"
#   .json       stdout of `vrrpwatch -r FILE --json`, normalised (scripts/normalize-json.mjs)
#   .json.exit  stderr of `vrrpwatch -r FILE --json`, then "exit N"
#   .check      stdout and stderr of `vrrpwatch check -r FILE -v`, then "exit N"
# Nothing is hidden: a run that crashes (an internal error, a stack trace) or a JSON run that succeeds with
# no document stops this script with the capture named, and no golden file is left empty.
set -euo pipefail
cd "$(dirname "$0")/.."
export TZ=UTC NO_COLOR=1
npm run --silent build
crashed() { grep -qE 'internal error|^\s+at |node:internal' "$1"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -f test/golden/*.txt test/golden/*.json test/golden/*.json.exit test/golden/*.check
while IFS= read -r f; do
  name=$(echo "${f#pcaps/}" | sed 's#/#__#g')
  g="test/golden/$name"
  txt=0; ./bin/vrrpwatch -r "$f" > "$tmp/txt" 2>&1 || txt=$?
  json=0; ./bin/vrrpwatch -r "$f" --json > "$tmp/json" 2> "$tmp/json.err" || json=$?
  chk=0; ./bin/vrrpwatch check -r "$f" -v > "$tmp/chk" 2>&1 || chk=$?
  for o in txt json.err chk; do
    if crashed "$tmp/$o"; then echo "regen-golden: $f: vrrpwatch crashed:" >&2; cat "$tmp/$o" >&2; exit 1; fi
  done
  if [ "$json" -eq 0 ] && [ ! -s "$tmp/json" ]; then echo "regen-golden: $f: -r --json exited 0 without a document" >&2; exit 1; fi
  if [ "$json" -ne 0 ] && [ ! -s "$tmp/json" ] && [ ! -s "$tmp/json.err" ]; then
    echo "regen-golden: $f: -r --json exited $json saying nothing" >&2; exit 1
  fi
  { cat "$tmp/txt"; echo "exit $txt"; } > "$g.txt"
  if [ -s "$tmp/json" ]; then node scripts/normalize-json.mjs < "$tmp/json" > "$g.json"; else : > "$g.json"; fi
  { cat "$tmp/json.err"; echo "exit $json"; } > "$g.json.exit"
  { cat "$tmp/chk"; echo "exit $chk"; } > "$g.check"
done < <(find pcaps -type f \( -name '*.pcap' -o -name '*.pcapng' \) | sort)
# captures of one scenario taken on several nodes (pcaps/lab/vantage-X-{a,b,c}.pcap), read together:
# test/golden/vantage__X.{txt,json,json.exit,check} as above (test/vantage-golden.test.ts)
for set in $(ls pcaps/lab/vantage-*-a.pcap 2>/dev/null | sed 's#.*/vantage-##; s#-a\.pcap$##'); do
  args=()
  for f in pcaps/lab/vantage-"$set"-?.pcap; do n=${f%.pcap}; args+=(-r "${n##*-}=$f"); done
  g="test/golden/vantage__$set"
  txt=0; ./bin/vrrpwatch "${args[@]}" > "$tmp/txt" 2>&1 || txt=$?
  json=0; ./bin/vrrpwatch "${args[@]}" --json > "$tmp/json" 2> "$tmp/json.err" || json=$?
  chk=0; ./bin/vrrpwatch check "${args[@]}" -v > "$tmp/chk" 2>&1 || chk=$?
  for o in txt json.err chk; do
    if crashed "$tmp/$o"; then echo "regen-golden: vantage-$set: vrrpwatch crashed:" >&2; cat "$tmp/$o" >&2; exit 1; fi
  done
  if [ ! -s "$tmp/json" ]; then echo "regen-golden: vantage-$set: --json printed no document" >&2; exit 1; fi
  { cat "$tmp/txt"; echo "exit $txt"; } > "$g.txt"
  node scripts/normalize-json.mjs < "$tmp/json" > "$g.json"
  { cat "$tmp/json.err"; echo "exit $json"; } > "$g.json.exit"
  { cat "$tmp/chk"; echo "exit $chk"; } > "$g.check"
done
echo "regenerated $(ls test/golden | wc -l) golden files"
