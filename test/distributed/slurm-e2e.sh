#!/bin/bash
# End to end on a real single-node Slurm (npm run test:slurm; CI runs it after npm test, as root on
# Debian): brings up munged, slurmctld and slurmd in a scratch folder (slurm-cluster.sh, stopped by
# pid on exit), writes the quickstart's job array with `vmisim submit slurm` (3 shards of 2 runs),
# submits it, requeues shard 1 once its first run is stored (`scontrol requeue`: SIGTERM, then the
# task runs again), waits for the merge job, and requires
#   - the merge job COMPLETED and shard 1 restarted once (Restarts=1), its first attempt stopped by
#     SIGTERM and its second computing only the run the first had not stored;
#   - every file of the merged output byte-identical to `vmisim run` of the same experiment on one
#     machine, but timings.json (wall times).
# Needs the build (dist/). Installs slurmctld, slurmd, slurm-client and munge when missing (root).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$REPO/test/distributed"
cd "$REPO"
t0=$(date +%s.%N)
elapsed() { awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }'; }
fail() { echo "FAIL: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
  [ "$(id -u)" = 0 ] || fail "Slurm is not installed and installing it needs root: apt-get install slurmctld slurmd slurm-client munge"
  # Keep the packages' init scripts from starting daemons of their own: this script starts its own.
  policy=/usr/sbin/policy-rc.d
  added_policy=
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; added_policy=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
  [ -n "$added_policy" ] && rm -f "$policy"
  echo "installed Slurm ($(elapsed))"
fi
[ -f dist/sim/cli/main.js ] || fail "dist/ is missing: npm run build first"

D=$(mktemp -d)
trap '"$HERE/slurm-cluster.sh" down "$D"; rm -rf "$D"' EXIT
"$HERE/slurm-cluster.sh" up "$D"
export SLURM_CONF="$D/slurm.conf"
echo "Slurm up ($(elapsed))"

VMISIM="$(printf '%q %q' "$(command -v node)" "$REPO/dist/sim/cli/main.js")"
EXP=experiments/quickstart.yaml
# 6 simulated minutes (the file says 10): a run takes a second or two, time enough for the requeue
# to land between the ends of the shard's two runs. --set also checks that the flags reach the
# shards and the merge.
SET=(--set duration=6m)
node dist/sim/cli/main.js submit slurm "$EXP" "${SET[@]}" --shards 3 --cpus-per-task 1 --time 10 \
  --dir "$D/jobs" --store "$D/store" --out "$D/merged" --vmisim "$VMISIM" 2>/dev/null
read -r array merge < <(sh "$D/jobs/submit.sh")
echo "submitted array $array and merge $merge ($(elapsed))"

log1="$D/jobs/logs/shard-1.log"
for _ in $(seq 1 600); do
  grep -q ', stored$' "$log1" 2>/dev/null && break
  sleep 0.1
done
grep -q ', stored$' "$log1" || fail "shard 1 stored no run within 60 s: $(cat "$log1" 2>/dev/null)"
scontrol requeue "${array}_1"
# Slurm holds a requeued job for about 2 minutes (BeginTime = now + 121 s, measured); release it.
for _ in $(seq 1 100); do
  [ "$(squeue -h -j "${array}_1" -o %r 2>/dev/null)" = BeginTime ] && break
  sleep 0.1
done
scontrol update JobId="${array}_1" StartTime=now
echo "requeued ${array}_1 after its first stored run ($(elapsed))"

# Meanwhile, the same experiment on one machine.
node dist/sim/cli/main.js run "$EXP" "${SET[@]}" --threads 2 --out "$D/plain" --quiet

for _ in $(seq 1 1200); do
  [ -z "$(squeue -h -j "$array,$merge" 2>/dev/null)" ] && break
  sleep 0.25
done
[ -z "$(squeue -h -j "$array,$merge" 2>/dev/null)" ] && echo "array and merge done ($(elapsed))" ||
  fail "the jobs did not finish within 5 minutes: $(squeue)"

# What each task of the array ended as, and what its shard printed, for a failure's message.
tasks() {
  scontrol show job "$array" | grep -o 'JobId=[0-9]* ArrayJobId=[0-9]* ArrayTaskId=[0-9]*\|JobState=[A-Z_]* Reason=[^ ]*\|Restarts=[0-9]*\|ExitCode=[0-9:]*' | tr '\n' ' '
  for f in "$D"/jobs/logs/shard-*.log; do printf '\n--- %s:\n' "${f##*/}"; cat "$f"; done
}
state=$(scontrol show job "$merge" | grep -o 'JobState=[A-Z_]*' || true)
[ "$state" = JobState=COMPLETED ] || fail "merge job: $state; $(cat "$D/jobs/logs/merge.log" 2>/dev/null); array tasks: $(tasks)"
restarts=$(scontrol show job "${array}_1" | grep -o 'Restarts=[0-9]*' || true)
[ "$restarts" = Restarts=1 ] || fail "shard 1: expected Restarts=1, found '$restarts'"
grep -q '^SIGTERM: stopped; 1 of 2 runs computed now' "$log1" ||
  fail "shard 1's first attempt did not stop on SIGTERM with its first run stored: $(cat "$log1")"
grep -q '2 of 6 runs, 1 already in .*, 1 to compute' "$log1" ||
  fail "shard 1's second attempt did not find its first run in the store: $(cat "$log1")"

(cd "$D/plain" && find . -type f ! -name timings.json | sort) >"$D/plain.files"
(cd "$D/merged" && find . -type f ! -name timings.json | sort) >"$D/merged.files"
diff "$D/plain.files" "$D/merged.files" >/dev/null || fail "different files: $(diff "$D/plain.files" "$D/merged.files")"
n=0
while read -r f; do
  cmp -s "$D/plain/$f" "$D/merged/$f" || fail "$f differs between vmisim run and the merge"
  n=$((n + 1))
done <"$D/plain.files"
echo "results.json and $((n - 1)) other files byte-identical to vmisim run ($(elapsed))"
echo "1 passed, 0 failed"
