#!/bin/sh
# check_globals.sh OBJ... - fails if any engine object has a non-empty .data, .bss
# (or .sdata/.sbss/.data.rel*) section, or defines a data/bss/common symbol.
# The engine keeps no mutable global state: everything lives in the caller's
# interpreter struct and arena.
status=0
for o in "$@"; do
	bad=$(size -A "$o" | awk '$1 ~ /^\.(s?data|s?bss|tbss|tdata)/ && $2 > 0 { printf "%s=%s ", $1, $2 }')
	syms=$(nm "$o" | awk '$2 ~ /^[bBdDsSC]$/ { printf "%s(%s) ", $3, $2 }')
	if [ -n "$bad$syms" ]; then
		echo "not ok no-mutable-globals $o: $bad$syms"
		status=1
	fi
done
[ $status -eq 0 ] && echo "ok no-mutable-globals ($# engine objects, .data/.bss empty)"
exit $status
