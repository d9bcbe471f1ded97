#!/bin/bash
# End to end on a real single-node Slurm (npm run test:slurm; CI runs it after npm test, as root on
# Debian): brings up munged, slurmctld and slurmd in a scratch folder (slurm-cluster.sh, stopped by
# pid on exit), writes the quickstart's job array with `vmisim submit slurm` (2 shards of 3 runs),
# submits it, requeues shard 1 once its first run is stored (`scontrol requeue`: SIGTERM; Slurm then
# holds the task for 121 s, which this script cuts short, once it is safe, and checks that the second
# attempt starts), waits for the merge job, and requires
#   - the merge job COMPLETED and shard 1 restarted once (Restarts=1), its first attempt stopped by
#     SIGTERM with one or two runs stored and its second computing only the others;
#   - every file of the merged output byte-identical to `vmisim run` of the same experiment on one
#     machine, but timings.json (wall times).
# Needs the build (dist/). Installs slurmctld, slurmd, slurm-client and munge when missing (root).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$REPO/test/distributed"
cd "$REPO"
t0=$(date +%s.%N)
elapsed() { awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }'; }
# On failure: the message, then what each array task ended as, the shards' and the merge's logs,
# and Slurm's own errors (a refused launch, a cancelled dependency).
fail() {
  echo "FAIL: $*" >&2
  if [ -n "${array:-}" ]; then
    echo "--- array tasks:" >&2
    scontrol show job "$array" 2>&1 | grep -o 'JobId=[0-9]* ArrayJobId=[0-9]* ArrayTaskId=[0-9]*\|JobState=[A-Z_]* Reason=[^ ]*\|Restarts=[0-9]*\|ExitCode=[0-9:]*' | tr '\n' ' ' >&2 || true
    for f in "$D"/jobs/logs/*.log; do
      if [ -f "$f" ]; then printf '\n--- %s:\n%s' "${f##*/}" "$(cat "$f")" >&2; fi
    done
    echo >&2
  fi
  if [ -n "${D:-}" ] && [ -d "$D/log" ]; then
    echo "--- errors in slurmctld.log and slurmd.log:" >&2
    grep -h 'error' "$D/log/slurmctld.log" "$D/log/slurmd.log" | grep -v 'state file\|mpi/pmix' | tail -n 20 >&2 || true
  fi
  echo "0 passed, 1 failed"
  exit 1
}
# now_s VAR: the clock in whole seconds into VAR, from bash itself (no fork: the polls below keep up
# on a loaded machine).
now_s() { printf -v "$1" '%(%s)T' -1; }
# wait_for SECONDS WHAT COMMAND...: polls COMMAND every 0.1 s until it succeeds; fails naming WHAT.
wait_for() {
  local limit_s=$1 what=$2 t_s
  shift 2
  now_s t_s
  local deadline_s=$((t_s + limit_s))
  until "$@"; do
    now_s t_s
    [ "$t_s" -lt "$deadline_s" ] || fail "$what: not within $limit_s s"
    sleep 0.1
  done
}

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
  [ "$(id -u)" = 0 ] || fail "Slurm is not installed and installing it needs root: apt-get install slurmctld slurmd slurm-client munge"
  # Keep the packages' init scripts from starting daemons of their own: this script starts its own.
  policy=/usr/sbin/policy-rc.d
  added_policy=
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; added_policy=1; fi
  apt-get update -qq
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
# 6 simulated minutes (the file says 10): a run takes a second or two (up to 4 s on a loaded
# machine). Two shards of three runs: the requeue, sent once shard 1's first run is stored, must
# land before its last run ends, and two runs leave it time even when the machine is busy (with
# three shards of two runs it once landed after). --set also checks that the flags reach the shards
# and the merge.
SET=(--set duration=6m)
node dist/sim/cli/main.js submit slurm "$EXP" "${SET[@]}" --shards 2 --cpus-per-task 1 --time 10 \
  --dir "$D/jobs" --store "$D/store" --out "$D/merged" --vmisim "$VMISIM" 2>/dev/null
read -r array merge < <(sh "$D/jobs/submit.sh")
echo "submitted array $array and merge $merge ($(elapsed))"

log1="$D/jobs/logs/shard-1.log"
shard1_stored() { grep -q ', stored$' "$log1" 2>/dev/null; }
wait_for 60 "shard 1 storing its first run" shard1_stored
scontrol requeue "${array}_1"
# slurmctld revoked the task's launch credential, stamped in whole seconds, when it sent the kill:
# before scontrol returned, so within this second or an earlier one.
now_s revoked_s
# Slurm then holds the task: once its first attempt has ended it is PENDING with reason BeginTime,
# BeginTime = now + 121 s (the credential lifetime + 1 s, so that the next launch credential is
# newer than the revocation). Release it sooner, but only once the clock has passed the second of
# the revocation: slurmd refuses a launch credential not newer than it ("Job N already killed, do
# not launch batch job"), the task then FAILS, and the merge's afterok dependency is cancelled.
# StartTime=now before the hold is set would be overwritten by it.
shard1_is() { [ "$(squeue -h -j "${array}_1" -o '%T %r' 2>/dev/null)" = "$1" ]; }
wait_for 30 "shard 1 held after the requeue (PENDING BeginTime)" shard1_is 'PENDING BeginTime'
past_revocation() {
  local t_s
  now_s t_s
  [ "$t_s" -gt "$revoked_s" ]
}
wait_for 2 "the second after the requeue" past_revocation
scontrol update JobId="${array}_1" StartTime=now
# Its second attempt starts at the scheduler's next pass, or once a CPU is free.
shard1_restarted() {
  local state
  state=$(scontrol show job "${array}_1" | grep -o 'JobState=[A-Z_]*' || true)
  case "$state" in
    JobState=RUNNING | JobState=COMPLETING | JobState=COMPLETED) return 0 ;;
    JobState=PENDING) return 1 ;;
    *) fail "shard 1 after its release: $state" ;;
  esac
}
wait_for 60 "shard 1's second attempt starting" shard1_restarted
echo "requeued ${array}_1 after its first stored run; its second attempt started ($(elapsed))"

# Meanwhile, the same experiment on one machine.
node dist/sim/cli/main.js run "$EXP" "${SET[@]}" --threads 2 --out "$D/plain" --quiet

jobs_gone() { [ -z "$(squeue -h -j "$array,$merge" 2>/dev/null)" ]; }
wait_for 300 "the array and the merge finishing" jobs_gone
echo "array and merge done ($(elapsed))"

state=$(scontrol show job "$merge" | grep -o 'JobState=[A-Z_]*' || true)
[ "$state" = JobState=COMPLETED ] || fail "merge job: $state"
restarts=$(scontrol show job "${array}_1" | grep -o 'Restarts=[0-9]*' || true)
[ "$restarts" = Restarts=1 ] || fail "shard 1: expected Restarts=1, found '$restarts'"
stored=$(sed -n 's/^SIGTERM: stopped; \([12]\) of 3 runs computed now.*/\1/p' "$log1")
[ -n "$stored" ] || fail "shard 1's first attempt did not stop on SIGTERM with one or two of its 3 runs stored"
grep -q "3 of 6 runs, $stored already in .*, $((3 - stored)) to compute" "$log1" ||
  fail "shard 1's second attempt did not find the $stored runs its first stored"
echo "shard 1: its first attempt stored $stored of 3 runs before SIGTERM, its second computed the $((3 - stored)) others"

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
