#!/usr/bin/env bash
# Layers include only downward (README.md, "Layout"). Fails listing every
# include of a higher layer.
set -eu
engine=${1:?usage: check-layers.sh ENGINE_DIR}
order=(core model scenario script sim analysis report sweep live cli)
rank() { local i; for i in "${!order[@]}"; do [ "${order[$i]}" = "$1" ] && echo "$i" && return; done; echo -1; }
status=0
for layer in "${order[@]}"; do
  [ -d "$engine/$layer" ] || continue
  mine=$(rank "$layer")
  while IFS= read -r hit; do
    [ -n "$hit" ] || continue
    inc=$(sed -E 's/.*#include "([a-z]+)\/.*/\1/' <<<"${hit#*:}")
    theirs=$(rank "$inc")
    # scenario and script are siblings: neither may include the other.
    if [ "$theirs" -gt "$mine" ] || { [ "$layer" = script ] && [ "$inc" = scenario ]; } \
       || { [ "$layer" = scenario ] && [ "$inc" = script ]; }; then
      echo "layer violation: $hit ($layer must not include $inc)"
      status=1
    fi
  done < <(grep -HnE '#include "[a-z]+/' "$engine/$layer"/*.[ch] 2>/dev/null || true)
done
[ $status -eq 0 ] && echo "layers: ok"
exit $status
